import BatonJSON
import BatonSearch

/// A search of a knowledge base as each front end asks it — `baton search` and `baton serve`'s `/api/search` —
/// and its answer in one JSON shape for both.
public enum KnowledgeSearch {
    /// The engine's options for a search of `knowledgeIndex`'s index: its languages and synonyms, at most
    /// `limit` hits, only what `audience` may see, only one kind when `type` is given.
    public static func options(_ knowledgeIndex: KnowledgeIndex, limit: Int, audience: Confidentiality,
                               type: EntityKind? = nil, prefix: Bool = false, explain: Bool = false) -> SearchOptions {
        var options = SearchOptions()
        options.limit = limit
        options.languages = knowledgeIndex.languages
        options.synonyms = knowledgeIndex.synonyms
        options.lastWordAsPrefix = prefix
        options.explain = explain
        if let type { options.filters["type"] = [type.rawValue] }
        if audience != .restricted {
            options.filters["confidentiality"] = Confidentiality.allCases.filter { $0 <= audience }.map(\.rawValue)
        }
        return options
    }

    /// The answer as `baton search --json` prints it: the query, total, notices, suggestion, hits (id, type,
    /// title, score, snippet, anchor, path, and `explain` when asked for), facets.
    public static func json(query: String, results: SearchResults, knowledgeBase: KnowledgeBase) -> JSONValue {
        let hits = results.hits.map { hit -> JSONValue in
            let entity = knowledgeBase.entity(id: hit.id)
            var pairs: [(String, JSONValue)] = [
                ("id", .string(hit.id)), ("type", .optional(entity?.kind.rawValue)), ("title", .string(hit.title)),
                ("score", .number(hit.score)), ("snippet", .string(hit.snippet)), ("anchor", .optional(hit.anchor)),
                ("path", .optional(entity?.path)),
            ]
            if let explanation = hit.explanation { pairs.append(("explain", json(explanation))) }
            return .object(pairs)
        }
        let facets = results.facets.sorted { $0.key < $1.key }.map { field, values in
            (field, JSONValue.object(values.map { ($0.value, .int($0.count)) }))
        }
        return .object([
            ("query", .string(query)), ("total", results.total.map { .int($0) } ?? .null),
            ("notice", .optional(results.notice)),
            ("notices", .array(results.notices.map {
                .object([("kind", .string($0.kind)), ("words", .array($0.words.map { .string($0) }))])
            })),
            ("suggestion", .optional(results.suggestion)),
            ("hits", .array(hits)), ("facets", .object(facets)),
        ])
    }

    /// Why a hit ranks where it does: each term's weight and score by field, and the coordination factor.
    public static func json(_ explanation: Explanation) -> JSONValue {
        var pairs: [(String, JSONValue)] = [("score", .number(explanation.score))]
        pairs.append(("terms", .array(explanation.parts.map { part in
            .object([("term", .string(part.term)), ("idf", .number(part.idf)), ("boost", .number(part.boost)),
                     ("score", .number(part.score)),
                     ("fields", .array(part.fields.map {
                         .object([("field", .string($0.name)), ("frequency", .number($0.frequency)),
                                  ("score", .number($0.score))])
                     }))])
        })))
        if let coordination = explanation.coordination {
            pairs.append(("coordination", .object([("matched", .int(coordination.matched)),
                                                    ("words", .int(coordination.words)),
                                                    ("factor", .number(coordination.factor))])))
        }
        return .object(pairs)
    }

    /// The values each keyword filter can take in this knowledge base, to catch `type:persn`.
    static func filterValues(_ knowledgeBase: KnowledgeBase) -> [String: Set<String>] {
        var values: [String: Set<String>] = [
            "type": Set(EntityKind.allCases.map(\.rawValue)),
            "organisation": Set(knowledgeBase.config.organisations.map(\.id)),
            "tier": Set(Tier.allCases.map(\.rawValue)),
            "section": Set(PlanSection.allCases.map(\.rawValue)),
            "confidentiality": Set(Confidentiality.allCases.map(\.rawValue)),
            "role": Set(knowledgeBase.entities(of: .role).map(\.id)),
            "owner": Set(knowledgeBase.entities(of: .person).map(\.id)),
        ]
        values["tag"] = Set(knowledgeBase.entities(of: .knowledge).flatMap { $0.knowledge?.tags ?? [] })
        return values
    }

    /// The filters a query uses, as (field, value).
    static func filters(_ query: Query) -> [(String, String)] {
        switch query {
        case .filter(let field, let value): return [(field, value)]
        case .and(let parts), .or(let parts): return parts.flatMap(filters)
        case .not(let part): return filters(part)
        case .word, .phrase: return []
        }
    }

    /// A filter value no entity has is a mistake to name, with the value most likely meant, rather than
    /// "No results": the message, or nil when every filter names something that exists.
    public static func filterMistake(in query: String, knowledgeBase: KnowledgeBase, schema: Schema) -> String? {
        guard let parsed = try? QueryParser(schema: schema).parse(query) else { return nil }
        let known = filterValues(knowledgeBase)
        for (field, value) in filters(parsed) {
            guard let values = known[field], !values.contains(value) else { continue }
            let shortened = Dictionary(values.map { ($0.split(separator: "/").last.map(String.init) ?? $0, $0) }) { a, _ in a }
            let prefixed = shortened.keys.filter { $0.hasPrefix(value.lowercased()) }
            let nearest = shortened[value] ?? EditDistance.nearest(to: value.lowercased(), in: values.sorted())
                ?? EditDistance.nearest(to: value.lowercased(), in: shortened.keys.sorted()).flatMap { shortened[$0] }
                ?? (prefixed.count == 1 ? shortened[prefixed[0]] : nil)
            let some = values.sorted().prefix(8).joined(separator: ", ") + (values.count > 8 ? ", …" : "")
            return "no page has \(field) '\(value)'" + (nearest.map { "; did you mean \(field):\($0)?" } ?? "")
                + " (\(field) is one of: \(some))"
        }
        return nil
    }
}

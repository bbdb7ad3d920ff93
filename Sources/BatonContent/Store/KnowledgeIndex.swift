import BatonSearch
import Foundation

/// The knowledge base's search index under `.baton/index`: what each entity looks like to the search engine,
/// and bringing the index up to date with only what changed since the last run.
public struct KnowledgeIndex {
    /// What an update did.
    public struct UpdateReport: Sendable {
        public var added: Int
        public var updated: Int
        public var removed: Int
        public var unchanged: Int
        public var rebuilt: Bool
        /// Why the index had to be rebuilt although nobody asked: it was damaged or disagreed with itself.
        public var repaired: String? = nil

        public var changed: Bool { added + updated + removed > 0 || rebuilt }
    }

    public static let directoryName = ".baton/index"
    static let stateFile = "state"

    public let knowledgeBase: KnowledgeBase

    public init(knowledgeBase: KnowledgeBase) {
        self.knowledgeBase = knowledgeBase
    }

    public var directory: String { knowledgeBase.root + "/" + Self.directoryName }

    /// The knowledge base's default language as the engine names it.
    public var language: Language { Language(code: knowledgeBase.config.language) ?? .english }

    /// What the engine indexes of an entity: a page's text fields, and the keywords Baton filters and counts
    /// facets on — the kind, organisation, tier, roles, plan section, confidentiality, owner and tags.
    public static let schema = Schema(
        textFields: Schema.pageFields,
        keywordFields: ["type", "organisation", "tier", "role", "section", "confidentiality", "owner", "tag"])

    /// The synonym groups searches use: `search: synonyms:` in baton.yml, then the built-in domain list.
    public var synonyms: [[String]] { knowledgeBase.config.search.effectiveSynonyms }

    /// Every language the knowledge base's text is in, its default first.
    public var languages: [Language] {
        var result = [language]
        for entity in knowledgeBase.entities {
            if let code = entity.language, let other = Language(code: code), !result.contains(other) {
                result.append(other)
            }
        }
        return result
    }

    /// The engine's view of an entity: title, headings, body text (with the structured lists a page shows) and
    /// tags as weighted fields; kind, organisation, tier, roles, plan section, confidentiality, owner and tags as
    /// keywords. Contact details are never indexed.
    public func document(for entity: Entity) -> SearchDocument {
        // Structured lists (a role's responsibilities, its onboarding steps) come before the Markdown text, so
        // that the text's section offsets stay true after a prefix shift and a snippet from a list has no anchor.
        var lists: [String] = []
        var keywords: [String: [String]] = [
            "type": [entity.kind.rawValue], "confidentiality": [entity.confidentiality.rawValue],
        ]
        var tags: [String] = []
        func resolved(_ reference: Reference?) -> String? {
            guard let reference, case .found(let target) = knowledgeBase.resolve(reference) else { return nil }
            return target.id
        }
        func appendLines(_ lines: [String]) { lists += lines }
        switch entity.record {
        case .role(let role):
            keywords["organisation"] = [role.organisation]
            keywords["tier"] = role.tier.map { [$0.rawValue] }
            keywords["role"] = [entity.id]
            appendLines(role.responsibilities + role.skills + role.outcomes + role.onboarding.map(\.action))
        case .person(let person):
            keywords["organisation"] = [person.organisation]
            keywords["role"] = person.roles.compactMap(resolved)
        case .checklist(let checklist):
            keywords["role"] = resolved(checklist.role).map { [$0] }
        case .handover(let handover):
            keywords["role"] = resolved(handover.role).map { [$0] }
        case .onboarding(let onboarding):
            keywords["role"] = resolved(onboarding.role).map { [$0] }
        case .knowledge(let entry):
            keywords["section"] = entry.section.map { [$0.rawValue] }
            keywords["owner"] = resolved(entry.owner).map { [$0] }
            tags = entry.tags
            keywords["tag"] = entry.tags
        case .healthcheck(let check):
            keywords["organisation"] = check.sides.map(\.organisation)
        case .kpi:
            if let definition = knowledgeBase.config.kpi(entity.shortID) {
                keywords["role"] = resolved(definition.owner).map { [$0] }
                appendLines([definition.name])
            }
        }
        let prefix = lists.isEmpty ? "" : lists.joined(separator: "\n") + "\n\n"
        let body = prefix + entity.markdown.plainText
        let shift = prefix.utf8.count
        let sections = entity.markdown.headings.map {
            SearchDocument.Section(offset: $0.textOffset + shift, anchor: $0.anchor)
        }
        return SearchDocument(
            id: entity.id,
            text: ["title": entity.title, "headings": entity.markdown.headings.map(\.text).joined(separator: "\n"),
                   "body": body, "tags": tags.joined(separator: " ")],
            keywords: keywords.compactMapValues { $0.isEmpty ? nil : $0 },
            language: entity.language.flatMap(Language.init(code:)) ?? language, sections: sections)
    }

    /// A fingerprint of what an entity contributes to the index.
    static func fingerprint(_ document: SearchDocument) -> String {
        var hasher = StableHash()
        hasher.add(document.language.rawValue)
        for key in document.text.keys.sorted() { hasher.add(key); hasher.add(document.text[key]!) }
        for key in document.keywords.keys.sorted() { hasher.add(key); hasher.add(document.keywords[key]!.joined(separator: "\u{1}")) }
        for section in document.sections { hasher.add("\(section.offset)\u{1}\(section.anchor)") }
        return String(hasher.value, radix: 16)
    }

    /// Brings the index up to date: documents whose content changed are replaced, new ones added, removed ones
    /// deleted. With `rebuild`, everything is indexed afresh. `heapMegabytes`: the writer's memory budget (its
    /// default when nil), past which it writes a segment and goes on.
    public func update(rebuild: Bool = false, heapMegabytes: Int? = nil) throws -> UpdateReport {
        let statePath = directory + "/" + Self.stateFile
        var previous: [String: String] = [:]
        if !rebuild, let text = try? String(contentsOfFile: statePath, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "\t", maxSplits: 1)
                if parts.count == 2 { previous[String(parts[1])] = String(parts[0]) }
            }
        }
        // Whatever stands where the index folder should be and is not a folder goes: the index can always be made.
        if let kind = RegularFile.kind(directory), kind != "a folder" {
            try FileManager.default.removeItem(atPath: directory)
        }
        let indexMissing = !FileManager.default.fileExists(atPath: directory + "/manifest")
        var fresh = rebuild || indexMissing || previous.isEmpty
        let repaired = fresh ? nil : damage()
        if repaired != nil {
            fresh = true
            previous = [:]
        }
        let writer = try IndexWriter(directory: directory, schema: Self.schema, rebuild: fresh)
        if let heapMegabytes { writer.heapBytes = heapMegabytes << 20 }
        var report = UpdateReport(added: 0, updated: 0, removed: 0, unchanged: 0, rebuilt: fresh, repaired: repaired)
        var current: [String: String] = [:]
        for entity in knowledgeBase.entities {
            let document = document(for: entity)
            let print = Self.fingerprint(document)
            current[entity.id] = print
            if !fresh, let old = previous[entity.id] {
                if old == print {
                    report.unchanged += 1
                    continue
                }
                report.updated += 1
            } else {
                report.added += 1
            }
            writer.add(document)
        }
        if !fresh {
            for id in previous.keys where current[id] == nil {
                writer.delete(id: id)
                report.removed += 1
            }
        }
        if report.changed { try writer.commit() }
        let state = current.sorted { $0.key < $1.key }.map { "\($0.value)\t\($0.key)" }.joined(separator: "\n") + "\n"
        try AtomicFile.write(state, to: statePath)
        return report
    }

    /// What is wrong with the index on disk, if anything: a damaged or foreign file, or contents that are not
    /// what its state file says it was built from.
    func damage() -> String? {
        let index: SearchIndex
        do {
            index = try SearchIndex.open(directory: directory, schema: Self.schema)
        } catch {
            return error.description
        }
        var listed = Set<String>()
        if let text = try? String(contentsOfFile: directory + "/" + Self.stateFile, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                if let tab = line.firstIndex(of: "\t") { listed.insert(String(line[line.index(after: tab)...])) }
            }
        }
        let held = index.ids
        if held.count != Set(held).count || Set(held) != listed {
            return "\(directory): the index does not hold the entities its state file lists"
        }
        return nil
    }

    /// What `baton index --verify` found.
    public struct Verification: Sendable {
        public var documents: Int
        public var segments: Int
        public var bytes: Int
        /// Everything wrong, one line each; empty for a sound index.
        public var problems: [String]
        /// Entities changed since the index was last updated (not damage: `baton index` brings them in).
        public var stale: Int
    }

    /// Checks the index without changing it, as Lucene's CheckIndex does: the manifest's and every segment's
    /// checksums, that they agree, that every stored document can be read, and that the index holds exactly
    /// the entities its state file lists.
    public func verify() -> Verification {
        var result = Verification(documents: 0, segments: 0, bytes: 0, problems: [], stale: 0)
        let index: SearchIndex
        do {
            index = try SearchIndex.open(directory: directory, schema: Self.schema)
        } catch {
            result.problems.append(error.description)
            return result
        }
        result.documents = index.documentCount
        result.segments = index.segmentCount
        result.bytes = index.sizeInBytes
        if let problem = damage() { result.problems.append(problem) }
        var listed: [String: String] = [:]
        if let text = try? String(contentsOfFile: directory + "/" + Self.stateFile, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                let parts = line.split(separator: "\t", maxSplits: 1)
                if parts.count == 2 { listed[String(parts[1])] = String(parts[0]) }
            }
        }
        for id in index.ids where index.document(id: id) == nil {
            result.problems.append("\(directory): the stored document of \(id) cannot be read")
        }
        for entity in knowledgeBase.entities where listed[entity.id] != Self.fingerprint(document(for: entity)) {
            result.stale += 1
        }
        return result
    }

    /// Opens the index, bringing it up to date first when entities changed since it was built.
    public func openUpToDate() throws -> (SearchIndex, UpdateReport) {
        let report = try update()
        return (try SearchIndex.open(directory: directory, schema: Self.schema), report)
    }
}


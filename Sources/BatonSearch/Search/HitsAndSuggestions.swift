/// What a search returns beyond the ranking: hits with snippets, explanations, and a spelling to suggest.
extension Searcher {
    // MARK: Hits and snippets

    func hit(for candidate: Candidate, terms: Set<String>, options: SearchOptions) -> SearchHit {
        let segment = index.segments[candidate.segment]
        guard options.snippets else {
            let id = candidate.id ?? segment.storedID(candidate.doc)
            return SearchHit(id: id, score: candidate.score, title: segment.storedTitle(candidate.doc), snippet: "",
                             anchor: nil)
        }
        let stored = segment.storedDocument(candidate.doc)
        let title = stored.text.first ?? ""
        let field = index.schema.textFieldIndex(index.schema.snippetField) ?? 0
        let body = field < stored.text.count ? stored.text[field] : ""
        let (snippet, start) = Snippet.cut(body, terms: terms, frequency: documentFrequency, analyzer: analyzer(stored.language),
                                          words: options.snippetWords)
        let anchor = stored.sections.last { $0.offset <= start }?.anchor
        return SearchHit(id: stored.id, score: candidate.score, title: title, snippet: snippet, anchor: anchor)
    }

    // MARK: Explaining

    /// Why `candidate` scored what it did under `plan`: every term and phrase of the plan that matches it.
    func explanation(of candidate: Candidate, plan: Plan, words: Int?, options: SearchOptions) -> Explanation {
        let bm25 = BM25F(k1: options.k1, b: options.b, weights: index.schema.textFields.map(\.weight))
        let scorer = SegmentScorer(bm25: bm25, segment: index.segments[candidate.segment],
                                   averages: index.averageFieldLengths, indexWeights: bm25.weights)
        let names = index.schema.textFields.map(\.name)
        var parts: [Explanation.Part] = []
        let doc = UInt32(candidate.doc)
        func walk(_ plan: Plan) {
            switch plan {
            case .term(let term, let idf, let boost, _):
                guard let matcher = matcher(plan, segment: candidate.segment, scorer: scorer) as? TermMatcher,
                    matcher.advance(to: doc), matcher.doc == doc
                else { return }
                parts.append(.init(term: term, idf: idf, boost: boost, fields: matcher.fieldScores(names: names),
                                   score: matcher.score()))
            case .phrase(let terms, _, let idf, let boost, _, _):
                let matcher = matcher(plan, segment: candidate.segment, scorer: scorer)
                guard matcher.advance(to: doc), matcher.doc == doc else { return }
                parts.append(.init(term: "\"" + terms.joined(separator: " ") + "\"", idf: idf, boost: boost, fields: [],
                                   score: matcher.score()))
            case .any(let children):
                for child in children { walk(child) }
            case .best(let children):
                // Only the form that scored: the best of them.
                let before = parts
                var chosen: [Explanation.Part] = []
                for child in children {
                    parts = []
                    walk(child)
                    if parts.reduce(0, { $0 + $1.score }) > chosen.reduce(0, { $0 + $1.score }) { chosen = parts }
                }
                parts = before + chosen
            case .all(let required, _):
                for child in required { walk(child) }
            case .filter, .nothing:
                break
            }
        }
        var matched = 0
        if case .any(let children) = plan, words != nil {
            // Each of the query's words is one part of the coordination.
            for child in children {
                let before = parts.count
                walk(child)
                if parts.count > before { matched += 1 }
            }
        } else {
            walk(plan)
        }
        let coordination = words.map { (matched, $0, Ranking.coordinationFactor(matched: matched, words: $0)) }
        return Explanation(parts: parts, coordination: coordination, score: candidate.score)
    }

    // MARK: Did you mean

    func suggest(_ query: Query, options: SearchOptions) -> String? {
        let words = Self.allWords(of: query)
        guard !words.isEmpty else { return nil }
        var changed = false
        var replaced: [String] = []
        let language = options.languages.first ?? .english
        for word in words {
            let tokens = analyzer(language).tokens(word)
            guard tokens.count == 1, documentFrequency(tokens[0].term) == 0 else {
                replaced.append(word)
                continue
            }
            // The nearest written word; of equals, the one whose term is most frequent, then the first in order.
            var best: (surface: String, distance: Int, df: Int)?
            for (near, distance) in surfaces.near(analyzer(language).literal(Substring(word)), maxDistance: 2) {
                let df = documentFrequency(near.term)
                guard df > 0 else { continue }
                if best == nil || distance < best!.distance || (distance == best!.distance && (df > best!.df
                    || (df == best!.df && Array(near.surface.utf8).lexicographicallyPrecedes(Array(best!.surface.utf8)))))
                {
                    best = (near.surface, distance, df)
                }
            }
            if let best {
                replaced.append(best.surface)
                changed = true
            } else {
                replaced.append(word)
            }
        }
        return changed ? replaced.joined(separator: " ") : nil
    }

    static func allWords(of query: Query) -> [String] {
        switch query {
        case .word(let word, _, _, _): return [word]
        case .phrase(let words, _): return words
        case .and(let parts), .or(let parts): return parts.flatMap(allWords)
        default: return []
        }
    }
}

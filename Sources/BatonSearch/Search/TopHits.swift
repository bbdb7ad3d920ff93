/// Top-hit collection: every match of a plan, or with MaxScore and block-max pruning only those that can still
/// enter the top hits.
extension Searcher {
    struct Run {
        var candidates: [Candidate]
        var total: Int?
        var facets: [String: [(value: String, count: Int)]]
        /// The plan that ranked the candidates when it was the "most words" fallback.
        var rankedByParts: Plan?
    }

    /// Every match of `root` that passes `filters`, best first. `coordination`: the root is a disjunction of
    /// that many query words, and a page with fewer of them loses by `Ranking.coordinationFactor`.
    func run(_ root: Plan, filters: [Plan], options: SearchOptions, rankByParts: Bool,
                     coordination: Int? = nil) -> Run {
        let limit = max(options.limit, 0)
        var top: [Candidate] = []
        var total = 0
        var counts: [String: [String: Int]] = [:]
        let exhaustive = options.facets || !options.pruning || rankByParts
        let bm25 = BM25F(k1: options.k1, b: options.b, weights: index.schema.textFields.map(\.weight))
        let strategy = strategy(for: root, filters: filters, exhaustive: exhaustive, coordination: coordination)
        for (position, segment) in index.segments.enumerated() {
            let scorer = SegmentScorer(bm25: bm25, segment: segment, averages: index.averageFieldLengths,
                                       indexWeights: index.schema.textFields.map(\.weight))
            switch strategy {
            case .maxScore(let parts):
                let children = parts.map { self.matcher($0, segment: position, scorer: scorer) }.filter { !($0 is EmptyMatcher) }
                if !children.isEmpty {
                    collectWithMaxScore(DisjunctionMatcher(children), segment: position, limit: limit,
                                        coordination: coordination, into: &top)
                }
                continue
            case .phrase(let plan):
                // A quoted phrase alone: documents that cannot beat the top hits are passed over on their words'
                // frequencies, before a position is read.
                guard let phrase = self.matcher(plan, segment: position, scorer: scorer) as? PhraseMatcher else { continue }
                phrase.threshold = top.count == limit ? top[top.count - 1].score : -.infinity
                while phrase.next() {
                    offer(Candidate(score: phrase.score(), parts: 0, matched: 0, segment: position, doc: Int(phrase.doc), id: nil),
                          limit: limit, to: &top)
                    if top.count == limit { phrase.threshold = top[top.count - 1].score }
                }
                continue
            case .blockMax(let terms):
                let matchers = terms.map { self.matcher($0, segment: position, scorer: scorer) }
                // Every part is a term (or a filter's term): a term the segment lacks leaves nothing to find.
                let found = matchers.compactMap { $0 as? TermMatcher }
                if found.count == terms.count { collectWithBlockMax(found, segment: position, limit: limit, into: &top) }
                continue
            case .exhaustive:
                break
            }
            let rootMatcher = self.matcher(root, segment: position, scorer: scorer)
            var matcher = rootMatcher
            if matcher is EmptyMatcher { continue }
            if !filters.isEmpty {
                let filterMatchers = filters.map { self.matcher($0, segment: position, scorer: scorer) }
                if filterMatchers.contains(where: { $0 is EmptyMatcher }) { continue }
                matcher = ConjunctionMatcher(required: [matcher] + filterMatchers, excluded: [])
            }
            while matcher.next() {
                total += 1
                let doc = Int(matcher.doc)
                if options.facets {
                    let head = segment.storedHead(doc)
                    for keyword in head.keywords where keyword.field < index.schema.keywordFields.count {
                        counts[index.schema.keywordFields[keyword.field], default: [:]][keyword.value, default: 0] += 1
                    }
                }
                var candidate = Candidate(score: matcher.score(), parts: rankByParts ? matcher.matchedParts() : 0,
                                          matched: 0, segment: position, doc: doc, id: nil)
                if let words = coordination {
                    // The root's parts, not the filters': the root matcher stands on this document too.
                    candidate.matched = rootMatcher.matchedParts()
                    candidate.score *= Ranking.coordinationFactor(matched: candidate.matched, words: words)
                }
                offer(candidate, limit: limit, to: &top)
            }
        }
        for index in top.indices where top[index].id == nil {
            top[index].id = self.index.segments[top[index].segment].storedID(top[index].doc)
        }
        top.sort(by: isBetter)
        let facets = counts.mapValues { values in
            values.map { (value: $0.key, count: $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.value < $1.value }
        }
        return Run(candidates: top, total: exhaustive ? total : nil, facets: facets)
    }

    /// Higher parts, then higher score, then smaller id.
    func isBetter(_ a: Candidate, _ b: Candidate) -> Bool {
        if a.parts != b.parts { return a.parts > b.parts }
        if a.score != b.score { return a.score > b.score }
        return (a.id ?? "") < (b.id ?? "")
    }

    /// Keeps `top` as the best `limit` candidates, worst last.
    func offer(_ candidate: Candidate, limit: Int, to top: inout [Candidate]) {
        guard limit > 0 else { return }
        var candidate = candidate
        if top.count == limit, let worst = top.last {
            if candidate.parts < worst.parts || (candidate.parts == worst.parts && candidate.score < worst.score) {
                return
            }
            if candidate.parts == worst.parts && candidate.score == worst.score {
                candidate.id = index.segments[candidate.segment].storedID(candidate.doc)
                if top[top.count - 1].id == nil {
                    top[top.count - 1].id = index.segments[worst.segment].storedID(worst.doc)
                }
                if candidate.id! >= top[top.count - 1].id! { return }
            }
        }
        // Insert in order; ids are fetched only where scores tie.
        var position = top.count
        while position > 0 {
            let other = top[position - 1]
            let better: Bool
            if candidate.parts != other.parts {
                better = candidate.parts > other.parts
            } else if candidate.score != other.score {
                better = candidate.score > other.score
            } else {
                if candidate.id == nil { candidate.id = index.segments[candidate.segment].storedID(candidate.doc) }
                if top[position - 1].id == nil {
                    top[position - 1].id = index.segments[other.segment].storedID(other.doc)
                }
                better = candidate.id! < top[position - 1].id!
            }
            if !better { break }
            position -= 1
        }
        top.insert(candidate, at: position)
        if top.count > limit { top.removeLast() }
    }

    /// MaxScore: the parts whose bounds together cannot lift a document into the top hits are only consulted for
    /// documents that the other parts produce, and a document is dropped as soon as its bound falls short.
    /// With `coordination` (see `run`), a document's score is multiplied by its coordination factor once every
    /// part has been consulted; the bounds stay bounds, as the factor is at most 1.
    func collectWithMaxScore(_ root: DisjunctionMatcher, segment: Int, limit: Int, coordination: Int?,
                                     into top: inout [Candidate]) {
        let sorted = root.children.sorted { $0.maxScore < $1.maxScore }
        // Borrowed per call, as in `collectWithBlockMax`; `sorted` keeps the matchers alive.
        let parts = sorted.map { Unmanaged.passUnretained($0) }
        var prefixBounds = [Double](repeating: 0, count: parts.count + 1)
        for (index, part) in sorted.enumerated() { prefixBounds[index + 1] = prefixBounds[index] + part.maxScore }
        for part in sorted { _ = part.next() }
        var threshold = top.count == limit ? top[top.count - 1].score : -1
        var essentialStart = 0
        while essentialStart < parts.count && prefixBounds[essentialStart + 1] < threshold { essentialStart += 1 }
        withExtendedLifetime(sorted) {
            while essentialStart < parts.count {
                var doc = UInt32.max
                for index in essentialStart..<parts.count { doc = min(doc, parts[index]._withUnsafeGuaranteedRef { $0.doc }) }
                if doc == .max { break }
                var score = 0.0
                var matched = 0
                for index in essentialStart..<parts.count {
                    parts[index]._withUnsafeGuaranteedRef { part in
                        guard part.doc == doc else { return }
                        score += part.score()
                        matched += 1
                        _ = part.next()
                    }
                }
                var index = essentialStart - 1
                var pruned = false
                while index >= 0 {
                    if score + prefixBounds[index + 1] < threshold {
                        pruned = true
                        break
                    }
                    parts[index]._withUnsafeGuaranteedRef { part in
                        if part.advance(to: doc) && part.doc == doc {
                            score += part.score()
                            matched += 1
                        }
                    }
                    index -= 1
                }
                if pruned { continue }
                if let words = coordination {
                    score *= Ranking.coordinationFactor(matched: matched, words: words)
                    if score < threshold { continue }
                }
                offer(Candidate(score: score, parts: 0, matched: matched, segment: segment, doc: Int(doc), id: nil),
                      limit: limit, to: &top)
                if top.count == limit { threshold = top[top.count - 1].score }
                while essentialStart < parts.count && prefixBounds[essentialStart + 1] < threshold { essentialStart += 1 }
            }
        }
    }

    /// How the top hits of a plan are found, decided from the plan before any segment is read.
    enum Strategy {
        /// Score every match: facets and totals need every one, and so do ranking by parts and no pruning.
        case exhaustive
        /// MaxScore over the parts of a disjunction (without filters).
        case maxScore([Plan])
        /// Block-max over a conjunction of terms, a filter's term among them: the common query.
        case blockMax([Plan])
        /// A quoted phrase alone, its documents bounded by their words' frequencies before positions are read.
        case phrase(Plan)
    }

    func strategy(for root: Plan, filters: [Plan], exhaustive: Bool, coordination: Int?) -> Strategy {
        if exhaustive { return .exhaustive }
        if case .any(let parts) = root, filters.isEmpty { return .maxScore(parts) }
        if case .phrase = root, filters.isEmpty { return .phrase(root) }
        let filterTerms = filters.filter { if case .filter = $0 { true } else { false } }
        if coordination == nil, filterTerms.count == filters.count, let terms = Self.termLeaves(root) {
            return .blockMax(terms + filterTerms)
        }
        return .exhaustive
    }

    /// The terms of a plain conjunction of terms (or a single term), else nil.
    static func termLeaves(_ plan: Plan) -> [Plan]? {
        switch plan {
        case .term: return [plan]
        case .all(let required, let excluded) where excluded.isEmpty && !required.isEmpty:
            var terms: [Plan] = []
            for part in required {
                guard let leaves = termLeaves(part) else { return nil }
                terms += leaves
            }
            return terms
        default: return nil
        }
    }

    /// Block-max: before decoding a run of documents, add up the highest score each term can reach in the block
    /// that covers them (from the block headers); when that cannot beat the current top hits, the whole run is
    /// skipped without decoding a document.
    func collectWithBlockMax(_ terms: [TermMatcher], segment: Int, limit: Int, into top: inout [Candidate]) {
        if terms.count == 1 && terms[0].scores {
            collectSingleTerm(terms[0], segment: segment, limit: limit, into: &top)
            return
        }
        // The k-th best score so far (nothing can be pruned until there are k). Kept in a local, not computed
        // from `top` by a closure: a closure over an inout parameter costs a dynamic exclusivity check per use.
        var threshold = top.count == limit ? top[top.count - 1].score : -1
        var candidate: UInt32 = 0
        // Lead with the rarest term. The loops reach the matchers as `Unmanaged`, borrowed for each call: through
        // the array, or a `let` (even `unowned(unsafe)`), each call retains and releases the matcher, on every
        // document. Safe: `sorted` holds every matcher until the loops are done.
        let sorted = terms.sorted { $0.maxScore > $1.maxScore }
        let ordered = sorted.map { Unmanaged.passUnretained($0) }
        withExtendedLifetime(sorted) {
            while candidate != .max {
                var upTo = UInt32.max
                var bound = 0.0
                for index in 0..<ordered.count {
                    guard let block = ordered[index]._withUnsafeGuaranteedRef({ $0.blockBound(at: candidate) }) else { return }
                    upTo = min(upTo, block.lastDoc)
                    bound += block.bound
                }
                if bound < threshold {
                    if upTo == .max { return }
                    candidate = upTo + 1
                    continue
                }
                // Score the documents in [candidate, upTo] that have every term.
                var doc = candidate
                scan: while true {
                    for index in 0..<ordered.count {
                        let found = ordered[index]._withUnsafeGuaranteedRef { term -> UInt32? in
                            term.advance(to: doc) ? term.doc : nil
                        }
                        guard let found else { return }
                        if found != doc {
                            doc = found
                            if doc > upTo { break scan }
                            continue scan
                        }
                    }
                    var score = 0.0
                    for index in 0..<ordered.count { score += ordered[index]._withUnsafeGuaranteedRef { $0.score() } }
                    if score >= threshold {
                        offer(Candidate(score: score, parts: 0, matched: 0, segment: segment, doc: Int(doc), id: nil),
                              limit: limit, to: &top)
                        if top.count == limit { threshold = top[top.count - 1].score }
                    }
                    if doc == .max - 1 || doc >= upTo { break }
                    doc += 1
                }
                if upTo == .max { return }
                candidate = doc > upTo ? doc : upTo + 1
            }
        }
    }

    /// One term's top hits: every block whose bound reaches the k-th best score is scored whole, in one pass over
    /// its decoded documents (`TermMatcher.scoreBlock`); the others are passed over on their headers.
    func collectSingleTerm(_ term: TermMatcher, segment: Int, limit: Int, into top: inout [Candidate]) {
        var threshold = top.count == limit ? top[top.count - 1].score : -1
        var candidate: UInt32 = 0
        while let block = term.blockBound(at: candidate) {
            if block.bound >= threshold {
                let last = term.scoreBlock(from: candidate, threshold: threshold) { doc, score in
                    offer(Candidate(score: score, parts: 0, matched: 0, segment: segment, doc: Int(doc), id: nil),
                          limit: limit, to: &top)
                    if top.count == limit { threshold = top[top.count - 1].score }
                    return threshold
                }
                guard let last else { return }
                if last >= .max - 1 { return }
                candidate = last + 1
            } else {
                if block.lastDoc >= .max - 1 { return }
                candidate = block.lastDoc + 1
            }
        }
    }
}

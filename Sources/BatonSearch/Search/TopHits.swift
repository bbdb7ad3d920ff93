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

    /// Whether `a`'s id sorts before `b`'s, as Strings compare. Within a segment, from the documents' places in id
    /// order; across segments, read in place from the stored records (and kept in the candidates, for the next
    /// tie): no String is made for a candidate that a tie then turns away.
    func idPrecedes(_ a: inout Candidate, _ b: inout Candidate) -> Bool {
        // In one segment, the documents' places in id order say it.
        if a.segment == b.segment {
            let segment = index.segments[a.segment]
            return segment.idRank(a.doc) < segment.idRank(b.doc)
        }
        if a.idBytes == nil { a.idBytes = index.segments[a.segment].storedIDBytes(a.doc) }
        if b.idBytes == nil { b.idBytes = index.segments[b.segment].storedIDBytes(b.doc) }
        return StoredText.precedes(a.idBytes.unsafelyUnwrapped, b.idBytes.unsafelyUnwrapped)
    }

    /// Keeps `top` as the best `limit` candidates, worst last. The candidates in `top` are compared in place, not
    /// copied (a copy retains and releases the id).
    func offer(_ candidate: Candidate, limit: Int, to top: inout [Candidate]) {
        guard limit > 0 else { return }
        var candidate = candidate
        // Find its place from the worst up; ids are read only where scores tie.
        var position = top.count
        while position > 0 {
            let better: Bool
            if candidate.parts != top[position - 1].parts {
                better = candidate.parts > top[position - 1].parts
            } else if candidate.score != top[position - 1].score {
                better = candidate.score > top[position - 1].score
            } else {
                better = idPrecedes(&candidate, &top[position - 1])
            }
            if !better { break }
            position -= 1
        }
        // Behind the worst of a full list: not kept.
        if position == limit { return }
        if top.count == limit { top.removeLast() }
        top.insert(candidate, at: position)
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

    /// A run of documents in which each term of a conjunction stays in one block: its first and last document,
    /// and the sum of those blocks' bounds (no document in it can score more).
    struct Window {
        var first: UInt32
        var last: UInt32
        var bound: Double
    }

    /// A list of more blocks than this many times the hits asked for has its best-bounded windows scored first.
    static let blocksBeforeBestFirst = 2

    /// The window that starts at `candidate`, read from block headers alone (the matchers move to those blocks,
    /// decoding nothing); nil when a term has no document ≥ `candidate`.
    @inline(__always)
    func window(_ terms: [Unmanaged<TermMatcher>], from candidate: UInt32) -> Window? {
        var upTo = UInt32.max
        var bound = 0.0
        for index in 0..<terms.count {
            guard let block = terms[index]._withUnsafeGuaranteedRef({ $0.blockBound(at: candidate) }) else { return nil }
            upTo = min(upTo, block.lastDoc)
            bound += block.bound
        }
        return Window(first: candidate, last: upTo, bound: bound)
    }

    /// Every window of `terms` over the segment, in document order; the matchers are rewound after.
    func windows(_ terms: [Unmanaged<TermMatcher>]) -> [Window] {
        var windows: [Window] = []
        var candidate: UInt32 = 0
        while let next = window(terms, from: candidate) {
            windows.append(next)
            if next.last >= .max - 1 { break }
            candidate = next.last + 1
        }
        for index in 0..<terms.count { terms[index]._withUnsafeGuaranteedRef { $0.rewind() } }
        return windows
    }

    /// The `limit` windows with the highest bounds (ties: the earliest), in document order.
    func bestWindows(_ windows: [Window], limit: Int) -> [Int] {
        // The limit-th highest bound: the windows above it, then as many at it as are still wanted.
        let cut = windows.map(\.bound).sorted(by: >)[min(limit, windows.count) - 1]
        var wanted = limit - windows.reduce(0) { $0 + ($1.bound > cut ? 1 : 0) }
        var best: [Int] = []
        for index in windows.indices where windows[index].bound >= cut {
            if windows[index].bound == cut {
                guard wanted > 0 else { continue }
                wanted -= 1
            }
            best.append(index)
        }
        return best
    }

    /// Best first: scores the `limit` windows with the highest bounds, rewinds the matchers, then scores the
    /// other windows in document order, passing over those whose bound is below the k-th best score by then.
    /// The top hits and threshold go to `score` as parameters, not captured: a closure capturing an inout
    /// parameter pays a dynamic exclusivity check on each use.
    func scoreBestFirst(_ windows: [Window], limit: Int, threshold: inout Double, top: inout [Candidate],
                        score: (Window, inout Double, inout [Candidate]) -> Void, rewind: () -> Void) {
        let best = bestWindows(windows, limit: limit)
        for place in best { score(windows[place], &threshold, &top) }
        rewind()
        var next = 0
        for place in windows.indices {
            if next < best.count && best[next] == place {
                next += 1
                continue
            }
            if windows[place].bound >= threshold { score(windows[place], &threshold, &top) }
        }
    }

    /// Block-max: before decoding a run of documents (a window), add up the highest score each term can reach in
    /// the block that covers them (from the block headers); when that cannot beat the current top hits, the
    /// whole run is skipped without decoding a document. When the lists are long (every term's has more than
    /// `blocksBeforeBestFirst` × `limit` blocks), the `limit` windows with the highest bounds are scored first,
    /// so that the k-th best score is high from the start and most other windows are passed over on their
    /// bounds; then the matchers are rewound and the other windows scored in order.
    func collectWithBlockMax(_ terms: [TermMatcher], segment: Int, limit: Int, into top: inout [Candidate]) {
        if terms.count == 1 && terms[0].scores {
            collectSingleTerm(terms[0], segment: segment, limit: limit, into: &top)
            return
        }
        // The k-th best score so far (nothing can be pruned until there are k). Kept in a local, not computed
        // from `top` by a closure: a closure over an inout parameter costs a dynamic exclusivity check per use.
        var threshold = top.count == limit ? top[top.count - 1].score : -1
        // Lead with the rarest term. The loops reach the matchers as `Unmanaged`, borrowed for each call: through
        // the array, or a `let` (even `unowned(unsafe)`), each call retains and releases the matcher, on every
        // document. Safe: `sorted` holds every matcher until the loops are done.
        let sorted = terms.sorted { $0.maxScore > $1.maxScore }
        let ordered = sorted.map { Unmanaged.passUnretained($0) }
        withExtendedLifetime(sorted) {
            var candidate: UInt32 = 0
            if limit > 0, let fewest = sorted.map(\.blockCount).min(), fewest > Self.blocksBeforeBestFirst * limit {
                scoreBestFirst(self.windows(ordered), limit: limit, threshold: &threshold, top: &top) {
                    _ = scan($0, ordered, segment: segment, limit: limit, threshold: &$1, top: &$2)
                } rewind: {
                    for index in 0..<ordered.count { ordered[index]._withUnsafeGuaranteedRef { $0.rewind() } }
                }
                return
            }
            while let window = window(ordered, from: candidate) {
                var next = window.last >= .max - 1 ? UInt32.max : window.last + 1
                if window.bound >= threshold {
                    guard let reached = scan(window, ordered, segment: segment, limit: limit, threshold: &threshold,
                                             top: &top) else { return }
                    next = max(next, reached)
                }
                if next == .max { return }
                candidate = next
            }
        }
    }

    /// Scores the documents of `window` that have every term. Returns where the next window starts: past the
    /// window's end, or at the document beyond it that a term reached (`UInt32.max`: nowhere); nil when a term
    /// has no document left.
    @inline(__always)
    func scan(_ window: Window, _ ordered: [Unmanaged<TermMatcher>], segment: Int, limit: Int,
              threshold: inout Double, top: inout [Candidate]) -> UInt32? {
        var doc = window.first
        scan: while true {
            for index in 0..<ordered.count {
                let found = ordered[index]._withUnsafeGuaranteedRef { term -> UInt32? in
                    term.advance(to: doc) ? term.doc : nil
                }
                guard let found else { return nil }
                if found != doc {
                    doc = found
                    if doc > window.last { return doc }
                    continue scan
                }
            }
            // Once there are k hits, a document whose frequencies alone cannot reach the k-th is not scored.
            var bound = threshold
            if threshold > 0 {
                bound = 0
                for index in 0..<ordered.count { bound += ordered[index]._withUnsafeGuaranteedRef { $0.scoreBound() } }
            }
            var score = -Double.infinity
            if bound >= threshold {
                score = 0
                for index in 0..<ordered.count { score += ordered[index]._withUnsafeGuaranteedRef { $0.score() } }
            }
            if score >= threshold {
                offer(Candidate(score: score, parts: 0, matched: 0, segment: segment, doc: Int(doc), id: nil),
                      limit: limit, to: &top)
                if top.count == limit { threshold = top[top.count - 1].score }
            }
            if doc >= window.last || doc == .max - 1 { return window.last >= .max - 1 ? .max : window.last + 1 }
            doc += 1
        }
    }

    /// One term's top hits: every block whose bound reaches the k-th best score is scored whole, in one pass over
    /// its decoded documents (`TermMatcher.scoreBlock`); the others are passed over on their headers. A long
    /// list has its best-bounded blocks scored first, as in `collectWithBlockMax`.
    func collectSingleTerm(_ term: TermMatcher, segment: Int, limit: Int, into top: inout [Candidate]) {
        var threshold = top.count == limit ? top[top.count - 1].score : -1
        if limit > 0, term.blockCount > Self.blocksBeforeBestFirst * limit {
            let blocks = withExtendedLifetime(term) { windows([Unmanaged.passUnretained(term)]) }
            scoreBestFirst(blocks, limit: limit, threshold: &threshold, top: &top) {
                scoreBlock(term, from: $0.first, segment: segment, limit: limit, threshold: &$1, top: &$2)
            } rewind: {
                term.rewind()
            }
            return
        }
        var candidate: UInt32 = 0
        while let block = term.blockBound(at: candidate) {
            if block.bound >= threshold {
                guard let last = scoreBlock(term, from: candidate, segment: segment, limit: limit,
                                            threshold: &threshold, top: &top) else { return }
                if last >= .max - 1 { return }
                candidate = last + 1
            } else {
                if block.lastDoc >= .max - 1 { return }
                candidate = block.lastDoc + 1
            }
        }
    }

    /// Scores `term`'s block from `target` on, offering every document that reaches the threshold; the block's
    /// last document, nil when no document ≥ `target` is left.
    @discardableResult
    func scoreBlock(_ term: TermMatcher, from target: UInt32, segment: Int, limit: Int, threshold: inout Double,
                    top: inout [Candidate]) -> UInt32? {
        term.scoreBlock(from: target, threshold: threshold) { doc, score in
            offer(Candidate(score: score, parts: 0, matched: 0, segment: segment, doc: Int(doc), id: nil),
                  limit: limit, to: &top)
            if top.count == limit { threshold = top[top.count - 1].score }
            return threshold
        }
    }
}

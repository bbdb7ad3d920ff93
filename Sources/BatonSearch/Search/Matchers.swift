/// Document-at-a-time iterators over one segment. Each is positioned on a document (`doc`), moves with `next`
/// and `advance(to:)`, and scores the document it is on. `UInt32.max` means exhausted.
///
/// Matchers belong to one search on one thread, so their state skips Swift's dynamic exclusivity checks.
class Matcher {
    @exclusivity(unchecked) var doc: UInt32 = 0
    @exclusivity(unchecked) var started = false
    /// No document can score more than this.
    @exclusivity(unchecked) var maxScore: Double = 0

    var isExhausted: Bool { doc == .max }

    func next() -> Bool { fatalError("abstract") }
    func advance(to target: UInt32) -> Bool {
        if started && doc >= target { return doc != .max }
        while next() {
            if doc >= target { return true }
        }
        return false
    }
    func score() -> Double { 0 }
    /// How many of the query's parts match the current document (for ranking by "most words").
    func matchedParts() -> Int { 1 }
}

/// One term's postings, skipping deleted documents; scores with BM25F over the fields in `mask`.
final class TermMatcher: Matcher {
    @exclusivity(unchecked) private var cursor: PostingsCursor
    /// The cursor as it was made, before the first document: `rewind` starts again from it.
    private let firstCursor: PostingsCursor
    let scorer: SegmentScorer?
    let weight: Double
    let mask: UInt8
    private let deleted: [Bool]
    /// Blocks in the term's list in this segment.
    let blockCount: Int
    /// The scorer's formula as plain values, read on every document without reference counting; `scores` false
    /// for a filter.
    private let scoring: TermScoring?
    /// The fields searched that hold the term: the only ones a score visits.
    private let scoredFields: UInt8
    /// Per field, the shortest the field is in a document with the term (for `scoreBound`); the storage holds
    /// the table's memory.
    private let leastLengthStorage: FieldNumberStorage
    private let leastLengths: FieldNumberTable
    /// `scoreBound`'s part per field for small frequencies (`TermScoring.boundTable`); the storage holds the
    /// table's memory.
    private let boundStorage: FieldNumberStorage?
    private let boundTable: FrequencyTable?

    /// `scorer` nil: a filter that matches without scoring.
    init(cursor: PostingsCursor, scorer: SegmentScorer?, weight: Double, mask: UInt8, deleted: [Bool], info: TermInfo) {
        self.cursor = cursor
        firstCursor = cursor
        self.scorer = scorer
        self.weight = weight
        self.mask = mask
        self.deleted = deleted
        scoring = scorer?.termScoring
        scoredFields = mask & info.fieldMask
        blockCount = (info.documentFrequency + SegmentWriter.blockSize - 1) / SegmentWriter.blockSize
        leastLengthStorage = FieldNumberStorage((0..<8).map { Double(info.minLength[$0]) })
        leastLengths = leastLengthStorage.table
        boundStorage = scoring?.boundTable(fields: mask & info.fieldMask, leastLengths: leastLengthStorage.table)
        boundTable = boundStorage?.frequencyTable
        super.init()
        if let scorer {
            maxScore = scorer.bound(maxTf: info.maxTf, minLength: info.minLength, mask: mask, weight: weight)
        }
    }

    private func acceptable() -> Bool {
        let d = Int(cursor.doc)
        if !deleted.isEmpty && deleted[d] { return false }
        if mask != 0xFF && scoring != nil {
            // Field-scoped: the term must occur in one of the fields.
            var found = false
            for field in 0..<cursor.fieldCount where mask & (1 << field) != 0 && cursor.tfs[field] > 0 { found = true }
            return found
        }
        return true
    }

    override func next() -> Bool {
        started = true
        while cursor.next() {
            if acceptable() {
                doc = cursor.doc
                return true
            }
        }
        doc = .max
        return false
    }

    override func advance(to target: UInt32) -> Bool {
        if started && doc >= target { return doc != .max }
        started = true
        guard cursor.advance(to: target) else {
            doc = .max
            return false
        }
        if acceptable() {
            doc = cursor.doc
            return true
        }
        return next()
    }

    /// Back before the first document, as made: a second pass over the list (the decoded block is read again).
    func rewind() {
        cursor = firstCursor
        doc = 0
        started = false
    }

    override func score() -> Double {
        guard let scoring else { return 0 }
        return scoring.score(doc: Int(doc), tfs: cursor.tfs, mask: scoredFields, weight: weight)
    }

    /// At least `score()` on the current document, from its frequencies alone (no field length read): a
    /// document whose terms' bounds cannot reach the top hits is passed over without being scored.
    @inline(__always)
    func scoreBound() -> Double {
        guard let scoring, let boundTable else { return 0 }
        return scoring.bound(tfs: cursor.tfs, mask: scoredFields, weight: weight, table: boundTable,
                             leastLengths: leastLengths)
    }

    /// A term that scores (not a filter's).
    var scores: Bool { scoring != nil }

    /// Scores every document from the first ≥ `target` to the end of the block that holds it, in one pass over
    /// the decoded block with no call per document, and hands each document whose score reaches `threshold` to
    /// `offer`, which returns the threshold from then on. Returns the block's last document, nil when no document
    /// ≥ `target` is left. A single term's top hits are collected this way.
    func scoreBlock(from target: UInt32, threshold: Double, offer: (UInt32, Double) -> Double) -> UInt32? {
        started = true
        guard let scoring, let boundTable, let block = cursor.block(from: target) else {
            doc = .max
            return nil
        }
        doc = cursor.doc
        var threshold = threshold
        let scoped = mask != 0xFF
        let leastLengths = leastLengths
        for place in block.start..<block.end {
            let document = block.doc(place)
            if !deleted.isEmpty && deleted[Int(document)] { continue }
            // Once there are k hits, the frequencies alone (no field length read) may show the document cannot
            // reach the k-th; see `TermScoring.bound`.
            if threshold > 0 {
                let bound = Self.sum(block, place, mask: mask) { field, tf in
                    scoring.fieldBound(field: field, tf: tf, table: boundTable, leastLengths: leastLengths)
                }
                if weight * bound.sum < threshold { continue }
            }
            let (sum, found) = Self.sum(block, place, mask: mask) { field, tf in
                scoring.fieldScore(doc: Int(document), field: field, tf: tf)
            }
            // Field-scoped: the term must occur in one of the fields searched.
            if scoped && !found { continue }
            let score = weight * sum
            if score >= threshold { threshold = offer(document, score) }
        }
        return doc
    }

    /// The sum of `part` over the fields in `mask` where the document at `place` of `block` has the term (the
    /// main field first, then the others in order), and whether there was one.
    @inline(__always)
    private static func sum(_ block: PostingsBlock, _ place: Int, mask: UInt8,
                            _ part: (Int, UInt32) -> Double) -> (sum: Double, found: Bool) {
        var sum = 0.0
        var found = false
        let main = block.mainField
        if mask & (1 << main) != 0 {
            let tf = block.frequency(column: 0, place)
            if tf > 0 {
                sum += part(main, tf)
                found = true
            }
        }
        var others = block.otherFields
        var column = 1
        while others != 0 {
            let field = others.trailingZeroBitCount
            others &= others &- 1
            if mask & (1 << field) != 0 {
                let tf = block.frequency(column: column, place)
                if tf > 0 {
                    sum += part(field, tf)
                    found = true
                }
            }
            column += 1
        }
        return (sum, found)
    }

    /// Positions of the term in the current document.
    func positions() -> [UInt32] { cursor.positions() }

    /// Positions of the term in the current document, into `buffer` (whose storage is kept).
    func positions(into buffer: inout [UInt32]) { cursor.positions(into: &buffer) }

    /// Occurrences of the term in the current document, over every field.
    var totalFrequency: Int { cursor.totalFrequency }

    /// Occurrences of the term in each field of the current document.
    var frequencies: FieldCounts { cursor.tfs }

    /// The block that may hold `target`: the last document it covers and the highest score in it, read from
    /// its header without decoding documents. Nil when the term has no document ≥ `target`.
    func blockBound(at target: UInt32) -> (lastDoc: UInt32, bound: Double)? {
        guard let last = cursor.seekBlock(to: target) else { return nil }
        guard let scoring else { return (last, 0) }
        guard let stored = cursor.blockMaxNorm, scoring.blockBoundCorrection.isFinite else { return (last, maxScore) }
        // The block's own bound, or the term's over the whole segment (exact per field) when that is lower.
        return (last, min(scoring.blockBound(stored: stored, weight: weight), maxScore))
    }
}

/// Words next to each other: the documents where every term occurs, with the positions lined up. Scores as one
/// term whose frequency is the number of occurrences in each field and whose idf is the sum of the words'.
///
/// With `proximity` (a quoted phrase), a document that has every word but never in order side by side matches
/// too, ranked by how near the words come: in each field where the shortest stretch holding all of them (in any
/// order) is at most `proximitySlack` positions longer than the phrase, the frequency is half an occurrence
/// times the phrase's length over the stretch's, so an exact occurrence always counts for more.
///
/// When collecting the top hits alone (`threshold` set), work is done only where a document can still enter
/// them: a document whose words' frequencies fall short is passed over before a position is read; positions are
/// decoded rarest word first, and no further once no start is left; the near-match pass runs only when a near
/// match could still enter. Position lists live in buffers kept from document to document: nothing is
/// allocated per candidate.
final class PhraseMatcher: Matcher {
    private let terms: [TermMatcher]
    /// The same matchers, borrowed per call in the loops (through `terms` each call would retain and release its
    /// matcher); `terms` keeps them alive.
    private let handles: [Unmanaged<TermMatcher>]
    private let offsets: [UInt32]
    private let scorer: SegmentScorer
    private let weight: Double
    private let mask: UInt8
    private let proximity: Bool
    @exclusivity(unchecked) private var tfs: [Double]
    /// When collecting the top hits alone: a document whose bound falls below this is passed over before any
    /// of its positions is read (-infinity: every document is looked at, for counts and facets).
    @exclusivity(unchecked) var threshold = -Double.infinity
    /// Reused for each document: the words' least frequency per field, the fields' first positions, each word's
    /// positions, the phrase starts still possible, the words in the order their positions are read, and the
    /// near-match pass's heads.
    @exclusivity(unchecked) private var bounds: [Double]
    @exclusivity(unchecked) private var starts: [UInt32]
    @exclusivity(unchecked) private var lists: [[UInt32]]
    @exclusivity(unchecked) private var decoded: [Bool]
    @exclusivity(unchecked) private var phraseStarts: [UInt32]
    @exclusivity(unchecked) private var order: [Int]
    @exclusivity(unchecked) private var heads: [Int]

    init(terms: [TermMatcher], offsets: [Int], proximity: Bool, scorer: SegmentScorer, weight: Double, mask: UInt8,
         maxScore bound: Double) {
        self.terms = terms
        self.handles = terms.map { Unmanaged.passUnretained($0) }
        self.proximity = proximity
        self.offsets = offsets.map(UInt32.init)
        self.scorer = scorer
        self.weight = weight
        self.mask = mask
        self.tfs = Array(repeating: 0, count: scorer.fieldCount)
        self.bounds = Array(repeating: 0, count: scorer.fieldCount)
        self.starts = Array(repeating: 0, count: scorer.fieldCount)
        self.lists = Array(repeating: [], count: terms.count)
        self.decoded = Array(repeating: false, count: terms.count)
        self.phraseStarts = []
        self.order = Array(0..<terms.count)
        self.heads = Array(repeating: 0, count: terms.count)
        super.init()
        maxScore = bound
    }

    /// Word `index`'s matcher, borrowed for `body`.
    @inline(__always)
    private func term<R>(_ index: Int, _ body: (TermMatcher) -> R) -> R {
        handles[index]._withUnsafeGuaranteedRef(body)
    }

    /// The highest score the current document can reach, from the words' frequencies alone: the phrase occurs
    /// in a field at most as often as its rarest word there (and a near occurrence counts less than one).
    private func documentBound() -> Double {
        for field in 0..<bounds.count {
            var least = UInt32.max
            for index in 0..<handles.count { least = min(least, term(index) { $0.frequencies[field] }) }
            bounds[field] = Double(least)
        }
        return scorer.score(doc: Int(term(0) { $0.doc }), frequencies: bounds, mask: mask, weight: weight)
    }

    /// The highest score a near match can reach in the current document: half an occurrence in each field
    /// searched that holds every word.
    private func nearBound() -> Double {
        for field in 0..<bounds.count { bounds[field] = bounds[field] > 0 ? 0.5 : 0 }
        return scorer.score(doc: Int(term(0) { $0.doc }), frequencies: bounds, mask: mask, weight: weight)
    }

    override func next() -> Bool {
        started = true
        guard term(0, { $0.next() }) else {
            doc = .max
            return false
        }
        return align()
    }

    override func advance(to target: UInt32) -> Bool {
        if started && doc >= target { return doc != .max }
        started = true
        guard term(0, { $0.advance(to: target) }) else {
            doc = .max
            return false
        }
        return align()
    }

    /// From terms[0]'s document, find the next document where all terms occur and the phrase is present.
    private func align() -> Bool {
        var candidate = term(0) { $0.doc }
        while candidate != .max {
            var agreed = true
            for index in 1..<max(1, handles.count) {
                let found = term(index) { word -> UInt32? in word.advance(to: candidate) ? word.doc : nil }
                guard let found else {
                    doc = .max
                    return false
                }
                if found != candidate {
                    candidate = found
                    agreed = false
                    break
                }
            }
            if agreed {
                if (threshold == -.infinity || documentBound() >= threshold) && countOccurrences() {
                    doc = candidate
                    return true
                }
                guard term(0, { $0.next() }) else { break }
                candidate = term(0) { $0.doc }
            } else {
                guard term(0, { $0.advance(to: candidate) }) else { break }
                candidate = term(0) { $0.doc }
            }
        }
        doc = .max
        return false
    }

    /// Decodes word `index`'s positions in the current document into its buffer, once.
    private func decode(_ index: Int) {
        guard !decoded[index] else { return }
        terms[index].positions(into: &lists[index])
        decoded[index] = true
    }

    /// Counts phrase occurrences per field in the current document; false when there are none.
    private func countOccurrences() -> Bool {
        let count = terms.count
        for index in 0..<count { decoded[index] = false }
        for field in 0..<tfs.count { tfs[field] = 0 }
        let docNumber = Int(terms[0].doc)
        // Words with the fewest occurrences first: the starts they leave are the fewest to check further.
        for index in 0..<count { order[index] = index }
        for index in 1..<count {
            var place = index
            let moving = order[index]
            let total = terms[moving].totalFrequency
            while place > 0 && terms[order[place - 1]].totalFrequency > total {
                order[place] = order[place - 1]
                place -= 1
            }
            order[place] = moving
        }
        // The starts the rarest word allows, then those each further word keeps.
        let first = order[0]
        decode(first)
        phraseStarts.removeAll(keepingCapacity: true)
        for position in lists[first] where position >= offsets[first] { phraseStarts.append(position - offsets[first]) }
        var step = 1
        while step < count && !phraseStarts.isEmpty {
            let word = order[step]
            decode(word)
            var kept = 0
            var cursor = 0
            let list = lists[word]
            let offset = offsets[word]
            for start in phraseStarts {
                let wanted = start + offset
                while cursor < list.count && list[cursor] < wanted { cursor += 1 }
                if cursor < list.count && list[cursor] == wanted {
                    phraseStarts[kept] = start
                    kept += 1
                }
            }
            phraseStarts.removeLast(phraseStarts.count - kept)
            step += 1
        }
        // Field start positions, as the writer laid them out.
        var position: UInt32 = 0
        for field in 0..<scorer.fieldCount {
            starts[field] = position
            position += UInt32(scorer.segment.fieldLength(doc: docNumber, field: field) + SegmentWriter.fieldGap)
        }
        var found = false
        for start in phraseStarts {
            var field = 0
            while field + 1 < starts.count && starts[field + 1] <= start { field += 1 }
            if mask & (1 << field) != 0 {
                tfs[field] += 1
                found = true
            }
        }
        if !found && proximity {
            // A near match scores half an occurrence at most: look for one only where that could still enter.
            if threshold != -.infinity {
                _ = documentBound()
                if nearBound() < threshold { return false }
            }
            for index in 0..<count { decode(index) }
            found = nearOccurrences(starts: starts, doc: docNumber)
        }
        return found
    }

    /// For a document without the exact phrase: per field, the shortest stretch holding every word (see the type).
    /// One pass over the sorted position lists: the stretch from the smallest to the largest of the lists' current
    /// positions holds every word; moving the list with the smallest one on tries every shorter candidate.
    private func nearOccurrences(starts: [UInt32], doc: Int) -> Bool {
        var found = false
        let words = lists.count
        fields: for field in 0..<tfs.count where mask & (1 << field) != 0 {
            let low = starts[field]
            let high = low + UInt32(scorer.segment.fieldLength(doc: doc, field: field))
            for word in 0..<words {
                var head = 0
                while head < lists[word].count && lists[word][head] < low { head += 1 }
                guard head < lists[word].count && lists[word][head] < high else { continue fields }
                heads[word] = head
            }
            var shortest = Int.max
            while shortest > words {
                var first = 0
                var smallest = lists[0][heads[0]]
                var largest = smallest
                for word in 1..<words {
                    let position = lists[word][heads[word]]
                    if position < smallest {
                        smallest = position
                        first = word
                    }
                    largest = max(largest, position)
                }
                shortest = min(shortest, Int(largest - smallest) + 1)
                heads[first] += 1
                if heads[first] == lists[first].count || lists[first][heads[first]] >= high { break }
            }
            let stretch = max(shortest, words)
            if stretch <= words + Ranking.proximitySlack {
                tfs[field] = 0.5 * Double(words) / Double(stretch)
                found = true
            }
        }
        return found
    }

    override func score() -> Double {
        scorer.score(doc: Int(doc), frequencies: tfs, mask: mask, weight: weight)
    }
}

/// Any of several matchers; scores the sum of those on the document, or with `best` (the forms one word stands
/// for) the highest of them, so that a page is not counted twice for writing a word two ways.
final class DisjunctionMatcher: Matcher {
    let children: [Matcher]
    let best: Bool

    init(_ children: [Matcher], best: Bool = false) {
        self.children = children
        self.best = best
        super.init()
        maxScore = best ? children.reduce(0) { max($0, $1.maxScore) } : children.reduce(0) { $0 + $1.maxScore }
    }

    override func next() -> Bool {
        if !started {
            started = true
            for child in children { _ = child.next() }
        } else {
            for child in children where child.doc == doc { _ = child.next() }
        }
        doc = children.reduce(UInt32.max) { min($0, $1.doc) }
        return doc != .max
    }

    override func advance(to target: UInt32) -> Bool {
        if started && doc >= target { return doc != .max }
        started = true
        for child in children where !child.started || child.doc < target { _ = child.advance(to: target) }
        doc = children.reduce(UInt32.max) { min($0, $1.doc) }
        return doc != .max
    }

    override func score() -> Double {
        var total = 0.0
        if best {
            for child in children where child.doc == doc { total = max(total, child.score()) }
            return total
        }
        for child in children where child.doc == doc { total += child.score() }
        return total
    }

    override func matchedParts() -> Int {
        best ? 1 : children.reduce(0) { $0 + ($1.doc == doc ? 1 : 0) }
    }
}

/// All of the required matchers, none of the excluded ones; optional ones add to the score.
final class ConjunctionMatcher: Matcher {
    let required: [Matcher]
    let excluded: [Matcher]
    let optional: [Matcher]

    init(required: [Matcher], excluded: [Matcher], optional: [Matcher] = []) {
        self.required = required
        self.excluded = excluded
        self.optional = optional
        super.init()
        maxScore = required.reduce(0) { $0 + $1.maxScore } + optional.reduce(0) { $0 + $1.maxScore }
    }

    override func next() -> Bool {
        started = true
        guard required[0].next() else {
            doc = .max
            return false
        }
        return settle(from: required[0].doc)
    }

    override func advance(to target: UInt32) -> Bool {
        if started && doc >= target { return doc != .max }
        started = true
        guard required[0].advance(to: target) else {
            doc = .max
            return false
        }
        return settle(from: required[0].doc)
    }

    private func settle(from start: UInt32) -> Bool {
        var candidate = start
        outer: while candidate != .max {
            for matcher in required {
                guard matcher.advance(to: candidate) else { break outer }
                if matcher.doc != candidate {
                    candidate = matcher.doc
                    continue outer
                }
            }
            if excluded.contains(where: { $0.advance(to: candidate) && $0.doc == candidate }) {
                guard required[0].advance(to: candidate + 1) else { break }
                candidate = required[0].doc
                continue
            }
            doc = candidate
            return true
        }
        doc = .max
        return false
    }

    override func score() -> Double {
        var total = 0.0
        for matcher in required { total += matcher.score() }
        for matcher in optional where matcher.advance(to: doc) && matcher.doc == doc { total += matcher.score() }
        return total
    }
}

/// Every live document (for queries whose only positive part is a filter set elsewhere).
final class AllDocumentsMatcher: Matcher {
    private let count: UInt32
    private let deleted: [Bool]

    init(count: Int, deleted: [Bool]) {
        self.count = UInt32(count)
        self.deleted = deleted
    }

    override func next() -> Bool {
        var candidate = started ? doc + 1 : 0
        started = true
        while candidate < count && !deleted.isEmpty && deleted[Int(candidate)] { candidate += 1 }
        doc = candidate < count ? candidate : .max
        return doc != .max
    }

    override func advance(to target: UInt32) -> Bool {
        if started && doc >= target { return doc != .max }
        started = true
        doc = target == 0 ? 0 : target - 1
        var candidate = target
        while candidate < count && !deleted.isEmpty && deleted[Int(candidate)] { candidate += 1 }
        doc = candidate < count ? candidate : .max
        return doc != .max
    }
}

/// Never matches (a term the segment does not have).
final class EmptyMatcher: Matcher {
    override func next() -> Bool {
        started = true
        doc = .max
        return false
    }

    override func advance(to target: UInt32) -> Bool {
        started = true
        doc = .max
        return false
    }
}

import Foundation
/// Runs queries against an open index: resolves words to terms with collection-wide statistics, builds a
/// matcher per segment, collects the top hits (with MaxScore pruning when allowed), and cuts snippets.
public final class Searcher {
    public let index: SearchIndex
    private let parser: QueryParser
    private var analyzers: [Language: Analyzer] = [:]

    public init(index: SearchIndex) {
        self.index = index
        self.parser = QueryParser(schema: index.schema)
    }

    private func analyzer(_ language: Language) -> Analyzer {
        if let analyzer = analyzers[language] { return analyzer }
        let analyzer = Analyzer(language: language)
        analyzers[language] = analyzer
        return analyzer
    }

    /// Parses and runs `text`.
    public func search(_ text: String, options: SearchOptions = SearchOptions()) throws(QueryError) -> SearchResults {
        let query = try parser.parse(text, lastWordAsPrefix: options.lastWordAsPrefix)
        return search(query, options: options)
    }

    // MARK: Plans: the query resolved against the whole index

    indirect enum Plan {
        case term(String, idf: Double, boost: Double, mask: UInt8)
        /// Words at these offsets; `proximity` (quoted phrases): documents with the words near each other match too.
        case phrase([String], offsets: [Int], idf: Double, boost: Double, mask: UInt8, proximity: Bool)
        case filter(String)
        case any([Plan])
        /// The forms one word stands for (a compound's whole and its parts, its stems in other languages): any
        /// of them, scored as the best.
        case best([Plan])
        case all(required: [Plan], excluded: [Plan])
        case nothing
    }

    /// Dictionary entries looked up during the current search, per segment.
    private var lookups: [String: [TermInfo?]] = [:]

    private func lookup(_ term: String, segment position: Int) -> TermInfo? {
        if let cached = lookups[term] { return cached[position] }
        let infos = index.segments.map { $0.lookup(term) }
        lookups[term] = infos
        return infos[position]
    }

    private func documentFrequency(_ term: String) -> Int {
        var total = 0
        for (position, segment) in index.segments.enumerated() {
            guard let info = lookup(term, segment: position) else { continue }
            if index.deleted[position].isEmpty {
                total += info.documentFrequency
            } else {
                var cursor = segment.postings(info)
                while cursor.next() {
                    if !index.isDeleted(segment: position, doc: Int(cursor.doc)) { total += 1 }
                }
            }
        }
        return total
    }

    private var idfCache: [String: Double] = [:]

    private func idf(_ term: String) -> Double {
        if let cached = idfCache[term] { return cached }
        let value = BM25F.idf(documentCount: index.documentCount, documentFrequency: documentFrequency(term))
        idfCache[term] = value
        return value
    }

    private func mask(for field: String?) -> UInt8 {
        guard let field, let position = index.schema.textFieldIndex(field) else { return 0xFF }
        return 1 << position
    }

    /// The terms a word stands for in each query language: one term, or a compound's whole form or parts.
    private func wordPlan(_ word: String, field: String?, options: SearchOptions, boost: Double = 1) -> Plan {
        var variants: [Plan] = []
        var seen: Set<String> = []
        for language in options.languages {
            let tokens = analyzer(language).tokens(word)
            guard !tokens.isEmpty else { continue }
            let key = tokens.map { "\($0.term)@\($0.position)" }.joined(separator: " ")
            guard seen.insert(key).inserted else { continue }
            variants.append(tokensPlan(tokens, field: field, boost: boost))
        }
        switch variants.count {
        case 0: return .nothing
        case 1: return variants[0]
        default: return .best(variants)
        }
    }

    private func tokensPlan(_ tokens: [Analyzer.Token], field: String?, boost: Double) -> Plan {
        let mask = mask(for: field)
        if tokens.count == 1 { return .term(tokens[0].term, idf: idf(tokens[0].term), boost: boost, mask: mask) }
        // A compound: its whole (or joined) form, or its parts as a phrase.
        let first = tokens[0].position
        var wholes: [Analyzer.Token] = []
        var parts: [Analyzer.Token] = []
        for token in tokens {
            let samePosition = tokens.filter { $0.position == token.position }
            if samePosition.count > 1 && token.end - token.start > samePosition.map({ $0.end - $0.start }).min()! {
                wholes.append(token)
            } else {
                parts.append(token)
            }
        }
        var options: [Plan] = wholes.map { .term($0.term, idf: idf($0.term), boost: boost, mask: mask) }
        if parts.count == 1 {
            options.append(.term(parts[0].term, idf: idf(parts[0].term), boost: boost, mask: mask))
        } else if parts.count > 1 {
            options.append(.phrase(parts.map(\.term), offsets: parts.map { $0.position - first },
                                   idf: parts.reduce(0) { $0 + idf($1.term) }, boost: boost, mask: mask,
                                   proximity: false))
        }
        return options.count == 1 ? options[0] : .best(options)
    }

    /// Terms of the index that start with the folded form of `word` (or are its stem's prefix), most frequent
    /// first.
    private func prefixPlan(_ word: String, field: String?, options: SearchOptions) -> Plan {
        let folded = text(UnicodeFolding.removeDiacritics(UnicodeFolding.normalize(word.unicodeScalars.map(\.value))))
        guard !folded.isEmpty else { return .nothing }
        var terms: Set<String> = []
        for segment in index.segments {
            for entry in segment.terms(withPrefix: folded, limit: 512) { terms.insert(String(decoding: entry.term, as: UTF8.self)) }
        }
        // A stem shorter than what was typed ("escal" for "escalati") is what the typed word grows into.
        let bytes = Array(folded.utf8)
        if bytes.count > 3 {
            for cut in max(3, bytes.count - 3)..<bytes.count {
                let candidate = String(decoding: bytes[0..<cut], as: UTF8.self)
                if index.segments.contains(where: { $0.lookup(candidate) != nil }) { terms.insert(candidate) }
            }
        }
        let ranked = terms.sorted().map { ($0, documentFrequency($0)) }.filter { $0.1 > 0 }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.prefix(64)
        let mask = mask(for: field)
        let plans = ranked.map { Plan.term($0.0, idf: idf($0.0), boost: 1, mask: mask) }
        return plans.isEmpty ? .nothing : (plans.count == 1 ? plans[0] : .any(plans))
    }

    /// `word~`: the terms of the words the documents have within `distance` edits of the word as written (that
    /// share its first two or last two letters, as for typos), each at 1 / (1 + edits).
    private func fuzzyPlan(_ word: String, distance: Int, field: String?, options: SearchOptions) -> Plan {
        let typed = analyzer(options.languages.first ?? .english).literal(Substring(word))
        var found: [String: Int] = [:]
        for (word, d) in surfaces.near(typed, maxDistance: distance) where documentFrequency(word.term) > 0 {
            found[word.term] = min(found[word.term] ?? d, d)
        }
        let mask = mask(for: field)
        let plans = found.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }.map { term, d in
            Plan.term(term, idf: idf(term), boost: 1 / Double(1 + d), mask: mask)
        }
        return plans.isEmpty ? .nothing : (plans.count == 1 ? plans[0] : .any(plans))
    }

    /// Typo tolerance without asking: a plain word of five or more letters that no document has stands for the
    /// terms of the nearest words the documents have (one edit away, two for words of eight letters or more),
    /// each at a lower weight, 1 / (1 + edits). Words are compared as written, not stemmed (`refernce` finds
    /// `reference`), and only with words sharing the first two or the last two letters: every word one edit away
    /// from a word of five letters does, and it is what the browser script finds in its vocabulary files (grouped
    /// by those letters), so both give the same answers. In a compound (`SPI_execute_plan`) that no document has,
    /// each part no document has is corrected so, and the parts are then required as separate words. `shown` is
    /// the query word with each corrected part replaced by its nearest word (the one whose term is most frequent).
    func typoPlan(_ word: String, options: SearchOptions) -> (plan: Plan, shown: String)? {
        for language in options.languages {
            let tokens = analyzer(language).tokens(word)
            if tokens.count == 1 && documentFrequency(tokens[0].term) > 0 { return nil }
        }
        let analyzer = analyzer(options.languages.first ?? .english)
        let tokens = analyzer.tokens(word)
        let parts = Self.parts(of: tokens)
        guard !parts.isEmpty, !tokens.contains(where: { !parts.contains($0) && documentFrequency($0.term) > 0 }),
            parts.contains(where: { documentFrequency($0.term) == 0 })
        else { return nil }
        var plans: [Plan] = []
        var shown = Array(word.utf8)
        for part in parts.reversed() {
            if documentFrequency(part.term) > 0 {
                plans.insert(.term(part.term, idf: idf(part.term), boost: 1, mask: 0xFF), at: 0)
                continue
            }
            let typed = analyzer.literal(Substring(decoding: shown[part.start..<part.end], as: UTF8.self))
            guard let nearest = nearestWords(typed) else { return nil }
            let boost = 1 / Double(1 + nearest.distance)
            let alternatives = nearest.terms.map { Plan.term($0, idf: idf($0), boost: boost, mask: 0xFF) }
            plans.insert(alternatives.count == 1 ? alternatives[0] : .any(alternatives), at: 0)
            shown.replaceSubrange(part.start..<part.end, with: Array(nearest.shown.utf8))
        }
        return (plans.count == 1 ? plans[0] : .all(required: plans, excluded: []), String(decoding: shown, as: UTF8.self))
    }

    /// The tokens of a word that are its parts (one per position: the shortest), in order.
    static func parts(of tokens: [Analyzer.Token]) -> [Analyzer.Token] {
        var parts: [Analyzer.Token] = []
        for token in tokens {
            if let last = parts.last, last.position == token.position {
                if token.end - token.start < last.end - last.start { parts[parts.count - 1] = token }
            } else {
                parts.append(token)
            }
        }
        return parts
    }

    private lazy var surfaces = SurfaceVocabulary(index: index)

    /// For a typed word of five letters or more (see `typoPlan`): the terms of the nearest words, sorted, their
    /// distance, and the nearest word to show.
    private func nearestWords(_ typed: String) -> (terms: [String], distance: Int, shown: String)? {
        let length = typed.unicodeScalars.count
        guard length >= 5 else { return nil }
        let found = surfaces.near(typed, maxDistance: length >= 8 ? 2 : 1).filter { documentFrequency($0.word.term) > 0 }
        guard let distance = found.map(\.distance).min() else { return nil }
        let words = found.filter { $0.distance == distance }.map(\.word)
        let terms = Set(words.map(\.term)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let shown = words.max { a, b in
            let (x, y) = (documentFrequency(a.term), documentFrequency(b.term))
            return x != y ? x < y : Array(b.surface.utf8).lexicographicallyPrecedes(Array(a.surface.utf8))
        }!
        return (terms, distance, shown.surface)
    }

    private func plan(_ query: Query, options: SearchOptions) -> Plan {
        switch query {
        case .word(let word, let field, let prefix, let fuzzy):
            if prefix { return prefixPlan(word, field: field, options: options) }
            if fuzzy > 0 { return fuzzyPlan(word, distance: fuzzy, field: field, options: options) }
            return wordPlan(word, field: field, options: options)
        case .phrase(let words, let field):
            var tokens: [Analyzer.Token] = []
            var next = 0
            let analyzer = analyzer(options.languages.first ?? .english)
            for word in words {
                // Within a phrase every word contributes its parts in order.
                let wordTokens = analyzer.tokens(word)
                let positions = Set(wordTokens.map(\.position)).sorted()
                for position in positions {
                    let atPosition = wordTokens.filter { $0.position == position }
                    let part = atPosition.min { $0.end - $0.start < $1.end - $1.start }!
                    tokens.append(Analyzer.Token(term: part.term, position: next, start: part.start, end: part.end))
                    next += 1
                }
            }
            guard !tokens.isEmpty else { return .nothing }
            let mask = mask(for: field)
            if tokens.count == 1 { return .term(tokens[0].term, idf: idf(tokens[0].term), boost: 1, mask: mask) }
            return .phrase(tokens.map(\.term), offsets: tokens.map(\.position),
                           idf: tokens.reduce(0) { $0 + idf($1.term) }, boost: 1, mask: mask, proximity: true)
        case .filter(let field, let value):
            return .filter(SegmentWriter.keywordTerm(field: field, value: SegmentWriter.normalizeKeyword(value)))
        case .and(let parts):
            let required = parts.filter { if case .not = $0 { false } else { true } }.map { plan($0, options: options) }
            let excluded = parts.compactMap { part -> Plan? in
                if case .not(let inner) = part { return plan(inner, options: options) }
                return nil
            }
            return .all(required: required, excluded: excluded)
        case .or(let parts):
            return .any(parts.map { plan($0, options: options) })
        case .not(let inner):
            return .all(required: [], excluded: [plan(inner, options: options)])
        }
    }

    /// Every term a plan scores, for snippets.
    private func terms(of plan: Plan, into set: inout Set<String>) {
        switch plan {
        case .term(let term, _, _, _): set.insert(term)
        case .phrase(let terms, _, _, _, _, _): set.formUnion(terms)
        case .any(let parts), .best(let parts): for part in parts { terms(of: part, into: &set) }
        case .all(let required, _): for part in required { terms(of: part, into: &set) }
        case .filter, .nothing: break
        }
    }

    // MARK: Matchers: a plan on one segment

    private func matcher(_ plan: Plan, segment position: Int, scorer: SegmentScorer) -> Matcher {
        let segment = index.segments[position]
        let deleted = index.deleted[position]
        switch plan {
        case .term(let term, let idf, let boost, let mask):
            guard let info = lookup(term, segment: position), info.fieldMask & mask != 0 else { return EmptyMatcher() }
            return TermMatcher(cursor: segment.postings(info), scorer: scorer, weight: idf * boost, mask: mask,
                               deleted: deleted, info: info)
        case .phrase(let terms, let offsets, let idf, let boost, let mask, let proximity):
            var matchers: [TermMatcher] = []
            var maxTf = [Int](repeating: Int.max, count: segment.fieldCount)
            var minLength = [Int](repeating: 0, count: segment.fieldCount)
            for term in terms {
                guard let info = lookup(term, segment: position) else { return EmptyMatcher() }
                matchers.append(TermMatcher(cursor: segment.postings(info), scorer: nil, weight: 0, mask: 0xFF,
                                            deleted: deleted, info: info))
                for field in 0..<segment.fieldCount {
                    maxTf[field] = min(maxTf[field], info.maxTf[field])
                    minLength[field] = max(minLength[field], info.minLength[field])
                }
            }
            return PhraseMatcher(terms: matchers, offsets: offsets, proximity: proximity, scorer: scorer,
                                 weight: idf * boost, mask: mask,
                                 maxScore: scorer.bound(maxTf: maxTf, minLength: minLength, mask: mask, weight: idf * boost))
        case .filter(let term):
            guard let info = lookup(term, segment: position) else { return EmptyMatcher() }
            return TermMatcher(cursor: segment.postings(info), scorer: nil, weight: 0, mask: 0xFF, deleted: deleted,
                               info: info)
        case .any(let parts):
            let children = parts.map { matcher($0, segment: position, scorer: scorer) }.filter { !($0 is EmptyMatcher) }
            if children.isEmpty { return EmptyMatcher() }
            return children.count == 1 ? children[0] : DisjunctionMatcher(children)
        case .best(let parts):
            let children = parts.map { matcher($0, segment: position, scorer: scorer) }.filter { !($0 is EmptyMatcher) }
            if children.isEmpty { return EmptyMatcher() }
            return children.count == 1 ? children[0] : DisjunctionMatcher(children, best: true)
        case .all(let required, let excluded):
            var positive = required.map { matcher($0, segment: position, scorer: scorer) }
            if positive.contains(where: { $0 is EmptyMatcher }) { return EmptyMatcher() }
            if positive.isEmpty { positive = [AllDocumentsMatcher(count: segment.documentCount, deleted: deleted)] }
            let negative = excluded.map { matcher($0, segment: position, scorer: scorer) }.filter { !($0 is EmptyMatcher) }
            // Lead with the most selective part.
            return ConjunctionMatcher(required: positive, excluded: negative)
        case .nothing:
            return EmptyMatcher()
        }
    }

    // MARK: Synonyms

    /// The words of a plain query in runs: each longest run that spells one of a synonym group's entries (its
    /// words folded as the index folds them) is one segment with its group; every other word is a segment alone.
    private func synonymSegments(_ words: [String], options: SearchOptions) -> [(words: [String], group: Int?)] {
        guard !options.synonyms.isEmpty else { return words.map { ([$0], nil) } }
        let analyzer = analyzer(options.languages.first ?? .english)
        func key(_ words: [String]) -> String { words.map { analyzer.literal(Substring($0)) }.joined(separator: " ") }
        var groups: [String: Int] = [:]
        var longest = 1
        for (index, group) in options.synonyms.enumerated() {
            for entry in group {
                let entryWords = Self.synonymWords(entry)
                guard !entryWords.isEmpty else { continue }
                longest = max(longest, entryWords.count)
                groups[key(entryWords)] = groups[key(entryWords)] ?? index
            }
        }
        var segments: [(words: [String], group: Int?)] = []
        var start = 0
        while start < words.count {
            var matched = false
            for length in stride(from: min(longest, words.count - start), through: 1, by: -1) {
                let run = Array(words[start..<(start + length)])
                if let group = groups[key(run)] {
                    segments.append((run, group))
                    start += length
                    matched = true
                    break
                }
            }
            if !matched {
                segments.append(([words[start]], nil))
                start += 1
            }
        }
        return segments
    }

    /// An entry of a synonym group as words: `write-ahead log` → `write-ahead`, `log`.
    static func synonymWords(_ entry: String) -> [String] {
        entry.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    }

    /// Any entry of the group, scored as the best: a word as a word is searched, several words as a phrase.
    private func synonymPlan(_ group: Int, options: SearchOptions) -> Plan {
        let plans = options.synonyms[group].compactMap { entry -> Plan? in
            let words = Self.synonymWords(entry)
            if words.isEmpty { return nil }
            return words.count == 1 ? wordPlan(words[0], field: nil, options: options)
                : plan(.phrase(words, field: nil), options: options)
        }
        return plans.count == 1 ? plans[0] : .best(plans)
    }

    // MARK: Running

    private struct Candidate {
        var score: Double
        var parts: Int
        /// Under coordination, how many of the query's words the page has.
        var matched: Int
        var segment: Int
        var doc: Int
        var id: String?
    }

    /// Runs a parsed query.
    public func search(_ query: Query, options: SearchOptions = SearchOptions()) -> SearchResults {
        idfCache = [:]
        lookups = [:]
        var notice: String?
        var root: Plan
        var bareWords: [String]
        // A question in the user's own words: ranked over any of its words, then by how many it has.
        var loose: (plan: Plan, words: [String])?
        // The parts of a plain-word query, for the "most words" fallback: its content words and synonym groups.
        var fallback: [(shown: String, plan: Plan)] = []
        if query.isBareWords {
            bareWords = Self.words(of: query)
            // Stop words do not narrow or rank a query of plain words, unless it has nothing else.
            let language = options.languages.first ?? .english
            let isStop = { (word: String) in
                self.analyzer(language).tokens(word).allSatisfy { self.analyzer(language).isStopTerm($0.term) }
            }
            let segments = synonymSegments(bareWords, options: options)
            let meaningful = segments.filter { $0.group != nil || !isStop($0.words[0]) }
            let used = meaningful.isEmpty ? segments : meaningful
            var corrected: [String] = []
            var anyCorrected = false
            var required: [Plan] = []
            for segment in used {
                if let group = segment.group {
                    let plan = synonymPlan(group, options: options)
                    required.append(plan)
                    corrected.append(segment.words.joined(separator: " "))
                } else if let typo = typoPlan(segment.words[0], options: options) {
                    required.append(typo.plan)
                    corrected.append(typo.shown)
                    anyCorrected = true
                } else {
                    required.append(wordPlan(segment.words[0], field: nil, options: options))
                    corrected.append(segment.words[0])
                }
            }
            fallback = meaningful.map { segment in
                let shown = segment.words.joined(separator: " ")
                return (shown, segment.group.map { synonymPlan($0, options: options) }
                    ?? wordPlan(segment.words[0], field: nil, options: options))
            }
            if anyCorrected { notice = "Showing results for \(corrected.joined(separator: " "))." }
            root = .all(required: required, excluded: [])
            if required.count >= Ranking.looseWords { loose = (.any(required), corrected) }
        } else {
            root = plan(query, options: options)
        }
        let filters = filterPlans(options)
        var results: Run
        if let loose {
            results = run(loose.plan, filters: filters, options: options, rankByParts: false,
                          coordination: loose.words.count)
            if !results.candidates.isEmpty, !results.candidates.contains(where: { $0.matched == loose.words.count }) {
                notice = (notice.map { $0 + " " } ?? "")
                    + "No result has all of: \(loose.words.joined(separator: ", ")); showing the closest."
            }
        } else {
            results = run(root, filters: filters, options: options, rankByParts: false)
        }
        // Decided on the candidates when the count is not kept (pruning without facets): no candidate, no match.
        let nothing = results.total.map { $0 == 0 } ?? results.candidates.isEmpty
        if nothing && query.isBareWords && loose == nil {
            if fallback.count >= 2 {
                // No page has every word: rank pages by how many they have, then by score.
                let any = Plan.any(fallback.map(\.plan))
                var looser = options
                looser.pruning = false
                results = run(any, filters: filters, options: looser, rankByParts: true)
                results.rankedByParts = any
                if !results.candidates.isEmpty {
                    notice = "No page has all of: \(fallback.map(\.shown).joined(separator: ", ")); showing the closest."
                }
            }
        }
        var termSet: Set<String> = []
        terms(of: root, into: &termSet)
        var hits = results.candidates.map { hit(for: $0, terms: termSet, options: options) }
        if options.explain {
            let scored = loose?.plan ?? (results.rankedByParts ?? root)
            for (index, candidate) in results.candidates.enumerated() {
                hits[index].explanation = explanation(of: candidate, plan: scored, words: loose?.words.count,
                                                      options: options)
            }
        }
        var suggestion: String?
        if hits.isEmpty && options.suggestions { suggestion = suggest(query, options: options) }
        return SearchResults(query: query, hits: hits, total: results.total, facets: results.facets,
                             suggestion: suggestion, notice: notice)
    }

    private func filterPlans(_ options: SearchOptions) -> [Plan] {
        options.filters.sorted { $0.key < $1.key }.map { field, values in
            let plans = values.map { Plan.filter(SegmentWriter.keywordTerm(field: field, value: SegmentWriter.normalizeKeyword($0))) }
            return plans.count == 1 ? plans[0] : .any(plans)
        }
    }

    private static func words(of query: Query) -> [String] {
        switch query {
        case .word(let word, _, _, _): return [word]
        case .and(let parts): return parts.flatMap(words)
        default: return []
        }
    }

    private struct Run {
        var candidates: [Candidate]
        var total: Int?
        var facets: [String: [(value: String, count: Int)]]
        /// The plan that ranked the candidates when it was the "most words" fallback.
        var rankedByParts: Plan?
    }

    /// Every match of `root` that passes `filters`, best first. `coordination`: the root is a disjunction of
    /// that many query words, and a page with fewer of them loses by `Ranking.coordinationFactor`.
    private func run(_ root: Plan, filters: [Plan], options: SearchOptions, rankByParts: Bool,
                     coordination: Int? = nil) -> Run {
        let limit = max(options.limit, 0)
        var top: [Candidate] = []
        var total = 0
        var counts: [String: [String: Int]] = [:]
        let exhaustive = options.facets || !options.pruning || rankByParts
        let bm25 = BM25F(k1: options.k1, b: options.b, weights: index.schema.textFields.map(\.weight))
        for (position, segment) in index.segments.enumerated() {
            let scorer = SegmentScorer(bm25: bm25, segment: segment, averages: index.averageFieldLengths,
                                       indexWeights: index.schema.textFields.map(\.weight))
            let rootMatcher = matcher(root, segment: position, scorer: scorer)
            var matcher = rootMatcher
            if matcher is EmptyMatcher { continue }
            if !filters.isEmpty {
                let filterMatchers = filters.map { self.matcher($0, segment: position, scorer: scorer) }
                if filterMatchers.contains(where: { $0 is EmptyMatcher }) { continue }
                matcher = ConjunctionMatcher(required: [matcher] + filterMatchers, excluded: [])
            }
            if !exhaustive, let disjunction = matcher as? DisjunctionMatcher, !disjunction.best {
                collectWithMaxScore(disjunction, segment: position, limit: limit, coordination: coordination, into: &top)
                continue
            }
            // (Under coordination a segment where one word alone is left still wants its factor: scored below.)
            if !exhaustive, coordination == nil, let terms = Self.termConjunction(matcher) {
                collectWithBlockMax(terms, segment: position, limit: limit, into: &top)
                continue
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
    private func isBetter(_ a: Candidate, _ b: Candidate) -> Bool {
        if a.parts != b.parts { return a.parts > b.parts }
        if a.score != b.score { return a.score > b.score }
        return (a.id ?? "") < (b.id ?? "")
    }

    /// Keeps `top` as the best `limit` candidates, worst last.
    private func offer(_ candidate: Candidate, limit: Int, to top: inout [Candidate]) {
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
    private func collectWithMaxScore(_ root: DisjunctionMatcher, segment: Int, limit: Int, coordination: Int?,
                                     into top: inout [Candidate]) {
        let parts = root.children.sorted { $0.maxScore < $1.maxScore }
        var prefixBounds = [Double](repeating: 0, count: parts.count + 1)
        for (index, part) in parts.enumerated() { prefixBounds[index + 1] = prefixBounds[index] + part.maxScore }
        for part in parts { _ = part.next() }
        var threshold = top.count == limit ? top[top.count - 1].score : -1
        var essentialStart = 0
        while essentialStart < parts.count && prefixBounds[essentialStart + 1] < threshold { essentialStart += 1 }
        while essentialStart < parts.count {
            var doc = UInt32.max
            for index in essentialStart..<parts.count where parts[index].doc < doc { doc = parts[index].doc }
            if doc == .max { break }
            var score = 0.0
            var matched = 0
            for index in essentialStart..<parts.count where parts[index].doc == doc {
                score += parts[index].score()
                matched += 1
                _ = parts[index].next()
            }
            var index = essentialStart - 1
            var pruned = false
            while index >= 0 {
                if score + prefixBounds[index + 1] < threshold {
                    pruned = true
                    break
                }
                if parts[index].advance(to: doc) && parts[index].doc == doc {
                    score += parts[index].score()
                    matched += 1
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

    /// The terms of a plain conjunction of terms (or a single term), the common query, else nil.
    private static func termConjunction(_ matcher: Matcher) -> [TermMatcher]? {
        if let term = matcher as? TermMatcher { return [term] }
        guard let conjunction = matcher as? ConjunctionMatcher, conjunction.excluded.isEmpty,
            conjunction.optional.isEmpty
        else { return nil }
        var terms: [TermMatcher] = []
        for part in conjunction.required {
            if let term = part as? TermMatcher {
                terms.append(term)
            } else if let nested = termConjunction(part) {
                terms.append(contentsOf: nested)
            } else {
                return nil
            }
        }
        return terms
    }

    /// Block-max: before decoding a run of documents, add up the highest score each term can reach in the block
    /// that covers them (from the block headers); when that cannot beat the current top hits, the whole run is
    /// skipped without decoding a document.
    private func collectWithBlockMax(_ terms: [TermMatcher], segment: Int, limit: Int, into top: inout [Candidate]) {
        // The k-th best score so far (nothing can be pruned until there are k). Kept in a local, not computed
        // from `top` by a closure: a closure over an inout parameter costs a dynamic exclusivity check per use.
        var threshold = top.count == limit ? top[top.count - 1].score : -1
        var candidate: UInt32 = 0
        // Lead with the rarest term. The loops read the terms through a buffer pointer: iterating the array would
        // retain and release every matcher on every document.
        let sorted = terms.sorted { $0.maxScore > $1.maxScore }
        sorted.withUnsafeBufferPointer { ordered in
            while candidate != .max {
                var upTo = UInt32.max
                var bound = 0.0
                for index in 0..<ordered.count {
                    guard let block = ordered[index].blockBound(at: candidate) else { return }
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
                        let term = ordered[index]
                        guard term.advance(to: doc) else { return }
                        if term.doc != doc {
                            doc = term.doc
                            if doc > upTo { break scan }
                            continue scan
                        }
                    }
                    var score = 0.0
                    for index in 0..<ordered.count { score += ordered[index].score() }
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

    // MARK: Hits and snippets

    private func hit(for candidate: Candidate, terms: Set<String>, options: SearchOptions) -> SearchHit {
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
    private func explanation(of candidate: Candidate, plan: Plan, words: Int?, options: SearchOptions) -> Explanation {
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

    private func suggest(_ query: Query, options: SearchOptions) -> String? {
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

    private static func allWords(of query: Query) -> [String] {
        switch query {
        case .word(let word, _, _, _): return [word]
        case .phrase(let words, _): return words
        case .and(let parts), .or(let parts): return parts.flatMap(allWords)
        default: return []
        }
    }
}

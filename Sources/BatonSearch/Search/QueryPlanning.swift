/// Query planning: a parsed query resolved against the whole index into a plan of terms, phrases, filters and
/// their combinations, with collection-wide statistics, typo and prefix expansion, and synonyms.
extension Searcher {
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


    func lookup(_ term: String, segment position: Int) -> TermInfo? {
        if let cached = lookups[term] { return cached[position] }
        let infos = index.segments.map { $0.lookup(term) }
        lookups[term] = infos
        return infos[position]
    }

    func documentFrequency(_ term: String) -> Int {
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


    func idf(_ term: String) -> Double {
        if let cached = idfCache[term] { return cached }
        let value = BM25F.idf(documentCount: index.documentCount, documentFrequency: documentFrequency(term))
        idfCache[term] = value
        return value
    }

    func mask(for field: String?) -> UInt8 {
        guard let field, let position = index.schema.textFieldIndex(field) else { return 0xFF }
        return 1 << position
    }

    /// The terms a word stands for in each query language: one term, or a compound's whole form or parts.
    func wordPlan(_ word: String, field: String?, options: SearchOptions, boost: Double = 1) -> Plan {
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

    func tokensPlan(_ tokens: [Analyzer.Token], field: String?, boost: Double) -> Plan {
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
    func prefixPlan(_ word: String, field: String?, options: SearchOptions) -> Plan {
        let folded = text(UnicodeFolding.removeDiacritics(UnicodeFolding.normalize(word.unicodeScalars.map(\.value))))
        guard !folded.isEmpty else { return .nothing }
        // The first `Ranking.prefixTerms` terms in byte order that some live page has, over the whole index (as
        // the browser reads them from its export).
        var found: Set<String> = []
        for segment in index.segments {
            for entry in segment.terms(withPrefix: folded, limit: Ranking.prefixTerms) {
                found.insert(String(decoding: entry.term, as: UTF8.self))
            }
        }
        func byBytes(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
        var terms = Set(found.filter { documentFrequency($0) > 0 }.sorted(by: byBytes).prefix(Ranking.prefixTerms))
        // A stem shorter than what was typed ("escal" for "escalati") is what the typed word grows into.
        let bytes = Array(folded.utf8)
        if bytes.count > 3 {
            for cut in max(3, bytes.count - 3)..<bytes.count {
                let candidate = String(decoding: bytes[0..<cut], as: UTF8.self)
                if index.segments.contains(where: { $0.lookup(candidate) != nil }) { terms.insert(candidate) }
            }
        }
        let ranked = terms.map { ($0, documentFrequency($0)) }.filter { $0.1 > 0 }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : byBytes($0.0, $1.0) }.prefix(Ranking.prefixVariants)
        let mask = mask(for: field)
        let plans = ranked.map { Plan.term($0.0, idf: idf($0.0), boost: 1, mask: mask) }
        return plans.isEmpty ? .nothing : (plans.count == 1 ? plans[0] : .any(plans))
    }

    /// `word~`: the terms of the words the documents have within `distance` edits of the word as written (that
    /// share its first two or last two letters, as for typos), each at 1 / (1 + edits).
    func fuzzyPlan(_ word: String, distance: Int, field: String?, options: SearchOptions) -> Plan {
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


    /// For a typed word of five letters or more (see `typoPlan`): the terms of the nearest words, sorted, their
    /// distance, and the nearest word to show.
    func nearestWords(_ typed: String) -> (terms: [String], distance: Int, shown: String)? {
        let length = typed.unicodeScalars.count
        guard length >= Ranking.typoMinimumLetters else { return nil }
        let found = surfaces.near(typed, maxDistance: length >= Ranking.typoTwoEdits ? 2 : 1)
            .filter { documentFrequency($0.word.term) > 0 }
        guard let distance = found.map(\.distance).min() else { return nil }
        let words = found.filter { $0.distance == distance }.map(\.word)
        let terms = Set(words.map(\.term)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        let shown = words.max { a, b in
            let (x, y) = (documentFrequency(a.term), documentFrequency(b.term))
            return x != y ? x < y : Array(b.surface.utf8).lexicographicallyPrecedes(Array(a.surface.utf8))
        }!
        return (terms, distance, shown.surface)
    }

    func plan(_ query: Query, options: SearchOptions) -> Plan {
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
    func terms(of plan: Plan, into set: inout Set<String>) {
        switch plan {
        case .term(let term, _, _, _): set.insert(term)
        case .phrase(let terms, _, _, _, _, _): set.formUnion(terms)
        case .any(let parts), .best(let parts): for part in parts { terms(of: part, into: &set) }
        case .all(let required, _): for part in required { terms(of: part, into: &set) }
        case .filter, .nothing: break
        }
    }

    // MARK: Synonyms

    /// The words of a plain query in runs: each longest run that spells one of a synonym group's entries (its
    /// words folded as the index folds them) is one segment with its group; every other word is a segment alone.
    func synonymSegments(_ words: [String], options: SearchOptions) -> [(words: [String], group: Int?)] {
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
    func synonymPlan(_ group: Int, options: SearchOptions) -> Plan {
        let plans = options.synonyms[group].compactMap { entry -> Plan? in
            let words = Self.synonymWords(entry)
            if words.isEmpty { return nil }
            return words.count == 1 ? wordPlan(words[0], field: nil, options: options)
                : plan(.phrase(words, field: nil), options: options)
        }
        return plans.count == 1 ? plans[0] : .best(plans)
    }
}

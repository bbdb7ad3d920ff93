/// Every word of the documents as written (lower-cased and folded, not stemmed) with the term it analyses to,
/// grouped by its first two and by its last two letters: what typo tolerance compares a misspelt word with.
/// Comparing written words rather than stems finds `reference` for `refernce` although their stems (`refer`,
/// `refernc`) are far apart. The browser export writes the same groups, so the script finds the same words.
public struct SurfaceVocabulary {
    struct Word: Equatable {
        var surface: String
        var term: String
    }

    /// Group key (`<` + first two letters, or `>` + last two) → words, each surface once, in the order first met.
    private(set) var groups: [String: [Word]] = [:]
    /// Every word once, in the order first met (segments, documents, fields, text).
    private(set) var words: [Word] = []

    static let minimumLength = 3

    /// A word as written (its UTF-8 bytes) the first time the index writer met it, with its language and term
    /// (see `IndexWriter.recordsSurfaces`).
    public struct Written: Sendable {
        var language: Language
        var bytes: [UInt8]
        var term: String
        /// The document it was met in: its number in the order added.
        var document: Int32 = 0
        /// Its folded form, when known (`init(recorded:)` folds it otherwise).
        var surface: String?
    }

    /// The same words as `init(index:)` finds, from what the writer recorded while it analysed the documents
    /// (their first meetings, in order): each spelling once, folded once (an entry that carries its folded form
    /// is not folded again). `surfaces`: each spelling's folded form, in the order first met.
    ///
    /// `distinct`: no two entries have the same bytes (they need not be told apart again).
    init(recorded: [Written], distinct: Bool = false) {
        var seen: Set<String> = []
        var writtenSeen: Set<[UInt8]> = []
        var analyzers: [Language: Analyzer] = [:]
        for (index, entry) in recorded.enumerated() where distinct || writtenSeen.insert(entry.bytes).inserted {
            firsts.append(Int32(index))
            let surface: String
            if let folded = entry.surface {
                surface = folded
            } else {
                let analyzer = analyzers[entry.language] ?? Analyzer(language: entry.language)
                analyzers[entry.language] = analyzer
                surface = analyzer.literal(Substring(decoding: entry.bytes, as: UTF8.self))
            }
            surfaces.append(surface)
            guard seen.insert(surface).inserted else { continue }
            words.append(Word(surface: surface, term: entry.term))
        }
    }

    /// Each spelling's folded form, in the order first met (made by `init(recorded:)`), and the number of the
    /// entry it was first recorded by.
    private(set) var surfaces: [String] = []
    private(set) var firsts: [Int32] = []

    /// `grouped`: also fill `groups` (the browser export groups the words itself, and needs only `words`).
    init(index: SearchIndex, grouped: Bool = true) {
        var seen: Set<String> = []
        var writtenSeen: Set<Substring> = []
        var analyzers: [Language: Analyzer] = [:]
        // A compound (a word with its joined parts) analysed once in a language gives the same tokens every time:
        // most come again and again, so each is analysed only the first time it is met.
        var compoundsSeen: [Language: CompoundCache<Void>] = [:]
        for (position, segment) in index.segments.enumerated() {
            for doc in 0..<segment.documentCount where !index.isDeleted(segment: position, doc: doc) {
                let stored = segment.storedDocument(doc)
                let analyzer = analyzers[stored.language] ?? Analyzer(language: stored.language)
                analyzers[stored.language] = analyzer
                // Taken out while in use, so that adding to it does not copy it.
                var compounds = compoundsSeen.removeValue(forKey: stored.language) ?? CompoundCache()
                for text in stored.text {
                    _ = analyzer.scan(text, firstPosition: 0) { bytes, compound, position in
                        guard compounds.isNew(bytes, compound.start..<compound.end) else { return position }
                        return analyzer.emit(compound, in: bytes, position: position) { token in
                            guard !token.term.isEmpty else { return }
                            // Each spelling is folded once.
                            let written = Substring(decoding: UnsafeBufferPointer(rebasing: bytes[token.start..<token.end]), as: UTF8.self)
                            guard writtenSeen.insert(written).inserted else { return }
                            let surface = analyzer.literal(written)
                            guard seen.insert(surface).inserted else { return }
                            let word = Word(surface: surface, term: token.term)
                            words.append(word)
                            guard grouped else { return }
                            for key in Self.keys(surface) { groups[key, default: []].append(word) }
                        }
                    }
                }
                compoundsSeen[stored.language] = compounds
            }
        }
    }

    /// The group keys of a word: its first two and its last two letters (none for words shorter than three).
    static func keys(_ surface: String) -> [String] {
        let utf8 = surface.utf8
        if utf8.count >= minimumLength && utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII (most words): a letter is a byte.
            let bytes = Array(utf8)
            return ["<" + String(decoding: bytes[0..<2], as: UTF8.self),
                    ">" + String(decoding: bytes[(bytes.count - 2)...], as: UTF8.self)]
        }
        let scalars = Array(surface.unicodeScalars)
        guard scalars.count >= minimumLength else { return [] }
        return ["<" + String(String.UnicodeScalarView(scalars.prefix(2))),
                ">" + String(String.UnicodeScalarView(scalars.suffix(2)))]
    }

    /// The words within `maxDistance` edits of `typed` (a folded, lower-cased word) that share its first two or
    /// last two letters, with their distance.
    func near(_ typed: String, maxDistance: Int) -> [(word: Word, distance: Int)] {
        let scalars = Array(typed.unicodeScalars)
        guard scalars.count >= 2 else { return [] }
        let target = Array(typed.utf8)
        var result: [(Word, Int)] = []
        var checked: Set<String> = []
        for key in ["<" + String(String.UnicodeScalarView(scalars.prefix(2))),
                    ">" + String(String.UnicodeScalarView(scalars.suffix(2)))] {
            for word in groups[key] ?? [] where checked.insert(word.surface).inserted {
                let distance = editDistance(target, Array(word.surface.utf8), maximum: maxDistance)
                if distance <= maxDistance { result.append((word, distance)) }
            }
        }
        return result
    }
}

/// Optimal string alignment distance between two byte strings (insertions, deletions, substitutions and swaps of
/// neighbours each count one), or `maximum + 1` as soon as it must exceed `maximum`.
func editDistance(_ a: [UInt8], _ b: [UInt8], maximum: Int) -> Int {
    if abs(a.count - b.count) > maximum { return maximum + 1 }
    var twoAbove: [Int] = []
    var above = Array(0...b.count)
    for i in 1...max(a.count, 1) where i <= a.count {
        var row = [i]
        row.reserveCapacity(b.count + 1)
        var best = i
        for j in 1...max(b.count, 1) where j <= b.count {
            var value = min(above[j] + 1, row[j - 1] + 1, above[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            if i >= 2 && j >= 2 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] { value = min(value, twoAbove[j - 2] + 1) }
            row.append(value)
            best = min(best, value)
        }
        if best > maximum && (above.min() ?? 0) >= maximum { return maximum + 1 }
        twoAbove = above
        above = row
    }
    return above[b.count]
}

/// Turns text into index terms: finds words (letters and digits of any script), normalises them (NFKC, lower
/// case), stems them with the language's Snowball stemmer and folds diacritics.
///
/// Words joined by `.` or `_` (`json.dumps`, `max_connections`) are indexed whole and as their parts; words joined
/// by hyphens (`hand-off`, `e-mail`) as their parts and as the joined word, so every spelling finds the others.
/// Parts take consecutive positions; the whole or joined form shares the first part's position.
///
/// An analyzer caches the terms of words it has seen; make one per thread.
public final class Analyzer {
    public let language: Language
    private let stemmer: Stemmer
    private var cache: [Substring: String] = [:]
    private let stopTerms: Set<String>

    /// Words whose terms the cache keeps at most: past it, it starts again (an index writer keeps its analyzers
    /// from flush to flush, and a large vocabulary must not grow it without bound).
    static let cacheLimit = 1 << 17

    /// Words longer than this many bytes are not indexed (hashes, base64 and other noise).
    static let maximumWordBytes = 64

    public init(language: Language) {
        self.language = language
        self.stemmer = Stemmer(language: language)
        var stops: Set<String> = []
        let plain = Analyzer(language: language, stemmer: Stemmer(language: language))
        for word in StopWords.words(for: language) { stops.insert(plain.term(for: Substring(word))) }
        self.stopTerms = stops
    }

    private init(language: Language, stemmer: Stemmer) {
        self.language = language
        self.stemmer = stemmer
        self.stopTerms = []
    }

    /// Whether `term` (an analysed term) is one of the language's stop words.
    public func isStopTerm(_ term: String) -> Bool { stopTerms.contains(term) }

    /// One term found in text.
    public struct Token: Sendable, Equatable {
        public var term: String
        /// Word position: consecutive words have consecutive positions.
        public var position: Int
        /// Byte offsets of the word (or compound) in the UTF-8 text.
        public var start: Int
        public var end: Int
    }

    /// The tokens of `text`, positions counted from `firstPosition`; returns the position after the last word.
    @discardableResult
    public func analyze(_ text: String, firstPosition: Int = 0, _ emit: (Token) -> Void) -> Int {
        var position = firstPosition
        var utf8 = text
        utf8.withUTF8 { bytes in
            var scanner = WordScanner(bytes: bytes)
            while let compound = scanner.next() {
                position = emitCompound(compound, in: bytes, position: position, emit)
            }
        }
        return position
    }

    /// Walks the compounds of `text` with their byte ranges, for callers that resolve words themselves (the
    /// index writer's interner); `visit` returns the position after the compound. Returns the next position.
    func scan(
        _ text: String, firstPosition: Int,
        _ visit: (_ bytes: UnsafeBufferPointer<UInt8>, _ compound: WordScanner.Compound, _ position: Int) -> Int
    ) -> Int {
        var position = firstPosition
        var utf8 = text
        utf8.withUTF8 { bytes in
            var scanner = WordScanner(bytes: bytes)
            while let compound = scanner.next() {
                position = visit(bytes, compound, position)
            }
        }
        return position
    }

    /// Emits the tokens of one compound found by `scan`; returns the position after it.
    func emit(
        _ compound: WordScanner.Compound, in bytes: UnsafeBufferPointer<UInt8>, position: Int, _ emit: (Token) -> Void
    ) -> Int {
        emitCompound(compound, in: bytes, position: position, emit)
    }

    /// All tokens of `text` in an array.
    public func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        analyze(text) { result.append($0) }
        return result
    }

    private func emitCompound(
        _ compound: WordScanner.Compound, in bytes: UnsafeBufferPointer<UInt8>, position: Int,
        _ emit: (Token) -> Void
    ) -> Int {
        let parts = compound.parts
        var next = position
        var partTerms: [String] = []
        partTerms.reserveCapacity(parts.count)
        for part in parts {
            let word = Substring(decoding: UnsafeBufferPointer(rebasing: bytes[part]), as: UTF8.self)
            let term = part.count <= Self.maximumWordBytes ? term(for: word) : ""
            partTerms.append(term)
        }
        if parts.count > 1 {
            let whole = compound.start..<compound.end
            let allDigits = parts.allSatisfy { part in bytes[part].allSatisfy { $0 >= 48 && $0 <= 57 } }
            if compound.hasIdentifierJoiner || allDigits {
                // json.dumps, max_connections, 3.11, 2026-11-22: the whole as written, lower-cased and folded.
                if whole.count <= Self.maximumWordBytes {
                    let word = Substring(decoding: UnsafeBufferPointer(rebasing: bytes[whole]), as: UTF8.self)
                    emit(Token(term: literal(word), position: position, start: whole.lowerBound, end: whole.upperBound))
                }
            } else if compound.hasHyphen {
                // hand-off, e-mail: also the joined word.
                let joined = parts.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
                    .joined()
                if joined.utf8.count <= Self.maximumWordBytes {
                    emit(Token(term: term(for: Substring(joined)), position: position, start: whole.lowerBound,
                               end: whole.upperBound))
                }
            }
        }
        for (index, part) in parts.enumerated() {
            if !partTerms[index].isEmpty {
                emit(Token(term: partTerms[index], position: next, start: part.lowerBound, end: part.upperBound))
            }
            next += 1
        }
        return next
    }

    /// The term for one word: normalised, stemmed (when it has letters) and folded. Cached.
    public func term(for word: Substring) -> String {
        if let cached = cache[word] { return cached }
        if word.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII (most words): lower-case the bytes, stem, drop apostrophes; no Unicode tables needed.
            var hasLetter = false
            var bytes: [UInt8] = []
            bytes.reserveCapacity(word.utf8.count)
            for byte in word.utf8 {
                let lower = byte &- 65 < 26 ? byte + 32 : byte
                if lower &- 97 < 26 { hasLetter = true }
                bytes.append(lower)
            }
            var result = String(decoding: bytes, as: UTF8.self)
            if hasLetter { result = stemmer.stem(result) }
            if result.utf8.contains(UInt8(ascii: "'")) { result.removeAll { $0 == "'" } }
            remember(word, result)
            return result
        }
        var scalars = UnicodeFolding.normalize(word.unicodeScalars.map { $0.value == 0x2019 ? 0x27 : $0.value })
        let hasLetter = scalars.contains { value in
            (value >= 97 && value <= 122) || (value >= 128 && (Unicode.Scalar(value)?.properties.isAlphabetic ?? false))
        }
        if hasLetter {
            let stemmed = stemmer.stem(text(scalars))
            scalars = stemmed.unicodeScalars.map(\.value)
        }
        // Apostrophes never survive into a term (o'neil → oneil, l'homme already elided by French).
        let folded = UnicodeFolding.removeDiacritics(scalars).filter { $0 != 0x27 }
        let result = text(folded)
        remember(word, result)
        return result
    }

    private func remember(_ word: Substring, _ term: String) {
        if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
        cache[word] = term
    }

    /// A compound kept whole (identifiers, numbers): normalised and folded, not stemmed.
    func literal(_ word: Substring) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: no pair composes and nothing folds; normalising only lower-cases.
            return String(decoding: word.utf8.map { $0 &- 65 < 26 ? $0 + 32 : $0 }, as: UTF8.self)
        }
        return text(UnicodeFolding.removeDiacritics(UnicodeFolding.normalize(word.unicodeScalars.map(\.value))))
    }
}

/// Finds compounds in UTF-8 text: runs of word characters joined by single `'`, `’`, `.`, `_` or `-`.
struct WordScanner {
    struct Compound {
        var start: Int
        var end: Int
        /// Byte ranges of the parts between `.`, `_` and `-` joiners (apostrophes stay inside a part).
        var parts: Parts
        var hasIdentifierJoiner: Bool
        var hasHyphen: Bool
    }

    /// A compound's parts: up to four held inline, so that a word costs no allocation and no reference counting
    /// (the scanner runs once per word of every indexed document); more only in an array.
    struct Parts: RandomAccessCollection {
        private var inline: (Range<Int>, Range<Int>, Range<Int>, Range<Int>) = (0..<0, 0..<0, 0..<0, 0..<0)
        private var overflow: [Range<Int>]?
        private(set) var count = 0

        var startIndex: Int { 0 }
        var endIndex: Int { count }

        subscript(position: Int) -> Range<Int> {
            precondition(position >= 0 && position < count, "part index in range")
            if let overflow { return overflow[position] }
            switch position {
            case 0: return inline.0
            case 1: return inline.1
            case 2: return inline.2
            default: return inline.3
            }
        }

        mutating func append(_ part: Range<Int>) {
            if overflow != nil {
                overflow!.append(part)
            } else if count == 4 {
                overflow = [inline.0, inline.1, inline.2, inline.3, part]
            } else {
                switch count {
                case 0: inline.0 = part
                case 1: inline.1 = part
                case 2: inline.2 = part
                default: inline.3 = part
                }
            }
            count += 1
        }
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The length of the word character at `at`, or 0 when it is not one.
    @inline(__always)
    private func wordCharacterLength(at: Int) -> Int {
        let byte = bytes[at]
        if byte < 0x80 {
            // Lower case first: most text is.
            return (byte &- 97 < 26) || (byte &- 48 < 10) || (byte &- 65 < 26) ? 1 : 0
        }
        return nonASCIIWordCharacterLength(at: at)
    }

    /// `wordCharacterLength` of a scalar beyond ASCII. Never inlined: the Unicode property types it uses are
    /// resilient, and a function that mentions them looks up their metadata and sizes its stack at run time on
    /// every call, which cost `next` a third of its time when this was inlined into it.
    @inline(never)
    private func nonASCIIWordCharacterLength(at: Int) -> Int {
        let (scalar, length) = decode(at: at)
        guard let scalar = Unicode.Scalar(scalar) else { return 0 }
        let properties = scalar.properties
        if properties.isAlphabetic || properties.numericType != nil { return length }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber: return length
        default: return 0
        }
    }

    /// Decodes the UTF-8 scalar at `at`; invalid bytes read as one-byte U+FFFD.
    private func decode(at: Int) -> (UInt32, Int) {
        let first = UInt32(bytes[at])
        func continuation(_ offset: Int) -> UInt32? {
            guard at + offset < bytes.count else { return nil }
            let byte = bytes[at + offset]
            return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
        }
        if first & 0xE0 == 0xC0, let b1 = continuation(1) { return ((first & 0x1F) << 6 | b1, 2) }
        if first & 0xF0 == 0xE0, let b1 = continuation(1), let b2 = continuation(2) {
            return ((first & 0x0F) << 12 | b1 << 6 | b2, 3)
        }
        if first & 0xF8 == 0xF0, let b1 = continuation(1), let b2 = continuation(2), let b3 = continuation(3) {
            return ((first & 0x07) << 18 | b1 << 12 | b2 << 6 | b3, 4)
        }
        return (0xFFFD, 1)
    }

    /// The length of a joiner at `at` (`'`, `’`, `.`, `_`, `-`), or 0.
    private func joinerLength(at: Int) -> (length: Int, kind: UInt8) {
        let byte = bytes[at]
        switch byte {
        case UInt8(ascii: "'"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"): return (1, byte)
        case 0xE2 where at + 2 < bytes.count && bytes[at + 1] == 0x80 && bytes[at + 2] == 0x99: return (3, UInt8(ascii: "'"))
        default: return (0, 0)
        }
    }

    mutating func next() -> Compound? {
        // Skip to the next word character.
        while index < bytes.count && wordCharacterLength(at: index) == 0 {
            index += bytes[index] < 0x80 ? 1 : max(1, decode(at: index).1)
        }
        guard index < bytes.count else { return nil }
        let start = index
        var parts = Parts()
        var partStart = index
        var identifier = false
        var hyphen = false
        while index < bytes.count {
            let length = wordCharacterLength(at: index)
            if length > 0 {
                index += length
                continue
            }
            let joiner = joinerLength(at: index)
            guard joiner.length > 0, index + joiner.length < bytes.count,
                wordCharacterLength(at: index + joiner.length) > 0
            else { break }
            if joiner.kind != UInt8(ascii: "'") {
                parts.append(partStart..<index)
                partStart = index + joiner.length
                if joiner.kind == UInt8(ascii: "-") { hyphen = true } else { identifier = true }
            }
            index += joiner.length
        }
        parts.append(partStart..<index)
        return Compound(start: start, end: index, parts: parts, hasIdentifierJoiner: identifier,
                        hasHyphen: hyphen)
    }
}

/// A word being stemmed: its letters as Unicode scalar values, with the Snowball regions (R1, R2, RV) as offsets.
/// The stemmers work on arrays of integers so that no `String` is built until the stem is done.
struct SnowballWord {
    var letters: [UInt32]
    var r1: Int
    var r2: Int
    var rv: Int

    init(_ word: String) {
        letters = word.unicodeScalars.map(\.value)
        r1 = letters.count
        r2 = letters.count
        rv = letters.count
    }

    init(letters: [UInt32]) {
        self.letters = letters
        r1 = letters.count
        r2 = letters.count
        rv = letters.count
    }

    var count: Int { letters.count }

    var string: String { text(letters) }

    /// Whether the word ends with `suffix` (given as scalar values).
    func endsWith(_ suffix: [UInt32]) -> Bool {
        guard suffix.count <= letters.count else { return false }
        var index = letters.count - suffix.count
        for value in suffix {
            if letters[index] != value { return false }
            index += 1
        }
        return true
    }

    /// The longest of `suffixes` the word ends with (suffixes must be sorted longest first).
    func longestSuffix(_ suffixes: [[UInt32]]) -> [UInt32]? {
        suffixes.first(where: endsWith)
    }

    /// The longest of `suffixes` the word ends with that starts at or after `limit` (a Snowball search bounded by
    /// a region: longer endings reaching before the region are not candidates at all).
    func longestSuffix(_ suffixes: [[UInt32]], startingAtOrAfter limit: Int) -> [UInt32]? {
        suffixes.first { $0.count <= letters.count - limit && endsWith($0) }
    }

    /// Start offset of `suffix` at the end of the word.
    func start(of suffix: [UInt32]) -> Int { letters.count - suffix.count }

    mutating func removeLast(_ n: Int) {
        letters.removeLast(n)
    }

    mutating func replaceSuffix(_ length: Int, with replacement: [UInt32]) {
        letters.removeLast(length)
        letters.append(contentsOf: replacement)
    }

    /// The first position after the first non-vowel that follows a vowel, at or after `from`.
    func regionStart(from: Int, isVowel: (UInt32) -> Bool) -> Int {
        var index = from
        while index < letters.count && !isVowel(letters[index]) { index += 1 }
        while index < letters.count && isVowel(letters[index]) { index += 1 }
        return index < letters.count ? index + 1 : letters.count
    }
}

/// Suffix lists written as strings, turned into scalar arrays sorted longest first.
func suffixList(_ words: [String]) -> [[UInt32]] {
    words.map { $0.unicodeScalars.map(\.value) }.sorted { $0.count > $1.count }
}

/// A scalar value from a one-character string literal.
func u(_ character: Unicode.Scalar) -> UInt32 { character.value }

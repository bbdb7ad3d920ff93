/// How far apart two words are, for "did you mean …" suggestions: the fewest insertions, deletions and
/// substitutions that turn one into the other.
public enum EditDistance {
    public static func between(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var row = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var previous = row[0]
            row[0] = i + 1
            for (j, y) in b.enumerated() {
                let current = row[j + 1]
                row[j + 1] = min(row[j + 1] + 1, row[j] + 1, previous + (x == y ? 0 : 1))
                previous = current
            }
        }
        return row[b.count]
    }

    /// The candidate nearest to `word` when it is near enough to be a misspelling of it (at most two edits, or a
    /// third of the word's length), else nil.
    public static func nearest(to word: String, in candidates: some Sequence<String>) -> String? {
        let best = candidates.min { (between(word, $0), $0) < (between(word, $1), $1) }
        guard let best, between(word, best) <= max(2, word.count / 3) else { return nil }
        return best
    }
}

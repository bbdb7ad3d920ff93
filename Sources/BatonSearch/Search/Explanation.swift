/// Why a hit scored what it did: each term or phrase of the query that the page matches, with its weight and
/// its score per field, and the coordination factor when the query was ranked over any of its words.
public struct Explanation: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        /// Occurrences in the field (a phrase's near occurrences count a fraction).
        public var frequency: Double
        public var score: Double
    }

    public struct Part: Sendable, Equatable {
        /// The analysed term, or a phrase's terms in quotes.
        public var term: String
        public var idf: Double
        /// Below 1 for a word standing in for a misspelt one.
        public var boost: Double
        /// Per field; empty for a phrase matched only by its words coming near each other.
        public var fields: [Field]
        public var score: Double
    }

    public var parts: [Part]
    /// The words the page has and the query's words, when ranked by coordination.
    public var coordination: (matched: Int, words: Int, factor: Double)?
    public var score: Double

    public static func == (a: Explanation, b: Explanation) -> Bool {
        a.parts == b.parts && a.score == b.score && a.coordination?.matched == b.coordination?.matched
            && a.coordination?.words == b.coordination?.words
    }
}

extension TermMatcher {
    /// The current document's score in each field of `mask` that holds the term.
    func fieldScores(names: [String]) -> [Explanation.Field] {
        guard let scorer else { return [] }
        return (0..<min(names.count, scorer.fieldCount)).compactMap { field in
            let tf = frequencies[field]
            guard tf > 0, mask & (1 << field) != 0 else { return nil }
            let score = scorer.score(doc: Int(doc), tfs: frequencies, mask: 1 << field, weight: weight)
            return Explanation.Field(name: names[field], frequency: Double(tf), score: score)
        }
    }
}

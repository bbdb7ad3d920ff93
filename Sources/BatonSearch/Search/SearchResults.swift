/// How to search.
public struct SearchOptions: Sendable {
    /// How many hits to return.
    public var limit = 10
    /// Keyword filters every hit must pass: field → accepted values (any of them).
    public var filters: [String: [String]] = [:]
    /// Count keyword values over every match (needs every match to be visited).
    public var facets = true
    /// Treat a final bare word as a prefix (search as you type).
    public var lastWordAsPrefix = false
    /// Languages to analyse query words in: the knowledge base's default first.
    public var languages: [Language] = [.english]
    public var k1 = 1.2
    public var b = 0.75
    /// Skip documents that cannot reach the top hits (MaxScore). Off: score every match.
    public var pruning = true
    public var snippets = true
    /// For a query with no hits, look for a nearby spelling to suggest.
    public var suggestions = true
    /// About how many words a snippet shows.
    public var snippetWords = Ranking.snippetWords
    /// Explain each hit's score (`SearchHit.explanation`).
    public var explain = false
    /// Groups of words or phrases that mean the same (`[app, application]`, `[wal, write-ahead log]`): in a
    /// query of plain words, a run of words that spells one entry matches any entry of its group.
    public var synonyms: [[String]] = []

    public init() {}
}

/// One result.
public struct SearchHit: Sendable, Equatable {
    public var id: String
    public var score: Double
    public var title: String
    /// HTML-escaped text around the best cluster of matches, matches in `<mark>`.
    public var snippet: String
    /// The anchor of the section the snippet is in, if the document has sections.
    public var anchor: String?
    /// With `SearchOptions.explain`: why it scored what it did.
    public var explanation: Explanation?
}

/// The answer to a query.
public struct SearchResults: Sendable {
    public var query: Query
    public var hits: [SearchHit]
    /// Every matching document, when it was counted (facets on or no pruning); nil when the top hits were found
    /// without visiting them all.
    public var total: Int?
    /// Keyword field → (value, count), most frequent first.
    public var facets: [String: [(value: String, count: Int)]]
    /// For a query with no hits: the query with each unknown word replaced by its nearest indexed word.
    public var suggestion: String?
    /// Why the results are not a strict match of the query, as values for callers to render.
    public var notices: [SearchNotice]
    /// The notices in English, one sentence each.
    public var notice: String? { notices.isEmpty ? nil : notices.map(\.description).joined(separator: " ") }
}

/// Why results are not a strict match of the query. `search.js` returns the same values (`kind`, `words`) and
/// renders them with the same sentences.
public enum SearchNotice: Sendable, Equatable, CustomStringConvertible {
    /// Misspelt words were searched as the nearest words the pages have: the query as searched.
    case corrected([String])
    /// No page has every word of a short query: the pages with most of them are shown.
    case noPageHasAll([String])
    /// No result of a question (three words or more) has all of its words.
    case noResultHasAll([String])

    public var kind: String {
        switch self {
        case .corrected: return "corrected"
        case .noPageHasAll: return "no-page-has-all"
        case .noResultHasAll: return "no-result-has-all"
        }
    }

    public var words: [String] {
        switch self {
        case .corrected(let words), .noPageHasAll(let words), .noResultHasAll(let words): return words
        }
    }

    public var description: String {
        switch self {
        case .corrected(let words): return "Showing results for \(words.joined(separator: " "))."
        case .noPageHasAll(let words): return "No page has all of: \(words.joined(separator: ", ")); showing the closest."
        case .noResultHasAll(let words): return "No result has all of: \(words.joined(separator: ", ")); showing the closest."
        }
    }
}

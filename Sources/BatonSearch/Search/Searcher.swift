import Foundation

/// Runs queries against an open index. This file holds the search itself: what kind of query it is (plain words,
/// a question of three words or more, the full language) and which plan ranks it; the plan comes from
/// `QueryPlanning.swift`, its matchers per segment from `MatcherBuilding.swift`, the top hits from
/// `TopHits.swift` (MaxScore and block-max pruning), and hits, explanations and suggestions from
/// `HitsAndSuggestions.swift`.
public final class Searcher {
    public let index: SearchIndex
    private let parser: QueryParser
    private var analyzers: [Language: Analyzer] = [:]

    public init(index: SearchIndex) {
        self.index = index
        self.parser = QueryParser(schema: index.schema)
    }

    func analyzer(_ language: Language) -> Analyzer {
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

    /// Dictionary entries looked up during the current search, per segment.
    var lookups: [String: [TermInfo?]] = [:]
    /// Collection-wide idf of each term used in the current search.
    var idfCache: [String: Double] = [:]
    /// The words of the index as written, for typo correction and suggestions.
    lazy var surfaces = SurfaceVocabulary(index: index)

    // MARK: Running

    struct Candidate {
        var score: Double
        var parts: Int
        /// Under coordination, how many of the query's words the page has.
        var matched: Int
        var segment: Int
        var doc: Int
        var id: String?
        /// The id's stored bytes, read in place where a tie with a hit of another segment needed them
        /// (`idPrecedes`).
        var idBytes: UnsafeRawBufferPointer? = nil
    }

    /// Runs a parsed query.
    public func search(_ query: Query, options: SearchOptions = SearchOptions()) -> SearchResults {
        idfCache = [:]
        lookups = [:]
        var notices: [SearchNotice] = []
        var root: Plan
        // A question in the user's own words: ranked over any of its words, then by how many it has.
        var loose: (plan: Plan, words: [String])?
        // The parts of a plain-word query, for the "most words" fallback: its content words and synonym groups.
        var fallback: [(shown: String, plan: Plan)] = []
        if query.isBareWords {
            let bareWords = Self.words(of: query)
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
            if anyCorrected { notices.append(.corrected(corrected)) }
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
                notices.append(.noResultHasAll(loose.words))
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
                    notices = [.noPageHasAll(fallback.map(\.shown))]
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
                             suggestion: suggestion, notices: notices)
    }

    func filterPlans(_ options: SearchOptions) -> [Plan] {
        options.filters.sorted { $0.key < $1.key }.map { field, values in
            let plans = values.map { Plan.filter(SegmentWriter.keywordTerm(field: field, value: SegmentWriter.normalizeKeyword($0))) }
            return plans.count == 1 ? plans[0] : .any(plans)
        }
    }

    static func words(of query: Query) -> [String] {
        switch query {
        case .word(let word, _, _, _): return [word]
        case .and(let parts): return parts.flatMap(words)
        default: return []
        }
    }

}

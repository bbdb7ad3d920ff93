import Foundation
import Testing

@testable import BatonSearch

/// Random corpora and random queries, answered by the engine and by a brute-force scorer written here from the
/// BM25F definition: the same top-10 ids in the same order, scores equal to 1e-9 relative.
@Suite struct OracleTests {
    static let vocabulary = [
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo",
        "lima", "mike", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor", "whiskey",
        "xray", "yankee", "zulu", "anchor", "ballast", "cargo", "deck", "engine",
    ]
    static let fields = Schema.standard.textFields
    static let k1 = 1.2
    static let b = 0.75

    struct Doc {
        var id: String
        var type: String
        /// Terms per field, in order (position = index within the field).
        var terms: [[String]]
    }

    struct LCG: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 29)
        }
    }

    static func randomText(_ count: Int, _ rng: inout LCG) -> String {
        (0..<count).map { _ in
            // A skewed choice, so some words are common and some rare.
            let index = Int(Double(vocabulary.count) * pow(Double.random(in: 0..<1, using: &rng), 2))
            return vocabulary[index]
        }.joined(separator: " ")
    }

    // MARK: The brute-force scorer

    struct Oracle {
        let docs: [Doc]
        let analyzer = Analyzer(language: .english)
        let averages: [Double]
        let frequencies: [String: Int]

        init(docs: [Doc]) {
            self.docs = docs
            averages = (0..<OracleTests.fields.count).map { field in
                Double(docs.reduce(0) { $0 + $1.terms[field].count }) / Double(docs.count)
            }
            var frequencies: [String: Int] = [:]
            for doc in docs {
                for term in Set(doc.terms.flatMap { $0 }) { frequencies[term, default: 0] += 1 }
            }
            self.frequencies = frequencies
        }

        func df(_ term: String) -> Int { frequencies[term] ?? 0 }

        func idf(_ term: String) -> Double {
            let n = Double(docs.count), d = Double(df(term))
            return log(1 + (n - d + 0.5) / (d + 0.5))
        }

        /// Each field saturated on its own, the weighted scores summed.
        func score(tfs: [Double], doc: Doc, weight: Double) -> Double {
            var sum = 0.0
            for (field, spec) in OracleTests.fields.enumerated() where tfs[field] > 0 {
                let x = tfs[field] / (1 - OracleTests.b + OracleTests.b * Double(doc.terms[field].count) / averages[field])
                sum += spec.weight * x / (OracleTests.k1 + x)
            }
            return weight * sum
        }

        func termScore(_ term: String, _ doc: Doc) -> Double? {
            let tfs = doc.terms.map { Double($0.filter { $0 == term }.count) }
            return tfs.reduce(0, +) > 0 ? score(tfs: tfs, doc: doc, weight: idf(term)) : nil
        }

        /// Exact occurrences per field; without any, near ones: the shortest stretch of a field holding every word,
        /// when at most 8 longer than the phrase, counts 0.5 × words / stretch (found by trying every stretch).
        func phraseScore(_ terms: [String], _ doc: Doc) -> Double? {
            var tfs = doc.terms.map { field -> Double in
                guard field.count >= terms.count else { return 0 }
                return Double((0...(field.count - terms.count)).filter { Array(field[$0..<($0 + terms.count)]) == terms }.count)
            }
            if tfs.reduce(0, +) == 0 {
                tfs = doc.terms.map { field -> Double in
                    var shortest = Int.max
                    let wanted = Set(terms)
                    for start in field.indices where wanted.contains(field[start]) {
                        var seen: Set<String> = []
                        for end in start..<min(field.count, start + terms.count + 8) where wanted.contains(field[end]) {
                            seen.insert(field[end])
                            if seen.count == wanted.count {
                                shortest = min(shortest, end - start + 1)
                                break
                            }
                        }
                    }
                    let stretch = max(shortest, terms.count)
                    return shortest != .max && stretch <= terms.count + 8 ? 0.5 * Double(terms.count) / Double(stretch) : 0
                }
            }
            guard tfs.reduce(0, +) > 0 else { return nil }
            return score(tfs: tfs, doc: doc, weight: terms.reduce(0) { $0 + idf($1) })
        }

        func term(_ word: String) -> String { analyzer.tokens(word)[0].term }

        /// All terms of the corpus that start with `prefix`.
        func expansions(_ prefix: String) -> [String] {
            frequencies.keys.filter { $0.hasPrefix(prefix) }.sorted()
        }

        enum Clause {
            case word(String), phrase([String]), prefix(String), filter(String)
        }

        /// Score of a clause in a document, or nil when it does not match.
        func evaluate(_ clause: Clause, _ doc: Doc) -> Double? {
            switch clause {
            case .word(let word): return termScore(term(word), doc)
            case .phrase(let words): return phraseScore(words.map(term), doc)
            case .prefix(let prefix):
                let scores = expansions(prefix).compactMap { termScore($0, doc) }
                return scores.isEmpty ? nil : scores.reduce(0, +)
            case .filter(let type): return doc.type == type ? 0 : nil
            }
        }

        /// Ranked (id, score): required clauses all match, excluded none, optional ones (OR) any. `coordination`:
        /// a document with k of the n optional clauses has its score times (k / n)^0.25.
        func search(all: [Clause], any: [Clause] = [], none: [Clause] = [], mostWords: Bool = false,
                    coordination: Bool = false) -> [(String, Double)] {
            var hits: [(id: String, score: Double, parts: Int)] = []
            for doc in docs {
                if none.contains(where: { evaluate($0, doc) != nil }) { continue }
                if !any.isEmpty {
                    let scores = any.compactMap { evaluate($0, doc) }
                    guard !scores.isEmpty else { continue }
                    let factor = coordination ? pow(Double(scores.count) / Double(any.count), 0.25) : 1
                    hits.append((doc.id, scores.reduce(0, +) * factor, mostWords ? scores.count : 0))
                    continue
                }
                let scores = all.map { evaluate($0, doc) }
                guard scores.allSatisfy({ $0 != nil }) else { continue }
                hits.append((doc.id, scores.reduce(0) { $0 + $1! }, 0))
            }
            hits.sort { a, b in
                if a.parts != b.parts { return a.parts > b.parts }
                if a.score != b.score { return a.score > b.score }
                return a.id < b.id
            }
            return hits.prefix(10).map { ($0.id, $0.score) }
        }
    }

    func check(_ engine: SearchResults, _ expected: [(String, Double)], _ query: String) {
        let ids = engine.hits.map(\.id)
        #expect(ids == expected.map(\.0), "query: \(query)")
        guard ids == expected.map(\.0) else { return }
        for (hit, want) in zip(engine.hits, expected) {
            #expect(abs(hit.score - want.1) <= 1e-9 * max(1, abs(want.1)), "query: \(query), \(hit.id)")
        }
    }

    @Test(arguments: 1...10)
    func engineAgreesWithBruteForce(seed: Int) throws {
        var rng = LCG(state: UInt64(seed) &* 0x9E37_79B9)
        let count = Int.random(in: 15...70, using: &rng)
        var documents: [SearchDocument] = []
        for index in 0..<count {
            let type = ["role", "person", "knowledge"][Int.random(in: 0...2, using: &rng)]
            documents.append(SearchDocument(
                id: String(format: "doc-%03d", (index * 37) % 1000),
                text: ["title": Self.randomText(Int.random(in: 1...4, using: &rng), &rng),
                       "headings": Self.randomText(Int.random(in: 0...3, using: &rng), &rng),
                       "body": Self.randomText(Int.random(in: 5...60, using: &rng), &rng),
                       "tags": Self.randomText(Int.random(in: 0...2, using: &rng), &rng)],
                keywords: ["type": [type]]))
        }
        let folder = TemporaryFolder()
        let index = try buildIndex(documents, in: folder)
        let searcher = Searcher(index: index)
        let analyzer = Analyzer(language: .english)
        let oracle = Oracle(docs: documents.map { document in
            Doc(id: document.id, type: document.keywords["type"]![0], terms: Self.fields.map { field in
                analyzer.tokens(document.text[field.name] ?? "").map(\.term)
            })
        })
        func word() -> String { Self.vocabulary[Int.random(in: 0..<Self.vocabulary.count, using: &rng)] }
        for pruning in [true, false] {
            var options = SearchOptions()
            options.facets = false
            options.snippets = false
            options.suggestions = false
            options.pruning = pruning
            for _ in 0..<25 {
                let a = word(), b = word()
                check(try searcher.search(a, options: options), oracle.search(all: [.word(a)]), a)
                let pair = "\(a) \(b)"
                var expected = oracle.search(all: [.word(a), .word(b)])
                if expected.isEmpty && a != b {
                    expected = oracle.search(all: [], any: [.word(a), .word(b)], mostWords: true)
                }
                check(try searcher.search(pair, options: options), expected, pair)
                // Three words or more: any of them, a page with fewer losing by coordination.
                let known = Self.vocabulary.filter { oracle.df(oracle.term($0)) > 0 }
                let three = (0..<3).map { _ in known[Int.random(in: 0..<known.count, using: &rng)] }
                check(try searcher.search(three.joined(separator: " "), options: options),
                      oracle.search(all: [], any: three.map { .word($0) }, coordination: true), three.joined(separator: " "))
                let or = "\(a) OR \(b)"
                check(try searcher.search(or, options: options), oracle.search(all: [], any: [.word(a), .word(b)]), or)
                let phrase = "\"\(a) \(b)\""
                check(try searcher.search(phrase, options: options), oracle.search(all: [.phrase([a, b])]), phrase)
                let prefix = String(a.prefix(3))
                check(try searcher.search(prefix + "*", options: options), oracle.search(all: [.prefix(prefix)]),
                      prefix + "*")
                let filtered = "\(a) type:person"
                check(try searcher.search(filtered, options: options), oracle.search(all: [.word(a), .filter("person")]),
                      filtered)
                let excluded = "\(a) -\(b)"
                if a != b {
                    check(try searcher.search(excluded, options: options),
                          oracle.search(all: [.word(a)], none: [.word(b)]), excluded)
                }
            }
        }
    }
}

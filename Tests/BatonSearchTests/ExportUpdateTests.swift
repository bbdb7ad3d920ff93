import Foundation
import Testing

@testable import BatonSearch

/// `BrowserExport.update` against the oracle it must equal: an export from an index of the same documents, named
/// after the same earlier export. Byte for byte, every file and the state it leaves.
@Suite struct ExportUpdateTests {
    /// Words of every shape the analyser treats apart: plain, stemmed, hyphenated, joined by identifier marks,
    /// digits, accented, another script.
    static let words = ["handover", "handovers", "checklist", "supplier", "on-call", "roll-out", "v2.1", "2026",
                        "café", "Größe", "über", "naïve", "relationship", "governance", "escalation", "escalated",
                        "ж", "日本", "a", "the", "of", "review", "reviews", "service-level", "log4j", "x-ray", "kpi"]

    /// A document whose text is drawn from `words` by `seed` (a small linear congruential generator).
    static func document(_ number: Int, seed: Int, extra: String = "", language: Language = .english) -> SearchDocument {
        var state = UInt64(seed * 7919 + number * 104_729 + 1)
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(state >> 33)
        }
        let body = (0..<(40 + next() % 2_500)).map { _ in words[next() % words.count] }.joined(separator: " ") + extra
        let tags = ["alpha", "beta", "gamma"][number % 3]
        return SearchDocument(id: String(format: "doc-%03d", number),
                              text: ["title": "Page \(number) \(words[next() % words.count])", "body": body, "tags": tags],
                              keywords: ["type": [number % 2 == 0 ? "knowledge" : "role"], "tag": [tags]],
                              language: language, sections: [.init(offset: 0, anchor: "top"), .init(offset: 30, anchor: "more")])
    }

    static func entries(_ documents: [SearchDocument]) -> [BrowserExport.Entry] {
        documents.sorted { $0.id < $1.id }.map { document in
            let page = BrowserExport.Page(url: document.id + ".html", type: document.keywords["type"]?.first)
            return BrowserExport.Entry(document: document, page: page, hash: BrowserExport.documentHash(document, page: page))
        }
    }

    /// The export of `entries` from an index of them, named after `earlier`.
    static func fromIndex(_ entries: [BrowserExport.Entry], after earlier: BrowserExport.Output?,
                          options: BrowserExport.Options = .init()) throws -> BrowserExport.Output {
        let folder = TemporaryFolder()
        let writer = try IndexWriter(directory: folder.path, rebuild: true)
        writer.threads = 2
        writer.recordsSurfaces = true
        writer.recordsChunks = BrowserExport.chunkPositions
        for entry in entries { writer.add(entry.document) }
        try writer.commit()
        let index = try SearchIndex.open(directory: folder.path)
        let surfaces = try #require(writer.recordedSurfaces)
        var pages: [String: BrowserExport.Page] = [:]
        var hashes: [String: UInt64] = [:]
        for entry in entries {
            pages[entry.document.id] = entry.page
            hashes[entry.document.id] = entry.hash
        }
        return BrowserExport.export(index: index, options: options, page: { pages[$0] },
                                    vocabulary: { BrowserExport.vocabulary(recorded: surfaces) },
                                    chunks: writer.recordedChunks, previous: earlier.map(previous), hashes: hashes,
                                    recorded: surfaces)
    }

    static func previous(_ earlier: BrowserExport.Output) -> BrowserExport.Previous {
        let bytes = Dictionary(earlier.files.map { ($0.path, $0.bytes) }) { a, _ in a }
        return BrowserExport.Previous(files: earlier.files.map(\.path)) { file, candidate in bytes[file] == candidate }
    }

    static func updated(_ entries: [BrowserExport.Entry], after earlier: BrowserExport.Output,
                        options: BrowserExport.Options = .init()) throws -> BrowserExport.Output? {
        let bytes = Dictionary(earlier.files.map { ($0.path, $0.bytes) }) { a, _ in a }
        let state = try #require(earlier.state)
        // Through its file form, as a build reads it.
        let read = try #require(BrowserExport.State(serialized: state.serialized()))
        // The files it keeps are the earlier export's, as they are: filled in to compare with an export that
        // writes them all.
        guard var output = BrowserExport.update(state: read, entries: entries, schema: .standard, options: options,
                                                previous: previous(earlier), file: { bytes[$0] })
        else { return nil }
        for path in output.kept { output.files.append((path, try #require(bytes[path]))) }
        output.files.sort { $0.path < $1.path }
        output.kept = []
        return output
    }

    static func expectSame(_ updated: BrowserExport.Output?, _ oracle: BrowserExport.Output,
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
        let updated = try #require(updated, sourceLocation: sourceLocation)
        let oracle = { var sorted = oracle; sorted.files.sort { $0.path < $1.path }; return sorted }()
        let samePaths = updated.files.map(\.path) == oracle.files.map(\.path)
        #expect(samePaths, "the files' names differ", sourceLocation: sourceLocation)
        let differing = zip(updated.files, oracle.files).filter { $0.bytes != $1.bytes }.map(\.0.path)
        #expect(differing.isEmpty, "files whose bytes differ: \(differing.prefix(5))", sourceLocation: sourceLocation)
        let sameState = updated.state?.serialized() == oracle.state?.serialized()
        #expect(sameState, "the states differ", sourceLocation: sourceLocation)
    }

    @Test func editsThatAddWordsAreExportedAsAnIndexWouldBe() throws {
        var documents = (0..<60).map { Self.document($0, seed: 1, language: $0 == 7 ? .german : .english) }
        var earlier = try Self.fromIndex(Self.entries(documents), after: nil)
        #expect(earlier.state != nil)
        // One body grows; then words nobody had; then a word first met late moves to an early document; then a
        // title, keywords and three bodies at once; then nothing at all.
        let edits: [(Int) -> Void] = [
            { _ in documents[3].text["body"]! += " another review" },
            { _ in documents[40].text["body"]! += " zyzzyva quixotically Überraschung-Ei" },
            { _ in documents[0].text["body"]! += " zyzzyva" },
            { _ in
                documents[10].text["title"] = "A title changed"
                documents[11].keywords["tag"] = ["delta"]
                for number in [20, 21, 59] { documents[number].text["body"]! += " roll-outs v3.0 kpis" }
            },
            { _ in },
        ]
        for (step, edit) in edits.enumerated() {
            edit(step)
            let entries = Self.entries(documents)
            let oracle = try Self.fromIndex(entries, after: earlier)
            try Self.expectSame(try Self.updated(entries, after: earlier), oracle)
            earlier = oracle
        }
    }

    @Test func editsThatRemoveWordsAreExportedAsAnIndexWouldBe() throws {
        var documents = (0..<30).map { Self.document($0, seed: 2) }
        documents[5].text["body"]! += " rarity"
        documents[9].text["body"]! += " rarity"
        var earlier = try Self.fromIndex(Self.entries(documents), after: nil)
        // The first document with a word loses it (its first use passes to a later one, analysed again), a body
        // cut short (terms leave it), a body emptied.
        documents[5].text["body"] = documents[5].text["body"]!.replacingOccurrences(of: "rarity", with: "")
        documents[12].text["body"] = String(documents[12].text["body"]!.prefix(200))
        documents[13].text["body"] = ""
        var entries = Self.entries(documents)
        var oracle = try Self.fromIndex(entries, after: earlier)
        try Self.expectSame(try Self.updated(entries, after: earlier), oracle)
        earlier = oracle
        // The only document left with the word loses it: the term and the spelling go.
        documents[9].text["body"] = documents[9].text["body"]!.replacingOccurrences(of: "rarity", with: "")
        entries = Self.entries(documents)
        oracle = try Self.fromIndex(entries, after: earlier)
        try Self.expectSame(try Self.updated(entries, after: earlier), oracle)
        #expect(earlier.files.contains { String(decoding: $0.bytes, as: UTF8.self).contains("\"rariti\"") })
        #expect(!oracle.files.contains { String(decoding: $0.bytes, as: UTF8.self).contains("\"rariti\"") })
        earlier = oracle
        // A German document's spelling that English documents have too.
        documents[0].language = .german
        documents[0].text["body"]! += " Größe handovers"
        entries = Self.entries(documents)
        oracle = try Self.fromIndex(entries, after: earlier)
        try Self.expectSame(try Self.updated(entries, after: earlier), oracle)
        earlier = oracle
        documents[0].text["body"] = "kurz"
        entries = Self.entries(documents)
        oracle = try Self.fromIndex(entries, after: earlier)
        try Self.expectSame(try Self.updated(entries, after: earlier), oracle)
    }

    @Test func whatTheStateCannotStandForIsDeclined() throws {
        let documents = (0..<20).map { Self.document($0, seed: 3) }
        let earlier = try Self.fromIndex(Self.entries(documents), after: nil)
        let state = try #require(earlier.state)
        // A document more, or fewer.
        #expect(try Self.updated(Self.entries(documents + [Self.document(99, seed: 3)]), after: earlier) == nil)
        #expect(try Self.updated(Self.entries(Array(documents.dropLast())), after: earlier) == nil)
        // Other settings.
        var options = BrowserExport.Options()
        options.synonyms = [["kpi", "indicator"]]
        #expect(try Self.updated(Self.entries(documents), after: earlier, options: options) == nil)
        // Another metadata file beside it.
        var bytes = Dictionary(earlier.files.map { ($0.path, $0.bytes) }) { a, _ in a }
        bytes[BrowserExport.metaFile]! += Array(" ".utf8)
        #expect(BrowserExport.update(state: state, entries: Self.entries(documents), schema: .standard, options: .init(),
                                     previous: Self.previous(earlier)) { bytes[$0] } == nil)
        // A chunk file the earlier export does not list (the update keeps the others' files unread: the caller
        // makes sure they are as that export left them).
        bytes = Dictionary(earlier.files.map { ($0.path, $0.bytes) }) { a, _ in a }
        let chunk = try #require(bytes.keys.first { $0.hasPrefix("c0_0.") })
        let listed = BrowserExport.Previous(files: earlier.files.map(\.path).filter { $0 != chunk }) { _, _ in false }
        var changed = documents
        changed[4].text["body"]! += " review"
        #expect(BrowserExport.update(state: state, entries: Self.entries(changed), schema: .standard, options: .init(),
                                     previous: listed) { bytes[$0] } == nil)
        // A damaged state file: any byte changed, or cut short.
        let serialized = state.serialized()
        #expect(BrowserExport.State(serialized: serialized) != nil)
        for offset in [0, 30, serialized.count / 2, serialized.count - 1] {
            var damaged = serialized
            damaged[offset] ^= 0x20
            #expect(BrowserExport.State(serialized: damaged) == nil)
        }
        #expect(BrowserExport.State(serialized: Array(serialized.prefix(serialized.count - 9))) == nil)
        #expect(BrowserExport.State(serialized: []) == nil)
    }
}

import Foundation
import Testing

@testable import BatonSearch

/// A small index in the current on-disk format is committed under `Fixtures/golden-index`, as Tantivy keeps
/// indexes of past versions. The writer must reproduce it byte for byte: a change to what the writer puts on
/// disk fails here until `SegmentFormat.version` is raised and the golden index written again with
/// `BATON_WRITE_GOLDEN=1 swift test --filter GoldenFormatTests`, so no release ever reads an old index as if
/// it were new. The reader must still answer known queries from it.
@Suite struct GoldenFormatTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/golden-index").path

    /// The fields the golden index was written with (the knowledge base's).
    static let schema = Schema(
        textFields: Schema.pageFields,
        keywordFields: ["type", "organisation", "tier", "role", "section", "confidentiality", "owner", "tag"])

    static let documents: [SearchDocument] = [
        SearchDocument(id: "knowledge/exit-plan", text: ["title": "Exit plan", "headings": "Steps\nCosts",
            "body": "How the service leaves the supplier: the exit plan, its steps and the break fee.", "tags": "exit"],
            keywords: ["type": ["knowledge"], "section": ["exit-arrangements"], "tag": ["exit"]], language: .english,
            sections: [SearchDocument.Section(offset: 20, anchor: "steps")]),
        SearchDocument(id: "knowledge/on-call", text: ["title": "On-call handoff", "headings": "",
            "body": "The on-call engineer hands off open incidents at 08:00; e-mail the service desk.", "tags": ""],
            keywords: ["type": ["knowledge"], "section": ["management-activities"]], language: .english, sections: []),
        SearchDocument(id: "people/gareth", text: ["title": "Gareth Lowe", "headings": "",
            "body": "Relationship manager for the client; escalation point for service reviews.", "tags": ""],
            keywords: ["type": ["person"], "organisation": ["northmoor"]], language: .english, sections: []),
        SearchDocument(id: "knowledge/ausstieg", text: ["title": "Ausstiegsplan", "headings": "",
            "body": "Der Ausstiegsplan beschreibt die Übergabe der Dienstleistungen.", "tags": ""],
            keywords: ["type": ["knowledge"]], language: .german, sections: []),
        SearchDocument(id: "knowledge/sortie", text: ["title": "Plan de sortie", "headings": "",
            "body": "Le plan de sortie décrit la réversibilité des services.", "tags": ""],
            keywords: ["type": ["knowledge"]], language: .french, sections: []),
        SearchDocument(id: "roles/relationship-manager", text: ["title": "Relationship Manager", "headings": "Day 1",
            "body": "Owns the relationship plan, the health check and the exit plan review.", "tags": ""],
            keywords: ["type": ["role"], "tier": ["operational"]], language: .english,
            sections: [SearchDocument.Section(offset: 0, anchor: "day-1")]),
    ]

    /// The golden index's history: two commits, the second replacing one document and deleting another, so the
    /// manifest lists deletions as well as two segments.
    static func write(into folder: String) throws {
        let first = try IndexWriter(directory: folder, schema: schema, rebuild: true)
        for document in documents.prefix(4) { first.add(document) }
        try first.commit()
        let second = try IndexWriter(directory: folder, schema: schema)
        for document in documents.dropFirst(4) { second.add(document) }
        second.delete(id: "people/gareth")
        try second.commit()
    }

    static func contents(of folder: String) throws -> [String: [UInt8]] {
        var result: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) where !name.hasPrefix(".") {
            result[name] = Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
        }
        return result
    }

    @Test func theWriterReproducesTheGoldenIndexOrTheVersionWasRaised() throws {
        if ProcessInfo.processInfo.environment["BATON_WRITE_GOLDEN"] != nil {
            for name in try FileManager.default.contentsOfDirectory(atPath: Self.golden) {
                try FileManager.default.removeItem(atPath: Self.golden + "/" + name)
            }
            try Self.write(into: Self.golden)
        }
        let folder = TemporaryFolder()
        try Self.write(into: folder.path)
        let fresh = try Self.contents(of: folder.path)
        let golden = try Self.contents(of: Self.golden)
        let goldenVersion = String(decoding: golden["manifest"] ?? [], as: UTF8.self).split(separator: "\n").first ?? ""
        #expect(goldenVersion == "baton-index \(SegmentFormat.version)",
                "the golden index is of another format version: write it again (BATON_WRITE_GOLDEN=1)")
        #expect(Set(fresh.keys) == Set(golden.keys))
        for (name, bytes) in fresh {
            #expect(bytes == golden[name], """
                \(name) is no longer written as the golden index has it: the on-disk format changed. Raise \
                SegmentFormat.version, describe the change in Index/FORMAT.md, and write the golden index again \
                with BATON_WRITE_GOLDEN=1 swift test --filter GoldenFormatTests
                """)
        }
    }

    @Test func theGoldenIndexAnswersKnownQueries() throws {
        let index = try SearchIndex.open(directory: Self.golden, schema: Self.schema)
        #expect(index.documentCount == 5)
        #expect(index.segmentCount == 2)
        #expect(Set(index.ids) == Set(Self.documents.map(\.id)).subtracting(["people/gareth"]))
        let searcher = Searcher(index: index)
        var options = SearchOptions()
        options.languages = [.english, .german, .french]
        func ids(_ query: String) throws -> [String] { try searcher.search(query, options: options).hits.map(\.id) }
        #expect(try ids("\"exit plan\"") == ["knowledge/exit-plan", "roles/relationship-manager"])
        #expect(try ids("handoff") == ["knowledge/on-call"])
        #expect(try ids("hand off") == ["knowledge/on-call"])
        #expect(try ids("email") == ["knowledge/on-call"])
        #expect(try ids("escalation").isEmpty)  // the only page with it was deleted
        #expect(try ids("Ausstiegsplan") == ["knowledge/ausstieg"])
        #expect(try ids("réversibilité") == ["knowledge/sortie"])
        #expect(try ids("type:role") == ["roles/relationship-manager"])
        let hit = try #require(try searcher.search("break fee", options: options).hits.first)
        #expect(hit.snippet.contains("<mark>break</mark> <mark>fee</mark>"))
        #expect(index.document(id: "knowledge/exit-plan")?.text["title"] == "Exit plan")
    }
}

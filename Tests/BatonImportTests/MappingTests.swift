import BatonContent
import Foundation
import Testing

@testable import BatonImport

@Suite struct MappingTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    @Test func recordsBecomeEntriesThroughTheMapping() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.mapping = try ImportMapping.read(path: Self.fixtures + "/risks.yml")
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([Self.fixtures + "/risks.xml"])
        #expect(results.map(\.outcome) == [.imported, .imported])
        let knowledgeBase = try folder.load()
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .error } == [])
        let risk = try #require(knowledgeBase.entity(id: "knowledge/risk-assessment/risks-r-7"))
        #expect(risk.title == "Loss of key people")
        #expect(risk.knowledge?.owner?.raw == "dee")
        #expect(risk.knowledge?.tags == ["people", "continuity"])
        #expect(risk.body.contains("Named deputies and successors for **every** key role."))
        #expect(risk.body.contains("Review quarterly."))
        let outage = try #require(knowledgeBase.entity(id: "knowledge/risk-assessment/risks-r-9"))
        #expect(outage.body.contains("Dual monitoring paths."))
        // Again: nothing changed.
        let again = Importer(knowledgeBase: knowledgeBase, options: options).run([Self.fixtures + "/risks.xml"])
        #expect(again.map(\.outcome) == [.unchanged, .unchanged])
    }

    /// Record names with dots (versions) and repeated names: each record keeps its own entry, and importing
    /// the unchanged file again changes nothing.
    @Test func namesWithDotsAndRepeatsAreStable() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.mapping = try ImportMapping.read(path: Self.fixtures + "/releases.yml")
        let file = Self.fixtures + "/releases.xml"
        let first = Importer(knowledgeBase: try folder.load(), options: options).run([file])
        #expect(first.map(\.outcome) == [.imported, .imported, .imported])
        let knowledgeBase = try folder.load()
        let ids = knowledgeBase.entities(of: .knowledge).map(\.id).sorted()
        #expect(ids == ["knowledge/continuous-improvement/releases-1-2", "knowledge/continuous-improvement/releases-1-3",
                        "knowledge/continuous-improvement/releases-1-3-2"], "\(ids)")
        #expect(knowledgeBase.entity(id: "knowledge/continuous-improvement/releases-1-3-2")?.body.contains("old exit codes") == true)
        let again = Importer(knowledgeBase: knowledgeBase, options: options).run([file])
        #expect(again.map(\.outcome) == [.unchanged, .unchanged, .unchanged])
        #expect(try folder.load().entity(id: "knowledge/continuous-improvement/releases-1-2")?.body.contains("drain") == true)
    }

    @Test func badMappingsAreClearErrors() throws {
        let path = NSTemporaryDirectory() + "mapping-\(UUID().uuidString).yml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "title: string(name)\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: MarkupError.self) { _ = try ImportMapping.read(path: path) }
        try "records: //x\ntitle: name\nsection: nowhere\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ImportMapping.read(path: path)
            Issue.record("should fail")
        } catch {
            #expect(error.description.contains(":3: 'nowhere' is not a plan section"))
        }
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.mapping = ImportMapping(records: "///bad[", title: "x", body: nil, name: nil, section: nil, fields: [])
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([Self.fixtures + "/risks.xml"])
        #expect(results.map(\.outcome.label) == ["failed"])
    }
}

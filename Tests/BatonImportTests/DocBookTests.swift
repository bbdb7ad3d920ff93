import BatonContent
import Foundation
import Testing

@testable import BatonImport

@Suite struct DocBookTests {
    static let book = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/book.xml").path

    func importBook(split: String) throws -> (ImporterTests.KnowledgeBaseFolder, KnowledgeBase, [Importer.Result]) {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.section = .managementActivities
        options.split = split
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([Self.book])
        return (folder, try folder.load(), results)
    }

    @Test func oneEntryPerChapterWithCrossReferencesRewritten() throws {
        let (_, knowledgeBase, results) = try importBook(split: "chapter")
        #expect(results.map(\.outcome) == [.imported, .imported])
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .error } == [])
        let intro = try #require(knowledgeBase.entity(id: "knowledge/management-activities/book-introduction"))
        // Character entities known without the DTD; the document's own entity expanded by nobody but kept visible.
        #expect(intro.body.contains("This manual—kept by"))
        #expect(intro.body.contains("[Escalation](book-operations.md#escalation)"))
        #expect(intro.body.contains("> **Note**"))
        let ops = try #require(knowledgeBase.entity(id: "knowledge/management-activities/book-operations"))
        #expect(ops.body.contains("## Escalation"))
        #expect(ops.body.contains("`escalate` with **care**, or see [the site](https://example.org)"))
        #expect(ops.body.contains("1. Call the desk\n2. Call the manager"))
        #expect(ops.body.contains("```sh\nescalate --level 2\n```"))
        #expect(ops.body.contains("**P1**\n\nRestore in four hours."))
        #expect(ops.body.contains("| Level | Who |\n|---|---|\n| 1 | Desk |"))
        #expect(ops.body.contains("[Introduction](book-introduction.md#introduction)"))
    }

    @Test func splittingBySectionOrNotAtAll() throws {
        let (_, bySection, _) = try importBook(split: "section")
        #expect(bySection.entities(of: .knowledge).map(\.title).sorted() == ["Changes", "Escalation", "Introduction"])
        let (_, whole, _) = try importBook(split: "none")
        #expect(whole.entities(of: .knowledge).map(\.title) == ["Service manual"])
        let entry = try #require(whole.entities(of: .knowledge).first)
        #expect(entry.body.contains("[Escalation](#escalation)"))
    }

    @Test func reimportingABookUpdatesItsEntries() throws {
        let (folder, _, _) = try importBook(split: "chapter")
        var options = Importer.Options()
        options.section = .managementActivities
        let again = Importer(knowledgeBase: try folder.load(), options: options).run([Self.book])
        #expect(again.map(\.outcome) == [.unchanged, .unchanged])
    }
}

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
        // Character entities known without the DTD; the document's own entity written out.
        #expect(intro.body.contains("This manual—kept by Castellan Digital"))
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

@Suite struct SplitDocBookTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    @Test func partsAreInlinedFromInsideTheFolderOnly() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.section = .managementActivities
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([Self.fixtures + "/split-book"])
        // The book becomes one entry per chapter; the chapter files it includes are not imported twice.
        #expect(results.filter { $0.outcome == .imported }.count == 3)
        let skipped = results.filter { if case .skipped = $0.outcome { return true } else { return false } }
        #expect(skipped.map { ($0.source as NSString).lastPathComponent }.sorted() == ["escalation.xml", "intro.xml"])
        if case .skipped(let reason) = skipped.first?.outcome { #expect(reason.contains("a part of")) }

        let knowledgeBase = try folder.load()
        #expect(knowledgeBase.entities(of: .knowledge).map(\.title).sorted() == ["Elsewhere", "Escalation", "Introduction"])
        let intro = try #require(knowledgeBase.entities(of: .knowledge).first { $0.title == "Introduction" })
        // The document's own entity is written out, even inside an included part; the cross-reference into
        // another part (an external entity) becomes a link between entries.
        #expect(intro.body.contains("Castellan Digital runs the service desk"))
        #expect(intro.body.contains("[Escalation](book-escalation.md#escalation)"))
        // parse="text" includes arrive as text, markup characters and all.
        #expect(intro.body.contains("0800 555 0101"))
        #expect(intro.body.contains("\\<ext. 2\\>"))
        let escalation = try #require(knowledgeBase.entities(of: .knowledge).first { $0.title == "Escalation" })
        #expect(escalation.body.contains("duty manager"))
        // Nothing outside the imported folder, and nothing from the network, is ever read.
        for entity in knowledgeBase.entities(of: .knowledge) {
            #expect(!entity.body.contains("SECRET-OUTSIDE-THE-IMPORT"))
        }
    }

    @Test func aLoneFileReadsNoOtherFile() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        let results = Importer(knowledgeBase: try folder.load(), options: Importer.Options())
            .run([Self.fixtures + "/split-book/book.xml"])
        #expect(results.map(\.outcome) == [.imported])
        let entries = try folder.load().entities(of: .knowledge)
        #expect(entries.map(\.title) == ["Elsewhere"])
        #expect(!(entries.first?.body.contains("duty manager") ?? true))
    }

    @Test func anEntityBombFailsTheFileWithAReason() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        let results = Importer(knowledgeBase: try folder.load(), options: Importer.Options())
            .run([Self.fixtures + "/billion-laughs.xml"])
        #expect(results.count == 1)
        guard case .failed(let reason) = results.first?.outcome else {
            Issue.record("expected a failure, got \(String(describing: results.first?.outcome))")
            return
        }
        #expect(reason.contains("entity bomb"))
        #expect(try folder.load().entities(of: .knowledge).isEmpty)
    }

    @Test func internalEntitiesExpandWithinABudget() throws {
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [\n<!ENTITY a \"A&b;\">\n<!ENTITY b 'B'>\n<!ENTITY % p \"ignored\">\n<!ENTITY loop \"&loop;\">\n]>\n<x>&a; &b; &loop; &amp; &unknown;</x>"
        let expanded = try DocBook.expandInternalEntities(text, budget: 1000)
        #expect(expanded.hasSuffix("<x>AB B &loop; &amp; &unknown;</x>"))
        #expect(throws: DocBook.ExpansionError.self) {
            _ = try DocBook.expandInternalEntities(text.replacingOccurrences(of: "<x>", with: "<x>" + String(repeating: "&a;", count: 600)), budget: 1000)
        }
    }
}

/// DocBook as real documents write it: version 5 with titles in `info`, blocks inside paragraphs, titled
/// examples and figures, an article whose appendix must not swallow its body, UTF-16 files.
@Suite struct DocBookFidelityTests {
    static let article = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/docbook5-article.xml").path

    func entries(_ file: String, split: String = "chapter") throws -> [Entity] {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.section = .managementActivities
        options.split = split
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([file])
        #expect(results.allSatisfy { $0.outcome == .imported }, "\(results)")
        return try folder.load().entities(of: .knowledge)
    }

    @Test func anArticleKeepsItsBodyBesideItsAppendix() throws {
        let entries = try entries(Self.article)
        #expect(entries.map(\.title).sorted() == ["Desk run book", "Terms"])
        let body = try #require(entries.first { $0.title == "Desk run book" }).body
        #expect(body.contains("duty manager"))
        let bySection = try self.entries(Self.article, split: "section")
        #expect(bySection.map(\.title).sorted() == ["Restarting the queue", "Terms", "When to escalate"])
    }

    @Test func titlesInInfoBecomeHeadings() throws {
        let body = try #require(try entries(Self.article).first { $0.title == "Desk run book" }).body
        #expect(body.contains("## Restarting the queue"), "\(body)")
        #expect(body.contains("## When to escalate"))
        // Example and figure titles are headings below their section's, so that links to them have a target.
        #expect(body.contains("### Watching the backlog drain") && body.contains("### The queue dashboard"), "\(body)")
        #expect(body.contains("[Watching the backlog drain](#watching-the-backlog-drain)"), "\(body)")
    }

    @Test func blocksInsideAParagraphStayBlocks() throws {
        let body = try #require(try entries(Self.article).first { $0.title == "Desk run book" }).body
        #expect(body.contains("Stop the workers first:"))
        #expect(body.contains("```sh\nqueue stop --all\nqueue start --workers 4\n```"), "\(body)")
        #expect(body.contains("- a full disk\n- an expired certificate"), "\(body)")
        #expect(body.contains("then check that the backlog drains."))
        #expect(body.contains("```\nqueue status --watch\n```"), "\(body)")
        #expect(!body.contains("`queue stop"))
    }

    @Test(arguments: [true, false])
    func utf16FilesAreRead(bigEndian: Bool) throws {
        let text = """
            <?xml version="1.0" encoding="UTF-16"?>
            <article><title>Übergabe</title><section><title>Schritte</title><para>Die Übergabe dauert zwei Wochen.</para></section></article>
            """
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            bytes += bigEndian ? [UInt8(unit >> 8), UInt8(unit & 0xFF)] : [UInt8(unit & 0xFF), UInt8(unit >> 8)]
        }
        let file = NSTemporaryDirectory() + "baton-utf16-" + UUID().uuidString + ".xml"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        let entry = try #require(try entries(file).first)
        #expect(entry.title == "Übergabe")
        #expect(entry.body.contains("Die Übergabe dauert zwei Wochen."), "\(entry.body)")
    }

    /// Reference pages: one entry each, named by their refname, with their purpose, synopsis and sections, and
    /// cross-references that reach the page's heading.
    @Test func referencePagesKeepTheirShape() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/refentries.xml").path
        let entries = try entries(file)
        #expect(entries.map(\.title).sorted() == ["queue start", "queue stop"])
        let stop = try #require(entries.first { $0.title == "queue stop" }).body
        #expect(stop.contains("**queue stop** — stop the workers of a queue"), "\(stop)")
        #expect(stop.contains("## Synopsis\n\n```\nqueue stop [--all] [--drain]\n```"), "\(stop)")
        #expect(stop.contains("## Description") && stop.contains("## Exit status"))
        #expect(stop.contains("`queue-start(1)`"))
        #expect(stop.contains("[queue start](refentries-queue-start.md#queue-start)"), "\(stop)")
        #expect(!stop.contains("](#)") && !stop.contains(".md#)"))
        // The manual page it is, under the heading; its authors (not their contributions or addresses) in the
        // front matter, not the body; steps inside a step nest.
        #expect(stop.hasPrefix("\n# queue stop\n\n*queue-stop(1) · Queue Manual*\n\n"), "\(stop)")
        #expect(try #require(entries.first { $0.title == "queue stop" }).frontMatter["author"]?.scalarText == "Ana Lopes, Rui Matos")
        #expect(!stop.contains("Ana") && !stop.contains("2024"))
        #expect(stop.contains("1. Drain the queue.\n   1. Stop new jobs.\n   2. Wait for the running ones.\n2. Stop the workers."), "\(stop)")
    }
}


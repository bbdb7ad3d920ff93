import BatonContent
import Foundation
import Testing

@testable import BatonImport

@Suite struct ImporterTests {
    static let site = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/site").path

    final class KnowledgeBaseFolder {
        let root: String

        init() throws {
            root = NSTemporaryDirectory() + "baton-import-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: root + "/content/people", withIntermediateDirectories: true)
            try """
                title: Import fixture
                organisations:
                  - {id: client, name: Client Ltd}
                phase: operations

                """.write(toFile: root + "/baton.yml", atomically: true, encoding: .utf8)
            try "---\nname: Dee\norganisation: client\n---\n".write(toFile: root + "/content/people/dee.md", atomically: true, encoding: .utf8)
        }

        func load() throws -> KnowledgeBase { try KnowledgeBase.load(root: root) }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    func run(_ folder: KnowledgeBaseFolder, _ paths: [String], configure: (inout Importer.Options) -> Void = { _ in })
        throws -> [Importer.Result]
    {
        var options = Importer.Options()
        options.section = .communications
        configure(&options)
        return Importer(knowledgeBase: try folder.load(), options: options).run(paths)
    }

    @Test func importsAFolderWithLinksBetweenItsPages() throws {
        let folder = try KnowledgeBaseFolder()
        let results = try run(folder, [Self.site]) { $0.owner = "dee" }
        let outcomes = Dictionary(results.map { (($0.source as NSString).lastPathComponent, $0.outcome.label) },
                                  uniquingKeysWith: { a, _ in a })
        #expect(outcomes == ["index.html": "imported", "escalation.html": "imported", "odd.htm": "imported",
                             "data.xml": "skipped"])
        let knowledgeBase = try folder.load()
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .error } == [])
        let handbook = try #require(knowledgeBase.entity(id: "knowledge/communications/index"))
        #expect(handbook.title == "Partnership handbook")
        #expect(handbook.knowledge?.tags == ["handbook", "onboarding"])
        #expect(handbook.knowledge?.owner?.raw == "dee")
        #expect(handbook.body.contains("[escalation guide](guide-escalation.md#tiers)"))
        #expect(handbook.body.contains("[the partner's site](https://example.org/external)"))
        #expect(!handbook.body.contains("Sidebar link"))
        let guide = try #require(knowledgeBase.entity(id: "knowledge/communications/guide-escalation"))
        #expect(guide.body.contains("[handbook](index.md)"))
        #expect(guide.frontMatter["author"]?.scalarText == "David Osei")
        #expect(guide.language == "en")
        #expect(guide.markdown.headings.map(\.text) == ["Escalation guide", "Tiers"])
    }

    @Test func reimportingUpdatesInPlaceAndKeepsHandEdits() throws {
        let folder = try KnowledgeBaseFolder()
        let pages = NSTemporaryDirectory() + "baton-pages-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: pages, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: pages) }
        let page = pages + "/plan.html"
        try "<html><head><title>Plan</title></head><body><p>First version.</p></body></html>"
            .write(toFile: page, atomically: true, encoding: .utf8)
        #expect(try run(folder, [page]).map(\.outcome) == [.imported])
        #expect(try run(folder, [page]).map(\.outcome) == [.unchanged])
        // An editor sets the owner and review date by hand.
        let entry = folder.root + "/content/knowledge/communications/plan.md"
        var text = try String(contentsOfFile: entry, encoding: .utf8)
        text = text.replacingOccurrences(of: "confidentiality: internal", with: "confidentiality: restricted\nowner: dee\nreview_by: 2027-01-31")
        try text.write(toFile: entry, atomically: true, encoding: .utf8)
        try "<html><head><title>Plan v2</title></head><body><p>Second version.</p></body></html>"
            .write(toFile: page, atomically: true, encoding: .utf8)
        #expect(try run(folder, [page]).map(\.outcome) == [.updated])
        let knowledgeBase = try folder.load()
        #expect(knowledgeBase.entities(of: .knowledge).count == 1)
        let updated = try #require(knowledgeBase.entity(id: "knowledge/communications/plan"))
        #expect(updated.title == "Plan v2")
        #expect(updated.body.contains("Second version."))
        #expect(!updated.body.contains("First version."))
        #expect(updated.knowledge?.owner?.raw == "dee")
        #expect(updated.confidentiality == .restricted)
        #expect(updated.reviewBy == Day("2027-01-31"))
    }

    @Test func aFailingFileIsReportedAndTheBatchGoesOn() throws {
        let folder = try KnowledgeBaseFolder()
        let results = try run(folder, ["/nonexistent/page.html", Self.site + "/index.html"]) { $0.limits.maximumBytes = 1_000_000 }
        #expect(results.map(\.outcome.label) == ["failed", "imported"])
        let big = try run(folder, [Self.site + "/guide/escalation.html"]) { $0.limits.maximumBytes = 10 }
        guard case .failed(let reason) = big.first?.outcome else {
            Issue.record("a file over the limit must fail")
            return
        }
        #expect(reason.contains("limit"))
        // Nothing was written for it.
        #expect(!FileManager.default.fileExists(atPath: folder.root + "/content/knowledge/communications/escalation.md"))
    }

    @Test func aLinkMetInAFolderIsSkippedButALinkNamedOnItsOwnFails() throws {
        let folder = try KnowledgeBaseFolder()
        let pages = folder.root + "/export"
        try FileManager.default.createDirectory(atPath: pages, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.site + "/index.html", toPath: pages + "/start.html")
        try FileManager.default.createSymbolicLink(atPath: pages + "/index.html", withDestinationPath: "start.html")
        let results = try run(folder, [pages])
        #expect(results.map(\.outcome) == [.skipped("a symbolic link; only regular files are imported"), .imported])
        let named = try run(folder, [pages + "/index.html"])
        #expect(named.map(\.outcome.label) == ["failed"])
    }

    @Test func aDryRunWritesNothing() throws {
        let folder = try KnowledgeBaseFolder()
        let results = try run(folder, [Self.site]) { $0.dryRun = true }
        #expect(results.filter { $0.outcome == .imported }.count == 3)
        #expect(!FileManager.default.fileExists(atPath: folder.root + "/content/knowledge"))
    }
}

@Suite struct AssetTests {
    static let page = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/assets/page.html").path

    @Test func localImagesAreCopiedBesideTheEntry() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.assets = true
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([Self.page])
        #expect(results.map(\.outcome) == [.imported])
        let entryFolder = folder.root + "/content/knowledge/knowledge-management"
        let copied = try #require(FileManager.default.contents(atPath: entryFolder + "/page-assets/chart.png"))
        #expect(copied == FileManager.default.contents(atPath: (Self.page as NSString).deletingLastPathComponent + "/img/chart.png"))
        let text = try String(contentsOfFile: entryFolder + "/page.md", encoding: .utf8)
        #expect(text.contains("![Availability chart](page-assets/chart.png)"))
        #expect(text.contains("![Remote](https://example.org/remote.png)"))
    }

    @Test func withoutAssetsImagesPointAtTheOriginals() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        _ = Importer(knowledgeBase: try folder.load(), options: Importer.Options()).run([Self.page])
        let text = try String(contentsOfFile: folder.root + "/content/knowledge/knowledge-management/page.md", encoding: .utf8)
        #expect(text.contains("Fixtures/assets/img/chart.png)"))
        #expect(!FileManager.default.fileExists(atPath: folder.root + "/content/knowledge/knowledge-management/page-assets"))
    }
}

@Suite struct SniffingTests {
    @Test func filesWithoutAnExtensionAreRecognisedByHowTheyBegin() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        let export = folder.root + "/export"
        try FileManager.default.createDirectory(atPath: export, withIntermediateDirectories: true)
        try "\u{FEFF}\n<!DOCTYPE html><html><head><title>Service desk</title></head><body><main><h1>Service desk</h1><p>Open from eight to six.</p></main></body></html>"
            .write(toFile: export + "/service-desk", atomically: true, encoding: .utf8)
        try "<?xml version=\"1.0\"?><article><title>Change calendar</title><para>Freeze in December.</para></article>"
            .write(toFile: export + "/calendar", atomically: true, encoding: .utf8)
        try "just some notes, not markup".write(toFile: export + "/notes", atomically: true, encoding: .utf8)
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: export + "/logo.png"))

        #expect(Importer.kind(of: export + "/service-desk") == .html)
        #expect(Importer.kind(of: export + "/calendar") == .xml)
        #expect(Importer.kind(of: export + "/notes") == .other)
        #expect(Importer.kind(of: export + "/logo.png") == .other)

        let results = Importer(knowledgeBase: try folder.load(), options: Importer.Options()).run([export])
        #expect(results.map { ($0.source as NSString).lastPathComponent }.sorted() == ["calendar", "service-desk"])
        #expect(results.allSatisfy { $0.outcome == .imported })
        #expect(try folder.load().entities(of: .knowledge).map(\.title).sorted() == ["Change calendar", "Service desk"])

        // Named on its own, a file that is neither is skipped with the reason.
        let lone = Importer(knowledgeBase: try folder.load(), options: Importer.Options()).run([export + "/notes"])
        #expect(lone.map(\.outcome) == [.skipped("it does not begin like HTML or XML")])
    }
}

@Suite struct LinkRewritingTests {
    @Test func linksPointAtEntriesFilesOrStayAsTheyWere() throws {
        let folder = NSTemporaryDirectory() + "baton-links-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/docs", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "x".write(toFile: folder + "/docs/terms.pdf", atomically: true, encoding: .utf8)
        let ids = [folder + "/docs/exit.html": "knowledge/exit-management/exit"]
        func rewrite(_ href: String) -> String {
            Importer.rewrite(href, from: folder + "/docs", entryFolder: "knowledge/communications", ids: ids)
        }
        #expect(rewrite("exit.html#steps") == "../exit-management/exit.md#steps")
        #expect(rewrite("terms.pdf") == folder + "/docs/terms.pdf")
        #expect(rewrite("missing.html#x") == "missing.html#x")
        #expect(rewrite("https://example.org/a.html") == "https://example.org/a.html")
        #expect(rewrite("#local") == "#local")
    }
}


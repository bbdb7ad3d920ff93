import BatonContent
import Foundation
import Testing

@testable import BatonImport

/// Sphinx pages as they describe API objects and footnotes, written here: links to an object's or a footnote's
/// id, on the same page or another, must lead to the heading that id is under.
@Suite struct SphinxAnchorTests {
    /// The page is also the html fuzz target's seed: one copy of it, read from there.
    static let queue = try! String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fuzz/html/sphinx-objects.html").standardized.path, encoding: .utf8)

    static let guide = """
        <html><head><title>Guide</title></head><body><div class="body"><section id="guide"><h1>Guide</h1>
        <p>Call <a href="queue.html#queue.Queue.get">get()</a>, then <a href="queue.html#queue.drain">drain()</a>;
          the <a href="queue.html#module-queue">module</a>, a <a href="queue.html#nowhere">lost id</a>.</p>
        </section></div></body></html>
        """

    @Test func objectsBecomeHeadingsFootnotesStayAndLocalLinksArrive() throws {
        let page = try HTMLImporter.page(Array(Self.queue.utf8))
        #expect(page.markdown == """
            # queue — Job queues

            Jobs wait in a queue.[1](#footnotes) See [`put()`](#putjob).

            ## *class* Queue(*size*)

            A queue of jobs.

            ### put(*job*)

            Adds a job.

            ### get()

            Takes the oldest job.

            ## drain()

            Empties every queue.

            ## Footnotes

            \\[1\\] First in, first out.

            """)
        #expect(page.anchors["queue.Queue.get"] == "get")
        #expect(page.anchors["module-queue"] == "queue--job-queues")
        #expect(page.anchors["id2"] == "footnotes")
        // The footnote is the page's text too.
        #expect(page.kept?.share == 1)
    }

    @Test func linksFromAnotherPageArriveAtTheHeadingTheIdIsUnder() throws {
        let site = try MarkdownImportTests.Site(["queue.html": Self.queue, "guide.html": Self.guide])
        let folder = try ImporterTests.KnowledgeBaseFolder()
        // The guide is converted first (in name order) and links to a page converted after it.
        let results = Importer(knowledgeBase: try folder.load(), options: Importer.Options()).run([site.root])
        #expect(results.map(\.outcome) == [.imported, .imported])
        let guide = try #require(try folder.load().entity(id: "knowledge/knowledge-management/guide"))
        #expect(guide.body.contains("Call [get()](queue.md#get), then [drain()](queue.md#drain); the [module](queue.md#queue--job-queues), a [lost id](queue.md#nowhere)."), "\(guide.body)")
        // Changing only the guide re-points its links to the unchanged page, converted again just for its ids.
        try (Self.guide.replacingOccurrences(of: "Call", with: "First call")).write(toFile: site.root + "/guide.html", atomically: true, encoding: .utf8)
        let again = Importer(knowledgeBase: try folder.load(), options: Importer.Options()).run([site.root])
        #expect(again.map(\.outcome) == [.updated, .unchanged])
        let updated = try #require(try folder.load().entity(id: "knowledge/knowledge-management/guide"))
        #expect(updated.body.contains("First call [get()](queue.md#get), then [drain()](queue.md#drain)"), "\(updated.body)")
    }
}

import BatonContent
import Foundation
import Testing

@testable import BatonImport

/// Pages in the shape Doxygen writes them, written here: a class reference and a source listing, each inside
/// the project's own header and menus.
@Suite struct DoxygenTests {
    static let seeds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../Fuzz/html").standardized.path

    static let chrome = """
        <html><head><meta name="generator" content="Doxygen 1.9.1"/></head><body>
        <div id="top"><div id="titlearea"></div>
        <table width="100%"><tr><td><a href="https://example.org/queue">Queue project page</a></td><td><a href="hierarchy.html">Classes</a></td></tr></table>
        <div id="nav-path" class="navpath"><ul><li class="navelem"><a class="el" href="dir_1.html">include</a></li></ul></div>
        </div>
        """

    @Test func aClassReferenceKeepsItsMembersAndLeavesTheMenusOut() throws {
        // The page is also the html fuzz target's seed (the project's header above it): one copy, read from there.
        let html = try String(contentsOfFile: Self.seeds + "/doxygen-class.html", encoding: .utf8)
        let page = try HTMLImporter.page(Array(html.utf8), fallbackTitle: "class_queue")
        #expect(page.title == "Queue Class Reference")
        #expect(page.markdown == """
            # Queue Class Reference

            ## Public Member Functions

            - `void` [put](#put) (Job job) — Adds a job.

            ## Member Function Documentation

            ## put()

            ```cpp
            void Queue::put (Job job)
            ```

            Adds a job to the end. See [put()](#put).

            """)
        #expect(page.anchors["a1"] == "put")
        #expect(page.anchors["pub-methods"] == "public-member-functions")
        #expect(page.kept?.share == 1)
    }

    @Test func aSourceListingIsOneCodeBlockWithoutLineNumbersOrTooltips() throws {
        let html = Self.chrome + """
            <div class="header"><div class="headertitle"><div class="title">queue.h</div></div></div>
            <div class="contents"><a href="queue_8h.html">Go to the documentation of this file.</a>
            <div class="fragment"><div class="line"><a name="l00001"></a><span class="lineno">    1</span>&#160;<span class="comment">// A queue of jobs.</span></div>
            <div class="line"><a name="l00002"></a><span class="lineno">    2</span>&#160;<span class="keyword">class </span>Queue {</div>
            <div class="line"><a name="l00003"></a><span class="lineno">    3</span>&#160;  <span class="keywordtype">void</span> put(Job job);</div>
            <div class="line"><a name="l00004"></a><span class="lineno">    4</span>&#160;};</div>
            </div>
            <div class="ttc" id="aclass_queue"><div class="ttname"><a href="class_queue.html">Queue</a></div><div class="ttdef"><b>Definition:</b> queue.h:2</div></div>
            </div></body></html>
            """
        let page = try HTMLImporter.page(Array(html.utf8))
        #expect(page.title == "queue.h")
        #expect(page.markdown == """
            # queue.h

            [Go to the documentation of this file.](queue_8h.html)

            ```
            // A queue of jobs.
            class Queue {
              void put(Job job);
            };
            ```

            """)
        #expect(page.kept?.share == 1)
        // A page without any title of its own is named after its file, not "Untitled".
        let bare = try HTMLImporter.page(Array("<html><body><p>Just text.</p></body></html>".utf8), fallbackTitle: "functions_v")
        #expect(bare.title == "functions_v")
    }
}

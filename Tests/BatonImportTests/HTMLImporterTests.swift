import Foundation
import Testing

@testable import BatonImport

@Suite struct HTMLImporterTests {
    func page(_ html: String, encoding: String? = nil) throws -> ImportedPage {
        try HTMLImporter.page(Array(html.utf8), encoding: encoding)
    }

    /// AsciiDoc writes its sections as sibling `div.sect1`s (DocBook's class names) and the page's heading with its
    /// NAME line in `#header`, which is navigation's name elsewhere.
    @Test func anAsciiDocPageKeepsItsHeaderAndEverySection() throws {
        let result = try page("""
            <html><head><meta name="generator" content="AsciiDoc 10.2.0"><title>handover(1)</title></head>
            <body class="manpage">
            <div id="header"><h1>handover(1) Manual Page</h1><h2>NAME</h2>
            <div class="sectionbody"><p>handover - pass a role to its successor</p></div></div>
            <div id="content">
            <div class="sect1"><h2 id="_synopsis">SYNOPSIS</h2><div class="sectionbody">
            <div class="verseblock"><pre class="content"><em>handover</em> [--dry-run] &lt;role&gt;</pre></div></div></div>
            <div class="sect1"><h2 id="_description">DESCRIPTION</h2><div class="sectionbody">
            <div class="paragraph"><p>Moves the open items of a role to the person named as its successor.</p></div>
            <div class="listingblock"><div class="content"><pre><code>$ handover service-manager</code></pre></div></div>
            </div></div>
            <div class="sect1"><h2 id="_see_also">SEE ALSO</h2><div class="sectionbody">
            <div class="paragraph"><p>The continuity chapter of the plan.</p></div></div></div>
            </div>
            <div id="footer"><div id="footer-text">Last updated 2026-11-30</div></div>
            </body></html>
            """)
        #expect(result.markdown.hasPrefix("# handover(1) Manual Page\n\n## NAME\n\nhandover - pass a role to its successor"))
        for heading in ["## SYNOPSIS", "## DESCRIPTION", "## SEE ALSO"] { #expect(result.markdown.contains(heading)) }
        #expect(result.markdown.contains("```\n$ handover service-manager\n```"))
        #expect(!result.markdown.contains("Last updated"))
        #expect(result.kept?.share == 1)
        // Sibling divisions without AsciiDoc's header are all kept too.
        let divisions = try page("""
            <html><body><div class="toc">Contents</div><div><div class="sect1"><h2>One</h2><p>First part.</p></div>
            <div class="sect1"><h2>Two</h2><p>Second part.</p></div></div></body></html>
            """)
        #expect(divisions.markdown.contains("First part.") && divisions.markdown.contains("Second part."))
    }

    /// Sphinx writes the space in a signature as a span of its own and ends the signature with `<br>`.
    @Test func aSpaceInASpanOfItsOwnSeparatesWordsAndAClosingBreakLeavesNoBackslash() throws {
        let result = try page("""
            <html><body><main><dl><dt class="sig"><span class="kt"><span class="pre">int</span></span><span
            class="w"> </span><span class="n"><span class="pre">Handover_Check</span></span>(<span class="n">ob</span>)<br/></dt>
            <dd><p>Whether <b>x</b><span> is</span> ready.<br></p></dd></dl><h2>Steps<br></h2></main></body></html>
            """)
        #expect(result.markdown.contains("**int Handover\\_Check(ob)**\n"))
        #expect(result.markdown.contains("Whether **x** is ready.\n"))
        #expect(result.markdown.contains("## Steps\n"))
        #expect(result.kept?.share == 1)
    }

    @Test func convertsTheCommonConstructs() throws {
        let result = try page("""
            <html lang="en"><head><title>Exit plan — Northmoor intranet</title>
            <meta name="description" content="How we leave well"><meta name="author" content="Helen A.">
            <meta name="keywords" content="exit, contingency"></head>
            <body><nav><a href="/">Home</a> | <a href="/x">Menu item</a></nav>
            <main><h1>Exit plan</h1>
            <p>The <em>exit</em> plan is <strong>reviewed</strong> every year; see <a href="terms.html">the terms</a>.</p>
            <h2>Steps</h2>
            <ol><li>Decide<ul><li>by March</li><li>with the board</li></ul></li><li>Give notice</li></ol>
            <pre class="language-python">print("a < b")</pre>
            <table><tr><th>Who</th><th>When</th></tr><tr><td>Board</td><td>Q1<br>2027</td></tr></table>
            <blockquote><p>Leave well.</p></blockquote>
            <dl><dt>Trigger</dt><dd>A reason to start the exit.</dd></dl>
            <p>Use <code>exit --now</code> and <img src="chart.png" alt="A chart">.</p>
            </main><footer>Copyright footer text</footer></body></html>
            """)
        #expect(result.title == "Exit plan")
        #expect(result.description == "How we leave well")
        #expect(result.author == "Helen A.")
        #expect(result.keywords == ["exit", "contingency"])
        #expect(result.language == "en")
        let expected = """
            # Exit plan

            The *exit* plan is **reviewed** every year; see [the terms](terms.html).

            ## Steps

            1. Decide
               - by March
               - with the board
            2. Give notice

            ```python
            print("a < b")
            ```

            | Who | When |
            |---|---|
            | Board | Q1<br>2027 |

            > Leave well.

            **Trigger**

            A reason to start the exit.

            Use `exit --now` and ![A chart](chart.png).

            """
        #expect(result.markdown == expected)
        #expect(!result.markdown.contains("Menu item"))
        #expect(!result.markdown.contains("Copyright"))
        #expect(result.images == ["chart.png"])
    }

    @Test func noteBoxesBecomeQuotesWithTheirTitle() throws {
        let result = try page("""
            <html><body><main><h1>Keys</h1>
            <div class="admonition warning"><p class="admonition-title">Warning</p><p>Rotate the keys <em>yearly</em>.</p>
            <p>Tell the supplier first.</p></div>
            <div class="note"><p>Untitled note.</p></div>
            <div class="admonition seealso"><p>The exit plan.</p></div>
            <div class="plain"><p>Not a box.</p></div>
            </main></body></html>
            """)
        #expect(result.markdown == """
            # Keys

            > **Warning**
            >
            > Rotate the keys *yearly*.
            >
            > Tell the supplier first.

            > **Note**
            >
            > Untitled note.

            > **See also**
            >
            > The exit plan.

            Not a box.

            """)
    }

}

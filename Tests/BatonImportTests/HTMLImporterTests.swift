import Foundation
import Testing

@testable import BatonImport

@Suite struct HTMLImporterTests {
    func page(_ html: String, encoding: String? = nil) throws -> ImportedPage {
        try HTMLImporter.page(Array(html.utf8), encoding: encoding)
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

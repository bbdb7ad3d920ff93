import BatonContent
import Foundation
import Testing

@testable import BatonImport

/// A class page in the shape javadoc 11+ writes it, written here: grids of `div`s for its summaries, sections
/// wrapped in lists, a NUL byte where the docs show the character `'\0'`.
@Suite struct JavadocTests {
    @Test func summaryGridsBecomeTablesAndSectionsStayHeadings() throws {
        let html = """
            <html><head><meta name="generator" content="javadoc/ClassWriterImpl"><title>Queue (Jobs API)</title></head><body>
            <header role="banner"><nav role="navigation"><ul class="nav-list"><li><a href="index.html">Overview</a></li></ul></nav></header>
            <main role="main"><div class="header"><h1 class="title">Class Queue</h1></div>
            <section class="summary"><ul class="summary-list"><li>
            <section class="field-summary" id="field-summary"><h2>Field Summary</h2>
            <div class="caption"><span>Fields</span></div>
            <div class="summary-table three-column-summary">
            <div class="table-header col-first">Modifier and Type</div><div class="table-header col-second">Field</div><div class="table-header col-last">Description</div>
            <div class="col-first even-row-color"><code>static final char</code></div><div class="col-second even-row-color"><code><a href="#NUL">NUL</a></code></div>
            <div class="col-last even-row-color"><div class="block">The character <code>\u{0}</code>, shown as nothing.</div></div>
            <div class="col-first odd-row-color"><code>static int</code></div><div class="col-second odd-row-color"><code><a href="#MAX">MAX</a></code></div>
            <div class="col-last odd-row-color"><div class="block">The most jobs.</div></div>
            </div></section></li></ul></section>
            <section class="details" id="related-package-summary"><ul class="details-list"><li><section class="detail" id="MAX"><h3>MAX</h3>
            <div class="block">The most jobs a queue holds.</div></section></li></ul></section>
            </main></body></html>
            """
        let page = try HTMLImporter.page(Array(html.utf8))
        #expect(page.markdown == """
            # Class Queue

            ## Field Summary

            Fields

            | Modifier and Type | Field | Description |
            |---|---|---|
            | `static final char` | [`NUL`](#NUL) | The character ` `, shown as nothing. |
            | `static int` | [`MAX`](#max) | The most jobs. |

            ### MAX

            The most jobs a queue holds.

            """, "\\(page.markdown)")
        #expect(page.kept?.share == 1)
    }
}

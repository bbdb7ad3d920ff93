import BatonContent
import Foundation
import Testing

@testable import BatonImport

/// Pages as wikis export them, written here in their shape: MediaWiki's edit links beside each heading, and
/// Confluence's title, breadcrumbs, page metadata and code macro.
@Suite struct WikiExportTests {
    @Test func mediaWikiHeadingsLoseTheirEditLinks() throws {
        let html = """
            <html><head><title>Exit plan - Partner Wiki</title></head><body>
            <div id="mw-content-text"><div class="mw-parser-output">
            <p>How the service moves back.</p>
            <h2><span class="mw-headline" id="Tiers">Tiers</span><span class="mw-editsection"><span class="mw-editsection-bracket">[</span><a href="/index.php?title=Exit_plan&amp;action=edit&amp;section=1" title="Edit section: Tiers">edit</a><span class="mw-editsection-bracket">]</span></span></h2>
            <p>Three tiers, see <a href="#Tiers">above</a>.</p>
            </div></div></body></html>
            """
        let page = try HTMLImporter.page(Array(html.utf8))
        #expect(page.title == "Exit plan")
        #expect(page.markdown == "# Exit plan\n\nHow the service moves back.\n\n## Tiers\n\nThree tiers, see [above](#tiers).\n")
        #expect(page.kept?.share == 1)
    }

    @Test func confluencePagesKeepTheirAuthorDayTrailAndCodeLanguage() throws {
        let html = """
            <html><head><title>Partnership : Restart the desk</title></head><body>
            <div id="page"><div id="main" class="aui-page-panel">
            <div id="main-header"><div id="breadcrumb-section"><ol id="breadcrumbs">
              <li class="first"><span><a href="index.html">Partnership</a></span></li>
              <li><span><a href="Runbooks_2031.html">Runbooks</a></span></li>
            </ol></div>
            <h1 id="title-heading" class="pagetitle"><span id="title-text">Partnership : Restart the desk</span></h1></div>
            <div id="content" class="view">
              <div class="page-metadata">Created by <span class='author'> Ana Lopes</span>, last modified by <span class='editor'> Rui Matos</span> on Mar 05, 2024</div>
              <div id="main-content" class="wiki-content group">
                <p>Restart only when the board is clear.</p>
                <div class="code panel pdl"><div class="codeContent panelContent pdl">
                <pre class="syntaxhighlighter-pre" data-syntaxhighlighter-params="brush: bash; gutter: false; theme: Confluence" data-theme="Confluence">systemctl restart desk</pre>
                </div></div>
              </div>
            </div></div></div></body></html>
            """
        let page = try HTMLImporter.page(Array(html.utf8))
        #expect(page.title == "Restart the desk")
        #expect(page.author == "Ana Lopes")
        #expect(page.date == "2024-03-05")
        #expect(page.markdown == """
            # Restart the desk

            *In [Partnership](index.html) › [Runbooks](Runbooks_2031.html)*

            Restart only when the board is clear.

            ```bash
            systemctl restart desk
            ```

            """)
        #expect(Confluence.day("Created by A, last modified on 7 things, Dec 31, 2025") == "2025-12-31")
        #expect(Confluence.day("no date here") == nil)
    }
}

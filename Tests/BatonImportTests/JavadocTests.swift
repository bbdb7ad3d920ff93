import BatonContent
import Foundation
import Testing

@testable import BatonImport

/// A class page in the shape javadoc 11+ writes it, written here: grids of `div`s for its summaries, sections
/// wrapped in lists, a NUL byte where the docs show the character `'\0'`.
@Suite struct JavadocTests {
    @Test func summaryGridsBecomeTablesAndSectionsStayHeadings() throws {
        // The page is also the html fuzz target's seed (with its NUL byte): one copy, read from there.
        let html = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fuzz/html/javadoc-grid.html").standardized)
        let page = try HTMLImporter.page(Array(html))
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

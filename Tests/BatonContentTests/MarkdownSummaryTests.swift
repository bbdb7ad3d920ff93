import Testing

@testable import BatonContent

@Suite struct MarkdownSummaryTests {
    static let checklist = """

        # Handover

        ## Before the last day

        - [ ] Agree the plan
        - [x] Tell the **counterpart**
          who is taking over
        * [X] Book the meeting

        ## After

        1. [ ] Confirm nothing is missing
           - [x] Nested item with `code`
        - Not a task
        """

    @Test func taskItemsCarryStateFileLineAndSection() {
        // The body starts on line 5 of its file.
        let summary = MarkdownSummary(markdown: Self.checklist, firstLine: 5)
        #expect(summary.tasks.map(\.text) == [
            "Agree the plan", "Tell the counterpart who is taking over", "Book the meeting",
            "Confirm nothing is missing", "Nested item with code",
        ])
        #expect(summary.tasks.map(\.isChecked) == [false, true, true, false, true])
        #expect(summary.tasks.map(\.line) == [10, 11, 13, 17, 18])
        #expect(summary.tasks.map(\.section) == [
            "Before the last day", "Before the last day", "Before the last day", "After", "After",
        ])
    }

    @Test func headingsGetStableUniqueAnchors() {
        let summary = MarkdownSummary(markdown: """
            # IP & licences
            ## Notes
            ## Notes
            ## Notes-1
            ### Ça marche: déjà vu?
            """)
        #expect(summary.headings.map(\.anchor) == ["ip--licences", "notes", "notes-1", "notes-1-1", "ça-marche-déjà-vu"])
        #expect(summary.headings.map(\.level) == [1, 2, 2, 2, 3])
        #expect(summary.headings.map(\.line) == [1, 2, 3, 4, 5])
    }

    @Test func plainTextDropsMarkup() {
        let summary = MarkdownSummary(markdown: """
            Some *emphasis* and a [link](https://example.org) and `code`.

            | a | b |
            |---|---|
            | c | d |

            ```sh
            make demo
            ```
            """)
        #expect(summary.plainText.contains("Some emphasis and a link and code."))
        #expect(summary.plainText.contains("make demo"))
        #expect(!summary.plainText.contains("*"))
        #expect(!summary.plainText.contains("https://"))
        #expect(summary.plainText.contains("c"))
    }

    @Test func htmlHasTheGitHubExtensions() {
        let html = MarkdownSummary.html(for: """
            | a | b |
            |---|---|
            | 1 | 2 |

            ~~gone~~ and https://example.org

            - [x] done

            <script>alert(1)</script>
            """)
        #expect(html.contains("<table>"))
        #expect(html.contains("<del>gone</del>"))
        #expect(html.contains("<a href=\"https://example.org\">"))
        #expect(html.contains("type=\"checkbox\""))
        #expect(!html.contains("<script>"))
    }
}

/// cmark-gfm's extensions share global state; parses on many threads at once must still all see them.
@Suite struct MarkdownConcurrencyTests {
    @Test func parsesOnManyThreadsAllKeepTheExtensions() async {
        let markdown = "~~struck~~ and https://example.org\n\n- [x] done\n"
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<400 {
                group.addTask {
                    let html = MarkdownSummary.html(for: markdown)
                    let summary = MarkdownSummary(markdown: markdown)
                    return html.contains("<del>struck</del>") && html.contains("<a href=")
                        && summary.tasks.count == 1
                }
            }
            var all: [Bool] = []
            for await result in group { all.append(result) }
            return all
        }
        #expect(results.count == 400)
        #expect(results.allSatisfy { $0 })
    }
}

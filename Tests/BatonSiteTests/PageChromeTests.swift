import BatonContent
import Foundation
import Testing

@testable import BatonSite

/// What the layout puts around each page: the sidebar, breadcrumbs, previous and next, the table of contents,
/// "Edit this page" and "Last updated".
@Suite struct PageChromeTests {
    /// A knowledge base in a temporary folder, written from a dictionary of files.
    final class Folder {
        let root = NSTemporaryDirectory() + "baton-chrome-" + UUID().uuidString

        init(_ files: [String: String]) throws {
            for (path, text) in files { try write(path, text) }
        }

        func write(_ path: String, _ text: String) throws {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }

        /// Builds the site for an internal audience and returns every page's text by path.
        func build(today: String = "2026-11-20") throws -> [String: String] {
            var options = SiteBuilder.Options()
            options.output = root + "/public"
            options.today = Day(today)!
            let theme = try Theme.load([SiteBuilderTests.defaultTheme])
            _ = try SiteBuilder(knowledgeBase: try KnowledgeBase.load(root: root), theme: theme, options: options).build()
            var pages: [String: String] = [:]
            let walker = FileManager.default.enumerator(atPath: options.output)
            while let path = walker?.nextObject() as? String {
                guard path.hasSuffix(".html") else { continue }
                pages[path] = String(decoding: FileManager.default.contents(atPath: options.output + "/" + path) ?? Data(), as: UTF8.self)
            }
            return pages
        }

        /// Runs git in the folder with a fixed author and date.
        func git(_ arguments: [String], date: String = "2026-03-04T10:00:00Z") throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", root, "-c", "user.name=Test", "-c", "user.email=test@example.org",
                                 "-c", "commit.gpgsign=false"] + arguments
            var environment = ProcessInfo.processInfo.environment
            environment["GIT_AUTHOR_DATE"] = date
            environment["GIT_COMMITTER_DATE"] = date
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "git \(arguments)")
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    static let config = """
        title: Canal partnership
        organisations:
          - {id: client, name: Client Ltd, side: client}
          - {id: supplier, name: Supplier plc, side: supplier}
        phase: operations
        edit_url: https://git.example.org/kb/-/edit/main/{path}

        """

    static func entry(_ title: String, section: String, body: String = "Text.") -> String {
        "---\ntitle: \(title)\nsection: \(section)\n---\n\(body)\n"
    }

    static func basic() throws -> Folder {
        try Folder([
            "baton.yml": config,
            "content/roles/desk-lead.md": "---\ntitle: Desk Lead\norganisation: client\ntier: operational\n---\nRuns the desk.\n",
            "content/roles/account-lead.md": "---\ntitle: Account Lead\norganisation: supplier\ntier: operational\n---\nLeads.\n",
            "content/knowledge/communications/alpha.md": entry("Alpha notes", section: "communications"),
            "content/knowledge/communications/bravo.md": entry("Bravo notes", section: "communications", body: """
                Opening words.

                ## Who to call

                Someone.

                ## Escalation & limits

                Words.

                ### Out of hours

                More.

                ## Who to call

                Again.
                """),
            "content/knowledge/communications/charlie.md": entry("Charlie notes", section: "communications"),
            "content/knowledge/exit-arrangements/exit.md": entry("Exit outline", section: "exit-arrangements"),
        ])
    }

    @Test func theSidebarOpensThePagesGroupAndMarksThePage() throws {
        let folder = try Self.basic()
        let pages = try folder.build()
        let bravo = try #require(pages["knowledge/communications/bravo.html"])
        let start = try #require(bravo.range(of: "<nav id=\"sidebar\""))
        let end = try #require(bravo.range(of: "</nav>", range: start.upperBound..<bravo.endIndex))
        let nav = String(bravo[start.lowerBound..<end.upperBound])
        // Every area, the open group with its pages, the current one marked; other groups closed.
        #expect(nav.contains("<a href=\"../../roles/index.html\">Roles</a> <span class=\"count\">2</span>"))
        #expect(nav.contains("<li class=\"organisation\">Client Ltd</li>") && nav.contains("<li class=\"organisation\">Supplier plc</li>"))
        #expect(nav.contains("<li class=\"open\"><a href=\"../../knowledge/index.html#communications\">9. Communications</a> <span class=\"count\">3</span>"))
        #expect(nav.contains("<a href=\"../../knowledge/communications/bravo.html\" aria-current=\"page\">Bravo notes</a>"))
        #expect(nav.contains("<a href=\"../../knowledge/communications/alpha.html\">Alpha notes</a>"))
        #expect(!nav.contains("exit.html"), "a closed group lists no pages")
        #expect(nav.components(separatedBy: "aria-current").count == 2)
        // Breadcrumbs down to the plan section; previous and next within it, in title order.
        #expect(bravo.contains("<ol><li><a href=\"../../index.html\">Home</a></li><li><a href=\"../../knowledge/index.html\">Knowledge</a></li><li><a href=\"../../knowledge/index.html#communications\">9. Communications</a></li></ol>"))
        #expect(bravo.contains("<a class=\"previous\" href=\"../../knowledge/communications/alpha.html\" rel=\"prev\"><span class=\"muted\">Previous</span> Alpha notes</a>"))
        #expect(bravo.contains("<a class=\"next\" href=\"../../knowledge/communications/charlie.html\" rel=\"next\"><span class=\"muted\">Next</span> Charlie notes</a>"))
        let alpha = try #require(pages["knowledge/communications/alpha.html"])
        #expect(!alpha.contains("rel=\"prev\"") && alpha.contains("rel=\"next\""))
        // The last of a section has no next: the next section's pages are not its neighbours.
        let charlie = try #require(pages["knowledge/communications/charlie.html"])
        #expect(!charlie.contains("rel=\"next\""))
        // Each group the sidebar links to is a heading with that id on the list page.
        for (page, ids) in [("knowledge/index.html", ["communications", "exit-arrangements"]),
                            ("roles/index.html", ["client-operational", "supplier-operational"])] {
            for id in ids {
                #expect(pages[page]?.contains("<h2 id=\"\(id)\">") == true, "\(page) #\(id)")
                #expect(bravo.contains("index.html#\(id)\""), "sidebar links \(page)#\(id)")
            }
        }
    }

    @Test func aBigGroupShowsAWindowAroundThePage() throws {
        var files = ["baton.yml": Self.config]
        for index in 0..<60 {
            let name = String(format: "entry-%02d", index)
            files["content/knowledge/communications/\(name).md"] = Self.entry("Entry \(String(format: "%02d", index))", section: "communications")
        }
        let pages = try Folder(files).build()
        let page = try #require(pages["knowledge/communications/entry-50.html"])
        let listed = page.components(separatedBy: "<li><a href=\"../../knowledge/communications/entry-").count - 1
        #expect(listed == Navigation.groupWindow)
        #expect(page.contains("entry-50.html\" aria-current=\"page\""))
        #expect(page.contains("… 20 more</a>"))
        #expect(!page.contains("entry-00.html\">Entry 00"), "far from the page: left to the list page")
    }

    @Test func longPagesGetATableOfContentsLinkedToTheirHeadings() throws {
        let folder = try Self.basic()
        let pages = try folder.build()
        let bravo = try #require(pages["knowledge/communications/bravo.html"])
        // The body's headings carry the anchors search links to (repeats numbered); the contents link to them.
        let knowledgeBase = try KnowledgeBase.load(root: folder.root)
        let anchors = try #require(knowledgeBase.entity(id: "knowledge/communications/bravo")).markdown.headings.map(\.anchor)
        #expect(anchors == ["who-to-call", "escalation--limits", "out-of-hours", "who-to-call-1"])
        for anchor in anchors {
            #expect(bravo.contains(" id=\"\(anchor)\">"), "\(anchor)")
            #expect(bravo.contains("<a href=\"#\(anchor)\">"), "\(anchor)")
        }
        #expect(bravo.contains("<main id=\"main\" class=\"with-toc\">"))
        #expect(bravo.contains("<li class=\"sub\"><a href=\"#out-of-hours\">Out of hours</a></li>"))
        #expect(bravo.contains("<a href=\"#escalation--limits\">Escalation &amp; limits</a>"))
        // A short page has none.
        let alpha = try #require(pages["knowledge/communications/alpha.html"])
        #expect(!alpha.contains("class=\"toc\"") && !alpha.contains("with-toc"))
    }

    @Test func pagesLinkToTheirSourceAndSayWhenItChanged() throws {
        let folder = try Self.basic()
        // Not a repository: the file's modification day.
        let path = folder.root + "/content/knowledge/communications/alpha.md"
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_700_000_000)], ofItemAtPath: path)
        var pages = try folder.build()
        var alpha = try #require(pages["knowledge/communications/alpha.html"])
        #expect(alpha.contains("<p class=\"page-source\">Last updated 2023-11-14 · <a href=\"https://git.example.org/kb/-/edit/main/content/knowledge/communications/alpha.md\" rel=\"nofollow\">Edit this page</a></p>"), "\(alpha)")

        // In a repository: the day of the last commit that touched the file, whatever its modification time.
        try folder.git(["init", "-q"])
        // (git is started only for a folder with a .git in it or above it — a worktree's .git file counts.)
        #expect(SourceDates.mayBeInRepository(folder.root + "/content/knowledge"))
        try folder.write("elsewhere/.git", "gitdir: /nowhere\n")
        #expect(SourceDates.mayBeInRepository(folder.root + "/elsewhere/deeper/still"))
        try FileManager.default.removeItem(atPath: folder.root + "/elsewhere")
        try folder.git(["add", "."], date: "2026-03-04T10:00:00Z")
        try folder.git(["commit", "-q", "-m", "first"], date: "2026-03-04T10:00:00Z")
        try folder.write("content/knowledge/communications/bravo.md", Self.entry("Bravo notes", section: "communications", body: "Shorter."))
        try folder.git(["commit", "-q", "-am", "second"], date: "2026-05-06T10:00:00Z")
        pages = try folder.build()
        alpha = try #require(pages["knowledge/communications/alpha.html"])
        #expect(alpha.contains("Last updated 2026-03-04 · "))
        #expect(pages["knowledge/communications/bravo.html"]?.contains("Last updated 2026-05-06 · ") == true)
        // A change not yet committed: the file's own day again.
        try folder.write("content/knowledge/communications/charlie.md", Self.entry("Charlie notes", section: "communications", body: "Edited."))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSince1970: 1_790_000_000)],
                                              ofItemAtPath: folder.root + "/content/knowledge/communications/charlie.md")
        pages = try folder.build()
        #expect(pages["knowledge/communications/charlie.html"]?.contains("Last updated 2026-09-21 · ") == true)
    }

    @Test func anEditURLWithoutPathIsWarnedAboutAndLeftOut() throws {
        let folder = try Self.basic()
        try folder.write("baton.yml", Self.config.replacingOccurrences(of: "{path}", with: "README.md"))
        let knowledgeBase = try KnowledgeBase.load(root: folder.root)
        let warning = try #require(knowledgeBase.diagnostics.first { $0.message.contains("edit_url") })
        #expect(warning.file == "baton.yml" && warning.line == 6 && warning.severity == .warning)
        let pages = try folder.build()
        #expect(pages["knowledge/communications/alpha.html"]?.contains("Edit this page") == false)
    }

    @Test func taskBoxesSayWhatTheyShow() throws {
        let folder = try Self.basic()
        try folder.write("content/knowledge/communications/tasks.md",
                         Self.entry("Tasks", section: "communications", body: "- [x] Sent the letter\n- [ ] Call back\n"))
        let page = try #require(try folder.build()["knowledge/communications/tasks.html"])
        #expect(page.contains("<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"done\" /> Sent the letter"))
        #expect(page.contains("<input type=\"checkbox\" disabled=\"\" aria-label=\"to do\" /> Call back"))
    }

    @Test func aHealthCheckPageShowsItsScoresAsATable() throws {
        let folder = try Self.basic()
        try folder.write("content/healthchecks/2026-check.md", """
            ---
            title: Health check 2026
            date: 2026-06-01
            respondents: {client: 12, supplier: 9}
            scores:
              client: {communication: 2.5, satisfaction: 3, trust: 3.5, alignment: 4}
              supplier: {communication: 4, satisfaction: 3.5, trust: 4, alignment: 4}
            ---
            ## Actions

            - [ ] Meet monthly (owner: someone, due: 2026-09-01)
            """)
        let pages = try folder.build()
        let page = try #require(pages["healthchecks/2026-check.html"])
        #expect(page.contains("<span>Relationship health check</span> <span>held 2026-06-01</span>"))
        #expect(page.contains("<thead><tr><th scope=\"col\">Dimension</th><th scope=\"col\">Client Ltd</th><th scope=\"col\">Supplier plc</th></tr></thead>"))
        #expect(page.contains("<tr><th scope=\"row\">Trust</th><td>3.5</td><td>4.0</td></tr>"))
        #expect(page.contains("<tr><th scope=\"row\">Respondents</th><td>12</td><td>9</td></tr>"))
        #expect(!page.contains("<dt>Scores</dt>") && !page.contains("<dt>Respondents</dt>"), "the table, not the raw fields")
        #expect(page.contains("<a href=\"../healthchecks/index.html\" class=\"here\">Health checks</a>"))
        #expect(pages["healthchecks/index.html"]?.contains("<h1>Health checks</h1>") == true)
    }

    @Test func theSearchPageHasOneSearchBox() throws {
        let pages = try Self.basic().build()
        let search = try #require(pages["search.html"])
        #expect(!search.contains("id=\"search-box\"") && search.contains("id=\"search-query\""))
        #expect(pages["index.html"]?.contains("id=\"search-box\"") == true)
    }
}

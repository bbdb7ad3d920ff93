import BatonContent
import Foundation
import Testing

@testable import BatonSite

@Suite struct SiteBuilderTests {
    static let defaultTheme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../site").standardizedFileURL.path

    /// A small knowledge base with a restricted entry and personal contact details to hunt for.
    final class Fixture {
        let root = NSTemporaryDirectory() + "baton-site-" + UUID().uuidString

        init() throws {
            func write(_ path: String, _ text: String) throws {
                let full = root + "/" + path
                try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: full, atomically: true, encoding: .utf8)
            }
            try write("baton.yml", "title: Canal partnership\norganisations:\n  - {id: client, name: Client Ltd, side: client}\nphase: operations\n")
            try write("content/people/dee.md", "---\nname: Dee Quinn\norganisation: client\ncontact:\n  phone: CANARY-PHONE-5150\n---\nRuns the desk.\n")
            try write("content/knowledge/exit-arrangements/exit-plan.md", """
                ---
                title: Exit plan
                section: exit-arrangements
                owner: dee
                confidentiality: restricted
                ---
                The break fee is CANARY-RESTRICTED-7731.

                """)
            try write("content/knowledge/exit-arrangements/exit-overview.md", """
                ---
                title: Exit overview
                section: exit-arrangements
                owner: dee
                confidentiality: public
                ---
                How leaving works, in outline.

                """)
        }

        func load() throws -> KnowledgeBase { try KnowledgeBase.load(root: root) }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    func build(_ fixture: Fixture, audience: Confidentiality, output: String? = nil, themes: [String]? = nil) throws -> String {
        var options = SiteBuilder.Options()
        options.audience = audience
        options.output = output ?? fixture.root + "/public"
        let theme = try Theme.load(themes ?? [Self.defaultTheme, fixture.root + "/site"])
        _ = try SiteBuilder(knowledgeBase: try fixture.load(), theme: theme, options: options).build()
        return options.output
    }

    /// The example knowledge base's site is the same, byte for byte, whether its pages are rendered on one thread
    /// or on several.
    @Test func pagesRenderedOnSeveralThreadsAreThePagesOfOne() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
            .standardizedFileURL.path
        let knowledgeBase = try KnowledgeBase.load(root: example)
        let theme = try Theme.load([Self.defaultTheme])
        var sites: [[String: String]] = []
        for threads in [1, 2, 3] {
            var options = SiteBuilder.Options()
            options.output = NSTemporaryDirectory() + "baton-threads-" + UUID().uuidString
            options.renderThreads = threads
            options.lastUpdated = false
            options.today = Day("2026-11-30")!
            defer { try? FileManager.default.removeItem(atPath: options.output) }
            let report = try SiteBuilder(knowledgeBase: knowledgeBase, theme: theme, options: options).build()
            #expect(report.pages > 60)
            sites.append(files(options.output).filter { !$0.key.hasPrefix(".") })
        }
        #expect(sites[0].count > 60)
        #expect(sites[1] == sites[0])
        #expect(sites[2] == sites[0])
    }

    /// The link check of a large site (on two threads) finds every link that lands on no file, in page order, and
    /// none of the others: relative links from nested folders, fragments, external links, links above the root.
    @Test func theLinkCheckFindsEveryBrokenLinkInPageOrder() {
        var pages: [(path: String, html: String)] = []
        var expected: [String] = []
        var files: Set<String> = ["index.html", "assets/style.css"]
        for n in 0..<600 {
            let path = n % 3 == 0 ? "page-\(n).html" : "knowledge/s\(n % 5)/page-\(n).html"
            files.insert(path)
            let root = path.contains("/") ? "../../" : ""
            var html = "<a href=\"\(root)index.html#top\">home</a> <link href=\"\(root)assets/style.css\">"
            html += " <a href=\"https://example.org/\">out</a>"
            if n % 97 == 0 {
                html += " <a href=\"\(root)missing-\(n).html\">gone</a>"
                expected.append("\(path) → \(root)missing-\(n).html")
            }
            if n % 211 == 5 {
                html += " <img src=\"\(root)../above.png\">"
                expected.append("\(path) → \(root)../above.png")
            }
            pages.append((path, html))
        }
        #expect(expected.count > 6)
        #expect(SiteBuilder.brokenLinks(pages: pages, files: files) == expected)
        let first = Set(pages.prefix(10).map(\.path))
        #expect(SiteBuilder.brokenLinks(pages: Array(pages.prefix(10)), files: files)
                == expected.filter { first.contains(String($0.split(separator: " ")[0])) })
    }

    /// A build found to have nothing to do still removes the folder a killed build left beside the site (and
    /// leaves a live build's alone).
    @Test func aBuildWithNothingToDoRemovesWhatAKilledBuildLeft() throws {
        let fixture = try Fixture()
        var options = SiteBuilder.Options()
        options.output = fixture.root + "/public"
        options.fingerprint = "same-inputs"
        _ = try SiteBuilder(knowledgeBase: try fixture.load(), theme: try Theme.load([Self.defaultTheme]), options: options).build()
        let finished = Process()
        finished.executableURL = URL(fileURLWithPath: "/bin/true")
        try finished.run()
        finished.waitUntilExit()
        let killed = fixture.root + "/.public.baton-build-\(finished.processIdentifier)-12345"
        let alive = fixture.root + "/.public.baton-build-\(getpid())-67890"
        for folder in [killed, alive] { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        #expect(SiteBuilder.unchanged(output: options.output, fingerprint: "other-inputs") == nil)
        #expect(FileManager.default.fileExists(atPath: killed))
        #expect(SiteBuilder.unchanged(output: options.output, fingerprint: "same-inputs") != nil)
        #expect(!FileManager.default.fileExists(atPath: killed))
        #expect(FileManager.default.fileExists(atPath: alive))
    }

    /// "Nothing changed" holds only while every file of the site is as the build left it: a file edited, replaced
    /// (even by the same bytes) or removed since makes the next build a real one, which puts the site right.
    @Test func aSiteChangedSinceItsBuildIsBuiltAgain() throws {
        let fixture = try Fixture()
        var options = SiteBuilder.Options()
        options.output = fixture.root + "/public"
        options.fingerprint = "same-inputs"
        let theme = try Theme.load([Self.defaultTheme])
        func build() throws -> SiteBuilder.Report {
            try SiteBuilder(knowledgeBase: try fixture.load(), theme: theme, options: options).build()
        }
        func nothingToDo() -> Bool { SiteBuilder.unchanged(output: options.output, fingerprint: "same-inputs") != nil }
        func site() -> [String: String] { files(options.output).filter { $0.key != SiteBuilder.marker } }
        _ = try build()
        let built = site()
        #expect(nothingToDo())
        let marker = try String(contentsOfFile: options.output + "/" + SiteBuilder.marker, encoding: .utf8)
        #expect(marker.components(separatedBy: "\nseen ").count - 1 == built.count)
        // Edited in place.
        let page = options.output + "/index.html"
        try FileHandle(forWritingAtPath: page).map { handle in
            handle.seekToEndOfFile()
            handle.write(Data("<!-- edited -->".utf8))
            handle.closeFile()
        }
        #expect(!nothingToDo())
        let repaired = try build()
        #expect(repaired.writtenPaths == ["index.html"] && site() == built)
        #expect(nothingToDo())
        // Replaced by a copy of the same bytes: built again, and nothing needs writing.
        let copy = fixture.root + "/copy.html"
        try FileManager.default.copyItem(atPath: page, toPath: copy)
        #expect(rename(copy, page) == 0)
        #expect(!nothingToDo())
        #expect(try build().written == 0)
        #expect(nothingToDo())
        // Removed.
        try FileManager.default.removeItem(atPath: options.output + "/404.html")
        #expect(!nothingToDo())
        #expect(try build().writtenPaths == ["404.html"] && site() == built)
        // A marker without the lines that say how the files were left (an older Baton's): built again.
        let bare = try String(contentsOfFile: options.output + "/" + SiteBuilder.marker, encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("seen ") }.joined(separator: "\n") + "\n"
        try bare.write(toFile: options.output + "/" + SiteBuilder.marker, atomically: true, encoding: .utf8)
        #expect(!nothingToDo())
        #expect(try build().written == 0)
        #expect(nothingToDo())
    }

    /// Every file's text under a folder, by relative path.
    /// The search files of a site by data name (`s3` of `s3.AbCd.js`; `meta`): the file and its bytes.
    func searchData(_ site: String) -> [String: (file: String, bytes: Data)] {
        var result: [String: (file: String, bytes: Data)] = [:]
        for file in (try? FileManager.default.contentsOfDirectory(atPath: site + "/search")) ?? [] {
            let parts = file.split(separator: ".")
            guard file == "meta.js" || (parts.count == 3 && parts[1].count == 4 && parts[0].last!.isNumber) else { continue }
            result[file == "meta.js" ? "meta" : String(parts[0])] = (file, FileManager.default.contents(atPath: site + "/search/" + file)!)
        }
        return result
    }

    func files(_ folder: String) -> [String: String] {
        var result: [String: String] = [:]
        let walker = FileManager.default.enumerator(atPath: folder)
        while let relative = walker?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: folder + "/" + relative) {
                result[relative] = String(decoding: data, as: UTF8.self)
            }
        }
        return result
    }

    @Test func restrictedContentAndContactsNeverReachALowerAudience() throws {
        let fixture = try Fixture()
        for audience in [Confidentiality.public, .internal] {
            let output = try build(fixture, audience: audience, output: fixture.root + "/out-\(audience.rawValue)")
            let all = files(output)
            #expect(all["knowledge/exit-arrangements/exit-overview.html"] != nil)
            #expect(all["knowledge/exit-arrangements/exit-plan.html"] == nil)
            for (path, text) in all {
                #expect(!text.contains("CANARY-RESTRICTED-7731"), "\(path) leaks restricted text for \(audience)")
                #expect(!text.contains("CANARY-PHONE-5150"), "\(path) leaks contact details for \(audience)")
                #expect(!text.contains("exit-plan.html"), "\(path) links to a page \(audience) does not get")
            }
        }
        // The search state each build leaves beside the knowledge base (for the next) holds only what its site's
        // search does.
        func states() throws -> [String] {
            let cache = fixture.root + "/.baton/site-cache"
            return try FileManager.default.contentsOfDirectory(atPath: cache).map {
                String(decoding: try Data(contentsOf: URL(fileURLWithPath: cache + "/" + $0)), as: UTF8.self)
            }
        }
        let lower = try states()
        #expect(lower.count == 2)
        for text in lower {
            #expect(!text.lowercased().contains("canary-restricted-7731") && !text.lowercased().contains("canary-phone-5150"))
        }
        let restricted = files(try build(fixture, audience: .restricted))
        #expect(try states().contains { $0.contains("CANARY-RESTRICTED-7731") })
        #expect(restricted["knowledge/exit-arrangements/exit-plan.html"]?.contains("CANARY-RESTRICTED-7731") == true)
        #expect(restricted["people/dee.html"]?.contains("CANARY-PHONE-5150") == true)
        #expect(restricted["knowledge/index.html"]?.contains("href=\"../knowledge/exit-arrangements/exit-plan.html\"") == true)
    }

    @Test func aNarrowerRebuildLeavesNothingOfTheWiderOneBehind() throws {
        let fixture = try Fixture()
        let output = try build(fixture, audience: .restricted)
        #expect(FileManager.default.fileExists(atPath: output + "/knowledge/exit-arrangements/exit-plan.html"))
        _ = try build(fixture, audience: .internal)
        #expect(!FileManager.default.fileExists(atPath: output + "/knowledge/exit-arrangements/exit-plan.html"))
        #expect(files(output).values.allSatisfy { !$0.contains("CANARY-RESTRICTED-7731") })
    }

    @Test func pagesShowFieldsWithRelativeLinks() throws {
        let fixture = try Fixture()
        let all = files(try build(fixture, audience: .internal))
        let overview = try #require(all["knowledge/exit-arrangements/exit-overview.html"])
        #expect(overview.contains("<title>Exit overview · Canal partnership</title>"))
        #expect(overview.contains("href=\"../../assets/style.css\""))
        #expect(overview.contains("<a href=\"../../people/dee.html\">owned by Dee Quinn</a>"))
        #expect(overview.contains("<p>How leaving works, in outline.</p>"))
        let home = try #require(all["index.html"])
        #expect(home.contains("Client Ltd"))
        #expect(home.contains("href=\"knowledge/index.html\""))
        #expect(all["404.html"] != nil && all["search.html"] != nil && all["assets/style.css"] != nil)
        // Lists in groups: knowledge by plan section (numbered), people by organisation.
        #expect(all["knowledge/index.html"]?.contains("<h2 id=\"exit-arrangements\">10. Exit arrangements</h2>") == true)
        #expect(all["people/index.html"]?.contains("<h2 id=\"client-no-tier\">Client Ltd · no tier</h2>") == true)
        #expect(all["sitemap.xml"]?.contains("<loc>knowledge/exit-arrangements/exit-overview.html</loc>") == true)
    }

    @Test func aKnowledgeBaseCanOverrideATemplate() throws {
        let fixture = try Fixture()
        try FileManager.default.createDirectory(atPath: fixture.root + "/site/templates", withIntermediateDirectories: true)
        try "<h1>Our own list: {{heading}}</h1>".write(toFile: fixture.root + "/site/templates/list.mustache", atomically: true, encoding: .utf8)
        let all = files(try build(fixture, audience: .internal))
        #expect(all["people/index.html"]?.contains("<h1>Our own list: People</h1>") == true)
        // Templates it does not override come from the default theme.
        #expect(all["people/dee.html"]?.contains("class=\"entity person\"") == true)
    }

    @Test func aTemplateThatDoesNotParseIsNamed() throws {
        let fixture = try Fixture()
        try FileManager.default.createDirectory(atPath: fixture.root + "/site/templates", withIntermediateDirectories: true)
        try "<h1>{{#items}}never closed</h1>".write(toFile: fixture.root + "/site/templates/list.mustache", atomically: true, encoding: .utf8)
        do {
            _ = try build(fixture, audience: .internal)
            Issue.record("the build should have failed")
        } catch {
            #expect("\(error)".contains("templates/list.mustache"))
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.root + "/public"))
    }

    @Test func aThemeWithoutALayoutIsAClearError() throws {
        #expect(throws: Theme.LoadError.self) { _ = try Theme.load(["/nonexistent-theme"]) }
        do {
            _ = try Theme.load(["/nonexistent-theme"])
        } catch {
            #expect("\(error)".contains("layout.mustache"))
        }
    }

    @Test func aThemeWithoutTheSearchScriptIsAClearErrorAndWritesNothing() throws {
        let fixture = try Fixture()
        let theme = fixture.root + "/bare-theme"
        try FileManager.default.createDirectory(atPath: theme, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.defaultTheme + "/templates", toPath: theme + "/templates")
        var options = SiteBuilder.Options()
        options.output = fixture.root + "/public"
        do {
            _ = try SiteBuilder(knowledgeBase: try fixture.load(), theme: try Theme.load([theme]), options: options).build()
            Issue.record("the build should have failed")
        } catch {
            #expect("\(error)".contains("the theme has no assets/search.js"), "\(error)")
        }
        #expect(!FileManager.default.fileExists(atPath: options.output))
    }

    @Test func bodyLinksGoToPagesOrBecomeText() throws {
        let fixture = try Fixture()
        try """
            ---
            title: Exit map
            section: exit-arrangements
            owner: dee
            ---
            See [the plan](exit-plan.md#steps), [the overview](exit-overview.md), [a secret](/etc/passwd) and
            [the web](https://example.org).

            ![The map](exit-map-assets/map.png)

            """.write(toFile: fixture.root + "/content/knowledge/exit-arrangements/exit-map.md", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: fixture.root + "/content/knowledge/exit-arrangements/exit-map-assets", withIntermediateDirectories: true)
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: fixture.root + "/content/knowledge/exit-arrangements/exit-map-assets/map.png"))

        let internalSite = files(try build(fixture, audience: .internal))
        let page = try #require(internalSite["knowledge/exit-arrangements/exit-map.html"])
        #expect(page.contains("See the plan, <a href=\"../../knowledge/exit-arrangements/exit-overview.html\">the overview</a>, a secret and"))
        #expect(page.contains("<a href=\"https://example.org\">the web</a>"))
        #expect(page.contains("<img src=\"../../knowledge/exit-arrangements/exit-map-assets/map.png\""))
        #expect(internalSite["knowledge/exit-arrangements/exit-map-assets/map.png"] != nil)

        let restrictedSite = files(try build(fixture, audience: .restricted))
        #expect(restrictedSite["knowledge/exit-arrangements/exit-map.html"]?.contains(
            "<a href=\"../../knowledge/exit-arrangements/exit-plan.html#steps\">the plan</a>") == true)
    }

    @Test func aBrokenLinkFailsTheBuildAndKeepsTheOldSite() throws {
        let fixture = try Fixture()
        let output = try build(fixture, audience: .internal)
        try FileManager.default.createDirectory(atPath: fixture.root + "/site/templates", withIntermediateDirectories: true)
        try "<h1>{{heading}}</h1><a href=\"{{root}}nowhere.html\">lost</a>"
            .write(toFile: fixture.root + "/site/templates/list.mustache", atomically: true, encoding: .utf8)
        do {
            _ = try build(fixture, audience: .internal)
            Issue.record("the build should have failed")
        } catch {
            let message = "\(error)"
            #expect(message.contains("broken link"))
            #expect(message.contains("people/index.html → ../nowhere.html"))
        }
        // The site from before is still there, whole.
        #expect(FileManager.default.fileExists(atPath: output + "/index.html"))
        #expect(FileManager.default.fileExists(atPath: output + "/knowledge/exit-arrangements/exit-overview.html"))
    }


    @Test func roleHandoverAndPersonPagesShowTheirContinuityParts() throws {
        let fixture = try Fixture()
        func write(_ path: String, _ text: String) throws {
            try FileManager.default.createDirectory(atPath: (fixture.root + "/" + path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: fixture.root + "/" + path, atomically: true, encoding: .utf8)
        }
        try write("content/roles/desk-lead.md", """
            ---
            title: Desk lead
            organisation: client
            tier: operational
            onboarding:
              - {when: week 1, do: Read the exit material, read: [exit-overview, exit-plan]}
              - {when: day 1, do: Meet the deputy, meet: [dee]}
            ---

            """)
        try write("content/people/eli.md", """
            ---
            name: Eli Park
            organisation: client
            roles: [desk-lead]
            deputy: dee
            key_person: true
            leaving_date: 2026-12-10
            ---

            """)
        try write("content/handovers/eli-to-dee.md", """
            ---
            title: Eli to Dee
            role: desk-lead
            from: eli
            to: dee
            leaving: 2026-12-10
            ---
            ## Plan
            - [x] Agree the dates
            - [ ] Walk the runbooks (due 2026-11-01)
            ## Records
            - [ ] Update the contacts list

            """)
        var options = SiteBuilder.Options()
        options.output = fixture.root + "/public"
        options.today = Day("2026-11-20")!
        let theme = try Theme.load([Self.defaultTheme])
        _ = try SiteBuilder(knowledgeBase: try fixture.load(), theme: theme, options: options).build()
        let all = files(options.output)

        #expect(all["people/index.html"]?.contains("<h2 id=\"client-operational\">Client Ltd · Operational tier</h2>") == true)
        let role = try #require(all["roles/desk-lead.html"])
        // The timeline in time order, reading limited to what the audience gets, people linked.
        let day1 = try #require(role.range(of: "<strong>day 1</strong>"))
        let week1 = try #require(role.range(of: "<strong>week 1</strong>"))
        #expect(day1.lowerBound < week1.lowerBound)
        #expect(role.contains("<a href=\"../knowledge/exit-arrangements/exit-overview.html\">Exit overview</a>"))
        #expect(!role.contains("exit-plan"))
        #expect(role.contains("<a href=\"../people/eli.html\">Eli Park</a> · deputy <a href=\"../people/dee.html\">Dee Quinn</a></li>"))

        let person = try #require(all["people/eli.html"])
        #expect(person.contains("No successor"))
        #expect(person.contains("Leaving on 2026-12-10"))
        let dee = try #require(all["people/dee.html"])
        #expect(dee.contains("Knowledge they own"))
        #expect(dee.contains("Exit overview"))

        // Whom they cover for, by name.
        #expect(dee.contains("<h2 id=\"deputy-for\">Deputy for</h2>") && dee.contains("<a href=\"../people/eli.html\">Eli Park</a>"), "\(dee)")

        let handover = try #require(all["handovers/eli-to-dee.html"])
        #expect(handover.contains("<progress max=\"3\" value=\"1\">33 %</progress> 1 of 3 done"))
        #expect(handover.contains("<p>20 days to the last day, 2026-12-10.</p>"), "\(handover)")
        #expect(handover.contains("<li>Plan: 1 / 2</li><li>Records: 0 / 1</li>"))
        #expect(handover.contains("Walk the runbooks"))
    }


    /// A role page answers "whom do I meet" by name: a step that names a role shows its holders with that role,
    /// the peers on the other side are listed, reading carries its plan section, and the handover checklist is
    /// linked; someone who has left is not offered.
    @Test func rolePagesNameThePeopleToMeet() throws {
        let root = NSTemporaryDirectory() + "baton-names-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for item in ["baton.yml", "content"] {
            try FileManager.default.copyItem(atPath: ExampleSiteTests.repository + "/" + item, toPath: root + "/" + item)
        }
        var options = SiteBuilder.Options()
        options.output = root + "/site"
        options.today = Day("2026-11-22")!
        _ = try SiteBuilder(knowledgeBase: try KnowledgeBase.load(root: root), theme: try Theme.load([Self.defaultTheme]),
                            options: options).build()
        let role = try String(contentsOfFile: options.output + "/roles/northmoor-relationship-manager.html", encoding: .utf8)
        #expect(role.contains("<a href=\"../people/joanna-kerr.html\">Joanna Kerr (Relationship Manager, Castellan Digital Services)</a>"), "\(role)")
        #expect(role.contains("<a href=\"../people/priya-raman.html\">Priya Raman (Commercial Manager, Northmoor Water)</a>"))
        #expect(role.contains("<h2 id=\"counterparts\">Your peers on the other side</h2>"))
        #expect(role.contains("<span class=\"muted\">(Organisational arrangements)</span>"))
        #expect(role.contains("Handing the role over: <a href=\"../checklists/management-role-handover.html\">"))

        // Fields in plain words; technical ones out of sight.
        let entry = try String(contentsOfFile: options.output + "/knowledge/knowledge-management/knowledge-map.html", encoding: .utf8)
        for words in ["Knowledge management", "<dt>Intellectual property</dt>", "can be shared",
                      "<dt>Sharing with the partner</dt>"] {
            #expect(entry.contains(words), "\(words)")
        }
        // What the header says is not listed again.
        for repeated in ["<dt>Plan section</dt>", "<dt>Review by</dt>", "<dt>Owner</dt>", "<dt>Confidentiality</dt>"] {
            #expect(!entry.contains(repeated), "\(repeated)")
        }
        // A short header: what it is, where it belongs, who owns it, how confidential, when it is due for review.
        #expect(entry.contains("<p class=\"meta\"><span>Knowledge</span> <span>Knowledge management</span> <span><a href=\"../../people/gareth-lowe.html\">owned by Gareth Lowe</a></span> <span class=\"badge\">internal</span> <span>review by 2027-01-31</span>"), "\(entry)")
        let gareth = try String(contentsOfFile: options.output + "/people/gareth-lowe.html", encoding: .utf8)
        #expect(gareth.contains("<span class=\"badge\">key person</span>") && gareth.contains("<dt>Leaving on</dt>")
            && !gareth.contains("key_person") && !gareth.contains("<dt>Key person</dt>"))

        // The home page: start here first, roles by organisation; then what is under way, who leaves soon, what
        // is due for review; the governance last.
        let home = try String(contentsOfFile: options.output + "/index.html", encoding: .utf8)
        let order = ["id=\"start-here\"", "<h3>Northmoor Water</h3>", "<h3>Castellan Digital Services</h3>",
                     "id=\"handovers\"", "id=\"onboardings\"", "id=\"leaving\"", "id=\"partnership\""]
        let positions = order.map { home.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(order.filter { home.range(of: $0) == nil })")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        #expect(home.contains("<a href=\"people/gareth-lowe.html\">Gareth Lowe</a> <span class=\"badge warn\">last day 2026-12-18</span>"))
    }

    /// A site as two builds of the same knowledge base into two folders must have it, whatever was there before:
    /// every file by path, but the search files by data name (a file's name is kept while its bytes are, so it
    /// depends on the builds before; the metadata names them), and the marker without how each file was left
    /// and without the search files' names.
    func siteAndMarker(_ folder: String) -> [String: String] {
        var site = files(folder).filter { !$0.key.hasPrefix("search/") || $0.key.hasPrefix("search/search.") }
        for (name, file) in searchData(folder) where name != "meta" { site["search data " + name] = String(decoding: file.bytes, as: UTF8.self) }
        site[SiteBuilder.marker] = site[SiteBuilder.marker]?.split(separator: "\n")
            .filter { !$0.hasPrefix("seen ") && !$0.hasPrefix("file search/") }.joined(separator: "\n")
        return site
    }

    @Test func aChangedBodyRendersOnlyItsEntrysPage() throws {
        let fixture = try Fixture()
        var options = SiteBuilder.Options()
        options.output = fixture.root + "/public"
        var scratch = options
        scratch.output = fixture.root + "/scratch"
        let theme = try Theme.load([Self.defaultTheme])
        func build(_ options: SiteBuilder.Options) throws -> SiteBuilder.Report {
            try SiteBuilder(knowledgeBase: try fixture.load(), theme: theme, options: options).build()
        }
        /// The site after `change`, built over the one before, and the same built from nothing.
        func rebuilt(after change: () throws -> Void) throws -> SiteBuilder.Report {
            try change()
            let report = try build(options)
            try? FileManager.default.removeItem(atPath: scratch.output)
            _ = try build(scratch)
            let (over, fromNothing) = (siteAndMarker(options.output), siteAndMarker(scratch.output))
            let differ = Set(over.keys).union(fromNothing.keys).filter { over[$0] != fromNothing[$0] }.sorted()
            #expect(differ.isEmpty, "differ from a build from nothing: \(differ) \(differ.first.map { [over[$0] ?? "none", fromNothing[$0] ?? "none"] } ?? [])")
            return report
        }
        let folder = fixture.root + "/content/knowledge/exit-arrangements"
        try "---\ntitle: Exit steps\nsection: exit-arrangements\n---\n## First\n\nGive notice.\n"
            .write(toFile: folder + "/exit-steps.md", atomically: true, encoding: .utf8)
        let checklistFile = fixture.root + "/content/checklists/leaver.md"
        try FileManager.default.createDirectory(atPath: fixture.root + "/content/checklists", withIntermediateDirectories: true)
        try "---\ntitle: Leaver\n---\n- [ ] Return the badge\n".write(toFile: checklistFile, atomically: true, encoding: .utf8)
        let first = try build(options)
        #expect(first.rendered == first.pages && first.pages > 10)
        func edit(_ file: String, _ old: String, _ new: String) throws {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            #expect(text.contains(old), "\(file): \(old)")
            try text.replacingOccurrences(of: old, with: new).write(toFile: folder + "/" + file, atomically: true, encoding: .utf8)
        }
        // Nothing changed: nothing rendered, nothing written.
        let same = try build(options)
        #expect(same.rendered == 0 && same.written == 0 && same.removed == 0 && same.pages == first.pages)
        #expect(same.searchFiles == first.searchFiles && same.searchDocuments == first.searchDocuments)
        // A knowledge entry's body: its page only, and the search files whose bytes changed.
        let body = try rebuilt { try edit("exit-overview.md", "in outline", "step by step") }
        #expect(body.rendered == 1 && body.pages == first.pages)
        #expect(body.writtenPaths.filter { !$0.hasPrefix("search/") } == ["knowledge/exit-arrangements/exit-overview.html"])
        #expect(body.writtenPaths.contains("search/meta.js"))
        // A damaged search state is passed over (the export is made from an index: the same files).
        for state in try FileManager.default.contentsOfDirectory(atPath: fixture.root + "/.baton/site-cache") {
            try Data("damaged".utf8).write(to: URL(fileURLWithPath: fixture.root + "/.baton/site-cache/" + state))
        }
        let damaged = try rebuilt { try edit("exit-overview.md", "step by step", "step by step, carefully") }
        #expect(damaged.rendered == 1 && damaged.pages == first.pages)
        // Two bodies at once: their two pages.
        let two = try rebuilt {
            try edit("exit-overview.md", "step by step", "in outline")
            try edit("exit-steps.md", "## First", "## In short\n\nNothing yet.\n\n## First")
        }
        #expect(two.rendered == 2 && Set(two.writtenPaths.filter { !$0.hasPrefix("search/") })
            == ["knowledge/exit-arrangements/exit-overview.html", "knowledge/exit-arrangements/exit-steps.html"])
        // A restricted entry is not on this audience's site: nothing is rendered for it.
        let hidden = try rebuilt { try edit("exit-plan.md", "break fee", "exit fee") }
        #expect(hidden.rendered == 0 && hidden.written == 0)
        // A title is shown on other pages (lists, the sidebar): everything is rendered.
        let title = try rebuilt { try edit("exit-overview.md", "title: Exit overview", "title: Exit summary") }
        #expect(title.rendered == first.pages && title.writtenPaths.filter { $0.hasSuffix(".html") }.count > 3)
        // A body that links to a file beside it makes that file part of the site: everything is rendered.
        let linked = try rebuilt {
            try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: folder + "/map.png"))
            _ = try build(options)  // the new file alone (it is in the shape)
            try edit("exit-overview.md", "in outline", "in outline (![map](map.png))")
        }
        #expect(linked.rendered == first.pages && linked.writtenPaths.contains("knowledge/exit-arrangements/map.png"))
        // A checklist's body holds tasks whose progress other pages show: everything is rendered.
        let tasks = try rebuilt {
            try (try String(contentsOfFile: checklistFile, encoding: .utf8) + "\n- [ ] One more task\n")
                .write(toFile: checklistFile, atomically: true, encoding: .utf8)
        }
        #expect(tasks.rendered == first.pages)
        // A page of the old site changed since its build: nothing of it is taken over, and it is put right.
        try "defaced".write(toFile: options.output + "/index.html", atomically: false, encoding: .utf8)
        let repaired = try rebuilt { try edit("exit-overview.md", "in outline", "in brief") }
        #expect(repaired.rendered == first.pages && repaired.writtenPaths.contains("index.html"))
        // A marker of an older Baton, which does not say what the pages were made from: everything is rendered.
        let marker = options.output + "/" + SiteBuilder.marker
        try (try String(contentsOfFile: marker, encoding: .utf8)).split(separator: "\n")
            .filter { !$0.hasPrefix("shape ") }.joined(separator: "\n").appending("\n")
            .write(toFile: marker, atomically: true, encoding: .utf8)
        #expect(try rebuilt { try edit("exit-overview.md", "in brief", "in outline") }.rendered == first.pages)
        // Another audience is another shape.
        options.audience = .restricted
        scratch.audience = .restricted
        let restricted = try rebuilt {}
        #expect(restricted.rendered == restricted.pages && restricted.pages == first.pages + 1)
    }

    @Test func aRebuildWritesOnlyWhatChanged() throws {
        let fixture = try Fixture()
        var options = SiteBuilder.Options()
        options.output = fixture.root + "/public"
        let theme = try Theme.load([Self.defaultTheme])
        let first = try SiteBuilder(knowledgeBase: try fixture.load(), theme: theme, options: options).build()
        #expect(first.written == first.pages + first.assets + first.searchFiles + 2)  // and the sitemap and calendar.ics
        #expect(FileManager.default.fileExists(atPath: options.output + "/" + SiteBuilder.marker))
        let again = try SiteBuilder(knowledgeBase: try fixture.load(), theme: theme, options: options).build()
        #expect(again.written == 0 && again.removed == 0)
        // A changed body rewrites that entry's page only, and of the search files the metadata and the groups of
        // files its words and text are in (every other page keeps naming the same metadata file).
        let entry = fixture.root + "/content/knowledge/exit-arrangements/exit-overview.md"
        let text = try String(contentsOfFile: entry, encoding: .utf8).replacingOccurrences(of: "in outline", with: "step by step")
        try text.write(toFile: entry, atomically: true, encoding: .utf8)
        let untouched = searchData(options.output)
        let touched = try SiteBuilder(knowledgeBase: try fixture.load(), theme: theme, options: options).build()
        #expect(touched.writtenPaths.filter { !$0.hasPrefix("search/") } == ["knowledge/exit-arrangements/exit-overview.html"])
        #expect(touched.writtenPaths.contains("search/meta.js"))
        #expect(!touched.writtenPaths.contains { $0.hasPrefix("search/search.") })  // the script did not change
        // Of the search files only those whose bytes changed are written; the others keep their names (the
        // metadata names the changed ones apart), and each holds what a build from nothing has under its name.
        let after = searchData(options.output)
        var scratch = options
        scratch.output = fixture.root + "/scratch"
        _ = try SiteBuilder(knowledgeBase: try fixture.load(), theme: theme, options: scratch).build()
        let fromNothing = searchData(scratch.output)
        #expect(Set(after.keys) == Set(fromNothing.keys) && after.count > 5, "\(after.count)")
        var changed = 0
        for (name, file) in after where name != "meta" {
            #expect(file.bytes == fromNothing[name]?.bytes, "\(name)")
            let written = touched.writtenPaths.contains("search/" + file.file)
            #expect(written == (untouched[name]?.bytes != file.bytes), "\(name)")
            if written {
                changed += 1
                #expect(untouched[name]?.file != file.file, "\(name): a name that stood for other bytes")
            } else {
                #expect(untouched[name]?.file == file.file, "\(name)")
            }
        }
        #expect(changed >= 1 && touched.writtenPaths.filter { $0.hasPrefix("search/") }.count == changed + 1)
        #expect(String(decoding: after["meta"]!.bytes, as: UTF8.self).contains("\"except\":{"))
        // A file the build did not write is somebody else's: the build refuses and changes nothing.
        try "mine".write(toFile: options.output + "/notes.html", atomically: true, encoding: .utf8)
        let before = files(options.output)
        #expect {
            _ = try SiteBuilder(knowledgeBase: try fixture.load(), theme: theme, options: options).build()
        } throws: { error in
            guard case BuildError.output(let path, let reason) = error else { return false }
            return path.hasSuffix("/public") && reason.contains("holds 1 file(s) that baton build did not write (notes.html)")
        }
        #expect(files(options.output) == before)
        try FileManager.default.removeItem(atPath: options.output + "/notes.html")
        // A page the knowledge base no longer has is removed.
        try FileManager.default.removeItem(atPath: fixture.root + "/content/knowledge/exit-arrangements/exit-overview.md")
        let removed = try SiteBuilder(knowledgeBase: try fixture.load(), theme: theme, options: options).build()
        #expect(removed.removed >= 1 && !FileManager.default.fileExists(atPath: options.output + "/knowledge/exit-arrangements/exit-overview.html"))
        try text.write(toFile: entry, atomically: true, encoding: .utf8)
        // --clean: everything written afresh.
        options.clean = true
        let fresh = try SiteBuilder(knowledgeBase: try fixture.load(), theme: theme, options: options).build()
        #expect(fresh.written == first.written)
    }


    @Test func tagPagesAndPeerPairs() throws {
        let fixture = try Fixture()
        try "---\nname: Zed Moss\norganisation: client\nconfidentiality: restricted\ncounterpart: dee\n---\n"
            .write(toFile: fixture.root + "/content/people/zed.md", atomically: true, encoding: .utf8)
        try "---\nname: Dee Quinn\norganisation: client\ncounterpart: zed\n---\nRuns the desk.\n"
            .write(toFile: fixture.root + "/content/people/dee.md", atomically: true, encoding: .utf8)
        let entry = fixture.root + "/content/knowledge/exit-arrangements/exit-overview.md"
        let text = try String(contentsOfFile: entry, encoding: .utf8).replacingOccurrences(of: "confidentiality: public", with: "confidentiality: public\ntags: [exit, Break clause]")
        try text.write(toFile: entry, atomically: true, encoding: .utf8)
        let all = files(try build(fixture, audience: .internal))
        #expect(all["knowledge/tags/break-clause.html"]?.contains("<a href=\"../../knowledge/exit-arrangements/exit-overview.html\">Exit overview</a>") == true)
        #expect(all["knowledge/tags/index.html"]?.contains("<a href=\"break-clause.html\">Break clause (1)</a>") == true)
        #expect(all["knowledge/exit-arrangements/exit-overview.html"]?.contains("<a href=\"../../knowledge/tags/exit.html\">exit</a>") == true)
        // Tags spelt two ways (an imported site's `Security` and `security`) share one page, named as most spell it.
        let spelt = fixture.root + "/content/knowledge/exit-arrangements/"
        for (name, tags) in [("a", "[Exit]"), ("b", "[exit, Exit]")] {
            try "---\ntitle: Spelt \(name)\nsection: exit-arrangements\ntags: \(tags)\nconfidentiality: public\n---\n# Spelt\n".write(toFile: spelt + "spelt-\(name).md", atomically: true, encoding: .utf8)
        }
        let merged = files(try build(fixture, audience: .internal))
        let exitPage = try #require(merged["knowledge/tags/exit.html"])
        #expect(["Exit overview", "Spelt a", "Spelt b"].allSatisfy { exitPage.contains(">\($0)</a>") })
        #expect(merged["knowledge/tags/index.html"]?.contains("<a href=\"exit.html\">Exit (3)</a>") == true, "\(merged["knowledge/tags/index.html"] ?? "")")
        // A peer this audience does not get is not identified: no name, no id, no link.
        let people = try #require(all["people/index.html"])
        #expect(people.contains("<a href=\"../people/dee.html\">Dee Quinn</a><br><span class=\"muted\">peer: a restricted person</span>"))
        #expect(!all.values.contains { $0.contains("Zed Moss") || $0.contains(">zed<") || $0.contains("peer: zed") })
        #expect(!people.contains("zed.html"))
    }


    @Test func refusesOutputFoldersThatAreNotItsOwn() throws {
        let fixture = try Fixture()
        func attempt(_ output: String) -> String {
            do {
                _ = try build(fixture, audience: .internal, output: output)
                return "built"
            } catch {
                return "\(error)"
            }
        }
        #expect(attempt(fixture.root).contains("holds the knowledge base itself"))
        #expect(attempt((fixture.root as NSString).deletingLastPathComponent).contains("holds the knowledge base itself"))
        #expect(attempt(fixture.root + "/content/site").contains("inside content/"))
        let foreign = fixture.root + "/somebody-else"
        try FileManager.default.createDirectory(atPath: foreign, withIntermediateDirectories: true)
        try "keep me".write(toFile: foreign + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(attempt(foreign).contains("not made by baton build"))
        #expect(FileManager.default.fileExists(atPath: foreign + "/notes.txt"))
        // Nothing of the knowledge base was touched by the refusals.
        #expect(try fixture.load().entities.count == 3)
        // A folder an earlier build made is fine to build into again.
        #expect(attempt(fixture.root + "/public") == "built")
        #expect(attempt(fixture.root + "/public") == "built")
    }

}

/// The bundled example knowledge base, built and checked page by page with HTML Tidy.
@Suite struct ExampleSiteTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardizedFileURL.path

    @Test func everyPageOfTheExampleIsValidHTML5() throws {
        let tidy = "/usr/bin/tidy"
        guard FileManager.default.isExecutableFile(atPath: tidy) else {
            Issue.record("HTML Tidy is not installed (make test installs it)")
            return
        }
        let output = NSTemporaryDirectory() + "baton-example-site-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: output) }
        var options = SiteBuilder.Options()
        options.output = output
        let knowledgeBase = try KnowledgeBase.load(root: Self.repository)
        let theme = try Theme.load([Self.repository + "/site"])
        let report = try SiteBuilder(knowledgeBase: knowledgeBase, theme: theme, options: options).build()
        #expect(report.pages > 50)
        // Recently reviewed on the home page, newest first, restricted entries left out.
        let home = String(decoding: FileManager.default.contents(atPath: output + "/index.html") ?? Data(), as: UTF8.self)
        let recent = try #require(home.range(of: "Recently reviewed")).upperBound
        let first = try #require(home.range(of: "reviewed 2026-10-30", range: recent..<home.endIndex))
        let second = try #require(home.range(of: "reviewed 2026-10-21", range: recent..<home.endIndex))
        #expect(first.lowerBound < second.lowerBound)
        #expect(!home.contains("reviewed 2026-09-30"))  // the exit plan is restricted
        // Equal titles (the same role on both sides) come out in one order: a second build writes nothing.
        let again = try SiteBuilder(knowledgeBase: knowledgeBase, theme: theme, options: options).build()
        #expect(again.written == 0)
        let pages = (FileManager.default.enumerator(atPath: output)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".html") }
        #expect(pages.count == report.pages)
        for page in pages.sorted() {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tidy)
            process.arguments = ["-q", "-e", output + "/" + page]
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = Pipe()
            try process.run()
            // tidy 5.8 predates `aria-current` (WAI-ARIA 1.1, valid HTML), which marks the sidebar's current page.
            let findings = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .split(separator: "\n").filter { !$0.contains("proprietary attribute \"aria-current\"") }
                .joined(separator: "\n")
            process.waitUntilExit()
            #expect(findings.isEmpty, "\(page): \(findings)")
            // One heading 1 per page: a body that repeats the title does not add a second.
            let html = String(decoding: FileManager.default.contents(atPath: output + "/" + page) ?? Data(), as: UTF8.self)
            #expect(html.components(separatedBy: "<h1").count == 2, "\(page) has \(html.components(separatedBy: "<h1").count - 1) h1")
            // Headings never skip a level on the way down.
            var previous = 0
            for piece in html.components(separatedBy: "<h").dropFirst() {
                guard let level = piece.first?.wholeNumberValue, (1...6).contains(level) else { continue }
                #expect(level <= previous + 1, "\(page): h\(level) after h\(previous)")
                previous = level
            }
        }
    }
}

/// The default theme's colours, read from its stylesheet, meet WCAG AA contrast (4.5:1 for text) in the light
/// and the dark scheme, for every text colour on every background it is used on.
@Suite struct ThemeContrastTests {
    static let stylesheet = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../site/assets/style.css").standardizedFileURL.path

    /// `--name: #rrggbb` declarations of one `:root { … }` block.
    static func colours(_ block: Substring) -> [String: (Double, Double, Double)] {
        var result: [String: (Double, Double, Double)] = [:]
        for declaration in block.split(separator: ";") {
            let parts = declaration.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            guard parts.count == 2, parts[0].hasPrefix("--"), parts[1].hasPrefix("#"), parts[1].count == 7 else { continue }
            let hex = Array(parts[1].dropFirst())
            func channel(_ i: Int) -> Double { Double(Int(String(hex[i..<i + 2]), radix: 16)!) / 255 }
            result[String(parts[0].dropFirst(2))] = (channel(0), channel(2), channel(4))
        }
        return result
    }

    static func luminance(_ c: (Double, Double, Double)) -> Double {
        func linear(_ v: Double) -> Double { v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
        return 0.2126 * linear(c.0) + 0.7152 * linear(c.1) + 0.0722 * linear(c.2)
    }

    static func ratio(_ a: (Double, Double, Double), _ b: (Double, Double, Double)) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    @Test func textColoursMeetAAInBothSchemes() throws {
        let css = try String(contentsOfFile: Self.stylesheet, encoding: .utf8)
        // The light scheme, the dark one chosen by the reader, the dark one of a system set to dark (the same).
        let blocks = [":root {", ":root[data-theme=\"dark\"] {", ":root:not([data-theme=\"light\"]) {"].compactMap { opening in
            css.range(of: opening).map { css[$0.upperBound...].prefix { $0 != "}" } }
        }
        #expect(blocks.count == 3)
        #expect(Self.colours(blocks[1]).mapValues { "\($0)" } == Self.colours(blocks[2]).mapValues { "\($0)" })
        #expect(abs(Self.ratio((0, 0, 0), (1, 1, 1)) - 21) < 0.01)  // the formula itself
        for block in blocks {
            let colours = Self.colours(block)
            for text in ["ink", "muted", "accent", "warn"] {
                for background in ["paper", "panel"] {
                    let pair = try #require(colours[text].flatMap { t in colours[background].map { (t, $0) } })
                    let contrast = Self.ratio(pair.0, pair.1)
                    #expect(contrast >= 4.5, "\(text) on \(background): \(contrast)")
                }
            }
            // Highlighted words in search results.
            let marked = try #require(colours["ink"].flatMap { t in colours["mark"].map { (t, $0) } })
            #expect(Self.ratio(marked.0, marked.1) >= 4.5, "ink on mark")
        }
    }
}

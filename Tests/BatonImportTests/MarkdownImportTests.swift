import BatonContent
import Foundation
import Testing

@testable import BatonImport

/// Markdown folders as Obsidian, Hugo, MkDocs and Jekyll keep them: small sites written here, file by file, with
/// the entries each must become.
@Suite struct MarkdownImportTests {
    /// A folder of source files, removed afterwards.
    final class Site {
        let root: String

        init(_ files: [String: String]) throws {
            root = NSTemporaryDirectory() + "baton-markdown-" + UUID().uuidString
            for (path, text) in files {
                let file = root + "/" + path
                try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: file, atomically: true, encoding: .utf8)
            }
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    func run(_ site: Site, into folder: ImporterTests.KnowledgeBaseFolder, configure: (inout Importer.Options) -> Void = { _ in })
        throws -> [String: Importer.Result]
    {
        var options = Importer.Options()
        options.section = .communications
        configure(&options)
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([site.root])
        return Dictionary(results.map { (($0.source as NSString).lastPathComponent, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func entry(_ folder: ImporterTests.KnowledgeBaseFolder, _ name: String) throws -> Entity {
        try #require(try folder.load().entity(id: "knowledge/communications/" + name), "no entry \(name)")
    }

    @Test func anObsidianVaultKeepsItsWikiLinksEmbedsAndTags() throws {
        let site = try Site([
            "Exit plan.md": """
                ---
                tags: [exit, "#continuity"]
                aliases: [Exit strategy]
                author: Priya Raman
                updated: 2026-10-02
                ---
                # Exit plan

                See [[Service catalogue]], [[Service catalogue#Managed backups|the backup service]] and [[people/Sam Adeyemi|Sam]].
                Not written yet: [[Nowhere note]]. In draft: [[Draft]].

                ![[diagram.png]]

                ```
                [[not a link]] and [x](Draft.md)
                ```

                Inline `[[code]]` stays.
                """,
            "Service catalogue.md": "# Service catalogue\n\n## Managed backups\n\nBack to the [[exit strategy]] and [the plan](Exit%20plan.md#exit-plan).\n",
            "people/Sam Adeyemi.md": "---\ntitle: Sam Adeyemi\n---\nSam leads the service desk.\n",
            "Draft.md": "---\ndraft: true\n---\nNot ready.\n",
            "attachments/diagram.png": "PNG",
            ".obsidian/Hidden.md": "# Settings are not notes\n",
        ])
        let folder = try ImporterTests.KnowledgeBaseFolder()
        let results = try run(site, into: folder) { $0.assets = true }
        #expect(results["Draft.md"]?.outcome == .skipped("a draft (its front matter says draft: true or published: false)"))
        #expect(results["Hidden.md"] == nil)
        #expect(results["Exit plan.md"]?.kept?.share == 1)

        let plan = try entry(folder, "exit-plan")
        #expect(plan.body == """

            # Exit plan

            See [Service catalogue](service-catalogue.md), [the backup service](service-catalogue.md#managed-backups) and [Sam](people-sam-adeyemi.md).
            Not written yet: Nowhere note. In draft: Draft.

            ![diagram](exit-plan-assets/diagram.png)

            ```
            [[not a link]] and [x](Draft.md)
            ```

            Inline `[[code]]` stays.

            """)
        #expect(plan.frontMatter["tags"]?.items?.compactMap(\.scalarText) == ["exit", "continuity"])
        #expect(plan.frontMatter["author"]?.scalarText == "Priya Raman")
        #expect(plan.frontMatter["modified"]?.scalarText == "2026-10-02")
        #expect(FileManager.default.contents(atPath: folder.root + "/content/knowledge/communications/exit-plan-assets/diagram.png") == Data("PNG".utf8))

        let catalogue = try entry(folder, "service-catalogue")
        #expect(catalogue.body.contains("Back to the [exit strategy](exit-plan.md) and [the plan](exit-plan.md#exit-plan)."))
        // A page without a heading gets its title as one.
        #expect(try entry(folder, "people-sam-adeyemi").body == "\n# Sam Adeyemi\n\nSam leads the service desk.\n")

        // Importing again changes nothing.
        let again = try run(site, into: folder) { $0.assets = true }
        #expect(again["Exit plan.md"]?.outcome == .unchanged)
        #expect(again["Service catalogue.md"]?.outcome == .unchanged)
    }

    @Test func aHugoSiteKeepsItsTOMLFieldsRefsAndShortcodeBlocks() throws {
        let site = try Site([
            "_index.md": """
                +++
                title = "Partnership guide"
                date = 2026-01-05T10:00:00Z
                tags = ["guide",
                  "onboarding"]  # two of them
                draft = false
                [params]
                author = "Gareth Lowe"
                +++
                Start with the [setup]({{< ref "guide/setup.md" >}}), the [cadence](/Guide/Cadence/) and [by name]({{< relref "cadence" >}}).

                {{< highlight go >}}
                fmt.Println("[not](a-link.md)")
                {{< /highlight >}}

                {{% note %}}
                Read the [setup](guide/setup.md) first.
                {{% /note %}}

                {{< youtube w7Ft2ymGmfc >}}
                """,
            "guide/setup.md": "---\ntitle: Setup\ndescription: How to set up\n---\nGo [back](../_index.md) or on to [the cadence](../cadence/).\n",
            "guide/cadence.md": "---\ntitle: Cadence\n---\nMeetings, monthly.\n",
        ])
        let folder = try ImporterTests.KnowledgeBaseFolder()
        let results = try run(site, into: folder)
        #expect(results.values.allSatisfy { $0.outcome == .imported }, "\(results)")
        let guide = try entry(folder, "index")
        #expect(guide.knowledge?.title == "Partnership guide")
        #expect(guide.frontMatter["tags"]?.items?.compactMap(\.scalarText) == ["guide", "onboarding"])
        #expect(guide.frontMatter["author"]?.scalarText == "Gareth Lowe")
        #expect(guide.frontMatter["modified"]?.scalarText == "2026-01-05")
        #expect(guide.body == """

            # Partnership guide

            Start with the [setup](guide-setup.md), the [cadence](guide-cadence.md) and [by name](guide-cadence.md).

            ```go
            fmt.Println("[not](a-link.md)")
            ```

            > **Note**
            >
            > Read the [setup](guide-setup.md) first.

            """)
        let setup = try entry(folder, "guide-setup")
        #expect(setup.frontMatter["description"]?.scalarText == "How to set up")
        #expect(setup.body.contains("Go [back](index.md) or on to [the cadence](guide-cadence.md)."))
    }

    @Test func mkDocsAdmonitionsTabsAndIndexPagesBecomePlainMarkdown() throws {
        let site = try Site([
            "index.md": "# Home\n\nSee the [runbook](ops/runbook.md#restart) and [the ops pages][ops].\n\n[ops]: ops/index.md \"Operations\"\n",
            "ops/index.md": "# Operations\n\nThe pages for the service desk.\n",
            "ops/runbook.md": """
                # Runbook

                !!! warning "Before you restart"
                    Tell the [operations lead](index.md).

                        systemctl restart baton

                === "Linux"

                    Use systemd.

                Indented code stays as it is:

                    [not a link](index.md)

                - A list item

                    with a paragraph that [links](index.md).
                """,
        ])
        let folder = try ImporterTests.KnowledgeBaseFolder()
        _ = try run(site, into: folder)
        #expect(try entry(folder, "index").body.contains("See the [runbook](ops-runbook.md#restart) and [the ops pages][ops].\n\n[ops]: ops.md \"Operations\""))
        #expect(try entry(folder, "ops").knowledge?.title == "Operations")
        let runbook = try entry(folder, "ops-runbook").body
        #expect(runbook == """

            # Runbook

            > **Before you restart**
            >
            > Tell the [operations lead](ops.md).
            >
            >     systemctl restart baton

            **Linux**

            Use systemd.

            Indented code stays as it is:

                [not a link](index.md)

            - A list item

                with a paragraph that [links](ops.md).

            """)
    }

    @Test func jekyllPostsTakeTheirDayFromTheNameAndUnpublishedOnesAreSkipped() throws {
        let site = try Site([
            "_posts/2024-03-05-release-notes.md": "---\nlayout: post\ntitle: Release notes\ntags: release notes\n---\nSee the [old notes](2023-01-02-old.html).\n",
            "_posts/2023-01-02-old.md": "---\ntitle: Old notes\n---\nOlder.\n",
            "_posts/2024-04-01-secret.md": "---\ntitle: Secret\npublished: false\n---\nNot yet.\n",
        ])
        let folder = try ImporterTests.KnowledgeBaseFolder()
        let results = try run(site, into: folder)
        #expect(results["2024-04-01-secret.md"]?.outcome == .skipped("a draft (its front matter says draft: true or published: false)"))
        let notes = try entry(folder, "posts-2024-03-05-release-notes")
        #expect(notes.frontMatter["modified"]?.scalarText == "2024-03-05")
        #expect(notes.frontMatter["tags"]?.items?.compactMap(\.scalarText) == ["release", "notes"])
        #expect(notes.body.contains("See the [old notes](posts-2023-01-02-old.md)."))
    }

    @Test func brokenFrontMatterIsReportedWithItsLineAndTheRestImports() throws {
        let site = try Site([
            "open.md": "---\ntitle: Never closed\n\nBody.\n",
            "bad-yaml.md": "---\ntitle: ok\ntags: [unclosed\n---\nBody.\n",
            "bad-toml.md": "+++\ntitle = \"ok\"\njust some words\n+++\nBody.\n",
            "twice.md": "---\ntitle: First\ntitle: Second\n---\nBody.\n",
            "fine.md": "Just text.\n",
        ])
        let folder = try ImporterTests.KnowledgeBaseFolder()
        let results = try run(site, into: folder)
        #expect(results["open.md"]?.outcome == .failed("its front matter cannot be read, line 1: the front matter opened with --- is never closed"))
        guard case .failed(let yaml) = results["bad-yaml.md"]?.outcome else { Issue.record("bad-yaml.md imported"); return }
        #expect(yaml.hasPrefix("its front matter cannot be read, line 4: the front matter is not YAML"), "\(yaml)")
        #expect(yaml.hasSuffix("(while parsing a flow sequence at line 3)"), "\(yaml)")
        #expect(results["bad-toml.md"]?.outcome == .failed("its front matter cannot be read, line 3: \"just some words\" is not TOML (key = value)"))
        // A key given twice keeps its last value, as the generators do.
        #expect(try entry(folder, "twice").knowledge?.title == "Second")
        #expect(results["fine.md"]?.outcome == .imported)
        #expect(try entry(folder, "fine").body == "\n# fine\n\nJust text.\n")
    }

    @Test func aNewEntryNeverTakesANameAnotherSectionHas() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        try FileManager.default.createDirectory(atPath: folder.root + "/content/knowledge/exit-arrangements", withIntermediateDirectories: true)
        try "---\ntitle: Exit plan\nsection: exit-arrangements\n---\n# Exit plan\n".write(
            toFile: folder.root + "/content/knowledge/exit-arrangements/exit-plan.md", atomically: true, encoding: .utf8)
        let site = try Site(["exit-plan.md": "# Exit plan\n\nThe imported one.\n", "page.html": "<title>Exit plan</title><p>Other.</p>"])
        let results = Importer(knowledgeBase: try folder.load(), options: Importer.Options()).run([site.root + "/exit-plan.md", site.root + "/page.html"])
        #expect(results.map(\.entry) == ["knowledge/knowledge-management/exit-plan-2", "knowledge/knowledge-management/page"])
        #expect(!(try folder.load().diagnostics.contains { $0.code == "id.duplicate" }))
    }

    @Test func linksInsideLinksAndCodeSpansAreReadAsCommonMarkDoes() {
        let rewriter = MarkdownSource.Rewriter(destination: { destination, isImage in (isImage ? "img:" : "page:") + destination },
                                               wiki: { target, _ in "wiki:" + target })
        #expect(MarkdownSource.inline("[![logo](a.png)](b.md) and `[c](d.md)` and \\[e](f.md)", rewriter)
                == "[![logo](img:a.png)](page:b.md) and `[c](d.md)` and \\[e](f.md)")
        #expect(MarkdownSource.inline("[a](<my file.md> \"Title\") [[x|y]] ![[pic.png|300]] [[#Local]]", rewriter)
                == "[a](<page:my file.md> \"Title\") [y](wiki:x) ![pic](wiki:pic.png) [Local](#local)")
    }

    @Test func tomlValuesAreReadAsHugoWritesThem() throws {
        let node = try TOML.parse("""
            title = "Say \\"hi\\""
            weight = 3 # a comment
            literal = 'C:\\path'
            authors = ['Ann', "Bo"]
            nested = [[1, 2], [3]]
            summary = \"\"\"
            Two
            lines\"\"\"
            [params]
            author = "Cy"
            """, firstLine: 2)
        #expect(node["title"]?.scalarText == "Say \"hi\"")
        #expect(node["weight"]?.scalarText == "3")
        #expect(node["literal"]?.scalarText == "C:\\path")
        #expect(node["authors"]?.items?.compactMap(\.scalarText) == ["Ann", "Bo"])
        #expect(node["nested"]?.items?.count == 2)
        #expect(node["summary"]?.scalarText == "Two\nlines")
        #expect(node["params"]?["author"]?.scalarText == "Cy")
        #expect(MarkdownSource.metadata(node).author == "Ann, Bo")
        #expect(throws: MarkdownSource.Failure.self) { try TOML.parse("tags = [\"a\",", firstLine: 2) }
    }
}

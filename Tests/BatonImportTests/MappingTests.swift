import BatonContent
import Foundation
import Testing

@testable import BatonImport

@Suite struct MappingTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path

    @Test func recordsBecomeEntriesThroughTheMapping() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.mapping = try ImportMapping.read(path: Self.fixtures + "/risks.yml")
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([Self.fixtures + "/risks.xml"])
        #expect(results.map(\.outcome) == [.imported, .imported])
        let knowledgeBase = try folder.load()
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .error } == [])
        let risk = try #require(knowledgeBase.entity(id: "knowledge/risk-assessment/risks-r-7"))
        #expect(risk.title == "Loss of key people")
        #expect(risk.knowledge?.owner?.raw == "dee")
        #expect(risk.knowledge?.tags == ["people", "continuity"])
        #expect(risk.body.contains("Named deputies and successors for **every** key role."))
        #expect(risk.body.contains("Review quarterly."))
        let outage = try #require(knowledgeBase.entity(id: "knowledge/risk-assessment/risks-r-9"))
        #expect(outage.body.contains("Dual monitoring paths."))
        // Again: nothing changed.
        let again = Importer(knowledgeBase: knowledgeBase, options: options).run([Self.fixtures + "/risks.xml"])
        #expect(again.map(\.outcome) == [.unchanged, .unchanged])
    }

    /// Record names with dots (versions) and repeated names: each record keeps its own entry, and importing
    /// the unchanged file again changes nothing.
    @Test func namesWithDotsAndRepeatsAreStable() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.mapping = try ImportMapping.read(path: Self.fixtures + "/releases.yml")
        let file = Self.fixtures + "/releases.xml"
        let first = Importer(knowledgeBase: try folder.load(), options: options).run([file])
        #expect(first.map(\.outcome) == [.imported, .imported, .imported])
        let knowledgeBase = try folder.load()
        let ids = knowledgeBase.entities(of: .knowledge).map(\.id).sorted()
        #expect(ids == ["knowledge/continuous-improvement/releases-1-2", "knowledge/continuous-improvement/releases-1-3",
                        "knowledge/continuous-improvement/releases-1-3-2"], "\(ids)")
        #expect(knowledgeBase.entity(id: "knowledge/continuous-improvement/releases-1-3-2")?.body.contains("old exit codes") == true)
        let again = Importer(knowledgeBase: knowledgeBase, options: options).run([file])
        #expect(again.map(\.outcome) == [.unchanged, .unchanged, .unchanged])
        #expect(try folder.load().entity(id: "knowledge/continuous-improvement/releases-1-2")?.body.contains("drain") == true)
    }

    /// A GNOME help page (Mallard, in its own default namespace) through a mapping that declares a prefix for it.
    @Test func namespacedXMLImportsThroughDeclaredPrefixes() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.mapping = try ImportMapping.read(path: Self.fixtures + "/mallard/mallard.yml")
        #expect(options.mapping?.namespaces.map(\.prefix) == ["mal"])
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([Self.fixtures + "/mallard/restart-desk.page"])
        #expect(results.map(\.outcome) == [.imported])
        let page = try #require(try folder.load().entity(id: "knowledge/knowledge-management/restart-desk-restart-desk"))
        #expect(page.title == "Restart the service desk")
        #expect(page.frontMatter["author"]?.scalarText == "Sam Adeyemi")
        #expect(page.body == """

            # Restart the service desk

            Restart the desk only after the **Incident** board is clear.

            1. Open **Settings \\> Queues**.
            2. Run:

               ```sh
               systemctl restart desk
               systemctl status desk
               ```

            **Queue**

            Where new tickets wait.

            > **Warning**
            >
            > Tell both sides first.

            |  |  |
            |---|---|
            | Desk | Up |

            """)
        // Without the prefix declared: an error that says so, and a hint when nothing matches.
        options.mapping?.namespaces = []
        let undeclared = Importer(knowledgeBase: try folder.load(), options: options).run([Self.fixtures + "/mallard/restart-desk.page"])
        #expect(undeclared.map(\.outcome) == [.failed("'/mal:page' uses the prefix 'mal:', which is not declared; add it under namespaces: in the mapping (mal: the namespace's URI)")])
        options.mapping?.records = "/page"
        let unmatched = Importer(knowledgeBase: try folder.load(), options: options).run([Self.fixtures + "/mallard/restart-desk.page"])
        guard case .skipped(let why) = unmatched.first?.outcome else { Issue.record("\(unmatched)"); return }
        #expect(why.contains("in the namespace http://projectmallard.org/1.0/"), "\(why)")
    }

    /// DocBook tables and variable lists, and DITA definition lists, in a mapped body keep their shape.
    @Test func mappedBodiesKeepTablesAndDefinitionLists() throws {
        let site = try MarkdownImportTests.Site([
            "export.xml": """
                <export>
                  <record id="a"><name>Runbook</name><text>
                    <para>Check the table.</para>
                    <informaltable><tgroup cols="2"><thead><row><entry>Step</entry><entry>Who</entry></row></thead>
                      <tbody><row><entry>Stop</entry><entry>Operator</entry></row></tbody></tgroup></informaltable>
                    <variablelist><varlistentry><term>Desk</term><listitem><para>The first line.</para></listitem></varlistentry></variablelist>
                  </text></record>
                  <record id="b"><name>Terms</name><text>
                    <dl><dlentry><dt>Exit</dt><dd>The end of the contract.</dd></dlentry></dl>
                  </text></record>
                </export>
                """,
            "map.yml": "records: //record\ntitle: string(name)\nname: string(@id)\nbody: text\n",
        ])
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.mapping = try ImportMapping.read(path: site.root + "/map.yml")
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([site.root + "/export.xml"])
        #expect(results.map(\.outcome) == [.imported, .imported])
        let runbook = try #require(try folder.load().entity(id: "knowledge/knowledge-management/export-a"))
        #expect(runbook.body == "\n# Runbook\n\nCheck the table.\n\n| Step | Who |\n|---|---|\n| Stop | Operator |\n\n**Desk**\n\nThe first line.\n")
        let terms = try #require(try folder.load().entity(id: "knowledge/knowledge-management/export-b"))
        #expect(terms.body == "\n# Terms\n\n**Exit**\n\nThe end of the contract.\n")
    }

    @Test func badMappingsAreClearErrors() throws {
        let path = NSTemporaryDirectory() + "mapping-\(UUID().uuidString).yml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "title: string(name)\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: MarkupError.self) { _ = try ImportMapping.read(path: path) }
        try "records: //x\ntitle: name\nsection: nowhere\n".write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ImportMapping.read(path: path)
            Issue.record("should fail")
        } catch {
            #expect(error.description.contains(":3: 'nowhere' is not a plan section"))
        }
        for (text, message) in [("records: //x\ntitle: name\nnamespaces: [a, b]\n", ":3: 'namespaces' must map prefixes to namespace URIs"),
                                ("records: //x\ntitle: name\nnamespaces:\n  mal:\n", ":4: the namespace 'mal' needs a URI"),
                                ("records: //x\ntitle: name\nnamespaces:\n  1x: urn:x\n", ":4: '1x' cannot be a namespace prefix")] {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try ImportMapping.read(path: path)
                Issue.record("should fail: \(text)")
            } catch {
                #expect(error.description.contains(message), "\(error.description)")
            }
        }
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.mapping = ImportMapping(records: "///bad[", title: "x", body: nil, name: nil, section: nil, fields: [])
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([Self.fixtures + "/risks.xml"])
        #expect(results.map(\.outcome.label) == ["failed"])
    }
}

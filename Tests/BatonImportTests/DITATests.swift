import BatonContent
import Foundation
import Testing

@testable import BatonImport

/// DITA topics read without a mapping: a concept, a task and a reference written here (`Fixtures/dita`), each
/// with the entry it must become.
@Suite struct DITATests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/dita").path

    func importFixtures() throws -> (ImporterTests.KnowledgeBaseFolder, [String: Importer.Result]) {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.section = .exitArrangements
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([Self.fixtures])
        return (folder, Dictionary(uniqueKeysWithValues: results.map { (($0.source as NSString).lastPathComponent, $0) }))
    }

    func entry(_ folder: ImporterTests.KnowledgeBaseFolder, _ name: String) throws -> Entity {
        try #require(try folder.load().entity(id: "knowledge/exit-arrangements/" + name), "no entry \(name)")
    }

    @Test func aConceptKeepsItsSectionsTablesListsNotesCodeAndProperties() throws {
        let (folder, results) = try importFixtures()
        #expect(results["exit-plan.dita"]?.outcome == .imported)
        #expect(results["exit-plan.dita"]?.kept?.share == 1)
        let plan = try entry(folder, "exit-plan")
        #expect(plan.knowledge?.title == "Exit plan")
        #expect(plan.frontMatter["description"]?.scalarText == "How the service moves back to the client when the contract ends.")
        #expect(plan.frontMatter["author"]?.scalarText == "Priya Raman")
        // The last revision, not the first or the day it was made.
        #expect(plan.frontMatter["modified"]?.scalarText == "2026-10-14")
        #expect(plan.frontMatter["tags"]?.items?.compactMap(\.scalarText) == ["exit", "continuity"])
        #expect(plan.frontMatter["lang"]?.scalarText == "en")
        #expect(plan.body == """

            # Exit plan

            How the service moves back to the client when the contract ends.

            The notice period is **sixty days**; the *exit manager* runs the plan from `exit/register.csv`. \
            See [Who holds what](#who-holds-what) and the [handover steps](handover-steps.md).

            ## Who holds what

            **Role holders**

            | Role | Holder |
            |---|---|
            | Service manager | Ana Lopes |
            | Contract manager | Rui Matos |

            **Exit manager**

            Runs the plan and signs it off.

            > **Warning**
            >
            > Nothing is deleted before the acceptance note is signed.

            ## Exporting the queue

            ```sh
            baton export --queue open
            baton export --queue closed
            ```

            ## Exit costs

            Costs are shared as the schedule says.

            """)
    }

    @Test func aTaskKeepsItsStepsAndSubstepsAndAReferenceItsPropertyTables() throws {
        let (folder, results) = try importFixtures()
        #expect(results["topics.ditamap"]?.outcome == .skipped("a DITA map: import the topics it lists (their folder) to have them as entries"))
        #expect(try entry(folder, "handover-steps").body == """

            # Hand over the service desk

            The successor is named.

            1. Freeze changes to the runbooks.
            2. Walk the successor through the open tickets.
               1. Priority one tickets first.
               2. Then anything older than a month.
            3. Press **File \\> Sign**.

               The note goes to both sides.

            The desk is handed over.

            ## Related links

            - [The exit plan](exit-plan.md) — what happens after

            """)
        #expect(try entry(folder, "commands").body == """

            # Export commands

            | Option | Default | Meaning |
            |---|---|---|
            | --queue | open | Which tickets |

            | Code | Meaning |
            |---|---|
            | 0 | Exported |

            """)
        // Importing again changes nothing.
        let again = Importer(knowledgeBase: try folder.load(), options: { var options = Importer.Options(); options.section = .exitArrangements; return options }()).run([Self.fixtures])
        #expect(again.filter { $0.outcome == .unchanged }.count == 3)
    }

    /// A DocBook document imported whole, like a DITA topic, keeps its file's name (it used to get `-2`: the
    /// name was claimed once for the file and again for its one part).
    @Test func aDocumentThatIsOneEntryKeepsItsFilesName() throws {
        let site = try MarkdownImportTests.Site(["manual.xml": "<article><title>Manual</title><para>Hello.</para></article>"])
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.split = "none"
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([site.root])
        #expect(results.map(\.entry) == ["knowledge/knowledge-management/manual"])
    }

    @Test func docBookReferencesAreStillDocBookAndDITAReferencesAreNot() throws {
        let docbook = try Markup.parseXML(Array("<reference><title>Commands</title><refentry><refnamediv><refname>x</refname></refnamediv></refentry></reference>".utf8), limits: MarkupLimits())
        let dita = try Markup.parseXML(Array("<reference id='r'><title>Commands</title><refbody><section><p>x</p></section></refbody></reference>".utf8), limits: MarkupLimits())
        #expect(!DITA.isTopic(docbook) && DocBook.isDocBook(docbook))
        #expect(DITA.isTopic(dita))
        #expect(DITA.isTopic(try Markup.parseXML(Array("<task id='t'><title>T</title></task>".utf8), limits: MarkupLimits())))
    }
}

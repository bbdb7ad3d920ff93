import Foundation
import Testing

/// What a newcomer meets when they mistype: misspelt fields, ids, commands given the wrong kind, files that do
/// not parse — each answered with what was probably meant.
@Suite struct ConventionsCLITests {
    /// A copy of the clean fixture to change.
    final class Copy {
        let root = NSTemporaryDirectory() + "baton-conventions-" + UUID().uuidString
        init() throws { try FileManager.default.copyItem(atPath: Baton.fixture("clean"), toPath: root) }
        func write(_ path: String, _ text: String) throws {
            try text.write(toFile: root + "/" + path, atomically: true, encoding: .utf8)
        }
        func run(_ arguments: [String], _ environment: [String: String] = [:]) throws -> Baton.Result {
            try Baton.run(arguments + ["--root", root], environment: environment)
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func aMisspeltFieldIsNamedWithTheNearestAndExtensionKeysStaySilent() throws {
        let copy = try Copy()
        try copy.write("content/people/bob-stone.md", """
            ---
            name: Bob Stone
            organisation: supplier
            counterpar: ana-silva
            x-badge: 4411
            cost_centre: CC-12
            ---

            """)
        let check = try copy.run(["check"])
        #expect(check.output.contains("bob-stone.md:4: warning: 'counterpar' is not a field of a person; did you mean 'counterpart'?"), "\(check.output)")
        #expect(!check.output.contains("x-badge"))
        #expect(check.output.contains("'cost_centre' is not a field of a person (kept as written"))
        // Declared as the knowledge base's own, it is not questioned; rewriting the file keeps every key.
        try copy.write("baton.yml", try String(contentsOfFile: copy.root + "/baton.yml", encoding: .utf8) + "extra_fields: [cost_centre]\n")
        #expect(!(try copy.run(["check"])).output.contains("cost_centre"))
    }

    @Test func anUnknownIDGetsADidYouMean() throws {
        let copy = try Copy()
        let show = try copy.run(["show", "ana-silvia"])
        #expect(show.status == 2 && show.error.contains("did you mean 'ana-silva' (Ana Silva)?"), "\(show.error)")
        let byTitle = try copy.run(["show", "Client lead"])
        #expect(byTitle.error.contains("did you mean 'client-lead' (Client lead)?"), "\(byTitle.error)")
        let start = try copy.run(["handover", "start", "--from", "ana", "--to", "ana-silva"])
        #expect(start.error.contains("did you mean 'ana-silva'"), "\(start.error)")
        let onboard = try copy.run(["onboard", "ana-silva"])
        #expect(onboard.status == 2)
        #expect(onboard.error.contains("takes a role, and Ana Silva is a person; they hold client-lead"), "\(onboard.error)")
        // A dangling reference says what it probably meant, not that a folder with files is empty.
        try copy.write("content/roles/client-lead.md", "---\ntitle: Client lead\norganisation: client\ntier: operational\ncounterpart: suplier-lead\n---\n")
        let check = try copy.run(["check"])
        #expect(check.output.contains("did you mean 'supplier-lead' (Supplier lead)?"), "\(check.output)")
        #expect(!check.output.contains("nothing in content/"))
    }

    @Test func aFileThatDoesNotParseStillHoldsItsID() throws {
        let copy = try Copy()
        try copy.write("content/people/ana-silva.md", "---\nname: Ana Silva\nroles: [client-lead\n---\n")
        let check = try copy.run(["check"])
        #expect(check.status == 2)
        #expect(check.output.contains("content/people/ana-silva.md:"), "\(check.output)")
        #expect(!check.output.contains("no person has that id") && !check.output.contains("reference.dangling"), "\(check.output)")
        #expect(!check.output.contains("nobody holds the role"), "\(check.output)")
        let show = try copy.run(["show", "ana-silva"])
        #expect(show.error.contains("content/people/ana-silva.md cannot be read"), "\(show.error)")
    }

    @Test func badLanguagesAndDatesAreErrorsAndOutputsSayWhereThingsWent() throws {
        let copy = try Copy()
        try copy.write("content/people/ana-silva.md", "---\nname: Ana Silva\norganisation: client\nroles: [client-lead]\nlang: klingon\n---\n")
        let check = try copy.run(["check"])
        #expect(check.status == 1 && check.output.contains("ana-silva.md:5: error: 'lang' is 'klingon'"), "\(check.output)")
        let today = try copy.run(["check"], ["BATON_TODAY": "yesterday"])
        #expect(today.status == 2 && today.error.contains("BATON_TODAY is 'yesterday'"), "\(today.error)")
        let folder = NSTemporaryDirectory() + "baton-init-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let initialised = try Baton.run(["init", folder])
        #expect(initialised.status == 0 && !initialised.output.contains("README"))
        #expect(!(try String(contentsOfFile: folder + "/baton.yml", encoding: .utf8)).contains("README"))
        let imported = try copy.run(["import", ImportCLITests.importFixtures + "/book.xml", "--section", "communications"])
        #expect(imported.output.contains("In content/knowledge/communications/ (2)"), "\(imported.output)")
        let built = try copy.run(["build", "--output", copy.root + "/site", "--force"])
        #expect(built.output.contains("Open \(copy.root)/site/index.html"), "\(built.output)")
    }

    @Test func searchNamesUnknownFiltersGroupsFieldsAndTellsTitlesApart() throws {
        let example = try TrustCLITests.Example()
        let typo = try example.run(["search", "type:persn carol"])
        #expect(typo.status == 2 && typo.error.contains("no page has type 'persn'; did you mean type:person?"), "\(typo.error)")
        let short = try example.run(["search", "role:castellan-service-desk-lead"])
        #expect(short.error.contains("did you mean role:roles/castellan-service-desk-lead?"), "\(short.error)")
        let grouped = try example.run(["search", "title:(exit OR escalation)", "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(grouped.output.utf8)) as? [String: Any])
        let ids = (document["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        #expect(ids.contains("knowledge/exit-arrangements/exit-plan") && ids.contains("knowledge/management-activities/incident-escalation-path"), "\(ids)")
        let same = try example.run(["search", "relationship manager", "--type", "role"])
        #expect(same.output.contains("Relationship Manager (Castellan Digital Services)"), "\(same.output)")
        #expect(same.output.contains("Relationship Manager (Northmoor Water)"))
    }

    /// The partnership's vision and principles come first for a newcomer: in the onboarding plan and on the site;
    /// a person's page lists the handovers they are part of.
    @Test func visionPrinciplesAndAPersonsHandovers() throws {
        let example = try TrustCLITests.Example()
        let plan = try example.run(["onboard", "northmoor-relationship-manager"])
        #expect(plan.output.contains("Why we partner: Northmoor and Castellan run Northmoor's IT as one team"), "\(plan.output)")
        #expect(plan.output.contains("  - Nobody leaves a role without handing it over."))
        let markdown = try example.run(["onboard", "northmoor-relationship-manager", "--format", "markdown"])
        #expect(markdown.output.contains("## How we work together\n\n- Settle issues"))
        let json = try example.run(["onboard", "northmoor-relationship-manager", "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect((document["principles"] as? [String])?.count == 4)
        let output = example.folder + "/site"
        #expect(try example.run(["build", "--output", output]).status == 0)
        let home = try String(contentsOfFile: output + "/index.html", encoding: .utf8)
        let role = try String(contentsOfFile: output + "/roles/castellan-service-desk-lead.html", encoding: .utf8)
        for page in [home, role] {
            #expect(page.contains("<h2 id=\"vision\">Why we partner</h2>") && page.contains("<li>Share what can be shared;"))
        }
        let show = try example.run(["show", "nadia-farouk"])
        #expect(show.output.contains("Under way\n  handovers/gareth-lowe-to-nadia-farouk taking over: 6 of 13 done"), "\(show.output)")
        #expect(show.output.contains("\n  onboardings/nadia-farouk-northmoor-relationship-manager starting: 12 of 25 done, started 2026-11-23"),
                "\(show.output)")
        let buddy = try example.run(["show", "priya-raman", "--json"])
        let records = try #require((try JSONSerialization.jsonObject(with: Data(buddy.output.utf8)) as? [String: Any])?["under_way"] as? [[String: Any]])
        #expect(records.map { $0["id"] as? String } == ["onboardings/nadia-farouk-northmoor-relationship-manager"])
        #expect(records.first?["side"] as? String == "buddy" && records.first?["total"] as? Int == 25)
    }
}

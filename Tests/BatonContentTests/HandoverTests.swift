import Foundation
import Testing

@testable import BatonContent

@Suite struct HandoverTests {
    /// A copy of the example knowledge base in a temporary folder.
    final class ExampleCopy {
        let root: String

        init() throws {
            root = NSTemporaryDirectory() + "baton-handover-" + UUID().uuidString
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: repositoryRoot + "/content", toPath: root + "/content")
            try FileManager.default.copyItem(atPath: repositoryRoot + "/baton.yml", toPath: root + "/baton.yml")
        }

        func load() throws -> KnowledgeBase { try KnowledgeBase.load(root: root) }

        func text(_ path: String) throws -> String { try String(contentsOfFile: root + "/" + path, encoding: .utf8) }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    static let today = Day("2026-11-22")!

    func startTomasz(_ copy: ExampleCopy) throws -> KnowledgeBase {
        let knowledgeBase = try copy.load()
        let created = try Handovers.start(
            from: try #require(knowledgeBase.entity(id: "people/tomasz-wierzbicki")),
            to: try #require(knowledgeBase.entity(id: "people/sam-adeyemi")), role: nil, leaving: nil,
            today: Self.today, id: nil, in: knowledgeBase)
        #expect(created.path == "content/handovers/tomasz-wierzbicki-to-sam-adeyemi.md")
        try AtomicFile.write(created.text, to: copy.root + "/" + created.path, overwrite: false)
        return try copy.load()
    }

    @Test func startBuildsTheChecklistFromTheTemplateAndWhatTheLeaverHolds() throws {
        let copy = try ExampleCopy()
        let knowledgeBase = try startTomasz(copy)
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .error } == [])
        let handover = try #require(knowledgeBase.entity(id: "handovers/tomasz-wierzbicki-to-sam-adeyemi"))
        let tasks = Handovers.tasks(of: handover)
        // Nine template items, then the generated ones.
        #expect(tasks.count == 12)
        #expect(tasks.filter { $0.section == "Contract" }.count == 3)
        #expect(tasks.contains { $0.text.hasPrefix("Transfer ownership of \"Pricing schedule and annual indexation\"") })
        #expect(tasks.contains { $0.text.hasPrefix("Introduce Sam Adeyemi to Priya Raman, the counterpart") })
        #expect(tasks.contains { $0.text.hasPrefix("Update the records: Sam Adeyemi holds Commercial Manager") })
        // Due dates count back from the last day; owners are named.
        let transfer = try #require(tasks.first { $0.text.hasPrefix("Transfer ownership of \"Pricing") })
        #expect(transfer.due == Day("2026-12-29"))
        #expect(transfer.owner == "outgoing")
        #expect(handover.handover?.leaving == Day("2027-01-08"))
        // The continuity report no longer sees a leaver without a handover.
        let report = ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: Self.today).report()
        #expect(!report.findings.contains { $0.rule == "leaving-no-handover" })
    }

    @Test func templateItemsFallDueAsTheirSectionSaysAndBelongToWhoActs() throws {
        let copy = try ExampleCopy()
        try """
            ---
            title: Timed handover
            ---
            ## Before
            - [ ] Walk the successor through the open changes
            - [ ] Manager confirms the successor's access request
            - [ ] Book the farewell (due: 2 weeks before)
            ## On the last day
            - [ ] Hand back the laptop
            ## After
            - [ ] Successor confirms that nothing is missing
            - [ ] Close the leaver's mailbox (due: 10 days after, owner: manager)

            """.write(toFile: copy.root + "/content/checklists/management-role-handover.md", atomically: true, encoding: .utf8)
        let knowledgeBase = try copy.load()
        let created = try Handovers.start(
            from: try #require(knowledgeBase.entity(id: "people/gareth-lowe")),
            to: try #require(knowledgeBase.entity(id: "people/nadia-farouk")), role: nil, leaving: Day("2026-12-18"),
            today: Self.today, id: "timed", in: knowledgeBase)
        let lines = created.text.split(separator: "\n").map(String.init)
        func item(_ start: String) -> String { lines.first { $0.hasPrefix("- [ ] " + start) } ?? "missing: \(start)" }
        #expect(item("Walk the successor") == "- [ ] Walk the successor through the open changes (owner: outgoing, due: 2026-12-11)")
        #expect(item("Manager confirms") == "- [ ] Manager confirms the successor's access request (owner: manager, due: 2026-12-11)")
        #expect(item("Book the farewell") == "- [ ] Book the farewell (owner: outgoing, due: 2026-12-04)")
        #expect(item("Hand back") == "- [ ] Hand back the laptop (owner: outgoing, due: 2026-12-18)")
        #expect(item("Successor confirms") == "- [ ] Successor confirms that nothing is missing (owner: incoming, due: 2027-01-15)")
        // Ten days after is 28 December, a bank holiday in the example's calendar: the next working day.
        #expect(item("Close the leaver") == "- [ ] Close the leaver's mailbox (owner: manager, due: 2026-12-29)")
    }

    @Test func startRefusesWhatItCannotDo() throws {
        let copy = try ExampleCopy()
        let knowledgeBase = try copy.load()
        let helen = try #require(knowledgeBase.entity(id: "people/helen-achterberg"))
        let priya = try #require(knowledgeBase.entity(id: "people/priya-raman"))
        #expect(throws: Handovers.Failure.self) {
            // Helen has no leaving date and none is given.
            _ = try Handovers.start(from: helen, to: priya, role: nil, leaving: nil, today: Self.today, id: nil,
                                    in: knowledgeBase)
        }
        #expect(throws: Handovers.Failure.self) {
            _ = try Handovers.start(from: helen, to: helen, role: nil, leaving: Self.today, today: Self.today, id: nil,
                                    in: knowledgeBase)
        }
    }

    @Test func tickingChangesOnlyTheCheckboxes() throws {
        let copy = try ExampleCopy()
        let knowledgeBase = try copy.load()
        let handover = try #require(knowledgeBase.entity(id: "handovers/gareth-lowe-to-nadia-farouk"))
        let before = try copy.text(handover.path)
        let ticked = try Handovers.setting(["4", "distribution lists"], done: true, in: handover, fileText: before)
        #expect(ticked.changed.map(\.number) == [4, 11])
        let beforeLines = before.split(separator: "\n", omittingEmptySubsequences: false)
        let afterLines = ticked.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(beforeLines.count == afterLines.count)
        let differing = zip(beforeLines, afterLines).enumerated().filter { $0.element.0 != $0.element.1 }
        #expect(differing.count == 2)
        for (_, pair) in differing {
            #expect(pair.0.replacingOccurrences(of: "[ ]", with: "[x]") == pair.1)
        }
        // Unticking restores the file exactly.
        var sink = DiagnosticSink(file: handover.path)
        let reread = try #require(Entity.read(id: handover.id, kind: .handover, path: handover.path, text: ticked.text,
                                              sink: &sink))
        let back = try Handovers.setting(["4", "11"], done: false, in: reread, fileText: ticked.text)
        #expect(back.text == before)
    }

    @Test func ambiguousOrUnknownItemsAreRefused() throws {
        let copy = try ExampleCopy()
        let handover = try #require(try copy.load().entity(id: "handovers/gareth-lowe-to-nadia-farouk"))
        let text = try copy.text(handover.path)
        #expect(throws: Handovers.Failure.self) { _ = try Handovers.setting(["99"], done: true, in: handover, fileText: text) }
        #expect(throws: Handovers.Failure.self) { _ = try Handovers.setting(["the"], done: true, in: handover, fileText: text) }
        #expect(throws: Handovers.Failure.self) { _ = try Handovers.setting(["unicorn"], done: true, in: handover, fileText: text) }
    }

    @Test func completeAppliesEveryChange() throws {
        let copy = try ExampleCopy()
        var knowledgeBase = try startTomasz(copy)
        let handover = try #require(knowledgeBase.entity(id: "handovers/tomasz-wierzbicki-to-sam-adeyemi"))
        #expect(throws: Handovers.Failure.self) { _ = try Handovers.complete(handover, in: knowledgeBase, force: false) }
        let files = try Handovers.complete(handover, in: knowledgeBase, force: true).files
        #expect(Set(files.map(\.path)) == [
            "content/people/tomasz-wierzbicki.md", "content/people/sam-adeyemi.md", "content/people/priya-raman.md",
            "content/knowledge/commercial-agreement/pricing-and-indexation.md", handover.path,
        ])
        try Journal.writeAll(files, root: copy.root, description: "test")
        knowledgeBase = try copy.load()
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .error } == [])
        let tomasz = try #require(knowledgeBase.entity(id: "people/tomasz-wierzbicki")?.person)
        let sam = try #require(knowledgeBase.entity(id: "people/sam-adeyemi")?.person)
        // Tomasz stays until his last day, and counts as left from then on without another edit.
        #expect(tomasz.status == .active)
        #expect(tomasz.leavingDate == Day("2027-01-08"))
        let tomaszEntity = try #require(knowledgeBase.entity(id: "people/tomasz-wierzbicki"))
        #expect(!ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: Day("2027-01-08")!).hasLeft(tomaszEntity))
        #expect(ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: Day("2027-01-09")!).hasLeft(tomaszEntity))
        #expect(tomasz.roles.isEmpty)
        #expect(sam.roles.map(\.raw) == ["castellan-commercial-manager"])
        #expect(sam.counterpart?.raw == "priya-raman")
        #expect(knowledgeBase.entity(id: "people/priya-raman")?.person?.counterpart?.raw == "sam-adeyemi")
        #expect(knowledgeBase.entity(id: "knowledge/commercial-agreement/pricing-and-indexation")?.knowledge?.owner?.raw
            == "sam-adeyemi")
        #expect(knowledgeBase.entity(id: handover.id)?.handover?.status == .complete)
        // Unknown keys and the body survive the rewrite.
        #expect(try copy.text("content/people/tomasz-wierzbicki.md").contains("keeps the working papers"))
    }

    @Test func aFailedWriteChangesNoFile() throws {
        let copy = try ExampleCopy()
        let first = "content/people/helen-achterberg.md"
        let before = try copy.text(first)
        // The second target is a folder that is not empty: it cannot be replaced by a file.
        try FileManager.default.createDirectory(atPath: copy.root + "/content/blocked/inner", withIntermediateDirectories: true)
        #expect(throws: AtomicFile.WriteError.self) {
            try Journal.writeAll([(first, "changed\n"), ("content/blocked", "changed\n")], root: copy.root, description: "test")
        }
        #expect(try copy.text(first) == before)
        // A file in a folder that does not exist fails before anything is renamed.
        #expect(throws: AtomicFile.WriteError.self) {
            try Journal.writeAll([(first, "changed\n"), ("content/missing/x.md", "x")], root: copy.root, description: "test")
        }
        #expect(try copy.text(first) == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: copy.root + "/content/people")
            .filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }

    @Test func noDepartureOfAKeyPersonMakesAFigureBetter() throws {
        let copy = try ExampleCopy()
        let knowledgeBase = try copy.load()
        let analyzer = ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: Self.today)
        let keyPeople = knowledgeBase.entities(of: .person).filter { $0.person?.keyPerson == true }
        #expect(keyPeople.count >= 5)
        for person in keyPeople {
            let impact = analyzer.departureImpact(of: person, on: Self.today.adding(days: 30))
            let pairs: [(String, Double?, Double?)] = [
                ("key people with a successor", impact.before.keyPeopleWithSuccessor, impact.after.keyPeopleWithSuccessor),
                ("roles with onboarding", impact.before.rolesWithOnboarding, impact.after.rolesWithOnboarding),
                ("knowledge reviewed on time", impact.before.knowledgeReviewedOnTime, impact.after.knowledgeReviewedOnTime),
            ]
            for (figure, before, after) in pairs {
                #expect((after ?? 0) <= (before ?? 0) + 1e-9, "\(person.id) leaving makes \(figure) better: \(before ?? -1) → \(after ?? -1)")
            }
        }
    }
}

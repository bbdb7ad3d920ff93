import Foundation
import Testing

@testable import BatonContent

/// Onboarding as a tracked record: the file `baton onboard start` writes, its progress, completion, and the
/// continuity rules that read it.
@Suite struct OnboardingTests {
    typealias ExampleCopy = HandoverTests.ExampleCopy

    func start(_ copy: ExampleCopy, role: String, person: String, buddy: String?, on day: String,
               audience: Confidentiality = .internal) throws -> (Handovers.NewRecord, KnowledgeBase) {
        let knowledgeBase = try copy.load()
        let created = try Onboardings.start(
            role: try #require(knowledgeBase.entity(id: "roles/" + role)),
            person: try #require(knowledgeBase.entity(id: "people/" + person)),
            buddy: try buddy.map { try #require(knowledgeBase.entity(id: "people/" + $0)) }, start: Day(day)!,
            audience: audience, id: nil, in: knowledgeBase)
        try AtomicFile.createDirectory(copy.root + "/content/onboardings")
        try AtomicFile.write(created.text, to: copy.root + "/" + created.path, overwrite: false)
        return (created, try copy.load())
    }

    @Test func startWritesTheDatedPathWithNamesLinksAndTheVisionFirst() throws {
        let copy = try ExampleCopy()
        let (created, knowledgeBase) = try start(copy, role: "castellan-service-desk-lead", person: "kwame-asante",
                                                 buddy: "chloe-dubois", on: "2026-12-21")
        #expect(created.path == "content/onboardings/kwame-asante-castellan-service-desk-lead.md")
        let record = try #require(knowledgeBase.entity(id: created.id))
        #expect(knowledgeBase.diagnostics.filter { $0.file == record.path } == [])
        #expect(record.title == "Service Desk Lead onboarding, Kwame Asante")
        #expect(record.onboarding?.buddy?.raw == "chloe-dubois" && record.onboarding?.status == .open)
        #expect(record.onboarding?.start == Day("2026-12-21"))
        // The vision and principles come before any task.
        let text = created.text
        let vision = try #require(text.range(of: "## Why we partner"))
        let firstTask = try #require(text.range(of: "- [ ] "))
        #expect(vision.lowerBound < firstTask.lowerBound)
        #expect(text.contains("## How we work together\n\n- Settle issues at the lowest tier"))
        // Due dates are working days of Castellan's calendar: 24, 25 and 28 December and 1 January are off.
        let tasks = Handovers.tasks(of: record)
        func due(_ fragment: String) -> Day? { tasks.first { $0.text.contains(fragment) }?.due }
        #expect(due("Read the on-call hand-off notes") == Day("2026-12-21"))
        #expect(due("Run the stand-up alongside") == Day("2026-12-22"))
        #expect(due("Review the runbook library") == Day("2026-12-30"))
        #expect(due("Learn the major incident RACI") == Day("2027-01-07"))
        let calendar = knowledgeBase.config.calendar
        for task in tasks {
            let day = try #require(task.due, "\(task.text)")
            #expect(calendar.working(day, later: true, organisation: "castellan") == day, "\(task.text) falls on \(day)")
        }
        // People by name with why to meet them, reading as links to the entries, owners by who acts.
        #expect(text.contains("- [ ] Meet [Owen Pritchard](../people/owen-pritchard.md) (Northmoor Water, holds Service Analyst)"))
        #expect(text.contains("- [ ] Read [The runbook library](../knowledge/knowledge-management/runbook-library.md)"))
        #expect(tasks.first { $0.text.hasPrefix("Meet your buddy") }?.owner == "buddy")
        #expect(tasks.first { $0.text.hasPrefix("Read the on-call") }?.owner == "newcomer")
        // The people the steps do not name are met in the first two weeks, the buddy on the first day.
        #expect(!text.contains("## People to meet"))
        #expect(text.contains("The meetings of the functional tier:\n\n- Service desk stand-up (daily, call)"))
        #expect(created.confidentiality == .internal)
    }

    @Test func aRecordIsAsConfidentialAsTheReadingItNames() throws {
        let copy = try ExampleCopy()
        // Restricted reading is left out for an internal audience, and named (making the record restricted) for
        // a restricted one.
        let role = "content/roles/castellan-service-desk-lead.md"
        let path = copy.root + "/" + role
        let original = try copy.text(role)
        try original.replacingOccurrences(of: "read: [knowledge-map]", with: "read: [knowledge-map, pricing-and-indexation]")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let (internalRecord, _) = try start(copy, role: "castellan-service-desk-lead", person: "kwame-asante", buddy: nil,
                                            on: "2026-12-21")
        #expect(internalRecord.confidentiality == .internal && !internalRecord.text.contains("pricing-and-indexation"))
        try FileManager.default.removeItem(atPath: copy.root + "/" + internalRecord.path)
        let (restricted, _) = try start(copy, role: "castellan-service-desk-lead", person: "kwame-asante", buddy: nil,
                                        on: "2026-12-21", audience: .restricted)
        #expect(restricted.confidentiality == .restricted)
        #expect(restricted.restrictedBecause == ["knowledge/commercial-agreement/pricing-and-indexation"])
        #expect(restricted.text.contains("confidentiality: restricted"))
        // No buddy: the buddy's items are not written and the manager gets the invitations.
        #expect(!restricted.text.contains("your buddy"))
        #expect(restricted.text.contains("Get invited to the meetings of the tier (owner: manager"))
    }

    @Test func startRefusesASecondOpenRecordAndSelfBuddies() throws {
        let copy = try ExampleCopy()
        let knowledgeBase = try copy.load()
        let role = try #require(knowledgeBase.entity(id: "roles/northmoor-relationship-manager"))
        let nadia = try #require(knowledgeBase.entity(id: "people/nadia-farouk"))
        #expect(throws: Handovers.Failure.self) {
            try Onboardings.start(role: role, person: nadia, buddy: nil, start: Day("2026-12-01")!, id: "another",
                                  in: knowledgeBase)
        }
        #expect(throws: Handovers.Failure.self) {
            try Onboardings.start(role: role, person: nadia, buddy: nadia, start: Day("2026-12-01")!, id: "self",
                                  in: knowledgeBase)
        }
    }

    @Test func completionNeedsEveryItemAndLeavesTheRecordReadOnly() throws {
        let copy = try ExampleCopy()
        let knowledgeBase = try copy.load()
        let record = try #require(knowledgeBase.entity(id: "onboardings/nadia-farouk-northmoor-relationship-manager"))
        #expect(throws: Handovers.Failure.self) { try Onboardings.complete(record, in: knowledgeBase, force: false) }
        let forced = try Onboardings.complete(record, in: knowledgeBase, force: true)
        #expect(forced.text.contains("\nstatus: complete\n"))
        // Only the status line changed.
        let before = try copy.text(record.path).split(separator: "\n", omittingEmptySubsequences: false)
        let after = forced.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(before.count == after.count && zip(before, after).filter { $0 != $1 }.count == 1)
        // Nadia does not hold the role until her handover completes: completion says so.
        #expect(forced.notes.count == 1 && forced.notes[0].contains("does not hold Relationship Manager"))
        try forced.text.write(toFile: copy.root + "/" + record.path, atomically: true, encoding: .utf8)
        let done = try #require(try copy.load().entity(id: record.id))
        #expect(throws: Handovers.Failure.self) {
            try Handovers.setting(["1"], done: false, in: done, fileText: forced.text)
        }
        let reopened = try Handovers.reopen(done)
        #expect(reopened.text == before.joined(separator: "\n"))
    }

    @Test func tickingChangesOnlyTheCheckboxes() throws {
        let copy = try ExampleCopy()
        let record = try #require(try copy.load().entity(id: "onboardings/nadia-farouk-northmoor-relationship-manager"))
        let text = try copy.text(record.path)
        let (ticked, changed) = try Handovers.setting(["13", "knowledge map with"], done: true, in: record, fileText: text)
        #expect(changed.map(\.number) == [13, 17])
        let differences = zip(text.split(separator: "\n"), ticked.split(separator: "\n")).filter { $0 != $1 }
        #expect(differences.count == 2)
        for (old, new) in differences { #expect(old.replacingOccurrences(of: "- [ ]", with: "- [x]") == new) }
    }

    // MARK: Continuity rules

    static let rules = ContinuityTests.healthy

    func report(_ files: [String: String], today: Day = ContinuityTests.today) throws -> ContinuityReport {
        let fixture = try TemporaryKnowledgeBase(config: ContinuityTests.config, files: files)
        let knowledgeBase = try fixture.load()
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .error } == [], "fixture must be valid")
        return ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: today).report()
    }

    static func onboarding(_ person: String, buddy: String? = nil, start: String = "2026-05-18",
                           items: String = "- [x] Meet the team (owner: newcomer, due: 2026-05-18)\n") -> String {
        "---\nrole: lead\nperson: \(person)\n" + (buddy.map { "buddy: \($0)\n" } ?? "") + "start: \(start)\n---\n" + items
    }

    @Test func overdueItemsOfAnOpenOnboardingAreFound() throws {
        var files = Self.rules
        files["content/onboardings/bea-lead.md"] = Self.onboarding("bea", items:
            "- [x] One (owner: newcomer, due: 2026-05-18)\n- [ ] Two (owner: newcomer, due: 2026-05-29)\n- [ ] Three (owner: newcomer, due: 2026-06-05)\n")
        let found = try report(files).findings.filter { $0.rule == "onboarding-overdue" }
        #expect(found.map(\.entity) == ["onboardings/bea-lead"])
        #expect(found.first?.message.hasPrefix("1 onboarding item(s) are past their due date, the first: Two") == true)
        #expect(found.first?.line == 7)
        // A completed one is not judged.
        files["content/onboardings/bea-lead.md"] = files["content/onboardings/bea-lead.md"]!
            .replacingOccurrences(of: "start: 2026-05-18\n", with: "start: 2026-05-18\nstatus: complete\n")
        #expect(try report(files).findings.filter { $0.rule == "onboarding-overdue" } == [])
    }

    @Test func aRecentStartWithoutARecordIsFound() throws {
        var files = Self.rules
        files["content/people/bea.md"] = ContinuityTests.person("Bea", "roles: [lead]\ncounterpart: dee\nstart_date: 2026-04-20\n")
        let missing = try report(files).findings.filter { $0.rule == "onboarding-missing" }
        #expect(missing.map(\.entity) == ["people/bea"])
        #expect(missing.first?.hint == "baton onboard start lead --person bea --start 2026-04-20")
        // A record, open or complete, answers it.
        files["content/onboardings/bea-lead.md"] = Self.onboarding("bea", start: "2026-04-20")
        #expect(try report(files).findings.filter { $0.rule == "onboarding-missing" } == [])
        // Outside the window (default 90 days), or not started yet: nothing to say.
        files["content/onboardings/bea-lead.md"] = nil
        #expect(try report(files, today: Day("2026-07-20")!).findings.filter { $0.rule == "onboarding-missing" } == [])
        #expect(try report(files, today: Day("2026-04-19")!).findings.filter { $0.rule == "onboarding-missing" } == [])
    }

    @Test func aBuddyWhoLeavesIsFound() throws {
        var files = Self.rules
        files["content/onboardings/bea-lead.md"] = Self.onboarding("bea", buddy: "cal")
        #expect(try report(files).findings.filter { $0.rule == "buddy-leaving" } == [])
        files["content/people/cal.md"] = ContinuityTests.person("Cal", "deputy: bea\nleaving_date: 2026-06-20\n")
        let found = try report(files).findings.filter { $0.rule == "buddy-leaving" }
        #expect(found.map(\.entity) == ["onboardings/bea-lead"])
        #expect(found.first?.message.contains("the buddy Cal leaves on 2026-06-20") == true)
    }

    @Test func aDepartureCountsTheOnboardingsItStalls() throws {
        var files = Self.rules
        files["content/onboardings/bea-lead.md"] = Self.onboarding("bea", buddy: "cal")
        let fixture = try TemporaryKnowledgeBase(config: ContinuityTests.config, files: files)
        let knowledgeBase = try fixture.load()
        let analyzer = ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: ContinuityTests.today)
        let impact = analyzer.departureImpact(of: try #require(knowledgeBase.entity(id: "people/cal")), on: ContinuityTests.today)
        #expect(impact.stalledOnboardings == ["onboardings/bea-lead"])
        #expect(impact.newFindings.contains { $0.rule == "buddy-leaving" })
    }

    @Test func aHandoverPassesTheLeaversBuddyRoleToTheSuccessor() throws {
        var files = Self.rules
        files["content/onboardings/eve-lead.md"] = Self.onboarding("eve", buddy: "ann")
        files["content/handovers/ann-to-cal.md"] = "---\nrole: lead\nfrom: ann\nto: cal\nleaving: 2026-07-01\n---\n- [x] One\n"
        let fixture = try TemporaryKnowledgeBase(config: ContinuityTests.config, files: files)
        let knowledgeBase = try fixture.load()
        let completion = try Handovers.complete(try #require(knowledgeBase.entity(id: "handovers/ann-to-cal")),
                                                in: knowledgeBase, force: false)
        let onboarding = try #require(completion.files.first { $0.path == "content/onboardings/eve-lead.md" })
        #expect(onboarding.text.contains("\nbuddy: cal\n"))
        #expect(completion.moved.contains("Cal is the buddy in onboardings/eve-lead"), "\(completion.moved)")
    }
}

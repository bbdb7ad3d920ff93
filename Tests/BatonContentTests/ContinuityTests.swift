import Foundation
import Testing

@testable import BatonContent

/// Each continuity rule fires where it should and nowhere else, on small knowledge bases with known answers.
@Suite struct ContinuityTests {
    static let today = Day("2026-06-01")!

    static let config = TemporaryKnowledgeBase.standardConfig + """
        governance:
          - tier: operational
            meetings:
              - {name: Monthly review, frequency: monthly}

        """

    static func person(_ name: String, _ fields: String = "") -> String {
        "---\nname: \(name)\norganisation: client\n\(fields)---\n"
    }

    static func role(_ title: String, _ fields: String = "", tier: String = "operational", steps: Bool = true) -> String {
        let onboarding = steps ? "onboarding:\n  - {when: day 1, do: Start}\n" : ""
        return "---\ntitle: \(title)\norganisation: client\ntier: \(tier)\n\(fields)\(onboarding)---\n"
    }

    /// A knowledge base where nothing is at risk.
    static let healthy: [String: String] = [
        "content/roles/lead.md": role("Lead", "counterpart: partner-lead\nfunction: relationship\n"),
        "content/roles/partner-lead.md": role("Partner lead", "counterpart: lead\nfunction: commercial\n"),
        "content/people/ann.md": person("Ann", "roles: [lead]\nkey_person: true\ndeputy: bea\nsuccessor: cal\ncounterpart: dee\n"),
        "content/people/bea.md": person("Bea", "roles: [lead]\ncounterpart: dee\n"),
        "content/people/cal.md": person("Cal", "deputy: bea\n"),
        "content/people/dee.md": person("Dee", "roles: [partner-lead]\ndeputy: eve\ncounterpart: ann\n"),
        "content/people/eve.md": person("Eve", "roles: [partner-lead]\ncounterpart: bea\n"),
        "content/knowledge/exit-arrangements/plan.md": "---\ntitle: Plan\nsection: exit-arrangements\nowner: ann\nreview_by: 2026-12-31\n---\n",
    ]

    func report(_ files: [String: String], config: String = ContinuityTests.config) throws -> ContinuityReport {
        let fixture = try TemporaryKnowledgeBase(config: config, files: files)
        let knowledgeBase = try fixture.load()
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .error } == [], "fixture must be valid")
        return ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: Self.today).report()
    }

    func fired(_ report: ContinuityReport) -> Set<String> {
        Set(report.findings.map { "\($0.rule) \($0.entity)" })
    }

    @Test func aHealthyKnowledgeBaseHasNoFindings() throws {
        let report = try report(Self.healthy)
        #expect(report.findings == [])
        #expect(report.coverage.keyPeopleWithSuccessor == 1)
        #expect(report.coverage.rolesWithOnboarding == 1)
        #expect(report.coverage.knowledgeReviewedOnTime == 1)
    }

    @Test(arguments: [
        // (rule, the change that must trigger it, the entity it names)
        ("leaving-no-handover", "content/people/cal.md", person("Cal", "deputy: bea\nleaving_date: 2026-07-01\n"), "people/cal"),
        ("key-person-no-successor", "content/people/ann.md",
         person("Ann", "roles: [lead]\nkey_person: true\ndeputy: bea\ncounterpart: dee\n"), "people/ann"),
        ("key-person-no-deputy", "content/people/ann.md",
         person("Ann", "roles: [lead]\nkey_person: true\nsuccessor: cal\ncounterpart: dee\n"), "people/ann"),
        ("role-no-holder", "content/roles/spare.md", role("Spare"), "roles/spare"),
        ("role-no-onboarding", "content/roles/partner-lead.md", role("Partner lead", "counterpart: lead\nfunction: commercial\n", steps: false),
         "roles/partner-lead"),
        ("knowledge-review-overdue", "content/knowledge/exit-arrangements/plan.md",
         "---\ntitle: Plan\nsection: exit-arrangements\nowner: ann\nreview_by: 2026-01-31\n---\n",
         "knowledge/exit-arrangements/plan"),
        ("knowledge-no-owner", "content/knowledge/exit-arrangements/plan.md",
         "---\ntitle: Plan\nsection: exit-arrangements\n---\n", "knowledge/exit-arrangements/plan"),
        ("knowledge-owner-leaving", "content/people/ann.md",
         person("Ann", "roles: [lead]\nkey_person: true\ndeputy: bea\nsuccessor: cal\ncounterpart: dee\nstatus: left\n"),
         "knowledge/exit-arrangements/plan"),
        ("cover-leaving", "content/people/cal.md", person("Cal", "deputy: bea\nstatus: left\n"), "people/ann"),
        ("deputy-is-successor", "content/people/ann.md",
         person("Ann", "roles: [lead]\nkey_person: true\ndeputy: bea\nsuccessor: bea\ncounterpart: dee\n"), "people/ann"),
        ("peer-pair-missing", "content/people/eve.md", person("Eve", "roles: [partner-lead]\n"), "people/eve"),
        ("tier-no-cadence", "content/roles/board.md", role("Board", tier: "executive"), ""),
        ("holder-other-side", "content/people/dee.md",
         "---\nname: Dee\norganisation: supplier\nroles: [partner-lead]\ndeputy: eve\ncounterpart: ann\n---\n", "people/dee"),
        ("disciplines-combined", "content/people/eve.md", person("Eve", "roles: [partner-lead, lead]\ncounterpart: bea\n"),
         "people/eve"),
    ])
    func eachRuleFiresOnItsCase(rule: String, path: String, text: String, entity: String) throws {
        var files = Self.healthy
        files[path] = text
        let report = try report(files)
        let matching = report.findings.filter { $0.rule == rule }
        #expect(matching.map(\.entity) == [entity], "\(rule): \(fired(report))")
    }

    @Test func aRoleWithOneHolderAndNoDeputy() throws {
        var files = Self.healthy
        files["content/people/eve.md"] = Self.person("Eve", "counterpart: bea\n")
        files["content/people/dee.md"] = Self.person("Dee", "roles: [partner-lead]\ncounterpart: ann\n")
        let report = try report(files)
        #expect(report.findings.filter { $0.rule == "role-single-holder" }.map(\.entity) == ["roles/partner-lead"])
    }

    @Test func anOverdueHandover() throws {
        var files = Self.healthy
        files["content/handovers/ann-to-cal.md"] =
            "---\nrole: lead\nfrom: ann\nto: cal\nstarted: 2026-04-01\nleaving: 2026-05-15\n---\n- [x] One\n- [ ] Two\n"
        let report = try report(files)
        let overdue = report.findings.filter { $0.rule == "handover-overdue" }
        #expect(overdue.map(\.entity) == ["handovers/ann-to-cal"])
        #expect(overdue.first?.severity == .error)
        #expect(overdue.first?.message.contains("1 item(s) are still open") == true)
    }

    @Test func anOpenHandoverSilencesLeavingNoHandover() throws {
        var files = Self.healthy
        files["content/people/cal.md"] = Self.person("Cal", "deputy: bea\nleaving_date: 2026-07-01\n")
        files["content/handovers/cal-to-bea.md"] = "---\nrole: lead\nfrom: cal\nto: bea\nleaving: 2026-07-01\n---\n- [ ] One\n"
        #expect(try report(files).findings.filter { $0.rule == "leaving-no-handover" } == [])
    }

    @Test func settingsChangeSeveritiesAndTheWindow() throws {
        var files = Self.healthy
        files["content/people/cal.md"] = Self.person("Cal", "deputy: bea\nleaving_date: 2026-09-01\n")
        // 92 days away: outside the default 60-day window.
        #expect(try report(files).findings.filter { $0.rule == "leaving-no-handover" } == [])
        let config = Self.config + "continuity:\n  leaving_window_days: 120\n  rules:\n    leaving-no-handover: warning\n"
        let widened = try report(files, config: config).findings.filter { $0.rule == "leaving-no-handover" }
        #expect(widened.map(\.severity) == [.warning])
        let off = Self.config + "continuity:\n  leaving_window_days: 120\n  rules:\n    leaving-no-handover: off\n"
        #expect(try report(files, config: off).findings.filter { $0.rule == "leaving-no-handover" } == [])
    }

    @Test func badSettingsAreValidationErrors() throws {
        let config = Self.config + "continuity:\n  leaving_window_days: soon\n  rules:\n    made-up: error\n"
        let fixture = try TemporaryKnowledgeBase(config: config, files: [:])
        let codes = try fixture.load().diagnostics.map(\.code)
        #expect(codes == ["field.range", "field.value"])
    }

    @Test func configuredNumbersOutOfRangeAreRefusedWithTheirBounds() throws {
        for value in ["9223372036854775807", "99999999999999999999", "-1", "3661"] {
            let config = Self.config + "continuity:\n  leaving_window_days: \(value)\nlimits:\n  max_file_mb: \(value)\n"
            let fixture = try TemporaryKnowledgeBase(config: config, files: [:])
            let knowledgeBase = try fixture.load()
            let ranges = knowledgeBase.diagnostics.filter { $0.code == "field.range" }
            #expect(ranges.count == 2, "\(value): \(knowledgeBase.diagnostics)")
            #expect(ranges.allSatisfy { $0.severity == .unreadable && $0.file == "baton.yml" && $0.line != nil })
            #expect(ranges.contains { $0.message.contains("from 0 to 3660") })
            #expect(ranges.contains { $0.message.contains("from 1 to 1024") })
            // The defaults stand, so nothing downstream sees the bad number.
            #expect(knowledgeBase.config.continuity.leavingWindowDays == ContinuitySettings().leavingWindowDays)
            _ = ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: Day("2026-11-22")!).report()
        }
    }

    @Test func simulatingADepartureListsWhatItBreaks() throws {
        let fixture = try TemporaryKnowledgeBase(config: Self.config, files: Self.healthy)
        let knowledgeBase = try fixture.load()
        let analyzer = ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: Self.today)
        let dee = try #require(knowledgeBase.entity(id: "people/dee"))
        let impact = analyzer.departureImpact(of: dee, on: Day("2026-08-01")!)
        #expect(impact.rolesLosingOnlyHolder == [])  // Eve holds partner-lead too
        #expect(impact.brokenPeerPairs == ["people/ann", "people/bea"])
        let ann = try #require(knowledgeBase.entity(id: "people/ann"))
        let annImpact = analyzer.departureImpact(of: ann, on: Day("2026-08-01")!)
        #expect(annImpact.knowledgeLosingOwner == ["knowledge/exit-arrangements/plan"])
        #expect(annImpact.newFindings.map(\.rule).contains("knowledge-owner-leaving"))
        // Nothing on disk changed.
        #expect(try fixture.load().entities.map(\.id) == knowledgeBase.entities.map(\.id))
    }

    @Test func theExampleKnowledgeBaseHasItsDeliberateGaps() throws {
        let knowledgeBase = try KnowledgeBase.load(root: repositoryRoot)
        let report = ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: Day("2026-11-22")!).report()
        let fired = fired(report)
        #expect(fired.contains("leaving-no-handover people/tomasz-wierzbicki"))
        #expect(fired.contains("key-person-no-successor people/rafael-mendes"))
        #expect(fired.contains("role-single-holder roles/northmoor-commercial-manager"))
        #expect(fired.contains("knowledge-no-owner knowledge/continuous-improvement/improvement-backlog-process"))
        #expect(report.findings.filter { $0.rule == "knowledge-review-overdue" }.count == 4)
        #expect(!fired.contains("leaving-no-handover people/gareth-lowe"))  // his handover is open
    }
}

@Suite struct OnboardingPlanTests {
    @Test func workingDaysSkipWeekends() {
        let friday = Day("2026-12-04")!
        #expect(OnboardingPlan.workingDay(1, from: friday).description == "2026-12-04")
        #expect(OnboardingPlan.workingDay(2, from: friday).description == "2026-12-07")  // Monday
        #expect(OnboardingPlan.workingDay(6, from: friday).description == "2026-12-11")
        // A start on a Saturday begins on the Monday.
        #expect(OnboardingPlan.workingDay(1, from: Day("2026-12-05")!).description == "2026-12-07")
        for number in 1...60 {
            #expect(OnboardingPlan.workingDay(number, from: friday).weekday <= 5)
        }
    }

    @Test func stepsAreDueByTheirWorkingDay() {
        #expect(StepTime("day 3")!.workingDay == 3)
        #expect(StepTime("week 2")!.workingDay == 10)
        #expect(StepTime("month 1")!.workingDay == 20)
        #expect(StepTime("weeks 2") != nil)
        #expect(StepTime("fortnight 1") == nil)
    }

    @Test func thePlanForTheIncomingRelationshipManager() throws {
        let knowledgeBase = try KnowledgeBase.load(root: repositoryRoot)
        let role = try #require(knowledgeBase.entity(id: "roles/northmoor-relationship-manager"))
        let nadia = try #require(knowledgeBase.entity(id: "people/nadia-farouk"))
        let plan = try #require(OnboardingPlan.make(role: role, person: nadia, start: Day("2026-12-07")!,
                                                    audience: .internal, in: knowledgeBase))
        // Working days by the example's calendar: 25 and 28 December and 1 January are bank holidays.
        #expect(plan.steps.map(\.date.description) == [
            "2026-12-07", "2026-12-08", "2026-12-11", "2026-12-18", "2026-12-29", "2027-01-06", "2027-02-03",
        ])
        #expect(plan.contacts.map(\.id) == ["people/gareth-lowe", "people/david-osei", "people/joanna-kerr",
                                            "people/helen-achterberg"])
        #expect(plan.handover?.id == "handovers/gareth-lowe-to-nadia-farouk")
        #expect(plan.meetings.map(\.name).contains("Relationship managers' meeting"))
        #expect(plan.withheldReading == 0)
    }

    @Test func readingAboveTheAudienceIsLeftOut() throws {
        let knowledgeBase = try KnowledgeBase.load(root: repositoryRoot)
        let role = try #require(knowledgeBase.entity(id: "roles/northmoor-executive-sponsor"))
        let plan = try #require(OnboardingPlan.make(role: role, person: nil, start: Day("2026-12-07")!,
                                                    audience: .internal, in: knowledgeBase))
        let titles = plan.steps.flatMap(\.read).map(\.id)
        #expect(!titles.contains("knowledge/exit-arrangements/exit-plan"))  // restricted
        #expect(!titles.contains("knowledge/commercial-agreement/pricing-and-indexation"))
        #expect(plan.withheldReading == 2)
        let everything = try #require(OnboardingPlan.make(role: role, person: nil, start: Day("2026-12-07")!,
                                                          audience: .restricted, in: knowledgeBase))
        #expect(everything.withheldReading == 0)
    }
}

@Suite struct HandoverOverdueItemsTests {
    @Test func anItemPastItsDueDateMakesTheHandoverOverdue() throws {
        var files = ContinuityTests.healthy
        files["content/people/cal.md"] = ContinuityTests.person("Cal", "deputy: bea\nleaving_date: 2026-07-01\n")
        files["content/handovers/cal-to-bea.md"] = "---\nrole: lead\nfrom: cal\nto: bea\nleaving: 2026-07-01\n---\n"
            + "- [x] Done (owner: outgoing, due: 2026-05-01)\n- [ ] Late (owner: outgoing, due: 2026-05-20)\n"
            + "- [ ] Later (owner: outgoing, due: 2026-06-20)\n"
        let fixture = try TemporaryKnowledgeBase(config: ContinuityTests.config, files: files)
        let report = ContinuityAnalyzer(knowledgeBase: try fixture.load(), today: ContinuityTests.today).report()
        let overdue = report.findings.filter { $0.rule == "handover-overdue" }
        #expect(overdue.map(\.entity) == ["handovers/cal-to-bea"])
        #expect(overdue.first?.message.hasPrefix("1 handover item(s) are past their due date, the first: Late") == true)
        #expect(overdue.first?.line == 8)
    }

    @Test func workingDaysSkipHolidaysForTheWholePartnershipAndEachSide() throws {
        let config = ContinuityTests.config + """
            calendar:
              working_days: [mon, tue, wed, thu]
              holidays: [2026-12-25, 2027-01-01]
              organisations:
                client:
                  holidays: [2026-12-24]

            """
        let fixture = try TemporaryKnowledgeBase(config: config, files: ContinuityTests.healthy)
        let knowledgeBase = try fixture.load()
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .error } == [])
        let calendar = knowledgeBase.config.calendar
        let wednesday = Day("2026-12-23")!
        #expect(calendar.isWorkingDay(Day("2026-12-24")!))  // Thursday, a working day for the partnership
        #expect(!calendar.isWorkingDay(Day("2026-12-24")!, organisation: "client"))  // but not the client's
        #expect(!calendar.isWorkingDay(Day("2026-12-25")!))  // a holiday
        #expect(!calendar.isWorkingDay(Day("2026-12-28")!.adding(days: 4)))  // Friday 1 January: not a working weekday
        // Day 2 after Wednesday 23 December: Thursday 24th, or for the client Monday 28th.
        #expect(calendar.workingDay(2, from: wednesday).description == "2026-12-24")
        #expect(calendar.workingDay(2, from: wednesday, organisation: "client").description == "2026-12-28")
        #expect(calendar.working(Day("2026-12-25")!, later: false).description == "2026-12-24")
        #expect(calendar.working(Day("2026-12-25")!, later: true).description == "2026-12-28")
        // A handover item due on a holiday (and a Friday, not a working day here) moves to the working day before.
        let leaver = try #require(knowledgeBase.entity(id: "people/ann"))
        let created = try Handovers.start(from: leaver, to: try #require(knowledgeBase.entity(id: "people/bea")),
                                          role: nil, leaving: Day("2027-01-01"), today: ContinuityTests.today, id: "ann-out",
                                          in: knowledgeBase)
        #expect(created.text.contains("holds Lead (roles/lead) (owner: manager, due: 2026-12-31)"), "\(created.text)")
    }

    @Test func aCalendarWithBadDaysIsAnError() throws {
        let config = ContinuityTests.config + "calendar:\n  working_days: [monday, funday]\n  holidays: [2026-02-30]\n"
        let fixture = try TemporaryKnowledgeBase(config: config, files: [:])
        let messages = try fixture.load().diagnostics.map(\.message)
        #expect(messages.contains { $0.contains("'funday' is not a day of the week") }, "\(messages)")
        #expect(messages.contains { $0.contains("holiday '2026-02-30' is not a valid date") }, "\(messages)")
    }
}

import Foundation
import Testing

@testable import BatonContent

/// KPIs: periods, the definitions in baton.yml, the measurement files, the report, the two rules, exit
/// triggers on KPI data, and their place in the calendar.
@Suite struct KPITests {
    static let today = Day("2026-11-20")!

    static let config = TemporaryKnowledgeBase.standardConfig + """
        kpis:
          - {id: restore, name: Incidents restored in time, unit: "%", target: 95, better: higher, owner: lead}
          - {id: disputes, name: Invoice lines disputed, target: 5, better: lower, period: monthly}
          - {id: uptime, name: Uptime, unit: "%", target: 99.5, better: higher, period: annually}

        """

    static let files: [String: String] = [
        "content/roles/lead.md": "---\ntitle: Service lead\norganisation: supplier\ntier: operational\n---\n",
        // Missed in Q1, Q2 and Q3 after meeting it in 2025-Q4.
        "content/kpis/restore.md": """
            ---
            measurements:
              2025-Q4: 96.4
              2026-Q1: 93.8
              2026-Q2: 91.7
              2026-Q3: 92.9
            ---
            How it is measured.
            """,
        // Met in October; September is over the target, but August (missing) breaks the run.
        "content/kpis/disputes.md": """
            ---
            confidentiality: restricted
            measurements:
              2026-07: 9
              2026-09: 8
              2026-10: 4
            ---
            """,
    ]

    func load(config: String = KPITests.config, files: [String: String] = KPITests.files) throws -> (TemporaryKnowledgeBase, KnowledgeBase) {
        let fixture = try TemporaryKnowledgeBase(config: config, files: files)
        return (fixture, try fixture.load())
    }

    func findings(_ knowledgeBase: KnowledgeBase, today: Day = KPITests.today) -> [ContinuityReport.Finding] {
        ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: today).report().findings
            .filter { $0.rule.hasPrefix("kpi") || $0.rule == "exit-trigger" }
    }

    @Test func periodsReadWriteAndStep() throws {
        #expect(KPIPeriod("2026-Q1")?.description == "2026-Q1" && KPIPeriod("2026-q4")?.description == "2026-Q4")
        #expect(KPIPeriod("2026-03")?.kind == .monthly && KPIPeriod("2026")?.kind == .annually)
        for bad in ["2026-Q5", "2026-13", "2026-00", "26-Q1", "2026-1", "2026-Q1-01", "Q1", ""] {
            #expect(KPIPeriod(bad) == nil, "\(bad)")
        }
        let q4 = KPIPeriod("2026-Q4")!
        #expect(q4.firstDay == Day("2026-10-01") && q4.lastDay == Day("2026-12-31"))
        #expect(q4.next.description == "2027-Q1" && q4.next.previous == q4 && KPIPeriod("2026-01")!.previous.description == "2025-12")
        #expect(KPIPeriod("2024-02")!.lastDay == Day("2024-02-29") && KPIPeriod("2026")!.lastDay == Day("2026-12-31"))
        #expect(KPIPeriod(kind: .quarterly, containing: Day("2026-11-20")!).description == "2026-Q4")
        #expect(KPIReport.due(KPIPeriod("2026-Q3")!, day: 10) == Day("2026-10-10"))
        #expect(KPIReport.due(KPIPeriod("2026-12")!, day: 28) == Day("2027-01-28"))
    }

    @Test func theReportComparesEachKPIWithItsTarget() throws {
        let (_, knowledgeBase) = try load()
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .warning } == [], "\(knowledgeBase.diagnostics)")
        let report = KPIReport(knowledgeBase: knowledgeBase, today: Self.today)
        let restore = try #require(report.indicator("restore"))
        #expect(restore.measurements.map(\.value) == [96.4, 93.8, 91.7, 92.9])
        #expect(restore.missesRunning == 3 && restore.improving == true && abs(restore.change! - 1.2) < 1e-9)
        #expect(restore.nextPeriod.description == "2026-Q4" && restore.nextDue == Day("2027-01-10"))
        #expect(restore.targetText == "≥ 95 %" && restore.definition.text(92.9) == "92.9 %")
        #expect(restore.definition.changeText(-1) == "−1 point" && restore.definition.changeText(1.25) == "+1.25 points")
        let disputes = try #require(report.indicator("disputes"))
        // Lower is better: 4 meets 5; falling from 8 to 4 is an improvement.
        #expect(disputes.missesRunning == 0 && disputes.improving == true && disputes.latestRun(5).map(\.period.description) == ["2026-09", "2026-10"])
        #expect(disputes.nextPeriod.description == "2026-11" && disputes.nextDue == Day("2026-12-10"))
        // No file: nothing measured, and the first due is for the last period ended.
        let uptime = try #require(report.indicator("uptime"))
        #expect(uptime.entity == nil && uptime.measurements.isEmpty && uptime.nextPeriod.description == "2025" && uptime.nextDue == Day("2026-01-10"))
        // An internal audience does not see the restricted measurements.
        let inside = KPIReport(knowledgeBase: knowledgeBase, today: Self.today, audience: .internal)
        #expect(inside.indicator("disputes")?.entity == nil && inside.indicator("disputes")?.measurements.isEmpty == true)
    }

    @Test func theRulesFindMissesRunningAndMissingMeasurements() throws {
        let (_, knowledgeBase) = try load()
        let found = findings(knowledgeBase)
        let missed = try #require(found.first { $0.rule == "kpi-missed" })
        #expect(found.filter { $0.rule == "kpi-missed" }.count == 1)
        #expect(missed.file == "content/kpis/restore.md" && missed.line == 6)
        #expect(missed.message == "Incidents restored in time has missed its target (≥ 95 %) 3 periods running: 93.8 % in 2026-Q1, 91.7 % in 2026-Q2, 92.9 % in 2026-Q3")
        // Uptime has no file and its 2025 figure was due in January.
        let unmeasured = found.filter { $0.rule == "kpi-not-measured" }
        #expect(unmeasured.count == 1 && unmeasured[0].file == "baton.yml" && unmeasured[0].line == 9)
        #expect(unmeasured[0].message.contains("Uptime has no measurements; the one for 2025 was due by 2026-01-10"))
        // On 11 December, November's disputes are overdue; in January, Q4's restore figure is not yet (due the 10th).
        let december = findings(knowledgeBase, today: Day("2026-12-11")!).filter { $0.rule == "kpi-not-measured" }
        #expect(december.contains { $0.file == "content/kpis/disputes.md" && $0.message.contains("no measurement for 2026-11; it was due by 2026-12-10") })
        #expect(!findings(knowledgeBase, today: Day("2027-01-10")!).contains { $0.rule == "kpi-not-measured" && $0.file == "content/kpis/restore.md" })
        #expect(findings(knowledgeBase, today: Day("2027-01-11")!).contains { $0.rule == "kpi-not-measured" && $0.file == "content/kpis/restore.md" })
        // Two misses are not three; the threshold is a setting.
        let two = try load(config: Self.config + "health: {kpi_misses: 4}\n").1
        #expect(!findings(two).contains { $0.rule == "kpi-missed" })
        let days = try load(config: Self.config + "health: {kpi_due_day: 20}\n").1
        #expect(KPIReport(knowledgeBase: days, today: Self.today).indicator("restore")?.nextDue == Day("2027-01-20"))
    }

    @Test func exitTriggersTestKPIData() throws {
        func config(_ when: String) -> String {
            Self.config + "exit_triggers:\n  - text: Restoration under the bound.\n    when: \(when)\n"
        }
        let fired = findings(try load(config: config("{kpi: restore, below: 93, periods: 2}")).1).filter { $0.rule == "exit-trigger" }
        // Q2 91.7 and Q3 92.9 are both below 93.
        #expect(fired.count == 1 && fired[0].severity == .error && fired[0].file == "baton.yml" && fired[0].line == 11)
        #expect(fired[0].message.contains("\"Restoration under the bound.\" has fired: Incidents restored in time was 91.7 % in 2026-Q2, 92.9 % in 2026-Q3 (target ≥ 95 %)"))
        #expect(!findings(try load(config: config("{kpi: restore, below: 92, periods: 2}")).1).contains { $0.rule == "exit-trigger" })
        #expect(findings(try load(config: config("{kpi: restore, missed: true, periods: 3}")).1).contains { $0.rule == "exit-trigger" })
        #expect(!findings(try load(config: config("{kpi: restore, missed: true, periods: 4}")).1).contains { $0.rule == "exit-trigger" })
        // A gap in the periods ends the run: disputes was above 7 in July and September but August is missing.
        #expect(!findings(try load(config: config("{kpi: disputes, above: 7, periods: 2}")).1).contains { $0.rule == "exit-trigger" })
        // Unknown KPI, no bound, checks: on a KPI: errors in baton.yml.
        let unknown = try load(config: config("{kpi: restor, below: 90}")).1.diagnostics
        #expect(unknown.contains { $0.code == "kpi.unknown" && $0.line == 11 && $0.message.contains("did you mean 'restore'?") })
        let unbounded = try load(config: config("{kpi: restore}")).1.diagnostics
        #expect(unbounded.contains { $0.message.contains("needs below:, above: (a value) or missed: true") })
        let checks = try load(config: config("{kpi: restore, below: 90, checks: 2}")).1.diagnostics
        #expect(checks.contains { $0.message.contains("counts periods: (periods: 3), not checks:") })
        // The condition reads back in words.
        let condition = try #require(try load(config: config("{kpi: restore, missed: true, periods: 3}")).1.config.exitConditions.first)
        #expect(condition.summary == "restore missing its target 3 periods running")
    }

    @Test func badDefinitionsAndMeasurementsAreReportedWithTheirLines() throws {
        let config = TemporaryKnowledgeBase.standardConfig + """
            kpis:
              - {id: restore, name: Restored, target: high, better: higher}
              - {id: restore, name: Again, target: 3, better: up}
              - {id: Bad/Id, name: Bad, target: 1, better: lower}
              - {id: owned, name: Owned, target: 1, better: lower, owner: nobody, period: weekly}

            """
        let (_, knowledgeBase) = try load(config: config, files: [
            "content/kpis/owned.md": "---\nmeasurements:\n  2026-Q1: 3\n  2026-05: 2\n  spring: 1\n  2026-06: lots\n---\n",
            "content/kpis/ownd.md": "---\nmeasurements: 4\n---\n",
        ])
        let diagnostics = knowledgeBase.diagnostics
        func find(_ file: String, _ text: String) -> Diagnostic? { diagnostics.first { $0.file == file && $0.message.contains(text) } }
        #expect(find("baton.yml", "'target' must be a number, not 'high'")?.line == 7)
        #expect(find("baton.yml", "'better'")?.line == 8)
        #expect(find("baton.yml", "the KPI id 'Bad/Id' must be lower-case")?.line == 9)
        #expect(find("baton.yml", "'owner' refers to 'nobody', but no role has that id")?.line == 10)
        #expect(find("baton.yml", "weekly") != nil)
        #expect(find("content/kpis/owned.md", "'2026-Q1' is not a quarterly period") == nil)  // owned falls back to quarterly
        #expect(find("content/kpis/owned.md", "'2026-05' is not a quarterly period; owned is measured quarterly, as 2026-Q1")?.line == 4)
        #expect(find("content/kpis/owned.md", "'spring' is not a period")?.line == 5)
        #expect(find("content/kpis/owned.md", "the measurement for 2026-06 is 'lots'; a measurement is a number")?.line == 6)
        #expect(find("content/kpis/ownd.md", "no KPI 'ownd' is agreed under kpis:")?.message.contains("did you mean 'owned'?") == true)
        #expect(find("content/kpis/ownd.md", "'measurements' must map each period to its value")?.line == 2)
    }

    @Test func theCalendarRepeatsEachKPIsDueDateEveryPeriod() throws {
        let (_, knowledgeBase) = try load()
        let inside = GovernanceCalendar(knowledgeBase: knowledgeBase, audience: .internal, today: Self.today)
        let kpis = inside.events.filter { $0.uid.hasPrefix("kpi-") }
        // The restricted disputes file is not in an internal calendar; uptime has no file yet, so it is.
        #expect(kpis.map(\.summary).sorted() == ["KPI measurement due: Incidents restored in time", "KPI measurement due: Uptime"])
        let restore = try #require(kpis.first { $0.summary.hasSuffix("restored in time") })
        #expect(restore.day == Day("2027-01-10") && restore.rule == "FREQ=MONTHLY;INTERVAL=3" && restore.description?.contains("the next is for 2026-Q4") == true)
        let restricted = GovernanceCalendar(knowledgeBase: knowledgeBase, audience: .restricted, today: Self.today)
        let disputes = try #require(restricted.events.first { $0.summary.hasSuffix("Invoice lines disputed") })
        #expect(disputes.rule == "FREQ=MONTHLY" && disputes.day == Day("2026-12-10"))
        #expect(restricted.events.first { $0.summary.hasSuffix("Uptime") }?.rule == "FREQ=YEARLY")
        // The public sees no KPI at all (their files are internal or restricted).
        #expect(!GovernanceCalendar(knowledgeBase: knowledgeBase, audience: .public, today: Self.today).events.contains { $0.uid.hasPrefix("kpi-") })
        // The same KPI keeps its UID when a measurement is added.
        var files = Self.files
        files["content/kpis/restore.md"] = files["content/kpis/restore.md"]!.replacingOccurrences(of: "  2026-Q3: 92.9\n", with: "  2026-Q3: 92.9\n  2026-Q4: 95.5\n")
        let later = GovernanceCalendar(knowledgeBase: try load(files: files).1, audience: .internal, today: Self.today)
        let moved = try #require(later.events.first { $0.uid == restore.uid })
        #expect(moved.day == Day("2027-04-10"))
    }
}

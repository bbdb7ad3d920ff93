import Foundation
import Testing

@testable import BatonContent

/// Relationship health checks: reading them, the trend report, and the four rules.
@Suite struct HealthTests {
    static let today = Day("2026-11-20")!

    static func check(_ date: String, client: String, supplier: String, actions: String = "",
                      respondents: String = "{client: 10, supplier: [sam]}") -> String {
        """
        ---
        date: \(date)
        respondents: \(respondents)
        scores:
          client: {\(client)}
          supplier: {\(supplier)}
        ---
        ## Findings

        Notes.

        ## Actions

        \(actions)
        """
    }

    static let person = "---\nname: Sam Shaw\norganisation: supplier\n---\n"

    func findings(_ files: [String: String], config: String = TemporaryKnowledgeBase.standardConfig,
                  today: Day = HealthTests.today) throws -> [ContinuityReport.Finding] {
        let fixture = try TemporaryKnowledgeBase(config: config, files: files)
        let knowledgeBase = try fixture.load()
        return ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: today).report().findings
            .filter { $0.rule.hasPrefix("health") || $0.rule == "exit-trigger" }
    }

    /// Three checks: the client's trust falls at each, the sides differ by 1.5 on communication at the last,
    /// one action is overdue and one is done.
    static let threeChecks: [String: String] = [
        "content/people/sam.md": person,
        "content/healthchecks/2024.md": check("2024-06-01", client: "communication: 3, satisfaction: 3, trust: 4, alignment: 3",
                                              supplier: "communication: 4, satisfaction: 3, trust: 4, alignment: 3"),
        "content/healthchecks/2025.md": check("2025-06-01", client: "communication: 3, satisfaction: 3, trust: 3.5, alignment: 3",
                                              supplier: "communication: 4, satisfaction: 3, trust: 4, alignment: 3"),
        "content/healthchecks/2026.md": check("2026-06-01", client: "communication: 2.5, satisfaction: 3, trust: 3, alignment: 3",
                                              supplier: "communication: 4, satisfaction: 3.2, trust: 4, alignment: 3",
                                              actions: "- [ ] Meet monthly (owner: sam, due: 2026-09-01)\n- [x] Share the results (owner: sam, due: 2026-07-01)\n- [ ] Review in spring (owner: sam, due: 2027-03-01)"),
    ]

    @Test func theReportFollowsEachDimensionPerSide() throws {
        let fixture = try TemporaryKnowledgeBase(files: Self.threeChecks)
        let knowledgeBase = try fixture.load()
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .warning } == [], "\(knowledgeBase.diagnostics)")
        let report = HealthReport(knowledgeBase: knowledgeBase, today: Self.today)
        #expect(report.checks.map(\.id) == ["healthchecks/2024", "healthchecks/2025", "healthchecks/2026"])
        let trust = try #require(report.series("trust", "client"))
        #expect(trust.points.map(\.score) == [4, 3.5, 3])
        #expect(trust.change == -1 && trust.declining)
        #expect(report.series("trust", "supplier")?.declining == false)
        // Satisfaction rose then held: not declining; alignment never moved.
        #expect(report.series("satisfaction", "supplier")?.declining == false)
        let gap = try #require(report.latestGap("communication"))
        #expect(gap.gap == 1.5 && gap.check.id == "healthchecks/2026")
        #expect(report.actions.count == 3 && report.actions.filter(\.overdue).map(\.task.text).first?.hasPrefix("Meet monthly") == true)
        #expect(report.checks[2].healthCheck?.side("supplier")?.respondents.map(\.raw) == ["sam"])
        #expect(report.checks[2].healthCheck?.side("client")?.respondentCount == 10)
        #expect(HealthReport.due(after: Day("2026-06-01")!, months: 12) == Day("2027-06-01"))
        #expect(HealthReport.due(after: Day("2024-02-29")!, months: 12) == Day("2025-02-28"))
        #expect(HealthReport.due(after: Day("2026-11-30")!, months: 3) == Day("2027-02-28"))
    }

    @Test func theFourRulesFireOnTheirConditions() throws {
        let found = try findings(Self.threeChecks)
        let rules = found.map(\.rule).sorted()
        #expect(rules == ["health-action-overdue", "health-declining", "health-gap"], "\(found)")
        let declining = try #require(found.first { $0.rule == "health-declining" })
        #expect(declining.file == "content/healthchecks/2026.md" && declining.line == 5)
        #expect(declining.message.contains("Client Ltd: the trust score has fallen two checks running, 4.0 (2024-06-01) → 3.5 (2025-06-01) → 3.0 (2026-06-01)"))
        let gap = try #require(found.first { $0.rule == "health-gap" })
        #expect(gap.message.contains("communication differently: Client Ltd 2.5, Supplier plc 4.0 (a gap of 1.5)"))
        let action = try #require(found.first { $0.rule == "health-action-overdue" })
        #expect(action.line == 14 && action.message.contains("(2026-09-01): Meet monthly"))
        // A year and a day after the last check, one is overdue.
        let late = try findings(Self.threeChecks, today: Day("2027-06-02")!)
        let overdue = try #require(late.first { $0.rule == "healthcheck-overdue" })
        #expect(overdue.message.contains("the last relationship health check was on 2026-06-01; one was due by 2027-06-01"))
        #expect(try findings(Self.threeChecks, today: Day("2027-06-01")!).allSatisfy { $0.rule != "healthcheck-overdue" })
        // A wider allowed gap, a longer cadence.
        let config = TemporaryKnowledgeBase.standardConfig + "health: {gap: 1.6, cadence_months: 24}\n"
        let relaxed = try findings(Self.threeChecks, config: config, today: Day("2027-06-02")!)
        #expect(!relaxed.contains { $0.rule == "health-gap" || $0.rule == "healthcheck-overdue" })
        // A knowledge base that has never checked its health is not told it is overdue.
        #expect(try findings(["content/people/sam.md": Self.person]).isEmpty)
    }

    @Test func anExitTriggerWithAConditionFiresAsAnError() throws {
        func config(_ when: String) -> String {
            TemporaryKnowledgeBase.standardConfig + """
                exit_triggers:
                  - Either party gives notice.
                  - text: Trust below the bound two checks running.
                    when: \(when)

                """
        }
        // The client's trust was 3.5 then 3.0 at the last two checks.
        let fired = try findings(Self.threeChecks, config: config("{dimension: trust, below: 3.6, checks: 2}"))
            .filter { $0.rule == "exit-trigger" }
        #expect(fired.count == 1)
        let trigger = try #require(fired.first)
        #expect(trigger.severity == .error && trigger.file == "baton.yml" && trigger.line == 8)
        #expect(trigger.message.contains("\"Trust below the bound two checks running.\" has fired: Client Ltd scored trust below 3.6 at the last 2 checks (3.5 on 2025-06-01, 3.0 on 2026-06-01)"))
        // Only the latest check below the bound: not two running.
        #expect(try findings(Self.threeChecks, config: config("{dimension: trust, below: 3.2, checks: 2}")).allSatisfy { $0.rule != "exit-trigger" })
        #expect(try findings(Self.threeChecks, config: config("{dimension: trust, below: 3.2}")).contains { $0.rule == "exit-trigger" })
        // One side only; above a bound.
        #expect(try findings(Self.threeChecks, config: config("{dimension: trust, below: 3.6, checks: 2, side: supplier}")).allSatisfy { $0.rule != "exit-trigger" })
        let high = try findings(Self.threeChecks, config: config("{dimension: communication, above: 3.9, checks: 3}")).filter { $0.rule == "exit-trigger" }
        #expect(high.count == 1 && high[0].message.contains("Supplier plc scored communication above 3.9"))
        // A condition Baton cannot test is an error in baton.yml, with its line; the sentence is kept.
        let fixture = try TemporaryKnowledgeBase(config: config("{dimension: trust, below: 7}"), files: [:])
        let knowledgeBase = try fixture.load()
        #expect(knowledgeBase.diagnostics.contains { $0.file == "baton.yml" && $0.line == 9 && $0.message.contains("'below' must be a score from 1 to 5") })
        #expect(knowledgeBase.config.exitTriggers == ["Either party gives notice.", "Trust below the bound two checks running."])
        let none = try TemporaryKnowledgeBase(config: config("{dimension: trust}"), files: [:]).load()
        #expect(none.diagnostics.contains { $0.message.contains("needs below: or above:") })
    }

    @Test func badScoresAndNamesAreReportedWithTheirLines() throws {
        let fixture = try TemporaryKnowledgeBase(files: [
            "content/people/sam.md": Self.person,
            "content/healthchecks/bad.md": Self.check("2026-06-01", client: "communication: 6, trsut: 3",
                                                     supplier: "communication: high"),
            "content/healthchecks/one-side.md": """
                ---
                date: 2026-05-01
                scores:
                  vendor: {trust: 3}
                ---
                """,
        ])
        let diagnostics = try fixture.load().diagnostics
        func find(_ file: String, _ text: String) -> Diagnostic? {
            diagnostics.first { $0.file == "content/healthchecks/\(file).md" && $0.message.contains(text) }
        }
        #expect(find("bad", "the score of 'communication' for 'client' is '6'; a score is a number from 1 to 5")?.line == 5)
        #expect(find("bad", "the score of 'communication' for 'supplier' is 'high'")?.severity == .error)
        let typo = try #require(find("bad", "'trsut' is not a dimension"))
        #expect(typo.severity == .warning && typo.message.contains("did you mean 'trust'?") && typo.line == 5)
        #expect(find("one-side", "'vendor' is not an organisation in baton.yml")?.line == 4)
        #expect(find("one-side", "scores from 1 organisation(s)")?.severity == .warning)
        // Dimensions of the knowledge base's own.
        let own = try TemporaryKnowledgeBase(
            config: TemporaryKnowledgeBase.standardConfig + "health:\n  dimensions: [openness, delivery]\n  gap: 9\n",
            files: ["content/healthchecks/a.md": Self.check("2026-06-01", client: "openness: 3, delivery: 4", supplier: "openness: 4, delivery: 4")])
        let loaded = try own.load()
        #expect(loaded.config.health.dimensions == ["openness", "delivery"])
        #expect(loaded.diagnostics.contains { $0.file == "baton.yml" && $0.message.contains("'gap' must be a number above 0 and at most 4") })
        #expect(!loaded.diagnostics.contains { $0.message.contains("is not a dimension") })
    }
}

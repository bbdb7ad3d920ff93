import Foundation
import Testing

/// `baton health` on a copy of the example, whose three checks have Northmoor's trust falling, the sides far
/// apart on communication, and an action overdue.
@Suite struct HealthCLITests {
    @Test func theExamplesHealthAsJSONAndText() throws {
        let example = try TrustCLITests.Example()
        let result = try example.run(["health", "--json"], ["BATON_TODAY": "2026-11-20"])
        #expect(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let checks = try #require(json["checks"] as? [[String: Any]])
        #expect(checks.compactMap { $0["date"] as? String } == ["2024-06-12", "2025-06-18", "2026-06-17"])
        #expect(json["next_due"] as? String == "2027-06-17")
        let series = try #require(json["series"] as? [[String: Any]])
        let trust = try #require(series.first { $0["dimension"] as? String == "trust" && $0["organisation"] as? String == "northmoor" })
        #expect((trust["points"] as? [[String: Any]])?.compactMap { $0["score"] as? Double } == [3.6, 3.2, 2.8])
        #expect(trust["declining"] as? Bool == true)
        #expect(series.filter { $0["declining"] as? Bool == true }.count == 1, "one dimension falls, on one side")
        let gaps = try #require(json["gaps"] as? [[String: Any]])
        let communication = try #require(gaps.first { $0["dimension"] as? String == "communication" })
        #expect(abs((communication["gap"] as? Double ?? 0) - 1.6) < 1e-9)
        let actions = try #require(json["actions"] as? [[String: Any]])
        #expect(actions.filter { $0["overdue"] as? Bool == true }.count == 1)
        #expect(actions.filter { $0["done"] as? Bool == true }.count == 5)

        let text = try example.run(["health"], ["BATON_TODAY": "2026-11-20"]).output
        #expect(text.contains("Relationship health: 3 checks, 2024-06-12 to 2026-06-17  · next due 2027-06-17"))
        #expect(text.contains("Northmoor Water             3.6 → 3.2 → 2.8  (-0.8)  falling two checks running"))
        #expect(text.contains("Communication  gap 1.6 at the latest check"))
        #expect(text.contains("Actions open (2, 1 overdue)"))
        // The same findings in baton check.
        let check = try example.run(["check", "--json"], ["BATON_TODAY": "2026-11-20"])
        for rule in ["health-declining", "health-gap", "health-action-overdue"] {
            #expect(check.output.contains("\"rule\" : \"\(rule)\"") || check.output.contains("\"rule\": \"\(rule)\""), "\(rule)")
        }
    }

    /// The example's four KPIs: priority 1 restoration misses its target three quarters running; the restricted
    /// invoice disputes stay out of an internal calendar and plan.
    @Test func theExamplesKPIsAgainstTheirTargets() throws {
        let example = try TrustCLITests.Example()
        let environment = ["BATON_TODAY": "2026-11-20"]
        let json = try #require(try JSONSerialization.jsonObject(with: Data(example.run(["health", "--json"], environment).output.utf8)) as? [String: Any])
        let kpis = try #require(json["kpis"] as? [[String: Any]])
        #expect(kpis.compactMap { $0["id"] as? String } == ["p1-restore", "first-time-fix", "change-success", "invoice-disputes"])
        for kpi in kpis {
            #expect((kpi["measurements"] as? [[String: Any]])?.compactMap { $0["period"] as? String } == ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"])
            #expect(kpi["next_due"] as? String == "2027-01-10")
        }
        let restore = try #require(kpis.first)
        #expect(restore["misses_running"] as? Int == 3 && restore["improving"] as? Bool == true && restore["target"] as? Double == 95)
        #expect(kpis.filter { ($0["misses_running"] as? Int ?? 0) > 0 }.count == 1)
        let text = try example.run(["health"], environment).output
        #expect(text.contains("KPIs (4)") && text.contains("2025-Q4 96.4 % → 2026-Q1 93.8 % → 2026-Q2 91.7 % → 2026-Q3 92.9 %  (+1.2 points, better)"))
        #expect(text.contains("missed 3 periods running  · next: 2026-Q4 due 2027-01-10"))
        #expect(text.contains("2025-Q4 4 lines → 2026-Q1 7 lines"))
        let check = try example.run(["check", "--rule", "kpi-missed"], environment)
        #expect(check.output.contains("content/kpis/p1-restore.md:7  Priority 1 incidents restored within 4 hours has missed its target (≥ 95 %) 3 periods running"))
        // After the 10th of January, Q4's figures are overdue.
        let late = try example.run(["check", "--rule", "kpi-not-measured"], ["BATON_TODAY": "2027-01-11"])
        #expect(late.output.contains("4 warnings"), "\(late.output)")
        let calendar = try example.run(["calendar"], environment).output
        #expect(calendar.contains("SUMMARY:KPI measurement due: Priority 1 incidents restored within 4 hours") && !calendar.contains("Invoice lines"))
        #expect(try example.run(["calendar", "--audience", "restricted"], environment).output.contains("Invoice lines disputed"))
        let plan = try example.run(["plan"], environment).output
        #expect(plan.contains("| Priority 1 incidents restored within 4 hours | ≥ 95 %, quarterly | Service Delivery Manager | 92.9 % (2026-Q3) | **missed 3 periods running** |"))
        #expect(!plan.contains("Invoice lines") && plan.contains("below 85 % for two quarters running. _(checked by Baton: not met)_"))
        // baton new kpi writes the next period to fill in.
        let created = try example.run(["new", "kpi", "p1-restore", "--force"], environment)
        #expect(created.status == 0, "\(created.error)")
        let file = try String(contentsOfFile: example.root + "/content/kpis/p1-restore.md", encoding: .utf8)
        #expect(file.contains("title: Priority 1 incidents restored within 4 hours") && file.contains("  2026-Q3: 0") && file.contains("# Priority 1 incidents restored within 4 hours\n"))
    }

    @Test func aKnowledgeBaseWithoutHealthChecksSaysHowToStart() throws {
        let result = try Baton.run(["health", "--root", Baton.fixture("clean")], environment: ["BATON_TODAY": "2026-11-20"])
        #expect(result.status == 0)
        #expect(result.output.contains("No health check on record yet. Record the first with: baton new healthcheck 2026-relationship-check"))
    }

    @Test func theCalendarIsWrittenAtomicallyWithStableUIDs() throws {
        let example = try TrustCLITests.Example()
        let path = example.folder + "/partnership.ics"
        let result = try example.run(["calendar", "--output", path], ["BATON_TODAY": "2026-11-20"])
        #expect(result.status == 0, "\(result.error)")
        let first = try String(contentsOfFile: path, encoding: .utf8)
        #expect(first.hasPrefix("BEGIN:VCALENDAR\r\n") && first.hasSuffix("END:VCALENDAR\r\n"))
        #expect(first.contains("SUMMARY:Partnership board") && first.contains("RRULE:FREQ=MONTHLY;INTERVAL=3"))
        #expect(first.contains("SUMMARY:Relationship health check due"))
        // Nothing restricted in an internal calendar (the exit plan's review date is restricted).
        #expect(!first.contains("Exit plan"))
        let restricted = try example.run(["calendar", "--audience", "restricted"], ["BATON_TODAY": "2026-11-20"]).output
        #expect(restricted.contains("Exit plan"))
        // Written again the next day: the same UIDs.
        _ = try example.run(["calendar", "--output", path], ["BATON_TODAY": "2026-11-21"])
        let second = try String(contentsOfFile: path, encoding: .utf8)
        func uids(_ text: String) -> [String] { text.components(separatedBy: "\r\n").filter { $0.hasPrefix("UID:") } }
        #expect(uids(first) == uids(second) && !uids(first).isEmpty)
        #expect(first != second, "the stamp is the day it was written")
    }

    @Test func theEscalationLadderNamesPeopleAndIsOnTheSite() throws {
        let example = try TrustCLITests.Example()
        let result = try example.run(["escalation", "--json"], ["BATON_TODAY": "2026-11-20"])
        #expect(result.status == 0, "\(result.error)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let levels = try #require(json["levels"] as? [[String: Any]])
        #expect(levels.compactMap { $0["tier"] as? String } == ["functional", "operational", "executive"])
        let operational = try #require(levels[1]["roles"] as? [[String: Any]])
        let relationship = try #require(operational.first { $0["role"] as? String == "roles/northmoor-relationship-manager" })
        let people = try #require(relationship["people"] as? [[String: Any]])
        #expect(people.compactMap { $0["name"] as? String } == ["Gareth Lowe", "David Osei"])
        #expect(people[1]["note"] as? String == "deputy for Gareth Lowe, who leaves on 2026-12-18")
        let commercial = try example.run(["escalation", "--function", "commercial"], ["BATON_TODAY": "2026-11-20"]).output
        #expect(commercial.contains("no commercial role at this level: start at the next") && commercial.contains("Priya Raman"))
        #expect(!commercial.contains("Joanna Kerr"))
        let bad = try example.run(["escalation", "--function", "comercial"])
        #expect(bad.status == 2 && bad.error.contains("--function is 'comercial'; it is one of service-delivery"))
        // On the site, by name and linked.
        let site = example.folder + "/site"
        #expect(try example.run(["build", "--output", site], ["BATON_TODAY": "2026-11-20"]).status == 0)
        let page = try String(contentsOfFile: site + "/escalation.html", encoding: .utf8)
        #expect(page.contains("<h2 id=\"level-2\">2. Operational tier</h2>") && page.contains("Respond within 3 working days."))
        #expect(page.contains("<a href=\"people/david-osei.html\">David Osei</a> <span class=\"muted\">(deputy for Gareth Lowe, who leaves on 2026-12-18)</span>"))
        let home = try String(contentsOfFile: site + "/index.html", encoding: .utf8)
        #expect(home.contains("<a href=\"escalation.html\">the escalation ladder</a>"))
    }

    @Test func thePlanAsMarkdownHTMLAndASitePage() throws {
        let example = try TrustCLITests.Example()
        let markdown = try example.run(["plan"], ["BATON_TODAY": "2026-11-20"])
        #expect(markdown.status == 0 && markdown.output.hasPrefix("# Relationship management plan: Northmoor Water"))
        #expect(markdown.output.contains("### Escalation ladder") && markdown.output.contains("### Cadence") && markdown.output.contains("### Exit triggers"))
        #expect(markdown.output.contains("A relationship health check scoring trust below 2 out of 5 two years running. _(checked by Baton: not met)_"))
        #expect(!markdown.output.contains("| Exit plan |"), "restricted")
        let path = example.folder + "/plan.html"
        let html = try example.run(["plan", "--format", "html", "--output", path], ["BATON_TODAY": "2026-11-20"])
        #expect(html.status == 0 && html.error.contains("Wrote the plan to"))
        let page = try String(contentsOfFile: path, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<table>") && page.contains("@page"))
        let site = example.folder + "/site"
        #expect(try example.run(["build", "--output", site], ["BATON_TODAY": "2026-11-20"]).status == 0)
        let onSite = try String(contentsOfFile: site + "/plan.html", encoding: .utf8)
        #expect(onSite.contains("<h2 id=\"10-exit-arrangements\">10. Exit arrangements</h2>") && onSite.contains("class=\"toc\""))
        let publicPlan = try example.run(["plan", "--audience", "public"], ["BATON_TODAY": "2026-11-20"]).output
        #expect(!publicPlan.contains("checked by Baton"), "whether a trigger is met comes from checks a public reader does not see")
    }
}

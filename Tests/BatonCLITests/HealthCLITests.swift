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
}

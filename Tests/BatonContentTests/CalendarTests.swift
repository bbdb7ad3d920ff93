import Foundation
import Testing

@testable import BatonContent

/// The governance calendar: recurring meetings, all-day dates, what an audience may see, stable UIDs, and
/// RFC 5545's text rules (escaping, folding, CRLF).
@Suite struct CalendarTests {
    static let config = TemporaryKnowledgeBase.standardConfig + """
        governance:
          - tier: executive
            meetings:
              - {name: "Board; quarterly, formal", frequency: quarterly, starts: 2026-01-15, time: "10:00", minutes: 180}
          - tier: functional
            meetings:
              - {name: Stand-up, frequency: daily, starts: 2026-12-21, time: "09:15", minutes: 15}
              - {name: Incident review, frequency: fortnightly, starts: 2026-12-04}
              - {name: No date yet, frequency: weekly}
              - {name: Managers, frequency: monthly, starts: 2026-12-01, weekday: tue, time: "14:00"}
              - {name: Weekly sync, frequency: weekly, starts: 2026-12-02, weekday: Friday}
              - {name: Month end, frequency: quarterly, starts: 2026-12-29, weekday: tue}
        calendar:
          holidays: [2026-12-25, 2026-12-26]
        kpis:
          - {id: restore, name: Restored in time, unit: "%", target: 95, better: higher}

        """

    static let files: [String: String] = [
        "content/people/ana.md": "---\nname: Ana Silva\norganisation: client\nleaving_date: 2027-01-29\n---\n",
        "content/people/hidden.md": "---\nname: Secret Person\norganisation: client\nleaving_date: 2027-02-01\nconfidentiality: restricted\n---\n",
        "content/knowledge/communications/plan.md": "---\ntitle: Comms plan\nsection: communications\nreview_by: 2027-03-31\nconfidentiality: public\n---\n",
        "content/kpis/restore.md": "---\nmeasurements:\n  2026-Q2: 96\n  2026-Q3: 94\n---\n",
        "content/handovers/ana-to-ben.md": "---\nrole: r\nfrom: ana\nto: ana\nstatus: open\n---\n- [ ] Walk the runbooks (owner: ana, due: 2027-01-15)\n- [x] Agree the plan (owner: ana, due: 2026-12-01)\n",
    ]

    func calendar(_ audience: Confidentiality = .internal, files: [String: String] = CalendarTests.files) throws -> GovernanceCalendar {
        let fixture = try TemporaryKnowledgeBase(config: Self.config, files: files)
        return GovernanceCalendar(knowledgeBase: try fixture.load(), audience: audience, today: Day("2026-12-02")!)
    }

    /// The calendar's lines, unfolded.
    static func unfolded(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    @Test func meetingsRepeatAtTheirFrequency() throws {
        let calendar = try calendar()
        #expect(calendar.unplaced == ["No date yet"])
        let text = calendar.text()
        let lines = Self.unfolded(text)
        #expect(lines.first == "BEGIN:VCALENDAR" && lines.last == "END:VCALENDAR")
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 }, "folded at 75 octets")
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "every line ends in CRLF")
        let board = try #require(calendar.events.first { $0.summary.hasPrefix("Board") })
        #expect(board.rule == "FREQ=MONTHLY;INTERVAL=3" && board.time?.hour == 10 && board.minutes == 180)
        #expect(lines.contains("SUMMARY:Board\\; quarterly\\, formal"))
        #expect(lines.contains("DTSTART:20260115T100000") && lines.contains("DURATION:PT180M"))
        // A daily meeting on the working days, not on the holidays.
        let standUp = try #require(calendar.events.first { $0.summary == "Stand-up" })
        #expect(standUp.rule == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" && standUp.exceptions == [Day("2026-12-25")!])
        #expect(lines.contains("EXDATE:20261225T091500"))
        // No time: an all-day event every other week.
        #expect(lines.contains("DTSTART;VALUE=DATE:20261204") && lines.contains("RRULE:FREQ=WEEKLY;INTERVAL=2"))
    }

    @Test func aWeekdayPlacesAMeetingAndKeepsItsPlaceInTheMonth() throws {
        let events = try calendar().events
        func event(_ name: String) throws -> GovernanceCalendar.Event { try #require(events.first { $0.summary == name }) }
        // 1 December 2026 is a Tuesday: the first Tuesday of every month.
        #expect(try event("Managers").day == Day("2026-12-01") && event("Managers").rule == "FREQ=MONTHLY;BYDAY=1TU")
        // The first Friday on or after 2 December.
        #expect(try event("Weekly sync").day == Day("2026-12-04") && event("Weekly sync").rule == "FREQ=WEEKLY;BYDAY=FR")
        // The fifth Tuesday is the last one.
        #expect(try event("Month end").rule == "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TU")
        #expect(GovernanceCalendar.rule(for: .annually, starts: Day("2026-03-10")!, weekdays: [], weekday: 2) == "FREQ=YEARLY;BYMONTH=3;BYDAY=2TU")
        // A weekday on a daily meeting, or one that is not a day: errors with their lines.
        let config = TemporaryKnowledgeBase.standardConfig + """
            governance:
              - tier: functional
                meetings:
                  - {name: Stand-up, frequency: daily, starts: 2026-12-21, weekday: mon}
                  - {name: Call, frequency: weekly, starts: 2026-12-21, weekday: someday}

            """
        let found = try TemporaryKnowledgeBase(config: config, files: [:]).load().diagnostics
        #expect(found.contains { $0.line == 9 && $0.message.contains("a daily meeting has no weekday") })
        #expect(found.contains { $0.line == 10 && $0.message.contains("'weekday' is 'someday'; write mon, tue") })
    }

    @Test func datesOfWhatTheAudienceMaySee() throws {
        let inside = try calendar().events.map(\.summary)
        #expect(inside.contains("Last day: Ana Silva") && inside.contains("Review due: Comms plan"))
        #expect(inside.contains("Due: Walk the runbooks") && !inside.contains("Due: Agree the plan"), "done items are not due")
        #expect(!inside.contains { $0.contains("Secret Person") })
        #expect(try calendar(.restricted).events.contains { $0.summary == "Last day: Secret Person" })
        let publicOnes = try calendar(.public).events.map(\.summary)
        #expect(publicOnes.contains("Review due: Comms plan") && !publicOnes.contains("Last day: Ana Silva"))
    }

    @Test func uidsStayWhenOtherThingsChange() throws {
        let before = Dictionary(uniqueKeysWithValues: try calendar().events.map { ($0.summary, $0.uid) })
        var files = Self.files
        files["content/knowledge/communications/other.md"] = "---\ntitle: Other\nsection: communications\nreview_by: 2027-01-10\n---\n"
        files["content/handovers/ana-to-ben.md"] = files["content/handovers/ana-to-ben.md"]! + "- [ ] A new item (owner: ana, due: 2027-01-20)\n"
        let after = Dictionary(uniqueKeysWithValues: try calendar(files: files).events.map { ($0.summary, $0.uid) })
        for (summary, uid) in before { #expect(after[summary] == uid, "\(summary)") }
        #expect(Set(after.values).count == after.count, "every UID is unique")
    }

    @Test func aBadMeetingTimeOrLengthIsNamedWithItsLine() throws {
        let config = TemporaryKnowledgeBase.standardConfig + """
            governance:
              - tier: executive
                meetings:
                  - {name: Board, frequency: quarterly, starts: 2026-01-15, time: "25:00"}
                  - {name: Call, frequency: monthly, starts: 2026-01-32, minutes: 2}

            """
        let knowledgeBase = try TemporaryKnowledgeBase(config: config, files: [:]).load()
        let found = knowledgeBase.diagnostics.filter { $0.file == "baton.yml" }
        #expect(found.contains { $0.line == 9 && $0.severity == .error && $0.message.contains("'time' is '25:00'; write the time the meeting starts as HH:MM") })
        #expect(found.contains { $0.line == 10 && $0.message.contains("'starts'") })
        // A length out of range cannot be used at all: the file is unreadable (baton check exits 2).
        #expect(found.contains { $0.line == 10 && $0.severity == .unreadable && $0.message.contains("'minutes' is '2'; it must be a whole number from 5 to 1440") })
        // Neither meeting is placed on a day it does not have.
        let calendar = GovernanceCalendar(knowledgeBase: knowledgeBase, audience: .internal, today: Day("2026-12-02")!)
        #expect(calendar.unplaced == ["Call"] && calendar.events.first { $0.summary == "Board" }?.time == nil)
    }

    @Test func foldingNeverSplitsACharacter() {
        let line = "SUMMARY:" + String(repeating: "Überprüfung — ", count: 12)
        let folded = GovernanceCalendar.fold(line)
        #expect(folded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 75 })
        #expect(folded.replacingOccurrences(of: "\r\n ", with: "") == line)
        #expect(GovernanceCalendar.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne")
    }

    /// A real parser, when the machine has it (`pip install icalendar recurring-ical-events`): the occurrences it
    /// expands are the ones meant.
    @Test(.enabled(if: CalendarTests.pythonHasICalendar)) func aRealParserExpandsTheOccurrences() throws {
        let path = NSTemporaryDirectory() + "baton-calendar-\(UUID().uuidString).ics"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try calendar().text().write(toFile: path, atomically: true, encoding: .utf8)
        let script = """
            import icalendar, recurring_ical_events, datetime, sys
            cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
            for e in recurring_ical_events.of(cal).between(datetime.date(2026, 12, 21), datetime.date(2027, 1, 16)):
                print(e['DTSTART'].dt.isoformat(), e['SUMMARY'])
            """
        let output = try Self.python(["-c", script, path])
        let standUps = output.split(separator: "\n").filter { $0.hasSuffix("Stand-up") }.map { String($0.prefix(10)) }
        // Working days from 21 December to 15 January, less Christmas Day (the 26th is a Saturday).
        #expect(standUps.count == 19 && !standUps.contains("2026-12-25") && !standUps.contains("2026-12-26"), "\(standUps)")
        #expect(output.contains("2027-01-15T10:00:00 Board; quarterly, formal"))
        #expect(output.contains("2026-12-04") == false && output.contains("2026-12-18 Incident review") == false)
        #expect(output.contains("2027-01-01 Incident review") && output.contains("2027-01-15 Due: Walk the runbooks"))
        // The first Tuesday of January, and each Friday; the KPI's quarter-end measurement on the 10th.
        #expect(output.contains("2027-01-05T14:00:00 Managers") && !output.contains("2027-01-12T14:00:00 Managers"))
        let syncs = output.split(separator: "\n").filter { $0.hasSuffix("Weekly sync") }.map { String($0.prefix(10)) }
        #expect(syncs == ["2026-12-25", "2027-01-01", "2027-01-08", "2027-01-15"], "\(syncs)")
        #expect(output.contains("2027-01-10 KPI measurement due: Restored in time"))
    }

    static let pythonHasICalendar: Bool = (try? python(["-c", "import icalendar, recurring_ical_events"])) != nil

    @discardableResult
    static func python(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        return String(decoding: data, as: UTF8.self)
    }
}

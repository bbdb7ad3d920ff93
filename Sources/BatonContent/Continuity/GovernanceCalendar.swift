import BatonSearch

/// The partnership's calendar as iCalendar (RFC 5545), for one audience: each governance meeting with a
/// `starts:` date as an event repeating at its frequency, and as all-day events the review-by dates, the last
/// days of people leaving, the due dates of open handover and onboarding items, health-check actions, the
/// next health check, and each KPI's measurements, repeating every period. Every event's UID is made of what it is about, not of when it was written, so a calendar
/// subscribed to the file updates in place instead of collecting copies.
public struct GovernanceCalendar {
    public struct Event: Sendable, Equatable {
        public var uid: String
        public var summary: String
        public var description: String?
        public var day: Day
        /// A start time (local, floating) and length; an all-day event when nil.
        public var time: (hour: Int, minute: Int)?
        public var minutes: Int
        /// An RRULE value, for a repeating meeting.
        public var rule: String?
        /// Days a repeating meeting does not happen (the partnership's holidays, for a daily meeting).
        public var exceptions: [Day] = []

        public static func == (a: Event, b: Event) -> Bool {
            a.uid == b.uid && a.summary == b.summary && a.description == b.description && a.day == b.day
                && a.time?.hour == b.time?.hour && a.time?.minute == b.time?.minute && a.minutes == b.minutes && a.rule == b.rule
                && a.exceptions == b.exceptions
        }
    }

    public var events: [Event]
    /// Meetings left out because they have no `starts:` date, by name.
    public var unplaced: [String]
    let name: String
    let stamp: Day

    public init(knowledgeBase: KnowledgeBase, audience: Confidentiality, today: Day) {
        let config = knowledgeBase.config
        name = config.title
        stamp = today
        var events: [Event] = []
        var unplaced: [String] = []
        let domain = "baton"
        func uid(_ parts: String...) -> String {
            var hash = StableHash()
            for part in parts { hash.add(part + "\u{1}") }
            return parts[0] + "-" + String(hash.value, radix: 16) + "@" + domain
        }
        for tier in config.governance {
            for meeting in tier.meetings {
                guard var starts = meeting.starts else {
                    unplaced.append(meeting.name)
                    continue
                }
                if let weekday = meeting.weekday {
                    while starts.weekday != weekday { starts = starts.adding(days: 1) }
                }
                var event = Event(
                    uid: uid("meeting", tier.tier.rawValue, meeting.name), summary: meeting.name,
                    description: [tier.tier.rawValue.capitalized + " tier", meeting.format].compactMap { $0 }.joined(separator: " · "),
                    day: starts, time: meeting.time, minutes: meeting.minutes,
                    rule: meeting.frequency.map { Self.rule(for: $0, starts: starts, weekdays: config.calendar.weekdays,
                                                            weekday: meeting.weekday) })
                if meeting.frequency == .daily {
                    event.exceptions = config.calendar.holidays.filter { $0 >= starts && config.calendar.weekdays.contains($0.weekday) }.sorted()
                }
                events.append(event)
            }
        }
        let visible = knowledgeBase.entities.filter { $0.confidentiality <= audience }
        for entity in visible {
            if let due = entity.reviewBy {
                events.append(Event(uid: uid("review", entity.id), summary: "Review due: \(entity.title)",
                                    description: entity.path, day: due, time: nil, minutes: 0, rule: nil))
            }
            if let person = entity.person, person.status != .left, let last = person.leavingDate {
                events.append(Event(uid: uid("leaving", entity.id), summary: "Last day: \(entity.title)",
                                    description: nil, day: last, time: nil, minutes: 0, rule: nil))
            }
            let open = entity.handover?.status == .open || entity.onboarding?.status == .open || entity.kind == .healthcheck
            if open {
                for task in Handovers.tasks(of: entity) where !task.done {
                    guard let due = task.due else { continue }
                    let text = task.text.range(of: "(owner:", options: .backwards).map { String(task.text[..<$0.lowerBound]).trimmingSpaces } ?? task.text
                    events.append(Event(uid: uid("task", entity.id, text), summary: "Due: \(text)",
                                        description: entity.title + (task.owner.map { " · owner \($0)" } ?? ""), day: due,
                                        time: nil, minutes: 0, rule: nil))
                }
            }
        }
        let checks = visible.filter { $0.healthCheck?.date != nil }.map { $0.healthCheck!.date! }
        if let last = checks.max() {
            events.append(Event(uid: uid("healthcheck-due"), summary: "Relationship health check due",
                                description: "every \(config.health.cadenceMonths) months; the last was on \(last)",
                                day: HealthReport.due(after: last, months: config.health.cadenceMonths), time: nil, minutes: 0, rule: nil))
        }
        // Each KPI's measurements, due on the same day of the month after every period.
        for indicator in KPIReport(knowledgeBase: knowledgeBase, today: today, audience: audience).indicators {
            let definition = indicator.definition
            let file = knowledgeBase.entity(id: EntityKind.kpi.directory + "/" + definition.id)
            // A KPI whose file this audience may not see is left out; one with no file yet is baton.yml's, internal.
            guard indicator.entity != nil || (file == nil && audience >= .internal) else { continue }
            let frequency: Frequency = definition.period == .monthly ? .monthly : definition.period == .quarterly ? .quarterly : .annually
            events.append(Event(
                uid: uid("kpi", definition.id), summary: "KPI measurement due: \(definition.name)",
                description: "the next is for \(indicator.nextPeriod), then every \(definition.period == .monthly ? "month" : definition.period == .quarterly ? "quarter" : "year"); "
                    + "target \(indicator.targetText); recorded in content/kpis/\(definition.id).md",
                day: indicator.nextDue, time: nil, minutes: 0,
                rule: Self.rule(for: frequency, starts: indicator.nextDue, weekdays: config.calendar.weekdays, weekday: nil)))
        }
        self.events = events.sorted { ($0.day, $0.uid) < ($1.day, $1.uid) }
        self.unplaced = unplaced
    }

    /// The RRULE for a meeting's frequency. A daily meeting falls on the working days only (ISO weekdays,
    /// Monday 1). With a `weekday`, a weekly meeting names it and a monthly, quarterly or yearly one keeps its
    /// place in the month of `starts` (2TU, the second Tuesday; -1FR, the last Friday when it is the fifth).
    static func rule(for frequency: Frequency, starts: Day, weekdays: Set<Int>, weekday: Int?) -> String {
        let names = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
        let place = weekday.map { day -> String in
            let ordinal = (starts.day - 1) / 7 + 1
            return (ordinal == 5 ? "-1" : "\(ordinal)") + names[day - 1]
        }
        switch frequency {
        case .daily:
            let days = (1...7).filter { weekdays.contains($0) }.map { names[$0 - 1] }
            return days.count == 7 || days.isEmpty ? "FREQ=DAILY" : "FREQ=WEEKLY;BYDAY=" + days.joined(separator: ",")
        case .weekly: return "FREQ=WEEKLY" + (weekday.map { ";BYDAY=" + names[$0 - 1] } ?? "")
        case .fortnightly: return "FREQ=WEEKLY;INTERVAL=2" + (weekday.map { ";BYDAY=" + names[$0 - 1] } ?? "")
        case .monthly: return "FREQ=MONTHLY" + (place.map { ";BYDAY=" + $0 } ?? "")
        case .quarterly: return "FREQ=MONTHLY;INTERVAL=3" + (place.map { ";BYDAY=" + $0 } ?? "")
        case .annually: return "FREQ=YEARLY" + (place.map { ";BYMONTH=\(starts.month);BYDAY=" + $0 } ?? "")
        }
    }

    /// The calendar's text: CRLF line ends, lines folded at 75 octets, text escaped.
    public func text() -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Baton//Governance calendar//EN", "CALSCALE:GREGORIAN",
                     "X-WR-CALNAME:" + Self.escape(name)]
        let stampText = Self.date(stamp) + "T000000Z"
        for event in events {
            lines.append("BEGIN:VEVENT")
            lines.append("UID:" + event.uid)
            lines.append("DTSTAMP:" + stampText)
            if let time = event.time {
                let start = Self.date(event.day) + "T" + Self.two(time.hour) + Self.two(time.minute) + "00"
                lines.append("DTSTART:" + start)
                lines.append("DURATION:PT\(event.minutes)M")
            } else {
                lines.append("DTSTART;VALUE=DATE:" + Self.date(event.day))
                lines.append("DTEND;VALUE=DATE:" + Self.date(event.day.adding(days: 1)))
            }
            if let rule = event.rule { lines.append("RRULE:" + rule) }
            if !event.exceptions.isEmpty {
                let suffix = event.time.map { "T" + Self.two($0.hour) + Self.two($0.minute) + "00" } ?? ""
                let kind = event.time == nil ? ";VALUE=DATE" : ""
                lines.append("EXDATE\(kind):" + event.exceptions.map { Self.date($0) + suffix }.joined(separator: ","))
            }
            lines.append("SUMMARY:" + Self.escape(event.summary))
            if let description = event.description, !description.isEmpty { lines.append("DESCRIPTION:" + Self.escape(description)) }
            lines.append("TRANSP:TRANSPARENT")
            lines.append("END:VEVENT")
        }
        lines.append("END:VCALENDAR")
        return lines.map(Self.fold).joined(separator: "\r\n") + "\r\n"
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    static func date(_ day: Day) -> String { String(day.description.filter { $0 != "-" }) }

    /// TEXT escaping: backslash, semicolon, comma, newline.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            case "\r": continue
            default: out.append(character)
            }
        }
        return out
    }

    /// Folds a line into pieces of at most 75 octets, each continuation starting with a space, never inside a
    /// character.
    static func fold(_ line: String) -> String {
        guard line.utf8.count > 75 else { return line }
        var pieces: [String] = []
        var current = ""
        var size = 0
        for character in line {
            let length = String(character).utf8.count
            let limit = pieces.isEmpty ? 75 : 74
            if size + length > limit {
                pieces.append(current)
                current = ""
                size = 0
            }
            current.append(character)
            size += length
        }
        pieces.append(current)
        return pieces.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }.joined(separator: "\r\n")
    }
}

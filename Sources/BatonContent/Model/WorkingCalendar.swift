/// Which days are working days: weekdays (Monday to Friday unless `calendar: working_days:` says otherwise) that
/// are not holidays, for the whole partnership and, where the sides differ, per organisation. Onboarding counts
/// working days with it, and handover items never fall due on a day off.
public struct WorkingCalendar: Sendable, Equatable {
    /// ISO weekdays (Monday 1 … Sunday 7).
    public var weekdays: Set<Int> = [1, 2, 3, 4, 5]
    public var holidays: Set<Day> = []
    /// An organisation's own weekdays and extra holidays, by organisation id.
    public var organisationWeekdays: [String: Set<Int>] = [:]
    public var organisationHolidays: [String: Set<Day>] = [:]

    public init() {}

    static let dayNames = ["mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]

    /// Whether `day` is a working day for `organisation` (the partnership's calendar when nil or unknown).
    public func isWorkingDay(_ day: Day, organisation: String? = nil) -> Bool {
        let days = organisation.flatMap { organisationWeekdays[$0] } ?? weekdays
        guard days.contains(day.weekday), !holidays.contains(day) else { return false }
        return !(organisation.flatMap { organisationHolidays[$0]?.contains(day) } ?? false)
    }

    /// The `number`th working day counted from `start` (day 1 is `start`, or the next working day when `start`
    /// is not one).
    public func workingDay(_ number: Int, from start: Day, organisation: String? = nil) -> Day {
        var day = start
        var guardDays = 0
        while !isWorkingDay(day, organisation: organisation) && guardDays < 3660 {
            day = day.adding(days: 1)
            guardDays += 1
        }
        var remaining = max(number, 1) - 1
        while remaining > 0 && guardDays < 36600 {
            day = day.adding(days: 1)
            guardDays += 1
            if isWorkingDay(day, organisation: organisation) { remaining -= 1 }
        }
        return day
    }

    /// `day` if it is a working day, else the nearest one before it (`later` false) or after it.
    public func working(_ day: Day, later: Bool, organisation: String? = nil) -> Day {
        var current = day
        for _ in 0..<3660 where !isWorkingDay(current, organisation: organisation) {
            current = current.adding(days: later ? 1 : -1)
        }
        return current
    }

    /// Reads `calendar:` from baton.yml: `working_days: [mon, …]`, `holidays: [YYYY-MM-DD, …]`, and under
    /// `organisations:` each organisation's own `working_days` and `holidays`.
    static func read(_ reader: inout FieldReader) -> WorkingCalendar {
        var calendar = WorkingCalendar()
        guard var node = reader.mapping("calendar") else { return calendar }
        func weekdays(_ reader: inout FieldReader) -> Set<Int>? {
            let names = reader.strings("working_days")
            guard !names.isEmpty else { return nil }
            var days: Set<Int> = []
            for name in names {
                if let day = dayNames[String(name.lowercased().prefix(3))] {
                    days.insert(day)
                } else {
                    reader.sink.error("field.value", line: reader.node["working_days"]?.line ?? reader.line,
                        "'\(name)' is not a day of the week; write mon, tue, wed, thu, fri, sat or sun")
                }
            }
            return days
        }
        func holidays(_ reader: inout FieldReader) -> Set<Day> {
            var result: Set<Day> = []
            for text in reader.strings("holidays") {
                if let day = Day(text.trimmingSpaces) {
                    result.insert(day)
                } else {
                    reader.sink.error("field.date", line: reader.node["holidays"]?.line ?? reader.line,
                        "holiday '\(text)' is not a valid date; write it as YYYY-MM-DD")
                }
            }
            return result
        }
        if let days = weekdays(&node) { calendar.weekdays = days }
        calendar.holidays = holidays(&node)
        for pair in node.node["organisations"]?.pairs ?? [] {
            guard pair.value.pairs != nil else { continue }
            var organisation = FieldReader(pair.value, sink: DiagnosticSink(file: node.sink.file), line: pair.line)
            if let days = weekdays(&organisation) { calendar.organisationWeekdays[pair.key] = days }
            calendar.organisationHolidays[pair.key] = holidays(&organisation)
            node.absorb(organisation)
        }
        reader.absorb(node)
        return calendar
    }
}

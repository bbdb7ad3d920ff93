import Foundation
import Testing

@testable import BatonContent

@Suite struct DayTests {
    @Test(arguments: ["2026-02-29", "2025-13-01", "2025-00-10", "2025-04-31", "25-01-01", "2025-1-01", "2025-01-01x",
                      "yesterday", ""])
    func rejectsInvalidDates(_ text: String) {
        #expect(Day(text) == nil)
    }

    @Test func acceptsLeapDays() {
        #expect(Day("2024-02-29") != nil)
        #expect(Day("2000-02-29") != nil)
        #expect(Day("1900-02-29") == nil)
    }

    /// The ordinal and weekday agree with Foundation's Gregorian calendar on many random dates.
    @Test func ordinalAndWeekdayMatchFoundation() throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let ordinal = Int.random(in: -50_000...80_000, using: &generator)
            let day = Day(ordinal: ordinal)
            let date = Date(timeIntervalSince1970: Double(ordinal) * 86400)
            let parts = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
            #expect([day.year, day.month, day.day] == [parts.year, parts.month, parts.day])
            // Foundation: Sunday is 1; ISO: Monday is 1.
            #expect(day.weekday == ((parts.weekday! + 5) % 7) + 1)
            #expect(Day(day.description)?.ordinal == ordinal)
        }
    }

    @Test func arithmetic() throws {
        let start = try #require(Day("2026-12-30"))
        #expect(start.adding(days: 3).description == "2027-01-02")
        #expect(start.days(until: try #require(Day("2027-03-01"))) == 61)
    }
}

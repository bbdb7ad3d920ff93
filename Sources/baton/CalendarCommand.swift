import ArgumentParser
import BatonContent
import Foundation

struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calendar",
        abstract: "Write the partnership's calendar as iCalendar (.ics).",
        discussion: """
            Each governance meeting in baton.yml that has a starts: date (and optionally time: HH:MM and \
            minutes:) becomes an event repeating at its frequency (daily meetings on the working days only); \
            review-by dates, the last days of people leaving, the due dates of open handover and onboarding \
            items and of health-check actions, and the next health check become all-day events. Only what the \
            audience may see is in it. UIDs are stable, so a calendar subscribed to the file (the site publishes \
            it as calendar.ics) updates instead of duplicating.

            Examples:
              baton calendar > partnership.ics
              baton calendar --audience public --output public.ics
            """)

    @Option(help: "Only what this audience may see: public, internal or restricted.")
    var audience: Confidentiality = .internal

    @Option(help: "Write to this file (atomically) instead of standard output.", completion: .file())
    var output: String?

    @OptionGroup var options: RootOptions

    func run() throws {
        let knowledgeBase = try options.loadForReading()
        let today = Day.today(environment: ProcessInfo.processInfo.environment)
        let calendar = GovernanceCalendar(knowledgeBase: knowledgeBase, audience: audience, today: today)
        for name in calendar.unplaced {
            Terminal.warning("the meeting '\(name)' has no starts: date in baton.yml, so it is not in the calendar")
        }
        let text = calendar.text()
        guard try writeDocument(text, to: output), let output else { return }
        Terminal.standardError("Wrote \(calendar.events.count) events to \(output).")
    }
}

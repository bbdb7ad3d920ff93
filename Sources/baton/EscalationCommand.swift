import ArgumentParser
import BatonContent
import BatonJSON
import Foundation

struct EscalationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalation",
        abstract: "Who to take an issue to at each level of the escalation ladder, by name, on both sides.",
        discussion: """
            Reads escalation: in baton.yml (the levels in order, lowest first: tier, respond_within, and roles \
            unless all of the tier's roles take issues) and names today's holders of each level's roles on both \
            sides, with the deputy of a holder who has left or leaves within the continuity window. --function \
            keeps one discipline's roles (and the sponsors, who answer for all). 'baton check' reports a level \
            whose role nobody holds (escalation-no-holder).

            Examples:
              baton escalation
              baton escalation --function commercial
              baton escalation --json
            """)

    @Option(help: "Only one discipline: service-delivery, transformation, relationship or commercial.")
    var function: String?

    @Flag(help: "Print JSON: the levels with their roles and people.")
    var json = false

    @OptionGroup var options: RootOptions

    func run() throws {
        var discipline: RoleFunction?
        if let function {
            guard let value = RoleFunction(rawValue: function.lowercased()) else {
                throw CLIFailure(message: "--function is '\(function)'; it is one of " + RoleFunction.allCases.map(\.rawValue).joined(separator: ", "), code: 2)
            }
            discipline = value
        }
        let knowledgeBase = try options.loadForReading()
        let config = knowledgeBase.config
        guard !config.escalation.isEmpty else {
            print("No escalation ladder in baton.yml yet. Add one, lowest level first:\n"
                + "escalation:\n  - {tier: operational, respond_within: 3 working days}\n  - {tier: executive, respond_within: 10 working days}")
            return
        }
        let today = Day.today(environment: ProcessInfo.processInfo.environment)
        let ladder = EscalationLadder(knowledgeBase: knowledgeBase, today: today, function: discipline)
        func side(_ id: String) -> String { config.organisation(id)?.name ?? id }
        if json {
            let levels: [JSONValue] = ladder.levels.map { level in
                let seats: [JSONValue] = level.seats.map { seat in
                    let contacts: [JSONValue] = seat.contacts.map { contact in
                        JSONValue.object([("person", .string(contact.person)), ("name", .string(contact.name)),
                                          ("note", .optional(contact.note.isEmpty ? nil : contact.note))])
                    }
                    return JSONValue.object([("role", .string(seat.role)), ("title", .string(seat.title)),
                                             ("organisation", .string(seat.organisation)), ("people", .array(contacts))])
                }
                return JSONValue.object([("level", .int(level.number)), ("tier", .string(level.tier.rawValue)),
                                         ("respond_within", .optional(level.respondWithin)), ("roles", .array(seats))])
            }
            printJSONDocument(.object([("function", .optional(discipline?.rawValue)), ("levels", .array(levels))]))
            return
        }
        print(Terminal.styled("Escalation ladder" + (discipline.map { " (\($0.rawValue))" } ?? ""), .bold)
            + Terminal.styled("  · settle an issue at the lowest level that can, then raise it one level at a time", .dim))
        let titleWidth = (ladder.levels.flatMap { $0.seats.map(\.title.count) }.max() ?? 20) + 2
        let sideWidth = (ladder.levels.flatMap { $0.seats.map { side($0.organisation).count } }.max() ?? 20) + 2
        for level in ladder.levels {
            print(Terminal.styled("\(level.number). \(level.tier.rawValue.capitalized) tier", .bold)
                + (level.respondWithin.map { Terminal.styled("  · respond within \($0)", .dim) } ?? ""))
            if level.seats.isEmpty {
                let what = discipline.map { "no \($0.rawValue) role at this level: start at the next" } ?? "no role at this level"
                print("   " + Terminal.styled(what, .yellow))
            }
            for seat in level.seats {
                let people = seat.contacts.isEmpty
                    ? Terminal.styled("nobody holds it", .red)
                    : seat.contacts.map { $0.name + ($0.note.isEmpty ? "" : Terminal.styled(" (\($0.note))", .dim)) }.joined(separator: ", ")
                print("   " + Terminal.pad(side(seat.organisation), sideWidth) + Terminal.pad(seat.title, titleWidth) + people)
            }
        }
    }
}

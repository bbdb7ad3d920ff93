import BatonJSON
import ArgumentParser
import BatonContent
import BatonSearch
import Foundation

struct OnboardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "onboard",
        abstract: "Plan and track someone's onboarding into a role.",
        discussion: """
            'baton onboard ROLE' (or 'baton onboard plan ROLE') prints a dated plan; 'baton onboard start' \
            writes it down as a record, content/onboardings/<id>.md, that the newcomer and their buddy tick \
            off like a handover. Shell completion of the plan's role and person works after 'plan'.

            Examples:
              baton onboard northmoor-relationship-manager --person nadia-farouk \\
                --start 2026-12-01
              baton onboard start castellan-service-desk-lead --person kwame-asante \\
                --start 2027-01-04 --buddy chloe-dubois
              baton onboard status
              baton onboard tick kwame-asante-castellan-service-desk-lead 1 2 "escalation"
              baton onboard complete kwame-asante-castellan-service-desk-lead
            """,
        subcommands: [Plan.self, Start.self, Status.self, TickCommand<OnboardingRecords>.self,
                      UntickCommand<OnboardingRecords>.self, Complete.self, ReopenCommand<OnboardingRecords>.self],
        defaultSubcommand: Plan.self)

    static func onboarding(_ id: String, _ knowledgeBase: KnowledgeBase) throws -> Entity {
        try knowledgeBase.lookup(id, [.onboarding], list: "baton onboard status")
    }
}

enum OnboardFormat: String, ExpressibleByArgument, CaseIterable {
    case text, markdown, json
}

extension OnboardCommand {
    struct Plan: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a dated onboarding plan for someone starting in a role.",
            discussion: """
                Every step of the role's onboarding path gets a date, counted in working days (Monday to Friday, \
                less the holidays of baton.yml's calendar) from the start date; the people to meet are resolved to \
                names and organisations (the role's holders, their deputies, the counterpart role's holders, the \
                role it reports to), the reading to titles (leaving out what the audience may not see), with the \
                partnership's vision and principles, the meetings of the role's tier and any open handover into \
                the role for the person. Nothing is written: 'baton onboard start' keeps the plan as a record.

                Examples:
                  baton onboard northmoor-relationship-manager --person nadia-farouk \\
                    --start 2026-12-01
                  baton onboard castellan-service-desk-lead --format markdown > welcome.md
                  baton onboard northmoor-commercial-manager --format json
                """)

        typealias Format = OnboardFormat

        @Argument(help: "The role's id.", completion: Completions.ids(.role))
        var role: String

        @Option(help: "The person starting (their id), to leave them out of whom to meet and find their handover.",
                completion: Completions.ids(.person))
        var person: String?

        @Option(help: "The first day (YYYY-MM-DD); default today.")
        var start: String?

        @Option(help: "Only reading this audience may see: public, internal (default) or restricted.")
        var audience: Confidentiality = .internal

        @Option(help: "text, markdown (to send as it is) or json.")
        var format: Format = .text

        @Flag(help: "Print JSON (the same as --format json).")
        var json = false

        @OptionGroup var options: RootOptions

        func validate() throws {
            if let start, Day(start) == nil { throw ValidationError("--start must be a date, YYYY-MM-DD") }
            if json && format != .text && format != .json { throw ValidationError("--json and --format \(format.rawValue) ask for two formats") }
        }

        func run() throws {
            let knowledgeBase = try options.loadForReading()
            // A person given where the role goes: say what to type instead, with the roles they hold.
            if case .found(let someone) = knowledgeBase.resolve(role, kinds: [.person]),
                case .missing = knowledgeBase.resolve(role, kinds: [.role])
            {
                let held = (someone.person?.roles ?? []).compactMap { reference -> String? in
                    guard case .found(let held) = knowledgeBase.resolve(reference) else { return nil }
                    return held.shortID
                }
                throw CLIFailure(message: "baton onboard takes a role, and \(someone.title) is a person; "
                    + (held.isEmpty ? "they hold no role yet" : "they hold \(held.joined(separator: ", ")): try "
                        + "'baton onboard \(held[0]) --person \(someone.shortID)'"))
            }
            let roleEntity = try knowledgeBase.lookup(role, [.role], list: "baton list --type roles")
            let personEntity = try person.map { try knowledgeBase.lookup($0, [.person], list: "baton list --type people") }
            let day = start.flatMap(Day.init) ?? Day.today(environment: ProcessInfo.processInfo.environment)
            guard let plan = OnboardingPlan.make(role: roleEntity, person: personEntity, start: day, audience: audience,
                                                 in: knowledgeBase)
            else { throw CLIFailure(message: "\(roleEntity.id) is not a role") }
            switch json ? .json : format {
            case .json: printJSONDocument(json(plan))
            case .markdown: print(markdown(plan))
            case .text: print(text(plan))
            }
        }

        private func who(_ contact: OnboardingPlan.Contact) -> String {
            "\(contact.name) (\(contact.organisation))"
        }

        private func text(_ plan: OnboardingPlan) -> String {
            var lines: [String] = []
            let forWhom = plan.person.map { " for \($0.name)" } ?? ""
            lines.append(Terminal.styled("Onboarding: \(plan.roleTitle), \(plan.organisation)\(forWhom)", .bold))
            lines.append(Terminal.styled("Starts \(plan.start) · \(plan.role)", .dim))
            if let handover = plan.handover {
                lines.append("Handover in progress: \(handover.title) (\(handover.done) of \(handover.total) done) · \(handover.id)")
            }
            if let vision = plan.vision {
                lines.append("")
                lines.append(Terminal.styled("Why we partner: ", .bold) + vision)
            }
            if !plan.principles.isEmpty {
                lines.append(Terminal.styled("How we work together:", .bold))
                for principle in plan.principles { lines.append("  - " + principle) }
            }
            lines.append("")
            for step in plan.steps {
                lines.append(Terminal.styled("\(step.date) ", .bold) + Terminal.styled("(\(step.when))", .dim) + "  " + step.action)
                if !step.read.isEmpty { lines.append("    read: " + step.read.map(\.title).joined(separator: "; ")) }
                if !step.meet.isEmpty { lines.append("    meet: " + step.meet.map(who).joined(separator: "; ")) }
            }
            if plan.withheldReading > 0 {
                lines.append(Terminal.styled("(\(plan.withheldReading) reading item(s) left out for this audience)", .dim))
            }
            if !plan.contacts.isEmpty {
                lines.append("")
                lines.append(Terminal.styled("People to meet", .bold))
                for contact in plan.contacts { lines.append("  \(who(contact)) — \(contact.relation)") }
            }
            if !plan.meetings.isEmpty {
                lines.append("")
                lines.append(Terminal.styled("Meetings of the tier", .bold))
                for meeting in plan.meetings {
                    lines.append("  \(meeting.name)" + [meeting.frequency, meeting.format].compactMap { $0 }.map { ", \($0)" }.joined())
                }
            }
            return lines.joined(separator: "\n")
        }

        private func markdown(_ plan: OnboardingPlan) -> String {
            var lines: [String] = []
            let forWhom = plan.person.map { " — welcome, \($0.name)" } ?? ""
            lines.append("# Onboarding: \(plan.roleTitle), \(plan.organisation)\(forWhom)")
            lines.append("")
            lines.append("Your first day is **\(plan.start)**. Here is your plan, step by step.")
            if let handover = plan.handover {
                lines.append("")
                lines.append("You are taking over through the handover *\(handover.title)*: \(handover.done) of "
                    + "\(handover.total) items are done.")
            }
            if let vision = plan.vision {
                lines += ["", "## Why we partner", "", vision]
            }
            if !plan.principles.isEmpty {
                lines += ["", "## How we work together", ""] + plan.principles.map { "- " + $0 }
            }
            lines.append("")
            lines.append("## Plan")
            lines.append("")
            lines.append("| Date | When | What | Read | Meet |")
            lines.append("|---|---|---|---|---|")
            func cell(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
            for step in plan.steps {
                lines.append("| \(step.date) | \(step.when) | \(cell(step.action)) | "
                    + cell(step.read.map(\.title).joined(separator: "; ")) + " | "
                    + cell(step.meet.map(who).joined(separator: "; ")) + " |")
            }
            if !plan.contacts.isEmpty {
                lines.append("")
                lines.append("## People to meet")
                lines.append("")
                for contact in plan.contacts { lines.append("- **\(contact.name)**, \(contact.organisation) — \(contact.relation)") }
            }
            if !plan.meetings.isEmpty {
                lines.append("")
                lines.append("## Meetings you will join")
                lines.append("")
                for meeting in plan.meetings {
                    lines.append("- \(meeting.name)" + [meeting.frequency, meeting.format].compactMap { $0 }.map { ", \($0)" }.joined())
                }
            }
            return lines.joined(separator: "\n")
        }

        private func json(_ plan: OnboardingPlan) -> JSONValue {
            func contact(_ contact: OnboardingPlan.Contact) -> JSONValue {
                .object([("id", .string(contact.id)), ("name", .string(contact.name)),
                         ("organisation", .string(contact.organisation)), ("relation", .string(contact.relation))])
            }
            return .object([
                ("role", .string(plan.role)), ("title", .string(plan.roleTitle)), ("organisation", .string(plan.organisation)),
                ("person", .optional(plan.person?.id)), ("start", .string(plan.start.description)),
                ("steps", .array(plan.steps.map { step in
                    .object([
                        ("when", .string(step.when.description)), ("date", .string(step.date.description)),
                        ("do", .string(step.action)),
                        ("read", .array(step.read.map { .object([("id", .string($0.id)), ("title", .string($0.title))]) })),
                        ("meet", .array(step.meet.map(contact))),
                    ])
                })),
                ("people_to_meet", .array(plan.contacts.map(contact))),
                ("meetings", .array(plan.meetings.map {
                    .object([("name", .string($0.name)), ("frequency", .optional($0.frequency)), ("format", .optional($0.format))])
                })),
                ("withheld_reading", .int(plan.withheldReading)),
                ("vision", .optional(plan.vision)), ("principles", .array(plan.principles.map { .string($0) })),
                ("handover", plan.handover.map { .object([("id", .string($0.id)), ("title", .string($0.title)),
                                                          ("done", .int($0.done)), ("total", .int($0.total))]) } ?? .null),
            ])
        }
    }
}

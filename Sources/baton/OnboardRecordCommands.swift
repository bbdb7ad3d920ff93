import ArgumentParser
import BatonContent
import BatonSearch
import Foundation

/// `baton onboard start|status|complete`: onboarding as a tracked record (tick, untick and reopen are shared
/// with handovers, in TrackedRecords.swift).
extension OnboardCommand {
    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write someone's onboarding into a role as a record to tick off.",
            discussion: """
                Writes content/onboardings/<person>-<role>.md: the partnership's vision and principles first, \
                then the role's path as a task list, each item due on a working day counted from the start (the \
                calendar of baton.yml), the people to meet by name (the counterpart role's holders, the deputy, \
                the people the steps name), the reading as links, the tier's meetings, and items for the buddy. \
                The record is as confidential as the most confidential entity it names.

                Example:
                  baton onboard start castellan-service-desk-lead --person kwame-asante \\
                    --start 2027-01-04 --buddy chloe-dubois
                """)

        @Argument(help: "The role being taken up.", completion: Completions.ids(.role)) var role: String
        @Option(help: "The person starting.", completion: Completions.ids(.person)) var person: String
        @Option(help: "The first day in the role (YYYY-MM-DD); default today.") var start: String?
        @Option(help: "Who helps them in their first weeks.", completion: Completions.ids(.person)) var buddy: String?
        @Option(help: "Only reading this audience may see: public, internal (default) or restricted.")
        var audience: Confidentiality = .internal
        @Option(help: "The record's id; default <person>-<role>.") var id: String?
        @OptionGroup var options: RootOptions

        func validate() throws {
            if let start, Day(start) == nil { throw ValidationError("--start must be a date, YYYY-MM-DD") }
        }

        func run() throws { try options.whileLocked("onboard start") { try runLocked() } }

        func runLocked() throws {
            let knowledgeBase = try options.loadForReading()
            let roleEntity = try knowledgeBase.lookup(role, [.role], list: "baton list --type roles")
            let personEntity = try knowledgeBase.lookup(person, [.person], list: "baton list --type people")
            let buddyEntity = try buddy.map { try knowledgeBase.lookup($0, [.person], list: "baton list --type people") }
            let day = start.flatMap(Day.init) ?? HandoverCommand.today()
            let created: Handovers.NewRecord
            do {
                created = try Onboardings.start(role: roleEntity, person: personEntity, buddy: buddyEntity, start: day,
                                                audience: audience, id: id, in: knowledgeBase)
                let file = knowledgeBase.root + "/" + created.path
                try AtomicFile.createDirectory(String(file[..<file.lastIndex(of: "/")!]))
                try AtomicFile.write(created.text, to: file, overwrite: false)
            } catch {
                throw CLIFailure(message: "\(error)")
            }
            let count = created.text.components(separatedBy: "\n- [ ] ").count - 1
            print("Created \(created.path) with \(count) items.")
            if created.confidentiality == .restricted {
                print("It names restricted entities (\(created.restrictedBecause.joined(separator: ", "))), so it is marked "
                    + "restricted: only a restricted build or search shows it.")
            }
            if !(personEntity.person?.roles ?? []).contains(where: {
                if case .found(let held) = knowledgeBase.resolve($0) { return held.id == roleEntity.id }
                return false
            }) {
                print("Note: \(personEntity.title) does not hold \(roleEntity.title) in the records yet.")
            }
            print("Next: baton onboard status \(created.id.split(separator: "/").last!)")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the progress of onboardings, overdue items first.",
            discussion: "Examples:\n  baton onboard status\n  baton onboard status nadia-farouk-northmoor-relationship-manager --json")

        @Argument(help: "An onboarding's id; default every open onboarding.", completion: Completions.ids(.onboarding))
        var id: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: RootOptions

        func run() throws {
            let knowledgeBase = try options.loadForReading()
            let records = try id.map { [try OnboardCommand.onboarding($0, knowledgeBase)] }
                ?? knowledgeBase.entities(of: .onboarding).filter { $0.onboarding?.status == .open }
            func name(_ reference: Reference?) -> (id: String?, title: String?) {
                guard let reference, case .found(let entity) = knowledgeBase.resolve(reference) else { return (nil, nil) }
                return (entity.id, entity.title)
            }
            TrackedRecords.printStatus(records, json: json, key: "onboardings", none: "No open onboardings.",
                                       today: HandoverCommand.today()) { record in
                let onboarding = record.onboarding
                let person = name(onboarding?.person)
                let buddy = name(onboarding?.buddy)
                let text = [onboarding?.start.map { "started \($0)" }, buddy.title.map { "buddy \($0)" }]
                    .compactMap { $0 }.joined(separator: " · ")
                return ([("person", .optional(person.id)), ("buddy", .optional(buddy.id)),
                         ("start", .optional(onboarding?.start?.description))], text)
            }
        }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark an onboarding complete, once every item is ticked (or with --force).",
            discussion: """
                A completed onboarding is read-only: its items no longer change until 'baton onboard reopen'.

                Example:
                  baton onboard complete nadia-farouk-northmoor-relationship-manager
                """)
        @Argument(help: "The onboarding's id.", completion: Completions.ids(.onboarding)) var id: String
        @Flag(help: "Complete even with open items.") var force = false
        @OptionGroup var options: RootOptions

        func run() throws { try options.whileLocked("onboard complete") { try runLocked() } }

        func runLocked() throws {
            let knowledgeBase = try options.loadForReading()
            let record = try OnboardCommand.onboarding(id, knowledgeBase)
            do {
                let file = try Onboardings.complete(record, in: knowledgeBase, force: force)
                try AtomicFile.write(file.text, to: knowledgeBase.root + "/" + file.path)
                print("Completed \(record.id).")
                for note in file.notes { print("Note: " + note) }
            } catch {
                throw CLIFailure(message: "\(error)")
            }
        }
    }
}

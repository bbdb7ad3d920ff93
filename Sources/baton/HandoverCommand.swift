import ArgumentParser
import BatonContent
import BatonSearch
import Foundation

struct HandoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "handover",
        abstract: "Start, follow and complete handovers from one person to another.",
        discussion: """
            Examples:
              baton handover start --from tomasz-wierzbicki --to sam-adeyemi \\
                --leaving 2027-01-08
              baton handover status
              baton handover tick tomasz-wierzbicki-to-sam-adeyemi 1 3 "pricing"
              baton handover complete tomasz-wierzbicki-to-sam-adeyemi
            """,
        subcommands: [Start.self, Status.self, TickCommand<HandoverRecords>.self, UntickCommand<HandoverRecords>.self,
                      Complete.self, ReopenCommand<HandoverRecords>.self])

    static func today() -> Day { Day.today(environment: ProcessInfo.processInfo.environment) }

    static func person(_ id: String, _ knowledgeBase: KnowledgeBase) throws -> Entity {
        try knowledgeBase.lookup(id, [.person], list: "baton list --type people")
    }

    static func handover(_ id: String, _ knowledgeBase: KnowledgeBase) throws -> Entity {
        try knowledgeBase.lookup(id, [.handover], list: "baton handover status")
    }

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a handover checklist for a person leaving a role.",
            discussion: """
                Writes content/handovers/<from>-to-<to>.md: the role's checklist template, plus an item for each \
                knowledge entry the leaver owns, each counterpart and peer to introduce, each person to tell \
                (their deputy, holders of roles reporting to theirs), each record to update and any open handover \
                they are part of — every item with an owner and a due date counted back from the last day. The \
                handover is as confidential as the most confidential entity it names: one naming restricted \
                knowledge is restricted (it says so), and only a restricted build or search shows it.

                Example:
                  baton handover start --from tomasz-wierzbicki --to sam-adeyemi \\
                    --leaving 2027-01-08
                """)

        @Option(help: "The person leaving.", completion: Completions.ids(.person)) var from: String
        @Option(help: "The person taking over.", completion: Completions.ids(.person)) var to: String
        @Option(help: "The role handed over (needed when the leaver holds several).", completion: Completions.ids(.role))
        var role: String?
        @Option(help: "The leaver's last day (YYYY-MM-DD); default their leaving_date.") var leaving: String?
        @Option(help: "The handover's id; default <from>-to-<to>.") var id: String?
        @OptionGroup var options: RootOptions

        func validate() throws {
            if let leaving, Day(leaving) == nil { throw ValidationError("--leaving must be a date, YYYY-MM-DD") }
        }

        func run() throws { try options.whileLocked("handover start") { try runLocked() } }

        func runLocked() throws {
            let knowledgeBase = try options.loadForReading()
            let leaver = try HandoverCommand.person(from, knowledgeBase)
            let successor = try HandoverCommand.person(to, knowledgeBase)
            var roleEntity: Entity?
            if let role {
                roleEntity = try knowledgeBase.lookup(role, [.role], list: "baton list --type roles")
            }
            let created: Handovers.NewRecord
            do {
                created = try Handovers.start(
                    from: leaver, to: successor, role: roleEntity, leaving: leaving.flatMap(Day.init),
                    today: HandoverCommand.today(), id: id, in: knowledgeBase)
                let file = knowledgeBase.root + "/" + created.path
                try AtomicFile.createDirectory(String(file[..<file.lastIndex(of: "/")!]))
                try AtomicFile.write(created.text, to: file, overwrite: false)
            } catch {
                throw CLIFailure(message: "\(error)")
            }
            let count = created.text.components(separatedBy: "\n- [ ] ").count - 1
            print("Created \(created.path) with \(count) items.")
            // The successor would hold two management disciplines: say so now rather than after completion.
            let taken = Set((successor.person?.roles ?? []).compactMap { reference -> RoleFunction? in
                guard case .found(let held) = knowledgeBase.resolve(reference), held.id != created.role else { return nil }
                return held.role?.function
            }).intersection(RoleFunction.managementDisciplines)
            if let function = knowledgeBase.entity(id: created.role)?.role?.function,
                RoleFunction.managementDisciplines.contains(function), !taken.isEmpty, !taken.contains(function)
            {
                print("Note: \(successor.title) already holds the \(taken.map(\.rawValue).sorted().joined(separator: " and ")) "
                    + "discipline; \(function.rawValue) would be a second (baton check will say disciplines-combined).")
            }
            if created.confidentiality == .restricted {
                print("It names restricted entities (\(created.restrictedBecause.joined(separator: ", "))), so it is marked "
                    + "restricted: only a restricted build or search shows it.")
            }
            print("Next: baton handover status \(created.id.split(separator: "/").last!)")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the progress of handovers, overdue items first.",
            discussion: "Examples:\n  baton handover status\n  baton handover status gareth-lowe-to-nadia-farouk --json")

        @Argument(help: "A handover's id; default every open handover.", completion: Completions.ids(.handover))
        var id: String?
        @Flag(help: "Print JSON.") var json = false
        @OptionGroup var options: RootOptions

        func run() throws {
            let knowledgeBase = try options.loadForReading()
            let handovers = try id.map { [try HandoverCommand.handover($0, knowledgeBase)] }
                ?? knowledgeBase.entities(of: .handover).filter { $0.handover?.status == .open }
            TrackedRecords.printStatus(handovers, json: json, key: "handovers", none: "No open handovers.",
                                       today: HandoverCommand.today()) { handover in
                let leaving = handover.handover?.leaving
                return ([("leaving", .optional(leaving?.description))], leaving.map { "last day \($0)" } ?? "")
            }
        }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Finish a handover and apply it to the records, all files at once.",
            discussion: """
                Only when every item is ticked (or with --force). The successor takes the role, the knowledge the \
                leaver owned, their counterpart links on both sides, the deputyships the leaver held, the \
                onboarding steps that meet them and the onboardings they are buddy in; the leaver keeps their \
                leaving date and counts as left from that day on; the handover is complete. All files change \
                together or none does; what moved and the files changed are printed for review in git.

                Example:
                  baton handover complete gareth-lowe-to-nadia-farouk
                """)
        @Argument(help: "The handover's id.", completion: Completions.ids(.handover)) var id: String
        @Flag(help: "Complete even with open items.") var force = false
        @OptionGroup var options: RootOptions

        func run() throws { try options.whileLocked("handover complete") { try runLocked() } }

        func runLocked() throws {
            let knowledgeBase = try options.loadForReading()
            let handover = try HandoverCommand.handover(id, knowledgeBase)
            do {
                let completion = try Handovers.complete(handover, in: knowledgeBase, force: force)
                try Journal.writeAll(completion.files, root: knowledgeBase.root, description: "baton handover complete \(handover.id)")
                print("Completed \(handover.id).")
                for line in completion.moved { print("  " + line) }
                print("Files changed:")
                for file in completion.files { print("  \(file.path)") }
            } catch {
                throw CLIFailure(message: "\(error)")
            }
        }
    }
}

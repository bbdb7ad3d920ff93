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
        subcommands: [Start.self, Status.self, Tick.self, Untick.self, Complete.self, Reopen.self])

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
            let created: Handovers.NewHandover
            do {
                created = try Handovers.start(
                    from: leaver, to: successor, role: roleEntity, leaving: leaving.flatMap(Day.init),
                    today: HandoverCommand.today(), id: id, in: knowledgeBase)
                try AtomicFile.write(created.text, to: knowledgeBase.root + "/" + created.path, overwrite: false)
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
            let today = HandoverCommand.today()
            let handovers = try id.map { [try HandoverCommand.handover($0, knowledgeBase)] }
                ?? knowledgeBase.entities(of: .handover).filter { $0.handover?.status == .open }
            var documents: [JSONValue] = []
            for handover in handovers {
                let progress = Handovers.progress(of: handover, today: today)
                let (tasks, done, overdue, sections) = (progress.tasks, progress.done, progress.overdue, progress.sections)
                if json {
                    documents.append(.object([
                        ("id", .string(handover.id)), ("title", .string(handover.title)),
                        ("status", .string(handover.handover?.status.rawValue ?? "")),
                        ("leaving", .optional(handover.handover?.leaving?.description)),
                        ("done", .int(done)), ("total", .int(tasks.count)),
                        ("sections", .array(sections.map {
                            .object([("section", .string($0.0)), ("done", .int($0.1)), ("total", .int($0.2))])
                        })),
                        ("overdue", .array(overdue.map(taskJSON))),
                        ("items", .array(tasks.map(taskJSON))),
                    ]))
                    continue
                }
                print(Terminal.styled(handover.title, .bold) + "  " + Terminal.styled(handover.id, .cyan))
                let leaving = handover.handover?.leaving.map { " · last day \($0)" } ?? ""
                print("  \(done) of \(tasks.count) done\(leaving)")
                for task in overdue {
                    print("  " + Terminal.styled("overdue", .red, .bold) + " \(task.number). \(task.text)")
                }
                for (name, sectionDone, total) in sections {
                    print("  \(Terminal.pad(name, 28)) \(sectionDone)/\(total)")
                }
                for task in tasks where !task.done && !overdue.contains(where: { $0.number == task.number }) {
                    print(Terminal.styled("  [ ] \(task.number). \(task.text)", .dim))
                }
                print("")
            }
            if json {
                printJSONDocument(.object([("handovers", .array(documents))]))
            } else if handovers.isEmpty {
                print("No open handovers.")
            }
        }

        private func taskJSON(_ task: Handovers.Task) -> JSONValue {
            .object([("number", .int(task.number)), ("text", .string(task.text)), ("section", .optional(task.section)),
                     ("done", .bool(task.done)), ("due", .optional(task.due?.description)),
                     ("owner", .optional(task.owner)), ("line", .int(task.line))])
        }
    }

    static func setItems(_ id: String, _ items: [String], done: Bool, options: RootOptions) throws {
        try options.whileLocked(done ? "handover tick" : "handover untick") {
            try setItemsLocked(id, items, done: done, options: options)
        }
    }

    private static func setItemsLocked(_ id: String, _ items: [String], done: Bool, options: RootOptions) throws {
        let knowledgeBase = try options.loadForReading()
        let handover = try handover(id, knowledgeBase)
        let path = knowledgeBase.root + "/" + handover.path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIFailure(message: "\(handover.path): cannot read")
        }
        do {
            let (text, changed) = try Handovers.setting(items, done: done, in: handover,
                                                         fileText: String(decoding: data, as: UTF8.self))
            try AtomicFile.write(text, to: path)
            for task in changed { print("\(done ? "[x]" : "[ ]") \(task.number). \(task.text)") }
        } catch {
            throw CLIFailure(message: "\(error)")
        }
    }

    struct Tick: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark handover items done (by number or by a piece of their text).",
            discussion: "Example:\n  baton handover tick gareth-lowe-to-nadia-farouk 5 \"distribution lists\"")
        @Argument(help: "The handover's id.", completion: Completions.ids(.handover)) var id: String
        @Argument(help: "Item numbers or text.") var items: [String]
        @OptionGroup var options: RootOptions
        func run() throws { try HandoverCommand.setItems(id, items, done: true, options: options) }
    }

    struct Untick: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark handover items not done again.",
            discussion: "Example:\n  baton handover untick gareth-lowe-to-nadia-farouk 5")
        @Argument(help: "The handover's id.", completion: Completions.ids(.handover)) var id: String
        @Argument(help: "Item numbers or text.") var items: [String]
        @OptionGroup var options: RootOptions
        func run() throws { try HandoverCommand.setItems(id, items, done: false, options: options) }
    }

    struct Complete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Finish a handover and apply it to the records, all files at once.",
            discussion: """
                Only when every item is ticked (or with --force). The successor takes the role, the knowledge the \
                leaver owned and their counterpart links; the leaver is marked as left; the handover as complete. \
                All files change together or none does; the list of files changed is printed for review in git.

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

    struct Reopen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open a completed handover again, so that its items can be ticked or unticked.",
            discussion: """
                The records completion changed (roles, counterparts, knowledge owners) stay as they are; only the \
                handover's status goes back to open.

                Example:
                  baton handover reopen tomasz-wierzbicki-to-sam-adeyemi
                """)
        @Argument(help: "The handover's id.", completion: Completions.ids(.handover)) var id: String
        @OptionGroup var options: RootOptions

        func run() throws { try options.whileLocked("handover reopen") { try runLocked() } }

        func runLocked() throws {
            let knowledgeBase = try options.loadForReading()
            let handover = try HandoverCommand.handover(id, knowledgeBase)
            do {
                let file = try Handovers.reopen(handover)
                try AtomicFile.write(file.text, to: knowledgeBase.root + "/" + file.path)
                print("Reopened \(handover.id): its items can be ticked and unticked again.")
            } catch {
                throw CLIFailure(message: "\(error)")
            }
        }
    }
}

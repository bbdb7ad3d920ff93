import BatonJSON
import ArgumentParser
import BatonContent
import BatonSearch
import Foundation

/// What `baton handover` and `baton onboard` share for their tracked records: the status report and ticking.
enum TrackedRecords {
    /// Prints the progress of `records`, overdue items first, or one JSON document with them under `key`.
    /// `details` gives each record's own fields: for JSON, and in words for the text line under its title.
    static func printStatus(
        _ records: [Entity], json: Bool, key: String, none: String, today: Day,
        details: (Entity) -> (json: [(String, JSONValue)], text: String)
    ) {
        var documents: [JSONValue] = []
        for record in records {
            let progress = Handovers.progress(of: record, today: today)
            let (tasks, done, overdue) = (progress.tasks, progress.done, progress.overdue)
            let detail = details(record)
            if json {
                let status = record.handover?.status.rawValue ?? record.onboarding?.status.rawValue ?? ""
                let sections: [JSONValue] = progress.sections.map {
                    .object([("section", .string($0.name)), ("done", .int($0.done)), ("total", .int($0.total))])
                }
                var pairs: [(String, JSONValue)] = [("id", .string(record.id)), ("title", .string(record.title)),
                                                    ("status", .string(status))]
                pairs += detail.json
                pairs += [("done", .int(done)), ("total", .int(tasks.count)), ("sections", .array(sections)),
                          ("overdue", .array(overdue.map(taskJSON))), ("items", .array(tasks.map(taskJSON)))]
                documents.append(.object(pairs))
                continue
            }
            print(Terminal.styled(record.title, .bold) + "  " + Terminal.styled(record.id, .cyan))
            print("  \(done) of \(tasks.count) done" + (detail.text.isEmpty ? "" : " · " + detail.text)
                + (record.isCompletedRecord ? " · complete" : ""))
            for task in overdue {
                print("  " + Terminal.styled("overdue", .red, .bold) + " \(task.number). \(task.text)")
            }
            for section in progress.sections {
                print("  \(Terminal.pad(section.name, 28)) \(section.done)/\(section.total)")
            }
            for task in tasks where !task.done && !overdue.contains(where: { $0.number == task.number }) {
                print(Terminal.styled("  [ ] \(task.number). \(task.text)", .dim))
            }
            print("")
        }
        if json {
            printJSONDocument(.object([(key, .array(documents))]))
        } else if records.isEmpty {
            print(none)
        }
    }

    private static func taskJSON(_ task: Handovers.Task) -> JSONValue {
        .object([("number", .int(task.number)), ("text", .string(task.text)), ("section", .optional(task.section)),
                 ("done", .bool(task.done)), ("due", .optional(task.due?.description)),
                 ("owner", .optional(task.owner)), ("line", .int(task.line))])
    }

    /// Ticks or unticks items of the record `id` of `kind`, under the knowledge base's lock, changing only their
    /// checkboxes, in one atomic write.
    static func setItems(
        _ id: String, _ items: [String], done: Bool, kind: EntityKind, command: String, options: RootOptions
    ) throws {
        try options.whileLocked("\(command) \(done ? "tick" : "untick")") {
            let knowledgeBase = try options.loadForReading()
            let record = try knowledgeBase.lookup(id, [kind], list: "baton \(command) status")
            let path = knowledgeBase.root + "/" + record.path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CLIFailure(message: "\(record.path): cannot read")
            }
            do {
                let (text, changed) = try Handovers.setting(items, done: done, in: record,
                                                             fileText: String(decoding: data, as: UTF8.self))
                try AtomicFile.write(text, to: path)
                for task in changed { print("\(done ? "[x]" : "[ ]") \(task.number). \(task.text)") }
            } catch {
                throw CLIFailure(message: "\(error)")
            }
        }
    }
}

/// A kind of tracked record as its commands name it.
protocol TrackedKind {
    static var kind: EntityKind { get }
    /// The command group: `handover`, `onboard`.
    static var command: String { get }
    static var noun: String { get }
    /// An id for the examples, from the bundled example.
    static var exampleID: String { get }
}

enum HandoverRecords: TrackedKind {
    static let kind = EntityKind.handover
    static let command = "handover"
    static let noun = "handover"
    static let exampleID = "gareth-lowe-to-nadia-farouk"
}

enum OnboardingRecords: TrackedKind {
    static let kind = EntityKind.onboarding
    static let command = "onboard"
    static let noun = "onboarding"
    static let exampleID = "nadia-farouk-northmoor-relationship-manager"
}

/// `baton handover|onboard tick ID ITEM…`
struct TickCommand<Kind: TrackedKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "tick", abstract: "Mark \(Kind.noun) items done (by number or by a piece of their text).",
            discussion: "Example:\n  baton \(Kind.command) tick \(Kind.exampleID) 5 \"escalation\"")
    }
    @Argument(help: "The \(Kind.noun)'s id.", completion: Completions.ids(Kind.kind)) var id: String
    @Argument(help: "Item numbers or text.") var items: [String]
    @OptionGroup var options: RootOptions
    func run() throws {
        try TrackedRecords.setItems(id, items, done: true, kind: Kind.kind, command: Kind.command, options: options)
    }
}

/// `baton handover|onboard untick ID ITEM…`
struct UntickCommand<Kind: TrackedKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "untick", abstract: "Mark \(Kind.noun) items not done again.",
            discussion: "Example:\n  baton \(Kind.command) untick \(Kind.exampleID) 5")
    }
    @Argument(help: "The \(Kind.noun)'s id.", completion: Completions.ids(Kind.kind)) var id: String
    @Argument(help: "Item numbers or text.") var items: [String]
    @OptionGroup var options: RootOptions
    func run() throws {
        try TrackedRecords.setItems(id, items, done: false, kind: Kind.kind, command: Kind.command, options: options)
    }
}

/// `baton handover|onboard reopen ID`
struct ReopenCommand<Kind: TrackedKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "reopen", abstract: "Open a completed \(Kind.noun) again, so that its items can be ticked or unticked.",
            discussion: (Kind.kind == .handover
                ? "The records completion changed (roles, counterparts, knowledge owners) stay as they are; only the "
                    + "handover's status goes back to open.\n\n" : "")
                + "Example:\n  baton \(Kind.command) reopen \(Kind.exampleID)")
    }
    @Argument(help: "The \(Kind.noun)'s id.", completion: Completions.ids(Kind.kind)) var id: String
    @OptionGroup var options: RootOptions

    func run() throws {
        try options.whileLocked("\(Kind.command) reopen") {
            let knowledgeBase = try options.loadForReading()
            let record = try knowledgeBase.lookup(id, [Kind.kind], list: "baton \(Kind.command) status")
            do {
                let file = try Handovers.reopen(record)
                try AtomicFile.write(file.text, to: knowledgeBase.root + "/" + file.path)
                print("Reopened \(record.id): its items can be ticked and unticked again.")
            } catch {
                throw CLIFailure(message: "\(error)")
            }
        }
    }
}

import ArgumentParser
import BatonContent
import Foundation

struct NewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "new",
        abstract: "Create an entity file from its template.",
        discussion: """
            Writes content/<kind folder>/<id>.md with every field present and a comment saying what it takes, \
            filled with sensible defaults from baton.yml. A knowledge entry's id starts with its plan section. \
            Refuses to replace an existing file unless --force; the write is atomic.

            Kinds: role, person, checklist, handover, onboarding, knowledge, healthcheck, kpi (a KPI's file \
            holds its measurements; its id is the one under kpis: in baton.yml).

            Examples:
              baton new role client-service-manager --title "Client Service Manager"
              baton new person amara-okafor --title "Amara Okafor"
              baton new knowledge exit-arrangements/exit-plan --title "Exit plan"
              baton new checklist standard-handover
              baton new kpi p1-restore
            """)

    @Argument(help: "The kind of entity: role, person, checklist, handover, onboarding, knowledge, healthcheck or kpi.")
    var kind: EntityKind

    @Argument(help: "The new entity's id, e.g. client-service-manager (knowledge: section/name).")
    var id: String

    @Option(help: "The title (a person's name); default: made from the id.")
    var title: String?

    @Flag(help: "Replace the file if it exists.")
    var force = false

    @OptionGroup var options: RootOptions

    func run() throws { try options.whileLocked("new") { try runLocked() } }

    func runLocked() throws {
        let knowledgeBase = try options.load()
        let location: (id: String, path: String)
        do {
            location = try Templates.location(kind: kind, id: id)
        } catch {
            throw CLIFailure(message: error.description)
        }
        let text = Templates.entity(kind: kind, id: location.id, title: title, config: knowledgeBase.config,
                                        today: Day.today(environment: ProcessInfo.processInfo.environment))
        let fullPath = knowledgeBase.root + "/" + location.path
        do {
            let folder = String(fullPath[..<fullPath.lastIndex(of: "/")!])
            try AtomicFile.createDirectory(folder)
            try AtomicFile.write(text, to: fullPath, overwrite: force)
        } catch {
            throw CLIFailure(message: error.description)
        }
        print("Created \(location.path) (\(location.id))")
        if kind == .handover {
            print("Fill in role, from and to, then run 'baton check'. ('baton handover start' writes the checklist for you.)")
        } else if kind == .onboarding {
            print("Fill in role, person and start, then run 'baton check'. ('baton onboard start' writes the dated plan for you.)")
        } else {
            print("Edit it, then run 'baton check'.")
        }
    }
}

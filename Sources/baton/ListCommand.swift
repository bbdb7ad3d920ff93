import BatonJSON
import ArgumentParser
import BatonContent
import BatonSearch

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the entities in the knowledge base.",
        discussion: """
            Prints every entity by kind with its id, title and confidentiality, or only one kind with --type. \
            Files that cannot be read are left out with a warning on stderr.

            Examples:
              baton list
              baton list --type people
              baton list --type knowledge --json | python3 -m json.tool
            """)

    @Option(name: .long, help: "Only this kind: role, person, checklist, handover, onboarding, knowledge, healthcheck or kpi.")
    var type: EntityKind?

    @Flag(help: "Print JSON: an array of {id, type, title, path, confidentiality, review_by}.")
    var json = false

    @OptionGroup var options: RootOptions

    func run() throws {
        let knowledgeBase = try options.loadForReading()
        let entities = knowledgeBase.entities.filter { type == nil || $0.kind == type }
        if json {
            printJSONDocument(.object([("entities", .array(entities.map(\.summaryJSON)))]))
            return
        }
        if entities.isEmpty {
            print(type.map { "No \($0.plural) yet; create one with: baton new \($0.rawValue) ID" }
                ?? "The knowledge base is empty; create an entity with: baton new KIND ID")
            return
        }
        if type == nil { printPartnership(knowledgeBase.config) }
        for kind in EntityKind.allCases {
            let group = entities.filter { $0.kind == kind }
            if group.isEmpty { continue }
            print(Terminal.styled("\(kind.plural.capitalized) (\(group.count))", .bold))
            let idWidth = min(group.map(\.id.count).max() ?? 0, 56)
            for entity in group {
                var line = "  " + Terminal.styled(Terminal.pad(entity.id, idWidth), .cyan) + "  " + entity.title
                if entity.confidentiality != .internal {
                    line += "  " + Terminal.styled("[\(entity.confidentiality.rawValue)]",
                        entity.confidentiality == .restricted ? .red : .green)
                }
                print(line)
            }
        }
    }
}

/// One line on the partnership itself, before the listing of everything in it.
private func printPartnership(_ config: Config) {
    guard !config.title.isEmpty else { return }
    print(Terminal.styled(config.title, .bold))
    var facts: [String] = []
    if !config.organisations.isEmpty {
        facts.append(config.organisations.map { org in org.side.map { "\(org.name) (\($0.rawValue))" } ?? org.name }
            .joined(separator: " and "))
    }
    if let phase = config.phase { facts.append("\(phase.rawValue) phase") }
    if let stage = config.lifecycleStage { facts.append("stage: \(stage.rawValue)") }
    if !facts.isEmpty { print(Terminal.styled(facts.joined(separator: " · "), .dim)) }
    print("")
}

extension Entity {
    /// The fields every listing shows.
    var summaryJSON: JSONValue {
        .object([
            ("id", .string(id)),
            ("type", .string(kind.rawValue)),
            ("title", .string(title)),
            ("path", .string(path)),
            ("confidentiality", .string(confidentiality.rawValue)),
            ("review_by", .optional(reviewBy?.description)),
        ])
    }
}

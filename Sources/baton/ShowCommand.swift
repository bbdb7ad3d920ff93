import BatonJSON
import ArgumentParser
import BatonContent
import Foundation
import BatonSearch

struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one entity: its fields, links in both directions, and its text.",
        discussion: """
            The id may be written in full (roles/client-service-manager), without the kind's folder \
            (client-service-manager), or for a knowledge entry by its name alone when that is unique.

            Examples:
              baton show roles/northmoor-relationship-manager
              baton show gareth-lowe
              baton show exit-plan --json
            """)

    @Argument(help: "The entity's id.", completion: Completions.ids())
    var id: String

    @Flag(help: "Print JSON: fields, references, referrers, headings, tasks and the body.")
    var json = false

    @OptionGroup var options: RootOptions

    func run() throws {
        let knowledgeBase = try options.loadForReading()
        let entity = try knowledgeBase.lookup(id, EntityKind.allCases, list: "baton list")
        let referrers = knowledgeBase.referrers(of: entity.id)
        if json {
            printJSONDocument(document(entity, knowledgeBase, referrers))
        } else {
            printText(entity, knowledgeBase, referrers)
        }
    }

    private func target(_ reference: Reference, in knowledgeBase: KnowledgeBase) -> Entity? {
        if case .found(let entity) = knowledgeBase.resolve(reference) { return entity }
        return nil
    }

    private func document(
        _ entity: Entity, _ knowledgeBase: KnowledgeBase, _ referrers: [(entity: Entity, field: String)]
    ) -> JSONValue {
        guard case .object(var pairs) = entity.summaryJSON else { return .null }
        pairs.append(("fields", entity.frontMatter.jsonValue))
        pairs.append(("references", .array(entity.references.map { field, reference in
            let resolved = target(reference, in: knowledgeBase)
            return .object([
                ("field", .string(field)), ("ref", .string(reference.raw)), ("line", .int(reference.line)),
                ("id", .optional(resolved?.id)), ("title", .optional(resolved?.title)),
            ])
        })))
        pairs.append(("referenced_by", .array(referrers.map {
            .object([("id", .string($0.entity.id)), ("field", .string($0.field)), ("title", .string($0.entity.title))])
        })))
        pairs.append(("headings", .array(entity.markdown.headings.map {
            .object([("level", .int($0.level)), ("text", .string($0.text)), ("anchor", .string($0.anchor)),
                     ("line", .int($0.line))])
        })))
        pairs.append(("tasks", .array(entity.markdown.tasks.map {
            .object([("text", .string($0.text)), ("checked", .bool($0.isChecked)), ("line", .int($0.line)),
                     ("section", .optional($0.section))])
        })))
        if entity.kind == .person || entity.kind == .role {
            pairs.append(("under_way", .array(Self.underWay(entity, knowledgeBase).map { record in
                .object([("id", .string(record.entity.id)), ("kind", .string(record.entity.kind.rawValue)),
                         ("side", .string(record.side)), ("done", .int(record.progress.done)),
                         ("total", .int(record.progress.tasks.count)), ("overdue", .int(record.progress.overdue.count)),
                         ("leaving", .optional(record.entity.handover?.leaving?.description)),
                         ("start", .optional(record.entity.onboarding?.start?.description))])
            })))
        }
        pairs.append(("body", .string(entity.body)))
        return .object(pairs)
    }

    /// The open handovers and onboardings a person takes part in, or of a role, with their progress.
    static func underWay(_ entity: Entity, _ knowledgeBase: KnowledgeBase) -> [RecordUnderWay] {
        let today = Day.today(environment: ProcessInfo.processInfo.environment)
        return entity.kind == .role
            ? knowledgeBase.recordsUnderWay(for: entity, today: today)
            : knowledgeBase.recordsUnderWay(involving: entity, today: today)
    }

    private func printText(
        _ entity: Entity, _ knowledgeBase: KnowledgeBase, _ referrers: [(entity: Entity, field: String)]
    ) {
        print(Terminal.styled(entity.title, .bold))
        print(Terminal.styled("\(entity.kind.rawValue) · \(entity.id) · \(entity.path) · \(entity.confidentiality.rawValue)",
                              .dim))
        print("")
        let resolvedTitles = Dictionary(entity.references.map { ($0.reference.raw, $0.reference) },
                                        uniquingKeysWith: { first, _ in first })
        for pair in entity.frontMatter.pairs ?? [] where pair.key != "title" && pair.key != "name" {
            let key = Terminal.styled(pair.key + ":", .cyan)
            if pair.key == "organisation", let id = pair.value.scalarText {
                let name = knowledgeBase.config.organisation(id)?.name
                print("\(key) \(id)" + (name.map { " " + Terminal.styled("(\($0))", .dim) } ?? ""))
                continue
            }
            if pair.key == "onboarding", let role = entity.role, !role.onboarding.isEmpty {
                print(key)
                printOnboarding(role.onboarding, knowledgeBase)
                continue
            }
            switch pair.value.content {
            case .scalar:
                guard !pair.value.isNull, let text = pair.value.scalarText else { continue }
                print("\(key) \(annotate(text, resolvedTitles, knowledgeBase))")
            case .sequence(let items):
                if items.isEmpty { continue }
                print(key)
                for item in items { printItem(item, resolvedTitles, knowledgeBase) }
            case .mapping(let inner):
                if inner.isEmpty { continue }
                print(key)
                for innerPair in inner where !innerPair.value.isNull {
                    print("  \(innerPair.key): \(innerPair.value.scalarText ?? flat(innerPair.value))")
                }
            }
        }
        if !referrers.isEmpty {
            print("")
            print(Terminal.styled("Referred to by", .bold))
            var seen: Set<String> = []
            for (other, field) in referrers where seen.insert(other.id + " " + field).inserted {
                print("  \(Terminal.styled(other.id, .cyan)) (\(field)) \(other.title)")
            }
        }
        let records = Self.underWay(entity, knowledgeBase)
        if !records.isEmpty {
            print("")
            print(Terminal.styled("Under way", .bold))
            for record in records {
                let when = record.entity.handover?.leaving.map { ", last day \($0)" }
                    ?? record.entity.onboarding?.start.map { ", started \($0)" } ?? ""
                let overdue = record.progress.overdue.isEmpty ? ""
                    : ", " + Terminal.styled("\(record.progress.overdue.count) overdue", .red)
                print("  \(Terminal.styled(record.entity.id, .cyan)) \(record.side): \(record.progress.done) of "
                    + "\(record.progress.tasks.count) done\(when)\(overdue)")
            }
        }
        let tasks = entity.markdown.tasks
        if !tasks.isEmpty {
            let done = tasks.filter(\.isChecked).count
            print("")
            print(Terminal.styled("Tasks: \(done) of \(tasks.count) done", .bold))
        }
        let body = entity.body.trimmingCharacters(in: .newlines)
        if !body.isEmpty {
            print("")
            print(body)
        }
    }

    private func printOnboarding(_ steps: [OnboardingStep], _ knowledgeBase: KnowledgeBase) {
        let width = steps.map(\.when.description.count).max() ?? 0
        for step in steps {
            print("  " + Terminal.styled(Terminal.pad(step.when.description, width), .bold) + "  " + step.action)
            let indent = String(repeating: " ", count: width + 4)
            for (label, references) in [("read", step.read), ("meet", step.meet)] where !references.isEmpty {
                let names = references.map { reference -> String in
                    if case .found(let target) = knowledgeBase.resolve(reference) {
                        guard let role = target.role, let side = knowledgeBase.config.organisation(role.organisation)
                        else { return target.title }
                        return "\(target.title) (\(side.name))"
                    }
                    return reference.raw + " " + Terminal.styled("(not found)", .red)
                }
                print(indent + Terminal.styled(label + ": ", .dim) + names.joined(separator: "; "))
            }
        }
    }

    private func printItem(_ item: YAMLNode, _ references: [String: Reference], _ knowledgeBase: KnowledgeBase) {
        if let text = item.scalarText {
            print("  - \(annotate(text, references, knowledgeBase))")
        } else if let pairs = item.pairs {
            let parts = pairs.filter { !$0.value.isNull }.map { pair in
                "\(pair.key): " + (pair.value.scalarText ?? flat(pair.value))
            }
            print("  - " + parts.joined(separator: "; "))
        }
    }

    /// A value followed by the title of the entity it names, when it names one.
    private func annotate(_ text: String, _ references: [String: Reference], _ knowledgeBase: KnowledgeBase) -> String {
        guard let reference = references[text] else { return text }
        switch knowledgeBase.resolve(reference) {
        case .found(let target): return "\(text) " + Terminal.styled("(\(target.title))", .dim)
        default: return "\(text) " + Terminal.styled("(not found)", .red)
        }
    }

    private func flat(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar(let text, _): return text
        case .sequence(let items): return items.map(flat).joined(separator: ", ")
        case .mapping(let pairs): return pairs.map { "\($0.key): \(flat($0.value))" }.joined(separator: ", ")
        }
    }
}

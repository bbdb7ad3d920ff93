import BatonSearch
import Foundation

/// Checks what no single file can check alone: ids, references between entities and to the organisations in
/// `baton.yml`, people who deputise for or succeed themselves, and successor chains that loop.
struct Validator {
    let knowledgeBase: KnowledgeBase

    func validate() -> [Diagnostic] {
        var found: [Diagnostic] = []
        found += checkIDs()
        found += checkConfig()
        for entity in knowledgeBase.entities {
            found += checkReferences(of: entity)
            found += checkOrganisation(of: entity)
            found += checkRules(of: entity)
            found += checkPersonalData(of: entity)
            found += checkUnknownFields(of: entity)
            found += checkLocalLinks(of: entity)
        }
        found += checkSuccessorLoops()
        return found
    }

    private func error(_ entity: Entity, _ code: String, line: Int?, _ message: String) -> Diagnostic {
        Diagnostic(.error, code, file: entity.path, line: line, message)
    }

    /// Ids are lower-case words joined by hyphens, unique even where a file system ignores case, and knowledge
    /// entries' names are unique across sections (so a bare name is a usable reference).
    private func checkIDs() -> [Diagnostic] {
        var found: [Diagnostic] = []
        var seen: [String: Entity] = [:]
        var seenNames: [String: Entity] = [:]
        for entity in knowledgeBase.entities {
            if !Self.isValidID(entity.id) {
                found.append(error(entity, "id.invalid", line: nil,
                    "the id '\(entity.id)' must be lower-case letters, digits and hyphens (rename the file)"))
            }
            let folded = entity.id.lowercased()
            if let first = seen[folded] {
                found.append(error(entity, "id.duplicate", line: nil,
                    "duplicate id: '\(entity.id)' is the same id as \(first.path) on a case-insensitive file system"))
            } else {
                seen[folded] = entity
            }
            if entity.kind == .knowledge {
                if let first = seenNames[entity.name] {
                    found.append(error(entity, "id.duplicate", line: nil,
                        "duplicate knowledge name '\(entity.name)': \(first.path) has it too; "
                            + "names must be unique across sections"))
                } else {
                    seenNames[entity.name] = entity
                }
            }
            if let declared = entity.frontMatter.pair("id"), let text = declared.value.scalarText,
                text != entity.id, text != entity.shortID
            {
                found.append(error(entity, "id.mismatch", line: declared.line,
                    "the front matter says id '\(text)' but the file's path makes it '\(entity.id)'; "
                        + "the path decides: remove the field or rename the file"))
            }
        }
        return found
    }

    static func isValidID(_ id: String) -> Bool {
        id.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { part in
            guard let first = part.utf8.first, first != UInt8(ascii: "-") else { return false }
            return part.utf8.allSatisfy { byte in
                (byte >= 97 && byte <= 122) || (byte >= 48 && byte <= 57) || byte == 45 || byte == 95
            }
        }
    }

    private func checkConfig() -> [Diagnostic] {
        let config = knowledgeBase.config
        var found: [Diagnostic] = []
        var ids: Set<String> = []
        for organisation in config.organisations {
            if !ids.insert(organisation.id).inserted {
                found.append(Diagnostic(.error, "id.duplicate", file: KnowledgeBase.configFile, line: organisation.line,
                    "the organisation id '\(organisation.id)' is used twice"))
            }
            if let reference = organisation.seniorExecutive {
                if let problem = referenceProblem(reference, field: "senior_executive_responsible") {
                    found.append(Diagnostic(.error, problem.code, file: KnowledgeBase.configFile,
                        line: reference.line, problem.message))
                }
            }
        }
        var kpis: Set<String> = []
        for kpi in config.kpis {
            if !kpis.insert(kpi.id).inserted {
                found.append(Diagnostic(.error, "id.duplicate", file: KnowledgeBase.configFile, line: kpi.line,
                    "the KPI id '\(kpi.id)' is used twice"))
            }
            if let reference = kpi.owner, let problem = referenceProblem(reference, field: "owner") {
                found.append(Diagnostic(.error, problem.code, file: KnowledgeBase.configFile, line: reference.line, problem.message))
            }
        }
        for condition in config.exitConditions {
            if case .kpi(let id) = condition.subject, config.kpi(id) == nil {
                let nearest = EditDistance.nearest(to: id, in: config.kpis.map(\.id))
                found.append(Diagnostic(.error, "kpi.unknown", file: KnowledgeBase.configFile, line: condition.line,
                    "the exit trigger \"\(condition.text)\" is on the KPI '\(id)', which is not under kpis:"
                        + (nearest.map { "; did you mean '\($0)'?" } ?? "")))
            }
        }
        if let home = config.raw["home"]?.scalarText, config.organisation(home) == nil {
            found.append(Diagnostic(.error, "reference.organisation", file: KnowledgeBase.configFile,
                line: config.raw["home"]?.line, "'home' is '\(home)', which is not an organisation listed here"))
        }
        return found
    }

    private func checkReferences(of entity: Entity) -> [Diagnostic] {
        entity.references.compactMap { field, reference in
            referenceProblem(reference, field: field).map { error(entity, $0.code, line: reference.line, $0.message) }
        }
    }

    private func referenceProblem(_ reference: Reference, field: String) -> (code: String, message: String)? {
        let expected = reference.kinds.map(\.rawValue).joined(separator: " or ")
        switch knowledgeBase.resolve(reference) {
        case .found:
            return nil
        case .missing:
            // A file that exists but could not be read has its own error; naming it is not a second one.
            if knowledgeBase.unreadableID(reference.raw, kinds: reference.kinds) != nil { return nil }
            return ("reference.dangling",
                "'\(field)' refers to '\(reference.raw)', but no \(expected) has that id"
                    + knowledgeBase.didYouMean(reference.raw, kinds: reference.kinds))
        case .wrongKind(let target):
            return ("reference.kind", "'\(field)' must name a \(expected), but '\(reference.raw)' is a \(target.kind)")
        case .ambiguous(let ids):
            return ("reference.ambiguous",
                "'\(field)' refers to '\(reference.raw)', which could be any of \(ids.joined(separator: ", ")); "
                    + "write the full id")
        }
    }

    private func checkOrganisation(of entity: Entity) -> [Diagnostic] {
        let config = knowledgeBase.config
        guard !config.organisations.isEmpty else { return [] }
        let organisation: (id: String, line: Int)
        switch entity.record {
        case .role(let role): organisation = (role.organisation, role.organisationLine)
        case .person(let person): organisation = (person.organisation, person.organisationLine)
        default: return []
        }
        guard !organisation.id.isEmpty, config.organisation(organisation.id) == nil else { return [] }
        let known = config.organisations.map(\.id).joined(separator: ", ")
        return [error(entity, "reference.organisation", line: organisation.line,
            "'organisation' is '\(organisation.id)', which is not in baton.yml (known: \(known))")]
    }

    private func checkRules(of entity: Entity) -> [Diagnostic] {
        var found: [Diagnostic] = []
        switch entity.record {
        case .person(let person):
            for (field, reference) in [("deputy", person.deputy), ("successor", person.successor),
                                       ("counterpart", person.counterpart)]
            {
                if let reference, case .found(let target) = knowledgeBase.resolve(reference), target.id == entity.id {
                    found.append(error(entity, "person.self-reference", line: reference.line,
                        "\(person.name) is named as their own \(field)"))
                }
            }
        case .role(let role):
            if let reference = role.counterpart, case .found(let target) = knowledgeBase.resolve(reference) {
                if target.id == entity.id {
                    found.append(error(entity, "role.self-reference", line: reference.line,
                        "the role is named as its own counterpart"))
                } else if let other = target.role, other.organisation == role.organisation, !role.organisation.isEmpty {
                    found.append(Diagnostic(.warning, "role.counterpart-side", file: entity.path, line: reference.line,
                        "the counterpart '\(target.id)' is in the same organisation; a counterpart is the peer role "
                            + "on the other side"))
                }
            }
        case .handover(let handover):
            if let from = handover.from, let to = handover.to, case .found(let a) = knowledgeBase.resolve(from),
                case .found(let b) = knowledgeBase.resolve(to), a.id == b.id
            {
                found.append(error(entity, "handover.self", line: to.line,
                    "the handover is from and to the same person (\(a.id))"))
            }
            if let started = handover.started, let leaving = handover.leaving, leaving < started {
                found.append(error(entity, "field.date", line: entity.frontMatter["leaving"]?.line,
                    "'leaving' (\(leaving)) is before 'started' (\(started))"))
            }
        case .onboarding(let onboarding):
            if let person = onboarding.person, let buddy = onboarding.buddy, case .found(let a) = knowledgeBase.resolve(person),
                case .found(let b) = knowledgeBase.resolve(buddy), a.id == b.id
            {
                found.append(error(entity, "onboarding.self", line: buddy.line,
                    "\(a.title) is named as their own buddy"))
            }
        case .knowledge(let entry):
            let folder = entity.id.split(separator: "/")[1]
            if let section = entry.section, section.rawValue != folder {
                found.append(error(entity, "knowledge.section", line: entity.frontMatter["section"]?.line,
                    "'section' is '\(section.rawValue)' but the file is in knowledge/\(folder)/; move the file "
                        + "or correct the field"))
            } else if entry.section != nil, PlanSection(rawValue: String(folder)) == nil {
                found.append(error(entity, "knowledge.section", line: nil,
                    "knowledge/\(folder)/ is not a plan section; use one of: \(PlanSection.allowedList)"))
            }
        case .healthcheck(let check):
            let dimensions = knowledgeBase.config.health.dimensions
            for side in check.sides {
                if knowledgeBase.config.organisation(side.organisation) == nil {
                    let known = knowledgeBase.config.organisations.map(\.id).joined(separator: ", ")
                    found.append(error(entity, "reference.organisation", line: side.line,
                        "'\(side.organisation)' is not an organisation in baton.yml (known: \(known))"))
                }
                for score in side.scores where !dimensions.contains(score.dimension) {
                    let nearest = EditDistance.nearest(to: score.dimension, in: dimensions)
                    found.append(Diagnostic(.warning, "healthcheck.dimension", file: entity.path, line: score.line,
                        "'\(score.dimension)' is not a dimension the health checks score (\(dimensions.joined(separator: ", ")))"
                            + (nearest.map { "; did you mean '\($0)'?" } ?? "")))
                }
            }
            if check.sides.filter({ !$0.scores.isEmpty }).count < 2 {
                found.append(Diagnostic(.warning, "healthcheck.one-side", file: entity.path, line: entity.frontMatter["scores"]?.line,
                    "the health check has scores from \(check.sides.filter { !$0.scores.isEmpty }.count) organisation(s); "
                        + "a health check hears both sides"))
            }
        case .kpi(let record):
            let kpis = knowledgeBase.config.kpis
            guard let definition = knowledgeBase.config.kpi(entity.shortID) else {
                let nearest = EditDistance.nearest(to: entity.shortID, in: kpis.map(\.id))
                found.append(error(entity, "kpi.unknown", line: 1,
                    "no KPI '\(entity.shortID)' is agreed under kpis: in baton.yml"
                        + (kpis.isEmpty ? "; add it there with its name, target and which way is better"
                           : " (agreed: \(kpis.map(\.id).joined(separator: ", ")))")
                        + (nearest.map { "; did you mean '\($0)'?" } ?? "")))
                break
            }
            for measurement in record.measurements where measurement.period.kind != definition.period {
                found.append(error(entity, "kpi.period", line: measurement.line,
                    "'\(measurement.period)' is not a \(definition.period.rawValue) period; \(definition.id) is measured "
                        + "\(definition.period.rawValue), as \(definition.period.example)"))
            }
        case .checklist:
            if entity.markdown.tasks.isEmpty {
                found.append(Diagnostic(.warning, "checklist.empty", file: entity.path, line: entity.bodyLine,
                    "the checklist has no task items ('- [ ] …')"))
            }
        }
        if let start = entity.person?.startDate, let leaving = entity.person?.leavingDate, leaving < start {
            found.append(error(entity, "field.date", line: entity.frontMatter["leaving_date"]?.line,
                "'leaving_date' (\(leaving)) is before 'start_date' (\(start))"))
        }
        return found
    }

    /// Personal details belong under `contact:`. Keys elsewhere that look personal are withheld from every build
    /// but restricted all the same; the warning says where they should go.
    private func checkPersonalData(of entity: Entity) -> [Diagnostic] {
        (entity.frontMatter.pairs ?? []).compactMap { pair in
            guard pair.key != PersonalData.contactField, PersonalData.isPersonal(key: pair.key) else { return nil }
            return Diagnostic(.warning, "personal.outside-contact", file: entity.path, line: pair.line,
                "'\(pair.key)' looks like personal data; move it under 'contact:' (it is shown only in restricted "
                    + "builds either way)")
        }
    }

    /// A key Baton does not read is kept as written; one that looks like a misspelt field is worth a warning,
    /// unless the knowledge base declares it its own (`x-` prefix, or `extra_fields:` in baton.yml).
    private func checkUnknownFields(of entity: Entity) -> [Diagnostic] {
        let known = entity.kind.fields.union(EntityKind.commonFields)
        return (entity.frontMatter.pairs ?? []).compactMap { pair in
            let key = pair.key
            guard !known.contains(key), !key.hasPrefix("x-"), !knowledgeBase.config.extraFields.contains(key),
                !PersonalData.isPersonal(key: key), key.lowercased() != "confidentiality"
            else { return nil }
            let nearest = EditDistance.nearest(to: key, in: known)
            return Diagnostic(.warning, "field.unknown", file: entity.path, line: pair.line,
                "'\(key)' is not a field of a \(entity.kind.rawValue)" + (nearest.map { "; did you mean '\($0)'?" } ?? "")
                    + " (kept as written; if it is yours, prefix it x- or list it under extra_fields: in baton.yml)")
        }
    }

    /// Links and images in a body that point at local files the site cannot publish: a file outside the knowledge
    /// base, one that does not exist, or one that is not beside the entry (in its folder or below). The site shows
    /// such a link as its text and such an image as its description; the warning says how to make it work.
    private func checkLocalLinks(of entity: Entity) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let folder = (entity.path as NSString).deletingLastPathComponent
        let assets = (entity.path as NSString).lastPathComponent.replacingOccurrences(of: ".md", with: "") + "-assets/"
        let imported = entity.knowledge?.source != nil
        var reported: Set<String> = []
        for link in entity.markdown.links {
            var target = link.destination
            if target.isEmpty || target.hasPrefix("#") || target.contains("://") || target.hasPrefix("mailto:")
                || target.hasPrefix("tel:") || target.hasPrefix("data:")
            {
                continue
            }
            if let cut = target.firstIndex(where: { $0 == "#" || $0 == "?" }) { target = String(target[..<cut]) }
            // One warning for each file a body points at, on the first line that does.
            guard !target.isEmpty, reported.insert(target).inserted else { continue }
            let what = link.isImage ? "the image \(link.destination)" : "the link to \(link.destination)"
            let shown = link.isImage ? "the site shows its description instead" : "the site shows its text without the link"
            let document = ["html", "htm", "xhtml", "xml", "docx", "odt", "fodt"].contains((target as NSString).pathExtension.lowercased())
            let copy = !link.isImage && document
                ? "import that document too (links between the documents of one import point at each other's entries), or link its web address"
                : "copy the file into \(assets) beside the entry and point at it there"
                    + (imported && link.isImage ? " (baton import --assets does this)" : "")
            let joined = KnowledgeBase.normalise(target.hasPrefix("/") ? target : folder + "/" + target)
            let inside = !target.hasPrefix("/") && joined.hasPrefix(KnowledgeBase.contentDirectory + "/") && !joined.hasPrefix("..")
            let kind = RegularFile.kind(knowledgeBase.root + "/" + joined)
            if !inside {
                found.append(Diagnostic(.warning, "link.outside", file: entity.path, line: link.line,
                    "\(what) leaves the knowledge base, so \(shown); " + (target.hasSuffix(".md") ? "link the entry inside content/ instead" : copy)))
            } else if target.hasSuffix(".md") {
                if kind != "a regular file" {
                    found.append(Diagnostic(.warning, "link.missing", file: entity.path, line: link.line,
                        "\(what) points at no entry (\(joined) does not exist), so \(shown); correct the path or remove the link"))
                }
            } else if kind != "a regular file" {
                found.append(Diagnostic(.warning, "link.missing", file: entity.path, line: link.line,
                    "\(what) points at \(joined), which " + (kind.map { "is \($0), not a file" } ?? "does not exist")
                        + ", so \(shown); \(copy)"))
            } else if !joined.hasPrefix(folder + "/") {
                found.append(Diagnostic(.warning, "link.not-beside", file: entity.path, line: link.line,
                    "\(what) is not beside the entry (the site publishes only files in an entry's folder or below), so \(shown); \(copy)"))
            }
        }
        return found
    }

    /// A successor chain that comes back to where it started (a → b → a) leaves nobody to take over.
    private func checkSuccessorLoops() -> [Diagnostic] {
        var next: [String: String] = [:]
        for entity in knowledgeBase.entities {
            guard let reference = entity.person?.successor, case .found(let target) = knowledgeBase.resolve(reference),
                target.id != entity.id
            else { continue }
            next[entity.id] = target.id
        }
        // Each person has at most one successor, so the links form chains that may end in a loop. Walk each
        // chain once: `finished` holds people whose chain has already been followed to its end.
        var found: [Diagnostic] = []
        var finished: Set<String> = []
        for start in next.keys.sorted() where !finished.contains(start) {
            var path: [String] = []
            var position: [String: Int] = [:]
            var current: String? = start
            while let person = current, !finished.contains(person) {
                if let loopStart = position[person] {
                    let loop = Array(path[loopStart...])
                    // Report once, on the loop's first member in id order, at its successor field.
                    let first = loop.min()!
                    let rotated = Array(loop[loop.firstIndex(of: first)!...] + loop[..<loop.firstIndex(of: first)!])
                    let entity = knowledgeBase.entity(id: first)!
                    let chain = (rotated + [first]).map { knowledgeBase.entity(id: $0)?.shortID ?? $0 }
                    found.append(error(entity, "person.successor-loop", line: entity.person?.successor?.line,
                        "the successor chain loops: \(chain.joined(separator: " → ")); someone in it needs a "
                            + "successor outside the loop"))
                    break
                }
                position[person] = path.count
                path.append(person)
                current = next[person]
            }
            finished.formUnion(path)
        }
        return found
    }
}

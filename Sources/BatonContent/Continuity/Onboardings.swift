/// Onboarding as a tracked record: the dated plan of `OnboardingPlan`, written as a task list in
/// `content/onboardings/<id>.md` that the newcomer and their buddy tick off, with the same guarantees as a
/// handover (only checkboxes change; a completed record is read-only until reopened).
public enum Onboardings {
    public typealias Failure = Handovers.Failure

    /// The id, file and text of a new onboarding of `person` into `role` from `start`, as confidential as the
    /// most confidential thing it names. Reading is what `audience` may see.
    public static func start(
        role roleEntity: Entity, person personEntity: Entity, buddy: Entity?, start: Day,
        audience: Confidentiality = .internal, id requestedID: String?, in knowledgeBase: KnowledgeBase
    ) throws(Failure) -> Handovers.NewRecord {
        guard roleEntity.role != nil else { throw Failure("\(roleEntity.id) is not a role") }
        guard personEntity.person != nil else { throw Failure("\(personEntity.id) is not a person") }
        if let buddy {
            guard buddy.person != nil else { throw Failure("--buddy must be a person") }
            guard buddy.id != personEntity.id else { throw Failure("\(personEntity.title) cannot be their own buddy") }
        }
        let (id, path): (String, String)
        do {
            (id, path) = try Templates.location(kind: .onboarding, id: requestedID ?? "\(personEntity.name)-\(roleEntity.name)")
        } catch {
            throw Failure(error.description)
        }
        for other in knowledgeBase.entities(of: .onboarding) where other.onboarding?.status == .open {
            if knowledgeBase.target(other.onboarding?.person)?.id == personEntity.id,
                knowledgeBase.target(other.onboarding?.role)?.id == roleEntity.id
            {
                throw Failure("\(personEntity.title) already has an open onboarding into \(roleEntity.title): \(other.id)")
            }
        }
        if knowledgeBase.entity(id: id) != nil { throw Failure("\(path) already exists; pass another --id") }
        guard let plan = OnboardingPlan.make(role: roleEntity, person: personEntity, start: start, audience: audience,
                                             in: knowledgeBase)
        else { throw Failure("\(roleEntity.id) is not a role") }

        // Everything the text names, so that the record is at least as confidential as any of it.
        var named: [Entity] = [roleEntity, personEntity] + (buddy.map { [$0] } ?? [])
        // Links are relative to the record's own folder.
        let up = String(repeating: "../", count: id.split(separator: "/").count - 1)
        func link(_ entityID: String, _ title: String) -> String {
            if let entity = knowledgeBase.entity(id: entityID) { named.append(entity) }
            return "[\(Self.escaped(title))](\(up)\(entityID).md)"
        }
        let calendar = knowledgeBase.config.calendar
        let organisation = roleEntity.role?.organisation
        func workingDay(_ number: Int) -> Day { calendar.workingDay(number, from: start, organisation: organisation) }
        func item(_ text: String, _ owner: String, _ due: Day) -> String { "- [ ] \(text) (owner: \(owner), due: \(due))\n" }

        let who = personEntity.title
        var text = "---\n"
        let title = "\(plan.roleTitle) onboarding, \(who)"
        text += "title: \(YAMLNode.plainReadsAsString(title) ? title : YAMLEmitter.quoted(title))\n"
        text += "role: \(roleEntity.shortID)\nperson: \(personEntity.shortID)\n"
        if let buddy { text += "buddy: \(buddy.shortID)\n" }
        var body = "# \(title)\n\n"
        body += "\(who) starts as \(plan.roleTitle) (\(plan.organisation)) on \(plan.start)"
        body += buddy.map { "; \($0.title) is their buddy for the first weeks" } ?? ""
        body += ". Tick items with `baton onboard tick \(id.split(separator: "/").last!) N`.\n"
        if let handover = plan.handover {
            body += "\nThey take over through the handover \(link(handover.id, handover.title)).\n"
        }
        if let vision = plan.vision { body += "\n## Why we partner\n\n\(vision)\n" }
        if !plan.principles.isEmpty {
            body += "\n## How we work together\n\n" + plan.principles.map { "- \($0)\n" }.joined()
        }
        if buddy != nil {
            body += "\n## With your buddy\n\n"
            body += item("Meet your buddy on your first day: what to read first, whom to meet, where things are", "buddy",
                         workingDay(1))
            body += item("Look back on the first weeks together and agree what is still missing", "buddy",
                         plan.steps.last.map { max($0.date, workingDay(10)) } ?? workingDay(10))
        }
        // The role's path, step by step: one section per point in time, each item due on that step's day.
        var met: Set<String> = []
        var sections: [(heading: String, items: String)] = []
        for step in plan.steps {
            var items = item(step.action, "newcomer", step.date)
            for reading in step.read { items += item("Read \(link(reading.id, reading.title))", "newcomer", step.date) }
            for contact in step.meet {
                met.insert(contact.id)
                items += item("Meet \(link(contact.id, contact.name)) (\(contact.organisation), \(contact.relation))",
                              "newcomer", step.date)
            }
            let heading = step.when.description.prefix(1).uppercased() + step.when.description.dropFirst()
            if let index = sections.firstIndex(where: { $0.heading == heading }) {
                sections[index].items += items
            } else {
                sections.append((heading, items))
            }
        }
        for section in sections { body += "\n## \(section.heading)\n\n" + section.items }
        // The people the role works with whom no step names (the buddy aside): met within the first two weeks.
        let others = plan.contacts.filter { !met.contains($0.id) && $0.id != buddy?.id }
        if !others.isEmpty {
            body += "\n## People to meet\n\n"
            for contact in others {
                body += item("Meet \(link(contact.id, contact.name)) (\(contact.organisation)): \(contact.relation)",
                             "newcomer", workingDay(10))
            }
        }
        if !plan.meetings.isEmpty {
            body += "\n## Meetings of the tier\n\n"
            body += item("Get invited to the meetings of the tier", buddy == nil ? "manager" : "buddy", workingDay(5))
            // A paragraph between, so that the meetings are a list of their own and not more tasks.
            body += "\nThe meetings of the \(roleEntity.role?.tier?.rawValue ?? "role's") tier:\n\n"
            for meeting in plan.meetings {
                let detail = [meeting.frequency, meeting.format].compactMap { $0 }.joined(separator: ", ")
                body += "- \(meeting.name)" + (detail.isEmpty ? "" : " (\(detail))") + "\n"
            }
        }
        let (level, reasons) = Handovers.confidentiality(naming: named)
        text += "start: \(start)\nstatus: open\nconfidentiality: \(level.rawValue)\n---\n\n" + body
        return Handovers.NewRecord(id: id, path: path, text: text, role: roleEntity.id, confidentiality: level,
                                   restrictedBecause: reasons)
    }

    /// Markdown link text with the characters that would end or break it escaped.
    static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if "[]\\*_`<".contains(character) { result.append("\\") }
            result.append(character)
        }
        return result
    }

    // MARK: Completing (Handovers.reopen opens it again)

    /// The onboarding's file marked complete, once every item is ticked (or with `force`), and a note when the
    /// records do not yet show the person holding the role.
    public static func complete(
        _ onboarding: Entity, in knowledgeBase: KnowledgeBase, force: Bool
    ) throws(Failure) -> (path: String, text: String, notes: [String]) {
        guard let record = onboarding.onboarding else { throw Failure("\(onboarding.id) is not an onboarding") }
        guard record.status == .open else { throw Failure("\(onboarding.id) is already complete") }
        let open = Handovers.tasks(of: onboarding).filter { !$0.done }
        if !open.isEmpty && !force {
            throw Failure("\(open.count) item(s) are still open: "
                + open.prefix(5).map { "\($0.number). \($0.text)" }.joined(separator: "; ")
                + (open.count > 5 ? "; …" : "") + " (tick them, or use --force)")
        }
        var notes: [String] = []
        if let person = knowledgeBase.target(record.person), let role = knowledgeBase.target(record.role),
            !(person.person?.roles ?? []).contains(where: { knowledgeBase.target($0)?.id == role.id })
        {
            notes.append("\(person.title) does not hold \(role.title) in the records yet: add it to their roles, "
                + "or complete the handover that gives it to them")
        }
        var finished = record
        finished.status = .complete
        var entity = onboarding
        entity.record = .onboarding(finished)
        return (entity.path, entity.fileText(), notes)
    }
}

extension Entity {
    /// A handover or onboarding that is complete, whose items no longer change.
    public var isCompletedRecord: Bool {
        handover?.status == .complete || onboarding?.status == .complete
    }
}

import Foundation

/// Handing a role over: building the checklist for a new handover, reading its progress, ticking items in the
/// file, and applying a finished handover to the records.
public enum Handovers {
    /// A problem with a handover request; the command line shows it and exits 2.
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        init(_ description: String) { self.description = description }
    }

    // MARK: Starting

    /// One generated item: its text, who does it and when it is due.
    struct Item {
        var text: String
        var owner: String
        var due: Day
    }

    /// The id, file and text of a new handover from `from` to `to`, as confidential as what it names.
    public static func start(
        from leaver: Entity, to successor: Entity, role roleEntity: Entity?, leaving: Day?, today: Day,
        id requestedID: String?, in knowledgeBase: KnowledgeBase
    ) throws(Failure) -> NewRecord {
        guard let outgoing = leaver.person, successor.person != nil else { throw Failure("--from and --to must be people") }
        guard leaver.id != successor.id else { throw Failure("a handover needs two different people") }
        // Everything the generated text names, so that the handover is at least as confidential as any of it.
        var named: [Entity] = [leaver, successor]
        func target(_ reference: Reference?) -> Entity? {
            guard let reference, case .found(let entity) = knowledgeBase.resolve(reference) else { return nil }
            named.append(entity)
            return entity
        }
        let heldRoles = outgoing.roles.compactMap(target)
        let role: Entity
        if let roleEntity {
            role = roleEntity
        } else if heldRoles.count == 1 {
            role = heldRoles[0]
        } else {
            throw Failure("\(leaver.title) holds \(heldRoles.count) roles; say which with --role")
        }
        guard let lastDay = leaving ?? outgoing.leavingDate else {
            throw Failure("\(leaver.title) has no leaving_date; give one with --leaving YYYY-MM-DD")
        }
        let (id, path): (String, String)
        do {
            (id, path) = try Templates.location(kind: .handover, id: requestedID ?? "\(leaver.name)-to-\(successor.name)")
        } catch {
            throw Failure(error.description)
        }
        if knowledgeBase.entity(id: id) != nil { throw Failure("\(path) already exists; pass another --id") }
        // Items never fall due on a day off: before the last day they move earlier, after it later.
        let calendar = knowledgeBase.config.calendar
        func due(_ offset: Int) -> Day {
            calendar.working(lastDay.adding(days: offset), later: offset > 0, organisation: outgoing.organisation)
        }
        let before = { (days: Int) in due(-days) }

        var sections: [(String, [Item])] = []
        // The role's checklist template, section by section: due a week before the last day, on it, or four
        // weeks after it as the section's heading says (or as the item says: `(due: last day)`); owned by who acts.
        if let template = target(role.role?.checklist), template.kind == .checklist {
            var bySection: [(String, [Item])] = []
            for task in template.markdown.tasks {
                let section = task.section.map { $0 == template.title ? "Checklist" : $0 } ?? "Checklist"
                let parsed = Self.templateItem(task.text)
                let offset = parsed.due ?? Self.sectionOffset(section)
                let item = Item(text: parsed.text, owner: parsed.owner ?? Self.actor(of: parsed.text),
                                due: due(offset))
                if let index = bySection.firstIndex(where: { $0.0 == section }) {
                    bySection[index].1.append(item)
                } else {
                    bySection.append((section, [item]))
                }
            }
            sections += bySection
        }
        if let roleEntity { named.append(roleEntity) }
        let owned = knowledgeBase.entities(of: .knowledge).filter { entry in
            guard let owner = entry.knowledge?.owner, case .found(let person) = knowledgeBase.resolve(owner) else { return false }
            return person.id == leaver.id
        }
        named += owned
        sections.append(("Knowledge they own", owned.map {
            Item(text: "Transfer ownership of \"\($0.title)\" (\($0.id)) to \(successor.title)", owner: "outgoing",
                 due: before(10))
        }))
        var relationships: [Item] = []
        if let counterpart = target(outgoing.counterpart) {
            relationships.append(Item(text: "Introduce \(successor.title) to \(counterpart.title), the counterpart",
                                      owner: "outgoing", due: before(15)))
        }
        for peer in knowledgeBase.entities(of: .person)
        where target(peer.person?.counterpart)?.id == leaver.id && peer.id != target(outgoing.counterpart)?.id {
            named.append(peer)
            relationships.append(Item(text: "Introduce \(successor.title) to \(peer.title), who has them as counterpart",
                                      owner: "outgoing", due: before(15)))
        }
        sections.append(("Relationships", relationships))
        var people: [Item] = []
        if let deputy = target(outgoing.deputy), deputy.id != successor.id {
            people.append(Item(text: "Tell \(deputy.title), the deputy, who takes over and when", owner: "outgoing",
                               due: before(20)))
        }
        let reports = knowledgeBase.entities(of: .role).filter { other in
            heldRoles.contains { target(other.role?.reportsTo)?.id == $0.id }
        }
        for reportRole in reports {
            named.append(reportRole)
            for holder in ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: today).holders(of: reportRole) {
                named.append(holder)
                people.append(Item(text: "Tell \(holder.title) (\(reportRole.title), reports to the role)",
                                   owner: "outgoing", due: before(20)))
            }
        }
        sections.append(("People to tell", people))
        var records = heldRoles.map {
            Item(text: "Update the records: \(successor.title) holds \($0.title) (\($0.id))", owner: "manager",
                 due: due(0))
        }
        for other in knowledgeBase.entities(of: .handover) where other.handover?.status == .open {
            if target(other.handover?.from)?.id == leaver.id || target(other.handover?.to)?.id == leaver.id {
                named.append(other)
                records.append(Item(text: "Finish or pass on the open handover \(other.id)", owner: "outgoing",
                                    due: before(10)))
            }
        }
        sections.append(("Records", records))

        let title = "\(role.title) handover, \(leaver.title) to \(successor.title)"
        var text = "---\n"
        text += "title: \(YAMLNode.plainReadsAsString(title) ? title : YAMLEmitter.quoted(title))\n"
        text += "role: \(role.shortID)\nfrom: \(leaver.shortID)\nto: \(successor.shortID)\n"
        if let template = target(role.role?.checklist) { text += "template: \(template.shortID)\n" }
        let (level, reasons) = confidentiality(naming: named)
        text += "started: \(today)\nleaving: \(lastDay)\nstatus: open\nconfidentiality: \(level.rawValue)\n---\n\n"
        text += "# \(title)\n\n"
        text += "\(leaver.title)'s last day is \(lastDay). Tick items with `baton handover tick \(id.split(separator: "/").last!) N`.\n"
        for (heading, items) in sections where !items.isEmpty {
            text += "\n## \(heading)\n\n"
            for item in items { text += "- [ ] \(item.text) (owner: \(item.owner), due: \(item.due))\n" }
        }
        return NewRecord(id: id, path: path, text: text, role: role.id, confidentiality: level, restrictedBecause: reasons)
    }

    /// A record names what it hands over or teaches: it may be seen only by an audience that sees all of that.
    /// Its level (at least internal) and the ids of the entities that raised it above internal.
    static func confidentiality(naming named: [Entity]) -> (Confidentiality, [String]) {
        let level = named.map(\.confidentiality).max().map { max($0, .internal) } ?? .internal
        let because = named.filter { $0.confidentiality == level && level > .internal }.map(\.id)
        return (level, Set(because).sorted())
    }

    /// A handover's or onboarding's file, before it is written.
    public struct NewRecord: Sendable {
        public var id: String
        public var path: String
        public var text: String
        /// The role handed over or taken up, by id.
        public var role: String
        /// At least internal, and as high as the most confidential entity its items name.
        public var confidentiality: Confidentiality
        /// The restricted entities that made it restricted, by id.
        public var restrictedBecause: [String]
    }

    /// Days from the last day that a template section's items fall due: a heading saying "after" means after
    /// it (four weeks), one naming the last day or the day itself means on it, anything else a week before.
    static func sectionOffset(_ heading: String) -> Int {
        let text = heading.lowercased()
        if text.contains("after") { return 28 }
        if text.contains("last day") || text.contains("on the day") || text.hasPrefix("on ") { return 0 }
        return -7
    }

    /// Who acts on an item, from how it begins: the successor ("Successor confirms …", "The incoming person
    /// …"), the manager, or else the person leaving.
    static func actor(of text: String) -> String {
        let lowered = text.lowercased()
        for (words, who) in [(["successor", "the successor", "incoming", "the incoming"], "incoming"),
                             (["manager", "the manager", "your manager", "line manager"], "manager")] {
            if words.contains(where: { lowered.hasPrefix($0 + " ") }) { return who }
        }
        return "outgoing"
    }

    /// A template item with its own timing or owner in a closing parenthesis: `(due: last day)`,
    /// `(due: 2 weeks before)`, `(due: 10 days after, owner: incoming)`, `(due: -3)`. The text without it.
    static func templateItem(_ text: String) -> (text: String, due: Int?, owner: String?) {
        guard text.hasSuffix(")"), let open = text.range(of: "(", options: .backwards) else { return (text, nil, nil) }
        var due: Int?
        var owner: String?
        for part in text[open.upperBound..<text.index(before: text.endIndex)].split(separator: ",") {
            let pair = part.split(separator: ":", maxSplits: 1).map { $0.trimmingSpaces.lowercased() }
            guard pair.count == 2 else { return (text, nil, nil) }
            switch pair[0] {
            case "due":
                guard let days = dueOffset(pair[1]) else { return (text, nil, nil) }
                due = days
            case "owner": owner = pair[1]
            default: return (text, nil, nil)
            }
        }
        return (String(text[..<open.lowerBound]).trimmingSpaces, due, owner)
    }

    /// `last day` → 0, `N days|weeks before|after` → ∓N days, `+N` / `-N` → N days.
    static func dueOffset(_ text: String) -> Int? {
        if text == "last day" || text == "on the last day" { return 0 }
        if let days = Int(text), abs(days) <= 3650 { return days }
        let words = text.split(separator: " ").map(String.init)
        guard words.count == 3, let count = Int(words[0]), (0...520).contains(count) else { return nil }
        let unit: Int
        switch words[1] {
        case "day", "days": unit = 1
        case "week", "weeks": unit = 7
        default: return nil
        }
        switch words[2] {
        case "before": return -count * unit
        case "after": return count * unit
        default: return nil
        }
    }

    // MARK: Progress

    // These read and tick the task list of any tracked record: a handover or an onboarding.

    /// One task of a live handover or onboarding, numbered from 1 in file order.
    public struct Task: Sendable {
        public var number: Int
        public var text: String
        public var section: String?
        public var done: Bool
        public var due: Day?
        public var owner: String?
        public var line: Int
    }

    /// The tasks of a handover, with the owner and due date read from `(owner: …, due: …)`.
    /// How far a handover has got: items done, per section in file order, and the open items past their due day.
    public struct Progress: Sendable {
        public var tasks: [Task]
        public var done: Int
        public var sections: [(name: String, done: Int, total: Int)]
        public var overdue: [Task]
    }

    public static func progress(of handover: Entity, today: Day, unsectioned: String = "Items") -> Progress {
        let tasks = tasks(of: handover)
        var sections: [(name: String, done: Int, total: Int)] = []
        for task in tasks {
            let name = task.section ?? unsectioned
            if let index = sections.firstIndex(where: { $0.name == name }) {
                sections[index].done += task.done ? 1 : 0
                sections[index].total += 1
            } else {
                sections.append((name, task.done ? 1 : 0, 1))
            }
        }
        return Progress(tasks: tasks, done: tasks.filter(\.done).count, sections: sections,
                        overdue: tasks.filter { !$0.done && ($0.due.map { $0 < today } ?? false) })
    }

    public static func tasks(of handover: Entity) -> [Task] {
        handover.markdown.tasks.enumerated().map { index, task in
            var due: Day?
            var owner: String?
            if let open = task.text.range(of: "(owner:", options: .backwards) {
                let detail = task.text[open.lowerBound...]
                for part in detail.dropFirst().dropLast().split(separator: ",") {
                    let pair = part.split(separator: ":", maxSplits: 1).map { $0.trimmingSpaces }
                    guard pair.count == 2 else { continue }
                    if pair[0] == "owner" { owner = pair[1] }
                    if pair[0] == "due" { due = Day(pair[1]) }
                }
            }
            return Task(number: index + 1, text: task.text, section: task.section, done: task.isChecked, due: due,
                        owner: owner, line: task.line)
        }
    }

    // MARK: Ticking

    /// The file text with the given items ticked (or unticked). Items are numbers or text that matches exactly
    /// one task (case-insensitive). Only the checkbox of each item's line changes.
    public static func setting(
        _ items: [String], done: Bool, in handover: Entity, fileText: String
    ) throws(Failure) -> (text: String, changed: [Task]) {
        if handover.isCompletedRecord {
            let command = handover.kind == .onboarding ? "onboard" : "handover"
            throw Failure("\(handover.id) is complete, so its items no longer change; 'baton \(command) reopen "
                + "\(handover.name)' opens it again")
        }
        let all = tasks(of: handover)
        var chosen: [Task] = []
        for item in items {
            if let number = Int(item) {
                guard let task = all.first(where: { $0.number == number }) else {
                    throw Failure("there is no item \(number); the \(handover.kind == .onboarding ? "onboarding" : "handover") has \(all.count)")
                }
                chosen.append(task)
            } else {
                let matches = all.filter { $0.text.lowercased().contains(item.lowercased()) }
                guard matches.count == 1 else {
                    throw Failure(matches.isEmpty
                        ? "no item matches '\(item)'"
                        : "'\(item)' matches \(matches.count) items (\(matches.map { String($0.number) }.joined(separator: ", "))); give a number")
                }
                chosen.append(matches[0])
            }
        }
        var lines = fileText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for task in chosen {
            let index = task.line - 1
            guard index >= 0, index < lines.count else { throw Failure("item \(task.number) is not where expected") }
            let line = lines[index]
            let (from, to) = done ? ("[ ]", "[x]") : ("[x]", "[ ]")
            if let range = line.range(of: from) ?? (done ? nil : line.range(of: "[X]")) {
                lines[index] = line.replacingCharacters(in: range, with: to)
            }
        }
        return (lines.joined(separator: "\n"), chosen)
    }
}

extension Handovers {
    // MARK: Completing

    /// What completing a handover changes: each file's new text, and in words what moved to the successor.
    public struct Completion: Sendable {
        public var files: [(path: String, text: String)]
        public var moved: [String]
    }

    /// The files a finished handover changes, with their new text, so that the records agree afterwards: the
    /// successor holds the role; counterpart links move on both sides; the leaver's knowledge, the deputies who
    /// are the leaver, the onboarding steps that meet the leaver and the open onboardings they are buddy in pass to
    /// the successor; the leaver keeps their
    /// leaving date (and counts as left from that day on, without another edit); the handover is complete.
    /// Throws when items are open, unless `force`.
    public static func complete(
        _ handover: Entity, in knowledgeBase: KnowledgeBase, force: Bool
    ) throws(Failure) -> Completion {
        guard let record = handover.handover else { throw Failure("\(handover.id) is not a handover") }
        guard record.status == .open else { throw Failure("\(handover.id) is already complete") }
        let open = tasks(of: handover).filter { !$0.done }
        if !open.isEmpty && !force {
            throw Failure("\(open.count) item(s) are still open: "
                + open.prefix(5).map { "\($0.number). \($0.text)" }.joined(separator: "; ")
                + (open.count > 5 ? "; …" : "") + " (tick them, or use --force)")
        }
        let target = knowledgeBase.target
        guard var leaver = target(record.from), var successor = target(record.to), let role = target(record.role),
            var outgoing = leaver.person, var incoming = successor.person
        else { throw Failure("\(handover.id) must name an existing role, from and to") }
        func reference(_ entity: Entity, _ kind: EntityKind) -> Reference {
            Reference(entity.shortID, line: 0, kinds: [kind])
        }
        func isLeaver(_ reference: Reference?) -> Bool { target(reference)?.id == leaver.id }
        var changed: [Entity] = []
        var moved: [String] = []

        // The role moves.
        outgoing.roles.removeAll { target($0)?.id == role.id }
        if !incoming.roles.contains(where: { target($0)?.id == role.id }) { incoming.roles.append(reference(role, .role)) }
        moved.append("\(successor.title) holds \(role.title)")
        // Counterpart links move, on both sides.
        if let counterpart = target(outgoing.counterpart), counterpart.id != successor.id,
            incoming.counterpart == nil || target(incoming.counterpart)?.id == leaver.id
        {
            incoming.counterpart = reference(counterpart, .person)
        }
        for var peer in knowledgeBase.entities(of: .person) where peer.id != leaver.id && peer.id != successor.id {
            guard var person = peer.person else { continue }
            var touched = false
            if isLeaver(person.counterpart) {
                person.counterpart = reference(successor, .person)
                moved.append("\(peer.title)'s counterpart is \(successor.title)")
                touched = true
            }
            if isLeaver(person.deputy) {
                person.deputy = reference(successor, .person)
                moved.append("\(peer.title)'s deputy is \(successor.title)")
                touched = true
            }
            if touched {
                peer.record = .person(person)
                changed.append(peer)
            }
        }
        if isLeaver(incoming.deputy) { incoming.deputy = nil }
        // The leaver stays until their last day: their leaving date says when they count as left.
        if let day = record.leaving { outgoing.leavingDate = day }
        if outgoing.leavingDate == nil { outgoing.status = .left }
        leaver.record = .person(outgoing)
        successor.record = .person(incoming)
        changed += [leaver, successor]
        // Knowledge changes hands.
        for var entry in knowledgeBase.entities(of: .knowledge) {
            guard var knowledge = entry.knowledge, isLeaver(knowledge.owner) else { continue }
            knowledge.owner = reference(successor, .person)
            entry.record = .knowledge(knowledge)
            changed.append(entry)
            moved.append("\(successor.title) owns \(entry.title)")
        }
        // Onboarding paths meet the successor instead.
        for var other in knowledgeBase.entities(of: .role) {
            guard var path = other.role, path.onboarding.contains(where: { $0.meet.contains(where: isLeaver) }) else { continue }
            for index in path.onboarding.indices {
                path.onboarding[index].meet = path.onboarding[index].meet.map { isLeaver($0) ? reference(successor, .person) : $0 }
            }
            other.record = .role(path)
            changed.append(other)
            moved.append("\(other.title)'s onboarding meets \(successor.title)")
        }
        // Open onboardings whose buddy was the leaver get the successor as buddy.
        for var other in knowledgeBase.entities(of: .onboarding) {
            guard var onboarding = other.onboarding, onboarding.status == .open, isLeaver(onboarding.buddy) else { continue }
            let newcomer = target(onboarding.person)
            onboarding.buddy = newcomer?.id == successor.id ? nil : reference(successor, .person)
            other.record = .onboarding(onboarding)
            changed.append(other)
            moved.append(onboarding.buddy == nil ? "\(other.title) has no buddy now" : "\(successor.title) is the buddy in \(other.title)")
        }
        var finished = record
        finished.status = .complete
        var done = handover
        done.record = .handover(finished)
        changed.append(done)
        return Completion(files: changed.map { ($0.path, $0.fileText()) }, moved: moved)
    }

    /// A completed handover or onboarding open again, so that its items can change (the records a handover's
    /// completion changed stay as it left them).
    public static func reopen(_ record: Entity) throws(Failure) -> (path: String, text: String) {
        var entity = record
        switch record.record {
        case .handover(var handover) where handover.status == .complete:
            handover.status = .open
            entity.record = .handover(handover)
        case .onboarding(var onboarding) where onboarding.status == .complete:
            onboarding.status = .open
            entity.record = .onboarding(onboarding)
        case .handover, .onboarding: throw Failure("\(record.id) is open already")
        default: throw Failure("\(record.id) is neither a handover nor an onboarding")
        }
        return (entity.path, entity.fileText())
    }
}

import BatonContent
import Foundation

/// What each kind of entity's page shows beyond its fields and body.
extension SiteBuilder {
    /// A link to `reference`'s page when this audience gets it, else its text.
    func referenceLink(_ reference: Reference?, root: String) -> [String: Any]? {
        guard let reference else { return nil }
        if case .found(let target) = knowledgeBase.resolve(reference) {
            return visible[target.id] != nil ? link(target, root: root) : hidden(target)
        }
        // `href: false`, not absent: Mustache would otherwise find an enclosing item's link.
        return ["title": reference.raw, "href": false]
    }

    /// What a page shows for an entity its audience may not see: its kind and level, nothing that identifies it.
    func hidden(_ target: Entity) -> [String: Any] {
        let level = target.confidentiality.rawValue
        let noun: String
        switch target.kind {
        case .role: noun = "role"
        case .person: noun = "person"
        case .checklist: noun = "checklist"
        case .handover: noun = "handover"
        case .onboarding: noun = "onboarding"
        case .knowledge: noun = "entry"
        }
        return ["title": (level == "internal" ? "an " : "a ") + level + " " + noun, "href": false]
    }

    /// Reading for an onboarding step: only what this audience gets — a restricted entry is not even named —
    /// with the plan section it is filed under.
    func readingLink(_ reference: Reference, root: String) -> [String: Any]? {
        if case .found(let target) = knowledgeBase.resolve(reference) {
            guard visible[target.id] != nil else { return nil }
            var item = link(target, root: root)
            item["section"] = target.knowledge?.section?.title ?? false
            return item
        }
        return ["title": reference.raw, "href": false]
    }

    /// Whether a person is still in the partnership on the build's day (not marked left, not past a leaving date).
    func isActive(_ person: Entity) -> Bool {
        guard let record = person.person else { return false }
        return !record.hasLeft(on: options.today)
    }

    /// Whom to meet for a step's `meet` entry, by name: a role's holders this audience may see (each with the
    /// role), else the role itself; a person as themselves.
    func meetLinks(_ reference: Reference, root: String) -> [[String: Any]] {
        guard case .found(let target) = knowledgeBase.resolve(reference), visible[target.id] != nil else {
            return referenceLink(reference, root: root).map { [$0] } ?? []
        }
        guard let role = target.role else { return [link(target, root: root)] }
        let people = (holders[target.id] ?? []).filter(isActive)
        if people.isEmpty { return [link(target, root: root)] }
        let side = knowledgeBase.config.organisation(role.organisation)?.name
        return people.map { person in
            var item = link(person, root: root)
            item["title"] = person.title + " (" + role.title + (side.map { ", " + $0 } ?? "") + ")"
            return item
        }
    }

    /// Open handovers and onboardings this audience may see, with their progress.
    func underWay(_ records: [RecordUnderWay], root: String) -> [String: Any] {
        let shown = records.filter { visible[$0.entity.id] != nil }
        return [
            "underWay": shown.map { record -> [String: Any] in
                var item = link(record.entity, root: root)
                item["side"] = record.side
                item["done"] = record.progress.done
                item["total"] = record.progress.tasks.count
                item["overdue"] = record.progress.overdue.isEmpty ? false : record.progress.overdue.count
                return item
            },
            "hasUnderWay": !shown.isEmpty,
        ]
    }

    func extras(for entity: Entity, root: String) -> [String: Any] {
        var result = extrasByKind(for: entity, root: root)
        if entity.kind == .person {
            result.merge(underWay(knowledgeBase.recordsUnderWay(involving: entity, today: options.today), root: root)) { a, _ in a }
        } else if entity.kind == .role {
            result.merge(underWay(knowledgeBase.recordsUnderWay(for: entity, today: options.today), root: root)) { a, _ in a }
        }
        return result
    }

    /// The holders of a role's counterpart role on the other side, by name, with that role and organisation.
    func counterpartHolders(_ role: Role, root: String) -> [[String: Any]] {
        guard let reference = role.counterpart, case .found(let other) = knowledgeBase.resolve(reference),
            visible[other.id] != nil, let otherRole = other.role
        else { return [] }
        let side = knowledgeBase.config.organisation(otherRole.organisation)?.name
        return (holders[other.id] ?? []).filter(isActive).map { person in
            var item = link(person, root: root)
            item["role"] = otherRole.title + (side.map { ", " + $0 } ?? "")
            item["roleHref"] = root + Self.pagePath(other.id)
            return item
        }
    }

    private func extrasByKind(for entity: Entity, root: String) -> [String: Any] {
        switch entity.record {
        case .role(let role):
            let holders = self.holders[entity.id] ?? []
            let counterparts = counterpartHolders(role, root: root)
            return [
                "isRole": true,
                "onboarding": role.onboarding.sorted { $0.when < $1.when }.map { step -> [String: Any] in
                    [
                        "when": step.when.description,
                        "action": step.action,
                        "read": step.read.compactMap { readingLink($0, root: root) },
                        "meet": step.meet.flatMap { meetLinks($0, root: root) },
                        "hasRead": step.read.contains { readingLink($0, root: root) != nil },
                        "hasMeet": !step.meet.isEmpty,
                    ]
                },
                "hasOnboarding": !role.onboarding.isEmpty,
                "holders": holders.map { holder -> [String: Any] in
                    var item = link(holder, root: root)
                    // Absent keys, not nils: Mustache would look a missing value up in the enclosing item.
                    item["deputy"] = referenceLink(holder.person?.deputy, root: root) ?? false
                    item["successor"] = referenceLink(holder.person?.successor, root: root) ?? false
                    return item
                },
                "hasHolders": !holders.isEmpty,
                // The peers on the other side, by name.
                "counterparts": counterparts,
                "hasCounterparts": !counterparts.isEmpty,
                "checklistLink": role.checklist.flatMap { referenceLink($0, root: root) } ?? false,
            ]
        case .person(let person):
            let owned = self.owned[entity.id] ?? []
            var badges: [String] = []
            if person.keyPerson && person.successor == nil { badges.append("No successor") }
            if let leaving = person.leavingDate {
                let days = options.today.days(until: leaving)
                if days >= 0 && days <= knowledgeBase.config.continuity.leavingWindowDays { badges.append("Leaving on \(leaving)") }
            }
            // Whom they cover for: the people who name them as deputy or successor.
            let deputyFor = (self.deputyFor[entity.id] ?? []).map { link($0, root: root) }
            let successorFor = (self.successorFor[entity.id] ?? []).map { link($0, root: root) }
            return ["isPerson": true, "owns": owned.map { link($0, root: root) }, "hasOwned": !owned.isEmpty,
                    "badges": badges.map { ["text": $0] },
                    "deputyFor": deputyFor, "hasDeputyFor": !deputyFor.isEmpty,
                    "successorFor": successorFor, "hasSuccessorFor": !successorFor.isEmpty]
        case .handover, .onboarding:
            let progress = Handovers.progress(of: entity, today: options.today, unsectioned: "Tasks")
            let (tasks, done, overdue) = (progress.tasks, progress.done, progress.overdue)
            let sections = progress.sections.map { ($0.name, $0.done, $0.total) }
            var when: Any = false
            if let last = entity.handover?.leaving {
                let days = options.today.days(until: last)
                when = days > 1 ? "\(days) days to the last day, \(last)." : days == 1 ? "The last day, \(last), is tomorrow."
                    : days == 0 ? "Today, \(last), is the last day." : "The last day, \(last), was \(-days) day\(days == -1 ? "" : "s") ago."
            } else if let start = entity.onboarding?.start {
                let days = start.days(until: options.today)
                when = days >= 0 ? "Started on \(start), \(days) day\(days == 1 ? "" : "s") ago." : "Starts on \(start)."
            }
            return [
                "isTracked": true,
                "when": when,
                "done": done, "total": tasks.count,
                "percent": tasks.isEmpty ? 0 : done * 100 / tasks.count,
                "sections": sections.map { ["name": $0.0, "done": $0.1, "total": $0.2] },
                "hasOverdue": !overdue.isEmpty,
                "overdue": overdue.map { task -> [String: Any] in
                    ["text": task.text, "due": task.due?.description ?? ""]
                },
            ]
        case .knowledge:
            var result: [String: Any] = ["isKnowledge": true]
            if let review = entity.reviewBy, review < options.today {
                result["overdueReview"] = review.description
            }
            return result
        case .checklist:
            return [:]
        }
    }
}

import BatonContent
import Foundation

/// What each kind of entity's page shows beyond its fields and body.
extension SiteBuilder {
    /// A link to `reference`'s page when this audience gets it, else its text.
    func referenceLink(_ reference: Reference?, root: String) -> Link? {
        guard let reference else { return nil }
        if case .found(let target) = knowledgeBase.resolve(reference) {
            return visible[target.id] != nil ? link(target, root: root) : hidden(target)
        }
        return Link(title: reference.raw)
    }

    /// What a page shows for an entity its audience may not see: its kind and level, nothing that identifies it.
    func hidden(_ target: Entity) -> Link {
        let level = target.confidentiality.rawValue
        let noun: String
        switch target.kind {
        case .role: noun = "role"
        case .person: noun = "person"
        case .checklist: noun = "checklist"
        case .handover: noun = "handover"
        case .onboarding: noun = "onboarding"
        case .knowledge: noun = "entry"
        case .healthcheck: noun = "health check"
        case .kpi: noun = "KPI"
        }
        return Link(title: (level == "internal" ? "an " : "a ") + level + " " + noun)
    }

    /// Reading for an onboarding step: only what this audience gets — a restricted entry is not even named —
    /// with the plan section it is filed under.
    func readingLink(_ reference: Reference, root: String) -> NotedLink? {
        if case .found(let target) = knowledgeBase.resolve(reference) {
            guard visible[target.id] != nil else { return nil }
            return NotedLink(link: link(target, root: root), notes: target.knowledge?.section.map { ["section": $0.title] } ?? [:])
        }
        return NotedLink(link: Link(title: reference.raw), notes: [:])
    }

    /// Whether a person is still in the partnership on the build's day (not marked left, not past a leaving date).
    func isActive(_ person: Entity) -> Bool {
        guard let record = person.person else { return false }
        return !record.hasLeft(on: options.today)
    }

    /// Whom to meet for a step's `meet` entry, by name: a role's holders this audience may see (each with the
    /// role), else the role itself; a person as themselves.
    func meetLinks(_ reference: Reference, root: String) -> [Link] {
        guard case .found(let target) = knowledgeBase.resolve(reference), visible[target.id] != nil else {
            return referenceLink(reference, root: root).map { [$0] } ?? []
        }
        guard let role = target.role else { return [link(target, root: root)] }
        let people = (holders[target.id] ?? []).filter(isActive)
        if people.isEmpty { return [link(target, root: root)] }
        let side = knowledgeBase.config.organisation(role.organisation)?.name
        return people.map { person in
            var item = link(person, root: root)
            item.title = person.title + " (" + role.title + (side.map { ", " + $0 } ?? "") + ")"
            return item
        }
    }

    /// Open handovers and onboardings this audience may see that a person takes part in or that fill a role,
    /// with their progress.
    func underWay(of entity: Entity, root: String) -> [ProgressLink] {
        let records: [RecordUnderWay]
        switch entity.kind {
        case .person: records = knowledgeBase.recordsUnderWay(involving: entity, today: options.today)
        case .role: records = knowledgeBase.recordsUnderWay(for: entity, today: options.today)
        default: return []
        }
        return records.filter { visible[$0.entity.id] != nil }.map { record in
            ProgressLink(link: link(record.entity, root: root), done: record.progress.done,
                         total: record.progress.tasks.count, overdue: record.progress.overdue.count, side: record.side)
        }
    }

    /// The holders of a role's counterpart role on the other side, by name, with that role and organisation.
    func counterpartHolders(_ role: Role, root: String) -> [NotedLink] {
        guard let reference = role.counterpart, case .found(let other) = knowledgeBase.resolve(reference),
            visible[other.id] != nil, let otherRole = other.role
        else { return [] }
        let side = knowledgeBase.config.organisation(otherRole.organisation)?.name
        return (holders[other.id] ?? []).filter(isActive).map { person in
            NotedLink(link: link(person, root: root), notes: [
                "role": otherRole.title + (side.map { ", " + $0 } ?? ""), "roleHref": root + Self.pagePath(other.id),
            ])
        }
    }

    func extras(for entity: Entity, root: String) -> EntityPage.Extras {
        switch entity.record {
        case .role(let role):
            return .role(EntityPage.RoleParts(
                onboarding: role.onboarding.sorted { $0.when < $1.when }.map { step in
                    EntityPage.RoleParts.Step(
                        when: step.when.description, action: step.action,
                        read: step.read.compactMap { readingLink($0, root: root) },
                        meet: step.meet.flatMap { meetLinks($0, root: root) })
                },
                holders: (holders[entity.id] ?? []).map { holder in
                    EntityPage.RoleParts.Holder(
                        link: link(holder, root: root),
                        deputy: referenceLink(holder.person?.deputy, root: root),
                        successor: referenceLink(holder.person?.successor, root: root))
                },
                // The peers on the other side, by name.
                counterparts: counterpartHolders(role, root: root),
                checklist: role.checklist.flatMap { referenceLink($0, root: root) }))
        case .person(let person):
            var badges: [String] = []
            if person.keyPerson && person.successor == nil { badges.append("No successor") }
            if let leaving = person.leavingDate {
                let days = options.today.days(until: leaving)
                if days >= 0 && days <= knowledgeBase.config.continuity.leavingWindowDays { badges.append("Leaving on \(leaving)") }
            }
            // Whom they cover for: the people who name them as deputy or successor.
            return .person(EntityPage.PersonParts(
                owns: (owned[entity.id] ?? []).map { link($0, root: root) },
                badges: badges.map(TextItem.init),
                deputyFor: (deputyFor[entity.id] ?? []).map { link($0, root: root) },
                successorFor: (successorFor[entity.id] ?? []).map { link($0, root: root) }))
        case .handover, .onboarding:
            let progress = Handovers.progress(of: entity, today: options.today, unsectioned: "Tasks")
            var when: String?
            if let last = entity.handover?.leaving {
                let days = options.today.days(until: last)
                when = days > 1 ? "\(days) days to the last day, \(last)." : days == 1 ? "The last day, \(last), is tomorrow."
                    : days == 0 ? "Today, \(last), is the last day." : "The last day, \(last), was \(-days) day\(days == -1 ? "" : "s") ago."
            } else if let start = entity.onboarding?.start {
                let days = start.days(until: options.today)
                when = days >= 0 ? "Started on \(start), \(days) day\(days == 1 ? "" : "s") ago." : "Starts on \(start)."
            }
            return .tracked(EntityPage.TrackedParts(
                when: when, done: progress.done, total: progress.tasks.count,
                sections: progress.sections.map { EntityPage.TrackedParts.Section(name: $0.name, done: $0.done, total: $0.total) },
                overdue: progress.overdue.map { EntityPage.TrackedParts.Task(text: $0.text, due: $0.due?.description ?? "") }))
        case .knowledge:
            return .knowledge(overdueReview: entity.reviewBy.flatMap { $0 < options.today ? $0.description : nil })
        case .healthcheck(let check):
            let config = knowledgeBase.config
            let organisations = config.organisations.map(\.id).filter { check.side($0) != nil }
                + check.sides.map(\.organisation).filter { config.organisation($0) == nil }
            let dimensions = config.health.dimensions + check.sides.flatMap { $0.scores.map(\.dimension) }
                .filter { !config.health.dimensions.contains($0) }
            var seen = Set<String>()
            return .health(EntityPage.HealthParts(
                organisations: organisations.map { config.organisation($0)?.name ?? $0 },
                rows: dimensions.filter { seen.insert($0).inserted }.map { dimension in
                    EntityPage.HealthParts.Row(name: dimension.prefix(1).uppercased() + dimension.dropFirst(), cells: organisations.map { id in
                        check.side(id)?.score(dimension).map(HealthScore.text) ?? "–"
                    })
                },
                respondents: organisations.map { id in check.side(id)?.respondentCount.map(String.init) ?? "–" }))
        case .kpi:
            guard let indicator = KPIReport(knowledgeBase: knowledgeBase, today: options.today, audience: options.audience)
                .indicator(entity.shortID), !indicator.measurements.isEmpty
            else { return .none }
            return .kpi(kpiView(indicator, root: root))
        case .checklist:
            return .none
        }
    }
}

/// A dated onboarding plan for someone starting in a role: the role's steps on working days from a start date,
/// with the people to meet and the reading resolved to names and titles.
public struct OnboardingPlan: Sendable {
    public struct Contact: Sendable, Equatable {
        public var id: String
        public var name: String
        public var organisation: String
        /// Why to meet them: "holds Relationship Manager", "deputy of Gareth Lowe", …
        public var relation: String
    }

    public struct Reading: Sendable, Equatable {
        public var id: String
        public var title: String
    }

    public struct Step: Sendable {
        public var when: StepTime
        public var date: Day
        public var action: String
        public var read: [Reading]
        public var meet: [Contact]
    }

    public struct Meeting: Sendable, Equatable {
        public var name: String
        public var frequency: String?
        public var format: String?
    }

    public var role: String
    public var roleTitle: String
    public var organisation: String
    public var person: (id: String, name: String)?
    public var start: Day
    public var steps: [Step]
    public var contacts: [Contact]
    public var meetings: [Meeting]
    /// Reading left out because the person's audience may not see it.
    public var withheldReading: Int
    /// The partnership's vision and guiding principles, read before anything else.
    public var vision: String?
    public var principles: [String] = []
    /// The open handover into this role for the person, if there is one.
    public var handover: (id: String, title: String, done: Int, total: Int)?

    /// The working day that is the `number`th counted from `start` (day 1 is `start`, or the next working day
    /// when `start` is not one), by the knowledge base's calendar (Monday to Friday unless it says otherwise).
    public static func workingDay(_ number: Int, from start: Day, calendar: WorkingCalendar = WorkingCalendar(),
                                  organisation: String? = nil) -> Day {
        calendar.workingDay(number, from: start, organisation: organisation)
    }

    /// Builds the plan for `role`. `audience` limits the reading list; a person from another organisation than
    /// the knowledge base's home also never sees entries marked `sharing: cannot`.
    public static func make(
        role roleEntity: Entity, person personEntity: Entity?, start: Day, audience: Confidentiality,
        in knowledgeBase: KnowledgeBase
    ) -> OnboardingPlan? {
        guard let role = roleEntity.role else { return nil }
        let target = knowledgeBase.target
        func organisationName(_ id: String) -> String { knowledgeBase.config.organisation(id)?.name ?? id }
        let calendar = knowledgeBase.config.calendar
        let analyzer = ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: start)
        func contact(_ person: Entity, _ relation: String) -> Contact {
            Contact(id: person.id, name: person.title, organisation: organisationName(person.person?.organisation ?? ""),
                    relation: relation)
        }
        let outsider = personEntity.map { ($0.person?.organisation ?? "") != (knowledgeBase.config.home ?? "") } ?? false
        var withheld: Set<String> = []
        func readable(_ entity: Entity) -> Bool {
            if entity.confidentiality > audience { return false }
            if outsider && entity.knowledge?.sharing == .cannot { return false }
            return true
        }

        // Everyone to meet in the role's first weeks.
        var contacts: [Contact] = []
        var seen: Set<String> = []
        func meet(_ person: Entity, _ relation: String) {
            guard person.id != personEntity?.id, analyzer.isActive(person), seen.insert(person.id).inserted else { return }
            contacts.append(contact(person, relation))
        }
        let holders = analyzer.holders(of: roleEntity)
        for holder in holders { meet(holder, "holds \(role.title)") }
        for holder in holders {
            if let deputy = target(holder.person?.deputy) { meet(deputy, "deputy of \(holder.title)") }
        }
        if let counterpart = target(role.counterpart) {
            for holder in analyzer.holders(of: counterpart) {
                meet(holder, "counterpart: holds \(counterpart.title), \(organisationName(counterpart.role?.organisation ?? ""))")
            }
        }
        if let manager = target(role.reportsTo) {
            for holder in analyzer.holders(of: manager) { meet(holder, "the role reports to \(manager.title)") }
        }

        let steps = role.onboarding.map { step -> Step in
            let reading = step.read.compactMap(target).filter { entity in
                if readable(entity) { return true }
                withheld.insert(entity.id)
                return false
            }.map { Reading(id: $0.id, title: $0.title) }
            var people: [Contact] = []
            for reference in step.meet {
                guard let entity = target(reference) else { continue }
                if entity.kind == .role {
                    for holder in analyzer.holders(of: entity) where holder.id != personEntity?.id {
                        people.append(contact(holder, "holds \(entity.title)"))
                    }
                } else if analyzer.isActive(entity) {
                    people.append(contact(entity, "named in the step"))
                }
            }
            return Step(when: step.when, date: workingDay(step.when.workingDay, from: start, calendar: calendar,
                                                          organisation: role.organisation), action: step.action,
                        read: reading, meet: people)
        }.sorted { $0.when < $1.when }

        let meetings = knowledgeBase.config.governance.filter { $0.tier == role.tier }.flatMap(\.meetings).map {
            Meeting(name: $0.name, frequency: $0.frequency?.rawValue, format: $0.format)
        }
        var handover: (String, String, Int, Int)?
        if let personEntity {
            for entity in knowledgeBase.entities(of: .handover) where entity.handover?.status == .open {
                guard target(entity.handover?.to)?.id == personEntity.id else { continue }
                let tasks = entity.markdown.tasks
                handover = (entity.id, entity.title, tasks.filter(\.isChecked).count, tasks.count)
            }
        }
        return OnboardingPlan(
            role: roleEntity.id, roleTitle: role.title, organisation: organisationName(role.organisation),
            person: personEntity.map { ($0.id, $0.title) },
            start: workingDay(1, from: start, calendar: calendar, organisation: role.organisation), steps: steps,
            contacts: contacts, meetings: meetings, withheldReading: withheld.count,
            vision: knowledgeBase.config.vision, principles: knowledgeBase.config.principles, handover: handover)
    }
}

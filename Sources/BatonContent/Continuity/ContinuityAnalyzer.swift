/// Works out the continuity report of a knowledge base on a given day, optionally as if someone left.
public struct ContinuityAnalyzer {
    public let knowledgeBase: KnowledgeBase
    public let today: Day
    public let settings: ContinuitySettings
    /// Simulated departures: person id → last day. A simulated leaver counts as gone: the report shows the
    /// partnership after they left.
    public var departures: [String: Day] = [:]

    public init(knowledgeBase: KnowledgeBase, today: Day, settings: ContinuitySettings? = nil) {
        self.knowledgeBase = knowledgeBase
        self.today = today
        self.settings = settings ?? knowledgeBase.config.continuity
    }

    private var windowEnd: Day { today.adding(days: settings.leavingWindowDays) }

    // MARK: People as the report sees them

    func leavingDate(_ person: Entity) -> Day? {
        departures[person.id] ?? person.person?.leavingDate
    }

    /// Gone: marked as left, or their leaving date has passed.
    func hasLeft(_ person: Entity) -> Bool {
        departures[person.id] != nil || (person.person?.hasLeft(on: today) ?? false)
    }

    /// Leaving within the window (and not gone yet).
    func isLeavingSoon(_ person: Entity) -> Bool {
        guard !hasLeft(person), let date = leavingDate(person) else { return false }
        return date <= windowEnd
    }

    func isActive(_ person: Entity) -> Bool { !hasLeft(person) }

    private func target(_ reference: Reference?) -> Entity? { knowledgeBase.target(reference) }

    /// Active people who hold `role`.
    func holders(of role: Entity) -> [Entity] {
        knowledgeBase.entities(of: .person).filter { person in
            isActive(person) && (person.person?.roles ?? []).contains { target($0)?.id == role.id }
        }
    }

    // MARK: The report

    public func report() -> ContinuityReport {
        var findings: [ContinuityReport.Finding] = []
        func add(_ rule: String, _ entity: Entity?, file: String? = nil, line: Int? = nil, _ message: String,
                 _ hint: String) {
            let base = ContinuityReport.rules.first { $0.id == rule }!.severity
            let configured = settings.severities[rule]
            guard let severity = configured ?? base else { return }
            findings.append(.init(severity: severity, rule: rule, entity: entity?.id ?? "", file: file ?? entity?.path ?? "",
                                  line: line, message: message, hint: hint))
        }
        let people = knowledgeBase.entities(of: .person)
        let roles = knowledgeBase.entities(of: .role)
        let handovers = knowledgeBase.entities(of: .handover)
        let knowledge = knowledgeBase.entities(of: .knowledge)
        let openHandovers = handovers.filter { $0.handover?.status == .open }

        for entity in people {
            guard let person = entity.person, isActive(entity) else { continue }
            let line = { (key: String) in entity.frontMatter.pair(key)?.line }
            let held = person.roles.compactMap(target).filter { $0.kind == .role }
            // A person works for one side: a role of the other is a mistake in the records or a conflict.
            for role in held where !person.organisation.isEmpty && role.role?.organisation != person.organisation {
                let theirs = knowledgeBase.config.organisation(person.organisation)?.name ?? person.organisation
                let other = role.role.flatMap { knowledgeBase.config.organisation($0.organisation)?.name } ?? "the other side"
                add("holder-other-side", entity, line: line("roles"),
                    "\(person.name) (\(theirs)) holds \(role.title), a role of \(other)",
                    "give the role to someone at \(other), or correct \(entity.shortID)'s organisation")
            }
            // Service delivery, transformation, relationship and commercial management each want their own person.
            let disciplines = Set(held.compactMap { $0.role?.function }.filter { RoleFunction.managementDisciplines.contains($0) })
            if disciplines.count >= 2 {
                let names = disciplines.map(\.rawValue).sorted().joined(separator: " and ")
                add("disciplines-combined", entity, line: line("roles"),
                    "\(person.name) holds the \(names) disciplines at once; each wants a different person",
                    "hand one of the roles to someone else (or accept it for a while, and set the rule to note)")
            }
            if isLeavingSoon(entity),
                // Started: open, or already complete (the leaver stays until their last day).
                !handovers.contains(where: { target($0.handover?.from)?.id == entity.id })
            {
                add("leaving-no-handover", entity, line: line("leaving_date"),
                    "\(person.name) leaves on \(leavingDate(entity)!) and no handover from them has started",
                    "start one: baton handover start --from \(entity.shortID) --to SUCCESSOR")
            }
            if person.keyPerson {
                if target(person.successor) == nil {
                    add("key-person-no-successor", entity, line: line("key_person"),
                        "\(person.name) is a key person with no successor", "name a successor in \(entity.path)")
                }
                if target(person.deputy) == nil {
                    add("key-person-no-deputy", entity, line: line("key_person"),
                        "\(person.name) is a key person with no deputy", "name a deputy in \(entity.path)")
                }
                if let deputy = target(person.deputy), deputy.id == target(person.successor)?.id {
                    add("deputy-is-successor", entity, line: line("deputy"),
                        "\(person.name)'s deputy is also their successor (\(deputy.title))",
                        "when they leave, nobody covers the successor's own work; consider a second deputy")
                }
            }
            for (field, reference) in [("successor", person.successor), ("deputy", person.deputy)] {
                guard let cover = target(reference), cover.kind == .person else { continue }
                if hasLeft(cover) || isLeavingSoon(cover) {
                    let when = hasLeft(cover) ? "has left" : "leaves on \(leavingDate(cover)!)"
                    add("cover-leaving", entity, line: line(field),
                        "\(person.name)'s \(field) \(cover.title) \(when)", "name another \(field)")
                }
            }
        }

        var rolesWithPath = 0
        var tiersUsed: Set<Tier> = []
        for entity in roles {
            guard let role = entity.role else { continue }
            if let tier = role.tier { tiersUsed.insert(tier) }
            let holders = holders(of: entity)
            // A person file that cannot be read may hold the role: holders are not judged until it can (its
            // own error says why).
            let judged = !knowledgeBase.unreadableIDs.values.contains(.person)
            if judged, holders.isEmpty {
                add("role-no-holder", entity, line: 1, "nobody holds the role \(role.title)",
                    "add the role to someone's record (roles: [\(entity.shortID)])")
            } else if judged, holders.count == 1, target(holders[0].person?.deputy) == nil {
                add("role-single-holder", entity, line: 1,
                    "\(holders[0].title) is the only holder of \(role.title) and has no deputy",
                    "name a deputy for \(holders[0].shortID), or a second holder")
            }
            if role.onboarding.isEmpty {
                add("role-no-onboarding", entity, line: entity.frontMatter.pair("onboarding")?.line ?? 1,
                    "\(role.title) has no onboarding path", "add onboarding steps (when, do, read, meet)")
            } else {
                rolesWithPath += 1
            }
            if let counterpartRole = target(role.counterpart) {
                for holder in holders {
                    let partner = target(holder.person?.counterpart)
                    // The pair exists from either side: a person holding two roles names one counterpart, and
                    // the peer of the other role may name them.
                    let holdsCounterpartRole = { (person: Entity) in
                        (person.person?.roles ?? []).contains { self.target($0)?.id == counterpartRole.id }
                    }
                    let partnerHoldsCounterpart = partner.map(holdsCounterpartRole) ?? false
                        || self.holders(of: counterpartRole).contains { target($0.person?.counterpart)?.id == holder.id }
                    if !partnerHoldsCounterpart {
                        add("peer-pair-missing", holder, line: holder.frontMatter.pair("counterpart")?.line,
                            "\(holder.title) holds \(role.title) but has no counterpart who holds \(counterpartRole.title)",
                            "set counterpart to a holder of \(counterpartRole.id)")
                    }
                }
            }
        }

        var reviewedOnTime = 0
        for entity in knowledge {
            if let due = entity.reviewBy, due < today {
                add("knowledge-review-overdue", entity, line: entity.frontMatter.pair("review_by")?.line,
                    "\(entity.title) was due for review on \(due)", "review it and move review_by on")
            } else {
                reviewedOnTime += 1
            }
            guard let owner = target(entity.knowledge?.owner) else {
                add("knowledge-no-owner", entity, line: entity.frontMatter.pair("owner")?.line ?? 1,
                    "\(entity.title) has no owner", "name an owner who keeps it true")
                continue
            }
            if hasLeft(owner) || isLeavingSoon(owner) {
                let when = hasLeft(owner) ? "has left" : "leaves on \(leavingDate(owner)!)"
                add("knowledge-owner-leaving", entity, line: entity.frontMatter.pair("owner")?.line,
                    "\(entity.title) is owned by \(owner.title), who \(when)",
                    "hand it over to a new owner (its review falls due then)")
            }
        }

        for entity in openHandovers {
            let tasks = Handovers.tasks(of: entity)
            let open = tasks.filter { !$0.done }
            if let leaving = entity.handover?.leaving, leaving < today {
                add("handover-overdue", entity, line: entity.frontMatter.pair("leaving")?.line,
                    "the handover was due to finish on \(leaving) and \(open.count) item(s) are still open",
                    "finish it: baton handover status \(entity.shortID)")
            } else if let late = open.first(where: { $0.due.map { $0 < today } ?? false }) {
                let count = open.filter { $0.due.map { $0 < today } ?? false }.count
                add("handover-overdue", entity, line: late.line,
                    "\(count) handover item(s) are past their due date, the first: \(late.text)",
                    "catch up: baton handover status \(entity.shortID)")
            }
        }

        let onboardings = knowledgeBase.entities(of: .onboarding)
        for entity in onboardings where entity.onboarding?.status == .open {
            let record = entity.onboarding!
            let late = Handovers.tasks(of: entity).filter { !$0.done && ($0.due.map { $0 < today } ?? false) }
            if let first = late.first {
                add("onboarding-overdue", entity, line: first.line,
                    "\(late.count) onboarding item(s) are past their due date, the first: \(first.text)",
                    "catch up: baton onboard status \(entity.shortID)")
            }
            if let buddy = target(record.buddy), buddy.kind == .person, hasLeft(buddy) || isLeavingSoon(buddy) {
                let when = hasLeft(buddy) ? "has left" : "leaves on \(leavingDate(buddy)!)"
                add("buddy-leaving", entity, line: entity.frontMatter.pair("buddy")?.line,
                    "\(entity.title): the buddy \(buddy.title) \(when)", "name another buddy in \(entity.path)")
            }
        }
        // Someone who started recently wants an onboarding record for each role they hold.
        let windowStart = today.adding(days: -settings.onboardingWindowDays)
        for entity in people {
            guard let person = entity.person, isActive(entity), let started = person.startDate,
                started >= windowStart, started <= today
            else { continue }
            for role in person.roles.compactMap(target) where role.kind == .role {
                let recorded = onboardings.contains {
                    target($0.onboarding?.person)?.id == entity.id && target($0.onboarding?.role)?.id == role.id
                }
                if !recorded {
                    add("onboarding-missing", entity, line: entity.frontMatter.pair("start_date")?.line,
                        "\(person.name) started on \(started) and has no onboarding record for \(role.title)",
                        "baton onboard start \(role.shortID) --person \(entity.shortID) --start \(started)")
                }
            }
        }

        let governed = Set(knowledgeBase.config.governance.filter { !$0.meetings.isEmpty }.map(\.tier))
        for tier in Tier.allCases where tiersUsed.contains(tier) && !governed.contains(tier) {
            add("tier-no-cadence", nil, file: KnowledgeBase.configFile,
                line: knowledgeBase.config.raw.pair("governance")?.line,
                "roles work at the \(tier.rawValue) tier but it has no meetings",
                "add the tier's meetings under governance: in baton.yml")
        }
        healthFindings { rule, entity, file, line, message, hint in add(rule, entity, file: file, line: line, message, hint) }
        escalationFindings { rule, entity, file, line, message, hint in add(rule, entity, file: file, line: line, message, hint) }

        // Key people still here, and those whose departure is being simulated (a departure must not improve the
        // figure by taking someone without a successor out of it); covered means a successor who stays.
        let keyPeople = people.filter { ($0.person?.keyPerson ?? false) && (isActive($0) || departures[$0.id] != nil) }
        let withSuccessor = keyPeople.filter { target($0.person?.successor).map(isActive) ?? false }.count
        func share(_ part: Int, _ whole: Int) -> Double? { whole == 0 ? nil : Double(part) / Double(whole) }
        findings.sort { ($0.severity, $0.rule, $0.file, $0.line ?? 0) < ($1.severity, $1.rule, $1.file, $1.line ?? 0) }
        return ContinuityReport(findings: findings, coverage: .init(
            keyPeopleWithSuccessor: share(withSuccessor, keyPeople.count),
            rolesWithOnboarding: share(rolesWithPath, roles.count),
            knowledgeReviewedOnTime: share(reviewedOnTime, knowledge.count)))
    }
}

extension Diagnostic.Severity {
    /// The name people see.
    public var label: String { self == .unreadable ? "error" : rawValue }
}

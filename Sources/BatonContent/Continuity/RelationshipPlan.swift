/// The Enterprise Relationship Management Plan as one document, for one audience, written as Markdown: who's
/// who by tier and discipline on both sides (from the roles and people), then the ten sections with the
/// knowledge filed under each (owner, IP, sharing, review state), the escalation ladder under management
/// activities, the cadence under communications, the exit triggers under exit arrangements, and a completeness
/// report: sections with no entry, entries overdue for review, roles without an onboarding path, key people
/// without a successor.
public struct RelationshipPlan {
    public let knowledgeBase: KnowledgeBase
    public let audience: Confidentiality
    public let today: Day

    public init(knowledgeBase: KnowledgeBase, audience: Confidentiality, today: Day) {
        self.knowledgeBase = knowledgeBase
        self.audience = audience
        self.today = today
    }

    /// Whether this audience sees `entity`.
    func sees(_ entity: Entity) -> Bool { entity.confidentiality <= audience }

    /// A person's name, or what they are when this audience does not see them.
    func name(_ reference: Reference?) -> String? {
        guard let person = knowledgeBase.target(reference) else { return reference?.raw }
        return sees(person) ? person.title : "a \(person.confidentiality.rawValue) person"
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// What the completeness report found, each a line.
    public struct Completeness: Sendable, Equatable {
        public var emptySections: [PlanSection]
        public var overdue: [String]
        public var rolesWithoutOnboarding: [String]
        public var keyPeopleWithoutSuccessor: [String]
        public var isComplete: Bool {
            emptySections.isEmpty && overdue.isEmpty && rolesWithoutOnboarding.isEmpty && keyPeopleWithoutSuccessor.isEmpty
        }
    }

    public func completeness() -> Completeness {
        let knowledge = knowledgeBase.entities(of: .knowledge).filter(sees)
        let analyzer = ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: today)
        return Completeness(
            emptySections: PlanSection.allCases.filter { section in !knowledge.contains { $0.knowledge?.section == section } },
            overdue: knowledge.filter { ($0.reviewBy.map { $0 < today }) ?? false }.sorted { $0.reviewBy! < $1.reviewBy! }
                .map { "\($0.title) (review was due \($0.reviewBy!))" },
            rolesWithoutOnboarding: knowledgeBase.entities(of: .role).filter(sees).filter { $0.role?.onboarding.isEmpty ?? true }.map(\.title),
            keyPeopleWithoutSuccessor: knowledgeBase.entities(of: .person).filter(sees).filter { person in
                (person.person?.keyPerson ?? false) && !analyzer.hasLeft(person)
                    && !(knowledgeBase.target(person.person?.successor).map { !analyzer.hasLeft($0) } ?? false)
            }.map(\.title))
    }

    public func markdown() -> String {
        let config = knowledgeBase.config
        var out = "# Relationship management plan: \(config.title)\n\n"
        let organisations = config.organisations.map { "\($0.name)" + ($0.side.map { " (\($0.rawValue))" } ?? "") }
        out += "Between " + organisations.joined(separator: " and ") + (config.phase.map { "; phase: \($0.rawValue)" } ?? "")
            + ". As of \(today), for a\(audience == .internal ? "n" : "") \(audience.rawValue) audience.\n\n"
        if let vision = config.vision { out += "**Why we partner.** \(vision)\n\n" }
        for principle in config.principles { out += "- \(principle)\n" }
        if !config.principles.isEmpty { out += "\n" }
        out += "## Contents\n\n"
        for section in PlanSection.allCases { out += "\(section.number). \(section.title)\n" }
        out += "\n"
        let knowledge = knowledgeBase.entities(of: .knowledge).filter(sees).sorted { $0.title < $1.title }
        for section in PlanSection.allCases {
            out += "## \(section.number). \(section.title)\n\n"
            var preamble = ""
            switch section {
            case .organisationalArrangements: preamble = whoIsWho()
            case .managementActivities: preamble = escalation() + kpis()
            case .communications: preamble = cadence()
            case .exitArrangements: preamble = exitTriggers()
            default: break
            }
            out += preamble
            if !preamble.isEmpty { out += "### Knowledge filed under \(section.title.lowercased())\n\n" }
            let entries = knowledge.filter { $0.knowledge?.section == section }
            if entries.isEmpty {
                out += "_No knowledge is filed under this section yet._\n\n"
                continue
            }
            out += "| Entry | Owner | IP | Sharing | Review |\n|---|---|---|---|---|\n"
            for entry in entries {
                let record = entry.knowledge!
                var review = record.reviewed.map { "reviewed \($0)" } ?? "not reviewed"
                if let due = entry.reviewBy { review += due < today ? "; **overdue since \(due)**" : "; due \(due)" }
                out += "| \(Self.cell(entry.title)) | \(Self.cell(name(record.owner) ?? "—")) | \(record.ip?.rawValue ?? "—") | "
                    + "\(record.sharing?.rawValue ?? "—") | \(review) |\n"
            }
            out += "\n"
        }
        out += "## Completeness\n\n"
        let report = completeness()
        if report.isComplete { out += "Every section has knowledge filed, nothing is overdue for review, every role has an onboarding path and every key person a successor.\n" }
        if !report.emptySections.isEmpty {
            out += "- Sections with no entry: " + report.emptySections.map { "\($0.number). \($0.title)" }.joined(separator: "; ") + "\n"
        }
        if !report.overdue.isEmpty { out += "- Overdue for review: " + report.overdue.joined(separator: "; ") + "\n" }
        if !report.rolesWithoutOnboarding.isEmpty { out += "- Roles without an onboarding path: " + report.rolesWithoutOnboarding.joined(separator: "; ") + "\n" }
        if !report.keyPeopleWithoutSuccessor.isEmpty {
            out += "- Key people without a successor: " + report.keyPeopleWithoutSuccessor.joined(separator: "; ") + "\n"
        }
        return out
    }

    /// Who's who: each tier and discipline with the role and its holders on each side; peer pairs; cover.
    func whoIsWho() -> String {
        let config = knowledgeBase.config
        let roles = knowledgeBase.entities(of: .role).filter(sees)
        let people = knowledgeBase.entities(of: .person).filter(sees)
        let analyzer = ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: today)
        var out = "### Who's who\n\n| Tier | Discipline | " + config.organisations.map { Self.cell($0.name) }.joined(separator: " | ") + " |\n"
        out += "|---|---|" + config.organisations.map { _ in "---|" }.joined() + "\n"
        for tier in Tier.allCases {
            for function in RoleFunction.allCases {
                let cells = config.organisations.map { organisation -> String in
                    roles.filter { $0.role?.tier == tier && $0.role?.function == function && $0.role?.organisation == organisation.id }
                        .map { role in
                            let holders = analyzer.holders(of: role).filter(sees).map(\.title)
                            return role.title + (holders.isEmpty ? " (vacant)" : ": " + holders.joined(separator: ", "))
                        }.joined(separator: "; ")
                }
                guard cells.contains(where: { !$0.isEmpty }) else { continue }
                out += "| \(tier.rawValue.capitalized) | \(function.rawValue) | " + cells.map { Self.cell($0.isEmpty ? "—" : $0) }.joined(separator: " | ") + " |\n"
            }
        }
        out += "\n### Peer pairs, deputies and successors\n\n| Person | Counterpart | Deputy | Successor |\n|---|---|---|---|\n"
        for person in people.filter({ !analyzer.hasLeft($0) }).sorted(by: { $0.title < $1.title }) {
            guard let record = person.person else { continue }
            out += "| \(Self.cell(person.title))\(record.keyPerson ? " (key person)" : "") | \(Self.cell(name(record.counterpart) ?? "—")) | "
                + "\(Self.cell(name(record.deputy) ?? "—")) | \(Self.cell(name(record.successor) ?? "—")) |\n"
        }
        return out + "\n"
    }

    func escalation() -> String {
        let ladder = EscalationLadder(knowledgeBase: knowledgeBase, today: today)
        guard !ladder.levels.isEmpty else { return "" }
        var out = "### Escalation ladder\n\nSettle an issue at the lowest level that can; then raise it one level at a time.\n\n"
        for level in ladder.levels {
            let who = level.seats.compactMap { seat -> String? in
                guard let role = knowledgeBase.entity(id: seat.role), sees(role) else { return nil }
                let names = seat.contacts.compactMap { contact -> String? in
                    guard let person = knowledgeBase.entity(id: contact.person) else { return nil }
                    return sees(person) ? contact.name + (contact.note.isEmpty ? "" : " (\(contact.note))") : "a \(person.confidentiality.rawValue) person"
                }
                return "\(seat.title), \(knowledgeBase.config.organisation(seat.organisation)?.name ?? seat.organisation): "
                    + (names.isEmpty ? "vacant" : names.joined(separator: ", "))
            }
            out += "\(level.number). **\(level.tier.rawValue.capitalized) tier**" + (level.respondWithin.map { ", respond within \($0)" } ?? "")
                + ". " + who.joined(separator: "; ") + ".\n"
        }
        return out + "\n"
    }

    /// The KPIs against their targets, for the KPIs whose measurements this audience may see.
    func kpis() -> String {
        let indicators = KPIReport(knowledgeBase: knowledgeBase, today: today, audience: audience).indicators.filter { $0.entity != nil }
        guard !indicators.isEmpty else { return "" }
        var out = "### Key performance indicators\n\n| KPI | Target | Owner | Latest | Status |\n|---|---|---|---|---|\n"
        for indicator in indicators {
            let definition = indicator.definition
            let owner = definition.owner.flatMap { reference -> String? in
                guard case .found(let role) = knowledgeBase.resolve(reference) else { return reference.raw }
                return sees(role) ? role.title : (role.confidentiality == .internal ? "an " : "a ") + role.confidentiality.rawValue + " role"
            } ?? "—"
            let latest = indicator.latest.map { "\(definition.text($0.value)) (\($0.period))" } ?? "not measured yet"
            let misses = indicator.missesRunning
            let status = indicator.latest == nil ? "—" : misses == 0 ? "on target" : misses == 1 ? "missed" : "**missed \(misses) periods running**"
            out += "| \(Self.cell(definition.name)) | \(indicator.targetText), \(definition.period.rawValue) | \(Self.cell(owner)) | \(latest) | \(status) |\n"
        }
        return out + "\n"
    }

    func cadence() -> String {
        let tiers = knowledgeBase.config.governance
        guard !tiers.isEmpty else { return "" }
        var out = "### Cadence\n\n| Tier | Meeting | Frequency | Format |\n|---|---|---|---|\n"
        for tier in tiers {
            for meeting in tier.meetings {
                out += "| \(tier.tier.rawValue.capitalized) | \(Self.cell(meeting.name)) | \(meeting.frequency?.rawValue ?? "—") | \(Self.cell(meeting.format ?? "—")) |\n"
            }
        }
        return out + "\n"
    }

    func exitTriggers() -> String {
        let config = knowledgeBase.config
        guard !config.exitTriggers.isEmpty else { return "" }
        let report = HealthReport(knowledgeBase: knowledgeBase, today: today, audience: audience)
        let kpis = KPIReport(knowledgeBase: knowledgeBase, today: today, audience: audience)
        var out = "### Exit triggers\n\n"
        for trigger in config.exitTriggers {
            var line = "- \(trigger)"
            // Whether it is met comes from the health checks and KPIs, which a public reader does not see; an
            // internal reader learns only from what it may see.
            if audience != .public, let condition = config.exitConditions.first(where: { $0.text == trigger }) {
                line += condition.fires(health: report, kpis: kpis) ? " **(checked by Baton: met)**" : " _(checked by Baton: not met)_"
            }
            out += line + "\n"
        }
        return out + "\n"
    }
}

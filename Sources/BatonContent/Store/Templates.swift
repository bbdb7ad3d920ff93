/// The text of new files: an entity of each kind with every field present and explained, and the settings of a
/// new knowledge base. What `baton new` and `baton init` write.
public enum Templates {
    /// Why a new entity cannot be made with the id given.
    public enum IDError: Error, Sendable, CustomStringConvertible {
        case invalid(String)
        case needsSection(String)
        case unknownSection(String)

        public var description: String {
            switch self {
            case .invalid(let id):
                return "'\(id)' is not a usable id: use lower-case letters, digits and hyphens (e.g. exit-plan)"
            case .needsSection(let id):
                return "a knowledge entry's id names its plan section first: SECTION/\(id), with SECTION one of: "
                    + PlanSection.allowedList
            case .unknownSection(let section):
                return "'\(section)' is not a plan section; use one of: \(PlanSection.allowedList)"
            }
        }
    }

    /// The full id (`roles/x`) and file path (`content/roles/x.md`) for a new entity named `id` by a user, who may
    /// or may not have written the kind's folder in front.
    public static func location(kind: EntityKind, id rawID: String) throws(IDError) -> (id: String, path: String) {
        var id = rawID.trimmingSpaces
        if id.hasSuffix(".md") { id.removeLast(3) }
        if id.hasPrefix(kind.directory + "/") { id.removeFirst(kind.directory.count + 1) }
        guard !id.isEmpty, Validator.isValidID(id) else { throw .invalid(rawID) }
        if kind == .knowledge {
            let parts = id.split(separator: "/")
            guard parts.count == 2 else { throw .needsSection(id) }
            guard PlanSection(rawValue: String(parts[0])) != nil else { throw .unknownSection(String(parts[0])) }
        }
        let full = kind.directory + "/" + id
        return (full, KnowledgeBase.contentDirectory + "/" + full + ".md")
    }

    /// A readable title from an id: `client-service-manager` → `Client service manager`.
    /// With `eachWord`, every word is capitalised, as in a name: `amara-okafor` → `Amara Okafor`.
    public static func title(fromID id: String, eachWord: Bool = false) -> String {
        let name = id.split(separator: "/").last.map(String.init) ?? id
        let words = name.split(whereSeparator: { $0 == "-" || $0 == "_" })
        if eachWord { return words.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " ") }
        let joined = words.joined(separator: " ")
        return joined.prefix(1).uppercased() + joined.dropFirst()
    }

    /// The text of a new entity file with every field present and commented.
    public static func entity(kind: EntityKind, id: String, title: String?, config: Config, today: Day? = nil) -> String {
        var name = title ?? Self.title(fromID: id, eachWord: kind == .person)
        let organisations = config.organisations.map(\.id)
        let organisation = config.home ?? organisations.first ?? ""
        let orgHint = organisations.isEmpty ? "an organisation id from baton.yml" : organisations.joined(separator: ", ")
        var lines: [(String, String)] = []
        var body = ""
        switch kind {
        case .role:
            lines = [
                ("title: \(q(name))", "the role's name"),
                ("organisation: \(organisation)", orgHint),
                ("tier: operational", Tier.allowedList),
                ("function:", RoleFunction.allowedList),
                ("counterpart:", "the peer role on the other side, e.g. roles/supplier-service-manager"),
                ("reports_to:", "the role this one reports to"),
                ("responsibilities: []", "what the role is accountable for, one item each"),
                ("skills: []", "what someone needs to do it well"),
                ("outcomes: []", "what success looks like after a year"),
                ("onboarding: []", "steps: - {when: day 1, do: ..., read: [knowledge ids], meet: [people or roles]}"),
                ("checklist:", "the handover checklist template, e.g. checklists/standard-handover"),
            ]
            body = "\n## Purpose\n\nWhy the role exists and what the partnership would miss without it.\n\n"
                + "## Mindset\n\nHow someone in this role works with the other side.\n"
        case .person:
            lines = [
                ("name: \(q(name))", "full name"),
                ("organisation: \(organisation)", orgHint),
                ("roles: []", "role ids this person holds"),
                ("deputy:", "who covers when this person is away (a person id)"),
                ("successor:", "who takes over when this person leaves (a person id)"),
                ("counterpart:", "this person's peer on the other side (a person id)"),
                ("key_person: false", "true if the partnership depends on this person"),
                ("start_date:", "YYYY-MM-DD"),
                ("leaving_date:", "YYYY-MM-DD, when known"),
                ("status: active", PersonStatus.allowedList),
                ("contact:", "personal data, published only to a restricted audience"),
                ("  email:", ""),
                ("  phone:", ""),
            ]
            body = "\nWhat this person knows that nobody else does, and how to work with them.\n"
        case .checklist:
            lines = [
                ("title: \(q(name))", "the checklist's name"),
                ("role:", "the role this template is for, if one (a role id)"),
            ]
            body = "\n## Before the last day\n\n- [ ] Agree the handover plan with the successor and the manager\n"
                + "\n## On the last day\n\n- [ ] Hand over access, documents and open actions\n"
                + "\n## After\n\n- [ ] The successor confirms they have what they need\n"
        case .handover:
            lines = [
                ("title: \(q(name))", "what is being handed over"),
                ("role:", "the role being handed over (a role id)"),
                ("from:", "the person leaving the role (a person id)"),
                ("to:", "the person taking it on (a person id)"),
                ("template:", "the checklist the items came from (a checklist id)"),
                ("started:", "YYYY-MM-DD"),
                ("leaving:", "YYYY-MM-DD, the outgoing person's last day"),
                ("status: open", HandoverStatus.allowedList),
            ]
            body = "\n## Handover\n\n- [ ] Agree the plan\n"
        case .onboarding:
            lines = [
                ("title: \(q(name))", "whose onboarding into which role"),
                ("role:", "the role being taken up (a role id)"),
                ("person:", "the person starting (a person id)"),
                ("buddy:", "who helps them in their first weeks (a person id)"),
                ("start:", "YYYY-MM-DD, the first day in the role"),
                ("status: open", OnboardingStatus.allowedList),
            ]
            body = "\n## Week 1\n\n- [ ] Meet the team (owner: newcomer, due: YYYY-MM-DD)\n"
        case .healthcheck:
            let scores = config.health.dimensions.map { "\($0): 3" }.joined(separator: ", ")
            lines = [("title: \(q(name))", "e.g. Relationship health check, June 2026"), ("date:", "YYYY-MM-DD, when it was held")]
            lines.append(("respondents:", "per organisation: how many answered, or a list of people ids"))
            for id in organisations { lines.append(("  \(id): 0", "")) }
            lines.append(("scores:", "per organisation, each dimension from 1 to 5"))
            for id in organisations { lines.append(("  \(id): {\(scores)}", "")) }
            body = "\n## Findings\n\nWhat the scores and comments say, on each side.\n"
                + "\n## Actions\n\n- [ ] What will change (owner: a person id, due: YYYY-MM-DD)\n"
        case .kpi:
            let definition = config.kpi(id.split(separator: "/").last.map(String.init) ?? id)
            // The period to fill in first: the last one that has ended.
            let period = KPIPeriod(kind: definition?.period ?? .quarterly, containing: today ?? Day(year: 2026, month: 1, day: 1)!).previous
            name = title ?? definition?.name ?? name
            lines = [("title: \(q(name))", "the KPI's name (its target, unit and owner are under kpis: in baton.yml)"),
                     ("measurements:", "the value for each period: a month 2026-03, a quarter 2026-Q1, a year 2026"),
                     ("  \(period): 0", "")]
            body = "\n## How it is measured\n\nWhere the figures come from and who reports them.\n"
                + "\n## Notes\n\nWhat explains a period's figure.\n"
        case .knowledge:
            let section = id.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            lines = [
                ("title: \(q(name))", "the entry's title"),
                ("section: \(section)", "the plan section (matches the folder)"),
                ("owner:", "who keeps this entry true (a person id)"),
                ("ip:", "who owns the IP: " + IPOwnership.allowedList),
                ("sharing:", "knowledge map: " + Sharing.allowedList + " be shared with the partner"),
                ("tags: []", ""),
                ("source:", "where an imported entry came from"),
                ("reviewed:", "YYYY-MM-DD: when it was last checked and found right"),
            ]
            body = "\nWhat a newcomer needs to know, in your own words.\n"
        }
        lines += [
            ("confidentiality: internal", Confidentiality.allowedList),
            ("review_by:", "YYYY-MM-DD: when this page should next be checked"),
        ]
        let width = lines.map(\.0.count).max() ?? 0
        var text = "---\n"
        for (field, comment) in lines {
            if comment.isEmpty {
                text += field + "\n"
            } else {
                text += field + String(repeating: " ", count: width - field.count + 2) + "# " + comment + "\n"
            }
        }
        return text + "---\n" + "\n# \(name)\n" + body
    }

    /// The `baton.yml` of a new knowledge base.
    public static func config(title: String) -> String {
        """
        # Baton knowledge base settings: the fields are explained beside each one below; 'baton check' says
        # what is wrong with any of them.
        title: \(q(title))
        base_url:                      # where the site is published, e.g. https://intranet.example/baton/
        edit_url:                      # where a page's file is edited, {path} its path: https://git.example/kb/-/edit/main/{path}
        language: en                   # en, de or fr: how text is analysed for search
        home: ours                     # the organisation whose view 'ip: ours' takes
        organisations:
          - id: ours
            name: Our organisation
            side: client               # client, supplier or partner
            senior_executive_responsible:   # a person id
          - id: partner
            name: Our partner
            side: supplier
            senior_executive_responsible:
        phase: operations              # decision, operations or exit
        lifecycle_stage: working-together
        # Give a meeting starts: YYYY-MM-DD (and time: "HH:MM") to put it in 'baton calendar' and calendar.ics.
        governance:
          - tier: executive
            meetings:
              - {name: Executive review, frequency: quarterly, format: formal review}
          - tier: operational
            meetings:
              - {name: Relationship managers' meeting, frequency: monthly, format: meeting}
          - tier: functional
            meetings:
              - {name: Stand-up, frequency: daily, format: call}
        exit_triggers: []
        # Where an issue goes when it cannot be settled where it arises, lowest level first ('baton escalation').
        escalation:
          - {tier: operational, respond_within: 3 working days}
          - {tier: executive, respond_within: 10 working days}
        # The KPIs agreed ('baton health'); each one's measurements go in content/kpis/<id>.md ('baton new kpi <id>').
        kpis: []
        #  - {id: p1-restore, name: Priority 1 incidents restored within 4 hours, unit: "%", target: 95, better: higher,
        #     owner: a-role-id, period: quarterly}

        """
    }

    /// Quotes a title when YAML would otherwise misread it.
    private static func q(_ text: String) -> String {
        YAMLNode.plainReadsAsString(text) ? text : YAMLEmitter.quoted(text)
    }
}

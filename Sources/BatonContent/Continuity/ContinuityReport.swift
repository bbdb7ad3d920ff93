/// The continuity report: the risks to the partnership's people and knowledge that `baton check` shows beside
/// validation — who has no successor, which role hangs on one person, who leaves soon with no handover, which
/// knowledge is overdue or about to lose its owner — and coverage figures that summarise them.
public struct ContinuityReport: Sendable {
    /// One continuity risk.
    public struct Finding: Sendable, Equatable {
        public var severity: Diagnostic.Severity
        /// A stable rule id (`key-person-no-successor`).
        public var rule: String
        public var entity: String
        public var file: String
        public var line: Int?
        public var message: String
        /// What to do about it, in one line.
        public var hint: String

        public var diagnostic: Diagnostic {
            Diagnostic(severity, "continuity." + rule, file: file, line: line, message + " — " + hint)
        }
    }

    /// Shares in 0...1; nil when there is nothing to count.
    public struct Coverage: Sendable, Equatable {
        public var keyPeopleWithSuccessor: Double?
        public var rolesWithOnboarding: Double?
        public var knowledgeReviewedOnTime: Double?
    }

    public var findings: [Finding]
    public var coverage: Coverage

    /// Every rule, its default severity and what it checks.
    public static let rules: [(id: String, severity: Diagnostic.Severity, summary: String)] = [
        ("exit-trigger", .error, "an exit trigger in baton.yml whose condition on the health checks or a KPI is met"),
        ("leaving-no-handover", .error, "a person leaves within the window and no handover from them is open"),
        ("handover-overdue", .error, "an open handover is past the leaving date, or has items past their due date"),
        ("onboarding-overdue", .warning, "an open onboarding has items past their due date"),
        ("onboarding-missing", .warning, "someone started in a role within the onboarding window and has no onboarding record for it"),
        ("buddy-leaving", .warning, "the buddy of an open onboarding has left or leaves within the window"),
        ("key-person-no-successor", .warning, "a key person has no successor"),
        ("key-person-no-deputy", .warning, "a key person has no deputy"),
        ("role-no-holder", .warning, "nobody holds a role"),
        ("role-single-holder", .warning, "one person holds a role and has no deputy"),
        ("role-no-onboarding", .warning, "a role has no onboarding path"),
        ("knowledge-review-overdue", .warning, "a knowledge entry is past its review date"),
        ("knowledge-no-owner", .warning, "a knowledge entry has no owner"),
        ("knowledge-owner-leaving", .warning, "a knowledge entry's owner has left or leaves within the window"),
        ("cover-leaving", .warning, "a person's successor or deputy has left or leaves within the window"),
        ("tier-no-cadence", .warning, "roles work at a tier that has no meetings in baton.yml"),
        ("holder-other-side", .warning, "a person holds a role of the other organisation"),
        ("disciplines-combined", .warning, "one person holds two of the four management disciplines on one side"),
        ("escalation-no-holder", .warning, "a level of the escalation ladder has a role nobody holds (or one that does not exist)"),
        ("healthcheck-overdue", .warning, "the last relationship health check is older than the cadence (health: cadence_months, default 12)"),
        ("health-declining", .warning, "a health-check dimension has fallen for one side at each of the last two checks"),
        ("health-gap", .warning, "at the latest health check the sides' scores on a dimension differ by the gap or more (default 1.5)"),
        ("health-action-overdue", .warning, "an action agreed at a health check is past its due date"),
        ("kpi-missed", .warning, "a KPI has missed its target in consecutive periods, up to the latest (health: kpi_misses, default 3)"),
        ("kpi-not-measured", .warning, "a KPI's measurement for a period that has ended is past its due date (health: kpi_due_day, default the 10th of the month after)"),
        ("deputy-is-successor", .note, "a key person's deputy is also their successor"),
        ("peer-pair-missing", .note, "a role has a counterpart role but its holders have no counterpart person"),
    ]
}

/// Settings from `baton.yml`'s `continuity:` mapping: `leaving_window_days` (default 60),
/// `onboarding_window_days` (default 90: how recent a start must be to want an onboarding record) and `rules:`
/// mapping a rule id to `off`, `error`, `warning` or `note`.
public struct ContinuitySettings: Sendable {
    public var leavingWindowDays = 60
    public var onboardingWindowDays = 90
    public var severities: [String: Diagnostic.Severity?] = [:]

    public init() {}

    /// What `leaving_window_days` may be: up to ten years.
    public static let leavingWindowRange = 0...3660

    /// Reads the settings; problems go to `sink` (baton.yml).
    static func read(_ node: YAMLNode?, sink: inout DiagnosticSink) -> ContinuitySettings {
        var settings = ContinuitySettings()
        guard let node, !node.isNull else { return settings }
        guard node.pairs != nil else {
            sink.error("field.type", line: node.line, "'continuity' must be a mapping (leaving_window_days:, onboarding_window_days:, rules:)")
            return settings
        }
        var reader = FieldReader(node, sink: sink, line: node.line)
        if let days = reader.integer("leaving_window_days", in: leavingWindowRange) { settings.leavingWindowDays = days }
        if let days = reader.integer("onboarding_window_days", in: leavingWindowRange) { settings.onboardingWindowDays = days }
        sink = reader.sink
        for pair in node["rules"]?.pairs ?? [] {
            guard ContinuityReport.rules.contains(where: { $0.id == pair.key }) else {
                let known = ContinuityReport.rules.map(\.id).joined(separator: ", ")
                sink.error("field.value", line: pair.line, "unknown continuity rule '\(pair.key)'; rules are: \(known)")
                continue
            }
            switch pair.value.scalarText?.lowercased() {
            case "off": settings.severities[pair.key] = .some(nil)
            case "error": settings.severities[pair.key] = .error
            case "warning": settings.severities[pair.key] = .warning
            case "note": settings.severities[pair.key] = .note
            default:
                sink.error("field.value", line: pair.value.line,
                    "continuity rule '\(pair.key)' must be off, error, warning or note")
            }
        }
        return settings
    }
}

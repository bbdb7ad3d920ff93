/// The relationship's health over time, from its health checks: each dimension's scores per side in date
/// order, the gap between the sides, dimensions falling check after check, and the actions agreed.
public struct HealthReport: Sendable {
    /// One score of one side in one check.
    public struct Point: Sendable, Equatable {
        public var date: Day
        public var check: String
        public var score: Double
    }

    /// A dimension's scores for one organisation, oldest first.
    public struct Series: Sendable, Equatable {
        public var dimension: String
        public var organisation: String
        public var points: [Point]

        /// The change from the first score to the last.
        public var change: Double? { points.count >= 2 ? points.last!.score - points.first!.score : nil }

        /// Down at each of the last two checks (three scores, each lower than the one before).
        public var declining: Bool {
            guard points.count >= 3 else { return false }
            let last = points.suffix(3).map(\.score)
            return last[0] > last[1] && last[1] > last[2]
        }
    }

    /// An action agreed at a check, with its state.
    public struct Action: Sendable {
        public var check: String
        public var file: String
        public var task: Handovers.Task
        public var overdue: Bool
    }

    /// The checks with a date, oldest first.
    public var checks: [Entity]
    public var dimensions: [String]
    /// Organisations in baton.yml's order, then any other a check names.
    public var organisations: [String]
    public var series: [Series]
    public var actions: [Action]

    /// The health checks `audience` may see.
    public init(knowledgeBase: KnowledgeBase, today: Day, audience: Confidentiality = .restricted) {
        let config = knowledgeBase.config
        checks = knowledgeBase.entities(of: .healthcheck).filter { $0.healthCheck?.date != nil && $0.confidentiality <= audience }
            .sorted { ($0.healthCheck!.date!, $0.id) < ($1.healthCheck!.date!, $1.id) }
        dimensions = config.health.dimensions
        let named = checks.flatMap { $0.healthCheck!.sides.map(\.organisation) }
        organisations = config.organisations.map(\.id) + Set(named).subtracting(config.organisations.map(\.id)).sorted()
        var series: [Series] = []
        for dimension in dimensions {
            for organisation in organisations {
                let points = checks.compactMap { check -> Point? in
                    guard let record = check.healthCheck, let score = record.side(organisation)?.score(dimension) else { return nil }
                    return Point(date: record.date!, check: check.id, score: score)
                }
                if !points.isEmpty { series.append(Series(dimension: dimension, organisation: organisation, points: points)) }
            }
        }
        self.series = series
        actions = checks.flatMap { check in
            Handovers.tasks(of: check).map { task in
                Action(check: check.id, file: check.path, task: task, overdue: !task.done && (task.due.map { $0 < today } ?? false))
            }
        }
    }

    public func series(_ dimension: String, _ organisation: String) -> Series? {
        series.first { $0.dimension == dimension && $0.organisation == organisation }
    }

    /// The latest check's scores on `dimension` for the first two organisations, and the gap between them.
    public func latestGap(_ dimension: String) -> (check: Entity, scores: [(String, Double)], gap: Double)? {
        guard let latest = checks.last, let record = latest.healthCheck else { return nil }
        let scores = organisations.compactMap { organisation in record.side(organisation)?.score(dimension).map { (organisation, $0) } }
        guard scores.count >= 2 else { return nil }
        let values = scores.map(\.1)
        return (latest, scores, values.max()! - values.min()!)
    }

    /// The day a health check is next due: the latest one's date plus the cadence (nil when there is none).
    public static func due(after date: Day, months: Int) -> Day {
        var year = date.year
        var month = date.month + months
        year += (month - 1) / 12
        month = (month - 1) % 12 + 1
        var day = date.day
        while Day(year: year, month: month, day: day) == nil { day -= 1 }
        return Day(year: year, month: month, day: day)!
    }
}

extension ContinuityAnalyzer {
    /// The health-check rules: a check overdue, a dimension falling two checks running, sides far apart, an
    /// action past its due date.
    func healthFindings(_ add: (String, Entity?, String?, Int?, String, String) -> Void) {
        let report = HealthReport(knowledgeBase: knowledgeBase, today: today)
        let settings = knowledgeBase.config.health
        // Only a partnership that has begun checking its health is held to the cadence.
        if let latest = report.checks.last, let date = latest.healthCheck?.date {
            let due = HealthReport.due(after: date, months: settings.cadenceMonths)
            if due < today {
                add("healthcheck-overdue", latest, nil, latest.frontMatter.pair("date")?.line,
                    "the last relationship health check was on \(date); one was due by \(due) (every \(settings.cadenceMonths) months)",
                    "hold one and record it: baton new healthcheck \(today.year)")
            }
        }
        for series in report.series where series.declining {
            let points = series.points.suffix(3)
            let check = knowledgeBase.entity(id: points.last!.check)
            let side = knowledgeBase.config.organisation(series.organisation)?.name ?? series.organisation
            add("health-declining", check, nil, check?.healthCheck?.side(series.organisation)?.scores.first { $0.dimension == series.dimension }?.line,
                "\(side): the \(series.dimension) score has fallen two checks running, "
                    + points.map { "\(HealthScore.text($0.score)) (\($0.date))" }.joined(separator: " → "),
                "agree an action on \(series.dimension) in \(check?.path ?? "the next check") and follow it up")
        }
        for dimension in report.dimensions {
            guard let (check, scores, gap) = report.latestGap(dimension), gap >= settings.gap else { continue }
            let named = scores.map { "\(knowledgeBase.config.organisation($0.0)?.name ?? $0.0) \(HealthScore.text($0.1))" }
            add("health-gap", check, nil, check.healthCheck?.side(scores[0].0)?.scores.first { $0.dimension == dimension }?.line,
                "the sides see \(dimension) differently: " + named.joined(separator: ", ") + " (a gap of \(HealthScore.text(gap)))",
                "talk it through at the next relationship managers' meeting")
        }
        let kpis = KPIReport(knowledgeBase: knowledgeBase, today: today)
        for condition in knowledgeBase.config.exitConditions {
            let hint = "the relationship management plan's exit arrangements say what happens next; raise it at the partnership board"
            switch condition.subject {
            case .dimension(let dimension):
                for (organisation, points) in condition.firing(in: report) {
                    let side = knowledgeBase.config.organisation(organisation)?.name ?? organisation
                    let bound = condition.below.map { "below \(HealthScore.text($0))" } ?? condition.above.map { "above \(HealthScore.text($0))" } ?? ""
                    add("exit-trigger", nil, KnowledgeBase.configFile, condition.line,
                        "the exit trigger \"\(condition.text)\" has fired: \(side) scored \(dimension) \(bound) at "
                            + (points.count == 1 ? "the latest check" : "the last \(points.count) checks") + " ("
                            + points.map { "\(HealthScore.text($0.score)) on \($0.date)" }.joined(separator: ", ") + ")", hint)
                }
            case .kpi(let id):
                guard let run = condition.firing(in: kpis), let definition = kpis.indicator(id)?.definition else { continue }
                add("exit-trigger", nil, KnowledgeBase.configFile, condition.line,
                    "the exit trigger \"\(condition.text)\" has fired: \(definition.name) was "
                        + run.map { "\(definition.text($0.value)) in \($0.period)" }.joined(separator: ", ")
                        + " (target \(definition.better == .higher ? "≥" : "≤") \(definition.text(definition.target)))", hint)
            }
        }
        for indicator in kpis.indicators {
            let definition = indicator.definition
            let misses = indicator.missesRunning
            if misses >= settings.kpiMisses, let entity = indicator.entity {
                let run = indicator.measurements.suffix(misses)
                add("kpi-missed", entity, nil, run.last!.line,
                    "\(definition.name) has missed its target (\(indicator.targetText)) \(misses) periods running: "
                        + run.map { "\(definition.text($0.value)) in \($0.period)" }.joined(separator: ", "),
                    "agree a recovery plan with its owner\(definition.owner.map { " (\($0.raw))" } ?? "") and record it in \(entity.path)")
            }
            if indicator.nextDue < today {
                if let entity = indicator.entity {
                    add("kpi-not-measured", entity, nil, entity.frontMatter.pair("measurements")?.line,
                        "\(definition.name) has no measurement for \(indicator.nextPeriod); it was due by \(indicator.nextDue)",
                        "add \(indicator.nextPeriod): <value> under measurements: in \(entity.path)")
                } else if knowledgeBase.entity(id: EntityKind.kpi.directory + "/" + definition.id) == nil {
                    add("kpi-not-measured", nil, KnowledgeBase.configFile, definition.line,
                        "\(definition.name) has no measurements; the one for \(indicator.nextPeriod) was due by \(indicator.nextDue)",
                        "record them: baton new kpi \(definition.id)")
                }
            }
        }
        for action in report.actions where action.overdue {
            add("health-action-overdue", knowledgeBase.entity(id: action.check), nil, action.task.line,
                "a health-check action is past its due date (\(action.task.due!)): \(action.task.text)",
                "do it or agree a new date, then tick it in \(action.file)")
        }
    }

}

/// How a health-check score is written for people: to one decimal, 3.5, 4.0.
public enum HealthScore {
    public static func text(_ value: Double) -> String { String(format: "%.1f", value) }
}

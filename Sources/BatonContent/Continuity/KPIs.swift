/// The agreed KPIs against their targets, from `kpis:` in baton.yml and the measurements in `content/kpis/`:
/// each one's latest value, its trend, how many periods running it has missed its target, and when the next
/// measurement is due.
public struct KPIReport: Sendable {
    public struct Indicator: Sendable {
        public var definition: KPIDefinition
        /// The file of measurements, when there is one the audience may see.
        public var entity: Entity?
        /// The measurements of the KPI's own period kind, oldest first.
        public var measurements: [KPIRecord.Measurement]
        /// The next period to be measured (the one after the latest measured, or the last one ended when none
        /// is), and the day its measurement is due.
        public var nextPeriod: KPIPeriod
        public var nextDue: Day

        public var latest: KPIRecord.Measurement? { measurements.last }

        /// The change from the measurement before the latest to the latest.
        public var change: Double? {
            guard measurements.count >= 2 else { return nil }
            return measurements[measurements.count - 1].value - measurements[measurements.count - 2].value
        }

        /// Whether the latest change is for the better (nil when there is none or it is flat).
        public var improving: Bool? {
            guard let change, change != 0 else { return nil }
            return (change > 0) == (definition.better == .higher)
        }

        /// The latest measurements of consecutive periods, up to `limit`, latest last: a period with no
        /// measurement ends the run.
        public func latestRun(_ limit: Int) -> [KPIRecord.Measurement] {
            var run: [KPIRecord.Measurement] = []
            for measurement in measurements.reversed() {
                guard run.count < limit else { break }
                if let after = run.first, measurement.period.next != after.period { break }
                run.insert(measurement, at: 0)
            }
            return run
        }

        /// How many periods running, up to the latest, the KPI has missed its target.
        public var missesRunning: Int {
            latestRun(measurements.count).reversed().prefix { !definition.meets($0.value) }.count
        }

        /// "96.1 % (target ≥ 95 %)".
        public var targetText: String { (definition.better == .higher ? "≥ " : "≤ ") + definition.text(definition.target) }
    }

    public var indicators: [Indicator]

    /// The KPIs and the measurements `audience` may see (a KPI whose file it may not see has none).
    public init(knowledgeBase: KnowledgeBase, today: Day, audience: Confidentiality = .restricted) {
        let config = knowledgeBase.config
        indicators = config.kpis.map { definition in
            let entity = knowledgeBase.entity(id: EntityKind.kpi.directory + "/" + definition.id).flatMap {
                $0.confidentiality <= audience ? $0 : nil
            }
            let measurements = entity?.kpi?.measurements.filter { $0.period.kind == definition.period } ?? []
            // With nothing measured yet, the first measurement due is for the last period that has ended.
            let next = measurements.last?.period.next ?? KPIPeriod(kind: definition.period, containing: today).previous
            return Indicator(definition: definition, entity: entity, measurements: measurements, nextPeriod: next,
                             nextDue: Self.due(next, day: config.health.kpiDueDay))
        }
    }

    public func indicator(_ id: String) -> Indicator? { indicators.first { $0.definition.id == id } }

    /// The day a period's measurement is due: `day` of the month after the period ends.
    public static func due(_ period: KPIPeriod, day: Int) -> Day {
        let after = period.lastDay.adding(days: 1)
        return Day(year: after.year, month: after.month, day: day)!
    }
}

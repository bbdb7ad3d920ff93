import ArgumentParser
import BatonContent
import BatonJSON
import Foundation

struct HealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Show the relationship's health over time: its health checks and its KPIs.",
        discussion: """
            Reads the health checks in content/healthchecks/ (each side's score from 1 to 5 per dimension: \
            communication, satisfaction, trust and alignment unless health: dimensions: in baton.yml says \
            otherwise) and shows each dimension's scores per side in date order with the change, the gap \
            between the sides at the latest check, the dimensions that fell two checks running, when the next \
            check is due (health: cadence_months:, default 12), and the actions agreed that are open or overdue. \
            Then each KPI agreed under kpis: in baton.yml (name, unit, target, better: higher or lower, owner \
            role, period: monthly, quarterly or annually) against its target, from the measurements in \
            content/kpis/<id>.md: the latest periods, the trend, how many periods running it has missed, and \
            when the next measurement is due (health: kpi_due_day:, default the 10th of the month after). \
            'baton check' reports the same as the rules healthcheck-overdue, health-declining, health-gap, \
            health-action-overdue, kpi-missed and kpi-not-measured.

            Examples:
              baton health
              baton health --json
              baton new healthcheck 2027-relationship-check
              baton new kpi p1-restore
            """)

    @Flag(help: "Print JSON: checks, series per dimension and side, gaps, actions, KPIs.")
    var json = false

    @OptionGroup var options: RootOptions

    func run() throws {
        let knowledgeBase = try options.loadForReading()
        let today = Day.today(environment: ProcessInfo.processInfo.environment)
        let report = HealthReport(knowledgeBase: knowledgeBase, today: today)
        let config = knowledgeBase.config
        func name(_ organisation: String) -> String { config.organisation(organisation)?.name ?? organisation }
        let kpis = KPIReport(knowledgeBase: knowledgeBase, today: today)
        let due = report.checks.last?.healthCheck?.date.map { HealthReport.due(after: $0, months: config.health.cadenceMonths) }
        if json {
            printJSONDocument(Self.json(report, nextDue: due, kpis: kpis))
            return
        }
        defer { Self.printKPIs(kpis, today: today, misses: config.health.kpiMisses) }
        guard !report.checks.isEmpty else {
            print("No health check on record yet. Record the first with: baton new healthcheck \(today.year)-relationship-check")
            return
        }
        let first = report.checks.first!.healthCheck!.date!, last = report.checks.last!.healthCheck!.date!
        print(Terminal.styled("Relationship health: \(report.checks.count) check\(report.checks.count == 1 ? "" : "s"), \(first) to \(last)", .bold)
            + (due.map { d in "  · next due " + (d < today ? Terminal.styled("\(d) (overdue)", .red) : "\(d)") } ?? ""))
        let width = report.dimensions.map { $0.count }.max() ?? 10
        for dimension in report.dimensions {
            let lines = report.organisations.compactMap { organisation -> String? in
                guard let series = report.series(dimension, organisation) else { return nil }
                var line = "    " + Terminal.pad(name(organisation), 28) + series.points.map { HealthScore.text($0.score) }.joined(separator: " → ")
                if let change = series.change {
                    let text = abs(change) < 0.05 ? "no change" : (change > 0 ? "+" : "") + HealthScore.text(change)
                    line += Terminal.styled("  (\(text))", .dim)
                }
                if series.declining { line += "  " + Terminal.styled("falling two checks running", .yellow) }
                return line
            }
            guard !lines.isEmpty else { continue }
            var heading = "  " + Terminal.styled(Terminal.pad(dimension.prefix(1).uppercased() + dimension.dropFirst(), width), .cyan)
            if let gap = report.latestGap(dimension) {
                let text = "gap \(HealthScore.text(gap.gap)) at the latest check"
                heading += "  " + (gap.gap >= config.health.gap ? Terminal.styled(text, .yellow) : Terminal.styled(text, .dim))
            }
            print(heading)
            lines.forEach { print($0) }
        }
        let open = report.actions.filter { !$0.task.done }
        if !open.isEmpty {
            print(Terminal.styled("Actions open (\(open.count), \(open.filter(\.overdue).count) overdue)", .bold))
            for action in open {
                let mark = action.overdue ? Terminal.styled("overdue", .red) + " " : ""
                print("  - " + mark + action.task.text + Terminal.styled("  \(action.file):\(action.task.line)", .dim))
            }
        }
    }

    /// The KPIs against their targets: the last four periods, the trend, the run of misses, the next due date.
    static func printKPIs(_ kpis: KPIReport, today: Day, misses limit: Int) {
        guard !kpis.indicators.isEmpty else { return }
        print(Terminal.styled("KPIs (\(kpis.indicators.count))", .bold))
        for indicator in kpis.indicators {
            let definition = indicator.definition
            print("  " + Terminal.styled(definition.name, .cyan) + Terminal.styled("  target \(indicator.targetText), \(definition.period.rawValue)"
                + (definition.owner.map { ", owner \($0.raw)" } ?? ""), .dim))
            guard !indicator.measurements.isEmpty else {
                print("    no measurements yet" + (indicator.entity == nil ? " — record them: baton new kpi \(definition.id)" : ""))
                continue
            }
            var line = "    " + indicator.measurements.suffix(4).map { measurement in
                let text = "\(measurement.period) \(definition.text(measurement.value))"
                return definition.meets(measurement.value) ? text : Terminal.styled(text, .yellow)
            }.joined(separator: " → ")
            if let change = indicator.change {
                let text = definition.changeText(change)
                line += Terminal.styled("  (\(text)\(indicator.improving.map { $0 ? ", better" : ", worse" } ?? ""))", .dim)
            }
            print(line)
            let missing = indicator.missesRunning
            var status = missing == 0 ? "on target" : "missed \(missing) period\(missing == 1 ? "" : "s") running"
            if missing >= limit { status = Terminal.styled(status, .red) } else if missing > 0 { status = Terminal.styled(status, .yellow) }
            let due = "next: \(indicator.nextPeriod) due \(indicator.nextDue)"
            print("    " + status + "  · " + (indicator.nextDue < today ? Terminal.styled(due + " (overdue)", .red) : due))
        }
    }

    static func json(_ report: HealthReport, nextDue: Day?, kpis: KPIReport) -> JSONValue {
        let checks: [JSONValue] = report.checks.map { check in
            JSONValue.object([("id", .string(check.id)), ("title", .string(check.title)),
                              ("date", .optional(check.healthCheck?.date?.description)), ("path", .string(check.path))])
        }
        let series: [JSONValue] = report.series.map { series in
            let points: [JSONValue] = series.points.map { point in
                JSONValue.object([("date", .string(point.date.description)), ("check", .string(point.check)),
                                  ("score", .number(point.score))])
            }
            let change: JSONValue = series.change.map { JSONValue.number($0) } ?? .null
            return JSONValue.object([("dimension", .string(series.dimension)), ("organisation", .string(series.organisation)),
                                     ("points", .array(points)), ("change", change), ("declining", .bool(series.declining))])
        }
        let gaps: [JSONValue] = report.dimensions.compactMap { dimension -> JSONValue? in
            guard let gap = report.latestGap(dimension) else { return nil }
            let scores: [(String, JSONValue)] = gap.scores.map { ($0.0, JSONValue.number($0.1)) }
            return JSONValue.object([("dimension", .string(dimension)), ("check", .string(gap.check.id)),
                                     ("gap", .number(gap.gap)), ("scores", .object(scores))])
        }
        let actions: [JSONValue] = report.actions.map { action in
            let pairs: [(String, JSONValue)] = [
                ("check", .string(action.check)), ("text", .string(action.task.text)), ("done", .bool(action.task.done)),
                ("owner", .optional(action.task.owner)), ("due", .optional(action.task.due?.description)),
                ("overdue", .bool(action.overdue)), ("file", .string(action.file)), ("line", .int(action.task.line)),
            ]
            return JSONValue.object(pairs)
        }
        let indicators: [JSONValue] = kpis.indicators.map { indicator in
            let definition = indicator.definition
            let measurements: [JSONValue] = indicator.measurements.map { measurement in
                JSONValue.object([("period", .string(measurement.period.description)), ("value", .number(measurement.value)),
                                  ("met", .bool(definition.meets(measurement.value)))])
            }
            let pairs: [(String, JSONValue)] = [
                ("id", .string(definition.id)), ("name", .string(definition.name)), ("unit", .optional(definition.unit)),
                ("target", .number(definition.target)), ("better", .string(definition.better.rawValue)),
                ("period", .string(definition.period.rawValue)), ("owner", .optional(definition.owner?.raw)),
                ("path", .optional(indicator.entity?.path)), ("measurements", .array(measurements)),
                ("change", indicator.change.map { JSONValue.number($0) } ?? .null),
                ("improving", indicator.improving.map { JSONValue.bool($0) } ?? .null),
                ("misses_running", .int(indicator.missesRunning)),
                ("next_period", .string(indicator.nextPeriod.description)), ("next_due", .string(indicator.nextDue.description)),
            ]
            return JSONValue.object(pairs)
        }
        return .object([("checks", .array(checks)), ("next_due", .optional(nextDue?.description)), ("series", .array(series)),
                        ("gaps", .array(gaps)), ("actions", .array(actions)), ("kpis", .array(indicators))])
    }
}

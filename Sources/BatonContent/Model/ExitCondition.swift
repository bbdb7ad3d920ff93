/// An exit trigger that Baton can test: a condition on the health checks or on a KPI, as
///
///     exit_triggers:
///       - text: A relationship health check scoring trust below 2 out of 5 two years running.
///         when: {dimension: trust, below: 2, checks: 2}        # side: northmoor to test one side only
///       - text: Priority 1 restoration under target for three quarters running.
///         when: {kpi: p1-restore, missed: true, periods: 3}   # or below:/above: a value
///
/// A health condition fires when, for a side (or the one named), each of the latest `checks` health checks
/// scored the dimension below `below` (or above `above`). A KPI condition fires when each of the latest
/// `periods` periods, one after another up to the latest measured, was below or above the value given, or
/// missed the KPI's target.
public struct ExitCondition: Sendable, Equatable {
    /// What the condition is on.
    public enum Subject: Sendable, Equatable {
        case dimension(String)
        case kpi(String)
    }

    public var text: String
    public var subject: Subject
    public var below: Double?
    public var above: Double?
    /// A KPI condition that is met by missing the target.
    public var missed = false
    /// How many checks (or KPI periods) running the condition must hold.
    public var count: Int
    public var side: String?
    public var line: Int

    /// Reads `exit_triggers:`: each item a sentence, or a mapping with `text` and a `when` condition.
    static func readTriggers(_ reader: inout FieldReader) -> ([String], [ExitCondition]) {
        guard let list = reader.node["exit_triggers"], !list.isNull else { return ([], []) }
        guard let items = list.items else {
            reader.sink.error("field.type", line: list.line, "'exit_triggers' must be a list")
            return ([], [])
        }
        var texts: [String] = []
        var conditions: [ExitCondition] = []
        for item in items where !item.isNull {
            if let text = item.scalarText {
                texts.append(text)
                continue
            }
            guard item.pairs != nil else {
                reader.sink.error("field.type", line: item.line, "each exit trigger is a sentence, or text: with a when: condition")
                continue
            }
            var trigger = FieldReader(item, sink: DiagnosticSink(file: reader.sink.file), line: item.line)
            let text = trigger.string("text", required: "what the trigger is, in words") ?? ""
            texts.append(text)
            if var when = trigger.mapping("when") {
                if let condition = read(&when, text: text, line: item.line) { conditions.append(condition) }
                trigger.absorb(when)
            }
            reader.absorb(trigger)
        }
        return (texts, conditions)
    }

    private static func read(_ when: inout FieldReader, text: String, line: Int) -> ExitCondition? {
        let kpi = when.string("kpi")
        let dimension = kpi == nil ? when.string("dimension", required: "the health-check dimension (or kpi: the KPI) the condition is on") : nil
        func number(_ key: String) -> Double? {
            guard let value = when.node[key], !value.isNull else { return nil }
            guard let text = value.scalarText, let number = Double(text.trimmingSpaces), number.isFinite,
                kpi != nil || HealthCheck.scoreRange.contains(number)
            else {
                when.sink.error("field.value", line: value.line,
                    kpi == nil ? "'\(key)' must be a score from 1 to 5" : "'\(key)' must be a number in the KPI's unit")
                return nil
            }
            return number
        }
        let below = number("below"), above = number("above")
        let missed = kpi != nil && when.bool("missed") == true
        if below == nil && above == nil && !missed {
            when.sink.error("field.missing", line: line, kpi == nil
                ? "an exit trigger's condition needs below: or above: (a score from 1 to 5)"
                : "an exit trigger's condition on a KPI needs below:, above: (a value) or missed: true")
            return nil
        }
        if kpi != nil, when.node["checks"] != nil {
            when.sink.error("field.value", line: when.node["checks"]!.line, "a KPI condition counts periods: (periods: 3), not checks:")
        }
        let count = when.integer(kpi == nil ? "checks" : "periods", in: 1...24) ?? 1
        let side = kpi == nil ? when.string("side") : nil
        if let kpi {
            return ExitCondition(text: text, subject: .kpi(kpi.trimmingSpaces), below: below, above: above, missed: missed,
                                 count: count, side: nil, line: line)
        }
        guard let dimension else { return nil }
        return ExitCondition(text: text, subject: .dimension(dimension.lowercased()), below: below, above: above, count: count,
                             side: side, line: line)
    }

    /// Whether `value` is past the bounds (and, with `missed`, misses `definition`'s target).
    func holds(_ value: Double, _ definition: KPIDefinition? = nil) -> Bool {
        (below.map { value < $0 } ?? true) && (above.map { value > $0 } ?? true)
            && (!missed || definition.map { !$0.meets(value) } ?? false)
    }

    /// The sides (organisation ids) for which a health condition fires in `report`, with their latest scores.
    public func firing(in report: HealthReport) -> [(organisation: String, scores: [HealthReport.Point])] {
        guard case .dimension(let dimension) = subject else { return [] }
        let sides = side.map { [$0] } ?? report.organisations
        return sides.compactMap { organisation in
            // The latest `count` checks must all have scored this side on the dimension, and all past the bound.
            let latest = report.checks.suffix(count)
            guard latest.count == count else { return nil }
            let points = latest.compactMap { check -> HealthReport.Point? in
                guard let record = check.healthCheck, let score = record.side(organisation)?.score(dimension) else { return nil }
                return HealthReport.Point(date: record.date!, check: check.id, score: score)
            }
            guard points.count == count, points.allSatisfy({ holds($0.score) }) else { return nil }
            return (organisation, points)
        }
    }

    /// The measurements that make a KPI condition fire, latest last; nil when it does not.
    public func firing(in report: KPIReport) -> [KPIRecord.Measurement]? {
        guard case .kpi(let id) = subject, let indicator = report.indicator(id) else { return nil }
        let run = indicator.latestRun(count)
        guard run.count == count, run.allSatisfy({ holds($0.value, indicator.definition) }) else { return nil }
        return run
    }

    /// Whether the condition fires on either kind of data.
    public func fires(health: HealthReport, kpis: KPIReport) -> Bool {
        switch subject {
        case .dimension: return !firing(in: health).isEmpty
        case .kpi: return firing(in: kpis) != nil
        }
    }

    /// The condition in words: "trust below 2.0 at 2 checks running", "p1-restore missing its target 3 periods running".
    public var summary: String {
        var parts: [String] = []
        switch subject {
        case .dimension(let dimension):
            parts.append(dimension)
            if let below { parts.append("below \(HealthScore.text(below))") }
            if let above { parts.append("above \(HealthScore.text(above))") }
            parts.append(count == 1 ? "at the latest check" : "at \(count) checks running")
        case .kpi(let id):
            parts.append(id)
            if missed { parts.append("missing its target") }
            if let below { parts.append("below \(KPIDefinition.number(below))") }
            if let above { parts.append("above \(KPIDefinition.number(above))") }
            parts.append(count == 1 ? "in the latest period" : "\(count) periods running")
        }
        return parts.joined(separator: " ")
    }
}

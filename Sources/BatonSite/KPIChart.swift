import BatonContent
import Foundation

/// Draws a KPI's measurements against its target as inline SVG: a line through the periods, the target as a
/// dashed rule, and each missed period's point marked. Small (a sparkline, on the health page) or with its scale
/// and period labels (on the KPI's own page). Coloured by the theme's CSS, so it follows dark mode and prints.
struct KPIChart {
    var width: Double
    var height: Double
    /// Room for the scale (left) and the period labels (below); none in a sparkline.
    var left: Double
    var bottom: Double
    var top: Double

    static let sparkline = KPIChart(width: 140, height: 36, left: 4, bottom: 4, top: 4)
    static let full = KPIChart(width: 560, height: 220, left: 56, bottom: 30, top: 16)

    var labelled: Bool { bottom > 10 }
    var plotWidth: Double { width - left - (labelled ? 56 : 4) }
    var plotHeight: Double { height - top - bottom }

    /// The values shown, low to high: every measurement and the target, widened to whole steps of 1, 2 or 5
    /// times a power of ten (90 to 98 by 2), and the step.
    static func range(_ values: [Double], target: Double) -> (low: Double, high: Double) {
        let scale = scale(values, target: target)
        return (scale.low, scale.high)
    }

    static func scale(_ values: [Double], target: Double) -> (low: Double, high: Double, step: Double) {
        let all = values + [target]
        let smallest = all.min()!, largest = all.max()!
        let raw = largest > smallest ? (largest - smallest) / 4 : max(abs(largest) / 10, 1)
        let magnitude = pow(10, floor(log10(raw)))
        let normal = raw / magnitude
        let step = (normal <= 1 ? 1 : normal <= 2 ? 2 : normal <= 5 ? 5 : 10) * magnitude
        var low = floor(smallest / step) * step, high = ceil(largest / step) * step
        if low == smallest && smallest != target { low -= step }  // a point on the floor of the plot hides
        if high == largest { high += step }
        return (low, high, step)
    }

    func x(_ index: Int, of count: Int) -> Double {
        count <= 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(count - 1)
    }

    func y(_ value: Double, _ range: (low: Double, high: Double)) -> Double {
        top + plotHeight * (range.high - value) / (range.high - range.low)
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// The chart of `measurements` (oldest first) of `definition`.
    func svg(id: String, definition: KPIDefinition, measurements: [KPIRecord.Measurement], label: String) -> String {
        let values = measurements.map(\.value)
        let scale = Self.scale(values, target: definition.target)
        let range = (low: scale.low, high: scale.high)
        let n = Self.number
        var out = "<svg id=\"\(id)\" class=\"chart kpi\(labelled ? "" : " sparkline")\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" "
            + "role=\"img\" aria-label=\"\(HealthChart.escape(label))\" preserveAspectRatio=\"xMidYMid meet\">"
        let right = left + plotWidth
        if labelled {
            // The scale, a grid line at each step.
            let steps = Int(((range.high - range.low) / scale.step).rounded())
            for value in (0...steps).map({ range.low + Double($0) * scale.step }) {
                out += "<line class=\"grid\" x1=\"\(n(left))\" y1=\"\(n(y(value, range)))\" x2=\"\(n(right))\" y2=\"\(n(y(value, range)))\"/>"
                out += "<text class=\"scale\" x=\"\(n(left - 8))\" y=\"\(n(y(value, range) + 4))\" text-anchor=\"end\">\(HealthChart.escape(KPIDefinition.number((value * 1000).rounded() / 1000)))</text>"
            }
            for (index, measurement) in measurements.enumerated() {
                let anchor = measurements.count > 1 && index == 0 ? "start" : measurements.count > 1 && index == measurements.count - 1 ? "end" : "middle"
                let shift = anchor == "start" ? -8.0 : anchor == "end" ? 8.0 : 0
                out += "<text class=\"scale\" x=\"\(n(x(index, of: measurements.count) + shift))\" y=\"\(n(height - 10))\" text-anchor=\"\(anchor)\">\(measurement.period)</text>"
            }
        }
        let targetY = y(definition.target, range)
        out += "<line class=\"target\" x1=\"\(n(left))\" y1=\"\(n(targetY))\" x2=\"\(n(right))\" y2=\"\(n(targetY))\"/>"
        if labelled {
            out += "<text class=\"key\" x=\"\(n(right + 4))\" y=\"\(n(targetY + 4))\">target</text>"
        }
        let points = measurements.indices.map { (x($0, of: measurements.count), y(values[$0], range)) }
        if points.count >= 2 {
            out += "<polyline class=\"line side-0\" points=\"\(points.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " "))\"/>"
        }
        for (index, point) in points.enumerated() {
            let met = definition.meets(values[index])
            out += "<circle class=\"dot \(met ? "met" : "miss")\" cx=\"\(n(point.0))\" cy=\"\(n(point.1))\" r=\"\(labelled ? 4 : 2.5)\"/>"
        }
        return out + "</svg>"
    }
}

/// A KPI as the site shows it: on the health page's table and on its own page.
struct KPIView: TemplateValues {
    struct Row: TemplateValues {
        var period: String
        var figure: String
        var met: Bool
        func value(_ name: String) -> Any? { name == "period" ? period : name == "value" ? figure : name == "met" ? met : nil }
    }

    var link: Link
    var owner: Link?
    var target: String
    var latest: String
    var trend: String
    var status: String
    var missed: Bool
    var sparkline: String
    var chart: String
    var summary: String
    var rows: [Row]

    func value(_ name: String) -> Any? {
        switch name {
        case "owner": return owner
        case "target": return target
        case "latest": return latest
        case "trend": return trend
        case "status": return status
        case "missed": return missed
        case "sparkline": return sparkline
        case "chart": return chart
        case "summary": return summary
        case "rows": return rows
        default: return link.value(name)
        }
    }
}

extension SiteBuilder {
    /// The KPIs whose measurements this audience may see, with at least one measurement.
    var visibleKPIs: [KPIReport.Indicator] {
        KPIReport(knowledgeBase: knowledgeBase, today: options.today, audience: options.audience).indicators
            .filter { $0.entity != nil && !$0.measurements.isEmpty }
    }

    func kpiView(_ indicator: KPIReport.Indicator, root: String) -> KPIView {
        let definition = indicator.definition
        let latest = indicator.latest!
        let slug = Navigation.slug(definition.id)
        let values = indicator.measurements.map { "\($0.period) \(definition.text($0.value))" }.joined(separator: ", ")
        let trend: String
        if let change = indicator.change {
            let previous = indicator.measurements[indicator.measurements.count - 2].period
            trend = definition.changeText(change) + " since \(previous)" + (indicator.improving.map { $0 ? " (better)" : " (worse)" } ?? "")
        } else {
            trend = "first measurement"
        }
        let misses = indicator.missesRunning
        let status = misses == 0 ? "on target" : misses == 1 ? "missed" : "missed \(misses) periods running"
        let owner: Link? = definition.owner.flatMap { reference in
            guard case .found(let role) = knowledgeBase.resolve(reference) else { return nil }
            return visible[role.id] != nil ? link(role, root: root) : hidden(role)
        }
        let summary = "Latest \(definition.text(latest.value)) in \(latest.period) (target \(indicator.targetText)); \(trend); \(status)."
        return KPIView(
            link: link(indicator.entity!, root: root), owner: owner, target: indicator.targetText,
            latest: definition.text(latest.value) + " (\(latest.period))", trend: trend, status: status, missed: misses > 0,
            sparkline: KPIChart.sparkline.svg(id: "spark-" + slug, definition: definition, measurements: indicator.measurements,
                                              label: "\(definition.name), target \(indicator.targetText): \(values)"),
            chart: KPIChart.full.svg(id: "kpi-chart-" + slug, definition: definition, measurements: indicator.measurements,
                                     label: "\(definition.name) by period against its target \(indicator.targetText)"),
            summary: summary,
            rows: indicator.measurements.map { KPIView.Row(period: $0.period.description, figure: definition.text($0.value),
                                                           met: definition.meets($0.value)) })
    }
}

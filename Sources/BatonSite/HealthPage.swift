import BatonContent
import Foundation

/// The site's `health.html`: for each dimension, a line chart of both sides' scores over the health checks
/// this audience may see, the gap between them shaded, drawn at build time as inline SVG (no script; styled by
/// the theme's CSS, so it follows dark mode and prints), each with its figures as a table for screen readers;
/// then the KPIs against their targets, each with a sparkline and its figures.
struct HealthPage: TemplateValues {
    struct Dimension: TemplateValues {
        var name: String
        var anchor: String
        var svg: String
        var caption: String
        var header: [TextItem]
        var rows: [Row]
        var summary: String
        func value(_ name: String) -> Any? {
            switch name {
            case "name": return self.name
            case "anchor": return anchor
            case "svg": return svg
            case "caption": return caption
            case "header": return header
            case "rows": return rows
            case "summary": return summary
            default: return nil
            }
        }
    }

    struct Row: TemplateValues {
        var date: String
        var link: Link
        var cells: [TextItem]
        func value(_ name: String) -> Any? { name == "date" ? date : name == "cells" ? cells : link.value(name) }
    }

    var dimensions: [Dimension]
    var organisations: [TextItem]
    var checks: Int
    var actions: [NotedLink]
    var kpis: [KPIView]

    func value(_ name: String) -> Any? {
        switch name {
        case "kpis": return kpis
        case "hasKPIs": return !kpis.isEmpty
        case "hasChecks": return checks > 0
        case "dimensions": return dimensions
        case "organisations": return organisations
        case "checks": return checks
        case "actions": return actions
        case "hasActions": return !actions.isEmpty
        default: return nil
        }
    }
}

/// Draws a health dimension's chart.
struct HealthChart {
    static let width = 560.0, height = 240.0
    static let left = 34.0, right = 34.0, top = 40.0, bottom = 30.0
    static var plotWidth: Double { width - left - right }
    static var plotHeight: Double { height - top - bottom }

    /// Where a check's score sits: checks spread evenly left to right (one alone in the middle), 5 at the top.
    static func x(_ index: Int, of count: Int) -> Double {
        count <= 1 ? left + plotWidth / 2 : left + plotWidth * Double(index) / Double(count - 1)
    }

    static func y(_ score: Double) -> Double { top + plotHeight * (5 - score) / 4 }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    /// The SVG for one dimension: `dates` the checks in order, `series` each side's scores by check (nil where a
    /// check has none), `names` the sides.
    static func svg(id: String, title: String, dates: [String], series: [[Double?]], names: [String]) -> String {
        var out = "<svg id=\"\(id)\" class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
            + "aria-label=\"\(escape(title))\" preserveAspectRatio=\"xMidYMid meet\">"
        // Grid lines and the scale, 1 to 5.
        for score in 1...5 {
            let level = y(Double(score))
            out += "<line class=\"grid\" x1=\"\(number(left))\" y1=\"\(number(level))\" x2=\"\(number(width - right))\" y2=\"\(number(level))\"/>"
            out += "<text class=\"scale\" x=\"\(number(left - 8))\" y=\"\(number(level + 4))\" text-anchor=\"end\">\(score)</text>"
        }
        for (index, date) in dates.enumerated() {
            // The first date and the last stay inside the picture.
            let anchor = dates.count > 1 && index == 0 ? "start" : dates.count > 1 && index == dates.count - 1 ? "end" : "middle"
            let shift = anchor == "start" ? -8.0 : anchor == "end" ? 8.0 : 0
            out += "<text class=\"scale\" x=\"\(number(x(index, of: dates.count) + shift))\" y=\"\(number(height - 10))\" text-anchor=\"\(anchor)\">\(escape(date))</text>"
        }
        // The gap between the first two sides, where both have scores.
        if series.count >= 2 {
            let both = dates.indices.filter { series[0][$0] != nil && series[1][$0] != nil }
            if both.count >= 2 {
                let forward = both.map { "\(number(x($0, of: dates.count))),\(number(y(series[0][$0]!)))" }
                let back = both.reversed().map { "\(number(x($0, of: dates.count))),\(number(y(series[1][$0]!)))" }
                out += "<polygon class=\"gap\" points=\"\((forward + back).joined(separator: " "))\"/>"
            }
        }
        for (side, scores) in series.enumerated() {
            let points = dates.indices.compactMap { index in scores[index].map { (x(index, of: dates.count), y($0)) } }
            if points.count >= 2 {
                out += "<polyline class=\"line side-\(side)\" points=\"\(points.map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " "))\"/>"
            }
            for point in points {
                out += "<circle class=\"dot side-\(side)\" cx=\"\(number(point.0))\" cy=\"\(number(point.1))\" r=\"4\"/>"
            }
        }
        // The key, above the plot: the sides side by side.
        var keyX = left
        for (side, name) in names.enumerated() {
            out += "<line class=\"line side-\(side)\" x1=\"\(number(keyX))\" y1=\"14.0\" x2=\"\(number(keyX + 22))\" y2=\"14.0\"/>"
            out += "<text class=\"key\" x=\"\(number(keyX + 28))\" y=\"18.0\">\(escape(name))</text>"
            keyX += 40 + Double(name.count) * 7
        }
        return out + "</svg>"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension SiteBuilder {
    /// The health checks this audience may see, in date order.
    var visibleHealthChecks: [Entity] {
        visible.values.filter { $0.healthCheck?.date != nil }
            .sorted { ($0.healthCheck!.date!, $0.id) < ($1.healthCheck!.date!, $1.id) }
    }

    /// The page, or nil when this audience sees no health check and no KPI.
    func healthPage(root: String) -> HealthPage? {
        let checks = visibleHealthChecks
        let kpis = visibleKPIs.map { kpiView($0, root: root) }
        guard !checks.isEmpty || !kpis.isEmpty else { return nil }
        let config = knowledgeBase.config
        let known = config.organisations.map(\.id)
        let organisations = known.filter { id in checks.contains { $0.healthCheck?.side(id) != nil } }
            + Set(checks.flatMap { $0.healthCheck!.sides.map(\.organisation) }).subtracting(known).sorted()
        let names = organisations.map { config.organisation($0)?.name ?? $0 }
        let dates = checks.map { $0.healthCheck!.date!.description }
        let dimensions = config.health.dimensions.compactMap { dimension -> HealthPage.Dimension? in
            let series = organisations.map { id in checks.map { $0.healthCheck!.side(id)?.score(dimension) } }
            guard series.contains(where: { $0.contains { $0 != nil } }) else { return nil }
            let title = dimension.prefix(1).uppercased() + dimension.dropFirst()
            let latest = series.compactMap { $0.last ?? nil }
            var summary = zip(names, series).compactMap { name, scores in scores.last.flatMap { $0 }.map { "\(name) \(HealthScore.text($0))" } }
                .joined(separator: ", ")
            if latest.count >= 2 { summary += "; a gap of \(HealthScore.text(latest.max()! - latest.min()!))" }
            return HealthPage.Dimension(
                name: title, anchor: "dimension-" + Navigation.slug(dimension),
                svg: HealthChart.svg(id: "chart-" + Navigation.slug(dimension), title: "\(title): each side's score from 1 to 5 at each check",
                                     dates: dates, series: series, names: names),
                caption: "\(title), each side's score from 1 to 5",
                header: names.map(TextItem.init),
                rows: checks.enumerated().map { index, check in
                    HealthPage.Row(date: dates[index], link: link(check, root: root),
                                   cells: series.map { TextItem(text: $0[index].map(HealthScore.text) ?? "–") })
                },
                summary: "Latest: " + summary + ".")
        }
        let actions = checks.flatMap { check in
            Handovers.tasks(of: check).filter { !$0.done }.map { task in
                NotedLink(link: link(check, root: root), notes: [
                    "text": task.text, "overdue": task.due.map { $0 < options.today } ?? false,
                ])
            }
        }
        return HealthPage(dimensions: dimensions, organisations: names.map(TextItem.init), checks: checks.count, actions: actions,
                          kpis: kpis)
    }
}

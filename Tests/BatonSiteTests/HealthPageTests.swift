import BatonContent
import Foundation
import Testing

@testable import BatonSite

/// The site's health page: a chart per dimension whose points are the scores, a table of the same figures,
/// and nothing of a check the audience may not see.
@Suite struct HealthPageTests {
    static func check(_ date: String, _ client: String, _ supplier: String, confidentiality: String = "internal") -> String {
        "---\ndate: \(date)\nconfidentiality: \(confidentiality)\nscores:\n  client: {\(client)}\n  supplier: {\(supplier)}\n---\n- [ ] Follow up (owner: x, due: 2026-01-01)\n"
    }

    static func folder() throws -> PageChromeTests.Folder {
        try PageChromeTests.Folder([
            "baton.yml": PageChromeTests.config + "health: {dimensions: [trust, communication]}\n",
            "content/healthchecks/a.md": check("2024-06-01", "trust: 4, communication: 3", "trust: 4.5, communication: 4"),
            "content/healthchecks/b.md": check("2025-06-01", "trust: 3", "trust: 4, communication: 4.5", confidentiality: "public"),
            "content/healthchecks/c.md": check("2026-06-01", "trust: 2.5, communication: 2", "trust: 3.5, communication: 4"),
        ])
    }

    /// The numbers of a `points="x,y x,y"` attribute after `marker`.
    static func points(_ html: String, after marker: String, _ which: String) throws -> [(Double, Double)] {
        let start = try #require(html.range(of: marker))
        let line = try #require(html.range(of: "<polyline class=\"line \(which)\" points=\"", range: start.upperBound..<html.endIndex))
        let end = try #require(html[line.upperBound...].firstIndex(of: "\""))
        return html[line.upperBound..<end].split(separator: " ").map { pair in
            let parts = pair.split(separator: ",").compactMap { Double($0) }
            return (parts[0], parts[1])
        }
    }

    @Test func eachChartDrawsTheScoresAndTheTableRepeatsThem() throws {
        let pages = try Self.folder().build()
        let html = try #require(pages["health.html"])
        // Trust: the client's three scores, evenly spaced from left to right, 5 at the top and 1 at the bottom.
        let client = try Self.points(html, after: "id=\"chart-trust\"", "side-0")
        #expect(client.map(\.0) == [HealthChart.x(0, of: 3), HealthChart.x(1, of: 3), HealthChart.x(2, of: 3)].map { ($0 * 10).rounded() / 10 })
        for (point, score) in zip(client, [4.0, 3.0, 2.5]) {
            #expect(abs(point.1 - HealthChart.y(score)) < 0.06, "\(point) for \(score)")
        }
        #expect(HealthChart.y(5) == HealthChart.top && HealthChart.y(1) == HealthChart.height - HealthChart.bottom)
        // Communication: the client has no score at the middle check, so its line joins the first and the last.
        let communication = try Self.points(html, after: "id=\"chart-communication\"", "side-0")
        #expect(communication.count == 2)
        #expect(abs(communication[1].1 - HealthChart.y(2)) < 0.06)
        // The gap is shaded where both sides have scores.
        #expect(html.contains("<polygon class=\"gap\""))
        // The figures as a table, the missing one as a dash.
        #expect(html.contains("<tr><th scope=\"row\"><a href=\"healthchecks/b.html\">2025-06-01</a></th><td>–</td><td>4.5</td></tr>"))
        #expect(html.contains("Latest: Client Ltd 2.5, Supplier plc 3.5; a gap of 1.0."))
        #expect(html.contains("Follow up (owner: x, due: 2026-01-01)") && html.contains("<span class=\"badge warn\">overdue</span>"))
        // Linked from the home page and the sidebar.
        #expect(pages["index.html"]?.contains("<a href=\"health.html\">the trends, period by period</a>") == true)
        #expect(pages["roles/index.html"]?.contains("<a href=\"../health.html\">Relationship health</a>") == true)
    }

    @Test func aLowerAudienceSeesOnlyTheChecksItMay() throws {
        let folder = try Self.folder()
        var options = SiteBuilder.Options()
        options.output = folder.root + "/public-site"
        options.audience = .public
        options.today = Day("2026-11-20")!
        options.allowEmpty = true
        _ = try SiteBuilder(knowledgeBase: try KnowledgeBase.load(root: folder.root), theme: try Theme.load([SiteBuilderTests.defaultTheme]),
                            options: options).build()
        let html = try String(contentsOfFile: options.output + "/health.html", encoding: .utf8)
        // Only the public check: one date, its scores, no line (a single point), nothing of the others.
        #expect(html.contains("2025-06-01") && !html.contains("2024-06-01") && !html.contains("2026-06-01"))
        #expect(!html.contains("<polyline") && html.contains("<circle"))
        #expect(!html.contains("<td>2.5</td>") && !html.contains("Client Ltd 2.5"))
        #expect(html.components(separatedBy: "Follow up").count == 2, "the public check's action only")
        // With no check visible, no page and no link.
        try FileManager.default.removeItem(atPath: folder.root + "/content/healthchecks/b.md")
        _ = try SiteBuilder(knowledgeBase: try KnowledgeBase.load(root: folder.root), theme: try Theme.load([SiteBuilderTests.defaultTheme]),
                            options: options).build()
        #expect(!FileManager.default.fileExists(atPath: options.output + "/health.html"))
        let home = try String(contentsOfFile: options.output + "/index.html", encoding: .utf8)
        #expect(!home.contains("health.html"))
    }

    static func kpiFolder() throws -> PageChromeTests.Folder {
        try PageChromeTests.Folder([
            "baton.yml": PageChromeTests.config + """
                kpis:
                  - {id: restore, name: Incidents restored in time, unit: "%", target: 95, better: higher, owner: lead}
                  - {id: disputes, name: Invoice lines disputed, target: 5, better: lower}

                """,
            "content/roles/lead.md": "---\ntitle: Service lead\norganisation: supplier\ntier: operational\nconfidentiality: restricted\n---\n",
            "content/kpis/restore.md": "---\nmeasurements:\n  2026-Q1: 96\n  2026-Q2: 93\n  2026-Q3: 90\n---\nHow it is measured.\n",
            "content/kpis/disputes.md": "---\nconfidentiality: restricted\nmeasurements:\n  2026-Q1: 7331\n  2026-Q2: 4\n---\n",
        ])
    }

    @Test func kpiSparklinesDrawTheMeasurementsAgainstTheTarget() throws {
        let pages = try Self.kpiFolder().build()
        let html = try #require(pages["health.html"])
        // No health check, but the KPIs make the page; the home page links it.
        #expect(!html.contains("health checks published here") && html.contains("<h2 id=\"kpis\">Key performance indicators</h2>"))
        #expect(pages["index.html"]?.contains("health.html") == true)
        // The sparkline's points are the measurements: evenly spread, higher values higher up, on the scale the
        // values and the target span.
        let chart = KPIChart.sparkline
        let range = KPIChart.range([96, 93, 90], target: 95)
        let points = try Self.points(html, after: "id=\"spark-restore\"", "side-0")
        #expect(points.count == 3)
        for (index, (point, value)) in zip(points, [96.0, 93, 90]).enumerated() {
            #expect(abs(point.0 - chart.x(index, of: 3)) < 0.06 && abs(point.1 - chart.y(value, range)) < 0.06, "\(point) for \(value)")
        }
        #expect(points[0].1 < points[1].1 && points[1].1 < points[2].1, "falling values go down the picture")
        let targetY = KPIChart.number(chart.y(95, range))
        #expect(html.contains("<line class=\"target\" x1=\"4.0\" y1=\"\(targetY)\""))
        // Met and missed points are told apart by shape, not colour alone; the table repeats the figures.
        #expect(html.components(separatedBy: "class=\"dot miss\"").count == 3 && html.components(separatedBy: "class=\"dot met\"").count == 2)
        #expect(html.contains("<span class=\"badge warn\">missed 2 periods running</span>"))
        #expect(html.contains("<tr><th scope=\"row\">2026-Q2</th><td>93 %</td><td>missed</td></tr>"))
        #expect(html.contains("−3 points since 2026-Q2 (worse)"))
        // The owner role is restricted: not named to this internal audience.
        #expect(html.contains("<td>a restricted role</td>") && !html.contains("Service lead"))
        // The restricted KPI's measurements are nowhere in the internal build.
        #expect(!html.contains("Invoice lines disputed") && !html.contains("7331"))
        #expect(pages["kpis/disputes.html"] == nil && pages.values.allSatisfy { !$0.contains("7331") })
        // The KPI's own page: a full chart with its scale and periods, and the table.
        let page = try #require(pages["kpis/restore.html"])
        #expect(page.contains("id=\"kpi-chart-restore\"") && page.contains(">2026-Q3</text>") && page.contains(">target</text>"))
        #expect(page.contains("<span>target ≥ 95 %</span>") && page.contains("Latest 90 % in 2026-Q3 (target ≥ 95 %)"))
        let full = try Self.points(page, after: "id=\"kpi-chart-restore\"", "side-0")
        #expect(zip(full, [96.0, 93, 90]).allSatisfy { abs($0.0.1 - KPIChart.full.y($0.1, range)) < 0.06 })
    }
}

/// A relationship health check: on a date, each organisation's respondents scored the relationship from 1 to
/// 5 on each dimension (communication, satisfaction, trust, alignment unless `health: dimensions:` in baton.yml
/// says otherwise). Its body holds the findings and, as a task list, the actions agreed, each
/// `(owner: …, due: YYYY-MM-DD)` as in a handover.
///
///     date: 2026-06-15
///     respondents: {northmoor: 14, castellan: [joanna-kerr, tomasz-wierzbicki]}
///     scores:
///       northmoor: {communication: 3.6, satisfaction: 3.4, trust: 3.1, alignment: 3.5}
///       castellan: {communication: 4.0, satisfaction: 3.9, trust: 3.6, alignment: 3.7}
public struct HealthCheck: Sendable, Equatable {
    /// One organisation's answers.
    public struct Side: Sendable, Equatable {
        /// The organisation's id in baton.yml.
        public var organisation: String
        public var line: Int
        /// Each dimension's score, 1 to 5, in the order written.
        public var scores: [(dimension: String, score: Double, line: Int)]
        /// How many answered (a count, or the number of people named).
        public var respondentCount: Int?
        /// The people who answered, when they are named.
        public var respondents: [Reference]

        public func score(_ dimension: String) -> Double? { scores.first { $0.dimension == dimension }?.score }

        public static func == (a: Side, b: Side) -> Bool {
            a.organisation == b.organisation && a.line == b.line && a.respondentCount == b.respondentCount
                && a.respondents == b.respondents && a.scores.map(\.dimension) == b.scores.map(\.dimension)
                && a.scores.map(\.score) == b.scores.map(\.score)
        }
    }

    public var title: String?
    public var date: Day?
    public var sides: [Side]

    /// The lowest and highest score a dimension may have.
    public static let scoreRange: ClosedRange<Double> = 1...5

    public func side(_ organisation: String) -> Side? { sides.first { $0.organisation == organisation } }

    static func read(_ reader: inout FieldReader) -> HealthCheck {
        let title = reader.string("title")
        let date = reader.day("date", required: true)
        var sides: [Side] = []
        if let scores = reader.node["scores"], !scores.isNull {
            if let pairs = scores.pairs {
                for pair in pairs {
                    guard let dimensions = pair.value.pairs else {
                        reader.sink.error("field.type", line: pair.value.line,
                            "the scores of '\(pair.key)' must be a mapping of dimension to score, as {communication: 3.5, trust: 4}")
                        continue
                    }
                    var side = Side(organisation: pair.key, line: pair.line, scores: [], respondentCount: nil, respondents: [])
                    for dimension in dimensions {
                        guard let text = dimension.value.scalarText, let score = Double(text.trimmingSpaces),
                            scoreRange.contains(score)
                        else {
                            reader.sink.error("field.value", line: dimension.value.line,
                                "the score of '\(dimension.key)' for '\(pair.key)' is '\(dimension.value.scalarText ?? "not a number")'; "
                                + "a score is a number from 1 to 5")
                            continue
                        }
                        side.scores.append((dimension.key, score, dimension.value.line))
                    }
                    sides.append(side)
                }
            } else {
                reader.sink.error("field.type", line: scores.line,
                    "'scores' must map each organisation to its scores, as northmoor: {communication: 3.5, trust: 4}")
            }
        } else {
            reader.missing("scores", "each organisation's score from 1 to 5 per dimension")
        }
        if let respondents = reader.node["respondents"], !respondents.isNull {
            if let pairs = respondents.pairs {
                for pair in pairs {
                    var index = sides.firstIndex { $0.organisation == pair.key }
                    if index == nil {
                        sides.append(Side(organisation: pair.key, line: pair.line, scores: [], respondentCount: nil, respondents: []))
                        index = sides.count - 1
                    }
                    if let text = pair.value.scalarText {
                        guard let count = Int(text.trimmingSpaces), count >= 0 else {
                            reader.sink.error("field.value", line: pair.value.line,
                                "the respondents of '\(pair.key)' must be a count or a list of people, not '\(text)'")
                            continue
                        }
                        sides[index!].respondentCount = count
                    } else if let items = pair.value.items {
                        let people = items.compactMap { item in
                            item.scalarText.map { Reference($0.trimmingSpaces, line: item.line, kinds: [.person]) }
                        }
                        sides[index!].respondents = people
                        sides[index!].respondentCount = people.count
                    } else {
                        reader.sink.error("field.type", line: pair.value.line,
                            "the respondents of '\(pair.key)' must be a count or a list of people")
                    }
                }
            } else {
                reader.sink.error("field.type", line: respondents.line,
                    "'respondents' must map each organisation to a count or a list of people")
            }
        }
        return HealthCheck(title: title, date: date, sides: sides)
    }

    func write(_ writer: inout FieldWriter) {
        writer.set("title", title)
        writer.set("date", date)
    }
}

/// Settings from `baton.yml`'s `health:` mapping: the dimensions scored (`dimensions:`, default communication,
/// satisfaction, trust, alignment), how often a health check is due (`cadence_months:`, default 12), how far
/// apart the sides' scores may be before it is a finding (`gap:`, default 1.5), how many periods running a KPI
/// may miss its target before it is a finding (`kpi_misses:`, default 3), and the day of the month after a
/// period by which its KPI measurements are due (`kpi_due_day:`, default 10).
public struct HealthSettings: Sendable, Equatable {
    public static let defaultDimensions = ["communication", "satisfaction", "trust", "alignment"]
    public var dimensions = HealthSettings.defaultDimensions
    public var cadenceMonths = 12
    public var gap = 1.5
    public var kpiMisses = 3
    public var kpiDueDay = 10

    public init() {}

    static func read(_ reader: inout FieldReader) -> HealthSettings {
        var settings = HealthSettings()
        guard var health = reader.mapping("health") else { return settings }
        let dimensions = health.strings("dimensions").map { $0.trimmingSpaces.lowercased() }.filter { !$0.isEmpty }
        if !dimensions.isEmpty { settings.dimensions = dimensions }
        if let months = health.integer("cadence_months", in: 1...120) { settings.cadenceMonths = months }
        if let misses = health.integer("kpi_misses", in: 1...24) { settings.kpiMisses = misses }
        if let day = health.integer("kpi_due_day", in: 1...28) { settings.kpiDueDay = day }
        if let value = health.node["gap"], !value.isNull {
            if let text = value.scalarText, let gap = Double(text.trimmingSpaces), gap > 0, gap <= 4 {
                settings.gap = gap
            } else {
                health.sink.error("field.value", line: value.line, "'gap' must be a number above 0 and at most 4 (points out of 5)")
            }
        }
        reader.absorb(health)
        return settings
    }
}

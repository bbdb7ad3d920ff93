/// How often a KPI is measured.
public enum KPIPeriodKind: String, Vocabulary {
    case monthly, quarterly, annually
    public static let fieldDescription = "KPI period"

    /// How a period of this kind is written, for messages.
    public var example: String {
        switch self {
        case .monthly: return "2026-03"
        case .quarterly: return "2026-Q1"
        case .annually: return "2026"
        }
    }

    /// Months in one period.
    public var months: Int {
        switch self {
        case .monthly: return 1
        case .quarterly: return 3
        case .annually: return 12
        }
    }
}

/// Which way a KPI improves.
public enum KPIDirection: String, Vocabulary {
    case higher, lower
    public static let fieldDescription = "better"
}

/// One period a KPI is measured over: a month (`2026-03`), a quarter (`2026-Q1`) or a year (`2026`).
public struct KPIPeriod: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var kind: KPIPeriodKind
    public var year: Int
    /// The month (1–12), the quarter (1–4), or 1 for a year.
    public var number: Int

    public init?(kind: KPIPeriodKind, year: Int, number: Int) {
        let limit = kind == .monthly ? 12 : kind == .quarterly ? 4 : 1
        guard (1...9999).contains(year), (1...limit).contains(number) else { return nil }
        self.kind = kind
        self.year = year
        self.number = number
    }

    /// Reads `2026-03`, `2026-Q1` (or `2026-q1`) or `2026`.
    public init?(_ text: String) {
        let text = text.trimmingSpaces
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let yearText = parts.first, yearText.count == 4, let year = Int(yearText) else { return nil }
        if parts.count == 1 {
            self.init(kind: .annually, year: year, number: 1)
        } else if parts.count == 2, parts[1].count == 2, let first = parts[1].first {
            if first == "Q" || first == "q" {
                guard let quarter = Int(parts[1].dropFirst()) else { return nil }
                self.init(kind: .quarterly, year: year, number: quarter)
            } else {
                guard let month = Int(parts[1]) else { return nil }
                self.init(kind: .monthly, year: year, number: month)
            }
        } else {
            return nil
        }
    }

    /// The period of `kind` holding `day`.
    public init(kind: KPIPeriodKind, containing day: Day) {
        self.kind = kind
        year = day.year
        number = (day.month - 1) / kind.months + 1
    }

    public var description: String {
        switch kind {
        case .monthly: return "\(year)-" + (number < 10 ? "0\(number)" : "\(number)")
        case .quarterly: return "\(year)-Q\(number)"
        case .annually: return "\(year)"
        }
    }

    /// The first and last day.
    public var firstDay: Day { Day(year: year, month: (number - 1) * kind.months + 1, day: 1)! }
    public var lastDay: Day { next.firstDay.adding(days: -1) }

    /// The period after this one.
    public var next: KPIPeriod {
        let limit = 12 / kind.months
        return number == limit ? KPIPeriod(kind: kind, year: year + 1, number: 1)! : KPIPeriod(kind: kind, year: year, number: number + 1)!
    }

    /// The period before this one.
    public var previous: KPIPeriod {
        let limit = 12 / kind.months
        return number == 1 ? KPIPeriod(kind: kind, year: year - 1, number: limit)! : KPIPeriod(kind: kind, year: year, number: number - 1)!
    }

    public static func < (a: KPIPeriod, b: KPIPeriod) -> Bool { (a.year, a.number) < (b.year, b.number) }
}

/// A key performance indicator the partnership agreed, from `kpis:` in baton.yml; its measurements are in
/// `content/kpis/<id>.md`.
///
///     kpis:
///       - id: p1-restore
///         name: Priority 1 incidents restored within 4 hours
///         unit: "%"
///         target: 95
///         better: higher                     # or lower
///         owner: castellan-service-delivery-manager
///         period: quarterly                  # monthly, quarterly (the default) or annually
public struct KPIDefinition: Sendable, Equatable {
    public var id: String
    public var name: String
    public var unit: String?
    public var target: Double
    public var better: KPIDirection
    /// The role that answers for it.
    public var owner: Reference?
    public var period: KPIPeriodKind
    public var line: Int

    /// Whether `value` meets the target.
    public func meets(_ value: Double) -> Bool { better == .higher ? value >= target : value <= target }

    /// A value with its unit: `96.1 %`, `4.2 h`, `12`.
    public func text(_ value: Double) -> String {
        let number = KPIDefinition.number(value)
        guard let unit, !unit.isEmpty else { return number }
        return unit == "%" ? number + " %" : number + " " + unit
    }

    /// A change between two values, signed: `+1.2 points` for a percentage, `−2 lines`.
    public func changeText(_ change: Double) -> String {
        guard change != 0 else { return "no change" }
        let size = KPIDefinition.number(abs(change))
        let unitText = unit == "%" ? " point" + (abs(change) == 1 ? "" : "s") : unit.map { " " + $0 } ?? ""
        return (change > 0 ? "+" : "−") + size + unitText
    }

    /// A number as people write it: no trailing `.0`, at most two decimals.
    public static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    static func read(_ reader: inout FieldReader) -> [KPIDefinition] {
        reader.list("kpis") { (kpi: inout FieldReader) -> KPIDefinition? in
            let id = kpi.string("id", required: "a short id, also the name of its file in content/kpis/")
            let name = kpi.string("name", required: "what is measured")
            let unit = kpi.string("unit")
            var target: Double?
            if let value = kpi.node["target"], !value.isNull {
                if let text = value.scalarText, let number = Double(text.trimmingSpaces), number.isFinite {
                    target = number
                } else {
                    kpi.sink.error("field.value", line: value.line, "'target' must be a number, not '\(value.scalarText ?? "a list")'")
                }
            } else {
                kpi.missing("target", "the value agreed, a number")
            }
            let better = kpi.word("better", KPIDirection.self, required: true)
            let owner = kpi.reference("owner", .role)
            let period = kpi.word("period", KPIPeriodKind.self) ?? .quarterly
            if let id, !Validator.isValidID(id) || id.contains("/") {
                kpi.sink.error("field.value", line: kpi.node["id"]?.line ?? kpi.line,
                    "the KPI id '\(id)' must be lower-case letters, digits, '-' or '_', as it names content/kpis/\(id).md")
                return nil
            }
            guard let id, let name, let target, let better else { return nil }
            return KPIDefinition(id: id, name: name, unit: unit, target: target, better: better, owner: owner,
                                 period: period, line: kpi.line)
        }
    }
}

/// The measurements of one KPI, in `content/kpis/<id>.md`: a value per period, and in the body how it is
/// measured and what explains the figures.
///
///     measurements:
///       2026-Q1: 93.5
///       2026-Q2: 96.1
public struct KPIRecord: Sendable, Equatable {
    public struct Measurement: Sendable, Equatable {
        public var period: KPIPeriod
        public var value: Double
        public var line: Int
    }

    public var title: String?
    /// In period order.
    public var measurements: [Measurement]

    public func value(in period: KPIPeriod) -> Double? { measurements.first { $0.period == period }?.value }

    static func read(_ reader: inout FieldReader) -> KPIRecord {
        let title = reader.string("title")
        var measurements: [Measurement] = []
        if let node = reader.node["measurements"], !node.isNull {
            if let pairs = node.pairs {
                for pair in pairs {
                    guard let period = KPIPeriod(pair.key) else {
                        reader.sink.error("field.value", line: pair.line,
                            "'\(pair.key)' is not a period; write a month as 2026-03, a quarter as 2026-Q1 or a year as 2026")
                        continue
                    }
                    guard let text = pair.value.scalarText, let value = Double(text.trimmingSpaces), value.isFinite else {
                        reader.sink.error("field.value", line: pair.value.line,
                            "the measurement for \(pair.key) is '\(pair.value.scalarText ?? "not a number")'; a measurement is a number")
                        continue
                    }
                    if measurements.contains(where: { $0.period == period }) {
                        reader.sink.error("field.duplicate", line: pair.line, "\(period) is measured twice")
                        continue
                    }
                    measurements.append(Measurement(period: period, value: value, line: pair.line))
                }
            } else {
                reader.sink.error("field.type", line: node.line,
                    "'measurements' must map each period to its value, as 2026-Q1: 96.5")
            }
        }
        return KPIRecord(title: title, measurements: measurements.sorted { $0.period < $1.period })
    }

    func write(_ writer: inout FieldWriter) {
        writer.set("title", title)
    }
}

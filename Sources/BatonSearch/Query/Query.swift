/// A parsed query.
public indirect enum Query: Sendable, Equatable, CustomStringConvertible {
    /// A word, optionally limited to one text field, as a prefix (`contract*`) or fuzzy (`contarct~`, distance 1
    /// or 2).
    case word(String, field: String?, prefix: Bool, fuzzy: Int)
    /// Words that must appear next to each other, in order.
    case phrase([String], field: String?)
    /// A keyword field must have this value (`type:person`).
    case filter(field: String, value: String)
    /// Every part must match (parts that are `.not` exclude).
    case and([Query])
    /// Any part may match.
    case or([Query])
    case not(Query)

    public var description: String {
        switch self {
        case .word(let text, let field, let prefix, let fuzzy):
            return (field.map { "\($0):" } ?? "") + text + (prefix ? "*" : "") + (fuzzy > 0 ? "~\(fuzzy)" : "")
        case .phrase(let words, let field):
            return (field.map { "\($0):" } ?? "") + "\"" + words.joined(separator: " ") + "\""
        case .filter(let field, let value): return "\(field):\(value)"
        case .and(let parts): return "(" + parts.map(\.description).joined(separator: " AND ") + ")"
        case .or(let parts): return "(" + parts.map(\.description).joined(separator: " OR ") + ")"
        case .not(let part): return "-" + part.description
        }
    }

    /// True for a query of bare words only (what a person types when not using operators).
    var isBareWords: Bool {
        switch self {
        case .word(_, nil, false, 0): return true
        case .and(let parts): return parts.allSatisfy { if case .word(_, nil, false, 0) = $0 { true } else { false } }
        default: return false
        }
    }
}

/// A query that cannot be parsed, with the character position (0-based) where the problem is.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var position: Int

    public var description: String { "\(message) (at character \(position + 1))" }
}

/// The eight kinds of entity a knowledge base holds, each in its own folder under `content/`.
public enum EntityKind: String, Sendable, CaseIterable, Hashable, Comparable {
    case role, person, checklist, handover, onboarding, knowledge, healthcheck, kpi

    /// The folder under `content/` that holds this kind.
    public var directory: String {
        switch self {
        case .role: return "roles"
        case .person: return "people"
        case .checklist: return "checklists"
        case .handover: return "handovers"
        case .onboarding: return "onboardings"
        case .knowledge: return "knowledge"
        case .healthcheck: return "healthchecks"
        case .kpi: return "kpis"
        }
    }

    /// The kind whose folder is `directory`, if any.
    public init?(directory: String) {
        guard let kind = Self.allCases.first(where: { $0.directory == directory }) else { return nil }
        self = kind
    }

    /// The kind named by a user: `role`, `roles`, `people`, `person`, …
    public init?(userName: String) {
        let name = userName.lowercased()
        guard let kind = Self.allCases.first(where: { $0.rawValue == name || $0.directory == name }) else {
            return nil
        }
        self = kind
    }

    /// The plural for people to read ("roles", "people").
    public var plural: String { directory }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A reference to another entity as written in front matter, with the line it was written on.
///
/// A reference may give the full id (`people/amara-okafor`) or the id without its kind's folder
/// (`amara-okafor`); a knowledge reference may also be the entry's bare name when that is unique.
public struct Reference: Sendable, Hashable, CustomStringConvertible {
    public var raw: String
    public var line: Int
    /// The kinds this reference may point at (one, except for "people to meet", which may name roles).
    public var kinds: [EntityKind]

    public init(_ raw: String, line: Int, kinds: [EntityKind]) {
        self.raw = raw
        self.line = line
        self.kinds = kinds
    }

    public var description: String { raw }
}

extension EntityKind {
    /// Front-matter fields every kind may have.
    public static let commonFields: Set<String> = ["confidentiality", "review_by", "lang", "id"]

    /// The front-matter fields Baton reads for this kind (besides `commonFields`); any other key is kept as
    /// written, and `baton check` names the nearest of these when a key looks like a misspelling.
    public var fields: Set<String> {
        switch self {
        case .role:
            return ["title", "organisation", "tier", "function", "counterpart", "reports_to", "responsibilities", "skills",
                    "outcomes", "onboarding", "checklist"]
        case .person:
            return ["name", "organisation", "roles", "deputy", "successor", "counterpart", "key_person", "start_date",
                    "leaving_date", "status", "contact"]
        case .checklist: return ["title", "role"]
        case .handover: return ["title", "role", "from", "to", "template", "started", "leaving", "status"]
        case .onboarding: return ["title", "role", "person", "buddy", "start", "status"]
        case .knowledge:
            return ["title", "section", "owner", "ip", "sharing", "tags", "source", "source_hash", "description", "author",
                    "modified", "reviewed"]
        case .healthcheck: return ["title", "date", "respondents", "scores"]
        case .kpi: return ["title", "measurements"]
        }
    }
}

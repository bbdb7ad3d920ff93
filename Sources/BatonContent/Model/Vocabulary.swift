/// A closed set of words that a front-matter field may take. Each case's raw value is what the file says.
public protocol Vocabulary: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {
    /// What the field is, for error messages ("confidentiality", "tier").
    static var fieldDescription: String { get }
}

extension Vocabulary {
    /// The allowed values, comma-separated, for error messages and templates.
    public static var allowedList: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// Who may see an entity. Ordered: a build for an audience includes everything at or below its level.
public enum Confidentiality: String, Vocabulary, Comparable {
    case `public`, `internal`, restricted
    public static let fieldDescription = "confidentiality"

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The governance tier a role works at.
public enum Tier: String, Vocabulary {
    case executive, operational, functional
    public static let fieldDescription = "tier"
}

/// Which of the separate management disciplines a role carries, when it carries one.
public enum RoleFunction: String, Vocabulary {
    case serviceDelivery = "service-delivery"
    case transformation, relationship, commercial
    /// Sponsorship and direction, such as a Senior Executive Responsible.
    case executive
    /// A specialist role outside the four management disciplines (architecture, security, …).
    case specialist
    public static let fieldDescription = "function"

    /// The four management disciplines a partnership separates, each with its own person on each side.
    public static let managementDisciplines: Set<RoleFunction> = [.serviceDelivery, .transformation, .relationship, .commercial]
}

/// An organisation's side of the partnership.
public enum OrganisationSide: String, Vocabulary {
    case client, supplier, partner
    public static let fieldDescription = "side"
}

/// The phase the partnership is in.
public enum PartnershipPhase: String, Vocabulary {
    case decision, operations, exit
    public static let fieldDescription = "phase"
}

/// The eight stages of the ISO 44001 collaborative life cycle.
public enum LifecycleStage: String, Vocabulary {
    case operationalAwareness = "operational-awareness"
    case knowledge
    case internalAssessment = "internal-assessment"
    case partnerSelection = "partner-selection"
    case workingTogether = "working-together"
    case valueCreation = "value-creation"
    case stayingTogether = "staying-together"
    case exitStrategyActivation = "exit-strategy-activation"
    public static let fieldDescription = "lifecycle stage"
}

/// The ten parts of the relationship management plan; every knowledge entry belongs to one.
public enum PlanSection: String, Vocabulary {
    case organisationalArrangements = "organisational-arrangements"
    case businessCase = "business-case"
    case assetRegister = "asset-register"
    case riskAssessment = "risk-assessment"
    case commercialAgreement = "commercial-agreement"
    case managementActivities = "management-activities"
    case continuousImprovement = "continuous-improvement"
    case knowledgeManagement = "knowledge-management"
    case communications
    case exitArrangements = "exit-arrangements"
    public static let fieldDescription = "plan section"

    /// The section's number in the plan (1 to 10).
    public var number: Int { Self.allCases.firstIndex(of: self)! + 1 }

    /// The section's heading as people say it.
    public var title: String {
        switch self {
        case .organisationalArrangements: return "Organisational arrangements"
        case .businessCase: return "Business case"
        case .assetRegister: return "Asset register"
        case .riskAssessment: return "Risk assessment"
        case .commercialAgreement: return "Commercial agreement"
        case .managementActivities: return "Management activities"
        case .continuousImprovement: return "Continuous improvement and innovation"
        case .knowledgeManagement: return "Knowledge management"
        case .communications: return "Communications"
        case .exitArrangements: return "Exit arrangements"
        }
    }
}

/// Who owns a piece of intellectual property, seen from the knowledge base's home organisation.
public enum IPOwnership: String, Vocabulary {
    case ours, theirs, joint
    public static let fieldDescription = "IP ownership"
}

/// The knowledge map: whether an entry can, could (with agreement) or cannot be shared with the partner.
public enum Sharing: String, Vocabulary {
    case can, could, cannot
    public static let fieldDescription = "sharing"
}

/// How often a governance meeting happens.
public enum Frequency: String, Vocabulary {
    case daily, weekly, fortnightly, monthly, quarterly, annually
    public static let fieldDescription = "frequency"
}

/// Whether a person is still in post.
public enum PersonStatus: String, Vocabulary {
    case active, left
    public static let fieldDescription = "status"
}

/// Where a handover stands.
public enum HandoverStatus: String, Vocabulary {
    case open, complete
    public static let fieldDescription = "handover status"
}

public enum OnboardingStatus: String, Vocabulary {
    case open, complete
    public static let fieldDescription = "onboarding status"
}

/// A role in the partnership and the path that onboards someone into it.
public struct Role: Sendable, Equatable {
    public var title: String
    /// The organisation (an id from `baton.yml`) the role belongs to.
    public var organisation: String
    public var organisationLine: Int
    public var tier: Tier?
    public var function: RoleFunction?
    /// The role of the same level on the other side.
    public var counterpart: Reference?
    public var reportsTo: Reference?
    public var responsibilities: [String]
    public var skills: [String]
    public var outcomes: [String]
    public var onboarding: [OnboardingStep]
    /// The handover checklist template for this role.
    public var checklist: Reference?

    static func read(_ reader: inout FieldReader) -> Role {
        let title = reader.string("title", required: "the role's name") ?? ""
        let organisation = reader.string("organisation", required: "an organisation id from baton.yml") ?? ""
        let tier = reader.word("tier", Tier.self, required: true)
        return Role(
            title: title, organisation: organisation, organisationLine: reader.node["organisation"]?.line ?? reader.line,
            tier: tier, function: reader.word("function", RoleFunction.self),
            counterpart: reader.reference("counterpart", .role), reportsTo: reader.reference("reports_to", .role),
            responsibilities: reader.strings("responsibilities"), skills: reader.strings("skills"),
            outcomes: reader.strings("outcomes"), onboarding: reader.list("onboarding", OnboardingStep.read),
            checklist: reader.reference("checklist", .checklist))
    }

    func write(_ writer: inout FieldWriter) {
        writer.set("title", title)
        writer.set("organisation", organisation)
        writer.set("tier", tier)
        writer.set("function", function)
        writer.set("counterpart", counterpart)
        writer.set("reports_to", reportsTo)
        writer.set("responsibilities", responsibilities)
        writer.set("skills", skills)
        writer.set("outcomes", outcomes)
        // Each step is written into the node it was read from, so keys Baton does not know stay in it.
        let existing = writer.node["onboarding"]?.items ?? []
        let steps = onboarding.enumerated().map { index, step in
            step.node(mergingInto: index < existing.count ? existing[index] : nil)
        }
        writer.set("onboarding", steps.isEmpty && writer.node["onboarding"] == nil ? nil : YAMLNode.sequence(steps))
        writer.set("checklist", checklist)
    }
}

/// One step of a role's onboarding path: when it falls, what to do, what to read and whom to meet.
public struct OnboardingStep: Sendable, Equatable {
    public var when: StepTime
    public var action: String
    /// Knowledge entries to read.
    public var read: [Reference]
    /// People or roles to meet.
    public var meet: [Reference]
    public var line: Int

    static func read(_ reader: inout FieldReader) -> OnboardingStep? {
        let whenText = reader.string("when", required: "day N, week N or month N")
        let action = reader.string("do", required: "what to do in this step")
        let read = reader.references("read", .knowledge)
        let meet = reader.references("meet", .person, .role)
        guard let whenText, let action else { return nil }
        guard let when = StepTime(whenText) else {
            reader.sink.error("field.value", line: reader.node["when"]?.line ?? reader.line,
                "'when' is '\(whenText)'; write it as day N, week N or month N (for example: day 1, week 2)")
            return nil
        }
        return OnboardingStep(when: when, action: action, read: read, meet: meet, line: reader.line)
    }

    /// The step as a mapping, written over `existing` (the node it was read from) when there is one.
    func node(mergingInto existing: YAMLNode?) -> YAMLNode {
        var writer = FieldWriter(existing ?? .mapping([]))
        writer.set("when", when.description)
        writer.set("do", action)
        for (key, references) in [("read", read), ("meet", meet)] {
            if writer.node[key] == nil {
                if !references.isEmpty { writer.set(key, YAMLNode.sequence(references.map { .string($0.raw) }, flow: true)) }
            } else {
                writer.set(key, references)
            }
        }
        return writer.node
    }
}

/// When an onboarding step falls, counted from the first day in the role: `day 1`, `week 2`, `month 3`.
public struct StepTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public enum Unit: String, Sendable { case day, week, month }
    public var unit: Unit
    public var count: Int

    public init?(_ text: String) {
        let parts = text.lowercased().split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 2 else { return nil }
        var unitWord = String(parts[0])
        if unitWord.hasSuffix("s") { unitWord.removeLast() }
        guard let unit = Unit(rawValue: unitWord), let count = Int(parts[1]), count >= 1, count <= 1000 else {
            return nil
        }
        self.unit = unit
        self.count = count
    }

    /// The working day (1-based) by which the step is due: day N is working day N; week N ends on working day
    /// 5N and month N on working day 20N (a month counted as four working weeks).
    public var workingDay: Int {
        switch unit {
        case .day: return count
        case .week: return 5 * count
        case .month: return 20 * count
        }
    }

    public var description: String { "\(unit.rawValue) \(count)" }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.workingDay, lhs.unit.rawValue) < (rhs.workingDay, rhs.unit.rawValue)
    }
}

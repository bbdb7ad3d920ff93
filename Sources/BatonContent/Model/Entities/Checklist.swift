/// A handover checklist template: a GitHub-flavoured task list in the body, grouped by headings.
public struct Checklist: Sendable, Equatable {
    public var title: String
    /// The role this template is for, if it is for one.
    public var role: Reference?

    static func read(_ reader: inout FieldReader) -> Checklist {
        Checklist(title: reader.string("title", required: "the checklist's name") ?? "",
                  role: reader.reference("role", .role))
    }

    func write(_ writer: inout FieldWriter) {
        writer.set("title", title)
        writer.set("role", role)
    }
}

/// A live handover from one person to another; its body is the task list both tick off.
public struct Handover: Sendable, Equatable {
    public var title: String?
    public var role: Reference?
    public var from: Reference?
    public var to: Reference?
    /// The checklist template the task list was built from.
    public var template: Reference?
    public var started: Day?
    /// The outgoing person's last day.
    public var leaving: Day?
    public var status: HandoverStatus

    static func read(_ reader: inout FieldReader) -> Handover {
        Handover(
            title: reader.string("title"),
            role: reader.reference("role", .role, required: "the role being handed over"),
            from: reader.reference("from", .person, required: "the person leaving the role"),
            to: reader.reference("to", .person, required: "the person taking the role on"),
            template: reader.reference("template", .checklist), started: reader.day("started"),
            leaving: reader.day("leaving"), status: reader.word("status", HandoverStatus.self) ?? .open)
    }

    func write(_ writer: inout FieldWriter) {
        writer.set("title", title)
        writer.set("role", role)
        writer.set("from", from)
        writer.set("to", to)
        writer.set("template", template)
        writer.set("started", started)
        writer.set("leaving", leaving)
        writer.set("status", status, default: .open)
    }
}

/// Someone's onboarding into a role, tracked like a handover: its body is the dated task list they tick off.
public struct Onboarding: Sendable, Equatable {
    public var title: String?
    public var role: Reference?
    /// The person starting.
    public var person: Reference?
    /// Who helps them find their way in their first weeks.
    public var buddy: Reference?
    /// The first day in the role.
    public var start: Day?
    public var status: OnboardingStatus

    static func read(_ reader: inout FieldReader) -> Onboarding {
        Onboarding(
            title: reader.string("title"),
            role: reader.reference("role", .role, required: "the role being taken up"),
            person: reader.reference("person", .person, required: "the person starting"),
            buddy: reader.reference("buddy", .person),
            start: reader.day("start", required: true),
            status: reader.word("status", OnboardingStatus.self) ?? .open)
    }

    func write(_ writer: inout FieldWriter) {
        writer.set("title", title)
        writer.set("role", role)
        writer.set("person", person)
        writer.set("buddy", buddy)
        writer.set("start", start)
        writer.set("status", status, default: .open)
    }
}

/// A piece of partnership knowledge or IP, filed under one of the plan's ten sections.
public struct KnowledgeEntry: Sendable, Equatable {
    public var title: String
    public var section: PlanSection?
    public var owner: Reference?
    public var ip: IPOwnership?
    public var sharing: Sharing?
    public var tags: [String]
    /// Where an imported entry came from (a path or URL).
    public var source: String?
    /// When the entry was last checked and found right.
    public var reviewed: Day?

    static func read(_ reader: inout FieldReader) -> KnowledgeEntry {
        KnowledgeEntry(
            title: reader.string("title", required: "the entry's title") ?? "",
            section: reader.word("section", PlanSection.self, required: true),
            owner: reader.reference("owner", .person), ip: reader.word("ip", IPOwnership.self),
            sharing: reader.word("sharing", Sharing.self), tags: reader.strings("tags"),
            source: reader.string("source"), reviewed: reader.day("reviewed"))
    }

    func write(_ writer: inout FieldWriter) {
        writer.set("title", title)
        writer.set("section", section)
        writer.set("owner", owner)
        writer.set("ip", ip)
        writer.set("sharing", sharing)
        writer.set("tags", tags)
        writer.set("source", source)
        writer.set("reviewed", reviewed)
    }
}

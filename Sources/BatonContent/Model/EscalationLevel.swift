/// A level of the escalation ladder (`escalation:` in baton.yml, lowest first): the tier that settles an issue
/// there, how soon it must respond, and the roles on both sides that take it (all the tier's roles unless
/// `roles:` names them).
public struct EscalationLevel: Sendable, Equatable {
    public var tier: Tier
    public var respondWithin: String?
    public var roles: [Reference]
    public var line: Int

    static func read(_ reader: inout FieldReader) -> [EscalationLevel] {
        reader.list("escalation") { (level: inout FieldReader) -> EscalationLevel? in
            let tier = level.word("tier", Tier.self, required: true)
            let respond = level.string("respond_within")
            let roles = level.references("roles", .role)
            return tier.map { EscalationLevel(tier: $0, respondWithin: respond, roles: roles, line: level.line) }
        }
    }
}

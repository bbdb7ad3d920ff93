/// Who takes an issue at each level of the escalation ladder today, by name, on both sides: the holders of the
/// level's roles (only those of one discipline when asked), and the deputy of a holder who has left or leaves
/// within the continuity window.
public struct EscalationLadder: Sendable {
    public struct Contact: Sendable, Equatable {
        public var person: String
        public var name: String
        /// Why this person: "" for a holder, or "deputy for Gareth Lowe, who leaves on 2026-12-18".
        public var note: String
    }

    public struct Seat: Sendable, Equatable {
        public var role: String
        public var title: String
        public var organisation: String
        public var contacts: [Contact]
    }

    public struct Level: Sendable, Equatable {
        public var number: Int
        public var tier: Tier
        public var respondWithin: String?
        public var seats: [Seat]
        public var line: Int
    }

    public var levels: [Level]
    /// Roles a level names that do not exist, with the level's line.
    public var unknownRoles: [(raw: String, line: Int)]

    public init(knowledgeBase: KnowledgeBase, today: Day, function: RoleFunction? = nil) {
        let analyzer = ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: today)
        let config = knowledgeBase.config
        let order = config.organisations.map(\.id)
        var unknown: [(String, Int)] = []
        levels = config.escalation.enumerated().map { index, level in
            var roles: [Entity]
            if level.roles.isEmpty {
                roles = knowledgeBase.entities(of: .role).filter { $0.role?.tier == level.tier }
            } else {
                roles = level.roles.compactMap { reference in
                    let role = knowledgeBase.target(reference)
                    if role == nil { unknown.append((reference.raw, reference.line)) }
                    return role
                }
            }
            // One discipline: its roles, and those that answer for every discipline (sponsors, or none given).
            if let function {
                roles = roles.filter { $0.role?.function == function || $0.role?.function == .executive || $0.role?.function == nil }
            }
            roles.sort { role, other in
                let a = (order.firstIndex(of: role.role?.organisation ?? "") ?? order.count, role.title)
                let b = (order.firstIndex(of: other.role?.organisation ?? "") ?? order.count, other.title)
                return a < b
            }
            let seats = roles.map { role -> Seat in
                var contacts: [Contact] = []
                let holders = analyzer.holders(of: role)
                for holder in holders {
                    contacts.append(Contact(person: holder.id, name: holder.title, note: ""))
                    if analyzer.isLeavingSoon(holder), let deputy = knowledgeBase.target(holder.person?.deputy), !analyzer.hasLeft(deputy),
                        !holders.contains(where: { $0.id == deputy.id })
                    {
                        contacts.append(Contact(person: deputy.id, name: deputy.title,
                                                note: "deputy for \(holder.title), who leaves on \(analyzer.leavingDate(holder)!)"))
                    }
                }
                // A holder who has left is not offered; their deputy is.
                let gone = knowledgeBase.entities(of: .person).filter { person in
                    (person.person?.roles ?? []).contains { knowledgeBase.target($0)?.id == role.id } && analyzer.hasLeft(person)
                }
                for leaver in gone {
                    if let deputy = knowledgeBase.target(leaver.person?.deputy), !analyzer.hasLeft(deputy),
                        !contacts.contains(where: { $0.person == deputy.id && $0.note.isEmpty })
                    {
                        contacts.append(Contact(person: deputy.id, name: deputy.title, note: "deputy for \(leaver.title), who has left"))
                    }
                }
                return Seat(role: role.id, title: role.title, organisation: role.role?.organisation ?? "", contacts: contacts)
            }
            return Level(number: index + 1, tier: level.tier, respondWithin: level.respondWithin, seats: seats, line: level.line)
        }
        unknownRoles = unknown
    }
}

extension ContinuityAnalyzer {
    /// A level of the escalation ladder whose role nobody holds, or that names a role there is not.
    func escalationFindings(_ add: (String, Entity?, String?, Int?, String, String) -> Void) {
        guard !knowledgeBase.config.escalation.isEmpty else { return }
        let ladder = EscalationLadder(knowledgeBase: knowledgeBase, today: today)
        for (raw, line) in ladder.unknownRoles {
            add("escalation-no-holder", nil, KnowledgeBase.configFile, line,
                "the escalation ladder names the role '\(raw)', which does not exist", "correct the role id under escalation: in baton.yml")
        }
        for level in ladder.levels {
            for seat in level.seats where seat.contacts.isEmpty {
                add("escalation-no-holder", knowledgeBase.entity(id: seat.role), KnowledgeBase.configFile, level.line,
                    "nobody takes issues at escalation level \(level.number) (\(level.tier.rawValue)) for \(seat.title) "
                        + "(\(knowledgeBase.config.organisation(seat.organisation)?.name ?? seat.organisation))",
                    "name a holder for \(seat.role), or a deputy for the one who left")
            }
        }
    }
}

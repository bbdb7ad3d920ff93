import BatonContent

/// The site's `escalation.html`: each level of the ladder with the roles on both sides and the people who take
/// an issue there today, by name (with the deputy of a holder who is leaving), only those this audience sees.
struct EscalationPage: TemplateValues {
    struct Level: TemplateValues {
        var number: Int
        var tier: String
        var respondWithin: String?
        var seats: [Seat]
        func value(_ name: String) -> Any? {
            switch name {
            case "number": return number
            case "tier": return tier
            case "respondWithin": return respondWithin
            case "seats": return seats
            case "hasSeats": return !seats.isEmpty
            default: return nil
            }
        }
    }

    struct Seat: TemplateValues {
        var organisation: String
        var role: Link
        var people: [NotedLink]
        func value(_ name: String) -> Any? {
            switch name {
            case "organisation": return organisation
            case "role": return role
            case "people": return people
            case "hasPeople": return !people.isEmpty
            default: return nil
            }
        }
    }

    var levels: [Level]
    func value(_ name: String) -> Any? { name == "levels" ? levels : nil }
}

extension SiteBuilder {
    /// The page, or nil when baton.yml has no ladder.
    func escalationPage(root: String) -> EscalationPage? {
        let config = knowledgeBase.config
        guard !config.escalation.isEmpty else { return nil }
        let ladder = EscalationLadder(knowledgeBase: knowledgeBase, today: options.today)
        return EscalationPage(levels: ladder.levels.map { level in
            EscalationPage.Level(
                number: level.number, tier: level.tier.rawValue.capitalized + " tier", respondWithin: level.respondWithin,
                seats: level.seats.compactMap { seat -> EscalationPage.Seat? in
                    guard let role = visible[seat.role] else { return nil }
                    return EscalationPage.Seat(
                        organisation: config.organisation(seat.organisation)?.name ?? seat.organisation,
                        role: link(role, root: root),
                        people: seat.contacts.map { contact in
                            let person = visible[contact.person]
                            let shown = person.map { link($0, root: root) }
                                ?? knowledgeBase.entity(id: contact.person).map(hidden) ?? Link(title: contact.name)
                            return NotedLink(link: shown, notes: contact.note.isEmpty || person == nil ? [:] : ["note": contact.note])
                        })
                })
        })
    }
}

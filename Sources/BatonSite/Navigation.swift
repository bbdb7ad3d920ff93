import BatonContent

/// Where every page sits in the site, worked out once per build from what the audience may see: the areas of
/// the sidebar (one per kind), their groups (knowledge by plan section, roles and people by organisation and
/// tier, the rest in one), and each entity's place in its group, which gives its breadcrumbs, the group the
/// sidebar opens, and its previous and next page. The kind's list page shows the same groups under the same
/// anchors, so a group in the sidebar links to its place there.
struct Navigation {
    struct Group {
        var title: String
        /// For roles and people: the organisation, and the tier on its own (the sidebar shows the organisation
        /// once, above its tiers).
        var organisation: String = ""
        var tier: String = ""
        /// The id of the group's heading on the kind's list page (empty for a kind in one unnamed group).
        var anchor: String
        var members: [Entity]
    }

    struct Area {
        var kind: EntityKind
        var groups: [Group]
        var count: Int { groups.reduce(0) { $0 + $1.members.count } }
    }

    /// An entity's place: its area, its group in the area, its index in the group.
    struct Place {
        var area: Int
        var group: Int
        var index: Int
    }

    /// The areas in the order a newcomer needs them: roles and people first, then knowledge, then the records.
    static let order: [EntityKind] = [.role, .person, .knowledge, .checklist, .handover, .onboarding, .healthcheck, .kpi]

    /// At most this many pages of the open group are listed in the sidebar, around the current one; the list
    /// page has them all. (A sidebar listing every page on every page would make the site grow with the square
    /// of its size.)
    static let groupWindow = 40

    let areas: [Area]
    let places: [String: Place]

    init(visible: [String: Entity], config: Config, resolve: (Reference) -> Entity?) {
        var byKind: [EntityKind: [Entity]] = [:]
        for entity in visible.values { byKind[entity.kind, default: []].append(entity) }
        func tierRank(_ tier: Tier?) -> Int { tier.flatMap { Tier.allCases.firstIndex(of: $0) } ?? Tier.allCases.count }
        // A person's tier: that of the first role they hold that has one.
        func tierOf(_ person: Entity) -> Tier? {
            for reference in person.person?.roles ?? [] {
                if let tier = resolve(reference)?.role?.tier { return tier }
            }
            return nil
        }
        // Organisations in baton.yml's order, then any other named by a role or person, alphabetically.
        let known = config.organisations.map(\.id)
        let named = Set(visible.values.compactMap { $0.role?.organisation ?? $0.person?.organisation })
        let organisations = known + named.subtracting(known).sorted()
        func byOrganisationAndTier(_ members: [Entity], tier: (Entity) -> Tier?, organisation: (Entity) -> String?) -> [Group] {
            var groups: [Group] = []
            for id in organisations {
                let inOrganisation = members.filter { organisation($0) == id }
                let name = config.organisation(id)?.name ?? id
                for rank in 0...Tier.allCases.count {
                    let inTier = inOrganisation.filter { tierRank(tier($0)) == rank }
                    if inTier.isEmpty { continue }
                    let tierName = rank < Tier.allCases.count ? Tier.allCases[rank].rawValue.capitalized + " tier" : "no tier"
                    let tierSlug = rank < Tier.allCases.count ? Tier.allCases[rank].rawValue : "no-tier"
                    groups.append(Group(title: name + " · " + tierName, organisation: name, tier: tierName,
                                        anchor: Self.slug(id) + "-" + tierSlug, members: inTier))
                }
            }
            return groups
        }

        var areas: [Area] = []
        for kind in Self.order {
            let entities = SiteBuilder.sortedByTitle(byKind[kind] ?? [])
            var groups: [Group]
            switch kind {
            case .knowledge:
                groups = PlanSection.allCases.compactMap { section in
                    let members = entities.filter { $0.knowledge?.section == section }
                    return members.isEmpty ? nil : Group(title: "\(section.number). \(section.title)", anchor: section.rawValue, members: members)
                }
            case .role:
                groups = byOrganisationAndTier(entities, tier: { $0.role?.tier }, organisation: { $0.role?.organisation })
            case .person:
                groups = byOrganisationAndTier(entities, tier: tierOf, organisation: { $0.person?.organisation })
            case .checklist, .handover, .onboarding, .healthcheck, .kpi:
                groups = []
            }
            let grouped = Set(groups.flatMap { $0.members.map(\.id) })
            let rest = entities.filter { !grouped.contains($0.id) }
            if !rest.isEmpty { groups.append(Group(title: groups.isEmpty ? "" : "Other", anchor: groups.isEmpty ? "" : "other", members: rest)) }
            areas.append(Area(kind: kind, groups: groups))
        }
        var places: [String: Place] = [:]
        for (a, area) in areas.enumerated() {
            for (g, group) in area.groups.enumerated() {
                for (i, member) in group.members.enumerated() { places[member.id] = Place(area: a, group: g, index: i) }
            }
        }
        self.areas = areas
        self.places = places
    }

    /// An anchor made of an id: letters, digits and hyphens.
    static func slug(_ text: String) -> String {
        String(text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
    }

    func area(_ kind: EntityKind) -> Area? { areas.first { $0.kind == kind } }

    /// The page before and after an entity's in its group.
    func neighbours(of id: String) -> (previous: Entity?, next: Entity?) {
        guard let place = places[id] else { return (nil, nil) }
        let members = areas[place.area].groups[place.group].members
        return (place.index > 0 ? members[place.index - 1] : nil,
                place.index + 1 < members.count ? members[place.index + 1] : nil)
    }

    /// The members of a group the sidebar lists: all of a small group, else a window around `index`.
    static func window(_ members: [Entity], around index: Int?) -> ArraySlice<Entity> {
        guard members.count > groupWindow else { return members[...] }
        let centre = index ?? 0
        let start = max(0, min(centre - groupWindow / 2, members.count - groupWindow))
        return members[start..<(start + groupWindow)]
    }
}

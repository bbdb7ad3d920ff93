import BatonContent

/// What one audience may see of a knowledge base — the entities at or below its level — and the relations the
/// pages show within it, worked out once per build: the people holding each role, the knowledge each person
/// owns, and whom each person is deputy and named successor for. Nothing above the audience is in it.
struct AudienceView {
    /// What this audience may see, by id.
    let visible: [String: Entity]
    /// Visible people by the id of each role they hold, and visible knowledge by its owner's id.
    let holders: [String: [Entity]]
    let owned: [String: [Entity]]
    /// Visible people by the id of the person they name as deputy, and as successor.
    let deputyFor: [String: [Entity]]
    let successorFor: [String: [Entity]]

    init(knowledgeBase: KnowledgeBase, audience: Confidentiality) {
        var visible: [String: Entity] = [:]
        for entity in knowledgeBase.entities where entity.confidentiality <= audience {
            visible[entity.id] = entity
        }
        self.visible = visible
        var holders: [String: [Entity]] = [:]
        var owned: [String: [Entity]] = [:]
        var deputyFor: [String: [Entity]] = [:]
        var successorFor: [String: [Entity]] = [:]
        for entity in visible.values {
            if let deputy = knowledgeBase.target(entity.person?.deputy) { deputyFor[deputy.id, default: []].append(entity) }
            if let successor = knowledgeBase.target(entity.person?.successor) {
                successorFor[successor.id, default: []].append(entity)
            }
            for reference in entity.person?.roles ?? [] {
                if case .found(let role) = knowledgeBase.resolve(reference) { holders[role.id, default: []].append(entity) }
            }
            if let owner = entity.knowledge?.owner, case .found(let person) = knowledgeBase.resolve(owner) {
                owned[person.id, default: []].append(entity)
            }
        }
        self.holders = holders.mapValues(SiteBuilder.sortedByTitle)
        self.owned = owned.mapValues(SiteBuilder.sortedByTitle)
        self.deputyFor = deputyFor.mapValues(SiteBuilder.sortedByTitle)
        self.successorFor = successorFor.mapValues(SiteBuilder.sortedByTitle)
    }
}

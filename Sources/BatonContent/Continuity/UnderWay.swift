/// A handover or onboarding still open, seen from one person or role, with how far it has got.
public struct RecordUnderWay: Sendable {
    public var entity: Entity
    /// The part the person plays: "handing over", "taking over", "starting", "buddy"; for a role, "handover" or
    /// "onboarding".
    public var side: String
    public var progress: Handovers.Progress
}

extension KnowledgeBase {
    /// The open handovers and onboardings `person` takes part in, handovers first, each in id order.
    public func recordsUnderWay(involving person: Entity, today: Day) -> [RecordUnderWay] {
        guard person.kind == .person else { return [] }
        func names(_ reference: Reference?) -> Bool { target(reference)?.id == person.id }
        var result: [RecordUnderWay] = []
        for entity in entities(of: .handover) {
            guard let record = entity.handover, record.status == .open else { continue }
            if let side = names(record.from) ? "handing over" : names(record.to) ? "taking over" : nil {
                result.append(RecordUnderWay(entity: entity, side: side, progress: Handovers.progress(of: entity, today: today)))
            }
        }
        for entity in entities(of: .onboarding) {
            guard let record = entity.onboarding, record.status == .open else { continue }
            if let side = names(record.person) ? "starting" : names(record.buddy) ? "buddy" : nil {
                result.append(RecordUnderWay(entity: entity, side: side, progress: Handovers.progress(of: entity, today: today)))
            }
        }
        return result
    }

    /// The open handovers of `role` and onboardings into it.
    public func recordsUnderWay(for role: Entity, today: Day) -> [RecordUnderWay] {
        guard role.kind == .role else { return [] }
        var result: [RecordUnderWay] = []
        for entity in entities(of: .handover) where entity.handover?.status == .open && target(entity.handover?.role)?.id == role.id {
            result.append(RecordUnderWay(entity: entity, side: "handover", progress: Handovers.progress(of: entity, today: today)))
        }
        for entity in entities(of: .onboarding)
        where entity.onboarding?.status == .open && target(entity.onboarding?.role)?.id == role.id {
            result.append(RecordUnderWay(entity: entity, side: "onboarding", progress: Handovers.progress(of: entity, today: today)))
        }
        return result
    }
}

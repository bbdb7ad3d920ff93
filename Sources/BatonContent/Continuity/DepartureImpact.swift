/// What a departure would do, worked out without changing a file: the question a relationship manager asks
/// first when they hear someone may go.
public struct DepartureImpact: Sendable {
    public var person: String
    public var name: String
    public var day: Day
    /// Roles whose only holder they are.
    public var rolesLosingOnlyHolder: [String]
    /// Knowledge entries they own.
    public var knowledgeLosingOwner: [String]
    /// People whose counterpart they are.
    public var brokenPeerPairs: [String]
    /// Open handovers they are part of.
    public var stalledHandovers: [String]
    /// Open onboardings they are the newcomer or the buddy in.
    public var stalledOnboardings: [String]
    /// People who name them as deputy or successor.
    public var coverLost: [String]
    public var before: ContinuityReport.Coverage
    public var after: ContinuityReport.Coverage
    /// Findings the departure adds.
    public var newFindings: [ContinuityReport.Finding]
}

extension ContinuityAnalyzer {
    /// The impact of `person` leaving on `day`.
    public func departureImpact(of person: Entity, on day: Day) -> DepartureImpact {
        let baseline = report()
        var simulated = self
        simulated.departures[person.id] = day
        let after = simulated.report()
        func refersTo(_ reference: Reference?) -> Bool { knowledgeBase.target(reference)?.id == person.id }
        let roles = knowledgeBase.entities(of: .role).filter { role in
            let holders = holders(of: role)
            return holders.count == 1 && holders[0].id == person.id
        }
        let knowledge = knowledgeBase.entities(of: .knowledge).filter { refersTo($0.knowledge?.owner) }
        let peers = knowledgeBase.entities(of: .person).filter { refersTo($0.person?.counterpart) }
        let covered = knowledgeBase.entities(of: .person).filter {
            refersTo($0.person?.deputy) || refersTo($0.person?.successor)
        }
        let handovers = knowledgeBase.entities(of: .handover).filter {
            $0.handover?.status == .open && (refersTo($0.handover?.from) || refersTo($0.handover?.to))
        }
        let onboardings = knowledgeBase.entities(of: .onboarding).filter {
            $0.onboarding?.status == .open && (refersTo($0.onboarding?.person) || refersTo($0.onboarding?.buddy))
        }
        let known = Set(baseline.findings.map { "\($0.rule)|\($0.entity)|\($0.message)" })
        return DepartureImpact(
            person: person.id, name: person.title, day: day, rolesLosingOnlyHolder: roles.map(\.id),
            knowledgeLosingOwner: knowledge.map(\.id), brokenPeerPairs: peers.map(\.id),
            stalledHandovers: handovers.map(\.id), stalledOnboardings: onboardings.map(\.id), coverLost: covered.map(\.id), before: baseline.coverage,
            after: after.coverage,
            newFindings: after.findings.filter { !known.contains("\($0.rule)|\($0.entity)|\($0.message)") })
    }
}

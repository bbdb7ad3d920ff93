import Foundation
import Testing

@testable import BatonContent

/// The relationship management plan as one document: its ten sections in order, who's who from the roles and
/// people, the knowledge under each section, and the completeness report — for one audience.
@Suite struct PlanTests {
    static let files: [String: String] = [
        "content/roles/client-rm.md": "---\ntitle: Relationship Manager\norganisation: client\ntier: operational\nfunction: relationship\nonboarding:\n  - {when: day 1, do: Meet the team}\n---\n",
        "content/roles/supplier-rm.md": "---\ntitle: Account Manager\norganisation: supplier\ntier: operational\nfunction: relationship\n---\n",
        "content/people/ana.md": "---\nname: Ana Silva\norganisation: client\nroles: [client-rm]\nkey_person: true\ncounterpart: sol\ndeputy: sol\n---\n",
        "content/people/sol.md": "---\nname: Sol Secret\norganisation: supplier\nroles: [supplier-rm]\nconfidentiality: restricted\n---\n",
        "content/knowledge/communications/comms.md": "---\ntitle: Comms plan\nsection: communications\nowner: ana\nip: joint\nsharing: can\nreviewed: 2026-01-10\nreview_by: 2026-06-30\n---\nText.\n",
        "content/knowledge/exit-arrangements/exit.md": "---\ntitle: Exit plan\nsection: exit-arrangements\nowner: sol\nconfidentiality: restricted\n---\nSecret.\n",
    ]

    func plan(_ audience: Confidentiality) throws -> RelationshipPlan {
        let config = TemporaryKnowledgeBase.standardConfig + "exit_triggers:\n  - Notice at the break point.\n"
        let fixture = try TemporaryKnowledgeBase(config: config, files: Self.files)
        return RelationshipPlan(knowledgeBase: try fixture.load(), audience: audience, today: Day("2026-11-20")!)
    }

    @Test func theTenSectionsInOrderWithWhoIsWhoAndKnowledge() throws {
        let text = try plan(.internal).markdown()
        var position = text.startIndex
        for section in PlanSection.allCases {
            let heading = try #require(text.range(of: "## \(section.number). \(section.title)\n", range: position..<text.endIndex), "\(section)")
            position = heading.upperBound
        }
        #expect(text.contains("| Operational | relationship | Relationship Manager: Ana Silva | Account Manager: a restricted person |")
            || text.contains("| Operational | relationship | Relationship Manager: Ana Silva | Account Manager (vacant) |"), "\(text)")
        #expect(text.contains("| Ana Silva (key person) | a restricted person | a restricted person | — |"))
        #expect(text.contains("| Comms plan | Ana Silva | joint | can | reviewed 2026-01-10; **overdue since 2026-06-30** |"))
        #expect(text.contains("- Notice at the break point."))
        #expect(!text.contains("Exit plan") && !text.contains("Sol Secret") && !text.contains("Secret."))
        // Completeness: empty sections, overdue entries, a role without onboarding, a key person without a successor.
        #expect(text.contains("- Sections with no entry: 1. Organisational arrangements; 2. Business case"))
        #expect(text.contains("- Overdue for review: Comms plan (review was due 2026-06-30)"))
        #expect(text.contains("- Roles without an onboarding path: Account Manager"))
        #expect(text.contains("- Key people without a successor: Ana Silva"))
    }

    @Test func aRestrictedPlanHasEverything() throws {
        let text = try plan(.restricted).markdown()
        #expect(text.contains("| Exit plan | Sol Secret |") && text.contains("Account Manager: Sol Secret"))
        let completeness = try plan(.restricted).completeness()
        #expect(!completeness.emptySections.contains(.exitArrangements) && completeness.emptySections.contains(.businessCase))
    }
}

import Foundation
import Testing

@testable import BatonContent

/// The escalation ladder: who takes an issue at each level, by name, with deputies for leavers, and the rule for
/// a level nobody can take.
@Suite struct EscalationTests {
    static let config = TemporaryKnowledgeBase.standardConfig + """
        escalation:
          - {tier: operational, respond_within: 3 working days}
          - tier: executive
            respond_within: 10 working days
            roles: [client-sponsor, supplier-sponsor, no-such-role]

        """

    static func role(_ title: String, _ organisation: String, _ tier: String, _ function: String) -> String {
        "---\ntitle: \(title)\norganisation: \(organisation)\ntier: \(tier)\nfunction: \(function)\n---\n"
    }

    static func person(_ name: String, _ organisation: String, roles: String, extra: String = "") -> String {
        "---\nname: \(name)\norganisation: \(organisation)\nroles: [\(roles)]\n\(extra)---\n"
    }

    static let files: [String: String] = [
        "content/roles/client-commercial.md": role("Commercial Manager", "client", "operational", "commercial"),
        "content/roles/client-delivery.md": role("Service Delivery Manager", "client", "operational", "service-delivery"),
        "content/roles/supplier-commercial.md": role("Commercial Manager", "supplier", "operational", "commercial"),
        "content/roles/client-sponsor.md": role("Sponsor", "client", "executive", "executive"),
        "content/roles/supplier-sponsor.md": role("Account Executive", "supplier", "executive", "executive"),
        "content/people/cara.md": person("Cara Client", "client", roles: "client-commercial", extra: "leaving_date: 2026-12-10\ndeputy: dev\n"),
        "content/people/dev.md": person("Dev Client", "client", roles: "client-delivery"),
        "content/people/sid.md": person("Sid Supplier", "supplier", roles: "supplier-commercial", extra: "status: left\ndeputy: sue\n"),
        "content/people/sue.md": person("Sue Supplier", "supplier", roles: "supplier-sponsor"),
    ]

    func ladder(_ function: RoleFunction? = nil) throws -> (EscalationLadder, [ContinuityReport.Finding]) {
        let fixture = try TemporaryKnowledgeBase(config: Self.config, files: Self.files)
        let knowledgeBase = try fixture.load()
        let today = Day("2026-11-20")!
        return (EscalationLadder(knowledgeBase: knowledgeBase, today: today, function: function),
                ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: today).report().findings.filter { $0.rule == "escalation-no-holder" })
    }

    @Test func eachLevelNamesThePeopleOnBothSides() throws {
        let (ladder, findings) = try ladder()
        #expect(ladder.levels.map(\.number) == [1, 2] && ladder.levels.map(\.tier) == [.operational, .executive])
        let operational = ladder.levels[0]
        #expect(operational.respondWithin == "3 working days")
        // The tier's roles, the client's first; a leaver's deputy beside them; a holder who left replaced by theirs.
        #expect(operational.seats.map(\.role) == ["roles/client-commercial", "roles/client-delivery", "roles/supplier-commercial"])
        #expect(operational.seats[0].contacts.map(\.name) == ["Cara Client", "Dev Client"])
        #expect(operational.seats[0].contacts[1].note == "deputy for Cara Client, who leaves on 2026-12-10")
        #expect(operational.seats[2].contacts.map(\.name) == ["Sue Supplier"])
        #expect(operational.seats[2].contacts[0].note == "deputy for Sid Supplier, who has left")
        // The executive level names its roles; the client sponsor has no holder, and one id is wrong.
        #expect(ladder.levels[1].seats.map(\.role) == ["roles/client-sponsor", "roles/supplier-sponsor"])
        #expect(ladder.unknownRoles.map(\.raw) == ["no-such-role"])
        #expect(findings.count == 2)
        #expect(findings.contains { $0.message.contains("nobody takes issues at escalation level 2 (executive) for Sponsor (Client Ltd)") && $0.file == "baton.yml" && $0.line == 8 })
        #expect(findings.contains { $0.message.contains("names the role 'no-such-role', which does not exist") })
    }

    @Test func aLevelWithABadTierIsNamedWithItsLine() throws {
        let config = TemporaryKnowledgeBase.standardConfig + "escalation:\n  - {tier: board, respond_within: 1 day}\n  - {respond_within: 2 days}\n"
        let knowledgeBase = try TemporaryKnowledgeBase(config: config, files: [:]).load()
        let found = knowledgeBase.diagnostics.filter { $0.file == "baton.yml" && $0.severity == .error }
        #expect(found.contains { $0.line == 7 && $0.message.contains("'tier' is 'board'") }, "\(found)")
        #expect(found.contains { $0.line == 8 && $0.message.contains("missing required field 'tier'") }, "\(found)")
        #expect(knowledgeBase.config.escalation.isEmpty)
    }

    @Test func oneDisciplineKeepsItsRolesAndTheSponsors() throws {
        let (ladder, _) = try ladder(.commercial)
        #expect(ladder.levels[0].seats.map(\.role) == ["roles/client-commercial", "roles/supplier-commercial"])
        #expect(ladder.levels[1].seats.map(\.role) == ["roles/client-sponsor", "roles/supplier-sponsor"])
        let (delivery, _) = try self.ladder(.serviceDelivery)
        #expect(delivery.levels[0].seats.map(\.role) == ["roles/client-delivery"])
    }
}

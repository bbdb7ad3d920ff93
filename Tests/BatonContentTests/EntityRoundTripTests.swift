import Foundation
import Testing

@testable import BatonContent

/// Reading an entity, changing a typed field and writing it back keeps every key the model does not know.
@Suite struct EntityRoundTripTests {
    static let config = TemporaryKnowledgeBase.standardConfig
        + "kpis:\n  - {id: restore, name: Incidents restored in time, target: 95, better: higher}\n"

    /// One file per kind, each with unknown keys at the top level and inside a known nested value.
    static let files: [String: String] = [
        "content/roles/client-lead.md": """
            ---
            title: Client lead
            organisation: client
            tier: operational
            x_budget_code: CC-1042      # unknown to Baton
            counterpart: supplier-lead
            onboarding:
              - when: day 1
                do: Meet the team
                meet: [supplier-lead]
                x_room: B2             # unknown, inside a step
            custom:
              nested: [1, 2, 3]
            ---
            Body text.
            """,
        "content/roles/supplier-lead.md": """
            ---
            title: Supplier lead
            organisation: supplier
            tier: operational
            counterpart: client-lead
            ---
            """,
        "content/people/ana-silva.md": """
            ---
            name: Ana Silva
            organisation: client
            roles: [client-lead]
            favourite_tool: "yes"
            contact: {email: ana@example.org, desk: 4F}
            ---
            """,
        "content/checklists/lead-handover.md": """
            ---
            title: Lead handover
            role: client-lead
            estimated_hours: 12
            ---
            - [ ] Introduce the successor
            """,
        "content/handovers/ana-to-ben.md": """
            ---
            role: client-lead
            from: ana-silva
            to: ana-silva-2
            ticket: HR-77
            ---
            - [x] Agree the plan
            """,
        "content/onboardings/ana-as-lead.md": """
            ---
            role: client-lead
            person: ana-silva-2
            buddy: ana-silva
            start: 2026-11-02
            laptop_ticket: IT-5
            ---
            - [ ] Meet the team (owner: newcomer, due: 2026-11-02)
            """,
        "content/healthchecks/2026-check.md": """
            ---
            date: 2026-06-01
            survey_tool: Forms      # unknown
            respondents: {client: [ana-silva], supplier: 4}
            scores:
              client: {communication: 3.5, trust: 4}
              supplier: {communication: 4, trust: 4.5}
            ---
            - [ ] Meet monthly (owner: ana-silva, due: 2026-09-01)
            """,
        "content/kpis/restore.md": """
            ---
            title: Incidents restored in time
            x_source: service desk export   # unknown to Baton
            measurements:
              2026-Q1: 93.5
              2026-Q2: 96
            ---
            How it is measured.
            """,
        "content/people/ana-silva-2.md": """
            ---
            name: Ana Silva (junior)
            organisation: client
            ---
            """,
        "content/knowledge/exit-arrangements/exit-plan.md": """
            ---
            title: Exit plan
            section: exit-arrangements
            legacy_ref: DOC-9
            tags: [exit, plan]
            ---
            The plan.
            """,
    ]

    @Test(arguments: EntityKind.allCases)
    func unknownKeysSurviveAnEdit(kind: EntityKind) throws {
        let fixture = try TemporaryKnowledgeBase(config: Self.config, files: Self.files)
        let knowledgeBase = try fixture.load()
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .error } == [])
        var entity = try #require(knowledgeBase.entities.first { $0.kind == kind })
        let unknownBefore = (entity.frontMatter.pairs ?? []).filter { !Self.knownKeys.contains($0.key) }
        #expect(!unknownBefore.isEmpty)

        // Change one typed field per kind.
        switch entity.record {
        case .role(var role): role.title = "Renamed role"; entity.record = .role(role)
        case .person(var person): person.name = "Renamed person"; entity.record = .person(person)
        case .checklist(var list): list.title = "Renamed list"; entity.record = .checklist(list)
        case .handover(var handover): handover.title = "Renamed handover"; entity.record = .handover(handover)
        case .onboarding(var onboarding): onboarding.title = "Renamed onboarding"; entity.record = .onboarding(onboarding)
        case .knowledge(var entry): entry.title = "Renamed entry"; entity.record = .knowledge(entry)
        case .healthcheck(var check): check.title = "Renamed check"; entity.record = .healthcheck(check)
        case .kpi(var record): record.title = "Renamed KPI"; entity.record = .kpi(record)
        }
        entity.reviewBy = Day("2030-01-31")
        let text = entity.fileText()

        var sink = DiagnosticSink(file: entity.path)
        let reread = try #require(
            Entity.read(id: entity.id, kind: kind, path: entity.path, text: text, sink: &sink))
        #expect(sink.diagnostics == [])
        #expect(reread.title.hasPrefix("Renamed"))
        #expect(reread.reviewBy == Day("2030-01-31"))
        #expect(reread.record == entity.record)
        #expect(reread.body == entity.body)
        let unknownAfter = (reread.frontMatter.pairs ?? []).filter { !Self.knownKeys.contains($0.key) }
        #expect(unknownAfter == unknownBefore)
    }

    /// Where a file's front matter and body are: found on the bytes, as far as the closing fence only — with a
    /// byte order mark, CRLF lines, an empty front matter, `...` closing it, no newline after it, a body that
    /// holds fences of its own; and the two ways it can be missing.
    @Test func theFrontMatterEndsAtItsClosingFence() throws {
        let cases: [(text: String, yaml: String, closing: String, body: String, bodyLine: Int)] = [
            ("---\ntitle: A\nowner: b\n---\nBody\n---\nmore\n", "title: A\nowner: b\n", "---\n", "Body\n---\nmore\n", 5),
            ("\u{FEFF}---\ntitle: A\n---\n", "title: A\n", "---\n", "", 4),
            ("---\r\ntitle: A\r\nsection: x\r\n---\r\nBody\r\n", "title: A\r\nsection: x\r\n", "---\r\n", "Body\r\n", 5),
            ("---\n---\nBody", "", "---\n", "Body", 3),
            ("---\ntitle: Ünïcödé\n...\n\n# Heading\n", "title: Ünïcödé\n", "...\n", "\n# Heading\n", 4),
            ("---\ntitle: A\n  ---  ", "title: A\n", "  ---  ", "", 4),
        ]
        for (text, yaml, closing, body, bodyLine) in cases {
            let file = try EntityFile(text)
            #expect(file.yaml == yaml, "\(text.debugDescription)")
            #expect(file.fences.opening == (text.contains("\r") ? "---\r\n" : "---\n") && file.fences.closing == closing, "\(text.debugDescription)")
            #expect(file.body == body && file.bodyLine == bodyLine, "\(text.debugDescription)")
            #expect((text.hasPrefix("\u{FEFF}") ? "\u{FEFF}" : "") + file.fences.opening + file.yaml + file.fences.closing + file.body == text)
        }
        #expect(try EntityFile("---\ntitle: A\r\n---").frontMatter.pair("title")?.value.scalarText == "A")
        for (text, code) in [("title: A\n---\n", "frontmatter.missing"), ("---\ntitle: A\n", "frontmatter.unterminated"),
                             ("---", "frontmatter.unterminated"), ("---\n", "frontmatter.unterminated")] {
            #expect(throws: EntityFile.Failure.self, "\(text.debugDescription)") { try EntityFile(text) }
            do { _ = try EntityFile(text) } catch { #expect(error.code == code, "\(text.debugDescription)") }
        }
    }

    @Test func nestedUnknownKeysSurvive() throws {
        let fixture = try TemporaryKnowledgeBase(config: Self.config, files: Self.files)
        var entity = try #require(try fixture.load().entity(id: "roles/client-lead"))
        guard case .role(var role) = entity.record else { Issue.record("not a role"); return }
        role.skills = ["Negotiation"]
        entity.record = .role(role)
        let text = entity.fileText()
        #expect(text.contains("x_room: B2"))
        #expect(text.contains("nested: [1, 2, 3]"))
        #expect(text.contains("skills:\n  - Negotiation"))
    }

    @Test func unchangedEntityWritesBackByteForByte() throws {
        let fixture = try TemporaryKnowledgeBase(config: Self.config, files: Self.files)
        let knowledgeBase = try fixture.load()
        for entity in knowledgeBase.entities {
            let original = try String(contentsOfFile: fixture.root + "/" + entity.path, encoding: .utf8)
            #expect(entity.fileText() == original, "\(entity.id)")
        }
    }

    @Test func valuesThatLookLikeOtherTypesStayStrings() throws {
        let fixture = try TemporaryKnowledgeBase(config: Self.config, files: Self.files)
        var entity = try #require(try fixture.load().entity(id: "people/ana-silva"))
        guard case .person(var person) = entity.record else { Issue.record("not a person"); return }
        person.name = "yes"
        entity.record = .person(person)
        let text = entity.fileText()
        #expect(text.contains("name: \"yes\""))
        #expect(text.contains("favourite_tool: \"yes\""))
        var sink = DiagnosticSink(file: entity.path)
        let reread = try #require(Entity.read(id: entity.id, kind: .person, path: entity.path, text: text, sink: &sink))
        #expect(reread.person?.name == "yes")
        #expect(reread.frontMatter["contact"]?["desk"]?.scalarText == "4F")
    }

    static let knownKeys: Set<String> = [
        "title", "organisation", "tier", "function", "counterpart", "reports_to", "responsibilities", "skills",
        "outcomes", "onboarding", "checklist", "name", "roles", "deputy", "successor", "key_person", "start_date",
        "leaving_date", "status", "contact", "role", "from", "to", "template", "started", "leaving", "section",
        "owner", "ip", "sharing", "tags", "source", "confidentiality", "review_by", "lang",
    ]
}

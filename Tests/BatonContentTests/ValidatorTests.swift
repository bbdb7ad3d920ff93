import Foundation
import Testing

@testable import BatonContent

/// Every kind of problem `baton check` knows, each in a fixture whose file and line are known.
@Suite struct ValidatorTests {
    static let brokenFiles: [String: String] = [
        "content/roles/a.md": """
            ---
            title: Role A
            organisation: nowhere
            tier: middle
            counterpart: ghost-role
            review_by: 2026-02-30
            onboarding:
              - when: fortnight 1
                do: Something
              - when: day 2
                do: Meet
                meet: [ghost-person]
            ---
            """,
        "content/people/p.md": """
            ---
            organisation: client
            deputy: p
            successor: q
            confidentiality: secret
            ---
            """,
        "content/people/q.md": """
            ---
            name: Q
            organisation: client
            successor: r
            ---
            """,
        "content/people/r.md": """
            ---
            name: R
            organisation: client
            successor: p
            start_date: 2025-01-01
            leaving_date: 2024-12-31
            ---
            """,
        "content/knowledge/exit-arrangements/x.md": """
            ---
            title: X
            section: business-case
            owner: roles/a
            ---
            """,
        "content/knowledge/business-case/x.md": """
            ---
            title: Another X
            section: business-case
            ---
            """,
        "content/people/bad.md": """
            ---
            name: Bad
            organisation: [client
            ---
            """,
        "content/checklists/plain.md": "Just text, no front matter.\n",
        "content/handovers/h.md": """
            ---
            role: a
            from: q
            ---
            - [ ] Something
            """,
        "content/onboardings/o.md": """
            ---
            role: a
            person: q
            buddy: q
            start: 2026-13-01
            ---
            - [ ] Meet the team (owner: newcomer, due: 2026-12-01)
            """,
        "content/roles/Upper.md": """
            ---
            title: Upper
            organisation: client
            tier: functional
            ---
            """,
        "content/stray.md": "---\ntitle: Stray\n---\n",
        "content/people/dup-keys.md": """
            ---
            name: One
            name: Two
            organisation: client
            ---
            """,
    ]

    @Test func everyProblemIsReportedWithItsFileAndLine() throws {
        let fixture = try TemporaryKnowledgeBase(files: Self.brokenFiles)
        let found = Set(try fixture.load().diagnostics.map { "\($0.file):\($0.line ?? 0):\($0.code)" })
        let expected: Set<String> = [
            "content/roles/a.md:3:reference.organisation",
            "content/roles/a.md:4:field.value",
            "content/roles/a.md:5:reference.dangling",
            "content/roles/a.md:6:field.date",
            "content/roles/a.md:8:field.value",
            "content/roles/a.md:12:reference.dangling",
            "content/people/p.md:1:field.missing",
            "content/people/p.md:3:person.self-reference",
            "content/people/p.md:4:person.successor-loop",
            "content/people/p.md:5:field.value",
            "content/people/r.md:6:field.date",
            "content/knowledge/exit-arrangements/x.md:3:knowledge.section",
            "content/knowledge/exit-arrangements/x.md:4:reference.kind",
            "content/knowledge/exit-arrangements/x.md:0:id.duplicate",
            "content/people/bad.md:4:yaml.syntax",
            "content/checklists/plain.md:1:frontmatter.missing",
            "content/handovers/h.md:1:field.missing",
            "content/onboardings/o.md:4:onboarding.self",
            "content/onboardings/o.md:5:field.date",
            "content/roles/Upper.md:0:id.invalid",
            "content/stray.md:0:file.location",
            "content/people/dup-keys.md:2:yaml.syntax",
        ]
        #expect(found.subtracting(expected) == [], "unexpected diagnostics")
        #expect(expected.subtracting(found) == [], "missing diagnostics")
    }

    @Test func messagesNameTheOffendingValue() throws {
        let fixture = try TemporaryKnowledgeBase(files: Self.brokenFiles)
        let diagnostics = try fixture.load().diagnostics
        func message(_ file: String, _ code: String) -> String {
            diagnostics.first { $0.file == file && $0.code == code }?.message ?? ""
        }
        #expect(message("content/roles/a.md", "field.value").contains("'middle'"))
        #expect(message("content/roles/a.md", "field.value").contains("executive, operational, functional"))
        #expect(message("content/roles/a.md", "field.date").contains("'2026-02-30'"))
        #expect(message("content/people/p.md", "person.successor-loop").contains("p → q → r → p"))
        #expect(message("content/people/dup-keys.md", "yaml.syntax").contains("duplicate key 'name'"))
        #expect(message("content/handovers/h.md", "field.missing").contains("'to'"))
    }

    @Test func malformedFilesAreUnreadableAndOthersStillLoad() throws {
        let fixture = try TemporaryKnowledgeBase(files: Self.brokenFiles)
        let knowledgeBase = try fixture.load()
        let unreadable = knowledgeBase.diagnostics.filter { $0.severity == .unreadable }.map(\.file)
        #expect(Set(unreadable) == ["content/people/bad.md", "content/people/dup-keys.md"])
        #expect(knowledgeBase.entity(id: "people/q")?.title == "Q")
        #expect(knowledgeBase.entity(id: "people/bad") == nil)
    }

    @Test func aBareKnowledgeNameSharedBySectionsIsAmbiguous() throws {
        let fixture = try TemporaryKnowledgeBase(files: Self.brokenFiles)
        guard case .ambiguous(let ids) = try fixture.load().resolve("x", kinds: [.knowledge]) else {
            Issue.record("expected an ambiguous reference")
            return
        }
        #expect(ids == ["knowledge/business-case/x", "knowledge/exit-arrangements/x"])
    }

    @Test func aChainThatRunsIntoALoopReportsTheLoopOnce() throws {
        func person(_ successor: String) -> String {
            "---\nname: Someone\norganisation: client\nsuccessor: \(successor)\n---\n"
        }
        let fixture = try TemporaryKnowledgeBase(files: [
            "content/people/a.md": person("b"), "content/people/b.md": person("c"),
            "content/people/c.md": person("d"), "content/people/d.md": person("c"),
            "content/people/e.md": person("a"),
        ])
        let loops = try fixture.load().diagnostics.filter { $0.code == "person.successor-loop" }
        #expect(loops.map(\.file) == ["content/people/c.md"])
        #expect(loops.first?.message.contains("c → d → c") == true)
    }

    @Test func malformedConfigIsUnreadable() throws {
        let fixture = try TemporaryKnowledgeBase(config: "title: [oops\n", files: [:])
        let diagnostics = try fixture.load().diagnostics
        #expect(diagnostics.map(\.file) == ["baton.yml"])
        #expect(diagnostics.first?.severity == .unreadable)
    }

    @Test func configProblemsAreFindings() throws {
        let config = """
            title: T
            organisations:
              - {id: a, name: A, senior_executive_responsible: ghost}
              - {id: a, name: Again}
            phase: sunset
            language: tlh
            home: zzz

            """
        let fixture = try TemporaryKnowledgeBase(config: config, files: [:])
        let found = Set(try fixture.load().diagnostics.map { "\($0.line ?? 0):\($0.code)" })
        #expect(found == ["3:reference.dangling", "4:id.duplicate", "5:field.value", "6:field.value",
                          "7:reference.organisation"])
    }

    @Test func noBatonYmlIsAnOpenError() throws {
        let root = NSTemporaryDirectory() + "baton-none-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(throws: KnowledgeBase.OpenError.self) { try KnowledgeBase.load(root: root) }
    }

    @Test func localLinksAndImagesTheSiteCannotPublishAreWarnedAboutWithTheFix() throws {
        let fixture = try TemporaryKnowledgeBase(files: [
            "content/knowledge/communications/exit.md": """
                ---
                title: Exit
                section: communications
                source: /tmp/exit.html
                ---
                Kept: ![ladder](exit-assets/ladder.png), [the plan](plan.md), [a heading](#steps), [web](https://example.org).

                Lost: ![flow](/usr/share/doc/flow.png) and [the manual](../../../manual.html).

                Missing: [old plan](gone.md) and ![chart](exit-assets/chart.png).

                Elsewhere: ![logo](../common/logo.png), and again ![flow](/usr/share/doc/flow.png).
                """,
            "content/knowledge/communications/plan.md": "---\ntitle: Plan\nsection: communications\n---\nBody.\n",
            "content/knowledge/communications/exit-assets/ladder.png": "png",
            "content/knowledge/common/logo.png": "png",
        ])
        let found = try fixture.load().diagnostics.filter { $0.code.hasPrefix("link.") }
        let file = "content/knowledge/communications/exit.md"
        #expect(found.map { "\($0.line ?? 0) \($0.code)" } == ["8 link.outside", "8 link.outside", "10 link.missing", "10 link.missing", "12 link.not-beside"])
        #expect(found.allSatisfy { $0.file == file && $0.severity == .warning })
        #expect(found[0].message == "the image /usr/share/doc/flow.png leaves the knowledge base, so the site shows its description instead; copy the file into exit-assets/ beside the entry and point at it there (baton import --assets does this)")
        #expect(found[1].message.contains("the link to ../../../manual.html leaves the knowledge base, so the site shows its text without the link; import that document too"))
        #expect(found[2].message == "the link to gone.md points at no entry (content/knowledge/communications/gone.md does not exist), so the site shows its text without the link; correct the path or remove the link")
        #expect(found[3].message.contains("content/knowledge/communications/exit-assets/chart.png, which does not exist"))
        #expect(found[4].message.contains("is not beside the entry"))
    }

    @Test func theBundledExampleValidatesCleanAndMeetsItsBrief() throws {
        let knowledgeBase = try KnowledgeBase.load(root: repositoryRoot)
        #expect(knowledgeBase.diagnostics.filter { $0.severity <= .error } == [])
        let roles = knowledgeBase.entities(of: .role)
        #expect(roles.count >= 10)
        for role in roles {
            #expect((role.role?.onboarding.count ?? 0) >= 6, "\(role.id) needs six onboarding steps")
            #expect(role.role?.counterpart != nil, "\(role.id) needs a counterpart")
        }
        let functions = Set(roles.compactMap { entity -> String? in
            guard let role = entity.role, let function = role.function else { return nil }
            return "\(role.organisation)/\(function.rawValue)"
        })
        for side in ["northmoor", "castellan"] {
            for function in ["service-delivery", "transformation", "relationship", "commercial"] {
                #expect(functions.contains("\(side)/\(function)"))
            }
        }
        #expect(Set(roles.compactMap { $0.role?.tier }) == Set(Tier.allCases))
        #expect(knowledgeBase.entities(of: .person).count >= 16)
        #expect(knowledgeBase.entities(of: .checklist).count >= 4)
        let knowledge = knowledgeBase.entities(of: .knowledge)
        #expect(knowledge.count >= 25)
        #expect(Set(knowledge.compactMap { $0.knowledge?.section }) == Set(PlanSection.allCases))
        #expect(knowledge.filter { $0.confidentiality == .restricted }.count >= 3)
        #expect(knowledge.filter { $0.confidentiality == .public }.count >= 5)
        let today = try #require(Day("2026-11-22"))
        #expect(knowledge.contains { ($0.reviewBy ?? today) < today }, "some reviews should be overdue")
        let handover = try #require(knowledgeBase.entities(of: .handover).first)
        let done = handover.markdown.tasks.filter(\.isChecked).count
        #expect(done > 0 && done < handover.markdown.tasks.count)
    }
}

/// `search:` in baton.yml: the knowledge base's synonym groups, the built-in list, and clear errors.
@Suite struct SearchSettingsTests {
    @Test func synonymsAreReadAndTheBuiltInListFollows() {
        let (config, diagnostics) = Config.parse(TemporaryKnowledgeBase.standardConfig + """
            search:
              synonyms:
                - [app, application]
                - [wal, write-ahead log]

            """)
        #expect(diagnostics.filter { $0.severity <= .error } == [])
        #expect(config.search.synonyms == [["app", "application"], ["wal", "write-ahead log"]])
        #expect(config.search.effectiveSynonyms.prefix(2) == [["app", "application"], ["wal", "write-ahead log"]])
        #expect(config.search.effectiveSynonyms.contains(["sla", "service level agreement"]))
        let off = Config.parse(TemporaryKnowledgeBase.standardConfig + "search:\n  builtin_synonyms: false\n").config
        #expect(off.search.effectiveSynonyms == [])
    }

    @Test func malformedGroupsAreErrorsWithTheirLine() {
        let (config, diagnostics) = Config.parse(TemporaryKnowledgeBase.standardConfig + """
            search:
              synonyms:
                - [lonely]
                - app
                - [ok, fine]

            """)
        let errors = diagnostics.filter { $0.severity <= .error }
        #expect(errors.count == 2, "\(errors)")
        #expect(errors.allSatisfy { $0.message.contains("two or more words or phrases") })
        #expect(errors.map(\.line) == [8, 9], "\(errors.map(\.line))")
        #expect(config.search.synonyms == [["ok", "fine"]])
        let notList = Config.parse(TemporaryKnowledgeBase.standardConfig + "search:\n  synonyms: app\n").diagnostics
        #expect(notList.contains { $0.message.contains("'synonyms' must be a list of groups") })
    }
}

import Foundation
import Testing

/// `baton index` and `baton search` on a copy of a fixture knowledge base (the index is written inside it).
@Suite struct SearchCLITests {
    final class Copy {
        let root: String

        init(_ fixture: String) throws {
            root = NSTemporaryDirectory() + "baton-cli-" + UUID().uuidString
            try FileManager.default.copyItem(atPath: Baton.fixture(fixture), toPath: root)
        }

        deinit { try? FileManager.default.removeItem(atPath: root) }
    }

    @Test func searchFindsAndExplainsAsJSON() throws {
        let copy = try Copy("clean")
        let result = try Baton.run(["search", "partnership ends", "--json", "--root", copy.root])
        #expect(result.status == 0, "\(result.error)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let hits = try #require(document["hits"] as? [[String: Any]])
        #expect(hits.first?["id"] as? String == "knowledge/exit-arrangements/exit-plan")
        #expect((hits.first?["snippet"] as? String)?.contains("<mark>partnership</mark>") == true)
        #expect(hits.first?["anchor"] as? String == "exit-plan")
        #expect(document["total"] as? Int == 1)
    }

    @Test func explainShowsTermsFieldsAndCoordination() throws {
        let copy = try Copy("clean")
        let text = try Baton.run(["search", "partnership ends", "--explain", "--root", copy.root])
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("   score "), "\(text.output)")
        #expect(text.output.contains("partnership  ") && text.output.contains("idf "), "\(text.output)")
        let json = try Baton.run(["search", "partnership ends well", "--explain", "--json", "--root", copy.root])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        let hit = try #require((document["hits"] as? [[String: Any]])?.first)
        let explain = try #require(hit["explain"] as? [String: Any])
        let terms = try #require(explain["terms"] as? [[String: Any]])
        #expect(terms.contains { $0["term"] as? String == "partnership" && !(($0["fields"] as? [Any]) ?? []).isEmpty })
        let coordination = try #require(explain["coordination"] as? [String: Any])
        #expect(coordination["words"] as? Int == 3)
        #expect(abs((explain["score"] as? Double ?? 0) - (hit["score"] as? Double ?? 1)) < 1e-9)
        // Without --explain, no explanation.
        let plain = try Baton.run(["search", "partnership ends", "--json", "--root", copy.root])
        #expect(!plain.output.contains("\"explain\""))
    }

    @Test func searchPrintsReadableResults() throws {
        let copy = try Copy("clean")
        let result = try Baton.run(["search", "lead", "--root", copy.root])
        #expect(result.status == 0)
        #expect(result.output.contains("1. "))
        #expect(result.output.contains("roles/client-lead"))
        #expect(result.output.contains("results"))
    }

    @Test func typeFilterAndAudience() throws {
        let copy = try Copy("clean")
        let roles = try Baton.run(["search", "lead", "--type", "role", "--json", "--root", copy.root])
        let roleHits = try #require((try JSONSerialization.jsonObject(with: Data(roles.output.utf8)) as? [String: Any])?["hits"] as? [[String: Any]])
        #expect(!roleHits.isEmpty && roleHits.allSatisfy { $0["type"] as? String == "role" })
        // Only the exit plan is public.
        let public_ = try Baton.run(["search", "lead OR partnership", "--audience", "public", "--json", "--root", copy.root])
        let publicHits = try #require((try JSONSerialization.jsonObject(with: Data(public_.output.utf8)) as? [String: Any])?["hits"] as? [[String: Any]])
        #expect(publicHits.map { $0["id"] as? String } == ["knowledge/exit-arrangements/exit-plan"])
    }

    @Test func indexUpdatesOnlyWhatChanged() throws {
        let copy = try Copy("clean")
        let first = try Baton.run(["index", "--root", copy.root])
        #expect(first.status == 0)
        #expect(first.output.contains("Indexed 4 entities"))
        #expect(try Baton.run(["index", "--root", copy.root]).output.contains("up to date"))
        let path = copy.root + "/content/roles/client-lead.md"
        let text = try String(contentsOfFile: path, encoding: .utf8) + "\nNow also responsible for budgets.\n"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        let again = try Baton.run(["index", "--json", "--root", copy.root])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(again.output.utf8)) as? [String: Any])
        #expect(report["updated"] as? Int == 1)
        #expect(report["unchanged"] as? Int == 3)
        let found = try Baton.run(["search", "budgets", "--json", "--root", copy.root])
        #expect(found.output.contains("roles/client-lead"))
    }

    /// `--heap` sets the writer's budget: a small one still indexes everything; a budget of nothing, or one with
    /// `--verify`, is refused before anything is touched.
    @Test func theIndexWritersHeapIsAnOption() throws {
        let copy = try Copy("clean")
        let built = try Baton.run(["index", "--rebuild", "--heap", "1", "--json", "--root", copy.root])
        #expect(built.status == 0, "\(built.error)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(built.output.utf8)) as? [String: Any])
        #expect(report["added"] as? Int == 4)
        #expect(try Baton.run(["search", "budget OR lead", "--json", "--root", copy.root]).status == 0)
        let zero = try Baton.run(["index", "--heap", "0", "--root", copy.root])
        #expect(zero.status != 0)
        #expect(zero.error.contains("--heap must be a number of MB"))
        let both = try Baton.run(["index", "--verify", "--heap", "8", "--root", copy.root])
        #expect(both.status != 0)
        #expect(both.error.contains("--verify changes nothing"))
    }

    @Test func aMalformedQueryExitsTwo() throws {
        let copy = try Copy("clean")
        let result = try Baton.run(["search", "\"unclosed", "--root", copy.root])
        #expect(result.status == 2)
        #expect(result.error.contains("the quotation mark is never closed"))
    }

    @Test func aDamagedIndexIsReportedAndRebuildRepairsIt() throws {
        let copy = try Copy("clean")
        #expect(try Baton.run(["index", "--root", copy.root]).status == 0)
        let folder = copy.root + "/.baton/index"
        let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".bsi") })
        try Data("not an index".utf8).write(to: URL(fileURLWithPath: folder + "/" + segment))
        // --verify finds the damage without touching anything.
        let verify = try Baton.run(["index", "--verify", "--root", copy.root])
        #expect(verify.status == 1)
        #expect(verify.error.contains(segment) && verify.error.contains("damaged"), "\(verify.error)")
        // The next search rebuilds the index, says so, and answers.
        let repaired = try Baton.run(["search", "lead", "--root", copy.root])
        #expect(repaired.status == 0, "\(repaired.error)")
        #expect(repaired.error.contains("rebuilt the search index, which was damaged"))
        #expect(!repaired.output.contains("No results"))
        #expect(try Baton.run(["index", "--verify", "--root", copy.root]).status == 0)
        #expect(try Baton.run(["index", "--rebuild", "--root", copy.root]).status == 0)
    }
}

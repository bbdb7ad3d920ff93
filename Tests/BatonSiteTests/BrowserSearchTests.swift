import BatonContent
import BatonSearch
import Foundation
import Testing

@testable import BatonSite

/// The published site's search: the browser script, run under Node over what `baton build` exports, must answer as
/// `baton search` does.
@Suite struct BrowserSearchTests {
    static let repository = ExampleSiteTests.repository

    /// Queries on the example knowledge base: every kind of query the language has, typos, stop words, compounds,
    /// and queries that find nothing. Each line is a query, optionally followed by a tab and `prefix` or a filter
    /// `field=value`.
    static let exampleQueries = """
        exit plan
        "exit plan"
        title:(exit OR escalation)
        type:(person OR role) castellan
        headings:("exit plan" OR onboarding) -title:(plan)
        "knowledge transfer" exit
        escal*
        handover OR hand-off
        type:person castellan
        section:exit-arrangements ip
        health check -annual
        title:relationship
        headings:onboarding
        on call hand off
        knowlege transfer
        relatonship managr
        the
        the of and
        service-desk
        (board OR steering) tier
        successor deputy
        nadia
        runbook*
        raci
        sla penalties
        zzzzqqq
        budget~
        contarct~2 change
        tags:continuity
        -exit plan
        governance cadence monthly
        partnership board\tprefix
        relationship man\tprefix
        exit\ttype=knowledge
        handover\ttype=role
        plan\tsection=exit-arrangements
        Übergabe der Betriebsverantwortung
        Dienstleister Verträge
        "geordnete Übergabe"
        passation exploitation
        responsabilités prestataire
        zebrafish
        zebrafish telemetry
        "quarterly zebrafish"
        lighthouse keeper
        """

    /// Six parts of about 450 words each; rare words in parts 4 and 6.
    static var longEntry: String {
        var text = "---\ntitle: The long runbook\nsection: management-activities\n---\n\n# The long runbook\n"
        let sentence = "The operations team checks the pumping stations, the telemetry outstations and the billing "
            + "interfaces every morning, records what it finds in the service log and raises a ticket for anything "
            + "that needs a visit. "
        for part in 1...6 {
            text += "\n## Part \(part)\n\n" + String(repeating: sentence, count: 12)
            if part == 4 { text += "A quarterly zebrafish survey at the reservoir uses the same telemetry. " }
            if part == 6 { text += "The lighthouse keeper of the old intake is told of every change. " }
            text += String(repeating: sentence, count: 2) + "\n"
        }
        return text
    }

    static let foreignEntries = """
        ---
        title: Übergabe der Betriebsverantwortung
        section: management-activities
        lang: de
        tags: [übergabe]
        ---

        # Übergabe

        Bei jeder Übergabe der Betriebsverantwortung prüfen beide Dienstleister die Verträge, die offenen Störungen
        und die Zugänge. Eine geordnete Übergabe dauert vier Wochen; die Übergaben werden im Lenkungskreis berichtet.
        """

    static let frenchEntry = """
        ---
        title: Passation de l'exploitation
        section: management-activities
        lang: fr
        ---

        # Passation

        Lors de chaque passation, le prestataire et le client vérifient les responsabilités, les incidents ouverts
        et les accès. L'exploitation reste sous la responsabilité du prestataire sortant jusqu'à la signature.
        """

    /// Node.js, or nil with an issue recorded (make test installs it).
    static func nodeOrIssue() -> String? {
        let node = ["/usr/bin/node", "/usr/bin/nodejs", "/usr/local/bin/node"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        if node == nil { Issue.record("Node.js is not installed (make test installs it)") }
        return node
    }

    /// Runs the parity script over `site`/search with `answers`; returns its output and exit status.
    static func runParity(site: String, answers: [[String: Any]], node: String) throws -> (String, Int32) {
        let expectedPath = site + "/expected.json"
        let expected: [String: Any] = ["meta": BrowserExport.metaFile, "answers": answers]
        try JSONSerialization.data(withJSONObject: expected).write(to: URL(fileURLWithPath: expectedPath))
        return try run(node, [repository + "/scripts/browser_parity.js", site + "/search", expectedPath])
    }

    /// The start of a Node script over an export: `node -e SCRIPT REPOSITORY SEARCH_DIR` loads the theme's script,
    /// and `openEngine()` gives a promise of the engine over the folder's metadata (`path`, `fs`, `B` and `load` too).
    static let nodeEngine = """
        const path = require('path'), fs = require('fs'), dir = process.argv[2];
        require(process.argv[1] + '/site/assets/search.js');
        const B = globalThis.BatonSearch;
        const load = B.loader((file, fail, done) => { try { require(path.join(dir, file)); done(); } catch (e) { fail(e); } });
        const openEngine = async () => new B.Engine((await load([['meta', 'meta.js']])).meta, load);

        """

    /// Runs a program; returns what it printed (output and errors) and its exit status.
    static func run(_ program: String, _ arguments: [String]) throws -> (String, Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (output, process.terminationStatus)
    }

    /// A copy of the example knowledge base (its index is written inside it).
    static func exampleCopy() throws -> String {
        let folder = NSTemporaryDirectory() + "baton-browser-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for item in ["baton.yml", "content"] {
            try FileManager.default.copyItem(atPath: repository + "/" + item, toPath: folder + "/" + item)
        }
        return folder
    }

    @Test func theScriptAnswersAsTheEngineOnTheExample() throws {
        guard let node = Self.nodeOrIssue() else { return }
        let root = try Self.exampleCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Entries in German and French too, so that the script's other stemmers are loaded and checked.
        try Self.foreignEntries.write(toFile: root + "/content/knowledge/management-activities/uebergabe-betrieb.md",
                                      atomically: true, encoding: .utf8)
        try Self.frenchEntry.write(toFile: root + "/content/knowledge/management-activities/passation-exploitation.md",
                                   atomically: true, encoding: .utf8)
        // A long entry: its text is exported in several chunks, and snippets deep in it must come out the same.
        // The site is built first with another word in it, then again: the script must find the files whose
        // bytes changed under their own names (the metadata's exceptions), the others under their old ones.
        let long = root + "/content/knowledge/management-activities/long-runbook.md"
        try Self.longEntry.replacingOccurrences(of: "lighthouse", with: "harbour").write(toFile: long, atomically: true, encoding: .utf8)
        var options = SiteBuilder.Options()
        options.output = root + "/site"
        options.audience = .restricted  // everything, as `baton search` sees it
        let theme = try Theme.load([Self.repository + "/site"])
        _ = try SiteBuilder(knowledgeBase: try KnowledgeBase.load(root: root), theme: theme, options: options).build()
        try Self.longEntry.write(toFile: long, atomically: true, encoding: .utf8)
        let knowledgeBase = try KnowledgeBase.load(root: root)
        let rebuilt = try SiteBuilder(knowledgeBase: knowledgeBase, theme: theme, options: options).build()
        #expect(rebuilt.writtenPaths.filter { $0.hasPrefix("search/") }.count < 10, "\(rebuilt.writtenPaths)")
        let meta = try String(contentsOfFile: options.output + "/search/meta.js", encoding: .utf8)
        #expect(meta.contains("\"except\":{"))
        let home = try String(contentsOfFile: options.output + "/index.html", encoding: .utf8)
        let stemmers = home.components(separatedBy: "data-stemmers=").dropFirst().first?.prefix(60) ?? ""
        #expect(stemmers.contains("de=stem-de.") && stemmers.contains("fr=stem-fr."), "\(stemmers)")

        // What `baton search --json` answers, computed the way the command does.
        let knowledgeIndex = KnowledgeIndex(knowledgeBase: knowledgeBase)
        let searcher = Searcher(index: try knowledgeIndex.openUpToDate().0)
        var lines = Self.exampleQueries.split(separator: "\n").map(String.init)
        // More queries made from the example's own words (single words, pairs, phrases, prefixes, OR, NOT,
        // misspellings, filters), kept beside the tests so that the repository needs nothing beside it.
        let fixture = Self.repository + "/Tests/BatonSiteTests/Fixtures/parity-queries.txt"
        lines += try String(contentsOfFile: fixture, encoding: .utf8).split(separator: "\n").map(String.init)
        var answers: [[String: Any]] = []
        var found = 0
        for line in lines where !line.isEmpty {
            let parts = line.split(separator: "\t", maxSplits: 1).map(String.init)
            var searchOptions = SearchOptions()
            searchOptions.languages = knowledgeIndex.languages
            searchOptions.synonyms = knowledgeIndex.synonyms
            var scriptOptions: [String: Any] = [:]
            if parts.count == 2 {
                if parts[1] == "prefix" {
                    searchOptions.lastWordAsPrefix = true
                    scriptOptions["prefix"] = true
                } else {
                    let filter = parts[1].split(separator: "=").map(String.init)
                    searchOptions.filters[filter[0]] = [filter[1]]
                    scriptOptions["filters"] = [filter[0]: [filter[1]]]
                }
            }
            let results = try searcher.search(parts[0], options: searchOptions)
            if !results.hits.isEmpty { found += 1 }
            answers.append([
                "query": parts[0], "options": scriptOptions, "notice": results.notice as Any? ?? NSNull(),
                "notices": results.notices.map { ["kind": $0.kind, "words": $0.words] },
                "total": results.total ?? -1, "suggestion": results.suggestion as Any? ?? NSNull(),
                "facets": Dictionary(uniqueKeysWithValues: results.facets.map { field, values in
                    (field, values.map { ["value": $0.value, "count": $0.count] })
                }),
                "hits": results.hits.map { ["id": $0.id, "score": $0.score, "snippet": $0.snippet, "anchor": $0.anchor as Any? ?? NSNull()] },
            ])
        }
        #expect(found > 40)  // the queries mostly find something, so the comparison has substance
        let (output, status) = try Self.runParity(site: options.output, answers: answers, node: node)
        #expect(status == 0, "\(output)")
        #expect(output.contains("parity: \(answers.count)/\(answers.count) queries identical"), "\(output)")
        #expect(output.contains("snippets identical"), "\(output)")
        let snippets = try #require(output.range(of: #"snippets identical (\d+)/(\d+)"#, options: .regularExpression))
        let counts = output[snippets].split(separator: " ").last!.split(separator: "/")
        #expect(counts[0] == counts[1], "\(output)")
    }

    @Test func theExportHoldsOnlyWhatTheAudienceMaySee() throws {
        let root = try Self.exampleCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let knowledgeBase = try KnowledgeBase.load(root: root)
        let theme = try Theme.load([Self.repository + "/site"])
        for audience in [Confidentiality.public, .internal] {
            var options = SiteBuilder.Options()
            options.output = root + "/site-\(audience.rawValue)"
            options.audience = audience
            let report = try SiteBuilder(knowledgeBase: knowledgeBase, theme: theme, options: options).build()
            let visible = knowledgeBase.entities.filter { $0.confidentiality <= audience }
            let hidden = knowledgeBase.entities.filter { $0.confidentiality > audience }
            #expect(!hidden.isEmpty)
            #expect(report.searchDocuments == visible.count)
            let folder = options.output + "/search"
            var text = ""
            for file in try FileManager.default.contentsOfDirectory(atPath: folder) {
                text += try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            }
            for entity in hidden {
                #expect(!text.contains("\"\(entity.id)\""), "\(entity.id) is in the \(audience) search export")
                // Its text: the longest line of its body, a sentence no other entity repeats.
                if let line = entity.markdown.plainText.split(separator: "\n").max(by: { $0.count < $1.count }), line.count > 40 {
                    #expect(!text.contains(String(line).doubleQuoted.dropFirst().dropLast()), "text of \(entity.id) is in the \(audience) search export")
                }
            }
            // No contact details of anyone, whatever the audience.
            for entity in knowledgeBase.entities {
                guard case .person(let person) = entity.record else { continue }
                for contact in (person.contact?.pairs ?? []).compactMap(\.value.scalarText) where contact.count > 3 {
                    #expect(!text.contains(contact), "a contact detail of \(entity.id) is in the search export")
                }
            }
        }
    }

    @Test func aDamagedOrMissingSearchFileIsAClearErrorNotAHang() throws {
        guard let node = Self.nodeOrIssue() else { return }
        let root = try Self.exampleCopy()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var options = SiteBuilder.Options()
        options.output = root + "/site"
        _ = try SiteBuilder(knowledgeBase: try KnowledgeBase.load(root: root), theme: try Theme.load([Self.repository + "/site"]),
                            options: options).build()
        let script = Self.nodeEngine + """
            (async () => {
              const engine = await openEngine();
              const shard = name => engine.file('s' + engine.shard(name));
              fs.writeFileSync(path.join(dir, shard('exit')), '// emptied\\n');
              fs.unlinkSync(path.join(dir, shard('relationship')));
              for (const q of ['exit', 'relationship']) {
                try { await engine.search(q); console.log(q + ': answered'); } catch (e) { console.log(q + ': ' + e.message.split('\\n')[0]); }
              }
            })();
            """
        let (output, status) = try Self.run(node, ["-e", script, Self.repository, options.output + "/search"])
        #expect(status == 0, "\(output)")
        #expect(output.contains("exit: s") && output.contains("is damaged: rebuild the site"), "\(output)")
        #expect(output.contains("relationship: Cannot find module"), "\(output)")
    }

    @Test func theStemmersOfTheScriptReproduceTheSnowballVocabularies() throws {
        guard let node = Self.nodeOrIssue() else { return }
        let fixtures = Self.repository + "/Tests/BatonSearchTests/Fixtures/snowball"
        let script = """
            require(process.argv[1] + '/site/assets/search.js');
            require(process.argv[1] + '/site/assets/search-de.js');
            require(process.argv[1] + '/site/assets/search-fr.js');
            const fs = require('fs'), B = globalThis.BatonSearch;
            let bad = 0, total = 0;
            for (const [lang, dir] of [['en', 'english'], ['de', 'german'], ['fr', 'french']]) {
              const words = fs.readFileSync(process.argv[2] + '/' + dir + '/voc.txt', 'utf8').split('\\n');
              const stems = fs.readFileSync(process.argv[2] + '/' + dir + '/output.txt', 'utf8').split('\\n');
              words.forEach((w, i) => { if (!w) return; total++; if (B.stemmers[lang](w) !== stems[i]) { bad++; if (bad < 10) console.log(lang, w, B.stemmers[lang](w), stems[i]); } });
            }
            console.log('stemmed ' + total + ' words, ' + bad + ' differ');
            process.exit(bad ? 1 : 0);
            """
        let (output, status) = try Self.run(node, ["-e", script, Self.repository, fixtures])
        #expect(status == 0, "\(output)")
        #expect(output.contains(" 0 differ"), "\(output)")
    }
}

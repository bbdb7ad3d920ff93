import BatonSearch
import Foundation
import Testing

/// Random corpora and random queries in the whole query language, answered by the engine and by the browser
/// script under Node: the same ids in the same order, scores, notices, totals, facets and suggestions.
@Suite struct RandomParityTests {
    static let vocabulary = [
        "exit", "plan", "contract", "change", "escalation", "service", "level", "agreement", "handover", "hand-off",
        "handoff", "on-call", "json.dumps", "max_connections", "café", "Cafe", "renewal", "notice", "partner",
        "partnership", "governance", "board", "runbook", "incident", "review", "sla", "credits", "owner", "tier",
        "the", "of", "and", "quarterly", "monthly", "meeting", "knowledge", "transfer", "leaving", "successor",
    ]
    static let types = ["role", "person", "knowledge", "checklist"]
    static let synonyms = [["sla", "service level agreement"], ["handover", "transfer"]]

    struct LCG: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state ^ (state >> 29)
        }
    }

    static func text(_ count: Int, _ rng: inout LCG) -> String {
        (0..<count).map { _ in
            vocabulary[Int(Double(vocabulary.count) * pow(Double.random(in: 0..<1, using: &rng), 1.5))]
        }.joined(separator: " ")
    }

    /// A random query of one of the language's forms.
    static func query(_ rng: inout LCG) -> String {
        func word() -> String { vocabulary[Int.random(in: 0..<vocabulary.count, using: &rng)] }
        func misspelt() -> String {
            var letters = Array(["escalation", "governance", "partnership", "quarterly", "successor"][Int.random(in: 0..<5, using: &rng)])
            let at = Int.random(in: 1..<(letters.count - 1), using: &rng)
            if Bool.random(using: &rng) { letters.remove(at: at) } else { letters.swapAt(at, at + 1) }
            return String(letters)
        }
        switch Int.random(in: 0..<17, using: &rng) {
        case 0: return word()
        case 1: return "\(word()) \(word())"
        case 2: return "\(word()) \(word()) \(word())"
        case 3: return "\(word()) \(word()) \(word()) \(word())"
        case 4: return "\"\(word()) \(word())\""
        case 5: return String(word().prefix(Int.random(in: 2...4, using: &rng))) + "*"
        case 6: return misspelt()
        case 7: return "\(misspelt()) \(word())"
        case 8: return "\(word()) OR \(word())"
        case 9: return "\(word()) -\(word())"
        case 10: return ["title", "body", "headings", "tags"][Int.random(in: 0..<4, using: &rng)] + ":" + word()
        case 11: return "\(word()) type:" + types[Int.random(in: 0..<types.count, using: &rng)]
        case 12: return "(\(word()) OR \(word())) \(word())"
        case 13: return "title:(\(word()) OR \(word()))"
        case 14: return misspelt().prefix(6) + "~" + String(Int.random(in: 1...2, using: &rng))
        // Misspelt inside quotes: no typo correction, so nothing matches and a spelling is suggested.
        case 15: return "\"\(misspelt()) \(word())\""
        default: return ["service level agreement", "sla credits", "transfer of knowledge", "handover plan review"][Int.random(in: 0..<4, using: &rng)]
        }
    }

    @Test(arguments: 1...4)
    func randomCorporaAndQueriesAgree(seed: Int) throws {
        guard let node = BrowserSearchTests.nodeOrIssue() else { return }
        var rng = LCG(state: UInt64(seed) &* 0x2545_F491_4F6C_DD1D)
        var documents: [SearchDocument] = []
        for index in 0..<Int.random(in: 20...80, using: &rng) {
            documents.append(SearchDocument(
                id: String(format: "doc-%03d", index),
                text: ["title": Self.text(Int.random(in: 1...5, using: &rng), &rng),
                       "headings": Self.text(Int.random(in: 0...6, using: &rng), &rng),
                       "body": Self.text(Int.random(in: 5...120, using: &rng), &rng),
                       "tags": Self.text(Int.random(in: 0...2, using: &rng), &rng)],
                keywords: ["type": [Self.types[Int.random(in: 0..<Self.types.count, using: &rng)]]],
                language: .english))
        }
        let folder = NSTemporaryDirectory() + "baton-random-parity-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let writer = try IndexWriter(directory: folder + "/index", rebuild: true)
        for document in documents { writer.add(document) }
        try writer.commit()
        let index = try SearchIndex.open(directory: folder + "/index")
        var exportOptions = BrowserExport.Options()
        exportOptions.synonyms = Self.synonyms
        // Odd seeds cut the terms into many small shards, so that lookups and prefixes cross shard boundaries.
        if seed % 2 == 1 { exportOptions.shardCharacters = 400 }
        let output = BrowserExport.export(index: index, options: exportOptions) { id in
            BrowserExport.Page(url: id + ".html", type: "page")
        }
        try FileManager.default.createDirectory(atPath: folder + "/site/search", withIntermediateDirectories: true)
        for file in output.files {
            try Data(file.bytes).write(to: URL(fileURLWithPath: folder + "/site/search/" + file.path))
        }
        let searcher = Searcher(index: index)
        var options = SearchOptions()
        options.synonyms = Self.synonyms
        var answers: [[String: Any]] = []
        var seen: Set<String> = []
        for _ in 0..<120 {
            let text = Self.query(&rng)
            guard seen.insert(text).inserted, let results = try? searcher.search(text, options: options) else { continue }
            answers.append([
                "query": text, "notice": results.notice as Any? ?? NSNull(), "total": results.total ?? -1,
                "notices": results.notices.map { ["kind": $0.kind, "words": $0.words] },
                "suggestion": results.suggestion as Any? ?? NSNull(),
                "facets": Dictionary(uniqueKeysWithValues: results.facets.map { field, values in
                    (field, values.map { ["value": $0.value, "count": $0.count] })
                }),
                "hits": results.hits.map { ["id": $0.id, "score": $0.score, "snippet": $0.snippet,
                                            "anchor": $0.anchor as Any? ?? NSNull()] },
            ])
        }
        // The comparison has substance: many queries, most with hits, some with notices and suggestions.
        #expect(answers.count > 60)
        #expect(answers.filter { !(($0["hits"] as? [Any]) ?? []).isEmpty }.count > 30)
        #expect(answers.contains { $0["notice"] is String } && answers.contains { $0["suggestion"] is String })
        let expected: [String: Any] = ["meta": output.metaPath, "answers": answers]
        try JSONSerialization.data(withJSONObject: expected).write(to: URL(fileURLWithPath: folder + "/expected.json"))
        let (printed, status) = try BrowserSearchTests.run(node, [BrowserSearchTests.repository + "/scripts/browser_parity.js",
                                                                 folder + "/site/search", folder + "/expected.json"])
        #expect(status == 0, "seed \(seed):\n\(printed.split(separator: "\n").prefix(12).joined(separator: "\n"))")
        #expect(printed.contains("parity: \(answers.count)/\(answers.count) queries identical"), "\(printed)")
        if ProcessInfo.processInfo.environment["PARITY_PRINT"] != nil { print(printed) }
    }

    /// Every term is where the script looks for it, and the shards of a prefix hold every term beginning with it,
    /// over letters whose UTF-16 order is not their byte order.
    @Test func theScriptFindsEveryTermsShardAndEveryPrefixsTerms() throws {
        guard let node = BrowserSearchTests.nodeOrIssue() else { return }
        var rng = LCG(state: 0x5EED)
        let letters = ["a", "b", "c", "é", "ж", "𐐷", "\u{FA0E}"]
        func word() -> String { (0..<Int.random(in: 1...5, using: &rng)).map { _ in letters[Int.random(in: 0..<letters.count, using: &rng)] }.joined() }
        let folder = NSTemporaryDirectory() + "baton-shards-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let writer = try IndexWriter(directory: folder + "/index", rebuild: true)
        for number in 0..<30 {
            writer.add(SearchDocument(id: "d\(number)", text: ["title": word(), "body": (0..<40).map { _ in word() }.joined(separator: " ")],
                                      keywords: [:], language: .english))
        }
        try writer.commit()
        var options = BrowserExport.Options()
        options.shardCharacters = 150
        let output = BrowserExport.export(index: try SearchIndex.open(directory: folder + "/index"), options: options) { _ in nil }
        #expect(output.shardCount > 10)
        try FileManager.default.createDirectory(atPath: folder + "/search", withIntermediateDirectories: true)
        for file in output.files { try Data(file.bytes).write(to: URL(fileURLWithPath: folder + "/search/" + file.path)) }
        let script = BrowserSearchTests.nodeEngine + """
            (async () => {
              const engine = await openEngine();
              const shards = await engine.fetch(engine.keys.map((k, i) => 's' + i));
              let terms = 0, wrong = 0, prefixes = new Set();
              shards.forEach((shard, i) => Object.keys(shard).forEach(t => {
                terms++;
                if (engine.shard(t) !== i) { wrong++; console.log('misplaced: ' + t + ' in s' + i + ', looked up in s' + engine.shard(t)); }
                const chars = [...t];
                for (let n = 1; n <= chars.length; n++) prefixes.add(chars.slice(0, n).join(''));
              }));
              for (const p of prefixes) {
                const all = shards.flatMap(s => Object.keys(s)).filter(t => t.startsWith(p)).sort();
                const found = engine.prefixShards(p).flatMap(i => Object.keys(shards[i])).filter(t => t.startsWith(p)).sort();
                if (all.join(' ') !== found.join(' ')) { wrong++; console.log('prefix ' + p + ': ' + found.length + ' of ' + all.length); }
              }
              console.log('terms ' + terms + ' prefixes ' + prefixes.size + ' wrong ' + wrong);
            })();
            """
        let (printed, status) = try BrowserSearchTests.run(node, ["-e", script, BrowserSearchTests.repository, folder + "/search"])
        #expect(status == 0, "\(printed)")
        let counts = printed.split(separator: "\n").last.map(String.init) ?? ""
        #expect(counts.hasSuffix(" wrong 0"), "\(printed.prefix(2000))")
        #expect((Int(counts.split(separator: " ").dropFirst().first ?? "") ?? 0) > 200, "\(counts)")
    }

    /// An export of another format (a site half-updated, or a script from another build) is refused by name.
    @Test func theScriptRefusesAnExportOfAnotherFormat() throws {
        guard let node = BrowserSearchTests.nodeOrIssue() else { return }
        let folder = NSTemporaryDirectory() + "baton-format-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let writer = try IndexWriter(directory: folder + "/index", rebuild: true)
        writer.add(SearchDocument(id: "a", text: ["title": "Exit plan", "body": "How the partnership ends."], keywords: [:],
                                  language: .english))
        try writer.commit()
        let output = BrowserExport.export(index: try SearchIndex.open(directory: folder + "/index"), options: BrowserExport.Options()) { _ in nil }
        try FileManager.default.createDirectory(atPath: folder + "/search", withIntermediateDirectories: true)
        for file in output.files {
            var text = String(decoding: file.bytes, as: UTF8.self)
            if file.path == BrowserExport.metaFile {
                let current = #""format":\#(BrowserExport.formatVersion),"#
                #expect(text.contains(current))
                text = text.replacingOccurrences(of: current, with: #""format":1,"#)
            }
            try text.write(toFile: folder + "/search/" + file.path, atomically: true, encoding: .utf8)
        }
        let script = BrowserSearchTests.nodeEngine + """
            openEngine().then(() => console.log('opened'), e => console.log('refused: ' + e.message));
            """
        let (printed, status) = try BrowserSearchTests.run(node, ["-e", script, BrowserSearchTests.repository, folder + "/search"])
        #expect(status == 0, "\(printed)")
        #expect(printed.contains("refused: search index format 1 is not supported"), "\(printed)")
    }
}

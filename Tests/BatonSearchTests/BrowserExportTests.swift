import Foundation
import Testing

@testable import BatonSearch

/// The pieces of the browser export whose exact form the script depends on (the parity tests in BatonSiteTests
/// run the script itself over whole exports).
@Suite struct BrowserExportTests {
    @Test func numbersArePackedFiveBitsACharacterLowBitsFirst() {
        var packed = VLQ()
        for value in [0, 31, 32, 65, 1_000_000] { packed.add(value) }
        // 0 → A; 31 → f; 32 → g (0, more) B (1); 65 → h (1, more) C (2);
        // 1,000,000 = 0 + 18·32 + 16·32² + 30·32³ → g (0, more) y (18, more) w (16, more) e (30)
        #expect(packed.text == "AfgBhC" + "gywe")
    }

    @Test func sectionOffsetsCountUTF16Units() {
        let text = "Größe 𝄞 end"  // ö and ß are 2 bytes and 1 unit each; 𝄞 is 4 bytes and 2 units
        let bytes = [0, 7, 11, 13]
        #expect(BrowserExport.utf16Offsets(of: bytes, in: text) == [0, 5, 8, 9])
    }

    @Test func filesAreGroupedBySixteenAndChunksWithTheirDocument() {
        #expect(BrowserExport.groupKey("s15") == "s0")
        #expect(BrowserExport.groupKey("s16") == "s1")
        #expect(BrowserExport.groupKey("c33_7") == "c2")
    }

    /// Names after an earlier export: a file with the same bytes keeps its name, a changed one gets a name of its
    /// own that never stood for other bytes, and the metadata's exceptions stay few (`Naming`).
    @Test func aFileWhoseBytesStayTheSameKeepsItsName() {
        func named(_ bodies: [String], after earlier: (BrowserExport.Naming, [String])? = nil) -> BrowserExport.Naming {
            let contents = bodies.enumerated().map { (name: "s\($0.offset)", body: $0.element) }
            let scripts = contents.map { BrowserExport.script(name: $0.name, body: $0.body) }
            let previous = earlier.map { naming, bodies in
                BrowserExport.Previous(files: bodies.indices.map { "s\($0).\(naming.tags[$0]).js" } + ["meta.js", "x.js"]) { file, bytes in
                    let number = Int(file.dropFirst().prefix { $0.isNumber })!
                    return BrowserExport.script(name: "s\(number)", body: bodies[number]) == bytes
                }
            }
            return BrowserExport.Naming(contents: contents, scripts: scripts, previous: previous)
        }
        let bodies = (0..<400).map { "[\($0)]" }
        let first = named(bodies)
        // From nothing: one tag a group of 16, no exceptions.
        #expect(first.groupTags.count == 25 && first.exceptions.isEmpty)
        #expect((0..<400).allSatisfy { first.tags[$0] == first.groupTags["s\($0 / 16)"] })
        #expect(named(bodies, after: (first, bodies)).tags == first.tags)
        // Three files change in group 0: only they are renamed, and listed.
        var changed = bodies
        for number in [1, 5, 9] { changed[number] += " " }
        let second = named(changed, after: (first, bodies))
        #expect(second.groupTags == first.groupTags)
        #expect(Set(second.exceptions.keys) == ["s1", "s5", "s9"])
        #expect((0..<400).filter { second.tags[$0] != first.tags[$0] } == [1, 5, 9])
        // Two more: past four exceptions the group is named afresh from its contents (the others keep theirs).
        var more = changed
        for number in [2, 3] { more[number] += " " }
        let third = named(more, after: (second, changed))
        #expect(third.exceptions.isEmpty && third.groupTags["s0"] != first.groupTags["s0"])
        #expect((16..<400).allSatisfy { third.tags[$0] == first.tags[$0] })
        #expect(third.groupTags["s0"] == named(more).groupTags["s0"])
        // Three changes in each of 20 groups (60 exceptions): the groups are named afresh, in order of their
        // keys as text, until at most 40 are left.
        var many = bodies
        for group in 0..<20 { for offset in [0, 1, 2] { many[group * 16 + offset] += " " } }
        let fourth = named(many, after: (first, bodies))
        #expect(fourth.exceptions.count == 39)
        let afresh = Set(fourth.groupTags.keys.filter { fourth.groupTags[$0] != first.groupTags[$0] })
        #expect(afresh == ["s0", "s1", "s10", "s11", "s12", "s13", "s14"])
        // A changed file whose own hash is the tag its name had (its old bytes are under that name) gets another.
        var collide = bodies
        collide[20] += " "
        var trap = first
        var ownHasher = StableHash()
        ownHasher.add("s20")
        ownHasher.add(collide[20])
        trap.tags[20] = ownHasher.base64(4)
        let fifth = named(collide, after: (trap, bodies))
        #expect(fifth.tags[20] != trap.tags[20] && fifth.tags[20].count == 4)
        #expect(fifth.exceptions["s20"] == fifth.tags[20])
    }

    /// What a site build exports from what the writer recorded (the bodies' chunks, the typo vocabularies) is, byte
    /// for byte, what is exported by analysing the stored documents again: bodies of several chunks, compounds
    /// across a chunk's edge, words too long to be terms at the end, other languages, an empty body.
    @Test func anExportFromWhatTheWriterRecordedIsTheExportByAnalysingAgain() throws {
        let long = String(repeating: "q", count: 80)
        var documents: [SearchDocument] = (0..<140).map { n in
            let words = (0..<(n % 9 == 0 ? 2_600 : 40 + n)).map { i in
                i % 97 == 0 ? "hand-off_\(i).x" : i % 89 == 0 ? "Größe\(i)" : "word\(i % 300)"
            }
            return SearchDocument(id: String(format: "doc-%03d", n), text: ["title": "Title \(n)", "body": words.joined(separator: " ") + " " + long],
                                  keywords: [:], language: .english)
        }
        documents.append(SearchDocument(id: "empty", text: ["title": "Nothing below"], keywords: [:], language: .english))
        documents.append(SearchDocument(id: "fr", text: ["title": "Passation", "body": "l’équipe café " + long], keywords: [:],
                                        language: .french))
        let folder = TemporaryFolder()
        let writer = try IndexWriter(directory: folder.path, rebuild: true)
        writer.threads = 2
        writer.recordsSurfaces = true
        writer.recordsChunks = BrowserExport.chunkPositions
        for document in documents { writer.add(document) }
        try writer.commit()
        let index = try SearchIndex.open(directory: folder.path)
        let chunks = try #require(writer.recordedChunks)
        let surfaces = try #require(writer.recordedSurfaces)
        #expect(chunks.count == documents.count && chunks.contains { $0.starts.count == 3 })
        let page: (String) -> BrowserExport.Page? = { BrowserExport.Page(url: $0 + ".html") }
        let recorded = BrowserExport.export(index: index, options: BrowserExport.Options(), page: page,
                                            vocabulary: { BrowserExport.vocabulary(recorded: surfaces) }, chunks: chunks)
        let analysed = BrowserExport.export(index: index, options: BrowserExport.Options(), page: page)
        #expect(recorded.files.count == analysed.files.count)
        #expect(zip(recorded.files, analysed.files).allSatisfy { $0.path == $1.path && $0.bytes == $1.bytes })

        // When the record does not stand for the index: `recordedSurfacesAreTheVocabularyOfTheIndex`.
    }

    @Test func aShardsKeyIsTheShortestBeginningOfItsFirstTermAfterThePreviousShard() {
        #expect(BrowserExport.shortestKey(after: "apple", upTo: "apricot") == "apr")
        #expect(BrowserExport.shortestKey(after: "ab", upTo: "abc") == "abc")
        #expect(BrowserExport.shortestKey(after: "azure", upTo: "b") == "b")
        // Byte order: é (C3 A9) comes after z, and 𝄞 (F0 …) after U+FFFD (EF BF BD), though UTF-16 puts 𝄞's
        // surrogates first.
        #expect(BrowserExport.shortestKey(after: "zzz", upTo: "éa") == "é")
        #expect(BrowserExport.shortestKey(after: "\u{FFFD}z", upTo: "𝄞x") == "𝄞")
    }

    @Test func consecutiveTermsFillShardsWhoseKeysTheyFollow() throws {
        let folder = TemporaryFolder()
        var words: [String] = []
        for a in ["a", "b", "é", "ж", "𐐷"] { for b in ["", "a", "b", "c", "d"] { words.append(a + b + "x") } }
        let index = try buildIndex((0..<12).map { number in
            document("d\(number)", title: "Page \(number)", body: words.enumerated().filter { $0.offset % 12 != number }
                .map(\.element).joined(separator: " "))
        }, in: folder)
        var options = BrowserExport.Options()
        options.shardCharacters = 60
        let output = BrowserExport.export(index: index, options: options) { BrowserExport.Page(url: $0 + ".html") }
        let meta = try #require(output.files.first { $0.path == BrowserExport.metaFile })
        let text = String(decoding: meta.bytes, as: UTF8.self)
        let json = try #require(text.range(of: #""shards":\[[^\]]*\]"#, options: .regularExpression))
        let keys = try JSONSerialization.jsonObject(with: Data(("{" + text[json] + "}").utf8)) as! [String: [String]]
        let shards = try #require(keys["shards"])
        #expect(output.shardCount == shards.count && shards.count > 5)
        #expect(shards.first == "")
        // Keys ascend in byte order.
        for (a, b) in zip(shards, shards.dropFirst()) { #expect(a.utf8.lexicographicallyPrecedes(b.utf8), "\(a) \(b)") }
    }

    @Test func vocabularyBucketsHashUTF16UnitsAsTheScriptDoes() {
        // FNV-1a over UTF-16 units: "ex" → 0x9e2d0a3f... reduced modulo the bucket count.
        var hash: UInt32 = 2_166_136_261
        for unit in "ex".utf16 {
            hash ^= UInt32(unit)
            hash = hash &* 16_777_619
        }
        #expect(BrowserExport.bucket("ex", 256) == Int(hash % 256))
        #expect(BrowserExport.bucket("ex", 1) == 0)
    }

    @Test func anExportNamesEveryFileByItsGroupsHashAndKeepsNamesWhenNothingChanged() throws {
        let folder = TemporaryFolder()
        let index = try buildIndex([
            document("a", title: "Exit plan", body: "How the partnership ends. The exit plan covers staff."),
            document("b", title: "Escalation", body: "Escalate an issue tier by tier."),
        ], in: folder)
        let first = BrowserExport.export(index: index, options: BrowserExport.Options()) { BrowserExport.Page(url: $0 + ".html") }
        let again = BrowserExport.export(index: index, options: BrowserExport.Options()) { BrowserExport.Page(url: $0 + ".html") }
        #expect(first.files.map(\.path) == again.files.map(\.path))
        #expect(first.documentCount == 2)
        #expect(first.files.contains { $0.path == BrowserExport.metaFile })
        let names = first.files.map(\.path).filter { $0 != BrowserExport.metaFile }
        #expect(names.allSatisfy { $0.range(of: #"^[a-z]+[0-9]+(_[0-9]+)?\.[A-Za-z0-9_-]{4}\.js$"#, options: .regularExpression) != nil })
        // Documents are numbered in id order: document 0 is "a".
        let head = try #require(first.files.first { $0.path.hasPrefix("c0_0.") })
        #expect(String(decoding: head.bytes, as: UTF8.self).contains(#""id":"a","url":"a.html""#))
    }
}

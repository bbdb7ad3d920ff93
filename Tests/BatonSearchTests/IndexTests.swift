import Foundation
import Testing

@testable import BatonSearch

@Suite struct IndexTests {
    static func corpus(_ count: Int, seed: UInt64) -> [SearchDocument] {
        var rng = OracleTests.LCG(state: seed)
        return (0..<count).map { index in
            SearchDocument(
                id: "doc-\(index)",
                text: ["title": OracleTests.randomText(3, &rng), "body": OracleTests.randomText(40, &rng)],
                keywords: ["type": [index % 2 == 0 ? "role" : "person"]])
        }
    }

    static let queries = ["alpha", "bravo charlie", "\"alpha bravo\"", "del*", "echo OR golf", "alpha -bravo",
                          "title:alpha", "type:role alpha", "zulu yankee xray"]

    func answers(_ index: SearchIndex) throws -> [String] {
        let searcher = Searcher(index: index)
        var options = SearchOptions()
        options.facets = true
        return try Self.queries.map { query in
            let results = try searcher.search(query, options: options)
            return query + " → " + results.hits.map { "\($0.id):\(String(format: "%.12f", $0.score))" }
                .joined(separator: " ") + " total \(results.total ?? -1)"
        }
    }

    @Test func incrementalUpdatesEqualAFullRebuild() throws {
        var documents = Self.corpus(120, seed: 7)
        // Incrementally: three commits of additions, then replacements and deletions.
        let incremental = TemporaryFolder()
        for chunk in stride(from: 0, to: 120, by: 40) {
            let writer = try IndexWriter(directory: incremental.path)
            for document in documents[chunk..<(chunk + 40)] { writer.add(document) }
            try writer.commit()
        }
        let replacements = Self.corpus(15, seed: 99).enumerated().map { offset, document in
            SearchDocument(id: "doc-\(offset * 7)", text: document.text, keywords: document.keywords)
        }
        let writer = try IndexWriter(directory: incremental.path)
        writer.maximumDeletedShare = 1  // keep the deletions as deletions, not a merge
        for replacement in replacements { writer.add(replacement) }
        for gone in ["doc-3", "doc-50", "doc-101"] { writer.delete(id: gone) }
        try writer.commit()
        let incrementalIndex = try SearchIndex.open(directory: incremental.path)
        #expect(incrementalIndex.segments.count == 4)

        // The same final state, built at once.
        for replacement in replacements {
            documents[documents.firstIndex { $0.id == replacement.id }!] = replacement
        }
        documents.removeAll { ["doc-3", "doc-50", "doc-101"].contains($0.id) }
        let full = TemporaryFolder()
        let fullIndex = try buildIndex(documents, in: full)

        #expect(incrementalIndex.documentCount == fullIndex.documentCount)
        #expect(Set(incrementalIndex.ids) == Set(fullIndex.ids))
        #expect(try answers(incrementalIndex) == answers(fullIndex))
    }

    @Test func mergingKeepsTheAnswers() throws {
        let folder = TemporaryFolder()
        let documents = Self.corpus(60, seed: 3)
        for document in documents {
            let writer = try IndexWriter(directory: folder.path)
            writer.maximumSegments = 4
            writer.add(document)
            try writer.commit()
        }
        let merged = try SearchIndex.open(directory: folder.path)
        #expect(merged.segments.count <= 4)
        let reference = TemporaryFolder()
        #expect(try answers(merged) == answers(try buildIndex(documents, in: reference)))
        // Old segment files are gone.
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".bsi") }
        #expect(files.count == merged.segments.count)
    }

    @Test func replacingADocumentInTheSameCommitKeepsTheLastVersion() throws {
        let folder = TemporaryFolder()
        let writer = try IndexWriter(directory: folder.path)
        writer.add(document("x", title: "first", body: "alpha"))
        writer.add(document("x", title: "second", body: "bravo"))
        try writer.commit()
        let index = try SearchIndex.open(directory: folder.path)
        #expect(index.documentCount == 1)
        #expect(index.document(id: "x")?.title == "second")
        #expect(try Searcher(index: index).search("alpha").hits.isEmpty)
    }

    func segmentFile(_ folder: TemporaryFolder) throws -> String {
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".bsi") })
        return folder.path + "/" + name
    }

    @Test func aCorruptedSegmentIsAClearError() throws {
        let folder = TemporaryFolder()
        _ = try buildIndex(Self.corpus(30, seed: 1), in: folder)
        let path = try segmentFile(folder)
        var bytes = try #require(FileManager.default.contents(atPath: path))
        bytes[bytes.count / 2] ^= 0x5A
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try SearchIndex.open(directory: folder.path)
        } throws: { error in
            guard case IndexError.corrupt(let where_, let reason) = error else { return false }
            return where_ == path && reason.contains("checksum")
        }
    }

    @Test(arguments: [0, 7, 100, 1000])
    func aTruncatedSegmentIsAClearError(keep: Int) throws {
        let folder = TemporaryFolder()
        _ = try buildIndex(Self.corpus(30, seed: 1), in: folder)
        let path = try segmentFile(folder)
        let bytes = try #require(FileManager.default.contents(atPath: path))
        try bytes.prefix(keep).write(to: URL(fileURLWithPath: path))
        #expect(throws: IndexError.self) { _ = try SearchIndex.open(directory: folder.path) }
        do {
            _ = try SearchIndex.open(directory: folder.path)
        } catch {
            #expect(error.description.contains("the index has to be rebuilt") && !error.description.contains("baton "))
        }
    }

    /// A dictionary entry whose postings length is near `Int.max`, in a file whose checksum is right (as a crafted
    /// file would be): the next term's lists start past it, and reading them must come out empty, not trap on the
    /// sum (the index fuzzer found this).
    @Test func aHugeListLengthInTheDictionaryReadsAsDamageNotACrash() throws {
        let folder = TemporaryFolder()
        _ = try buildIndex([document("only", title: "alpha", body: "bravo")], in: folder)
        let path = try segmentFile(folder)
        var bytes = try #require(FileManager.default.contents(atPath: path).map { [UInt8]($0) })
        func little(at offset: Int, _ count: Int) -> Int {
            var value = 0
            for byte in 0..<count { value |= Int(bytes[offset + byte]) << (8 * byte) }
            return value
        }
        func varint(at offset: inout Int) -> Int {
            var value = 0, shift = 0
            while true {
                let byte = bytes[offset]
                offset += 1
                value |= Int(byte & 0x7F) << shift
                if byte < 0x80 { return value }
                shift += 7
            }
        }
        // The footer's section table; the dictionary is section 3, its blocks after the block table and keys.
        let fieldCount = Schema.standard.textFields.count
        let footerStart = bytes.count - (8 * (7 + 2 + fieldCount + 1) + 8)
        var offsets = (0..<7).map { little(at: footerStart + 8 * $0, 8) }
        let blockCount = little(at: offsets[3], 4)
        #expect(blockCount == 1, "one short document makes one dictionary block")
        let keysLength = little(at: offsets[3] + 4 + 8 * blockCount, 4)
        var entry = offsets[3] + 4 + 8 * blockCount + 4 + keysLength
        // The first entry: shared, suffix length, suffix, frequency, postings offset, positions offset, then the
        // postings length, which becomes Int.max - 1.
        _ = varint(at: &entry)
        let suffix = varint(at: &entry)
        entry += suffix
        for _ in 0..<3 { _ = varint(at: &entry) }
        let lengthStart = entry
        _ = varint(at: &entry)
        var huge: [UInt8] = []
        var value = UInt64(Int.max - 1)
        while value >= 0x80 { huge.append(UInt8(truncatingIfNeeded: value) | 0x80); value >>= 7 }
        huge.append(UInt8(value))
        let delta = huge.count - (entry - lengthStart)
        bytes.replaceSubrange(lengthStart..<entry, with: huge)
        // Everything after the dictionary moved by `delta`: the sections that follow it, and the footer.
        for section in 4..<7 { offsets[section] += delta }
        let newFooter = footerStart + delta
        for (section, offset) in offsets.enumerated() {
            for byte in 0..<8 { bytes[newFooter + 8 * section + byte] = UInt8(truncatingIfNeeded: offset >> (8 * byte)) }
        }
        SearchIndex.sealSegment(&bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let summary = try SearchIndex.inspectSegment(at: path)
        #expect(summary.documents == 1)
        // The manifest names the segment by its checksum: name the crafted one, so that queries reach it.
        let manifestPath = folder.path + "/" + Manifest.fileName
        var manifest = try Manifest.decode(
            [UInt8](try #require(FileManager.default.contents(atPath: manifestPath))), path: manifestPath)
        manifest.segments[0].checksum = try Segment(path: path, name: "crafted", mainField: "body").checksum
        try Data(manifest.encoded()).write(to: URL(fileURLWithPath: manifestPath))
        let index = try SearchIndex.open(directory: folder.path)
        for query in ["alpha", "bravo", "alp*", "\"alpha bravo\"", "zulu"] {
            _ = try Searcher(index: index).search(query)
        }
    }

    @Test func aDamagedManifestIsAClearError() throws {
        let folder = TemporaryFolder()
        _ = try buildIndex(Self.corpus(5, seed: 1), in: folder)
        try "baton-index 2\nsegment\n".write(toFile: folder.path + "/manifest", atomically: true, encoding: .utf8)
        #expect(throws: IndexError.self) { _ = try SearchIndex.open(directory: folder.path) }
        try "something else".write(toFile: folder.path + "/manifest", atomically: true, encoding: .utf8)
        #expect(throws: IndexError.self) { _ = try SearchIndex.open(directory: folder.path) }
    }

    @Test func anEmptyFolderIsAnEmptyIndex() throws {
        let folder = TemporaryFolder()
        let index = try SearchIndex.open(directory: folder.path)
        #expect(index.documentCount == 0)
        #expect(try Searcher(index: index).search("anything").hits.isEmpty)
    }
}

@Suite struct QueryParserTests {
    let parser = QueryParser(schema: Schema(textFields: Schema.pageFields, keywordFields: ["type", "section", "tag"]))

    @Test func parsesTheLanguage() throws {
        #expect(try parser.parse("exit plan").description == "(exit AND plan)")
        #expect(try parser.parse("\"exit plan\" title:draft").description == "(\"exit plan\" AND title:draft)")
        #expect(try parser.parse("escal* contarct~ x~2").description == "(escal* AND contarct~1 AND x~2)")
        #expect(try parser.parse("(a OR b) -c type:person").description
            == "((a OR b) AND -c AND type:person)")
        #expect(try parser.parse("section:exit-arrangements").description == "section:exit-arrangements")
        #expect(try parser.parse("hand-off").description == "hand-off")
        #expect(try parser.parse("ship", lastWordAsPrefix: true).description == "ship*")
    }

    @Test(arguments: [
        ("", "the query is empty"),
        ("\"open phrase", "the quotation mark is never closed"),
        ("(a OR b", "'(' is never closed"),
        ("a)", "')' has no matching '('"),
        ("OR a", "'OR' needs something before it"),
        ("a OR", "'OR' needs something after it"),
        ("-a", "a query needs at least one word to find"),
        ("colour:red", "unknown field 'colour'"),
        ("title:", "'title:' needs a value after it"),
        ("a~3", "fuzzy distance must be 1 or 2"),
        ("*", "'*' must follow a word"),
    ])
    func malformedQueriesGetClearErrors(query: String, message: String) {
        do {
            _ = try parser.parse(query)
            Issue.record("\(query) should not parse")
        } catch {
            #expect(error.message.contains(message), "\(query): \(error.message)")
        }
    }
}

/// Pruning (block-max for words, MaxScore for OR, bounds for phrases) must not change the answers, on lists long enough to have many
/// blocks.
@Suite struct PruningTests {
    @Test func prunedAndExhaustiveTopHitsAgree() throws {
        let folder = TemporaryFolder()
        let documents = IndexTests.corpus(900, seed: 11)
        let searcher = Searcher(index: try buildIndex(documents, in: folder))
        var pruned = SearchOptions()
        pruned.facets = false
        pruned.suggestions = false
        pruned.snippets = false
        var exhaustive = pruned
        exhaustive.pruning = false
        var rng = OracleTests.LCG(state: 5)
        for _ in 0..<150 {
            let a = OracleTests.vocabulary[Int.random(in: 0..<OracleTests.vocabulary.count, using: &rng)]
            let b = OracleTests.vocabulary[Int.random(in: 0..<OracleTests.vocabulary.count, using: &rng)]
            let c = OracleTests.vocabulary[Int.random(in: 0..<OracleTests.vocabulary.count, using: &rng)]
            // Quoted phrases too: pruned, a page is passed over on its words' frequencies, its positions read
            // rarest word first and no further once no start is left, and the near-match pass skipped where a near
            // match could not enter; none of that may change the answers.
            for query in [a, "\(a) \(b)", "\(a) OR \(b)", "\(a) type:role", "\"\(a) \(b)\"", "\"\(a) \(b) \(c)\"",
                          "\"\(c) \(a) \(b)\""] {
                // Few hits asked for: lists of many blocks for that many hits have their best-bounded blocks
                // scored first, then the rest in order.
                for limit in [10, 3, 1] {
                    pruned.limit = limit
                    exhaustive.limit = limit
                    let fast = try searcher.search(query, options: pruned).hits
                    let slow = try searcher.search(query, options: exhaustive).hits
                    #expect(fast.map(\.id) == slow.map(\.id), "\(query) limit \(limit)")
                    #expect(zip(fast, slow).allSatisfy { abs($0.score - $1.score) < 1e-12 }, "\(query) limit \(limit)")
                }
            }
        }
    }
}

/// A block's stored bound (format 7) against the scores of the documents in it: never below any of them, and with
/// one segment and the default ranking, the best of them to within the float it is stored in — a bound that loose
/// passes over no block, and one below a score would lose a hit.
@Suite struct BlockBoundTests {
    /// For each block of `term` in segment `segment`: (bound, best score in the block).
    func blocks(_ word: String, index: SearchIndex, segment: Int, options: SearchOptions) -> [(bound: Double, best: Double)] {
        let searcher = Searcher(index: index)
        let plan = searcher.wordPlan(word, field: nil, options: options)
        guard case .term = plan else { return [] }
        let bm25 = BM25F(k1: options.k1, b: options.b, weights: index.schema.textFields.map(\.weight))
        let scorer = SegmentScorer(bm25: bm25, segment: index.segments[segment], averages: index.averageFieldLengths,
                                   indexWeights: index.schema.textFields.map(\.weight))
        guard let matcher = searcher.matcher(plan, segment: segment, scorer: scorer) as? TermMatcher,
              let probe = searcher.matcher(plan, segment: segment, scorer: scorer) as? TermMatcher else { return [] }
        var found: [(bound: Double, best: Double)] = []
        var candidate: UInt32 = 0
        var more = matcher.advance(to: 0)
        while let block = probe.blockBound(at: candidate) {
            var best = 0.0
            while more && matcher.doc <= block.lastDoc {
                best = max(best, matcher.score())
                more = matcher.next()
            }
            found.append((block.bound, best))
            if block.lastDoc >= .max - 1 { break }
            candidate = block.lastDoc + 1
        }
        return found
    }

    @Test func boundsHoldEveryScoreAndAreTightInOneSegment() throws {
        let folder = TemporaryFolder()
        let index = try buildIndex(IndexTests.corpus(2_000, seed: 23), in: folder)
        #expect(index.segments.count == 1)
        var checked = 0
        for term in ["alpha", "bravo", "charlie", "delta", "echo"] {
            let found = blocks(term, index: index, segment: 0, options: SearchOptions())
            #expect(found.count > 1, "\(term) spans several blocks")
            for block in found {
                #expect(block.bound >= block.best, "\(term): bound \(block.bound) below a score \(block.best)")
                #expect(block.bound <= block.best * (1 + 1e-6), "\(term): bound \(block.bound) for best \(block.best)")
                checked += 1
            }
        }
        #expect(checked > 10)
    }

    @Test func boundsHoldAcrossSegmentsAndOtherK1() throws {
        let folder = TemporaryFolder()
        let writer = try IndexWriter(directory: folder.path, rebuild: true)
        writer.heapBytes = 60_000
        // Later documents are longer, so the segments' averages differ from the collection's.
        var rng = OracleTests.LCG(state: 41)
        for number in 0..<1_500 {
            writer.add(SearchDocument(id: "doc-\(number)", text: [
                "title": OracleTests.randomText(2 + number / 500, &rng),
                "body": OracleTests.randomText(20 + number / 20, &rng)]))
        }
        try writer.commit()
        let index = try SearchIndex.open(directory: folder.path)
        #expect(index.segments.count > 1)
        for k1 in [0.6, 1.2, 2.0] {
            var options = SearchOptions()
            options.k1 = k1
            for segment in index.segments.indices {
                for term in ["alpha", "golf"] {
                    for block in blocks(term, index: index, segment: segment, options: options) {
                        #expect(block.bound >= block.best, "k1 \(k1), segment \(segment), \(term)")
                    }
                }
            }
        }
    }
}

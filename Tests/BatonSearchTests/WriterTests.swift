import Foundation
import Testing

@testable import BatonSearch

/// The writer on several threads, in a bounded heap, and merging segments by their postings: each checked against
/// the plain one-thread build, byte for byte where the segment must come out the same.
@Suite struct WriterTests {
    func segmentBytes(_ folder: TemporaryFolder) throws -> [[UInt8]] {
        let index = try SearchIndex.open(directory: folder.path)
        return try index.segments.map { segment in
            try #require(FileManager.default.contents(atPath: folder.path + "/" + segment.name)).map { $0 }
        }
    }

    func build(_ documents: [SearchDocument], threads: Int, heap: Int = 256 << 20, in folder: TemporaryFolder) throws {
        let writer = try IndexWriter(directory: folder.path, rebuild: true)
        writer.threads = threads
        writer.heapBytes = heap
        for document in documents { writer.add(document) }
        try writer.commit()
    }

    @Test func threadsJoinIntoTheSegmentOneThreadWrites() throws {
        let documents = IndexTests.corpus(700, seed: 21)
        let one = TemporaryFolder(), three = TemporaryFolder()
        try build(documents, threads: 1, in: one)
        try build(documents, threads: 3, in: three)
        let single = try segmentBytes(one)
        #expect(single.count == 1)
        #expect(try segmentBytes(three) == single)
    }

    @Test func aLargeVocabularyIsOrderedAndItsDictionaryBuiltOnThreadsAsOnOne() throws {
        // Three words of its own in every document: over 4,096 terms, so the term order is sorted in two halves
        // and merged, and the dictionary is built in parts of whole blocks, one per thread, then joined.
        var rng = OracleTests.LCG(state: 47)
        let documents = (0..<1_500).map { number in
            SearchDocument(id: "doc-\(number)", text: ["title": "alpha\(number) " + OracleTests.randomText(3, &rng),
                                                     "body": "beta\(number * 3) gamma\(number) " + OracleTests.randomText(40, &rng)])
        }
        let one = TemporaryFolder(), two = TemporaryFolder()
        try build(documents, threads: 1, in: one)
        try build(documents, threads: 2, in: two)
        #expect(try segmentBytes(two) == segmentBytes(one))
        let segment = try SearchIndex.open(directory: two.path).segments[0]
        #expect(segment.dictionaryBlockCount >= 2 * 64, "enough blocks for two dictionary parts")
        // Terms from both halves of the order and both dictionary parts are found.
        let searcher = Searcher(index: try SearchIndex.open(directory: two.path))
        for word in ["alpha0", "alpha1499", "beta2997", "gamma750"] {
            #expect(try searcher.search(word).hits.count == 1, "\(word)")
        }
    }

    @Test func aSmallHeapFlushesSegmentsAndKeepsTheAnswers() throws {
        var documents = IndexTests.corpus(600, seed: 8)
        // A replacement and a deletion across flushes: only the last copy counts.
        documents.append(document("doc-5", title: "replaced", body: "zulu quebec"))
        let folder = TemporaryFolder()
        let writer = try IndexWriter(directory: folder.path, rebuild: true)
        writer.threads = 2
        writer.heapBytes = 60_000
        for document in documents { writer.add(document) }
        writer.delete(id: "doc-7")
        try writer.commit()
        let index = try SearchIndex.open(directory: folder.path)
        #expect(index.segments.count > 1, "a 60 KB heap flushes more than once")
        #expect(index.documentCount == 599)
        #expect(index.document(id: "doc-5")?.title == "replaced")
        #expect(index.document(id: "doc-7") == nil)

        var expected = IndexTests.corpus(600, seed: 8).filter { $0.id != "doc-7" && $0.id != "doc-5" }
        expected.append(document("doc-5", title: "replaced", body: "zulu quebec"))
        let reference = TemporaryFolder()
        let plain = try buildIndex(expected, in: reference)
        #expect(try IndexTests().answers(index) == IndexTests().answers(plain))
        // Only the segments the manifest names are left.
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".bsi") }
        #expect(files.count == index.segments.count)
    }

    @Test func mergedSegmentsAreTheSegmentOfTheirLiveDocuments() throws {
        let documents = IndexTests.corpus(300, seed: 4)
        let folder = TemporaryFolder()
        // Commits of 50, each with a deletion, two segments at most: merges on the way.
        for start in stride(from: 0, to: 300, by: 50) {
            let writer = try IndexWriter(directory: folder.path)
            writer.maximumSegments = 2
            for document in documents[start..<start + 50] { writer.add(document) }
            writer.delete(id: "doc-\(start + 10)")
            try writer.commit()
        }
        let writer = try IndexWriter(directory: folder.path)
        writer.maximumSegments = 0
        try writer.commit()
        let merged = try segmentBytes(folder)
        #expect(merged.count == 1)
        // The same live documents in the same order, indexed in one go, make the same bytes.
        let live = documents.filter { !Set(stride(from: 10, to: 300, by: 50).map { "doc-\($0)" }).contains($0.id) }
        let reference = TemporaryFolder()
        try build(live, threads: 1, in: reference)
        #expect(try segmentBytes(reference) == merged)
    }

    @Test func aMergeOnSeveralThreadsWritesTheSegmentOfOneThread() throws {
        // Thousands of terms (a word of its own in every document), so the merge's threads each take a run of
        // them, cut inside the dictionary; deletions in both segments.
        var rng = OracleTests.LCG(state: 31)
        // Enough positions that each thread's encoded run spans several pieces (`EncodedRun.pieceSize`).
        let documents = (0..<1_200).map { number in
            SearchDocument(id: "doc-\(number)", text: ["title": "word\(number) " + OracleTests.randomText(2, &rng),
                                                     "body": "term\(number * 7) " + OracleTests.randomText(300, &rng)])
        }
        let folder = TemporaryFolder()
        for (start, end) in [(0, 700), (700, 1_200)] {
            let writer = try IndexWriter(directory: folder.path)
            writer.maximumSegments = 8
            for document in documents[start..<end] { writer.add(document) }
            writer.delete(id: "doc-\(start + 3)")
            try writer.commit()
        }
        #expect(try segmentBytes(folder).count == 2)
        let writer = try IndexWriter(directory: folder.path)
        writer.threads = 3
        writer.maximumSegments = 0
        try writer.commit()
        let merged = try segmentBytes(folder)
        #expect(merged.count == 1)
        let live = documents.filter { $0.id != "doc-3" && $0.id != "doc-703" }
        let reference = TemporaryFolder()
        try build(live, threads: 1, in: reference)
        #expect(try segmentBytes(reference) == merged)
        #expect(try SearchIndex.open(directory: folder.path).segments[0].dictionaryBlockCount > 100)
        // The threads' spill files went with the merge.
        let others = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { !$0.hasSuffix(".bsi") }
        #expect(others == ["manifest"])
    }

    @Test func storedRecordsAsTheyLieAreTheirDocumentsEncodedAnew() throws {
        // A merge copies each document's stored records from its segment; they must be what encoding the
        // document again gives, the last one (which ends before the section's padding) included.
        var documents = IndexTests.corpus(90, seed: 17)
        documents.append(SearchDocument(id: "sections", text: ["title": "Héllo wörld", "body": "one two three"],
                                        keywords: ["type": ["role", "person"]]))
        let folder = TemporaryFolder()
        let index = try buildIndex(documents, in: folder)
        let segment = try #require(index.segments.first)
        for doc in 0..<segment.documentCount {
            let record = try #require(segment.storedRecord(doc), "doc \(doc)")
            var head = ByteWriter()
            var text = ByteWriter()
            segment.storedDocument(doc).write(head: &head, text: &text)
            #expect(Array(record.head) == head.bytes, "head of doc \(doc)")
            #expect(Array(record.text) == text.bytes, "text of doc \(doc)")
        }
        #expect(segment.storedRecord(segment.documentCount) == nil)
    }

    /// An index of 40 documents with a folder standing where segment-2-1.bsi would go; `fill` adds documents to a
    /// writer on it. The commit must fail naming that path, leave the index as it was, and remove every segment it
    /// wrote (only the folder is left beside the index's own).
    func expectFailedCommitLosesNothing(_ fill: (IndexWriter) -> Void) throws {
        let folder = TemporaryFolder()
        let before = try buildIndex(IndexTests.corpus(40, seed: 2), in: folder)
        let answers = try IndexTests().answers(before)
        let blocked = folder.path + "/segment-2-1.bsi"
        try FileManager.default.createDirectory(atPath: blocked, withIntermediateDirectories: false)
        let writer = try IndexWriter(directory: folder.path)
        fill(writer)
        #expect {
            try writer.commit()
        } throws: { error in
            guard case IndexError.io(let path, _) = error else { return false }
            return path == blocked
        }
        let after = try SearchIndex.open(directory: folder.path)
        #expect(after.documentCount == 40)
        #expect(try IndexTests().answers(after) == answers)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".bsi") }
        #expect(Set(files) == Set(after.segments.map(\.name) + ["segment-2-1.bsi"]))
    }

    @Test func aSegmentThatCannotBeWrittenFailsTheCommitAndLosesNothing() throws {
        // Small flushes, one thread each: the first writes segment-2.bsi, the second fails; the first is removed.
        try expectFailedCommitLosesNothing { writer in
            writer.heapBytes = 20_000
            for document in IndexTests.corpus(200, seed: 9) { writer.add(document) }
        }
    }

    @Test func aThreadWhoseSegmentCannotBeWrittenFailsTheCommitAndTheOtherThreadsSegmentGoes() throws {
        // A heap that fills after about 200 documents: that flush splits between two threads, the second of which
        // writes segment-2-1.bsi; the first thread's segment-2.bsi, written beside the failure, is removed.
        let documents = IndexTests.corpus(300, seed: 9)
        let heap = documents.prefix(200).reduce(0) { total, document in
            total + 12 * (document.text.values.reduce(0) { $0 + $1.utf8.count } + document.id.utf8.count) + 256
        }
        try expectFailedCommitLosesNothing { writer in
            writer.threads = 2
            writer.heapBytes = heap
            for document in documents { writer.add(document) }
        }
    }

    @Test func idRanksAreTheOrderOfStringComparison() {
        // ASCII and not, prefixes, case, and two spellings of "é" that compare equal as Strings.
        let ids = ["doc-10", "doc-9", "Doc-1", "doc-1", "", "élan", "e\u{301}lan", "elan", "zeta", "ζήτα", "doc-1#2"]
        let bytes = ids.map { Array($0.utf8) }
        let ranks = bytes.withUnsafeBufferPointers { SegmentWriter.idRanks($0) }
        for a in ids.indices {
            for b in ids.indices {
                #expect((ranks[a] < ranks[b]) == (ids[a] < ids[b]), "\(ids[a]) against \(ids[b])")
            }
        }
        #expect(ranks[5] == ranks[6], "equal Strings share a place")
    }

    @Test func hitsWhoseScoresTieComeInIdOrderWithinAndAcrossSegments() throws {
        // Identical pages, so every score ties; ids added in a scrambled order, over two commits.
        var rng = OracleTests.LCG(state: 77)
        var ids = (0..<90).map { "page-\($0 * 37 % 90)" } + ["Page-0", "page-7#1", "pagé-3", "ñame"]
        ids.shuffle(using: &rng)
        let folder = TemporaryFolder()
        for part in [ids[..<50], ids[50...]] {
            let writer = try IndexWriter(directory: folder.path)
            writer.maximumSegments = 8
            for id in part { writer.add(document(id, title: "Exit plan", body: "the exit plan and its steps")) }
            try writer.commit()
        }
        let expected = ids.sorted()
        func check(segments: Int) throws {
            let index = try SearchIndex.open(directory: folder.path)
            #expect(index.segments.count == segments)
            for limit in [1, 10, 33, 94] {
                for pruning in [true, false] {
                    var options = SearchOptions()
                    options.limit = limit
                    options.pruning = pruning
                    for query in ["exit", "exit plan", "\"exit plan\""] {
                        let found = try Searcher(index: index).search(query, options: options).hits.map(\.id)
                        #expect(found == Array(expected.prefix(limit)), "\(query), limit \(limit), pruning \(pruning)")
                    }
                }
            }
        }
        try check(segments: 2)
        let writer = try IndexWriter(directory: folder.path)
        writer.maximumSegments = 0
        try writer.commit()
        try check(segments: 1)
    }
}

extension Array where Element == [UInt8] {
    /// The arrays' bytes as views, for as long as `body` runs.
    func withUnsafeBufferPointers<Result>(_ body: ([UnsafeRawBufferPointer]) -> Result) -> Result {
        var views: [UnsafeRawBufferPointer] = []
        func next(_ index: Int) -> Result {
            guard index < count else { return body(views) }
            return self[index].withUnsafeBytes { raw in
                views.append(raw)
                return next(index + 1)
            }
        }
        return next(0)
    }
}

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

    @Test func aSegmentThatCannotBeWrittenFailsTheCommitAndLosesNothing() throws {
        let folder = TemporaryFolder()
        let before = try buildIndex(IndexTests.corpus(40, seed: 2), in: folder)
        let answers = try IndexTests().answers(before)
        // The first flush of the next commit writes segment-2.bsi; a folder stands where the second goes.
        try FileManager.default.createDirectory(atPath: folder.path + "/segment-2-1.bsi", withIntermediateDirectories: false)
        let writer = try IndexWriter(directory: folder.path)
        writer.heapBytes = 20_000
        for document in IndexTests.corpus(200, seed: 9) { writer.add(document) }
        #expect {
            try writer.commit()
        } throws: { error in
            guard case IndexError.io(let path, _) = error else { return false }
            return path == folder.path + "/segment-2-1.bsi"
        }
        // The index is as it was, and the segment written before the failure is gone.
        let after = try SearchIndex.open(directory: folder.path)
        #expect(after.documentCount == 40)
        #expect(try IndexTests().answers(after) == answers)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".bsi") }
        #expect(Set(files) == Set(after.segments.map(\.name) + ["segment-2-1.bsi"]))
    }
}

import Foundation
import Testing

@testable import BatonSearch

/// Segment files are written in pieces: the checksum kept on the way must be `Checksum.of` the whole, however
/// the bytes are cut, and the file must hold exactly what was written, or nothing.
@Suite struct StreamedFileTests {
    static func bytes(_ count: Int, seed: UInt64) -> [UInt8] {
        var rng = OracleTests.LCG(state: seed)
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    @Test func checksumOfPiecesIsTheChecksumOfTheWhole() {
        var rng = OracleTests.LCG(state: 9)
        for length in Array(0...40) + [1_000, 4_099] {
            let data = Self.bytes(length + 24, seed: UInt64(length))
            let expected = data.withUnsafeBytes { Checksum.of(UnsafeRawBufferPointer(rebasing: $0[..<length])) }
            for _ in 0..<20 {
                // Random cuts, and bytes beyond `length` (the checksum and magic of a file) fed after it.
                var stream = ChecksumStream(length: length)
                var offset = 0
                while offset < data.count {
                    let piece = min(data.count - offset, Int.random(in: 0...13, using: &rng))
                    data.withUnsafeBytes { stream.update(UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + piece)])) }
                    offset += piece
                }
                #expect(stream.value == expected, "length \(length)")
                #expect(stream.count == length)
            }
        }
    }

    @Test func aFileHoldsItsPiecesInOrderAndAppearsOnlyWhenFinished() throws {
        let folder = TemporaryFolder()
        let path = folder.path + "/out.bin"
        // Pieces smaller than the buffer, one larger than it, and padding.
        let pieces = [Self.bytes(5, seed: 1), Self.bytes(700_000, seed: 2), Self.bytes(1_500_000, seed: 3), Self.bytes(3, seed: 4)]
        let file = try StreamedFile(path: path, checksummed: 2_200_008)
        for piece in pieces {
            try file.write(piece)
            try file.align()
        }
        #expect(!FileManager.default.fileExists(atPath: path), "not there before finish")
        try file.finish()
        var expected: [UInt8] = []
        for piece in pieces {
            expected += piece
            expected += [UInt8](repeating: 0, count: (8 - expected.count % 8) % 8)
        }
        let written = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written == expected)
        #expect(file.count == expected.count)
        #expect(file.checksum.value == expected.withUnsafeBytes { Checksum.of(UnsafeRawBufferPointer(rebasing: $0[..<2_200_008])) })
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.bin"], "no temporary left")
    }

    @Test func anAbandonedFileLeavesNothingAndAMissingFolderIsNamed() throws {
        let folder = TemporaryFolder()
        do {
            let file = try StreamedFile(path: folder.path + "/gone.bin", checksummed: 0)
            try file.write(Self.bytes(100, seed: 5))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        do {
            _ = try StreamedFile(path: folder.path + "/no/such/dir/x.bin", checksummed: 0)
            Issue.record("a file in a missing folder cannot be opened")
        } catch {
            #expect(error.description.contains("/no/such/dir/x.bin"))
        }
    }

    @Test func aSpillFileGivesBackWhatWasAppendedAndLeavesNoName() throws {
        let folder = TemporaryFolder()
        let spill = try SpillFile(path: folder.path + "/run.spill")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty, "unnamed once open")
        // Pieces around the megabyte it is copied back in.
        let pieces = [Self.bytes(3, seed: 6), Self.bytes(1 << 20, seed: 7), Self.bytes(1_300_001, seed: 8), []]
        for piece in pieces { spill.append(piece) }
        #expect(spill.count == pieces.reduce(0) { $0 + $1.count })
        let path = folder.path + "/out.bin"
        let file = try StreamedFile(path: path, checksummed: 0)
        try file.write([9, 9])
        try spill.copy(to: file)
        try file.finish()
        let written = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(written == [9, 9] + pieces.flatMap { $0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["out.bin"])
        do {
            _ = try SpillFile(path: folder.path + "/out.bin")
            Issue.record("a spill file never replaces a file")
        } catch {
            #expect(error.description.contains("out.bin"))
        }
    }

    @Test func packedTermsReadBackAsAppended() {
        var rng = OracleTests.LCG(state: 12)
        var packed = PackedTerms()
        var expected: [(term: String, info: TermInfo)] = []
        for number in 0..<500 {
            var info = TermInfo(documentFrequency: Int.random(in: 1...1_000_000, using: &rng),
                                postingsOffset: Int.random(in: 0...(1 << 40), using: &rng), postingsLength: number,
                                positionsOffset: Int.random(in: 0...(1 << 33), using: &rng),
                                positionsLength: Int.random(in: 0...300, using: &rng),
                                fieldMask: UInt8.random(in: 0...255, using: &rng),
                                maxTf: PerField(repeating: 0), minLength: PerField(repeating: 0))
            for field in 0..<8 where Bool.random(using: &rng) {
                info.maxTf[field] = Int.random(in: 0...70_000, using: &rng)
                info.minLength[field] = Int.random(in: 0...5, using: &rng)
            }
            let term = number % 7 == 0 ? "" : "térm-\(number)-" + String(repeating: "x", count: number % 40)
            packed.append(term, info)
            expected.append((term, info))
        }
        #expect(packed.count == expected.count)
        for (index, entry) in expected.enumerated() {
            let read = packed.entry(index)
            #expect(read.term == Array(entry.term.utf8))
            #expect(read.info == entry.info)
        }
    }
}

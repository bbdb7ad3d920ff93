/// Reading a segment file in full, as a check: for `baton index --verify`-style tools and for the fuzzer,
/// which must reach every structure of a segment, not only what a query happens to touch.
extension SearchIndex {
    /// What reading a segment in full found.
    public struct SegmentSummary: Sendable, Equatable {
        public var documents: Int
        public var terms: Int
        public var postings: Int
    }

    /// Opens the segment file at `path` (every check of opening: magic, version, bounds, checksum), then reads
    /// every stored document and walks every term's postings and positions. Throws for a damaged file.
    public static func inspectSegment(at path: String) throws(IndexError) -> SegmentSummary {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let segment = try Segment(path: path, name: name, mainField: Schema.standard.snippetField)
        var summary = SegmentSummary(documents: segment.documentCount, terms: 0, postings: 0)
        for doc in 0..<segment.documentCount {
            _ = segment.storedDocument(doc)
            _ = segment.storedHead(doc)
            _ = segment.storedTitle(doc)
            _ = segment.lookup(SegmentWriter.idTerm(segment.storedID(doc)))
        }
        // The documents' places in id order must be the order of their ids (ties between hits rely on them).
        let byRank = (0..<segment.documentCount).sorted { segment.idRank($0) < segment.idRank($1) }
        for (place, doc) in byRank.enumerated() where place > 0 {
            let previous = byRank[place - 1]
            let before = StoredText.precedes(segment.storedIDBytes(previous), segment.storedIDBytes(doc))
            let same = !before && !StoredText.precedes(segment.storedIDBytes(doc), segment.storedIDBytes(previous))
            guard segment.idRank(previous) < segment.idRank(doc) ? before : same else {
                throw .corrupt(path: path, reason: "the documents' id order does not match their ids")
            }
        }
        segment.forEachTerm(from: []) { entry in
            summary.terms += 1
            var cursor = segment.postings(entry.info)
            var steps = 0
            while cursor.next(), steps <= segment.documentCount {
                _ = cursor.positions()
                summary.postings += 1
                steps += 1
            }
            return summary.terms <= segment.termCount
        }
        return summary
    }

    /// Writes the footer checksum of a segment's bytes, for tools that make segment files by hand (the fuzzer
    /// seals its inputs so that what lies past the checksum is reached too). Too short a file is left alone.
    public static func sealSegment(_ bytes: inout [UInt8]) {
        guard bytes.count >= 16 else { return }
        let sum = bytes.withUnsafeBytes { Checksum.of(UnsafeRawBufferPointer(rebasing: $0[..<(bytes.count - 16)])) }
        for index in 0..<8 { bytes[bytes.count - 16 + index] = UInt8(truncatingIfNeeded: sum >> (8 * UInt64(index))) }
    }
}

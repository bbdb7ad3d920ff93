/// An open segment file: read through memory mapping, checked on open (magic, version, bounds, checksum).
final class Segment: @unchecked Sendable {
    let name: String
    let file: MappedFile
    let fieldNames: [String]
    let documentCount: Int
    /// The checksum stored in the footer (of everything before it), which the manifest records too.
    let checksum: UInt64
    let termCount: Int
    /// Sum of each text field's length over all documents (deleted ones included).
    let fieldLengthTotals: [UInt64]
    private let docsStart: Int
    /// Where the documents' places in id order start (after their records, in the documents section).
    private let idRanksStart: Int
    private let headsStart: Int
    private let textsStart: Int
    /// Bytes of stored text (what snippets are cut from): the bulk of a segment that is not index.
    let storedTextBytes: Int
    private let postingsStart: Int
    private let positionsStart: Int
    private let positionsEnd: Int
    private let dictionaryEnd: Int
    private let dictionaryStartForTexts: Int
    private let blocksStart: Int
    private let blockOffsets: [Int]
    /// First term of every dictionary block, as bytes, for binary search.
    private let firstTerms: [[UInt8]]
    private let lengthColumns: FieldLengthColumns

    var fieldCount: Int { fieldNames.count }
    private var docRecordSize: Int { 16 + 4 * fieldCount }
    /// The text field every posting carries first.
    let mainField: Int

    init(path: String, name: String, mainField: String = "body") throws(IndexError) {
        self.name = name
        file = try MappedFile(path: path)
        let size = file.count
        let magic = SegmentFormat.headerMagic
        guard size >= 64 else { throw .corrupt(path: path, reason: "the file is too short (\(size) bytes)") }
        let buffer = file.buffer
        guard Array(buffer[0..<8]) == magic else { throw .corrupt(path: path, reason: "not a Baton index segment") }
        guard Array(buffer[(size - 8)..<size]) == SegmentFormat.footerMagic else {
            throw .corrupt(path: path, reason: "the end of the file is missing (truncated?)")
        }
        var header = ByteReader(base: file.base, offset: 8, end: size)
        let version = header.u32()
        guard version == SegmentFormat.version else { throw .unsupportedVersion(path: path, found: version) }
        let fields = Int(header.u32())
        guard fields >= 1, fields <= 8 else { throw .corrupt(path: path, reason: "bad field count \(fields)") }
        var names: [String] = []
        for _ in 0..<fields { names.append(header.string()) }
        guard !header.failed else { throw .corrupt(path: path, reason: "unreadable header") }
        fieldNames = names
        self.mainField = names.firstIndex(of: mainField) ?? 0

        // Footer: seven section offsets, counts, field length totals, checksum, magic.
        let footerSize = 8 * (7 + 2 + fields + 1) + 8
        guard size >= footerSize + 16 else { throw .corrupt(path: path, reason: "the file is too short") }
        var footer = ByteReader(base: file.base, offset: size - footerSize, end: size)
        let offsets = (0..<7).map { _ in Int(truncatingIfNeeded: footer.u64()) }
        documentCount = Int(truncatingIfNeeded: footer.u64())
        termCount = Int(truncatingIfNeeded: footer.u64())
        fieldLengthTotals = (0..<fields).map { _ in footer.u64() }
        let storedChecksum = footer.u64()
        let checksummed = size - 16
        let actual = Checksum.of(UnsafeRawBufferPointer(start: file.base, count: checksummed))
        guard actual == storedChecksum else { throw .corrupt(path: path, reason: "checksum mismatch") }
        checksum = storedChecksum
        // Sections must be in order and inside the file.
        guard offsets == offsets.sorted(), offsets[0] >= 8, offsets[6] == size - footerSize,
            documentCount >= 0, documentCount <= (offsets[1] - offsets[0]) / (16 + 4 * fields + 4)
        else { throw .corrupt(path: path, reason: "section table out of range") }
        docsStart = offsets[0]
        idRanksStart = offsets[0] + documentCount * (16 + 4 * fields)
        headsStart = offsets[1]
        textsStart = offsets[2]
        storedTextBytes = offsets[3] - offsets[2]
        postingsStart = offsets[4]
        positionsStart = offsets[5]
        positionsEnd = offsets[6]
        dictionaryEnd = offsets[4]
        dictionaryStartForTexts = offsets[3]
        lengthColumns = FieldLengthColumns(start: file.base + offsets[0], stride: 16 + 4 * fields, lengthsAt: 16,
                                           documentCount: documentCount, fieldCount: fields)

        var dictionary = ByteReader(base: file.base, offset: offsets[3], end: offsets[4])
        let blockCount = Int(dictionary.u32())
        guard blockCount <= (offsets[4] - offsets[3]) / 8 else { throw .corrupt(path: path, reason: "dictionary") }
        var blockOffsets: [Int] = []
        var keyOffsets: [Int] = []
        for _ in 0..<blockCount {
            blockOffsets.append(Int(dictionary.u32()))
            keyOffsets.append(Int(dictionary.u32()))
        }
        let keysLength = Int(dictionary.u32())
        let keysStart = dictionary.offset
        guard keysLength <= offsets[4] - keysStart else { throw .corrupt(path: path, reason: "dictionary keys") }
        var firstTerms: [[UInt8]] = []
        firstTerms.reserveCapacity(blockCount)
        for keyOffset in keyOffsets {
            var key = ByteReader(base: file.base, offset: keysStart + keyOffset, end: keysStart + keysLength)
            let length = key.int()
            firstTerms.append(Array(key.bytes(length)))
            if key.failed { throw .corrupt(path: path, reason: "dictionary keys") }
        }
        dictionary.skip(keysLength)
        guard !dictionary.failed else { throw .corrupt(path: path, reason: "dictionary") }
        blocksStart = dictionary.offset
        self.blockOffsets = blockOffsets
        self.firstTerms = firstTerms
    }

    // MARK: Documents

    func fieldLength(doc: Int, field: Int) -> Int {
        fieldLengthTable.length(doc: doc, field: field)
    }

    /// The documents' field lengths, for scoring loops (see `FieldLengthTable`).
    var fieldLengthTable: FieldLengthTable { lengthColumns.table }

    /// An offset stored in a document's record (`at` 0: its head, 8: its text). A value no file could hold reads
    /// as -1, which makes every read from it fail instead of straying.
    private func recordOffset(_ doc: Int, _ at: Int) -> Int {
        let value = UInt64(littleEndian: file.base.loadUnaligned(fromByteOffset: docsStart + doc * docRecordSize + at, as: UInt64.self))
        return value <= UInt64(file.count) ? Int(value) : -1
    }

    /// Just the id of a document (the first thing stored for it).
    func storedID(_ doc: Int) -> String {
        var reader = ByteReader(base: file.base, offset: headsStart &+ recordOffset(doc, 0), end: textsStart)
        return reader.string()
    }

    /// The document's place in the order of the segment's ids (as `StoredText.precedes` orders them; equal ids
    /// share a place): within one segment, ties between hits compare these numbers, not the ids.
    @inline(__always)
    func idRank(_ doc: Int) -> UInt32 {
        // Safe: the ranks lie inside the documents section (checked on open), one per document, and every
        // document number a caller holds is below the document count.
        UInt32(littleEndian: file.base.loadUnaligned(fromByteOffset: idRanksStart &+ doc &* 4, as: UInt32.self))
    }

    /// Just the id of a document as its stored UTF-8 bytes, read in place (no String made): for ordering hits
    /// whose scores tie. Valid as long as the segment.
    func storedIDBytes(_ doc: Int) -> UnsafeRawBufferPointer {
        var reader = ByteReader(base: file.base, offset: headsStart &+ recordOffset(doc, 0), end: textsStart)
        return reader.bytes(reader.int())
    }

    /// The id, language and keyword values of a document, without its text.
    func storedHead(_ doc: Int) -> (id: String, language: Language, keywords: [(field: Int, value: String)]) {
        var reader = ByteReader(base: file.base, offset: headsStart &+ recordOffset(doc, 0), end: textsStart)
        return StoredDocument.readHead(&reader)
    }

    /// The first text field (the title) of a document, without reading the rest of its text.
    func storedTitle(_ doc: Int) -> String {
        var text = ByteReader(base: file.base, offset: textsStart &+ recordOffset(doc, 8), end: dictionaryStartForTexts)
        guard text.int() > 0 else { return "" }
        return text.string()
    }

    func storedDocument(_ doc: Int) -> StoredDocument {
        var head = ByteReader(base: file.base, offset: headsStart &+ recordOffset(doc, 0), end: textsStart)
        var text = ByteReader(base: file.base, offset: textsStart &+ recordOffset(doc, 8), end: dictionaryStartForTexts)
        return StoredDocument.read(head: &head, text: &text)
    }

    /// A document's stored head and text as they lie in the file, for a merge to copy without decoding them;
    /// nil when they do not lie inside their sections end to end as the writer puts them (the merge then
    /// decodes the document and writes it anew). The views last as long as the segment.
    func storedRecord(_ doc: Int) -> (head: UnsafeRawBufferPointer, text: UnsafeRawBufferPointer)? {
        guard doc >= 0, doc < documentCount else { return nil }
        let head = recordOffset(doc, 0)
        let text = recordOffset(doc, 8)
        guard head >= 0, text >= 0 else { return nil }
        let headEnd: Int
        let textEnd: Int
        if doc + 1 < documentCount {
            headEnd = recordOffset(doc + 1, 0)
            textEnd = recordOffset(doc + 1, 8)
        } else {
            // The last records end where reading them ends: their sections are padded after them.
            var headReader = ByteReader(base: file.base, offset: headsStart &+ head, end: textsStart)
            var textReader = ByteReader(base: file.base, offset: textsStart &+ text, end: dictionaryStartForTexts)
            _ = StoredDocument.read(head: &headReader, text: &textReader)
            guard !headReader.failed, !textReader.failed else { return nil }
            headEnd = headReader.offset - headsStart
            textEnd = textReader.offset - textsStart
        }
        guard headEnd >= 0, textEnd >= 0, headsStart + headEnd <= textsStart, textsStart + textEnd <= dictionaryStartForTexts,
              let headBytes = file.bytes(from: headsStart + head, to: headsStart + headEnd),
              let textBytes = file.bytes(from: textsStart + text, to: textsStart + textEnd) else { return nil }
        return (headBytes, textBytes)
    }

    /// Hands back the pages that have been read (a merge, done with them): of the stored data, of the dictionary,
    /// postings and positions, or of the whole file.
    enum Pages { case stored, lists, all }

    func releasePages(_ pages: Pages) {
        switch pages {
        case .stored: file.release(from: headsStart, to: dictionaryStartForTexts)
        case .lists: file.release(from: dictionaryStartForTexts, to: positionsEnd)
        case .all: file.release(from: 0, to: file.count)
        }
    }

    /// Hands back the pages wholly inside dictionary blocks `blocks` (see `TermIterator`).
    func releaseDictionary(blocks: Range<Int>) {
        guard !blocks.isEmpty, blocks.lowerBound >= 0, blocks.upperBound <= blockOffsets.count else { return }
        let end = blocks.upperBound < blockOffsets.count ? blocksStart + blockOffsets[blocks.upperBound] : dictionaryEnd
        file.release(from: blocksStart + blockOffsets[blocks.lowerBound], to: end)
    }

    /// A merge's progress through this segment's lists: once it has moved `step` bytes past `mark` (where it
    /// stood when it last handed pages back; nil at first), the pages of the lists behind the term `info` are
    /// handed back and the mark moves there.
    func releaseLists(before info: TermInfo, since mark: inout (postings: Int, positions: Int)?, every step: Int) {
        guard let last = mark else {
            mark = (info.postingsOffset, info.positionsOffset)
            return
        }
        guard info.postingsOffset - last.postings >= step || info.positionsOffset - last.positions >= step else { return }
        file.release(from: postingsStart + last.postings, to: postingsStart + info.postingsOffset)
        file.release(from: positionsStart + last.positions, to: positionsStart + info.positionsOffset)
        mark = (info.postingsOffset, info.positionsOffset)
    }

    // MARK: Dictionary

    /// A term as it comes out of the dictionary.
    struct Entry {
        var term: [UInt8]
        var info: TermInfo
    }

    /// Decodes one dictionary block.
    private func block(_ index: Int) -> [Entry] {
        var reader = ByteReader(base: file.base, offset: blocksStart + blockOffsets[index], end: dictionaryEnd)
        var entries: [Entry] = []
        entries.reserveCapacity(SegmentWriter.termsPerDictionaryBlock)
        var previous: [UInt8] = []
        var previousInfo: TermInfo?
        let limit = index + 1 < blockOffsets.count ? blocksStart + blockOffsets[index + 1] : dictionaryEnd
        while reader.offset < limit && !reader.failed {
            let shared = reader.int()
            let suffixLength = reader.int()
            guard shared >= 0, shared <= previous.count else { break }
            var term = Array(previous[0..<shared])
            term.append(contentsOf: reader.bytes(suffixLength))
            var info = TermInfo(
                documentFrequency: reader.int(), postingsOffset: 0, postingsLength: 0, positionsOffset: 0,
                positionsLength: 0, fieldMask: 0, maxTf: PerField(repeating: 0), minLength: PerField(repeating: 0))
            if let previousInfo {
                info.postingsOffset = previousInfo.postingsOffset &+ previousInfo.postingsLength
                info.positionsOffset = previousInfo.positionsOffset &+ previousInfo.positionsLength
            } else {
                info.postingsOffset = reader.int()
                info.positionsOffset = reader.int()
            }
            info.postingsLength = reader.int()
            info.positionsLength = reader.int()
            info.fieldMask = reader.byte()
            if info.documentFrequency > 1 {
                for field in 0..<fieldCount where info.fieldMask & (1 << field) != 0 {
                    info.maxTf[field] = reader.int()
                    info.minLength[field] = reader.int()
                }
            } else {
                fillSinglePostingBounds(&info)
            }
            entries.append(Entry(term: term, info: info))
            previous = term
            previousInfo = info
        }
        return entries
    }

    /// The index of the last block whose first term is ≤ `term`, or nil when `term` sorts before everything.
    private func blockIndex(for term: [UInt8]) -> Int? {
        var low = 0
        var high = firstTerms.count
        while low < high {
            let middle = (low + high) / 2
            if term.lexicographicallyPrecedes(firstTerms[middle]) { high = middle } else { low = middle + 1 }
        }
        return low == 0 ? nil : low - 1
    }

    /// The dictionary entry of `term`. Walks one block, rebuilding each front-coded term in one buffer and
    /// decoding the frequencies and bounds only for the match.
    func lookup(_ term: String) -> TermInfo? {
        let target = Array(term.utf8)
        guard let index = blockIndex(for: target) else { return nil }
        var reader = ByteReader(base: file.base, offset: blocksStart + blockOffsets[index], end: dictionaryEnd)
        let limit = index + 1 < blockOffsets.count ? blocksStart + blockOffsets[index + 1] : dictionaryEnd
        var current: [UInt8] = []
        current.reserveCapacity(64)
        var postingsOffset = 0
        var positionsOffset = 0
        var first = true
        while reader.offset < limit && !reader.failed {
            let shared = reader.int()
            let suffixLength = reader.int()
            guard shared >= 0, shared <= current.count else { return nil }
            current.removeLast(current.count - shared)
            current.append(contentsOf: reader.bytes(suffixLength))
            let frequency = reader.int()
            if first {
                postingsOffset = reader.int()
                positionsOffset = reader.int()
                first = false
            }
            let postingsLength = reader.int()
            let positionsLength = reader.int()
            let mask = reader.byte()
            if current == target {
                var info = TermInfo(
                    documentFrequency: frequency, postingsOffset: postingsOffset, postingsLength: postingsLength,
                    positionsOffset: positionsOffset, positionsLength: positionsLength, fieldMask: mask,
                    maxTf: PerField(repeating: 0), minLength: PerField(repeating: 0))
                if frequency > 1 {
                    for field in 0..<fieldCount where mask & (1 << field) != 0 {
                        info.maxTf[field] = reader.int()
                        info.minLength[field] = reader.int()
                    }
                } else {
                    fillSinglePostingBounds(&info)
                }
                return reader.failed ? nil : info
            }
            if frequency > 1 {
                for field in 0..<fieldCount where mask & (1 << field) != 0 {
                    _ = reader.varint()
                    _ = reader.varint()
                }
            }
            postingsOffset &+= postingsLength
            positionsOffset &+= positionsLength
            // Terms are sorted: once past the target, it is not here.
            if target.lexicographicallyPrecedes(current) { return nil }
        }
        return nil
    }

    /// Every term from the first one ≥ `start`, in order, while `body` returns true.
    func forEachTerm(from start: [UInt8], _ body: (Entry) -> Bool) {
        var terms = TermIterator(self, from: start)
        while let entry = terms.next(), body(entry) {}
    }

    /// The terms from the first one ≥ `start`, in order, one at a time: a merge walks several segments' terms
    /// side by side.
    struct TermIterator {
        let segment: Segment
        private var block: Int
        private var entries: [Entry] = []
        private var position = 0
        private let start: [UInt8]
        /// With `releasing`, the first block whose pages have not been handed back yet.
        private var unreleased: Int?

        /// The terms from `start` on. With `releasing` (a merge, which reads each block once), the pages of the
        /// blocks read are handed back every `releaseBlocks` blocks.
        init(_ segment: Segment, from start: [UInt8] = [], releasing: Bool = false) {
            self.segment = segment
            self.start = start
            block = segment.blockIndex(for: start) ?? 0
            if releasing { unreleased = block }
        }

        static let releaseBlocks = 64

        mutating func next() -> Entry? {
            while true {
                while position == entries.count {
                    if let first = unreleased, block - first >= Self.releaseBlocks {
                        segment.releaseDictionary(blocks: first..<block)
                        unreleased = block
                    }
                    guard block < segment.blockOffsets.count else { return nil }
                    entries = segment.block(block)
                    block += 1
                    position = 0
                }
                position += 1
                let entry = entries[position - 1]
                if !entry.term.lexicographicallyPrecedes(start) { return entry }
            }
        }
    }

    /// Blocks of the dictionary (of `SegmentWriter.termsPerDictionaryBlock` terms).
    var dictionaryBlockCount: Int { blockOffsets.count }

    /// The first term of every `stride`-th dictionary block after the first: where a merge's threads divide
    /// the terms between them.
    func dictionaryPivots(every stride: Int) -> [[UInt8]] {
        guard stride > 0 else { return [] }
        return Swift.stride(from: stride, to: firstTerms.count, by: stride).map { firstTerms[$0] }
    }

    /// The terms that start with `prefix` (at most `limit`).
    func terms(withPrefix prefix: String, limit: Int = 1000) -> [Entry] {
        let bytes = Array(prefix.utf8)
        var result: [Entry] = []
        forEachTerm(from: bytes) { entry in
            guard entry.term.starts(with: bytes), result.count < limit else { return false }
            result.append(entry)
            return true
        }
        return result
    }

    /// Bounds of a term in one document: its frequencies there, and that document's field lengths.
    private func fillSinglePostingBounds(_ info: inout TermInfo) {
        var cursor = postings(info)
        guard cursor.next() else { return }
        let doc = Int(cursor.doc)
        guard doc < documentCount else { return }
        for field in 0..<fieldCount where cursor.tfs[field] > 0 {
            info.maxTf[field] = Int(cursor.tfs[field])
            info.minLength[field] = fieldLength(doc: doc, field: field)
        }
    }

    // MARK: Postings

    func postings(_ info: TermInfo) -> PostingsCursor {
        // Within their sections whatever the dictionary says: a damaged entry reads as an empty list.
        func span(_ start: Int, _ offset: Int, _ length: Int, _ end: Int) -> (Int, Int) {
            guard offset >= 0, length >= 0, offset <= end - start, length <= end - start - offset else { return (end, end) }
            return (start + offset, start + offset + length)
        }
        let (postingsFrom, postingsTo) = span(postingsStart, info.postingsOffset, info.postingsLength, positionsStart)
        let (positionsFrom, positionsTo) = span(positionsStart, info.positionsOffset, info.positionsLength, positionsEnd)
        return PostingsCursor(
            base: file.base, readable: file.count, start: postingsFrom, end: postingsTo,
            positionsStart: positionsFrom, positionsEnd: positionsTo, documentLimit: documentCount,
            fieldCount: fieldCount, termMask: info.fieldMask, mainField: mainField,
            documentFrequency: info.documentFrequency)
    }
}

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
            documentCount >= 0, documentCount <= (offsets[1] - offsets[0]) / (16 + 4 * fields)
        else { throw .corrupt(path: path, reason: "section table out of range") }
        docsStart = offsets[0]
        headsStart = offsets[1]
        textsStart = offsets[2]
        storedTextBytes = offsets[3] - offsets[2]
        postingsStart = offsets[4]
        positionsStart = offsets[5]
        positionsEnd = offsets[6]
        dictionaryEnd = offsets[4]
        dictionaryStartForTexts = offsets[3]

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
    var fieldLengthTable: FieldLengthTable {
        FieldLengthTable(start: file.base + docsStart + 16, stride: docRecordSize, documentCount: documentCount,
                         fieldCount: fieldCount)
    }

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
                positionsLength: 0, fieldMask: 0, maxTf: Array(repeating: 0, count: fieldCount),
                minLength: Array(repeating: 0, count: fieldCount))
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
                    maxTf: Array(repeating: 0, count: fieldCount), minLength: Array(repeating: 0, count: fieldCount))
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
        var index = blockIndex(for: start) ?? 0
        while index < blockOffsets.count {
            for entry in block(index) where !entry.term.lexicographicallyPrecedes(start) {
                if !body(entry) { return }
            }
            index += 1
        }
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
            base: file.base, start: postingsFrom, end: postingsTo,
            positionsStart: positionsFrom, positionsEnd: positionsTo, documentLimit: documentCount,
            fieldCount: fieldCount, termMask: info.fieldMask, mainField: mainField,
            documentFrequency: info.documentFrequency, maxTf: info.maxTf, minLength: info.minLength)
    }
}

/// Walks one term's postings a document at a time, skipping whole blocks when asked to advance.
struct PostingsCursor {
    let base: UnsafeRawPointer
    private var reader: ByteReader
    let positionsStart: Int
    let positionsEnd: Int
    let fieldCount: Int
    let termMask: UInt8
    private let mainField: Int
    /// The fields other than the main one that the term occurs in, as bits (walked lowest first: the order the
    /// writer wrote their frequencies in). Bits, not an array: reading an array's count was a call per posting.
    private let otherFields: UInt8
    private let singleBlock: Bool
    private let documentFrequency: Int

    /// The current document, or `UInt32.max` when exhausted.
    private(set) var doc: UInt32 = 0
    /// Term frequency per text field in the current document (held inline: reading it costs no reference counting).
    private(set) var tfs = FieldCounts(repeating: 0)
    private(set) var started = false

    // Current block.
    private var bits: BitReader
    private var blockRemaining = 0
    private var blockBodyEnd = 0
    private(set) var blockLastDoc: UInt32 = 0
    private var previousDoc: Int64 = -1
    private var docK = 0
    private var positionK = 0
    /// The current block's highest weighted, length-normalised frequency (computed with the segment's own
    /// averages and b = 0.75); nil for a single-block term, whose bounds are the term's.
    private(set) var blockMaxNorm: Double?
    private var positionsOffset = 0
    private var positionBits: BitReader?
    /// Positions to skip before the current document's positions.
    private var pendingPositions = 0
    private var currentTotal = 0
    /// The segment's document count: a document number at or past it is damage.
    private let documentLimit: Int64

    init(base: UnsafeRawPointer, start: Int, end: Int, positionsStart: Int, positionsEnd: Int, documentLimit: Int, fieldCount: Int,
         termMask: UInt8, mainField: Int, documentFrequency: Int, maxTf: [Int], minLength: [Int]) {
        self.base = base
        self.reader = ByteReader(base: base, offset: start, end: end)
        self.positionsStart = positionsStart
        self.positionsEnd = positionsEnd
        self.documentLimit = Int64(documentLimit)
        self.fieldCount = fieldCount
        self.termMask = termMask
        self.mainField = mainField
        self.otherFields = termMask & ~(mainField < 8 ? UInt8(1) << UInt8(mainField) : 0)
            & (fieldCount >= 8 ? 0xFF : (UInt8(1) << UInt8(fieldCount)) &- 1)
        self.documentFrequency = documentFrequency
        self.singleBlock = documentFrequency <= SegmentWriter.blockSize
        self.bits = BitReader(base: base, offset: start, end: start)
    }

    var isExhausted: Bool { doc == .max }
    var failed: Bool { reader.failed || bits.failed }

    /// Reads the next block header; false at the end.
    private mutating func loadBlock() -> Bool {
        guard !reader.atEnd, !reader.failed else {
            doc = .max
            return false
        }
        var blockPositions = 0
        if singleBlock {
            blockRemaining = documentFrequency
            docK = Int(reader.byte())
            positionK = Int(reader.byte())
            blockBodyEnd = reader.end
            blockLastDoc = .max
        } else {
            blockRemaining = reader.int()
            blockLastDoc = UInt32(truncatingIfNeeded: previousDoc &+ Int64(truncatingIfNeeded: reader.varint()))
            let bodyLength = reader.int()
            // A body must lie ahead of the header and inside the list; anything else is damage.
            guard bodyLength >= 0, bodyLength <= reader.end - reader.offset else {
                doc = .max
                return false
            }
            blockPositions = reader.int()
            blockMaxNorm = Double(Float(bitPattern: reader.u32()))
            docK = Int(reader.byte())
            positionK = Int(reader.byte())
            blockBodyEnd = reader.offset + bodyLength
        }
        guard !reader.failed, blockRemaining > 0, blockBodyEnd <= reader.end, docK < 64, positionK < 64 else {
            doc = .max
            return false
        }
        bits = BitReader(base: base, offset: reader.offset, end: blockBodyEnd)
        reader.offset = blockBodyEnd
        // Inside the term's positions, whatever the header says (a damaged one makes the reads fail, not stray).
        positionsOffset = blockPositions >= 0 && blockPositions <= positionsEnd - positionsStart
            ? positionsStart + blockPositions : positionsEnd
        positionBits = nil
        pendingPositions = 0
        currentTotal = 0
        return true
    }

    /// Moves to the next document; false when there is none.
    mutating func next() -> Bool {
        if started && doc == .max { return false }
        started = true
        if blockRemaining == 0 {
            guard loadBlock() else { return false }
        }
        pendingPositions += currentTotal
        let gap = bits.rice(k: docK)
        previousDoc &+= Int64(truncatingIfNeeded: gap) &+ 1
        doc = UInt32(truncatingIfNeeded: previousDoc)
        var total = 0
        let mainTf = UInt32(truncatingIfNeeded: bits.gamma() - 1)
        tfs[mainField] = mainTf
        total += Int(mainTf)
        var others = otherFields
        while others != 0 {
            let field = others.trailingZeroBitCount
            others &= others &- 1
            let tf = UInt32(truncatingIfNeeded: bits.gamma() - 1)
            tfs[field] = tf
            total += Int(tf)
        }
        currentTotal = total
        blockRemaining -= 1
        if bits.failed || previousDoc >= min(Int64(UInt32.max), documentLimit) || previousDoc < 0 {
            doc = .max
            return false
        }
        return true
    }

    /// Moves to the first document ≥ `target`; false when there is none.
    mutating func advance(to target: UInt32) -> Bool {
        if started && (doc == .max || doc >= target) { return doc != .max }
        started = true
        // Skip whole blocks that end before the target, reading only their headers.
        if !singleBlock {
            while true {
                if blockRemaining == 0 {
                    guard loadBlock() else { return false }
                }
                if blockLastDoc < target {
                    previousDoc = Int64(blockLastDoc)
                    blockRemaining = 0
                    continue
                }
                break
            }
        }
        while next() {
            if doc >= target { return true }
        }
        return false
    }

    /// Moves to the block that may hold `target` reading block headers only, so that its bound
    /// (`blockMaxNorm`) can be checked before any document in it is decoded. Returns the last
    /// document the block covers (`UInt32.max` for a single-block term), or nil when no block reaches `target`.
    mutating func seekBlock(to target: UInt32) -> UInt32? {
        if singleBlock { return (started && doc == .max) ? nil : UInt32.max }
        if started && doc == .max { return nil }
        if blockRemaining > 0 && blockLastDoc >= target { return blockLastDoc }
        // Not `started`: no document has been decoded, so `doc` names none yet (a later `advance(to:)` must
        // decode one rather than report the initial 0 as a match).
        while true {
            if blockRemaining == 0 {
                guard loadBlock() else { return nil }
            }
            if blockLastDoc >= target { return blockLastDoc }
            previousDoc = Int64(blockLastDoc)
            blockRemaining = 0
        }
    }

    /// Occurrences of the term in the current document, over every field.
    var totalFrequency: Int { currentTotal }

    /// The positions of the term in the current document, in order.
    mutating func positions() -> [UInt32] {
        var result: [UInt32] = []
        positions(into: &result)
        return result
    }

    /// The positions of the term in the current document, in order, into `result` (emptied first, its storage
    /// kept); empty once read.
    mutating func positions(into result: inout [UInt32]) {
        result.removeAll(keepingCapacity: true)
        if positionBits == nil {
            positionBits = BitReader(base: base, offset: positionsOffset, end: positionsEnd)
        }
        // Each position takes at least one bit: a count beyond what the list could hold is damage, not a reason
        // to allocate (the checksum catches damage; this keeps a crafted file from exhausting memory).
        let capacity = max(0, positionsEnd - positionsOffset) * 8
        for _ in 0..<min(pendingPositions, capacity) {
            _ = positionBits!.rice(k: positionK)
            if positionBits!.failed { break }
        }
        pendingPositions = 0
        result.reserveCapacity(min(currentTotal, capacity))
        var position: Int64 = -1
        for _ in 0..<min(currentTotal, capacity) {
            position &+= Int64(positionBits!.rice(k: positionK)) &+ 1
            if positionBits!.failed { break }
            result.append(UInt32(truncatingIfNeeded: position))
        }
        currentTotal = 0
    }
}

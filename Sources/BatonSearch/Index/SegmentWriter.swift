/// Builds one segment in memory from documents and writes it as a segment file (format: FORMAT.md beside this
/// file). Documents are numbered in the order they are added.
final class SegmentWriter {
    /// Positions between two text fields of a document, so that no phrase can span a field boundary.
    static let fieldGap = 8
    static let blockSize = 128
    static let termsPerDictionaryBlock = 32

    let schema: Schema
    private var analyzers: [Language: Analyzer] = [:]
    private var termIDs: [String: Int32] = [:]
    private var terms: [String] = []
    private var lists: [PostingList] = []
    private var fieldLengths: [UInt32] = []  // docCount × fields
    private var storedOffsets: [UInt64] = []
    private var stored = ByteWriter()
    private(set) var documentCount = 0
    private(set) var ids: [String] = []

    private struct PostingList {
        var lastDoc: Int32 = -1
        var docs: [UInt32] = []
        var tfs: [UInt32] = []  // fields per document
        var positions: [UInt32] = []
    }

    init(schema: Schema) {
        self.schema = schema
    }

    private func analyzer(_ language: Language) -> Analyzer {
        if let analyzer = analyzers[language] { return analyzer }
        let analyzer = Analyzer(language: language)
        analyzers[language] = analyzer
        return analyzer
    }

    private func termID(_ term: String) -> Int32 {
        if let id = termIDs[term] { return id }
        let id = Int32(terms.count)
        termIDs[term] = id
        terms.append(term)
        lists.append(PostingList())
        return id
    }

    /// Adds a document; returns its number in the segment.
    @discardableResult
    func add(_ document: SearchDocument) -> Int {
        let doc = Int32(documentCount)
        let fieldCount = schema.textFields.count
        let analyzer = analyzer(document.language)
        var position = 0
        for (fieldIndex, field) in schema.textFields.enumerated() {
            let start = position
            if let text = document.text[field.name], !text.isEmpty {
                position = analyzer.analyze(text, firstPosition: position) { token in
                    let id = Int(termID(token.term))
                    if lists[id].lastDoc != doc {
                        lists[id].lastDoc = doc
                        lists[id].docs.append(UInt32(doc))
                        for _ in 0..<fieldCount { lists[id].tfs.append(0) }
                    }
                    lists[id].tfs[lists[id].tfs.count - fieldCount + fieldIndex] += 1
                    lists[id].positions.append(UInt32(token.position))
                }
            }
            fieldLengths.append(UInt32(position - start))
            position += Self.fieldGap
        }
        for field in schema.keywordFields {
            for value in Set((document.keywords[field] ?? []).map(Self.normalizeKeyword)) {
                let id = Int(termID(Self.keywordTerm(field: field, value: value)))
                if lists[id].lastDoc != doc {
                    lists[id].lastDoc = doc
                    lists[id].docs.append(UInt32(doc))
                    for _ in 0..<fieldCount { lists[id].tfs.append(0) }
                }
            }
        }
        let idTerm = Int(termID(Self.idTerm(document.id)))
        if lists[idTerm].lastDoc != doc {
            lists[idTerm].lastDoc = doc
            lists[idTerm].docs.append(UInt32(doc))
            for _ in 0..<fieldCount { lists[idTerm].tfs.append(0) }
        }
        storedOffsets.append(UInt64(stored.count))
        StoredDocument(document, schema: schema).write(into: &stored)
        ids.append(document.id)
        documentCount += 1
        return Int(doc)
    }

    static func normalizeKeyword(_ value: String) -> String {
        String(value.lowercased().drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    /// The dictionary entry that finds a document by its id (for replacing and deleting).
    static func idTerm(_ id: String) -> String {
        "\u{1}\u{1}" + id
    }

    /// The dictionary entry of a keyword value: a control character keeps it apart from every text term.
    static func keywordTerm(field: String, value: String) -> String {
        "\u{1}" + field + "\u{1}" + value
    }

    // MARK: Writing

    /// The bytes of the segment file.
    func serialize() -> [UInt8] {
        let fieldCount = schema.textFields.count
        var out = ByteWriter()
        out.raw(SegmentFormat.headerMagic)
        out.u32(SegmentFormat.version)
        out.u32(UInt32(fieldCount))
        for field in schema.textFields { out.string(field.name) }
        out.align(8)

        // Documents: stored-data offset and field lengths, fixed size.
        let docsStart = out.count
        var totals = [UInt64](repeating: 0, count: fieldCount)
        for doc in 0..<documentCount {
            out.u64(storedOffsets[doc])
            for field in 0..<fieldCount {
                let length = fieldLengths[doc * fieldCount + field]
                out.u32(length)
                totals[field] += UInt64(length)
            }
        }
        let storedStart = out.count
        out.raw(stored.bytes)
        out.align(8)

        // Postings and positions, term by term in byte order, with the dictionary built alongside.
        let order = terms.indices.sorted { Array(terms[$0].utf8).lexicographicallyPrecedes(Array(terms[$1].utf8)) }
        var postings = ByteWriter()
        var positions = ByteWriter()
        var dictionary = DictionaryWriter(fieldCount: fieldCount)
        for id in order {
            let info = writeList(lists[id], postings: &postings, positions: &positions)
            dictionary.add(term: terms[id], info: info)
        }
        let dictionaryStart = out.count
        out.raw(dictionary.finish())
        out.align(8)
        let postingsStart = out.count
        out.raw(postings.bytes)
        out.align(8)
        let positionsStart = out.count
        out.raw(positions.bytes)
        out.align(8)

        let footerStart = out.count
        for offset in [docsStart, storedStart, dictionaryStart, postingsStart, positionsStart, footerStart] {
            out.u64(UInt64(offset))
        }
        out.u64(UInt64(documentCount))
        out.u64(UInt64(terms.count))
        for total in totals { out.u64(total) }
        let checksum = out.bytes.withUnsafeBytes { Checksum.of($0) }
        out.u64(checksum)
        out.raw(SegmentFormat.footerMagic)
        return out.bytes
    }

    private func writeList(_ list: PostingList, postings: inout ByteWriter, positions: inout ByteWriter) -> TermInfo {
        let fieldCount = schema.textFields.count
        let postingsStart = postings.count
        let positionsStart = positions.count
        var termMask: UInt8 = 0
        var maxTf = [UInt32](repeating: 0, count: fieldCount)
        var minLength = [UInt32](repeating: .max, count: fieldCount)
        for (index, doc) in list.docs.enumerated() {
            for field in 0..<fieldCount where list.tfs[index * fieldCount + field] > 0 {
                termMask |= 1 << field
                maxTf[field] = max(maxTf[field], list.tfs[index * fieldCount + field])
                minLength[field] = min(minLength[field], fieldLengths[Int(doc) * fieldCount + field])
            }
        }
        let multiField = termMask.nonzeroBitCount > 1
        var positionIndex = 0
        var previousDoc: UInt32 = 0
        var blockStart = 0
        while blockStart < list.docs.count {
            let blockEnd = min(blockStart + Self.blockSize, list.docs.count)
            var body = ByteWriter()
            var blockMask: UInt8 = 0
            var blockMaxTf = [UInt32](repeating: 0, count: fieldCount)
            var blockMinLength = [UInt32](repeating: .max, count: fieldCount)
            let blockPositionsOffset = positions.count - positionsStart
            var last = previousDoc
            for index in blockStart..<blockEnd {
                let doc = list.docs[index]
                body.varint(doc - last)
                last = doc
                var mask: UInt8 = 0
                var total: UInt32 = 0
                for field in 0..<fieldCount where list.tfs[index * fieldCount + field] > 0 { mask |= 1 << field }
                if multiField { body.bytes.append(mask) }
                for field in 0..<fieldCount where mask & (1 << field) != 0 {
                    let tf = list.tfs[index * fieldCount + field]
                    body.varint(tf)
                    total += tf
                    blockMask |= 1 << field
                    blockMaxTf[field] = max(blockMaxTf[field], tf)
                    blockMinLength[field] = min(blockMinLength[field], fieldLengths[Int(doc) * fieldCount + field])
                }
                // Positions of this document, delta-coded.
                var previousPosition: UInt32 = 0
                for _ in 0..<total {
                    let position = list.positions[positionIndex]
                    positions.varint(position - previousPosition)
                    previousPosition = position
                    positionIndex += 1
                }
            }
            postings.varint(blockEnd - blockStart)
            postings.varint(last - previousDoc)
            postings.varint(body.count)
            postings.varint(blockPositionsOffset)
            postings.bytes.append(blockMask)
            for field in 0..<fieldCount where blockMask & (1 << field) != 0 {
                postings.varint(blockMaxTf[field])
                postings.varint(blockMinLength[field])
            }
            postings.raw(body.bytes)
            previousDoc = last
            blockStart = blockEnd
        }
        return TermInfo(
            documentFrequency: list.docs.count, postingsOffset: postingsStart,
            postingsLength: postings.count - postingsStart, positionsOffset: positionsStart,
            positionsLength: positions.count - positionsStart, fieldMask: termMask,
            maxTf: maxTf.map { Int($0) }, minLength: minLength.map { $0 == .max ? 0 : Int($0) })
    }
}

/// What the dictionary knows of a term in one segment.
struct TermInfo: Equatable {
    var documentFrequency: Int
    var postingsOffset: Int
    var postingsLength: Int
    var positionsOffset: Int
    var positionsLength: Int
    /// Bit f set when the term occurs in text field f.
    var fieldMask: UInt8
    /// Per field: the highest frequency in any document, and the shortest field among documents that have it.
    var maxTf: [Int]
    var minLength: [Int]
}

/// Writes the sorted term dictionary: blocks of front-coded terms, with the first term of every block in an
/// index for binary search.
struct DictionaryWriter {
    let fieldCount: Int
    private var blocks = ByteWriter()
    private var blockOffsets: [UInt32] = []
    private var firstTerms: [[UInt8]] = []
    private var inBlock = 0
    private var previous: [UInt8] = []
    private var previousInfo: TermInfo?

    init(fieldCount: Int) {
        self.fieldCount = fieldCount
    }

    mutating func add(term: String, info: TermInfo) {
        let bytes = Array(term.utf8)
        if inBlock == SegmentWriter.termsPerDictionaryBlock || blockOffsets.isEmpty {
            blockOffsets.append(UInt32(blocks.count))
            firstTerms.append(bytes)
            inBlock = 0
            previous = []
            previousInfo = nil
        }
        var shared = 0
        while shared < min(previous.count, bytes.count) && previous[shared] == bytes[shared] { shared += 1 }
        blocks.varint(shared)
        blocks.varint(bytes.count - shared)
        blocks.raw(bytes[shared...])
        blocks.varint(info.documentFrequency)
        // Offsets as deltas from the previous term of the block (each term's lists follow the previous one's).
        blocks.varint(info.postingsOffset - (previousInfo.map { $0.postingsOffset + $0.postingsLength } ?? 0))
        blocks.varint(info.postingsLength)
        blocks.varint(info.positionsOffset - (previousInfo.map { $0.positionsOffset + $0.positionsLength } ?? 0))
        blocks.varint(info.positionsLength)
        blocks.bytes.append(info.fieldMask)
        for field in 0..<fieldCount where info.fieldMask & (1 << field) != 0 {
            blocks.varint(info.maxTf[field])
            blocks.varint(info.minLength[field])
        }
        previous = bytes
        previousInfo = info
        inBlock += 1
    }

    mutating func finish() -> [UInt8] {
        var out = ByteWriter()
        out.u32(UInt32(blockOffsets.count))
        var keys = ByteWriter()
        var keyOffsets: [UInt32] = []
        for term in firstTerms {
            keyOffsets.append(UInt32(keys.count))
            keys.varint(term.count)
            keys.raw(term)
        }
        for (offset, key) in zip(blockOffsets, keyOffsets) {
            out.u32(offset)
            out.u32(key)
        }
        out.u32(UInt32(keys.count))
        out.raw(keys.bytes)
        out.raw(blocks.bytes)
        return out.bytes
    }
}

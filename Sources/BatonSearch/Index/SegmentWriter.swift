import Foundation

/// Builds one segment in memory from documents and writes it as a segment file (format: FORMAT.md beside this
/// file). Documents are numbered in the order they are added.
final class SegmentWriter {
    /// Positions between two text fields of a document, so that no phrase can span a field boundary.
    static let fieldGap = 8
    static let blockSize = 128
    static let termsPerDictionaryBlock = 32

    let schema: Schema
    private var analyzers: [Language: Analyzer] = [:]
    private var inverter = Inverter()
    private var fieldLengths: [UInt32] = []  // docCount × fields
    private var headOffsets: [UInt64] = []
    private var textOffsets: [UInt64] = []
    private var heads = ByteWriter()
    private var texts = ByteWriter()
    private(set) var documentCount = 0
    /// The segment's average field lengths, set when it is serialised (block bounds are computed with them).
    private var averages: [Double] = []

    /// The BM25F parameters block bounds are computed with (the default ranking's).
    static let boundB = Ranking.b
    static let boundK1 = Ranking.k1

    /// One term's postings as they are gathered. Only ever touched by the writer's own thread, one access at a
    /// time, so the dynamic exclusivity checks (a large share of indexing time) are switched off.
    final class PostingList {
        @exclusivity(unchecked) var lastDoc: Int32 = -1
        @exclusivity(unchecked) var docs = UInt32Buffer()
        @exclusivity(unchecked) var tfs = UInt32Buffer()  // fields per document
        @exclusivity(unchecked) var positions = UInt32Buffer()

        deinit {
            docs.free()
            tfs.free()
            positions.free()
        }
    }

    /// The term table and postings being built. Kept in a value that `add` moves out of the writer and back, so
    /// the hot loop works on a local variable (no dynamic exclusivity checks, no copy-on-write).
    struct Inverter {
        var termIDs: [String: Int32] = [:]
        var terms: [String] = []
        /// Unmanaged, so that reaching a list from the hot loop costs no reference counting; released in `close`.
        var lists: [Unmanaged<PostingList>] = []
        /// Per language: raw word bytes → term id (-1: no term), for plain words, whole compounds and joined
        /// hyphenated compounds.
        var words: [Language: TermInterner] = [:]
        var literals: [Language: TermInterner] = [:]
        var joined: [Language: TermInterner] = [:]

        mutating func termID(_ term: String) -> Int32 {
            if let id = termIDs[term] { return id }
            let id = Int32(terms.count)
            termIDs[term] = id
            terms.append(term)
            lists.append(Unmanaged.passRetained(PostingList()))
            return id
        }

        /// The term id of `bytes` through `interner`, computing the term with `make` the first time.
        @inline(__always)
        mutating func resolve(
            _ bytes: UnsafeBufferPointer<UInt8>, in interner: inout TermInterner, _ make: () -> String
        ) -> Int32 {
            let hash = TermInterner.hash(bytes)
            if let id = interner.lookup(bytes, hash: hash) { return id }
            let term = bytes.count <= Analyzer.maximumWordBytes ? make() : ""
            let id = term.isEmpty ? -1 : termID(term)
            interner.insert(bytes, hash: hash, id: id)
            return id
        }

        @inline(__always)
        func record(_ id: Int32, doc: Int32, field: Int, fieldCount: Int, position: Int) {
            guard id >= 0 else { return }
            lists[Int(id)]._withUnsafeGuaranteedRef { list in
            if list.lastDoc != doc {
                list.lastDoc = doc
                list.docs.append(UInt32(doc))
                for _ in 0..<fieldCount { list.tfs.append(0) }
            } else if list.positions.last == UInt32(position) {
                // A compound whose whole form analyses like one of its parts: one occurrence, not two.
                return
            }
            list.tfs[list.tfs.count - fieldCount + field] += 1
            list.positions.append(UInt32(position))
            }
        }

        /// Releases the posting lists.
        mutating func close() {
            for list in lists { list.release() }
            lists = []
        }

        /// A keyword or id entry: the document is listed, with no frequencies or positions.
        mutating func mark(_ term: String, doc: Int32, fieldCount: Int) {
            let list = lists[Int(termID(term))].takeUnretainedValue()
            if list.lastDoc != doc {
                list.lastDoc = doc
                list.docs.append(UInt32(doc))
                for _ in 0..<fieldCount { list.tfs.append(0) }
            }
        }
    }

    init(schema: Schema) {
        self.schema = schema
    }

    deinit {
        inverter.close()
    }

    private func analyzer(_ language: Language) -> Analyzer {
        if let analyzer = analyzers[language] { return analyzer }
        let analyzer = Analyzer(language: language)
        analyzers[language] = analyzer
        return analyzer
    }

    /// Adds a document; returns its number in the segment.
    @discardableResult
    func add(_ document: SearchDocument) -> Int {
        let doc = Int32(documentCount)
        let fieldCount = schema.textFields.count
        let analyzer = analyzer(document.language)
        let language = document.language
        var state = Inverter()
        swap(&state, &inverter)
        var words = state.words.removeValue(forKey: language) ?? TermInterner()
        var literals = state.literals.removeValue(forKey: language) ?? TermInterner()
        var joined = state.joined.removeValue(forKey: language) ?? TermInterner()
        var position = 0
        for (fieldIndex, field) in schema.textFields.enumerated() {
            let start = position
            if let text = document.text[field.name], !text.isEmpty {
                position = analyzer.scan(text, firstPosition: position) { bytes, compound, position in
                    let parts = compound.parts
                    if parts.count > 1 {
                        let whole = UnsafeBufferPointer(rebasing: bytes[compound.start..<compound.end])
                        let allDigits = parts.allSatisfy { part in bytes[part].allSatisfy { $0 >= 48 && $0 <= 57 } }
                        if compound.hasIdentifierJoiner || allDigits {
                            let id = state.resolve(whole, in: &literals) {
                                analyzer.literal(Substring(decoding: whole, as: UTF8.self))
                            }
                            state.record(id, doc: doc, field: fieldIndex, fieldCount: fieldCount, position: position)
                        } else if compound.hasHyphen {
                            let id = state.resolve(whole, in: &joined) {
                                let pieces = parts.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
                                return analyzer.term(for: Substring(pieces.joined()))
                            }
                            state.record(id, doc: doc, field: fieldIndex, fieldCount: fieldCount, position: position)
                        }
                    }
                    for (offset, part) in parts.enumerated() {
                        // Resolve first: resolving may add a term, and `record` must see the table after that.
                        let slice = UnsafeBufferPointer(rebasing: bytes[part])
                        let id = state.resolve(slice, in: &words) {
                            analyzer.term(for: Substring(decoding: slice, as: UTF8.self))
                        }
                        state.record(id, doc: doc, field: fieldIndex, fieldCount: fieldCount, position: position + offset)
                    }
                    return position + parts.count
                }
            }
            fieldLengths.append(UInt32(position - start))
            position += Self.fieldGap
        }
        for field in schema.keywordFields {
            for value in Set((document.keywords[field] ?? []).map(Self.normalizeKeyword)) {
                state.mark(Self.keywordTerm(field: field, value: value), doc: doc, fieldCount: fieldCount)
            }
        }
        state.mark(Self.idTerm(document.id), doc: doc, fieldCount: fieldCount)
        state.words[language] = words
        state.literals[language] = literals
        state.joined[language] = joined
        swap(&state, &inverter)
        headOffsets.append(UInt64(heads.count))
        textOffsets.append(UInt64(texts.count))
        StoredDocument(document, schema: schema).write(head: &heads, text: &texts)
        documentCount += 1
        return Int(doc)
    }

    /// Appends the live documents of `segment` (those `deleted` does not hold) with their postings: decoded,
    /// renumbered after the documents already here, and not analysed again. Segments are merged so, which costs
    /// a fraction of indexing their documents anew. The segment must have this writer's schema.
    func absorb(_ segment: Segment, deleted: Set<Int>) {
        let fieldCount = schema.textFields.count
        var renumbered = [Int32](repeating: -1, count: segment.documentCount)
        for doc in 0..<segment.documentCount where !deleted.contains(doc) {
            renumbered[doc] = Int32(documentCount)
            for field in 0..<fieldCount { fieldLengths.append(UInt32(segment.fieldLength(doc: doc, field: field))) }
            headOffsets.append(UInt64(heads.count))
            textOffsets.append(UInt64(texts.count))
            segment.storedDocument(doc).write(head: &heads, text: &texts)
            documentCount += 1
        }
        var state = Inverter()
        swap(&state, &inverter)
        var positions: [UInt32] = []
        segment.forEachTerm(from: []) { entry in
            var cursor = segment.postings(entry.info)
            // The term is added with its first live document: one only deleted documents had is left out.
            var id: Int32 = -1
            while cursor.next() {
                // A deleted document is passed over; the cursor skips its positions when the next are read.
                let target = renumbered[Int(cursor.doc)]
                guard target >= 0 else { continue }
                if id < 0 { id = state.termID(String(decoding: entry.term, as: UTF8.self)) }
                cursor.positions(into: &positions)
                state.lists[Int(id)]._withUnsafeGuaranteedRef { list in
                    list.lastDoc = target
                    list.docs.append(UInt32(target))
                    for field in 0..<fieldCount { list.tfs.append(cursor.tfs[field]) }
                    for position in positions { list.positions.append(position) }
                }
            }
            return true
        }
        swap(&state, &inverter)
    }

    /// Appends `other`'s documents after this writer's, with their postings (term lists joined, documents
    /// renumbered): how documents analysed on several threads become one segment. `other` is left empty.
    func append(_ other: SegmentWriter) {
        let base = UInt32(documentCount)
        let headBase = UInt64(heads.count)
        let textBase = UInt64(texts.count)
        fieldLengths.append(contentsOf: other.fieldLengths)
        headOffsets.append(contentsOf: other.headOffsets.map { $0 + headBase })
        textOffsets.append(contentsOf: other.textOffsets.map { $0 + textBase })
        heads.raw(other.heads.bytes)
        texts.raw(other.texts.bytes)
        documentCount += other.documentCount
        var state = Inverter()
        swap(&state, &inverter)
        for (index, term) in other.inverter.terms.enumerated() {
            let id = state.termID(term)
            let source = other.inverter.lists[index].takeUnretainedValue()
            state.lists[Int(id)]._withUnsafeGuaranteedRef { list in
                list.docs.append(source.docs, adding: base)
                list.tfs.append(source.tfs)
                list.positions.append(source.positions)
                if source.lastDoc >= 0 { list.lastDoc = Int32(base) + source.lastDoc }
            }
        }
        swap(&state, &inverter)
        other.inverter.close()
        other.inverter = Inverter()
        other.documentCount = 0
    }

    /// Threads `serialize` encodes posting lists on.
    var threads = 1

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
    /// The checksum a serialised segment carries in its footer (the 8 bytes before the closing magic).
    static func checksum(of bytes: [UInt8]) -> UInt64 {
        guard bytes.count >= 16 else { return 0 }
        var value: UInt64 = 0
        for (shift, byte) in bytes[(bytes.count - 16)..<(bytes.count - 8)].enumerated() { value |= UInt64(byte) << (8 * shift) }
        return value
    }

    func serialize() -> [UInt8] {
        let fieldCount = schema.textFields.count
        var out = ByteWriter()
        out.raw(SegmentFormat.headerMagic)
        out.u32(SegmentFormat.version)
        out.u32(UInt32(fieldCount))
        for field in schema.textFields { out.string(field.name) }
        out.align(8)

        // Documents: stored-data offsets and field lengths, fixed size.
        let docsStart = out.count
        var totals = [UInt64](repeating: 0, count: fieldCount)
        for doc in 0..<documentCount {
            out.u64(headOffsets[doc])
            out.u64(textOffsets[doc])
            for field in 0..<fieldCount {
                let length = fieldLengths[doc * fieldCount + field]
                out.u32(length)
                totals[field] += UInt64(length)
            }
        }
        averages = totals.map { documentCount > 0 ? max(Double($0) / Double(documentCount), 1e-9) : 1 }
        /// Appends a section, aligned to eight bytes; returns where it starts.
        func section(_ bytes: [UInt8]) -> Int {
            let start = out.count
            out.raw(bytes)
            out.align(8)
            return start
        }
        let headsStart = section(heads.bytes)
        let textsStart = section(texts.bytes)

        // Postings and positions, term by term in byte order, with the dictionary built alongside.
        let terms = inverter.terms
        let lists = inverter.lists
        let keys = terms.map { Array($0.utf8) }
        let order = terms.indices.sorted { keys[$0].lexicographicallyPrecedes(keys[$1]) }
        // The lists are encoded on `threads` threads, each a contiguous run of terms into buffers of its own, then
        // laid end to end (each run's offsets moved by what precedes it): the same bytes as in one pass.
        let parts = max(1, min(threads, order.count / 256))
        let size = (order.count + parts - 1) / max(1, parts)
        let encoded = EncodedRuns(count: parts)
        // Only read while the runs are encoded (each thread writes its own buffers alone).
        let shared = ReadOnly((writer: self, lists: lists))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let (writer, lists) = shared.value
            var runPostings = ByteWriter()
            var runPositions = ByteWriter()
            var infos: [TermInfo] = []
            let run = order[min(order.count, part * size)..<min(order.count, (part + 1) * size)]
            infos.reserveCapacity(run.count)
            for id in run {
                infos.append(writer.writeList(lists[id].takeUnretainedValue(), postings: &runPostings, positions: &runPositions))
            }
            encoded.set(part, (runPostings.bytes, runPositions.bytes, infos))
        }
        var postings = ByteWriter()
        var positions = ByteWriter()
        var dictionary = DictionaryWriter(fieldCount: fieldCount)
        var next = 0
        for part in 0..<parts {
            let run = encoded.take(part)
            let postingsBase = postings.count
            let positionsBase = positions.count
            postings.raw(run.postings)
            positions.raw(run.positions)
            for var info in run.infos {
                info.postingsOffset += postingsBase
                info.positionsOffset += positionsBase
                dictionary.add(term: terms[order[next]], info: info)
                next += 1
            }
        }
        let dictionaryStart = section(dictionary.finish())
        let postingsStart = section(postings.bytes)
        let positionsStart = section(positions.bytes)

        let footerStart = out.count
        for offset in [docsStart, headsStart, textsStart, dictionaryStart, postingsStart, positionsStart, footerStart] {
            out.u64(UInt64(offset))
        }
        out.u64(UInt64(documentCount))
        out.u64(UInt64(inverter.terms.count))
        for total in totals { out.u64(total) }
        let checksum = out.bytes.withUnsafeBytes { Checksum.of($0) }
        out.u64(checksum)
        out.raw(SegmentFormat.footerMagic)
        return out.bytes
    }

    /// The field whose frequency every posting carries first (the one most terms occur in).
    private var mainField: Int { schema.textFieldIndex(schema.snippetField) ?? 0 }

    private func writeList(_ list: PostingList, postings: inout ByteWriter, positions: inout ByteWriter) -> TermInfo {
        let fieldCount = schema.textFields.count
        let main = mainField
        let postingsStart = postings.count
        let positionsStart = positions.count
        var termMask: UInt8 = 0
        var maxTf = [UInt32](repeating: 0, count: fieldCount)
        var minLength = [UInt32](repeating: .max, count: fieldCount)
        for index in 0..<list.docs.count {
            let doc = list.docs[index]
            for field in 0..<fieldCount where list.tfs[index * fieldCount + field] > 0 {
                termMask |= 1 << field
                maxTf[field] = max(maxTf[field], list.tfs[index * fieldCount + field])
                minLength[field] = min(minLength[field], fieldLengths[Int(doc) * fieldCount + field])
            }
        }
        let otherFields = (0..<fieldCount).filter { $0 != main && termMask & (1 << $0) != 0 }
        let singleBlock = list.docs.count <= Self.blockSize
        var positionIndex = 0
        var previousDoc: Int64 = -1
        var blockStart = 0
        while blockStart < list.docs.count {
            let blockEnd = min(blockStart + Self.blockSize, list.docs.count)
            let lastDoc = Int64(list.docs[blockEnd - 1])
            // The body: document gaps less one, then the frequencies in the main field, then in each other field
            // of the term; each a width byte and the values packed at that width.
            var body: [UInt8] = []
            var last = previousDoc
            let gaps = (blockStart..<blockEnd).map { index -> UInt32 in
                defer { last = Int64(list.docs[index]) }
                return UInt32(Int64(list.docs[index]) - last - 1)
            }
            for column in [-1, main] + otherFields {
                let values = column < 0 ? gaps : (blockStart..<blockEnd).map { list.tfs[$0 * fieldCount + column] }
                let width = PackedInts.width(of: values)
                body.append(UInt8(width))
                PackedInts.pack(values, width: width, into: &body)
            }
            var gapsInPositions: [UInt32] = []
            var blockMaxNorm = 0.0
            let blockPositionsOffset = positions.count - positionsStart
            for index in blockStart..<blockEnd {
                let doc = Int64(list.docs[index])
                var total: UInt32 = 0
                var norm = 0.0
                for field in 0..<fieldCount {
                    let tf = list.tfs[index * fieldCount + field]
                    guard tf > 0 else { continue }
                    total += tf
                    let length = Double(fieldLengths[Int(doc) * fieldCount + field])
                    let frequency = Double(tf)
                    norm += schema.textFields[field].weight * frequency
                        / (frequency + Self.boundK1 * (1 - Self.boundB + Self.boundB * length / averages[field]))
                }
                blockMaxNorm = max(blockMaxNorm, norm)
                var previousPosition: Int64 = -1
                for _ in 0..<total {
                    let position = Int64(list.positions[positionIndex])
                    gapsInPositions.append(UInt32(position - previousPosition - 1))
                    previousPosition = position
                    positionIndex += 1
                }
            }
            // Positions: the gaps in chunks of `PostingsCursor.positionChunk`, each a width byte and the gaps packed.
            var chunkStart = 0
            while chunkStart < gapsInPositions.count {
                let chunk = gapsInPositions[chunkStart..<min(chunkStart + PostingsCursor.positionChunk, gapsInPositions.count)]
                let width = PackedInts.width(of: chunk)
                positions.bytes.append(UInt8(width))
                PackedInts.pack(chunk, width: width, into: &positions.bytes)
                chunkStart += PostingsCursor.positionChunk
            }
            if !singleBlock {
                postings.varint(blockEnd - blockStart)
                postings.varint(UInt64(lastDoc - previousDoc))
                postings.varint(body.count)
                postings.varint(blockPositionsOffset)
                // The block's highest BM25F field sum (the score before idf), rounded up to a float.
                postings.u32(Float(blockMaxNorm).nextUp.bitPattern)
            }
            postings.raw(body)
            previousDoc = lastDoc
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
        // Each term's lists follow the previous term's, so only a block's first term records where they start.
        if previousInfo == nil {
            blocks.varint(info.postingsOffset)
            blocks.varint(info.positionsOffset)
        }
        blocks.varint(info.postingsLength)
        blocks.varint(info.positionsLength)
        blocks.bytes.append(info.fieldMask)
        // A term in one document has its bounds in its single posting; the reader takes them from there.
        if info.documentFrequency > 1 {
            for field in 0..<fieldCount where info.fieldMask & (1 << field) != 0 {
                blocks.varint(info.maxTf[field])
                blocks.varint(info.minLength[field])
            }
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

/// The encoded runs of a parallel `serialize`, one slot per thread, behind a lock.
private final class EncodedRuns: @unchecked Sendable {
    typealias Run = (postings: [UInt8], positions: [UInt8], infos: [TermInfo])
    private let lock = NSLock()
    private var runs: [Run?]

    init(count: Int) { runs = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ run: Run) {
        lock.lock()
        runs[index] = run
        lock.unlock()
    }

    func take(_ index: Int) -> Run {
        lock.lock()
        defer { lock.unlock() }
        let run = runs[index]!
        runs[index] = nil
        return run
    }
}

/// A value handed to the threads of a parallel `serialize`, which only read it.
private final class ReadOnly<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }
}

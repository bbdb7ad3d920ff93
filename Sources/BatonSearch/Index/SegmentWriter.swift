import Foundation

/// Builds one segment in memory from documents and writes it as a segment file (format: FORMAT.md beside this
/// file). Documents are numbered in the order they are added.
final class SegmentWriter {
    /// Positions between two text fields of a document, so that no phrase can span a field boundary.
    static let fieldGap = 8
    static let blockSize = 128
    static let termsPerDictionaryBlock = 32

    let schema: Schema
    private let analyzers: Analyzers
    private var inverter = Inverter()
    private var fieldLengths: [UInt32] = []  // docCount × fields
    private var headOffsets: [UInt64] = []
    private var textOffsets: [UInt64] = []
    private var heads = ByteWriter()
    private var texts = ByteWriter()
    private(set) var documentCount = 0
    /// Each document's place in the order of the segment's ids (`idRanks(_:)`), set just before the segment is
    /// written.
    private var idRanks: [UInt32] = []
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
        /// The same term's list from a writer appended after this one (`SegmentWriter.append`), its documents
        /// numbered from `followingBase`; each may have its own. Copied in by `settle`, when the list is encoded,
        /// on the thread that encodes it.
        @exclusivity(unchecked) var following: PostingList?
        @exclusivity(unchecked) var followingBase: UInt32 = 0

        /// Copies in the lists that follow this one, renumbered, and lets them go.
        func settle() {
            guard following != nil else { return }
            var total = (docs.count, tfs.count, positions.count)
            var next = following
            while let list = next {
                total = (total.0 + list.docs.count, total.1 + list.tfs.count, total.2 + list.positions.count)
                next = list.following
            }
            docs.reserve(total.0)
            tfs.reserve(total.1)
            positions.reserve(total.2)
            next = following
            var base = followingBase
            following = nil
            while let list = next {
                docs.append(list.docs, adding: base)
                tfs.append(list.tfs)
                positions.append(list.positions)
                list.docs.free()
                list.tfs.free()
                list.positions.free()
                base = list.followingBase
                next = list.following
                list.following = nil
            }
        }

        /// Frees the postings (once encoded).
        func free() {
            docs.free()
            tfs.free()
            positions.free()
        }

        deinit {
            docs.free()
            tfs.free()
            positions.free()
        }
    }

    /// The term table and postings being built. Kept in a value that `add` moves out of the writer and back, so
    /// the hot loop works on a local variable (no dynamic exclusivity checks, no copy-on-write).
    struct Inverter {
        /// Term (its UTF-8 bytes) → id: the interner's hash and slots, cheaper than a `Dictionary` of Strings.
        var termIDs = TermInterner()
        var terms: [String] = []
        /// Unmanaged, so that reaching a list from the hot loop costs no reference counting; released in `close`.
        var lists: [Unmanaged<PostingList>] = []
        /// Per language: raw word bytes → term id (-1: no term), for plain words, whole compounds and joined
        /// hyphenated compounds.
        var words: [Language: TermInterner] = [:]
        var literals: [Language: TermInterner] = [:]
        var joined: [Language: TermInterner] = [:]
        /// When recorded: each word as written the first time it is met, with its language and term (none that
        /// has no term), in the order met — what `SurfaceVocabulary` would find by analysing the documents again.
        var surfaces: [SurfaceVocabulary.Written]?
        /// The language and number of the document being added (for `surfaces`).
        var language = Language.english
        var document: Int32 = 0

        mutating func termID(_ term: String) -> Int32 {
            var term = term
            let found = term.withUTF8 { bytes -> Int32? in
                let key = TermInterner.key(bytes)
                if let id = termIDs.lookup(bytes, key: key) { return id }
                termIDs.insert(bytes, key: key, id: Int32(terms.count))
                return nil
            }
            if let found { return found }
            let id = Int32(terms.count)
            terms.append(term)
            lists.append(Unmanaged.passRetained(PostingList()))
            return id
        }

        /// The term id of `bytes` through `interner`, computing the term with `make` the first time.
        @inline(__always)
        mutating func resolve(
            _ bytes: UnsafeBufferPointer<UInt8>, in interner: inout TermInterner, limit: Int = Analyzer.maximumWordBytes,
            _ make: () -> String
        ) -> Int32 {
            let key = TermInterner.key(bytes)
            if let id = interner.lookup(bytes, key: key) { return id }
            let term = bytes.count <= limit ? make() : ""
            let id = term.isEmpty ? -1 : termID(term)
            interner.insert(bytes, key: key, id: id)
            if surfaces != nil && !term.isEmpty { surfaces!.append(.init(language: language, bytes: Array(bytes), term: term, document: document)) }
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

    /// A writer analysing with `analyzers` (by default its own): a thread that writes one segment after another
    /// passes the same ones, so that their caches of stemmed words carry over.
    init(schema: Schema, analyzers: Analyzers = Analyzers()) {
        self.schema = schema
        self.analyzers = analyzers
    }

    deinit {
        inverter.close()
    }

    private func analyzer(_ language: Language) -> Analyzer { analyzers.analyzer(language) }

    /// When recorded (`recordChunks`): every document's body cut every `chunkPositions` positions, in the order
    /// added.
    private var chunkPositions = 0
    /// The body's field (the schema's snippet field), while chunks are recorded.
    private var cutField: Int?
    private var chunks: [BodyChunks] = []

    /// Records where each document's body would be cut every `positions` positions (see `BodyChunks`), from now on.
    func recordChunks(every positions: Int) {
        precondition(positions > 0)
        chunkPositions = positions
        cutField = schema.textFieldIndex(schema.snippetField)
    }

    /// The bodies' cuts recorded since `recordChunks`, handed over.
    func takeChunks() -> [BodyChunks] {
        defer { chunks = [] }
        return chunks
    }

    /// What the writer holds of a document it was given alone: every text term (not the keyword and id
    /// entries) with its frequency in each field and its positions, in no order, and the field lengths.
    func soleDocument() -> (terms: [(term: String, tfs: [UInt32], positions: [UInt32])], lengths: [Int]) {
        precondition(documentCount == 1, "one document added")
        let fieldCount = schema.textFields.count
        var terms: [(term: String, tfs: [UInt32], positions: [UInt32])] = []
        for (id, term) in inverter.terms.enumerated() where (term.utf8.first ?? 0) >= 2 {
            let list = inverter.lists[id].takeUnretainedValue()
            guard list.docs.count == 1 else { continue }
            terms.append((term, (0..<fieldCount).map { list.tfs[$0] }, (0..<list.positions.count).map { list.positions[$0] }))
        }
        return (terms, fieldLengths.map { Int($0) })
    }

    /// Records each word as written the first time it is met (see `Inverter.surfaces`), from now on.
    func recordSurfaces() {
        if inverter.surfaces == nil { inverter.surfaces = [] }
    }

    /// The words recorded since `recordSurfaces`, handed over (nil when not recorded).
    func takeSurfaces() -> [SurfaceVocabulary.Written]? {
        defer { inverter.surfaces = nil }
        return inverter.surfaces
    }

    /// One thread's analyzers, one per language, made when first needed. Used by one thread at a time.
    final class Analyzers: @unchecked Sendable {
        private var byLanguage: [Language: Analyzer] = [:]

        func analyzer(_ language: Language) -> Analyzer {
            if let analyzer = byLanguage[language] { return analyzer }
            let analyzer = Analyzer(language: language)
            byLanguage[language] = analyzer
            return analyzer
        }
    }

    /// Adds a document; returns its number in the segment.
    @discardableResult
    func add(_ document: SearchDocument) -> Int {
        precondition(!appended, "documents are added before other writers are appended")
        let doc = Int32(documentCount)
        let fieldCount = schema.textFields.count
        let analyzer = analyzer(document.language)
        let language = document.language
        var state = Inverter()
        swap(&state, &inverter)
        state.language = language
        state.document = doc
        var words = state.words.removeValue(forKey: language) ?? TermInterner()
        var literals = state.literals.removeValue(forKey: language) ?? TermInterner()
        var joined = state.joined.removeValue(forKey: language) ?? TermInterner()
        var position = 0
        // The body's cuts, when recorded: byte offset and position (from the body's start) of the compound each
        // chunk starts with, and the body's last position that holds a term.
        var cut = BodyChunks(id: document.id)
        for (fieldIndex, field) in schema.textFields.enumerated() {
            let start = position
            let cutting = fieldIndex == cutField
            if let text = document.text[field.name], !text.isEmpty {
                position = analyzer.scan(text, firstPosition: position) { bytes, compound, position in
                    let parts = compound.parts
                    if cutting {
                        let relative = position - start
                        while relative >= cut.starts.count * chunkPositions {
                            cut.starts.append(compound.start)
                            cut.firsts.append(relative)
                        }
                    }
                    if parts.count > 1 {
                        let whole = UnsafeBufferPointer(rebasing: bytes[compound.start..<compound.end])
                        let allDigits = parts.allSatisfy { part in bytes[part].allSatisfy { $0 >= 48 && $0 <= 57 } }
                        if compound.hasIdentifierJoiner || allDigits {
                            let id = state.resolve(whole, in: &literals) {
                                analyzer.literal(Substring(decoding: whole, as: UTF8.self))
                            }
                            state.record(id, doc: doc, field: fieldIndex, fieldCount: fieldCount, position: position)
                            if cutting && id >= 0 { cut.last = max(cut.last, position - start) }
                        } else if compound.hasHyphen {
                            // The joined word is what must be short enough (as the analyser emits it), not the whole.
                            let id = state.resolve(whole, in: &joined, limit: .max) {
                                let pieces = parts.map { String(decoding: UnsafeBufferPointer(rebasing: bytes[$0]), as: UTF8.self) }
                                let joined = pieces.joined()
                                return joined.utf8.count <= Analyzer.maximumWordBytes ? analyzer.term(for: Substring(joined)) : ""
                            }
                            state.record(id, doc: doc, field: fieldIndex, fieldCount: fieldCount, position: position)
                            if cutting && id >= 0 { cut.last = max(cut.last, position - start) }
                        }
                    }
                    for (offset, part) in parts.enumerated() {
                        // Resolve first: resolving may add a term, and `record` must see the table after that.
                        let slice = UnsafeBufferPointer(rebasing: bytes[part])
                        let id = state.resolve(slice, in: &words) {
                            analyzer.term(for: Substring(decoding: slice, as: UTF8.self))
                        }
                        state.record(id, doc: doc, field: fieldIndex, fieldCount: fieldCount, position: position + offset)
                        if cutting && id >= 0 { cut.last = max(cut.last, position + offset - start) }
                    }
                    return position + parts.count
                }
            }
            fieldLengths.append(UInt32(position - start))
            position += Self.fieldGap
        }
        if cutField != nil { chunks.append(cut) }
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

    /// Writes to `path` the segment of the live documents of `sources` (those `deleted` does not hold), in order:
    /// their stored data and lengths copied, their postings read term by term from every source at once,
    /// renumbered and encoded, one term's list in memory at a time — never the whole inverted index, and nothing
    /// analysed again. The bytes are those of a fresh segment of the same documents. The sources must have
    /// `schema`. Returns the file's checksum and size, and its number of documents.
    static func merge(_ sources: [(segment: Segment, deleted: Set<Int>)], schema: Schema, threads: Int,
                      to path: String) throws(IndexError) -> (checksum: UInt64, bytes: Int, documents: Int) {
        let writer = SegmentWriter(schema: schema)
        writer.threads = threads
        let fieldCount = schema.textFields.count
        var renumbered: [[Int32]] = []
        // Stored data: each live document's records as they lie in its segment, or, where they do not lie as the
        // writer puts them, decoded and encoded anew (kept here until written).
        var records: [(source: Int, head: UnsafeRawBufferPointer?, text: UnsafeRawBufferPointer?)] = []
        var encodedAnew: [Int: (head: [UInt8], text: [UInt8])] = [:]
        var headBytes = 0
        var textBytes = 0
        // The live documents' ids where they lie, for the segment's id order.
        var ids: [UnsafeRawBufferPointer] = []
        // Sized once: grown by doubling, these would take up to twice their size at a merge's peak.
        let live = sources.reduce(0) { $0 + max(0, $1.segment.documentCount - $1.deleted.count) }
        records.reserveCapacity(live)
        ids.reserveCapacity(live)
        writer.fieldLengths.reserveCapacity(live * fieldCount)
        writer.headOffsets.reserveCapacity(live)
        writer.textOffsets.reserveCapacity(live)
        for (source, (segment, deleted)) in sources.enumerated() {
            var numbers = [Int32](repeating: -1, count: segment.documentCount)
            for doc in 0..<segment.documentCount where !deleted.contains(doc) {
                numbers[doc] = Int32(writer.documentCount)
                ids.append(segment.storedIDBytes(doc))
                for field in 0..<fieldCount { writer.fieldLengths.append(UInt32(segment.fieldLength(doc: doc, field: field))) }
                writer.headOffsets.append(UInt64(headBytes))
                writer.textOffsets.append(UInt64(textBytes))
                if let record = segment.storedRecord(doc) {
                    records.append((source, record.head, record.text))
                    headBytes += record.head.count
                    textBytes += record.text.count
                } else {
                    var head = ByteWriter()
                    var text = ByteWriter()
                    segment.storedDocument(doc).write(head: &head, text: &text)
                    encodedAnew[records.count] = (head.bytes, text.bytes)
                    records.append((source, nil, nil))
                    headBytes += head.count
                    textBytes += text.count
                }
                writer.documentCount += 1
            }
            renumbered.append(numbers)
        }
        writer.idRanks = idRanks(ids)
        ids = []
        // Each source's pages are handed back once its records are copied, so the inputs are never all resident.
        // (The views stay valid: handed-back pages are read from the file again if touched.)
        func copyRecords(_ file: StreamedFile, texts: Bool) throws(IndexError) {
            for (index, record) in records.enumerated() {
                if index > 0 && records[index - 1].source != record.source {
                    sources[records[index - 1].source].segment.releasePages(.stored)
                }
                if let view = texts ? record.text : record.head {
                    try file.write(view)
                } else if let anew = encodedAnew[index] {
                    try file.write(texts ? anew.text : anew.head)
                }
            }
            if let last = records.last { sources[last.source].segment.releasePages(.stored) }
        }
        let stored = StoredSections(
            heads: StoredSection(count: headBytes) { file throws(IndexError) in try copyRecords(file, texts: false) },
            texts: StoredSection(count: textBytes) { file throws(IndexError) in try copyRecords(file, texts: true) })
        // Threads take runs of terms, cut at first terms of the largest source's dictionary blocks.
        let largest = sources.indices.max { sources[$0].segment.documentCount < sources[$1].segment.documentCount }
        let pivots: [[UInt8]] = largest.map { largest in
            let segment = sources[largest].segment
            let blocks = segment.dictionaryBlockCount
            let parts = max(1, min(threads, blocks / 8))
            return segment.dictionaryPivots(every: max(1, (blocks + parts - 1) / parts))
        } ?? []
        // What each thread encodes is set aside on disk as it goes, then copied into the segment: the merged
        // postings and positions (a third of a merge's output) are never all held in memory.
        var spills: [(postings: SpillFile, positions: SpillFile)] = []
        for part in 0...pivots.count {
            let name = path + ".\(getpid())-\(part)"
            spills.append((try SpillFile(path: name + ".postings.spill"), try SpillFile(path: name + ".positions.spill")))
        }
        let shared = ReadOnly((writer: writer, sources: sources.map(\.segment), renumbered: renumbered, pivots: pivots,
                               spills: spills))
        let written = try writer.writeFile(to: path, stored: stored) {
            let encoded = Slots<EncodedRun>(count: pivots.count + 1)
            DispatchQueue.concurrentPerform(iterations: pivots.count + 1) { part in
                let (writer, sources, renumbered, pivots, spills) = shared.value
                let from = part == 0 ? [] : pivots[part - 1]
                let upTo = part < pivots.count ? pivots[part] : nil
                encoded.set(part, writer.mergeTerms(sources, renumbered: renumbered, from: from, upTo: upTo,
                                                    spill: spills[part]))
            }
            for source in sources { source.segment.releasePages(.lists) }
            return (0...pivots.count).map { encoded.take($0) }
        }
        return (written.checksum, written.bytes, writer.documentCount)
    }

    /// The merged lists of the terms from `from` up to (not including) `upTo` of `sources`, encoded in order.
    private func mergeTerms(_ sources: [Segment], renumbered: [[Int32]], from: [UInt8], upTo: [UInt8]?,
                            spill: (postings: SpillFile, positions: SpillFile)) -> EncodedRun {
        let fieldCount = schema.textFields.count
        var streams = sources.map { Segment.TermIterator($0, from: from, releasing: true) }
        var current = streams.indices.map { streams[$0].next() }
        var run = EncodedRun(spill: spill)
        var scratch = ListScratch()
        var buffer: [UInt32] = []
        var marks = [(postings: Int, positions: Int)?](repeating: nil, count: sources.count)
        // The pages read are handed back every `releaseStep` bytes of a source's lists: about 4 MB of them stay
        // resident per thread, however many sources there are.
        let releaseStep = max(1 << 16, (4 << 20) / max(1, sources.count))
        let list = PostingList()
        while true {
            var smallest: [UInt8]?
            for entry in current {
                guard let entry else { continue }
                if smallest.map({ entry.term.lexicographicallyPrecedes($0) }) ?? true { smallest = entry.term }
            }
            guard let term = smallest else { break }
            if let upTo, !term.lexicographicallyPrecedes(upTo) { break }
            list.lastDoc = -1
            list.docs.removeAll()
            list.tfs.removeAll()
            list.positions.removeAll()
            // Sources in order, so that the renumbered documents ascend.
            for index in sources.indices {
                guard let entry = current[index], entry.term == term else { continue }
                sources[index].releaseLists(before: entry.info, since: &marks[index], every: releaseStep)
                var cursor = sources[index].postings(entry.info)
                let numbers = renumbered[index]
                while cursor.next() {
                    // A deleted document is passed over; the cursor skips its positions when the next are read.
                    let target = numbers[Int(cursor.doc)]
                    guard target >= 0 else { continue }
                    cursor.positions(into: &buffer)
                    list.lastDoc = target
                    list.docs.append(UInt32(target))
                    for field in 0..<fieldCount { list.tfs.append(cursor.tfs[field]) }
                    for position in buffer { list.positions.append(position) }
                }
                current[index] = streams[index].next()
            }
            // A term only deleted documents had is left out.
            guard list.docs.count > 0 else { continue }
            run.append(String(decoding: term, as: UTF8.self)) {
                writeList(list, postings: &$0, positions: &$1, scratch: &scratch)
            }
        }
        run.finish()
        return run
    }

    /// Appends `other`'s documents after this writer's, with their postings (each term's list chained behind
    /// this writer's, renumbered as it is copied in at encoding): how documents analysed on several threads
    /// become one segment. `other` is left empty; no document may be added after it.
    func append(_ other: SegmentWriter) {
        appended = true
        let base = UInt32(documentCount)
        let headBase = UInt64(heads.count)
        let textBase = UInt64(texts.count)
        fieldLengths.append(contentsOf: other.fieldLengths)
        headOffsets.append(contentsOf: other.headOffsets.map { $0 + headBase })
        textOffsets.append(contentsOf: other.textOffsets.map { $0 + textBase })
        // What is copied is freed on the way, so the two copies are never whole at once.
        heads.raw(other.heads.bytes)
        other.heads = ByteWriter()
        texts.raw(other.texts.bytes)
        other.texts = ByteWriter()
        documentCount += other.documentCount
        var state = Inverter()
        swap(&state, &inverter)
        // Each of `other`'s lists is chained behind this writer's list of the same term, and copied in when that
        // is encoded (on the encoding threads, not here).
        for (index, term) in other.inverter.terms.enumerated() {
            let id = state.termID(term)
            let source = other.inverter.lists[index].takeUnretainedValue()
            state.lists[Int(id)]._withUnsafeGuaranteedRef { list in
                var tail = list
                while let next = tail.following { tail = next }
                tail.following = source
                tail.followingBase = base
                if source.lastDoc >= 0 { list.lastDoc = Int32(base) + source.lastDoc }
            }
        }
        swap(&state, &inverter)
        other.inverter.close()
        other.inverter = Inverter()
        other.documentCount = 0
    }

    /// Another writer's documents were appended: their lists wait, chained, to be copied in when encoded, so no
    /// document may be added after them.
    private var appended = false

    /// The segment was written: its postings are freed.
    private var written = false

    /// Threads a segment is written on: its term order, lists and dictionary.
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

    /// Writes the segment of the documents added (or appended) at `path`, once; see `writeFile`.
    func write(to path: String) throws(IndexError) -> (checksum: UInt64, bytes: Int) {
        precondition(!written, "a writer writes its segment once (encoding frees the postings)")
        written = true
        let heads = heads.bytes
        let texts = texts.bytes
        idRanks = heads.withUnsafeBytes { raw in
            Self.idRanks(headOffsets.map { offset in
                // A head starts with the id: its length, then its bytes.
                var reader = ByteReader(base: raw.baseAddress!, offset: Int(offset), end: raw.count)
                return reader.bytes(reader.int())
            })
        }
        let stored = StoredSections(
            heads: StoredSection(count: heads.count) { file throws(IndexError) in try file.write(heads) },
            texts: StoredSection(count: texts.count) { file throws(IndexError) in try file.write(texts) })
        return try writeFile(to: path, stored: stored) { encodeLists() }
    }

    /// Each document's place among `ids` in the order `StoredText.precedes` gives them (the order of hits
    /// whose scores tie): 0 for the first; ids that compare equal share a place.
    static func idRanks(_ ids: [UnsafeRawBufferPointer]) -> [UInt32] {
        let order = ids.indices.sorted { StoredText.precedes(ids[$0], ids[$1]) }
        var ranks = [UInt32](repeating: 0, count: ids.count)
        var rank: UInt32 = 0
        for (place, doc) in order.enumerated() {
            if place > 0 && StoredText.precedes(ids[order[place - 1]], ids[doc]) { rank = UInt32(place) }
            ranks[doc] = rank
        }
        return ranks
    }

    /// A stored-data section of a segment being written: its size, and what writes its bytes.
    struct StoredSection {
        let count: Int
        let write: (StreamedFile) throws(IndexError) -> Void
    }

    typealias StoredSections = (heads: StoredSection, texts: StoredSection)

    /// Writes the segment file at `path` (a temporary file renamed into place), each section straight from the
    /// buffers that hold it: the whole file is never copied into memory. `stored` writes the documents' stored
    /// data (whose offsets `headOffsets` and `textOffsets` hold); `encode` gives the terms' postings and
    /// positions, in runs of terms in byte order (called once the segment's averages are known, which block
    /// bounds use). Returns the file's checksum and size.
    private func writeFile(to path: String, stored: StoredSections,
                           encode: () -> [EncodedRun]) throws(IndexError) -> (checksum: UInt64, bytes: Int) {
        let fieldCount = schema.textFields.count
        var header = ByteWriter()
        header.raw(SegmentFormat.headerMagic)
        header.u32(SegmentFormat.version)
        header.u32(UInt32(fieldCount))
        for field in schema.textFields { header.string(field.name) }
        header.align(8)

        // Documents: stored-data offsets and field lengths, fixed size.
        var documents = ByteWriter()
        var totals = [UInt64](repeating: 0, count: fieldCount)
        for doc in 0..<documentCount {
            documents.u64(headOffsets[doc])
            documents.u64(textOffsets[doc])
            for field in 0..<fieldCount {
                let length = fieldLengths[doc * fieldCount + field]
                documents.u32(length)
                totals[field] += UInt64(length)
            }
        }
        averages = totals.map { documentCount > 0 ? max(Double($0) / Double(documentCount), 1e-9) : 1 }
        // Then every document's place in id order, so that hits whose scores tie are ordered by a number.
        precondition(idRanks.count == documentCount, "the id order is known before the segment is written")
        for rank in idRanks { documents.u32(rank) }

        let runs = encode()
        let (dictionaryBytes, termCount, postingsBase, positionsBase) = dictionary(of: runs)

        // Where each section starts: every section after the documents' is padded to eight bytes.
        func aligned(_ offset: Int) -> Int { (offset + 7) / 8 * 8 }
        let docsStart = header.count
        let headsStart = docsStart + documents.count
        let textsStart = aligned(headsStart + stored.heads.count)
        let dictionaryStart = aligned(textsStart + stored.texts.count)
        let postingsStart = aligned(dictionaryStart + dictionaryBytes.count)
        let positionsStart = aligned(postingsStart + postingsBase)
        let footerStart = aligned(positionsStart + positionsBase)
        var footer = ByteWriter()
        for offset in [docsStart, headsStart, textsStart, dictionaryStart, postingsStart, positionsStart, footerStart] {
            footer.u64(UInt64(offset))
        }
        footer.u64(UInt64(documentCount))
        footer.u64(UInt64(termCount))
        for total in totals { footer.u64(total) }

        let file = try StreamedFile(path: path, checksummed: footerStart + footer.count)
        try file.write(header.bytes)
        try file.write(documents.bytes)
        try stored.heads.write(file)
        try file.align()
        try stored.texts.write(file)
        try file.align()
        try file.write(dictionaryBytes)
        try file.align()
        for run in runs { try run.writePostings(to: file) }
        try file.align()
        for run in runs { try run.writePositions(to: file) }
        try file.align()
        try file.write(footer.bytes)
        let checksum = file.checksum.value
        var closing = ByteWriter()
        closing.u64(checksum)
        closing.raw(SegmentFormat.footerMagic)
        try file.write(closing.bytes)
        precondition(file.count == footerStart + footer.count + 16, "segment sections laid out as written")
        try file.finish()
        return (checksum, file.count)
    }

    /// The dictionary of the terms of `runs` (in order), its term count, and the postings' and positions' sizes.
    /// Built on `threads` threads, each a range of whole dictionary blocks (a range may take terms from more
    /// than one run), joined in order: the bytes are those one pass would write.
    private func dictionary(of runs: [EncodedRun]) -> (bytes: [UInt8], terms: Int, postings: Int, positions: Int) {
        // Where each run starts: its first term's number, and its lists' offsets in the segment.
        var starts: [(term: Int, postings: Int, positions: Int)] = []
        var total = (term: 0, postings: 0, positions: 0)
        for run in runs {
            starts.append(total)
            total = (total.term + run.terms.count, total.postings + run.postingsCount,
                     total.positions + run.positionsCount)
        }
        let termCount = total.term
        let block = Self.termsPerDictionaryBlock
        let blocks = (termCount + block - 1) / block
        let parts = max(1, min(threads, blocks / 64))
        let perPart = (blocks + parts - 1) / parts * block
        let pieces = Slots<DictionaryWriter>(count: parts)
        let shared = ReadOnly((runs: runs, starts: starts, fieldCount: schema.textFields.count))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let (runs, starts, fieldCount) = shared.value
            var piece = DictionaryWriter(fieldCount: fieldCount)
            let first = min(termCount, part * perPart)
            let end = min(termCount, first + perPart)
            var run = 0
            while run + 1 < runs.count && starts[run + 1].term <= first { run += 1 }
            var index = first - (runs.isEmpty ? 0 : starts[run].term)
            for _ in first..<end {
                while index == runs[run].terms.count {
                    run += 1
                    index = 0
                }
                var (term, info) = runs[run].terms.entry(index)
                info.postingsOffset += starts[run].postings
                info.positionsOffset += starts[run].positions
                piece.add(term: term, info: info)
                index += 1
            }
            pieces.set(part, piece)
        }
        var dictionary = pieces.take(0)
        for part in 1..<parts { dictionary.append(pieces.take(part)) }
        return (dictionary.finish(), total.term, total.postings, total.positions)
    }

    /// The field whose frequency every posting carries first (the one most terms occur in).
    private var mainField: Int { schema.textFieldIndex(schema.snippetField) ?? 0 }

    /// The added documents' lists, term by term in byte order, encoded on `threads` threads, each a contiguous
    /// run of terms into buffers of its own (written one after the other, they are the bytes of one pass).
    private func encodeLists() -> [EncodedRun] {
        let terms = inverter.terms
        let lists = inverter.lists
        let order = ByteKeys(terms).sortedOrder(threads: threads)
        let parts = max(1, min(threads, order.count / 256))
        let size = (order.count + parts - 1) / max(1, parts)
        let encoded = Slots<EncodedRun>(count: parts)
        // Only read while the runs are encoded (each thread writes its own buffers alone).
        let shared = ReadOnly((writer: self, lists: lists, terms: terms))
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let (writer, lists, terms) = shared.value
            var encodedRun = EncodedRun()
            var scratch = ListScratch()
            for id in order[min(order.count, part * size)..<min(order.count, (part + 1) * size)] {
                let list = lists[id].takeUnretainedValue()
                encodedRun.append(terms[id]) {
                    writer.writeList(list, postings: &$0, positions: &$1, scratch: &scratch)
                }
                // Written once: its memory goes back now, on this thread, not when the writer is let go.
                list.free()
            }
            encodedRun.finish()
            encoded.set(part, encodedRun)
        }
        return (0..<parts).map { encoded.take($0) }
    }

    /// Buffers one thread reuses from list to list while it encodes, so that a term costs no allocation.
    struct ListScratch {
        var column: [UInt32] = []
        var body: [UInt8] = []
        var positionGaps: [UInt32] = []
    }

    private func writeList(_ list: PostingList, postings: inout ByteWriter, positions: inout ByteWriter,
                           scratch: inout ListScratch) -> TermInfo {
        list.settle()
        let fieldCount = schema.textFields.count
        let main = mainField
        let lengths = fieldLengths
        var weights = PerField<Double>(repeating: 0)
        var averages = PerField<Double>(repeating: 1)
        for field in 0..<fieldCount {
            weights[field] = schema.textFields[field].weight
            averages[field] = self.averages[field]
        }
        let postingsStart = postings.count
        let positionsStart = positions.count
        let count = list.docs.count
        var termMask: UInt8 = 0
        var maxTf = PerField<Int>(repeating: 0)
        var minLength = PerField<Int>(repeating: .max)
        for index in 0..<count {
            let doc = Int(list.docs[index])
            for field in 0..<fieldCount {
                let tf = list.tfs[index * fieldCount + field]
                guard tf > 0 else { continue }
                termMask |= 1 << field
                maxTf[field] = max(maxTf[field], Int(tf))
                minLength[field] = min(minLength[field], Int(lengths[doc * fieldCount + field]))
            }
        }
        for field in 0..<8 where minLength[field] == .max { minLength[field] = 0 }
        let singleBlock = count <= Self.blockSize
        var positionIndex = 0
        var previousDoc: Int64 = -1
        var blockStart = 0
        while blockStart < count {
            let blockEnd = min(blockStart + Self.blockSize, count)
            let lastDoc = Int64(list.docs[blockEnd - 1])
            // The body: document gaps less one, then the frequencies in the main field, then in each other field
            // of the term; each a width byte and the values packed at that width.
            scratch.body.removeAll(keepingCapacity: true)
            scratch.column.removeAll(keepingCapacity: true)
            var last = previousDoc
            for index in blockStart..<blockEnd {
                let doc = Int64(list.docs[index])
                scratch.column.append(UInt32(doc - last - 1))
                last = doc
            }
            PackedInts.packWithWidth(scratch.column, into: &scratch.body)
            for step in 0...fieldCount {
                // Step 0 is the main field; then the other fields the term is in, in order.
                let field = step == 0 ? main : step - 1
                if step > 0 && (field == main || termMask & (1 << field) == 0) { continue }
                scratch.column.removeAll(keepingCapacity: true)
                for index in blockStart..<blockEnd { scratch.column.append(list.tfs[index * fieldCount + field]) }
                PackedInts.packWithWidth(scratch.column, into: &scratch.body)
            }
            scratch.positionGaps.removeAll(keepingCapacity: true)
            var blockMaxNorm = 0.0
            let blockPositionsOffset = positions.count - positionsStart
            for index in blockStart..<blockEnd {
                let doc = Int(list.docs[index])
                var total: UInt32 = 0
                var norm = 0.0
                for field in 0..<fieldCount {
                    let tf = list.tfs[index * fieldCount + field]
                    guard tf > 0 else { continue }
                    total += tf
                    let length = Double(lengths[doc * fieldCount + field])
                    let frequency = Double(tf)
                    norm += weights[field] * frequency
                        / (frequency + Self.boundK1 * (1 - Self.boundB + Self.boundB * length / averages[field]))
                }
                blockMaxNorm = max(blockMaxNorm, norm)
                var previousPosition: Int64 = -1
                for _ in 0..<total {
                    let position = Int64(list.positions[positionIndex])
                    scratch.positionGaps.append(UInt32(position - previousPosition - 1))
                    previousPosition = position
                    positionIndex += 1
                }
            }
            // Positions: the gaps in chunks of `PostingsCursor.positionChunk`, each a width byte and the gaps packed.
            var chunkStart = 0
            let gaps = scratch.positionGaps.count
            while chunkStart < gaps {
                let chunk = scratch.positionGaps[chunkStart..<min(chunkStart + PostingsCursor.positionChunk, gaps)]
                PackedInts.packWithWidth(chunk, into: &positions.bytes)
                chunkStart += PostingsCursor.positionChunk
            }
            if !singleBlock {
                postings.varint(blockEnd - blockStart)
                postings.varint(UInt64(lastDoc - previousDoc))
                postings.varint(scratch.body.count)
                postings.varint(blockPositionsOffset)
                // The block's highest BM25F field sum (the score before idf), rounded up to a float.
                postings.u32(Float(blockMaxNorm).nextUp.bitPattern)
            }
            postings.raw(scratch.body)
            previousDoc = lastDoc
            blockStart = blockEnd
        }
        return TermInfo(
            documentFrequency: count, postingsOffset: postingsStart,
            postingsLength: postings.count - postingsStart, positionsOffset: positionsStart,
            positionsLength: positions.count - positionsStart, fieldMask: termMask,
            maxTf: maxTf, minLength: minLength)
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
    /// Per field: the highest frequency in any document, and the shortest field among documents that have it
    /// (0 for a field the term is not in). Inline, so that reading a dictionary entry allocates nothing.
    var maxTf: PerField<Int>
    var minLength: PerField<Int>
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

    mutating func add(term bytes: [UInt8], info: TermInfo) {
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

    /// Appends the blocks of `other`, which holds the terms that follow this one's last block.
    mutating func append(_ other: DictionaryWriter) {
        precondition(inBlock == SegmentWriter.termsPerDictionaryBlock || other.blockOffsets.isEmpty,
                     "a dictionary part is appended after a whole block")
        let base = UInt32(blocks.count)
        blockOffsets.append(contentsOf: other.blockOffsets.map { $0 + base })
        firstTerms.append(contentsOf: other.firstTerms)
        blocks.raw(other.blocks.bytes)
        if !other.blockOffsets.isEmpty {
            inBlock = other.inBlock
            previous = other.previous
            previousInfo = other.previousInfo
        }
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

/// A run of terms encoded: its postings and positions (offsets within them), and each term's entry.
struct EncodedRun {
    /// The postings and positions in pieces of about `pieceSize` bytes: a run grows with no copy of what it holds
    /// and at most one piece of room to spare (one array would double, copying itself, as it grew).
    private(set) var postings: [[UInt8]] = []
    private(set) var positions: [[UInt8]] = []
    /// Bytes in the pieces (all of them once `finish` is called).
    private(set) var postingsCount = 0
    private(set) var positionsCount = 0
    private(set) var terms = PackedTerms()
    private var openPostings = ByteWriter()
    private var openPositions = ByteWriter()
    /// Where the settled pieces go instead, when the run is spilled (a merge's: see `SpillFile`).
    private let spill: (postings: SpillFile, positions: SpillFile)?
    static let pieceSize = 1 << 16

    /// A run held in memory, or with `spill`, set aside on disk piece by piece.
    init(spill: (postings: SpillFile, positions: SpillFile)? = nil) { self.spill = spill }

    /// Adds a term whose lists `encode` appends to the open pieces (its offsets within them).
    mutating func append(_ term: String, encode: (inout ByteWriter, inout ByteWriter) -> TermInfo) {
        var info = encode(&openPostings, &openPositions)
        info.postingsOffset += postingsCount
        info.positionsOffset += positionsCount
        terms.append(term, info)
        if openPostings.count >= Self.pieceSize { settlePostings() }
        if openPositions.count >= Self.pieceSize { settlePositions() }
    }

    mutating func finish() {
        if openPostings.count > 0 { settlePostings() }
        if openPositions.count > 0 { settlePositions() }
    }

    private mutating func settlePostings() {
        postingsCount += openPostings.count
        if let spill { spill.postings.append(openPostings.bytes) } else { postings.append(openPostings.bytes) }
        openPostings = ByteWriter()
    }

    private mutating func settlePositions() {
        positionsCount += openPositions.count
        if let spill { spill.positions.append(openPositions.bytes) } else { positions.append(openPositions.bytes) }
        openPositions = ByteWriter()
    }

    /// Writes the run's postings (from memory or its spill file) to `file`.
    func writePostings(to file: StreamedFile) throws(IndexError) {
        if let spill { try spill.postings.copy(to: file) }
        for piece in postings { try file.write(piece) }
    }

    func writePositions(to file: StreamedFile) throws(IndexError) {
        if let spill { try spill.positions.copy(to: file) }
        for piece in positions { try file.write(piece) }
    }
}

/// A run's dictionary entries in the order added, packed as bytes (the term, then its entry's numbers as
/// variable-length integers), with where each starts: about thirty bytes a term, where a `TermInfo` and its String
/// take over two hundred (a merge of a million documents has a million id terms). Read back one at a time as the
/// dictionary is written.
struct PackedTerms {
    private var packed = ByteWriter()
    private var starts: [Int] = []

    var count: Int { starts.count }

    mutating func append(_ term: String, _ info: TermInfo) {
        starts.append(packed.count)
        packed.string(term)
        packed.varint(info.documentFrequency)
        packed.varint(info.postingsOffset)
        packed.varint(info.postingsLength)
        packed.varint(info.positionsOffset)
        packed.varint(info.positionsLength)
        packed.bytes.append(info.fieldMask)
        // The fields with a bound (any the term is in, and any other that holds one): a bit each.
        var bounded: UInt8 = 0
        for field in 0..<8 where info.maxTf[field] != 0 || info.minLength[field] != 0 { bounded |= 1 << field }
        packed.bytes.append(bounded)
        for field in 0..<8 where bounded & (1 << field) != 0 {
            packed.varint(info.maxTf[field])
            packed.varint(info.minLength[field])
        }
    }

    /// The term (its bytes) and entry at `index`, as appended.
    func entry(_ index: Int) -> (term: [UInt8], info: TermInfo) {
        packed.bytes.withUnsafeBytes { raw in
            var reader = ByteReader(base: raw.baseAddress!, offset: starts[index], end: raw.count)
            let length = reader.int()
            let term = Array(reader.bytes(length))
            var info = TermInfo(documentFrequency: reader.int(), postingsOffset: reader.int(), postingsLength: reader.int(),
                                positionsOffset: reader.int(), positionsLength: reader.int(), fieldMask: reader.byte(),
                                maxTf: PerField(repeating: 0), minLength: PerField(repeating: 0))
            let bounded = reader.byte()
            for field in 0..<8 where bounded & (1 << field) != 0 {
                info.maxTf[field] = reader.int()
                info.minLength[field] = reader.int()
            }
            precondition(!reader.failed, "packed terms read back as written")
            return (term, info)
        }
    }
}

/// What each thread of a parallel segment write hands back (encoded runs, dictionary parts): one slot per
/// thread, behind a lock.
final class Slots<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value?]

    init(count: Int) { values = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }

    func take(_ index: Int) -> Value {
        lock.lock()
        defer { lock.unlock() }
        let value = values[index]!
        values[index] = nil
        return value
    }
}

/// A value handed to the threads of a parallel segment write, which only read it.
private final class ReadOnly<Value>: @unchecked Sendable {
    let value: Value

    init(_ value: Value) { self.value = value }
}

/// Where a document's body is cut into chunks of a number of positions (what the browser export's chunk files
/// hold), as the index writer found while it analysed the body: the UTF-8 offset and the position (from the
/// body's start) of the compound each chunk starts with, and the body's last position that holds a term (-1:
/// none).
public struct BodyChunks: Sendable {
    public var id: String
    public var starts = [0]
    public var firsts = [0]
    public var last = -1
}

import Dispatch

extension BrowserExport {
    /// A document for `update`: what the index would be given, its page, and its `documentHash`.
    public struct Entry: Sendable {
        public var document: SearchDocument
        public var page: Page?
        public var hash: UInt64

        public init(document: SearchDocument, page: Page?, hash: UInt64) {
            self.document = document
            self.page = page
            self.hash = hash
        }
    }

    /// The export of `entries` (every document, in id order) made from `state`, the state of the export whose
    /// files `previous` names, analysing only the documents whose hash changed: their chunks are cut again,
    /// their postings spliced into the terms they have or had, the shards cut again, and the typo vocabularies'
    /// files that hold a word whose place or term moved made again. Every other file is the earlier export's,
    /// kept as it is without being read (`Output.kept`; the caller makes sure those files are as that export
    /// left them); `file` reads one by name when it must be written under a new name, and the metadata to
    /// check. The bytes are those `export` would make from an index of the same documents.
    ///
    /// Nil when the state cannot stand for the earlier export or cannot be carried forward: other settings,
    /// another metadata file, documents added or removed, a file the earlier export does not list, or an edit
    /// whose lost spellings would take analysing more than 64 other documents again to place — the caller
    /// exports from an index.
    public static func update(state: State, entries: [Entry], schema: Schema, options: Options, previous: Previous,
                              file: (String) -> [UInt8]?) -> Output? {
        let step = options.stepDone ?? { _ in }
        guard state.settings == settingsHash(options: options, schema: schema),
            state.documents.count == entries.count,
            let meta = file(metaFile)
        else { return nil }
        var metaHash = StableHash()
        metaHash.add(bytes: meta)
        guard metaHash.value == state.meta else { return nil }
        var changed: [Int] = []
        for (number, entry) in entries.enumerated() {
            guard state.documents[number].id == entry.document.id else { return nil }
            if state.documents[number].hash != entry.hash { changed.append(number) }
        }
        let fieldCount = schema.textFields.count
        let snippetField = schema.textFieldIndex(schema.snippetField) ?? 0

        // The changed documents analysed, each on its own (as the first document of an index).
        var documents = state.documents
        var chunkFiles: [Int: [(name: String, body: String)]] = [:]
        var added: [String: [Posting]] = [:]
        var spellingsMet: [Int: [SurfaceVocabulary.Written]] = [:]
        let analyzers = SegmentWriter.Analyzers()
        for number in changed {
            let entry = entries[number]
            let writer = SegmentWriter(schema: schema, analyzers: analyzers)
            writer.recordSurfaces()
            writer.recordChunks(every: chunkPositions)
            writer.add(entry.document)
            let (terms, lengths) = writer.soleDocument()
            guard let cut = writer.takeChunks().first, lengths.count == fieldCount else { return nil }
            var seen: Set<[UInt8]> = []
            spellingsMet[number] = (writer.takeSurfaces() ?? []).filter { seen.insert($0.bytes).inserted }
            let part = documentPart(StoredDocument(entry.document, schema: schema), number: number, lengths: lengths,
                                    page: entry.page, cut: cut, schema: schema)
            var document = part.state
            document.hash = entry.hash
            document.spellings = documents[number].spellings
            documents[number] = document
            chunkFiles[number] = part.chunks
            let bodyStart = (0..<snippetField).reduce(0) { $0 + lengths[$1] + SegmentWriter.fieldGap }
            for term in terms {
                added[term.term, default: []].append(Posting(doc: number, tfs: term.tfs, positions: term.positions,
                                                             bodyStart: bodyStart))
            }
        }
        step("update: analyse the changed documents")

        // The spellings: each document keeps those no earlier document has (in the order it meets them). A
        // spelling a changed document was the first to have and has no more passes to the first later document
        // that has it: one with its term (or another language), analysed again to tell.
        let changedSet = Set(changed)
        var lost: [(spelling: SurfaceVocabulary.Written, from: Int)] = []
        for number in changed {
            let now = Set((spellingsMet[number] ?? []).map(\.bytes))
            for spelling in documents[number].spellings where !now.contains(spelling.bytes) {
                lost.append((spelling, number))
            }
        }
        var reanalysed = 0
        for (spelling, from) in lost {
            var candidates = Set<Int>()
            if let term = state.terms.find(spelling.term) {
                for doc in Self.documents(of: term, fieldCount: fieldCount, snippetField: snippetField) where doc > from && !changedSet.contains(doc) { candidates.insert(doc) }
            }
            for number in (from + 1)..<entries.count
            where entries[number].document.language != spelling.language && !changedSet.contains(number) {
                candidates.insert(number)
            }
            for number in candidates.sorted() {
                if spellingsMet[number] == nil {
                    reanalysed += 1
                    // Past this many, reading every document again costs no more.
                    guard reanalysed <= 64 else { return nil }
                    let writer = SegmentWriter(schema: schema, analyzers: analyzers)
                    writer.recordSurfaces()
                    writer.add(entries[number].document)
                    var seen: Set<[UInt8]> = []
                    spellingsMet[number] = (writer.takeSurfaces() ?? []).filter { seen.insert($0.bytes).inserted }
                }
                if spellingsMet[number]!.contains(where: { $0.bytes == spelling.bytes }) { break }
            }
        }
        // Which document has each spelling met again first, as far as the state knows (a lost one: none). Only
        // those are looked up: every document's spellings are screened by a cheap hash first.
        var wanted = Set<[UInt8]>()
        for met in spellingsMet.values { for spelling in met { wanted.insert(spelling.bytes) } }
        let screen = Set(wanted.map(Self.quickHash))
        var first: [[UInt8]: Int] = [:]
        for (number, document) in documents.enumerated() {
            for spelling in document.spellings where screen.contains(Self.quickHash(spelling.bytes))
                && wanted.contains(spelling.bytes) && first[spelling.bytes] == nil
            {
                first[spelling.bytes] = number
            }
        }
        for (spelling, _) in lost { first[spelling.bytes] = nil }
        // Every document met again, in order, takes the spellings no earlier one has; a later document that had
        // one of them gives it up.
        var moved: [Int: Set<[UInt8]>] = [:]
        for number in spellingsMet.keys.sorted() {
            let met = spellingsMet[number]!
            for spelling in met {
                if let holder = first[spelling.bytes], holder <= number { continue }
                if let later = first[spelling.bytes] { moved[later, default: []].insert(spelling.bytes) }
                first[spelling.bytes] = number
            }
            documents[number].spellings = met.filter { first[$0.bytes] == number }
        }
        for (number, spellings) in moved where spellingsMet[number] == nil {
            documents[number].spellings.removeAll { spellings.contains($0.bytes) }
        }
        // The spellings met again are folded (the others' folded forms are in the state). When every document
        // has the spellings it had, the typo vocabularies are those of the earlier export.
        var folders: [Language: Analyzer] = [:]
        var vocabularyChanged = false
        for number in Set(spellingsMet.keys).union(moved.keys) {
            for index in documents[number].spellings.indices where documents[number].spellings[index].surface == nil {
                let spelling = documents[number].spellings[index]
                let analyzer = folders[spelling.language] ?? Analyzer(language: spelling.language)
                folders[spelling.language] = analyzer
                documents[number].spellings[index].surface = analyzer.literal(Substring(decoding: spelling.bytes, as: UTF8.self))
            }
            let before = state.documents[number].spellings
            let after = documents[number].spellings
            if before.count != after.count || zip(before, after).contains(where: {
                $0.bytes != $1.bytes || $0.term != $1.term || $0.language != $1.language || $0.surface != $1.surface
            }) {
                vocabularyChanged = true
            }
        }
        var known = previous
        var kept: [(name: String, body: String?)] = []
        if !vocabularyChanged {
            for kind in ["v", "u"] {
                for bucket in 0..<state.buckets {
                    let name = kind + String(bucket)
                    guard previous.files[name] != nil else { return nil }
                    kept.append((name, nil))
                    known.known.insert(name)
                }
            }
        }
        // Worked out on a thread of its own while the terms are spliced and the shards cut.
        let recorded = documents.flatMap(\.spellings)
        nonisolated(unsafe) var made: (buckets: Int, contents: [(name: String, body: String?)]) = (state.buckets, [])
        // The words whose place or term may have changed: those of every spelling the documents met again had or
        // have (the others keep their order and terms, and so do the files that hold none of these).
        var touched = Set<String>()
        for number in Set(spellingsMet.keys).union(moved.keys) {
            for spelling in state.documents[number].spellings + documents[number].spellings {
                if let surface = spelling.surface { touched.insert(surface) }
            }
        }
        nonisolated(unsafe) var terms: [State.Term] = []
        nonisolated(unsafe) var shards: (keys: [String], contents: [(name: String, body: String?)]) = ([], [])
        nonisolated(unsafe) let shared = (state.terms, added)
        let remake = vocabularyChanged
        let touchedWords = touched
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                if remake { made = vocabularyFiles(SurfaceVocabulary(recorded: recorded, distinct: true), only: (touchedWords, state.buckets)) }
            } else {
                let spliced = splice(shared.0, removing: changedSet, adding: shared.1, fieldCount: fieldCount,
                                     snippetField: snippetField)
                terms = spliced.terms
                // A shard whose terms are those the earlier export's shard of the same number had, all as they
                // were, is the earlier export's file.
                let before = shardRanges(shared.0, limit: options.shardCharacters)
                shards = shardFiles(terms, limit: options.shardCharacters) { shard, range in
                    guard shard < before.count, before[shard].count == range.count else { return false }
                    let start = before[shard].lowerBound
                    return range.allSatisfy { spliced.same[$0] == start + ($0 - range.lowerBound) }
                }
            }
        }
        if remake {
            for content in made.contents where content.body == nil {
                guard previous.files[content.name] != nil else { return nil }
                known.known.insert(content.name)
            }
        }
        let vocabulary = remake ? made : (state.buckets, kept)
        step("update: terms, shards and vocabularies")

        for content in shards.contents where content.body == nil {
            guard previous.files[content.name] != nil else { return nil }
            known.known.insert(content.name)
        }
        // The chunks: the changed documents' new ones; the others' are the earlier export's files.
        var chunks: [(name: String, body: String?)] = []
        for (number, document) in documents.enumerated() {
            if let made = chunkFiles[number] {
                chunks += made.map { ($0.name, $0.body) }
                continue
            }
            for k in 0..<document.chunkCount {
                let name = "c\(number)_\(k)"
                guard previous.files[name] != nil else { return nil }
                chunks.append((name, nil))
                known.known.insert(name)
            }
        }
        step("update: the unchanged documents' chunks")
        return assemble(documents: documents, chunks: chunks, shards: shards, termCount: terms.count,
                        vocabulary: vocabulary, schema: schema, options: options, previous: known,
                        state: State(settings: state.settings, meta: 0, buckets: vocabulary.0, documents: documents, terms: terms)
        ) { name in
            previous.files[name].flatMap(file).flatMap { scriptBody($0, name: name) }
        }
    }

    /// A spelling's hash as the term table makes it (a screen before a set's full hashing).
    @inline(__always)
    static func quickHash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBufferPointer { TermInterner.key($0).hash }
    }

    /// The documents of a term's encoded postings, in order.
    static func documents(of term: State.Term, fieldCount: Int, snippetField: Int) -> [Int] {
        var text = term.postings
        return text.withUTF8 { bytes in
            var reader = VLQReader(bytes)
            guard let count = reader.next() else { return [] }
            var result: [Int] = []
            var doc = -1
            for _ in 0..<count {
                guard let delta = reader.next(), let mask = reader.next() else { break }
                doc += delta + 1
                result.append(doc)
                for field in 0..<fieldCount where mask & (1 << field) != 0 { _ = reader.next() }
                if mask & (1 << snippetField) != 0 { _ = reader.next() }
            }
            return result
        }
    }

    /// The body of a file's script (`script(name:body:)`), or nil when `bytes` are not the script of `name`.
    static func scriptBody(_ bytes: [UInt8], name: String) -> String? {
        let opening = scriptOpening + Array(name.utf8) + Array("\",".utf8)
        let closing = Array("]);\n".utf8)
        guard bytes.count >= opening.count + closing.count, bytes.starts(with: opening),
            bytes[(bytes.count - closing.count)...].elementsEqual(closing)
        else { return nil }
        return String(decoding: bytes[opening.count..<(bytes.count - closing.count)], as: UTF8.self)
    }

    /// A document's postings of one term, as `update` splices them in.
    struct Posting {
        var doc: Int
        var tfs: [UInt32]
        var positions: [UInt32]
        /// Where the document's body starts among its positions.
        var bodyStart: Int
    }

    /// `terms` (in UTF-8 byte order) without the postings of the documents `removing` holds and with those of
    /// `adding` (by term): a term no document has any more goes, a new one comes in its place in the order.
    /// `same`: for each term of the result, the number it had in `terms` when it is as it was there, else -1.
    static func splice(_ terms: [State.Term], removing: Set<Int>, adding: [String: [Posting]], fieldCount: Int,
                       snippetField: Int) -> (terms: [State.Term], same: [Int]) {
        let newTerms = adding.keys.map { (Array($0.utf8), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
        var result: [State.Term] = []
        var same: [Int] = []
        result.reserveCapacity(terms.count + newTerms.count)
        same.reserveCapacity(terms.count + newTerms.count)
        var next = 0  // in newTerms
        func encodeNew(_ term: String) {
            let list = adding[term]!.sorted { $0.doc < $1.doc }
            var postings = VLQ()
            var positions = VLQ()
            var previous = -1
            for posting in list {
                Source.PostingEncoder.encode(doc: posting.doc, after: previous, tfs: posting.tfs, positions: posting.positions,
                                             bodyStart: posting.bodyStart, fieldCount: fieldCount, snippetField: snippetField,
                                             into: &postings, positions: &positions)
                previous = posting.doc
            }
            var head = VLQ()
            head.add(list.count)
            result.append(State.Term(term: term, postings: head.text + postings.text, positions: positions.text))
            same.append(-1)
        }
        for (number, old) in terms.enumerated() {
            var oldBytes = old.term
            let order: Int = oldBytes.withUTF8 { oldUTF8 in
                while next < newTerms.count, newTerms[next].0.lexicographicallyPrecedes(oldUTF8) {
                    encodeNew(newTerms[next].1)
                    next += 1
                }
                return next < newTerms.count && newTerms[next].0.elementsEqual(oldUTF8) ? 0 : 1
            }
            let incoming = order == 0 ? adding[newTerms[next].1]!.sorted { $0.doc < $1.doc } : []
            if order == 0 { next += 1 }
            if let term = respliced(old, removing: removing, adding: incoming, fieldCount: fieldCount,
                                    snippetField: snippetField) {
                if !term.postings.isEmpty {
                    result.append(term)
                    same.append(-1)
                }
            } else {
                result.append(old)
                same.append(number)
            }
        }
        while next < newTerms.count {
            encodeNew(newTerms[next].1)
            next += 1
        }
        return (result, same)
    }

    /// `term` with the postings of `removing`'s documents taken out and `adding`'s put in (empty postings when
    /// none is left); nil when it has none of `removing` and nothing is added (the term stays as it is).
    private static func respliced(_ term: State.Term, removing: Set<Int>, adding: [Posting], fieldCount: Int,
                                  snippetField: Int) -> State.Term? {
        var postingText = term.postings
        var positionText = term.positions
        return postingText.withUTF8 { postingBytes in
            positionText.withUTF8 { positionBytes in
                respliced(term, postingBytes, positionBytes, removing: removing, adding: adding, fieldCount: fieldCount,
                          snippetField: snippetField)
            }
        }
    }

    private static func respliced(_ term: State.Term, _ postingBytes: UnsafeBufferPointer<UInt8>,
                                  _ positionBytes: UnsafeBufferPointer<UInt8>, removing: Set<Int>, adding: [Posting],
                                  fieldCount: Int, snippetField: Int) -> State.Term? {
        var postings = VLQReader(postingBytes)
        var positionReader = VLQReader(positionBytes)
        guard let count = postings.next() else { return nil }
        // Each old posting: its document, its bytes after the document's delta, and its positions' bytes.
        var kept: [(doc: Int, rest: Range<Int>, positions: Range<Int>)] = []
        kept.reserveCapacity(count)
        var touched = !adding.isEmpty
        var doc = -1
        for _ in 0..<count {
            guard let delta = postings.next() else { return nil }
            doc += delta + 1
            let restStart = postings.offset
            guard let mask = postings.next() else { return nil }
            var total = 0
            for field in 0..<fieldCount where mask & (1 << field) != 0 {
                guard let tf = postings.next() else { return nil }
                total += tf + 1
            }
            if mask & (1 << snippetField) != 0 { guard postings.next() != nil else { return nil } }
            let positionStart = positionReader.offset
            for _ in 0..<total { guard positionReader.next() != nil else { return nil } }
            if removing.contains(doc) {
                touched = true
            } else {
                kept.append((doc, restStart..<postings.offset, positionStart..<positionReader.offset))
            }
        }
        guard touched else { return nil }
        var body = VLQ()
        var positions = VLQ()
        var previous = -1
        var incoming = adding[...]
        func addIncoming(before limit: Int) {
            while let posting = incoming.first, posting.doc < limit {
                Source.PostingEncoder.encode(doc: posting.doc, after: previous, tfs: posting.tfs, positions: posting.positions,
                                             bodyStart: posting.bodyStart, fieldCount: fieldCount, snippetField: snippetField,
                                             into: &body, positions: &positions)
                previous = posting.doc
                incoming = incoming.dropFirst()
            }
        }
        for old in kept {
            addIncoming(before: old.doc)
            body.add(old.doc - previous - 1)
            body.append(raw: postingBytes[old.rest])
            positions.append(raw: positionBytes[old.positions])
            previous = old.doc
        }
        addIncoming(before: .max)
        let total = kept.count + adding.count
        guard total > 0 else { return State.Term(term: term.term, postings: "", positions: "") }
        var head = VLQ()
        head.add(total)
        return State.Term(term: term.term, postings: head.text + body.text, positions: positions.text)
    }
}

extension [BrowserExport.State.Term] {
    /// The term `term` of terms in UTF-8 byte order, found by bisection.
    func find(_ term: String) -> BrowserExport.State.Term? {
        let key = [UInt8](term.utf8)
        var low = 0
        var high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle].term.utf8.lexicographicallyPrecedes(key) { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low].term == term ? self[low] : nil
    }
}

/// Reads what `VLQ` writes.
struct VLQReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var offset = 0

    static let values: [UInt8] = {
        var table = [UInt8](repeating: 255, count: 256)
        for (value, character) in VLQ.alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The next number, or nil at the end or at a character `VLQ` does not write.
    mutating func next() -> Int? {
        var value = 0
        var shift = 0
        while offset < bytes.count, shift < 60 {
            let digit = Self.values[Int(bytes[offset])]
            offset += 1
            guard digit != 255 else { return nil }
            value |= Int(digit & 31) << shift
            if digit < 32 { return value }
            shift += 5
        }
        return nil
    }
}

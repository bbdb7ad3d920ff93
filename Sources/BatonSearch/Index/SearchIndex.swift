import Foundation

/// An open index: its live segments and what has been deleted from them, ready to search. Immutable: a writer's
/// commit is seen by opening the index again.
public final class SearchIndex: @unchecked Sendable {
    public let directory: String
    public let schema: Schema
    let generation: Int
    let segments: [Segment]
    /// Per segment: deleted document numbers as a bitmap (empty when nothing is deleted).
    let deleted: [[Bool]]
    /// Live documents across all segments.
    public let documentCount: Int
    /// Average length of each text field over live documents.
    let averageFieldLengths: [Double]

    /// Opens the index in `directory`; an empty index when the folder has no manifest yet.
    public static func open(directory: String, schema: Schema = .standard) throws(IndexError) -> SearchIndex {
        let manifestPath = directory + "/" + Manifest.fileName
        guard FileIO.exists(manifestPath) else {
            return try SearchIndex(directory: directory, manifest: Manifest(schema: schema, generation: 0, segments: []))
        }
        let manifest = try Manifest.decode(try FileIO.read(manifestPath), path: manifestPath)
        return try SearchIndex(directory: directory, manifest: manifest)
    }

    init(directory: String, manifest: Manifest) throws(IndexError) {
        self.directory = directory
        self.schema = manifest.schema
        self.generation = manifest.generation
        var segments: [Segment] = []
        var deleted: [[Bool]] = []
        var live = 0
        var totals = [Double](repeating: 0, count: manifest.schema.textFields.count)
        for entry in manifest.segments {
            let path = directory + "/" + entry.file
            let segment = try Segment(path: path, name: entry.file, mainField: manifest.schema.snippetField)
            guard segment.fieldNames == manifest.schema.textFields.map(\.name) else {
                throw .schemaMismatch(path: path)
            }
            if let documents = entry.documents, let checksum = entry.checksum,
                documents != segment.documentCount || checksum != segment.checksum
            {
                throw .corrupt(path: path, reason: "the segment is not the one the manifest names (another index's, "
                    + "or replaced)")
            }
            var bitmap: [Bool] = []
            if !entry.deleted.isEmpty {
                bitmap = Array(repeating: false, count: segment.documentCount)
                for doc in entry.deleted where doc >= 0 && doc < segment.documentCount { bitmap[doc] = true }
            }
            for field in 0..<segment.fieldCount {
                var total = Double(segment.fieldLengthTotals[field])
                for doc in entry.deleted where doc >= 0 && doc < segment.documentCount {
                    total -= Double(segment.fieldLength(doc: doc, field: field))
                }
                totals[field] += total
            }
            live += segment.documentCount - bitmap.filter { $0 }.count
            segments.append(segment)
            deleted.append(bitmap)
        }
        self.segments = segments
        self.deleted = deleted
        self.documentCount = live
        self.averageFieldLengths = totals.map { live > 0 ? max($0 / Double(live), 1e-9) : 1 }
    }

    func isDeleted(segment: Int, doc: Int) -> Bool {
        let bitmap = deleted[segment]
        return !bitmap.isEmpty && bitmap[doc]
    }

    /// The live document with `id`, as stored.
    public func document(id: String) -> SearchDocument? {
        for (index, segment) in segments.enumerated() {
            guard let info = segment.lookup(SegmentWriter.idTerm(id)) else { continue }
            var cursor = segment.postings(info)
            while cursor.next() {
                let doc = Int(cursor.doc)
                if !isDeleted(segment: index, doc: doc) { return segment.storedDocument(doc).document(schema: schema) }
            }
        }
        return nil
    }

    /// Every live document's id.
    public var ids: [String] {
        var result: [String] = []
        for (index, segment) in segments.enumerated() {
            for doc in 0..<segment.documentCount where !isDeleted(segment: index, doc: doc) {
                result.append(segment.storedID(doc))
            }
        }
        return result
    }

    /// How many segment files the index has.
    public var segmentCount: Int { segments.count }

    /// Bytes of all segment files.
    public var sizeInBytes: Int { segments.reduce(0) { $0 + $1.file.count } }

    /// Bytes of stored text (kept for snippets and merges) within `sizeInBytes`.
    public var storedTextBytes: Int { segments.reduce(0) { $0 + $1.storedTextBytes } }
}

/// Adds, replaces and deletes documents by id. Changes are buffered and become visible together at `commit`,
/// which writes the added documents' segments (analysed on every core; one segment, or one per heap's worth),
/// records deletions in the manifest, and merges neighbouring segments when there are many or much is deleted
/// (see FORMAT.md).
public final class IndexWriter {
    public let directory: String
    private var manifest: Manifest
    private let index: SearchIndex
    /// Documents added since the last flush, with their order numbers (`sequence`) and text bytes, not yet
    /// analysed.
    private var buffered: [(document: SearchDocument, sequence: Int, textBytes: Int)] = []
    private var bufferedBytes = 0
    private var sequence = 0
    /// The order number of the latest add of every id added since the last commit; an earlier copy, or one
    /// deleted since, is marked deleted in its segment at commit.
    private var pendingIDs: [String: Int] = [:]
    /// Segments written since the last commit (not in the manifest yet): file, documents' order numbers, checksum.
    private var flushed: [(file: String, sequences: [Int], checksum: UInt64, bytes: Int)] = []
    private var deletions: [Int: Set<Int>] = [:]

    /// Record every word as written the first time it is met, for `recordedSurfaces` (set before adding).
    public var recordsSurfaces = false
    /// After a commit that built the index afresh from documents with distinct ids in one flush: what
    /// `SurfaceVocabulary` would find in it, recorded while the documents were analysed (so that they need not be
    /// analysed again). Nil otherwise.
    public private(set) var recordedSurfaces: [SurfaceVocabulary.Written]?
    private var recording: [SurfaceVocabulary.Written] = []
    /// Record where each document's body is cut every this many positions, for `recordedChunks` (set before
    /// adding; nil: not recorded).
    public var recordsChunks: Int?
    /// After a commit as for `recordedSurfaces`: every document's `BodyChunks`, in the order added. Nil otherwise.
    public private(set) var recordedChunks: [BodyChunks]?
    private var recordingChunks: [BodyChunks] = []
    private var flushes = 0

    /// Merge when more segments than this are live.
    public var maximumSegments = 8
    /// Merge when more than this share of documents is deleted.
    public var maximumDeletedShare = 0.25
    /// About how much memory the documents waiting to be written may take, in bytes (256 MB by default): past it
    /// they are analysed and written out as segments, so that a large build runs in bounded memory.
    public var heapBytes = 256 << 20
    /// The most segment bytes one merge reads: two heaps. A merge streams (stored data copied through, each
    /// term's postings encoded before the next is read, and set aside on disk until the segment is written);
    /// in memory it holds a few dozen bytes per document and per term, and the pages of its inputs are handed
    /// back as it is done with them.
    var mergeBytes: Int { 2 * heapBytes }
    /// Threads documents are analysed on (by default the machine's cores, at most eight; one for a few
    /// documents); what they build is joined into one segment.
    public var threads = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8))

    /// Opens (or creates) the index in `directory`. With `rebuild`, the existing contents are dropped.
    public init(directory: String, schema: Schema = .standard, rebuild: Bool = false) throws(IndexError) {
        self.directory = directory
        try FileIO.makeDirectory(directory)
        if rebuild {
            // Whatever is there (even a damaged index) is replaced: only the generation number is carried on.
            let manifestPath = directory + "/" + Manifest.fileName
            let generation = (try? Manifest.decode(try FileIO.read(manifestPath), path: manifestPath))?.generation ?? 0
            manifest = Manifest(schema: schema, generation: generation, segments: [])
            index = try SearchIndex(directory: directory, manifest: manifest)
            return
        }
        let existing = try SearchIndex.open(directory: directory, schema: schema)
        if existing.schema != schema {
            manifest = Manifest(schema: schema, generation: existing.generation, segments: [])
            index = try SearchIndex(directory: directory, manifest: manifest)
        } else {
            manifest = Manifest(
                schema: schema, generation: existing.generation,
                segments: zip(existing.segments, existing.deleted).map { segment, bitmap in
                    Manifest.Entry(file: segment.name, deleted: Set(bitmap.indices.filter { bitmap[$0] }),
                                   documents: segment.documentCount, checksum: segment.checksum)
                })
            index = existing
        }
    }

    /// Adds a document, replacing any document with the same id. (A segment that cannot be written out on the
    /// way fails the commit.)
    public func add(_ document: SearchDocument) {
        delete(id: document.id)
        pendingIDs[document.id] = sequence
        let textBytes = document.text.values.reduce(0) { $0 + $1.utf8.count }
        buffered.append((document, sequence, textBytes))
        sequence += 1
        // Analysed, a document takes about twelve times its text at the flush's peak (measured on a million
        // documents): per posting its number and a frequency for every field, per word a position, the stored
        // copy, the encoded lists, each buffer with room to grow.
        bufferedBytes += 12 * (textBytes + document.id.utf8.count) + 256
        if bufferedBytes >= heapBytes && flushError == nil {
            do { try flush(joined: false) } catch { flushError = error }
            Memory.giveBack()
        }
    }

    /// Each flush thread's analyzers, kept from flush to flush: a word stemmed once is not stemmed again.
    private var analyzers: [SegmentWriter.Analyzers] = []

    /// Why a flush between commits failed: the next commit throws it.
    private var flushError: IndexError?

    /// Deletes the document with `id`, if there is one.
    public func delete(id: String) {
        // A copy added since the last commit is marked deleted in its new segment at commit (it is no longer in
        // `pendingIDs`).
        pendingIDs.removeValue(forKey: id)
        for (position, segment) in index.segments.enumerated() {
            guard let info = segment.lookup(SegmentWriter.idTerm(id)) else { continue }
            var cursor = segment.postings(info)
            while cursor.next() { deletions[position, default: []].insert(Int(cursor.doc)) }
        }
    }

    /// Analyses the buffered documents on `threads` threads (contiguous runs of about equal text) and writes what
    /// they built out beside the index (it joins the manifest at commit; a crash before that leaves files the next
    /// commit removes). With `joined`, the threads' work becomes one segment (a commit's only flush: no merge
    /// follows); else each thread writes its own segment as soon as it is done, so no core waits for a join and
    /// the writing runs on every core (the commit merges them).
    private func flush(joined: Bool) throws(IndexError) {
        guard !buffered.isEmpty else { return }
        let schema = manifest.schema
        let documents = buffered
        buffered = []
        bufferedBytes = 0
        let parts = max(1, min(threads, documents.count / 64))
        // Cut where the running text passes each part's share.
        let total = max(1, documents.reduce(0) { $0 + $1.textBytes })
        var cuts = [0]
        var running = 0
        for (index, size) in documents.lazy.map(\.textBytes).enumerated() {
            running += size
            if cuts.count < parts && running * parts >= total * cuts.count { cuts.append(index + 1) }
        }
        while cuts.count <= parts { cuts.append(documents.count) }
        cuts[parts] = documents.count
        let ranges = (0..<parts).map { cuts[$0]..<max(cuts[$0], cuts[$0 + 1]) }
        // The commit's generation names its first segment; further segments of the same commit are numbered
        // after it.
        let generation = manifest.generation + 1
        let first = flushed.count
        let names = (0..<(joined ? 1 : parts)).map { part in
            first + part == 0 ? "segment-\(generation).bsi" : "segment-\(generation)-\(first + part).bsi"
        }
        while analyzers.count < parts { analyzers.append(SegmentWriter.Analyzers()) }
        let shares = (0..<parts).map { FlushPart(SegmentWriter(schema: schema, analyzers: analyzers[$0])) }
        if recordsSurfaces { for share in shares { share.writer?.recordSurfaces() } }
        if let positions = recordsChunks { for share in shares { share.writer?.recordChunks(every: positions) } }
        let path = directory
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            guard let writer = shares[part].writer else { return }
            for entry in documents[ranges[part]] { writer.add(entry.document) }
            shares[part].surfaces = writer.takeSurfaces()
            shares[part].chunks = writer.takeChunks()
            guard !joined else { return }
            shares[part].outcome = Result { () throws(IndexError) in try writer.write(to: path + "/" + names[part]) }
            // Its postings are written out: freed now, not when the last thread is done.
            shares[part].writer = nil
        }
        if joined, let writer = shares[0].writer {
            for other in shares.dropFirst() { if let more = other.writer { writer.append(more) } }
            writer.threads = threads
            shares[0].outcome = Result { () throws(IndexError) in try writer.write(to: directory + "/" + names[0]) }
        }
        flushes += 1
        // A second flush and the record can no longer stand for the index (see `commit`): nothing more is kept.
        if flushes == 1 {
            // Each share numbered its documents from 0: numbered here in the order added.
            if recordsSurfaces {
                for (part, share) in shares.enumerated() {
                    let base = Int32(ranges[part].lowerBound)
                    for var entry in share.surfaces ?? [] {
                        entry.document += base
                        recording.append(entry)
                    }
                }
            }
            if recordsChunks != nil { for share in shares { recordingChunks += share.chunks } }
        } else {
            recording = []
            recordingChunks = []
        }
        var written: [(checksum: UInt64, bytes: Int)] = []
        for share in shares.prefix(names.count) {
            do throws(IndexError) {
                guard let outcome = share.outcome else { preconditionFailure("every part's segment written or failed") }
                written.append(try outcome.get())
            } catch {
                for name in names { FileIO.remove(directory + "/" + name) }
                discardFlushed()
                throw error
            }
        }
        for (part, name) in names.enumerated() {
            let range = joined ? 0..<documents.count : ranges[part]
            flushed.append((name, documents[range].map(\.sequence), written[part].checksum, written[part].bytes))
        }
    }

    /// Removes the segments written since the last commit (after a failure: the commit fails, the index stays as
    /// it was).
    private func discardFlushed() {
        for segment in flushed { FileIO.remove(directory + "/" + segment.file) }
        flushed = []
        buffered = []
        bufferedBytes = 0
        pendingIDs = [:]
        deletions = [:]
    }

    /// Makes every change since the last commit visible, atomically. A commit that fails (a segment or the
    /// manifest that cannot be written) leaves the index as it was and drops the changes since the last commit.
    public func commit() throws(IndexError) {
        if let error = flushError {
            flushError = nil
            discardFlushed()
            throw error
        }
        // Recorded surfaces stand for the index only when it is exactly the documents recorded: built afresh, in
        // one flush, nothing deleted or replaced.
        let afresh = manifest.segments.isEmpty && flushed.isEmpty && deletions.isEmpty && pendingIDs.count == sequence
        try flush(joined: flushed.isEmpty)
        recordedSurfaces = afresh && flushes == 1 && recordsSurfaces ? recording : nil
        recordedChunks = afresh && flushes == 1 && recordsChunks != nil ? recordingChunks : nil
        recording = []
        recordingChunks = []
        Memory.giveBack()
        var entries = manifest.segments
        for (position, docs) in deletions where position < entries.count {
            entries[position].deleted.formUnion(docs)
        }
        entries.removeAll { $0.deleted.count >= ($0.documents ?? .max) }
        // Documents added and then replaced or deleted before this commit are marked deleted in their segments.
        var live = [Bool](repeating: false, count: sequence)
        for latest in pendingIDs.values where latest < live.count { live[latest] = true }
        var fresh: [Manifest.Entry] = []
        for segment in flushed {
            let deleted = Set(segment.sequences.indices.filter { !live[segment.sequences[$0]] })
            fresh.append(Manifest.Entry(file: segment.file, deleted: deleted, documents: segment.sequences.count,
                                        checksum: segment.checksum))
        }
        fresh.removeAll { $0.deleted.count >= ($0.documents ?? .max) }
        // What the merges below no longer need goes now (a million ids and order numbers are tens of
        // megabytes); should a merge fail, the commit's segments are removed and the index stays as it was.
        live = []
        pendingIDs = [:]
        for index in flushed.indices { flushed[index].sequences = [] }
        Memory.giveBack()
        do throws(IndexError) {
            try mergeAndPublish(entries: entries, fresh: fresh)
        } catch {
            discardFlushed()
            throw error
        }
    }

    /// The rest of `commit`: merges what it wrote (and older segments, when due), then writes the manifest.
    private func mergeAndPublish(entries: [Manifest.Entry], fresh: [Manifest.Entry]) throws(IndexError) {
        var fresh = fresh
        var generation = manifest.generation + 1
        // The segments one commit wrote become one, when that is within a merge's bound (else they stay apart,
        // and the runs below join them).
        if fresh.count > 1 && flushed.reduce(0, { $0 + $1.bytes }) <= mergeBytes {
            fresh = [try merge(fresh, name: "segment-\(generation)-merged.bsi")]
        }
        var segments = entries + fresh
        // Too many segments, or too much deleted: a run of neighbouring segments is merged — the two smallest
        // side by side, then their neighbours, smaller first, while the run is within `mergeBytes` — so documents
        // keep their order (a lone segment is merged on its own, to drop its deleted documents). A segment of half
        // that or more is full-sized: only deletions merge it again, so a large build is not rewritten over and
        // over.
        while true {
            let sizes = segments.map { FileIO.size(directory + "/" + $0.file) }
            let full = sizes.map { $0 >= mergeBytes / 2 }
            guard let (low, high) = mergeRun(segments, sizes: sizes, full: full) else { break }
            generation += 1
            let joined = try merge(Array(segments[low...high]), name: "segment-\(generation).bsi")
            Memory.giveBack()
            segments.replaceSubrange(low...high, with: [joined])
            if low == high { break }
        }
        let next = Manifest(schema: manifest.schema, generation: generation, segments: segments)
        CrashPoint.pass("index.segments-written")
        try FileIO.write(next.encoded(), to: directory + "/" + Manifest.fileName)
        CrashPoint.pass("index.manifest-written")
        removeUnreferencedFiles(keeping: Set(next.segments.map(\.file)))
        manifest = next
        flushed = []
        pendingIDs = [:]
        deletions = [:]
    }

    /// The run of segments to merge next (first and last position), or nil when none needs merging.
    private func mergeRun(_ segments: [Manifest.Entry], sizes: [Int], full: [Bool]) -> (Int, Int)? {
        let deleted = segments.reduce(0) { $0 + $1.deleted.count }
        let total = segments.reduce(0) { $0 + ($1.documents ?? 0) }
        let tooDeleted = total > 0 && Double(deleted) / Double(total) > maximumDeletedShare
        if tooDeleted {
            // The segment with the largest share deleted, with a small neighbour when one fits.
            let shares = segments.map { entry -> Double in
                let documents = max(1, entry.documents ?? 1)
                return Double(entry.deleted.count) / Double(documents)
            }
            var worst = 0
            for index in shares.indices where shares[index] > shares[worst] { worst = index }
            if worst + 1 < segments.count, !full[worst + 1], sizes[worst] + sizes[worst + 1] <= mergeBytes {
                return (worst, worst + 1)
            }
            return segments[worst].deleted.isEmpty ? nil : (worst, worst)
        }
        if maximumSegments <= 0 && segments.count == 1 && !segments[0].deleted.isEmpty { return (0, 0) }
        let small = full.filter { !$0 }.count
        guard small > max(1, maximumSegments) else { return nil }
        // The neighbouring pair of small segments with the least bytes, grown by small neighbours within `mergeBytes`.
        var pair: Int?
        for index in 0..<max(0, segments.count - 1) where !full[index] && !full[index + 1] {
            let bytes = sizes[index] + sizes[index + 1]
            if let best = pair, sizes[best] + sizes[best + 1] <= bytes { continue }
            pair = index
        }
        guard let first = pair else { return nil }
        var low = first
        var high = first + 1
        var bytes = sizes[low] + sizes[high]
        while true {
            var left = Int.max
            var right = Int.max
            if low > 0 && !full[low - 1] { left = sizes[low - 1] }
            if high + 1 < segments.count && !full[high + 1] { right = sizes[high + 1] }
            let next = min(left, right)
            guard next != Int.max, bytes + next <= mergeBytes else { break }
            if left <= right { low -= 1 } else { high += 1 }
            bytes += next
        }
        return (low, high)
    }

    /// The live documents of `entries` in one segment, their postings merged (not analysed again).
    private func merge(_ entries: [Manifest.Entry], name: String) throws(IndexError) -> Manifest.Entry {
        var sources: [(segment: Segment, deleted: Set<Int>)] = []
        for entry in entries {
            let segment = try Segment(path: directory + "/" + entry.file, name: entry.file, mainField: manifest.schema.snippetField)
            // Opening read the whole file for its checksum: its pages are handed back until the merge reads them.
            segment.releasePages(.all)
            sources.append((segment, entry.deleted))
        }
        let written = try SegmentWriter.merge(sources, schema: manifest.schema, threads: threads, to: directory + "/" + name)
        return Manifest.Entry(file: name, deleted: [], documents: written.documents, checksum: written.checksum)
    }

    private func removeUnreferencedFiles(keeping: Set<String>) {
        for name in FileIO.list(directory) where name.hasSuffix(".bsi") && !keeping.contains(name) {
            FileIO.remove(directory + "/" + name)
        }
    }
}

/// One thread's share of a flush: its writer, then what writing its segment gave. Only that thread touches it until
/// the flush joins the threads.
private final class FlushPart: @unchecked Sendable {
    var writer: SegmentWriter?
    var surfaces: [SurfaceVocabulary.Written]?
    var chunks: [BodyChunks] = []
    var outcome: Result<(checksum: UInt64, bytes: Int), IndexError>?

    init(_ writer: SegmentWriter) { self.writer = writer }
}

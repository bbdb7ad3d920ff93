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
/// which writes one new segment for the added documents, records deletions in the manifest, and merges the
/// segments into one when there are many or much is deleted.
public final class IndexWriter {
    public let directory: String
    private var manifest: Manifest
    private let index: SearchIndex
    private var pending: SegmentWriter
    private var pendingIDs: [String: Int] = [:]
    private var deletions: [Int: Set<Int>] = [:]

    /// Merge when more segments than this are live.
    public var maximumSegments = 8
    /// Merge when more than this share of documents is deleted.
    public var maximumDeletedShare = 0.25

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
            pending = SegmentWriter(schema: schema)
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
        pending = SegmentWriter(schema: schema)
    }

    /// Adds a document, replacing any document with the same id.
    public func add(_ document: SearchDocument) {
        delete(id: document.id)
        pendingIDs[document.id] = pending.add(document)
    }

    /// Deletes the document with `id`, if there is one.
    public func delete(id: String) {
        // A pending copy is dropped from the new segment at commit (it is no longer in `pendingIDs`).
        pendingIDs.removeValue(forKey: id)
        for (position, segment) in index.segments.enumerated() {
            guard let info = segment.lookup(SegmentWriter.idTerm(id)) else { continue }
            var cursor = segment.postings(info)
            while cursor.next() { deletions[position, default: []].insert(Int(cursor.doc)) }
        }
    }

    /// Makes every change since the last commit visible, atomically.
    public func commit() throws(IndexError) {
        var entries = manifest.segments
        for (position, docs) in deletions where position < entries.count {
            entries[position].deleted.formUnion(docs)
        }
        // Documents added and then replaced or deleted before this commit are dropped from the new segment.
        let liveNew = Set(pendingIDs.values)
        var newSegment: SegmentWriter?
        if !liveNew.isEmpty {
            if liveNew.count == pending.documentCount {
                newSegment = pending
            } else {
                // Rare: rebuild the pending segment from its surviving documents.
                let rebuilt = SegmentWriter(schema: manifest.schema)
                let bytes = pending.serialize()
                let path = directory + "/pending.tmp"
                try FileIO.write(bytes, to: path)
                let segment = try Segment(path: path, name: "pending.tmp", mainField: manifest.schema.snippetField)
                for doc in liveNew.sorted() { rebuilt.add(segment.storedDocument(doc).document(schema: manifest.schema)) }
                FileIO.remove(path)
                newSegment = rebuilt
            }
        }
        var generation = manifest.generation
        if let newSegment {
            generation += 1
            let name = "segment-\(generation).bsi"
            let bytes = newSegment.serialize()
            try FileIO.write(bytes, to: directory + "/" + name)
            entries.append(Manifest.Entry(file: name, deleted: [], documents: newSegment.documentCount,
                                          checksum: SegmentWriter.checksum(of: bytes)))
        }
        entries.removeAll { entry in
            // A segment whose every document is deleted is dropped.
            guard let segment = index.segments.first(where: { $0.name == entry.file }) else { return false }
            return entry.deleted.count >= segment.documentCount
        }
        var next = Manifest(schema: manifest.schema, generation: generation, segments: entries)
        if needsMerge(next) {
            generation += 1
            next = try merge(next, generation: generation)
        }
        CrashPoint.pass("index.segments-written")
        try FileIO.write(next.encoded(), to: directory + "/" + Manifest.fileName)
        CrashPoint.pass("index.manifest-written")
        removeUnreferencedFiles(keeping: Set(next.segments.map(\.file)))
        manifest = next
        pending = SegmentWriter(schema: manifest.schema)
        pendingIDs = [:]
        deletions = [:]
    }

    private func needsMerge(_ manifest: Manifest) -> Bool {
        if manifest.segments.count > maximumSegments { return true }
        let deleted = manifest.segments.reduce(0) { $0 + $1.deleted.count }
        let total = manifest.segments.reduce(0) { total, entry in
            total + (index.segments.first { $0.name == entry.file }?.documentCount ?? 0)
        }
        return total > 0 && Double(deleted) / Double(total) > maximumDeletedShare
    }

    /// Re-indexes every live document into one segment.
    private func merge(_ manifest: Manifest, generation: Int) throws(IndexError) -> Manifest {
        let merged = SegmentWriter(schema: manifest.schema)
        for entry in manifest.segments {
            let segment = try Segment(path: directory + "/" + entry.file, name: entry.file, mainField: manifest.schema.snippetField)
            for doc in 0..<segment.documentCount where !entry.deleted.contains(doc) {
                merged.add(segment.storedDocument(doc).document(schema: manifest.schema))
            }
        }
        let name = "segment-\(generation).bsi"
        let bytes = merged.serialize()
        try FileIO.write(bytes, to: directory + "/" + name)
        return Manifest(schema: manifest.schema, generation: generation, segments: [
            Manifest.Entry(file: name, deleted: [], documents: merged.documentCount, checksum: SegmentWriter.checksum(of: bytes)),
        ])
    }

    private func removeUnreferencedFiles(keeping: Set<String>) {
        for name in FileIO.list(directory) where name.hasSuffix(".bsi") && !keeping.contains(name) {
            FileIO.remove(directory + "/" + name)
        }
    }
}

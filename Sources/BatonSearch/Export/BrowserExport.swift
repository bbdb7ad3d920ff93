import BatonJSON
import Dispatch
/// Writes an index out for the browser search script (`site/assets/search.js`): the same terms, statistics and
/// field lengths as the engine scores with, cut into small JavaScript files that register themselves, so that the
/// script can answer a query exactly as `Searcher` does while loading only what the query needs, over HTTP or
/// from file://. The layout is described in `Export/BROWSER.md`.
public enum BrowserExport {
    /// What a page of the site adds to a document: where it is and what kind it is.
    public struct Page: Sendable {
        public var url: String
        public var type: String?

        public init(url: String, type: String? = nil) {
            self.url = url
            self.type = type
        }
    }

    public struct Options: Sendable {
        /// Query languages, the knowledge base's default first (as `SearchOptions.languages`).
        public var languages: [Language] = [.english]
        /// A shard holds consecutive terms, with their postings, up to this many characters (a term with more has
        /// one of its own).
        public var shardCharacters = 6_000
        /// Display names of keyword values (field → value → label), for the facets.
        public var labels: [String: [String: String]] = [:]
        /// Synonym groups, as `SearchOptions.synonyms`.
        public var synonyms: [[String]] = []
        /// Called as each step of the export ends, with its name (for timing a build's phases).
        public var stepDone: (@Sendable (String) -> Void)?

        public init() {}
    }

    /// The exported files by path relative to the export folder, and the name of the metadata file.
    public struct Output: Sendable {
        public var files: [(path: String, bytes: [UInt8])]
        /// The metadata file pages load.
        public var metaPath: String
        /// A hash of everything exported.
        public var version: String
        public var documentCount: Int
        public var termCount: Int
        public var shardCount: Int
    }

    /// Format of the exported data; the script refuses another.
    public static let formatVersion = 2
    /// The metadata's file: the one name that does not change (pages name it; it names the rest).
    public static let metaFile = "meta.js"
    /// Files of a kind share a content hash in their names by groups of this many (`s0`…`s15`, `s16`…).
    static let groupSize = 16

    /// Words a chunk of a document's body holds (the files a snippet is cut from).
    static let chunkPositions = 1000

    /// The group of a file: its kind (`s`, `p`, `v`, `u`, `c`) and its number (a chunk's: its document's) by 16.
    static func groupKey(_ name: String) -> String {
        let kind = name.prefix { !$0.isNumber }
        let number = Int(name.dropFirst(kind.count).prefix { $0.isNumber }) ?? 0
        return kind + String(number / groupSize)
    }

    /// Exports every live document of `index` (which must hold only what the site's audience may see). `page`
    /// gives each document's URL and kind; a document it does not know gets an empty URL.
    ///
    /// `vocabulary` gives the typo vocabularies' files when asked for, last: a caller with a core to spare works
    /// them out (`vocabulary(index:)`) while the rest is exported; by default they are worked out here.
    public static func export(index: SearchIndex, options: Options, page: (String) -> Page?,
                              vocabulary: (() -> Vocabulary)? = nil) -> Output {
        let step = options.stepDone ?? { _ in }
        let source = Source(index: index)
        step("export: read the index")
        // The documents are cut into chunks while the shards are encoded, on two threads (neither needs the other).
        nonisolated(unsafe) var documents = Source.Documents()
        nonisolated(unsafe) var sharded: (keys: [String], contents: [(name: String, body: String)]) = ([], [])
        nonisolated(unsafe) let shared = (source, page)
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                documents = shared.0.documentFiles(page: shared.1)
            } else {
                sharded = shared.0.shardFiles(bodyStarts: shared.0.bodyStarts(), limit: options.shardCharacters)
            }
        }
        let (keys, shards) = sharded
        step("export: documents, chunks and shards")
        let (buckets, vocabularies) = (vocabulary ?? { Self.vocabulary(index: index) })().files
        step("export: wait for the vocabularies")
        // The folding tables, for the script to fold as the engine does (loaded only for a non-ASCII word).
        let unicode: (name: String, body: String) = ("unicode0", JSONValue.object([
            ("lower", .string(UnicodeTables.lowerSource)), ("fold", .string(UnicodeTables.foldSource)),
            ("compose", .string(UnicodeTables.composeSource)), ("marks", .string(UnicodeTables.marksSource)),
        ]).rendered(pretty: false))
        let contents = shards + vocabularies + documents.contents + [unicode]

        // Names carry a hash of their content, shared by a group of `groupSize` files of a kind (one hash a file
        // would make the metadata grow with every file): a group changes name only when one of its files changes.
        var groups: [String: StableHash] = [:]
        for content in contents {
            let key = groupKey(content.name)
            var hasher = groups[key] ?? StableHash()
            hasher.add(content.name)
            hasher.add(content.body)
            groups[key] = hasher
        }
        var hashes: [(String, JSONValue)] = []
        for kind in ["s", "p", "v", "u", "c", "unicode"] {
            var text = ""
            var group = 0
            while let hasher = groups[kind + String(group)] {
                text += hasher.base64(4)
                group += 1
            }
            hashes.append((kind, .string(text)))
        }

        let schema = index.schema
        let stopAnalyzer = Analyzer(language: options.languages.first ?? .english)
        let stops = StopWords.words(for: stopAnalyzer.language).map { stopAnalyzer.term(for: Substring($0)) }
        let labels = options.labels.sorted { $0.key < $1.key }.map { field, values in
            (field, JSONValue.object(values.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        }
        let meta = JSONValue.object([
            ("format", .number(Double(formatVersion))),
            ("languages", .array(options.languages.map { .string($0.rawValue) })),
            ("stop", .array(stops.sorted().map { .string($0) })),
            ("k1", .number(Ranking.k1)), ("b", .number(Ranking.b)),
            ("looseWords", .number(Double(Ranking.looseWords))), ("coordination", .number(Ranking.coordination)),
            ("proximitySlack", .number(Double(Ranking.proximitySlack))),
            ("typoMinimumLetters", .number(Double(Ranking.typoMinimumLetters))),
            ("typoTwoEdits", .number(Double(Ranking.typoTwoEdits))),
            ("prefixTerms", .number(Double(Ranking.prefixTerms))), ("prefixVariants", .number(Double(Ranking.prefixVariants))),
            ("snippetWords", .number(Double(Ranking.snippetWords))),
            ("synonyms", .array(options.synonyms.map { .array($0.map { .string($0) }) })),
            ("fields", .array(schema.textFields.map { .string($0.name) })),
            ("weights", .array(schema.textFields.map { .number($0.weight) })),
            ("gap", .number(Double(SegmentWriter.fieldGap))),
            ("n", .number(Double(source.live.count))), ("avg", .array(index.averageFieldLengths.map { .number($0) })),
            ("lengths", .string(documents.lengths)),
            ("keywords", .object(documents.keywords)),
            ("keywordFields", .array(schema.keywordFields.map { .string($0) })),
            ("textFields", .array(schema.textFields.map { .string($0.name) })),
            ("labels", .object(labels)),
            ("shards", .array(keys.map { .string($0) })), ("buckets", .number(Double(buckets))),
            ("group", .number(Double(groupSize))), ("hashes", .object(hashes)),
            ("chunk", .number(Double(chunkPositions))), ("chunks", .string(documents.chunkCounts)),
        ]).rendered(pretty: false)

        step("export: names and metadata")
        var version = StableHash()
        for hash in groups.values.map({ $0.base64(4) }).sorted() { version.add(hash) }
        version.add(meta)
        var files: [(path: String, bytes: [UInt8])] = []
        for content in contents + [("meta", meta)] {
            let script = "(globalThis.batonSearchData=globalThis.batonSearchData||[]).push([\"\(content.name)\","
                + content.body + "]);\n"
            let name = content.name == "meta" ? metaFile : "\(content.name).\(groups[groupKey(content.name)]!.base64(4)).js"
            files.append((name, Array(script.utf8)))
        }
        step("export: scripts")
        return Output(files: files, metaPath: metaFile, version: version.base64(8), documentCount: source.live.count,
                      termCount: source.terms.count, shardCount: keys.count)
    }

    /// The typo vocabularies' files, worked out from an index on their own (see `export`).
    public struct Vocabulary: Sendable {
        let files: (buckets: Int, contents: [(name: String, body: String)])
    }

    /// The typo vocabularies of `index`, for `export`; safe to call on another thread while it runs.
    public static func vocabulary(index: SearchIndex) -> Vocabulary {
        Vocabulary(files: vocabularyFiles(index: index))
    }

    /// The typo vocabularies: every word as written with its term (`SurfaceVocabulary`), in files by a hash of its
    /// first two letters (`v`) and by a hash of its last two (`u`). Returns the number of files of each kind.
    static func vocabularyFiles(index: SearchIndex) -> (buckets: Int, contents: [(name: String, body: String)]) {
        let vocabulary = SurfaceVocabulary(index: index, grouped: false)
        let buckets = max(1, nextPowerOfTwo(vocabulary.words.count / 400))
        var byPrefix: [[JSONValue]] = Array(repeating: [], count: buckets)
        var bySuffix: [[JSONValue]] = Array(repeating: [], count: buckets)
        for word in vocabulary.words {
            let entry: JSONValue = word.surface == word.term ? .string(word.surface)
                : .array([.string(word.surface), .string(word.term)])
            for key in SurfaceVocabulary.keys(word.surface) {
                let letters = String(key.dropFirst())
                if key.hasPrefix("<") {
                    byPrefix[bucket(letters, buckets)].append(entry)
                } else {
                    bySuffix[bucket(letters, buckets)].append(entry)
                }
            }
        }
        var contents: [(name: String, body: String)] = []
        for (kind, lists) in [("v", byPrefix), ("u", bySuffix)] {
            for (number, list) in lists.enumerated() {
                contents.append(("\(kind)\(number)", JSONValue.array(list).rendered(pretty: false)))
            }
        }
        return (buckets, contents)
    }

    /// What the export reads from the index: its live documents, numbered in id order (so that the script breaks
    /// score ties by number as the engine does by id), and every term's postings merged over the segments.
    private struct Source {
        struct Posting {
            var doc: Int
            var tfs: [UInt32]
            var positions: [UInt32]
        }

        let index: SearchIndex
        let live: [(id: String, segment: Int, doc: Int)]
        /// Term → postings in document number order.
        let postings: [String: [Posting]]
        /// Every term, in UTF-8 byte order (the engine's dictionary order).
        let terms: [String]
        let snippetField: Int

        init(index: SearchIndex) {
            self.index = index
            var live: [(id: String, segment: Int, doc: Int)] = []
            for (position, segment) in index.segments.enumerated() {
                for doc in 0..<segment.documentCount where !index.isDeleted(segment: position, doc: doc) {
                    live.append((segment.storedID(doc), position, doc))
                }
            }
            live.sort { $0.id < $1.id }
            var number: [[Int]] = index.segments.map { Array(repeating: -1, count: $0.documentCount) }
            for (n, entry) in live.enumerated() { number[entry.segment][entry.doc] = n }
            var postings: [String: [Posting]] = [:]
            // Terms in the order first met: a single segment gives them in byte order already.
            var order: [String] = []
            var inOrder = true
            for (position, segment) in index.segments.enumerated() {
                let numbers = number[position]
                segment.forEachTerm(from: [2]) { entry in
                    let term = String(decoding: entry.term, as: UTF8.self)
                    var cursor = segment.postings(entry.info)
                    var list = postings.removeValue(forKey: term) ?? []
                    let known = !list.isEmpty
                    var previous = list.last?.doc ?? -1
                    while cursor.next() {
                        let n = numbers[Int(cursor.doc)]
                        guard n >= 0 else { continue }
                        if n < previous { inOrder = false }
                        previous = n
                        let positions = cursor.positions()
                        list.append(Posting(doc: n, tfs: (0..<cursor.fieldCount).map { cursor.tfs[$0] }, positions: positions))
                    }
                    if !list.isEmpty {
                        if !known { order.append(term) }
                        postings[term] = list
                    }
                    return true
                }
            }
            if !inOrder {
                for key in postings.keys { postings[key]!.sort { $0.doc < $1.doc } }
            }
            self.live = live
            self.postings = postings
            if index.segments.count <= 1 {
                self.terms = order
            } else {
                // Compared as UTF-8 bytes, each term's bytes made once.
                self.terms = order.map { (Array($0.utf8), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
            }
            self.snippetField = index.schema.textFieldIndex(index.schema.snippetField) ?? 0
        }

        struct Documents {
            var contents: [(name: String, body: String)] = []
            /// Every document's field lengths, packed.
            var lengths = ""
            /// Keyword field → its values and each document's value numbers.
            var keywords: [(String, JSONValue)] = []
            /// Chunks per document, packed.
            var chunkCounts = ""
        }

        /// Where each document's body starts among its positions (after the fields before it, each with its gap).
        func bodyStarts() -> [Int] {
            live.map { entry in
                let segment = index.segments[entry.segment]
                return (0..<snippetField).reduce(0) { $0 + segment.fieldLength(doc: entry.doc, field: $1) + SegmentWriter.fieldGap }
            }
        }

        /// Each document's body in chunks (chunk k holds the compounds whose first position is in [k·C, (k+1)·C)),
        /// and what the metadata says of every document.
        func documentFiles(page: (String) -> Page?) -> Documents {
            let schema = index.schema
            var result = Documents()
            var lengths = VLQ()
            var chunkCounts = VLQ()
            var analyzers: [Language: Analyzer] = [:]
            var compoundShapes: [Language: CompoundCache<(advance: Int, last: Int)>] = [:]
            var keywordValues: [[String]] = Array(repeating: [], count: schema.keywordFields.count)
            var keywordIndex: [[String: Int]] = Array(repeating: [:], count: schema.keywordFields.count)
            var keywordDocs: [[[Int]]] = Array(repeating: Array(repeating: [], count: live.count),
                                               count: schema.keywordFields.count)
            for (n, entry) in live.enumerated() {
                let segment = index.segments[entry.segment]
                for field in 0..<schema.textFields.count { lengths.add(segment.fieldLength(doc: entry.doc, field: field)) }
                let stored = segment.storedDocument(entry.doc)
                for keyword in stored.keywords where keyword.field < schema.keywordFields.count {
                    let value = SegmentWriter.normalizeKeyword(keyword.value)
                    let id: Int
                    if let known = keywordIndex[keyword.field][value] {
                        id = known
                    } else {
                        id = keywordValues[keyword.field].count
                        keywordValues[keyword.field].append(value)
                        keywordIndex[keyword.field][value] = id
                    }
                    if !keywordDocs[keyword.field][n].contains(id) { keywordDocs[keyword.field][n].append(id) }
                }
                let info = page(stored.id) ?? Page(url: "")
                let body = snippetField < stored.text.count ? stored.text[snippetField] : ""
                let analyzer = analyzers[stored.language] ?? Analyzer(language: stored.language)
                analyzers[stored.language] = analyzer
                var chunkBytes = [0]
                var chunkFirst = [0]
                var lastPosition = -1
                // Taken out while in use, so that adding to it does not copy it.
                var shapes = compoundShapes.removeValue(forKey: stored.language) ?? CompoundCache()
                _ = analyzer.scan(body, firstPosition: 0) { bytes, compound, position in
                    while position >= chunkBytes.count * chunkPositions {
                        chunkBytes.append(compound.start)
                        chunkFirst.append(position)
                    }
                    // How many positions a compound takes, and where its last token falls, do not depend on
                    // where it is: each compound is analysed once.
                    let shape = shapes.value(for: bytes, compound.start..<compound.end) { () -> (advance: Int, last: Int) in
                        var last = -1
                        let next = analyzer.emit(compound, in: bytes, position: 0) { last = max(last, $0.position) }
                        return (next, last)
                    }
                    if shape.last >= 0 { lastPosition = max(lastPosition, position + shape.last) }
                    return position + shape.advance
                }
                compoundShapes[stored.language] = shapes
                let offsets = utf16Offsets(of: chunkBytes, in: body)
                let sections = zip(utf16Offsets(of: stored.sections.map(\.offset), in: body), stored.sections.map(\.anchor))
                    .map { (offset: $0, anchor: $1) }
                // Chunk texts are cut from the UTF-8 bytes (decoding a slice of UTF-16 units took a third of a build).
                let bodyBytes = Array(body.utf8)
                let byteEnds = Array(chunkBytes.dropFirst()) + [bodyBytes.count]
                // Each chunk carries what a result shows of its page, so that a result needs only its chunks: the
                // page's id, address, title and kind, and the sections that can hold a snippet cut from it (the one
                // it starts in, and those starting in it).
                for k in 0..<chunkBytes.count {
                    let start = offsets[k]
                    let end = k + 1 < offsets.count ? max(start, offsets[k + 1]) : Int.max
                    let inForce = sections.last { $0.offset <= start }.map { [$0] } ?? []
                    let inside = sections.filter { $0.offset > start && $0.offset < end }
                    let from = min(chunkBytes[k], bodyBytes.count)
                    let text = String(decoding: bodyBytes[from..<max(from, min(byteEnds[k], bodyBytes.count))], as: UTF8.self)
                    let chunk = JSONValue.object([
                        ("id", .string(stored.id)), ("url", .string(info.url)), ("title", .string(stored.text.first ?? "")),
                        ("type", info.type.map { .string($0) } ?? .null), ("lang", .string(stored.language.rawValue)),
                        ("last", .number(Double(lastPosition))),
                        ("at", .array([.number(Double(start)), .number(Double(chunkFirst[k]))])),
                        ("sections", .array((inForce + inside).map { .array([.number(Double($0.offset)), .string($0.anchor)]) })),
                        ("text", .string(text)),
                    ])
                    result.contents.append(("c\(n)_\(k)", chunk.rendered(pretty: false)))
                }
                chunkCounts.add(chunkBytes.count)
            }
            for (field, name) in schema.keywordFields.enumerated() where !keywordValues[field].isEmpty {
                var docs = VLQ()
                for values in keywordDocs[field] {
                    docs.add(values.count)
                    for value in values { docs.add(value) }
                }
                result.keywords.append((name, .object([
                    ("values", .array(keywordValues[field].map { .string($0) })), ("docs", .string(docs.text)),
                ])))
            }
            result.lengths = lengths.text
            result.chunkCounts = chunkCounts.text
            return result
        }

        /// The postings (`s`) and positions (`p`) files: terms in a prefix trie, split by the next character
        /// wherever a node's postings pass `limit` characters (six characters deep at most). Returns each
        /// shard's prefix.
        func shardFiles(bodyStarts: [Int], limit: Int) -> (keys: [String], contents: [(name: String, body: String)]) {
            let fieldCount = index.schema.textFields.count
            var encoded: [String: (postings: String, positions: String)] = [:]
            for term in terms {
                var main = VLQ()
                var where_ = VLQ()
                let list = postings[term]!
                main.add(list.count)
                var previous = -1
                for posting in list {
                    main.add(posting.doc - previous - 1)
                    previous = posting.doc
                    var mask = 0
                    for field in 0..<fieldCount where posting.tfs[field] > 0 { mask |= 1 << field }
                    main.add(mask)
                    for field in 0..<fieldCount where posting.tfs[field] > 0 { main.add(Int(posting.tfs[field]) - 1) }
                    // Where in the body the term first occurs (what a snippet is cut around).
                    if posting.tfs[snippetField] > 0 {
                        let start = bodyStarts[posting.doc]
                        main.add(Int(posting.positions.first { Int($0) >= start } ?? UInt32(start)) - start)
                    }
                    var last = -1
                    for position in posting.positions {
                        where_.add(Int(position) - last - 1)
                        last = Int(position)
                    }
                }
                encoded[term] = (main.text, where_.text)
            }
            // Consecutive terms (in byte order) fill a shard up to `limit` characters.
            var shardTerms: [[String]] = [[]]
            var size = 0
            for term in terms {
                let cost = term.utf8.count + encoded[term]!.postings.utf8.count + 4
                if !shardTerms[shardTerms.count - 1].isEmpty && size + cost > limit {
                    shardTerms.append([])
                    size = 0
                }
                shardTerms[shardTerms.count - 1].append(term)
                size += cost
            }
            // A shard's key: the shortest beginning of its first term that comes after the previous shard's last.
            let keys = shardTerms.indices.map { shard in
                shard == 0 ? "" : BrowserExport.shortestKey(after: shardTerms[shard - 1].last!, upTo: shardTerms[shard][0])
            }
            var contents: [(name: String, body: String)] = []
            for (shard, members) in shardTerms.enumerated() {
                contents.append(("s\(shard)", JSONValue.object(members.map { ($0, .string(encoded[$0]!.postings)) })
                    .rendered(pretty: false)))
                contents.append(("p\(shard)", JSONValue.object(members.map { ($0, .string(encoded[$0]!.positions)) })
                    .rendered(pretty: false)))
            }
            return (keys, contents)
        }
    }

    /// The shortest beginning of `term` (whole Unicode scalars) that comes after `previous` in UTF-8 byte order;
    /// `previous` must come before `term`.
    static func shortestKey(after previous: String, upTo term: String) -> String {
        var key = ""
        for scalar in term.unicodeScalars {
            key.unicodeScalars.append(scalar)
            if previous.utf8.lexicographicallyPrecedes(key.utf8) { return key }
        }
        return term
    }

    /// The bucket of a typo-vocabulary key: FNV-1a over its UTF-16 code units (the script computes the same).
    static func bucket(_ key: String, _ count: Int) -> Int {
        var hash: UInt32 = 2_166_136_261
        for unit in key.utf16 {
            hash ^= UInt32(unit)
            hash = hash &* 16_777_619
        }
        return Int(hash % UInt32(count))
    }

    private static func nextPowerOfTwo(_ value: Int) -> Int {
        var result = 1
        while result < value { result *= 2 }
        return result
    }

    /// The UTF-16 offsets of UTF-8 byte offsets in `text` (which must be in ascending order: one pass over the
    /// text): the script's strings count UTF-16 units.
    static func utf16Offsets(of byteOffsets: [Int], in text: String) -> [Int] {
        var result: [Int] = []
        result.reserveCapacity(byteOffsets.count)
        var bytes = 0
        var units = 0
        var scalars = text.unicodeScalars.makeIterator()
        for offset in byteOffsets {
            while bytes < offset, let scalar = scalars.next() {
                bytes += UTF8.width(scalar)
                units += UTF16.width(scalar)
            }
            result.append(units)
        }
        return result
    }
}

/// Unsigned integers as characters, five bits each, low bits first; a character from the upper half of the
/// alphabet means more follow. The alphabet is base64url, safe in a JavaScript string without escapes.
struct VLQ {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private(set) var bytes: [UInt8] = []

    mutating func add(_ value: Int) {
        var rest = max(value, 0)
        while rest >= 32 {
            bytes.append(Self.alphabet[32 + (rest & 31)])
            rest >>= 5
        }
        bytes.append(Self.alphabet[rest])
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

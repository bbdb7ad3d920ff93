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
        /// Postings of a shard are split by a longer prefix once they pass this many characters.
        public var shardCharacters = 12_000
        /// Display names of keyword values (field → value → label), for the facets.
        public var labels: [String: [String: String]] = [:]

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
    public static let formatVersion = 1
    /// The metadata's file: the one name that does not change (pages name it; it names the rest).
    public static let metaFile = "meta.js"
    /// Files of a kind share a content hash in their names by groups of this many (`s0`…`s15`, `s16`…).
    static let groupSize = 16

    /// Words a chunk of a document's body holds (the files a snippet is cut from).
    static let chunkPositions = 1000

    /// The group of a file: its kind (`s`, `p`, `v`, `u`, `d`, `c`) and its number (a chunk's: its document's) by 16.
    static func groupKey(_ name: String) -> String {
        let kind = name.prefix { !$0.isNumber }
        let number = Int(name.dropFirst(kind.count).prefix { $0.isNumber }) ?? 0
        return kind + String(number / groupSize)
    }

    /// First characters that key the typo vocabularies.
    static let vocabularyKey = 2

    /// Exports every live document of `index`. `page` gives each document's URL (documents without one are left
    /// out, as is everything the site's audience may not see: the index given must hold only what it may).
    public static func export(index: SearchIndex, options: Options, page: (String) -> Page?) -> Output {
        let schema = index.schema
        let fieldCount = schema.textFields.count
        // Documents, numbered in id order so that the script breaks score ties by number as the engine does by id.
        var live: [(id: String, segment: Int, doc: Int)] = []
        for (position, segment) in index.segments.enumerated() {
            for doc in 0..<segment.documentCount where !index.isDeleted(segment: position, doc: doc) {
                live.append((segment.storedID(doc), position, doc))
            }
        }
        live.sort { $0.id < $1.id }
        var number: [[Int]] = index.segments.map { Array(repeating: -1, count: $0.documentCount) }
        for (n, entry) in live.enumerated() { number[entry.segment][entry.doc] = n }

        // Postings merged over segments: term → [(number, tfs, positions)], in number order.
        struct Posting {
            var doc: Int
            var tfs: [UInt32]
            var positions: [UInt32]
        }
        var postings: [String: [Posting]] = [:]
        for (position, segment) in index.segments.enumerated() {
            segment.forEachTerm(from: [2]) { entry in
                let term = String(decoding: entry.term, as: UTF8.self)
                var cursor = segment.postings(entry.info)
                var list = postings[term] ?? []
                while cursor.next() {
                    let n = number[position][Int(cursor.doc)]
                    let positions = cursor.positions()
                    guard n >= 0 else { continue }
                    list.append(Posting(doc: n, tfs: cursor.tfs, positions: positions))
                }
                if !list.isEmpty { postings[term] = list }
                return true
            }
        }
        for key in postings.keys { postings[key]!.sort { $0.doc < $1.doc } }
        let terms = postings.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }

        // Field lengths and keyword values per document; the first spelling of every term (for "showing results
        // for …"), read in the order the engine's own lookup reads.
        var lengths = VLQ()
        var analyzers: [Language: Analyzer] = [:]
        var keywordValues: [[String]] = Array(repeating: [], count: schema.keywordFields.count)
        var keywordIndex: [[String: Int]] = Array(repeating: [:], count: schema.keywordFields.count)
        var keywordDocs: [[[Int]]] = Array(repeating: Array(repeating: [], count: live.count),
                                           count: schema.keywordFields.count)
        var documents: [(name: String, json: String)] = []
        var chunkCounts = VLQ()
        var bodyStarts: [Int] = []
        let snippetField = schema.textFieldIndex(schema.snippetField) ?? 0
        for (n, entry) in live.enumerated() {
            let segment = index.segments[entry.segment]
            for field in 0..<fieldCount { lengths.add(segment.fieldLength(doc: entry.doc, field: field)) }
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
            bodyStarts.append((0..<snippetField).reduce(0) {
                $0 + segment.fieldLength(doc: entry.doc, field: $1) + SegmentWriter.fieldGap
            })
            // The body in chunks: chunk k holds the compounds whose first position is in [k·C, (k+1)·C).
            let analyzer = analyzers[stored.language] ?? Analyzer(language: stored.language)
            analyzers[stored.language] = analyzer
            var chunkBytes = [0]
            var chunkFirst = [0]
            var lastPosition = -1
            _ = analyzer.scan(body, firstPosition: 0) { bytes, compound, position in
                while position >= chunkBytes.count * chunkPositions {
                    chunkBytes.append(compound.start)
                    chunkFirst.append(position)
                }
                return analyzer.emit(compound, in: bytes, position: position) { lastPosition = max(lastPosition, $0.position) }
            }
            let offsets = utf16Offsets(of: chunkBytes, in: body)
            let sectionOffsets = utf16Offsets(of: stored.sections.map(\.offset), in: body)
            let utf16 = Array(body.utf16)
            var chunkEnds = Array(offsets.dropFirst()) + [utf16.count]
            chunkEnds = chunkEnds.map { min($0, utf16.count) }
            for k in 0..<chunkBytes.count {
                let text = String(decoding: utf16[offsets[k]..<max(offsets[k], chunkEnds[k])], as: UTF16.self)
                documents.append(("c\(n)_\(k)", JSONValue.string(text).rendered(pretty: false)))
            }
            chunkCounts.add(chunkBytes.count)
            let json = JSONValue.object([
                ("id", .string(stored.id)), ("url", .string(info.url)), ("title", .string(stored.text.first ?? "")),
                ("type", info.type.map { .string($0) } ?? .null), ("lang", .string(stored.language.rawValue)),
                ("last", .number(Double(lastPosition))),
                ("chunks", .array(zip(offsets, chunkFirst).map {
                    .array([.number(Double($0)), .number(Double($1))])
                })),
                ("sections", .array(zip(sectionOffsets, stored.sections).map {
                    .array([.number(Double($0)), .string($1.anchor)])
                })),
            ])
            documents.append(("d\(n)", json.rendered(pretty: false)))
        }

        // Shards: a prefix trie, split where a node's postings grow past the limit.
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
        var keys: [String] = []
        var shardTerms: [[String]] = []
        func split(_ group: [String], key: [Character]) {
            let size = group.reduce(0) { $0 + $1.utf8.count + encoded[$1]!.postings.utf8.count + 4 }
            if size <= options.shardCharacters || key.count >= 6 || group.count <= 1 {
                keys.append(String(key))
                shardTerms.append(group)
                return
            }
            var own: [String] = []
            var children: [(Character, [String])] = []
            for term in group {
                let characters = Array(term)
                guard characters.count > key.count else {
                    own.append(term)
                    continue
                }
                let next = characters[key.count]
                if let last = children.last, last.0 == next {
                    children[children.count - 1].1.append(term)
                } else {
                    children.append((next, [term]))
                }
            }
            if !own.isEmpty || key.isEmpty {
                keys.append(String(key))
                shardTerms.append(own)
            }
            for (character, members) in children { split(members, key: key + [character]) }
        }
        split(terms, key: [])

        var files: [(path: String, bytes: [UInt8])] = []
        var contents: [(name: String, body: String)] = []
        for (shard, members) in shardTerms.enumerated() {
            let main = JSONValue.object(members.map { ($0, .string(encoded[$0]!.postings)) })
            contents.append(("s\(shard)", main.rendered(pretty: false)))
            let where_ = JSONValue.object(members.map { ($0, .string(encoded[$0]!.positions)) })
            contents.append(("p\(shard)", where_.rendered(pretty: false)))
        }

        // Typo vocabularies: every word as written with its term (`SurfaceVocabulary`), in files by a hash of its
        // first two letters and by a hash of its last two.
        let vocabulary = SurfaceVocabulary(index: index)
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
        for (kind, lists) in [("v", byPrefix), ("u", bySuffix)] {
            for (number, list) in lists.enumerated() {
                contents.append(("\(kind)\(number)", JSONValue.array(list).rendered(pretty: false)))
            }
        }
        contents += documents.map { ($0.name, $0.json) }

        // Metadata.
        let stopAnalyzer = Analyzer(language: options.languages.first ?? .english)
        let stops = StopWords.words(for: stopAnalyzer.language).map { stopAnalyzer.term(for: Substring($0)) }
        var keywordEntries: [(String, JSONValue)] = []
        for (field, name) in schema.keywordFields.enumerated() where !keywordValues[field].isEmpty {
            var docs = VLQ()
            for values in keywordDocs[field] {
                docs.add(values.count)
                for value in values { docs.add(value) }
            }
            keywordEntries.append((name, .object([
                ("values", .array(keywordValues[field].map { .string($0) })), ("docs", .string(docs.text)),
            ])))
        }
        let labels = options.labels.sorted { $0.key < $1.key }.map { field, values in
            (field, JSONValue.object(values.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        }
        // Names carry a hash of their content, shared by a group of `groupSize` files of a kind (one hash a file
        // would make the metadata grow with every file): a group changes name only when one of its files changes.
        var groups: [String: FNV] = [:]
        for content in contents {
            let key = Self.groupKey(content.name)
            var hasher = groups[key] ?? FNV()
            hasher.add(content.name)
            hasher.add(content.body)
            groups[key] = hasher
        }
        var hashes: [(String, JSONValue)] = []
        for kind in ["s", "p", "v", "u", "d", "c"] {
            var text = ""
            var group = 0
            while let hasher = groups[kind + String(group)] {
                text += hasher.base64(4)
                group += 1
            }
            hashes.append((kind, .string(text)))
        }
        func fileName(_ name: String) -> String {
            "\(name).\(groups[Self.groupKey(name)]!.base64(4)).js"
        }
        let meta = JSONValue.object([
            ("format", .number(Double(formatVersion))),
            ("languages", .array(options.languages.map { .string($0.rawValue) })),
            ("stop", .array(stops.sorted().map { .string($0) })),
            ("k1", .number(1.2)), ("b", .number(0.75)),
            ("fields", .array(schema.textFields.map { .string($0.name) })),
            ("weights", .array(schema.textFields.map { .number($0.weight) })),
            ("gap", .number(Double(SegmentWriter.fieldGap))),
            ("n", .number(Double(live.count))), ("avg", .array(index.averageFieldLengths.map { .number($0) })),
            ("lengths", .string(lengths.text)),
            ("keywords", .object(keywordEntries)), ("keywordFields", .array(schema.keywordFields.map { .string($0) })),
            ("textFields", .array(schema.textFields.map { .string($0.name) })),
            ("labels", .object(labels)),
            ("shards", .array(keys.map { .string($0) })), ("buckets", .number(Double(buckets))),
            ("group", .number(Double(groupSize))), ("hashes", .object(hashes)),
            ("chunk", .number(Double(chunkPositions))), ("chunks", .string(chunkCounts.text)),
        ])
        var version = FNV()
        for hasher in groups.values.map({ $0.base64(4) }).sorted() { version.add(hasher) }
        let metaText = meta.rendered(pretty: false)
        version.add(metaText)
        for content in contents + [("meta", metaText)] {
            let script = "(globalThis.batonSearchData=globalThis.batonSearchData||[]).push([\"\(content.name)\","
                + content.body + "]);\n"
            files.append((content.name == "meta" ? metaFile : fileName(content.name), Array(script.utf8)))
        }
        let versionText = version.base64(8)
        return Output(files: files, metaPath: metaFile, version: versionText, documentCount: live.count,
                      termCount: terms.count, shardCount: keys.count)
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

/// 64-bit FNV-1a, for version names.
struct FNV {
    private var hash: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        hash ^= 0xFF
        hash = hash &* 0x100_0000_01b3
    }

    /// The hash's low bits as `count` base64url characters (six bits each).
    func base64(_ count: Int) -> String {
        var text = ""
        var rest = hash
        for _ in 0..<count {
            text.unicodeScalars.append(Unicode.Scalar(VLQ.alphabet[Int(rest & 63)]))
            rest >>= 6
        }
        return text
    }
}

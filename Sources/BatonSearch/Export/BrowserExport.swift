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
        /// What made the export besides this format (an executable's identity): a `State` another made is not
        /// used (it may have cut the same documents otherwise).
        public var producer = ""
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
        /// What `update` needs to make the next export after an edit (when asked for).
        public var state: State?
        /// Files of the earlier export that stay as they are, under the same names (`update` keeps them without
        /// reading them); they are not in `files`.
        public var kept: [String] = []
    }

    /// Format of the exported data; the script refuses another.
    public static let formatVersion = 2
    /// The metadata's file: the one name that does not change (pages name it; it names the rest).
    public static let metaFile = "meta.js"
    /// Files of a kind share a content hash in their names by groups of this many (`s0`…`s15`, `s16`…).
    static let groupSize = 16

    /// Words a chunk of a document's body holds (the files a snippet is cut from).
    public static let chunkPositions = 1000

    /// A file's script: it registers the file's data under its name.
    static func script(name: String, body: String) -> [UInt8] {
        // Written into one buffer of the right size (the bodies are 33 MB on the large tier).
        var out: [UInt8] = []
        out.reserveCapacity(scriptOpening.count + name.utf8.count + body.utf8.count + 8)
        out.append(contentsOf: scriptOpening)
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: "\",".utf8)
        var body = body
        body.withUTF8 { out.append(contentsOf: $0) }
        out.append(contentsOf: "]);\n".utf8)
        return out
    }

    static let scriptOpening = Array("(globalThis.batonSearchData=globalThis.batonSearchData||[]).push([\"".utf8)

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
    ///
    /// `chunks`: where the bodies are cut, as the index's writer recorded (`IndexWriter.recordsChunks` set to
    /// `chunkPositions`); a body it does not give is analysed again to find them.
    ///
    /// `previous`: what an earlier export into the same place named its files; a file whose bytes are the same
    /// keeps its name (see `Naming`).
    ///
    /// `hashes`: each document's `documentHash`, by id; given with `recorded` (the words the index's writer
    /// recorded, `IndexWriter.recordedSurfaces`) and `chunks`, the output carries the export's `State`, for
    /// `update` to start from.
    public static func export(index: SearchIndex, options: Options, page: (String) -> Page?,
                              vocabulary: (() -> Vocabulary)? = nil, chunks: [BodyChunks]? = nil,
                              previous: Previous? = nil, hashes: [String: UInt64]? = nil,
                              recorded: [SurfaceVocabulary.Written]? = nil) -> Output {
        let step = options.stepDone ?? { _ in }
        let source = Source(index: index)
        step("export: read the index")
        // The documents are cut into chunks while the shards are encoded, on two threads (neither needs the other).
        nonisolated(unsafe) var documents: [DocumentPart] = []
        nonisolated(unsafe) var terms: [State.Term] = []
        nonisolated(unsafe) var shards: (keys: [String], contents: [(name: String, body: String?)]) = ([], [])
        var cuts: [String: BodyChunks] = [:]
        for cut in chunks ?? [] { cuts[cut.id] = cut }
        nonisolated(unsafe) let shared = (source, page, cuts)
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            if part == 0 {
                documents = shared.0.documentParts(page: shared.1, cuts: shared.2)
            } else {
                terms = shared.0.encodedTerms(bodyStarts: shared.0.bodyStarts())
                shards = shardFiles(terms, limit: options.shardCharacters)
            }
        }
        step("export: documents, chunks and shards")
        let vocabularyMade = (vocabulary ?? { Self.vocabulary(index: index) })()
        let vocabularyFiles = vocabularyMade.files
        step("export: wait for the vocabularies")
        // The state, when asked for: every document's spellings are the recorded words it met first.
        var state: State?
        if let hashes, let recorded, let chunks, chunks.count == documents.count {
            var numbers: [String: Int] = [:]
            for (number, entry) in source.live.enumerated() { numbers[entry.id] = number }
            var spellings: [[SurfaceVocabulary.Written]] = Array(repeating: [], count: documents.count)
            // The spellings the vocabulary kept (each first meeting of its bytes), with their folded forms.
            let surfaces = vocabularyMade.surfaces
            var complete = surfaces.count == vocabularyMade.firsts.count && (recorded.isEmpty || !surfaces.isEmpty)
            for (kept, first) in vocabularyMade.firsts.enumerated() where complete {
                guard Int(first) < recorded.count else {
                    complete = false
                    break
                }
                var entry = recorded[Int(first)]
                guard Int(entry.document) < chunks.count, let number = numbers[chunks[Int(entry.document)].id] else {
                    complete = false
                    break
                }
                entry.surface = surfaces[kept]
                spellings[number].append(entry)
            }
            let states = documents.enumerated().map { number, part -> State.Document? in
                guard let hash = hashes[part.state.id] else { return nil }
                var document = part.state
                document.hash = hash
                document.spellings = spellings[number]
                return document
            }
            if complete, !states.contains(where: { $0 == nil }) {
                state = State(settings: settingsHash(options: options, schema: index.schema), meta: 0,
                              buckets: vocabularyFiles.buckets, documents: states.map { $0! }, terms: terms)
            }
        }
        return assemble(documents: documents.map(\.state), chunks: documents.flatMap(\.chunks).map { ($0.name, $0.body) },
                        shards: shards, termCount: terms.count,
                        vocabulary: (vocabularyFiles.buckets, vocabularyFiles.contents.map { ($0.name, $0.body) }),
                        schema: index.schema, options: options, previous: previous, state: state)!
    }

    /// The files of an export from its parts: the shards, the vocabularies, the documents' chunks, the folding
    /// tables, and the metadata that names them all.
    ///
    /// A chunk or vocabulary file without a body is the earlier export's file of that name (`previous` knows it),
    /// kept as it is: it stays where it is (`Output.kept`) unless its group is named afresh, when `keptBody`
    /// gives its body to write it under its new name. Nil when a kept file's body cannot be had.
    static func assemble(documents: [State.Document], chunks: [(name: String, body: String?)],
                         shards: (keys: [String], contents: [(name: String, body: String?)]), termCount: Int,
                         vocabulary: (buckets: Int, contents: [(name: String, body: String?)]), schema: Schema,
                         options: Options, previous: Previous?, state: State?,
                         keptBody: (String) -> String? = { _ in nil }) -> Output? {
        let step = options.stepDone ?? { _ in }
        let (buckets, vocabularies) = vocabulary
        let keys = shards.keys
        // The folding tables, for the script to fold as the engine does (loaded only for a non-ASCII word).
        let unicode: (name: String, body: String) = ("unicode0", JSONValue.object([
            ("lower", .string(UnicodeTables.lowerSource)), ("fold", .string(UnicodeTables.foldSource)),
            ("compose", .string(UnicodeTables.composeSource)), ("marks", .string(UnicodeTables.marksSource)),
        ]).rendered(pretty: false))
        let contents: [(name: String, body: String?)] = shards.contents + vocabularies + chunks
            + [(unicode.name, unicode.body)]

        // Every file's script, then its name (`Naming`): the metadata lists the names, so it comes last.
        let scripts = contents.map { content in content.body.map { script(name: content.name, body: $0) } }
        var bodies: [Int: String] = [:]  // kept files' bodies, read when needed
        var missing = false
        func body(_ number: Int) -> String {
            if let made = contents[number].body { return made }
            if let read = bodies[number] { return read }
            guard let read = keptBody(contents[number].name) else {
                missing = true
                return ""
            }
            bodies[number] = read
            return read
        }
        let naming = Naming(names: contents.map(\.name), scripts: scripts, previous: previous, body: body)
        var hashes: [(String, JSONValue)] = []
        for kind in ["s", "p", "v", "u", "c", "unicode"] {
            var text = ""
            var group = 0
            while let tag = naming.groupTags[kind + String(group)] {
                text += tag
                group += 1
            }
            hashes.append((kind, .string(text)))
        }

        // What the metadata says of every document: its field lengths, keyword values and chunk count.
        var lengths = VLQ()
        var chunkCounts = VLQ()
        var totals = [Int](repeating: 0, count: schema.textFields.count)
        var keywordValues: [[String]] = Array(repeating: [], count: schema.keywordFields.count)
        var keywordIndex: [[String: Int]] = Array(repeating: [:], count: schema.keywordFields.count)
        var keywordDocs: [VLQ] = Array(repeating: VLQ(), count: schema.keywordFields.count)
        for document in documents {
            for (field, length) in document.lengths.enumerated() {
                lengths.add(length)
                if field < totals.count { totals[field] += length }
            }
            chunkCounts.add(document.chunkCount)
            for field in 0..<schema.keywordFields.count {
                let values = field < document.keywords.count ? document.keywords[field] : []
                keywordDocs[field].add(values.count)
                for value in values {
                    let id: Int
                    if let known = keywordIndex[field][value] {
                        id = known
                    } else {
                        id = keywordValues[field].count
                        keywordValues[field].append(value)
                        keywordIndex[field][value] = id
                    }
                    keywordDocs[field].add(id)
                }
            }
        }
        let keywords = schema.keywordFields.enumerated().filter { !keywordValues[$0.offset].isEmpty }.map { field, name in
            (name, JSONValue.object([
                ("values", .array(keywordValues[field].map { .string($0) })), ("docs", .string(keywordDocs[field].text)),
            ]))
        }
        let count = documents.count
        let averages = totals.map { count > 0 ? max(Double($0) / Double(count), 1e-9) : 1 }

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
            ("n", .number(Double(count))), ("avg", .array(averages.map { .number($0) })),
            ("lengths", .string(lengths.text)),
            ("keywords", .object(keywords)),
            ("keywordFields", .array(schema.keywordFields.map { .string($0) })),
            ("textFields", .array(schema.textFields.map { .string($0.name) })),
            ("labels", .object(labels)),
            ("shards", .array(keys.map { .string($0) })), ("buckets", .number(Double(buckets))),
            ("group", .number(Double(groupSize))), ("hashes", .object(hashes)),
            ("chunk", .number(Double(chunkPositions))), ("chunks", .string(chunkCounts.text)),
        ] + (naming.exceptions.isEmpty ? [] : [
            ("except", .object(naming.exceptions.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })),
        ])).rendered(pretty: false)

        step("export: names and metadata")
        var version = StableHash()
        for tag in naming.groupTags.values.sorted() { version.add(tag) }
        version.add(meta)
        var files: [(path: String, bytes: [UInt8])] = []
        var kept: [String] = []
        files.reserveCapacity(contents.count + 1)
        for (number, content) in contents.enumerated() {
            let path = "\(content.name).\(naming.tags[number]).js"
            if let bytes = scripts[number] {
                files.append((path, bytes))
            } else if previous?.files[content.name] == path {
                kept.append(path)
            } else {
                files.append((path, script(name: content.name, body: body(number))))
            }
        }
        guard !missing else { return nil }
        let metaScript = script(name: "meta", body: meta)
        files.append((metaFile, metaScript))
        var state = state
        if state != nil {
            var hash = StableHash()
            hash.add(bytes: metaScript)
            state!.meta = hash.value
        }
        step("export: scripts")
        return Output(files: files, metaPath: metaFile, version: version.base64(8), documentCount: count,
                      termCount: termCount, shardCount: keys.count, state: state, kept: kept)
    }

    /// The typo vocabularies' files, worked out from an index on their own (see `export`).
    public struct Vocabulary: Sendable {
        let files: (buckets: Int, contents: [(name: String, body: String)])
        /// Every spelling's folded form, in the order first met (when made from recorded words), and the number
        /// of the recorded entry that met it first.
        var surfaces: [String] = []
        var firsts: [Int32] = []
    }

    /// The typo vocabularies of `index`, for `export`; safe to call on another thread while it runs.
    public static func vocabulary(index: SearchIndex) -> Vocabulary {
        Vocabulary(files: vocabularyFiles(SurfaceVocabulary(index: index, grouped: false)))
    }

    /// The same, from the words the index's writer recorded as it built it (`IndexWriter.recordedSurfaces`):
    /// nothing is analysed again.
    public static func vocabulary(recorded: [SurfaceVocabulary.Written]) -> Vocabulary {
        let vocabulary = SurfaceVocabulary(recorded: recorded)
        return Vocabulary(files: vocabularyFiles(vocabulary), surfaces: vocabulary.surfaces, firsts: vocabulary.firsts)
    }

    /// The typo vocabularies: every word as written with its term (`SurfaceVocabulary`), in files by a hash of its
    /// first two letters (`v`) and by a hash of its last two (`u`). Returns the number of files of each kind.
    static func vocabularyFiles(_ vocabulary: SurfaceVocabulary) -> (buckets: Int, contents: [(name: String, body: String)]) {
        let files = vocabularyFiles(vocabulary, only: nil)
        return (files.buckets, files.contents.map { ($0.name, $0.body!) })
    }

    /// The same; with `only` (the words whose place or term may have changed) and the number of files of each
    /// kind an earlier export had, only the files those words are in are made (the others have no body: they
    /// are the earlier export's), unless the number of files changes.
    static func vocabularyFiles(_ vocabulary: SurfaceVocabulary, only: (words: Set<String>, buckets: Int)?)
        -> (buckets: Int, contents: [(name: String, body: String?)])
    {
        let buckets = max(1, nextPowerOfTwo(vocabulary.words.count / 400))
        var dirty: (prefix: Set<Int>, suffix: Set<Int>)?
        if let only, only.buckets == buckets {
            dirty = ([], [])
            for word in only.words {
                guard let (prefix, suffix) = vocabularyBuckets(word, buckets) else { continue }
                dirty!.prefix.insert(prefix)
                dirty!.suffix.insert(suffix)
            }
        }
        var byPrefix: [[JSONValue]] = Array(repeating: [], count: buckets)
        var bySuffix: [[JSONValue]] = Array(repeating: [], count: buckets)
        for word in vocabulary.words {
            let entry: JSONValue = word.surface == word.term ? .string(word.surface)
                : .array([.string(word.surface), .string(word.term)])
            guard let (prefix, suffix) = vocabularyBuckets(word.surface, buckets) else { continue }
            if dirty?.prefix.contains(prefix) != false { byPrefix[prefix].append(entry) }
            if dirty?.suffix.contains(suffix) != false { bySuffix[suffix].append(entry) }
        }
        var contents: [(name: String, body: String?)] = []
        for (kind, lists, made) in [("v", byPrefix, dirty?.prefix), ("u", bySuffix, dirty?.suffix)] {
            for (number, list) in lists.enumerated() {
                let body = made?.contains(number) == false ? nil : JSONValue.array(list).rendered(pretty: false)
                contents.append(("\(kind)\(number)", body))
            }
        }
        return (buckets, contents)
    }

    /// What the export reads from the index: its live documents, numbered in id order (so that the script breaks
    /// score ties by number as the engine does by id), and every term's postings merged over the segments.
    struct Source {
        struct Posting {
            var doc: Int
            var tfs: [UInt32]
            var positions: [UInt32]
        }

        let index: SearchIndex
        let live: [(id: String, segment: Int, doc: Int)]
        /// Segment → its documents' numbers (-1: deleted).
        let numbers: [[Int]]
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
            var numbers: [[Int]] = index.segments.map { Array(repeating: -1, count: $0.documentCount) }
            for (n, entry) in live.enumerated() { numbers[entry.segment][entry.doc] = n }
            self.live = live
            self.numbers = numbers
            self.snippetField = index.schema.textFieldIndex(index.schema.snippetField) ?? 0
        }

        /// One term's postings and positions as the script reads them (`Export/BROWSER.md`, Numbers), encoded as
        /// they are given, in document number order.
        struct PostingEncoder {
            let fieldCount: Int
            let snippetField: Int
            let bodyStarts: [Int]
            private var documents = VLQ()
            private var positions = VLQ()
            private var count = 0
            private var previous = -1

            init(fieldCount: Int, snippetField: Int, bodyStarts: [Int]) {
                self.fieldCount = fieldCount
                self.snippetField = snippetField
                self.bodyStarts = bodyStarts
            }

            mutating func add(doc: Int, tfs: [UInt32], positions list: [UInt32]) {
                count += 1
                Self.encode(doc: doc, after: previous, tfs: tfs, positions: list, bodyStart: bodyStarts[doc],
                            fieldCount: fieldCount, snippetField: snippetField, into: &documents, positions: &positions)
                previous = doc
            }

            /// One document's postings of a term after document `previous`'s, encoded into `documents` and
            /// `positions` as `add` does (`bodyStart`: where the document's body starts among its positions).
            static func encode(doc: Int, after previous: Int, tfs: [UInt32], positions list: [UInt32], bodyStart start: Int,
                               fieldCount: Int, snippetField: Int, into documents: inout VLQ, positions: inout VLQ) {
                documents.add(doc - previous - 1)
                var mask = 0
                for field in 0..<fieldCount where tfs[field] > 0 { mask |= 1 << field }
                documents.add(mask)
                for field in 0..<fieldCount where tfs[field] > 0 { documents.add(Int(tfs[field]) - 1) }
                if tfs[snippetField] > 0 {
                    documents.add(Int(list.first { Int($0) >= start } ?? UInt32(start)) - start)
                }
                var last = -1
                for position in list {
                    positions.add(Int(position) - last - 1)
                    last = Int(position)
                }
            }

            /// The term's two strings, and the encoder emptied for the next term.
            mutating func finish() -> (postings: String, positions: String)? {
                defer { self = PostingEncoder(fieldCount: fieldCount, snippetField: snippetField, bodyStarts: bodyStarts) }
                guard count > 0 else { return nil }
                var head = VLQ()
                head.add(count)
                return (head.text + documents.text, positions.text)
            }
        }

        /// Every term (in UTF-8 byte order, the engine's dictionary order) with its encoded postings and positions.
        /// A single segment whose documents are numbered in its own order (what a build makes) is encoded as it is
        /// read, term by term; otherwise every term's postings are gathered from the segments and sorted first.
        func encodedTerms(bodyStarts: [Int]) -> [State.Term] {
            let fieldCount = index.schema.textFields.count
            var encoder = PostingEncoder(fieldCount: fieldCount, snippetField: snippetField, bodyStarts: bodyStarts)
            var result: [State.Term] = []
            var tfs = [UInt32](repeating: 0, count: fieldCount)
            var positions: [UInt32] = []
            if index.segments.count == 1, Self.increasing(numbers[0]) {
                let segment = index.segments[0]
                let numbers = self.numbers[0]
                segment.forEachTerm(from: [2]) { entry in
                    var cursor = segment.postings(entry.info)
                    while cursor.next() {
                        let n = numbers[Int(cursor.doc)]
                        guard n >= 0 else { continue }
                        for field in 0..<fieldCount { tfs[field] = field < cursor.fieldCount ? cursor.tfs[field] : 0 }
                        cursor.positions(into: &positions)
                        encoder.add(doc: n, tfs: tfs, positions: positions)
                    }
                    if let encoded = encoder.finish() {
                        result.append(State.Term(term: String(decoding: entry.term, as: UTF8.self), postings: encoded.postings, positions: encoded.positions))
                    }
                    return true
                }
                return result
            }
            var postings: [String: [Posting]] = [:]
            for (position, segment) in index.segments.enumerated() {
                let numbers = self.numbers[position]
                segment.forEachTerm(from: [2]) { entry in
                    var cursor = segment.postings(entry.info)
                    var list: [Posting] = []
                    while cursor.next() {
                        let n = numbers[Int(cursor.doc)]
                        guard n >= 0 else { continue }
                        list.append(Posting(doc: n, tfs: (0..<fieldCount).map { $0 < cursor.fieldCount ? cursor.tfs[$0] : 0 },
                                            positions: cursor.positions()))
                    }
                    if !list.isEmpty { postings[String(decoding: entry.term, as: UTF8.self), default: []].append(contentsOf: list) }
                    return true
                }
            }
            // Compared as UTF-8 bytes, each term's bytes made once.
            let terms = postings.keys.map { (Array($0.utf8), $0) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }.map(\.1)
            for term in terms {
                for posting in postings[term]!.sorted(by: { $0.doc < $1.doc }) {
                    encoder.add(doc: posting.doc, tfs: posting.tfs, positions: posting.positions)
                }
                if let encoded = encoder.finish() { result.append(State.Term(term: term, postings: encoded.postings, positions: encoded.positions)) }
            }
            return result
        }

        private static func increasing(_ numbers: [Int]) -> Bool {
            var previous = -1
            for n in numbers where n >= 0 {
                if n < previous { return false }
                previous = n
            }
            return true
        }

        /// Where each document's body starts among its positions (after the fields before it, each with its gap).
        func bodyStarts() -> [Int] {
            live.map { entry in
                let segment = index.segments[entry.segment]
                return (0..<snippetField).reduce(0) { $0 + segment.fieldLength(doc: entry.doc, field: $1) + SegmentWriter.fieldGap }
            }
        }

        /// Every document's part of the export (`documentPart`), with its body's cuts as recorded, or found by
        /// analysing it again.
        func documentParts(page: (String) -> Page?, cuts: [String: BodyChunks]) -> [DocumentPart] {
            let schema = index.schema
            var analyzers: [Language: Analyzer] = [:]
            var compoundShapes: [Language: CompoundCache<(advance: Int, last: Int)>] = [:]
            var result: [DocumentPart] = []
            result.reserveCapacity(live.count)
            for (n, entry) in live.enumerated() {
                let segment = index.segments[entry.segment]
                let lengths = (0..<schema.textFields.count).map { segment.fieldLength(doc: entry.doc, field: $0) }
                let stored = segment.storedDocument(entry.doc)
                let body = snippetField < stored.text.count ? stored.text[snippetField] : ""
                var cut = BodyChunks(id: stored.id)
                if let recorded = cuts[stored.id] {
                    cut = recorded
                } else {
                    let analyzer = analyzers[stored.language] ?? Analyzer(language: stored.language)
                    analyzers[stored.language] = analyzer
                    // Taken out while in use, so that adding to it does not copy it.
                    var shapes = compoundShapes.removeValue(forKey: stored.language) ?? CompoundCache()
                    _ = analyzer.scan(body, firstPosition: 0) { bytes, compound, position in
                        while position >= cut.starts.count * chunkPositions {
                            cut.starts.append(compound.start)
                            cut.firsts.append(position)
                        }
                        // How many positions a compound takes, and where its last token falls, do not depend on
                        // where it is: each compound is analysed once.
                        let shape = shapes.value(for: bytes, compound.start..<compound.end) { () -> (advance: Int, last: Int) in
                            var last = -1
                            let next = analyzer.emit(compound, in: bytes, position: 0) { last = max(last, $0.position) }
                            return (next, last)
                        }
                        if shape.last >= 0 { cut.last = max(cut.last, position + shape.last) }
                        return position + shape.advance
                    }
                    compoundShapes[stored.language] = shapes
                }
                result.append(BrowserExport.documentPart(stored, number: n, lengths: lengths, page: page(stored.id),
                                                         cut: cut, schema: schema))
            }
            return result
        }

    }

    /// A document's part of an export: what the metadata says of it, and its body in chunks (chunk k holds the
    /// compounds whose first position is in [k·C, (k+1)·C)).
    struct DocumentPart {
        var state: State.Document
        var chunks: [(name: String, body: String)]
    }

    /// The part of document number `n` (`stored` as the index keeps it, its field lengths, its page and where its
    /// body is cut).
    static func documentPart(_ stored: StoredDocument, number n: Int, lengths: [Int], page: Page?, cut: BodyChunks,
                             schema: Schema) -> DocumentPart {
        let snippetField = schema.textFieldIndex(schema.snippetField) ?? 0
        var keywords: [[String]] = Array(repeating: [], count: schema.keywordFields.count)
        for keyword in stored.keywords where keyword.field < schema.keywordFields.count {
            let value = SegmentWriter.normalizeKeyword(keyword.value)
            if !keywords[keyword.field].contains(value) { keywords[keyword.field].append(value) }
        }
        let info = page ?? Page(url: "")
        let body = snippetField < stored.text.count ? stored.text[snippetField] : ""
        let (chunkBytes, chunkFirst, lastPosition) = (cut.starts, cut.firsts, cut.last)
        let offsets = utf16Offsets(of: chunkBytes, in: body)
        let sections = zip(utf16Offsets(of: stored.sections.map(\.offset), in: body), stored.sections.map(\.anchor))
            .map { (offset: $0, anchor: $1) }
        // Chunk texts are cut from the UTF-8 bytes (decoding a slice of UTF-16 units took a third of a build).
        let bodyBytes = Array(body.utf8)
        let byteEnds = Array(chunkBytes.dropFirst()) + [bodyBytes.count]
        // Each chunk carries what a result shows of its page, so that a result needs only its chunks: the page's
        // id, address, title and kind, and the sections that can hold a snippet cut from it (the one it starts in,
        // and those starting in it).
        var chunks: [(name: String, body: String)] = []
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
            chunks.append(("c\(n)_\(k)", chunk.rendered(pretty: false)))
        }
        return DocumentPart(state: State.Document(id: stored.id, hash: 0, lengths: lengths, keywords: keywords,
                                                  chunkCount: chunkBytes.count, spellings: []),
                            chunks: chunks)
    }

    /// The postings (`s`) and positions (`p`) files: consecutive terms (in byte order) in shards of up to `limit`
    /// characters of postings. Returns each shard's key. A shard `kept` says is the earlier export's (given its
    /// number and its terms' range) has no bodies.
    static func shardFiles(_ encoded: [State.Term], limit: Int, kept: (Int, Range<Int>) -> Bool = { _, _ in false })
        -> (keys: [String], contents: [(name: String, body: String?)])
    {
        let ranges = shardRanges(encoded, limit: limit)
        // A shard's key: the shortest beginning of its first term that comes after the previous shard's last.
        let keys = ranges.indices.map { shard in
            shard == 0 ? "" : shortestKey(after: encoded[ranges[shard - 1].upperBound - 1].term,
                                          upTo: encoded[ranges[shard].lowerBound].term)
        }
        var contents: [(name: String, body: String?)] = []
        for (shard, range) in ranges.enumerated() {
            if kept(shard, range) {
                contents.append(("s\(shard)", nil))
                contents.append(("p\(shard)", nil))
                continue
            }
            let members = encoded[range]
            contents.append(("s\(shard)", JSONValue.object(members.map { ($0.term, .string($0.postings)) })
                .rendered(pretty: false)))
            contents.append(("p\(shard)", JSONValue.object(members.map { ($0.term, .string($0.positions)) })
                .rendered(pretty: false)))
        }
        return (keys, contents)
    }

    /// Where the shards are cut: consecutive terms fill a shard up to `limit` characters (a term with more has one
    /// of its own; no terms, one empty shard).
    static func shardRanges(_ encoded: [State.Term], limit: Int) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var first = 0
        var size = 0
        for (number, entry) in encoded.enumerated() {
            let cost = entry.term.utf8.count + entry.postings.utf8.count + 4
            if number > first && size + cost > limit {
                ranges.append(first..<number)
                first = number
                size = 0
            }
            size += cost
        }
        if first < encoded.count || ranges.isEmpty { ranges.append(first..<encoded.count) }
        return ranges
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

    /// The buckets of a word's two group keys (`SurfaceVocabulary.keys`: its first two letters, its last two),
    /// or nil for a word too short to have them. An ASCII word's are worked out from its bytes.
    static func vocabularyBuckets(_ surface: String, _ count: Int) -> (prefix: Int, suffix: Int)? {
        var surface = surface
        let ascii: (Int, Int)?? = surface.withUTF8 { bytes in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            guard bytes.count >= SurfaceVocabulary.minimumLength else { return .some(nil) }
            func fnv(_ a: UInt8, _ b: UInt8) -> Int {
                var hash: UInt32 = 2_166_136_261
                hash = (hash ^ UInt32(a)) &* 16_777_619
                hash = (hash ^ UInt32(b)) &* 16_777_619
                return Int(hash % UInt32(count))
            }
            return .some((fnv(bytes[0], bytes[1]), fnv(bytes[bytes.count - 2], bytes[bytes.count - 1])))
        }
        if let ascii { return ascii }
        let keys = SurfaceVocabulary.keys(surface)
        guard keys.count == 2 else { return nil }
        return (bucket(String(keys[0].dropFirst()), count), bucket(String(keys[1].dropFirst()), count))
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

    /// Characters another `VLQ` wrote, as they are.
    mutating func append(raw: Slice<UnsafeBufferPointer<UInt8>>) {
        bytes.append(contentsOf: raw)
    }

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

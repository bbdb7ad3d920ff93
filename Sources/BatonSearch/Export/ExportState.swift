extension BrowserExport {
    /// What an export was made of, kept beside the knowledge base so that the next export after a small edit
    /// (`update`) analyses only the documents that changed: every document's hash, field lengths, keyword
    /// values, chunk count and the spellings it was the first to use; every term's encoded postings and
    /// positions. An export updated from it has exactly the bytes of one made from nothing.
    public struct State: Sendable {
        struct Document: Sendable {
            var id: String
            /// `documentHash` of what the document was exported from.
            var hash: UInt64
            var lengths: [Int]
            /// Per keyword field: the normalised values, each once, in the order the document has them.
            var keywords: [[String]]
            var chunkCount: Int
            /// The words as written that no earlier document has, in the order met (what the typo vocabularies
            /// are made of).
            var spellings: [SurfaceVocabulary.Written]
        }

        struct Term: Sendable {
            var term: String
            var postings: String
            var positions: String
        }

        /// What else the export depended on (`settingsHash`): a state made with other settings is not used.
        var settings: UInt64
        /// A hash of the metadata file the export wrote: a state is used only beside the files it was made with.
        public internal(set) var meta: UInt64
        /// The number of typo-vocabulary files of each kind.
        var buckets: Int
        var documents: [Document]
        /// In UTF-8 byte order.
        var terms: [Term]

        static let magic = Array("BATON-EXPORT-STATE 3\n".utf8)

        /// The state as a file's bytes.
        public func serialized() -> [UInt8] {
            var out = StateWriter()
            out.bytes.append(contentsOf: Self.magic)
            out.u64(settings)
            out.u64(meta)
            out.int(buckets)
            out.int(documents.count)
            for document in documents {
                out.string(document.id)
                out.u64(document.hash)
                out.int(document.lengths.count)
                for length in document.lengths { out.int(length) }
                out.int(document.keywords.count)
                for values in document.keywords {
                    out.int(values.count)
                    for value in values { out.string(value) }
                }
                out.int(document.chunkCount)
                out.int(document.spellings.count)
                for spelling in document.spellings {
                    out.int(Language.allCases.firstIndex(of: spelling.language) ?? 0)
                    out.int(spelling.bytes.count)
                    out.bytes.append(contentsOf: spelling.bytes)
                    out.string(spelling.term)
                    out.string(spelling.surface ?? "")
                }
            }
            out.int(terms.count)
            for term in terms {
                out.string(term.term)
                out.string(term.postings)
                out.string(term.positions)
            }
            var check = StableHash()
            check.add(bytes: out.bytes)
            out.u64(check.value)
            return out.bytes
        }

        /// A state from `serialized()`'s bytes; nil for anything else (another version, a damaged file).
        public init?(serialized bytes: [UInt8]) {
            guard bytes.count >= Self.magic.count + 8, bytes.starts(with: Self.magic) else { return nil }
            var check = StableHash()
            check.add(bytes: bytes[..<(bytes.count - 8)])
            var reader = StateReader(bytes: bytes, at: bytes.count - 8, end: bytes.count)
            guard reader.u64() == check.value else { return nil }
            reader = StateReader(bytes: bytes, at: Self.magic.count, end: bytes.count - 8)
            guard let settings = reader.u64(), let meta = reader.u64(), let buckets = reader.int(), let count = reader.int()
            else { return nil }
            var documents: [Document] = []
            for _ in 0..<count {
                guard let id = reader.string(), let hash = reader.u64(), let fields = reader.int() else { return nil }
                var lengths: [Int] = []
                for _ in 0..<fields {
                    guard let length = reader.int() else { return nil }
                    lengths.append(length)
                }
                guard let keywordFields = reader.int() else { return nil }
                var keywords: [[String]] = []
                for _ in 0..<keywordFields {
                    guard let valueCount = reader.int() else { return nil }
                    var values: [String] = []
                    for _ in 0..<valueCount {
                        guard let value = reader.string() else { return nil }
                        values.append(value)
                    }
                    keywords.append(values)
                }
                guard let chunkCount = reader.int(), let spellingCount = reader.int() else { return nil }
                var spellings: [SurfaceVocabulary.Written] = []
                for _ in 0..<spellingCount {
                    guard let language = reader.int(), language < Language.allCases.count, let written = reader.byteString(),
                        let term = reader.string(), let surface = reader.string()
                    else { return nil }
                    spellings.append(.init(language: Language.allCases[language], bytes: written, term: term, surface: surface))
                }
                documents.append(Document(id: id, hash: hash, lengths: lengths, keywords: keywords,
                                          chunkCount: chunkCount, spellings: spellings))
            }
            guard let termCount = reader.int() else { return nil }
            var terms: [Term] = []
            terms.reserveCapacity(termCount)
            for _ in 0..<termCount {
                guard let term = reader.string(), let postings = reader.string(), let positions = reader.string() else { return nil }
                terms.append(Term(term: term, postings: postings, positions: positions))
            }
            guard reader.atEnd else { return nil }
            self.init(settings: settings, meta: meta, buckets: buckets, documents: documents, terms: terms)
        }

        init(settings: UInt64, meta: UInt64, buckets: Int, documents: [Document], terms: [Term]) {
            self.settings = settings
            self.meta = meta
            self.buckets = buckets
            self.documents = documents
            self.terms = terms
        }
    }

    /// A hash of everything an export depends on besides its documents: the format, the options, the schema.
    static func settingsHash(options: Options, schema: Schema) -> UInt64 {
        var hash = StableHash()
        hash.add("format \(formatVersion) chunk \(chunkPositions) group \(groupSize) shard \(options.shardCharacters)")
        hash.add(options.producer)
        hash.add(options.languages.map(\.rawValue).joined(separator: " "))
        for group in options.synonyms { hash.add(group.joined(separator: "\u{1}")) }
        hash.add("labels")
        for (field, values) in options.labels.sorted(by: { $0.key < $1.key }) {
            hash.add(field)
            for (key, value) in values.sorted(by: { $0.key < $1.key }) {
                hash.add(key)
                hash.add(value)
            }
        }
        hash.add("schema")
        for field in schema.textFields { hash.add("\(field.name) \(field.weight)") }
        for field in schema.keywordFields { hash.add(field) }
        hash.add(schema.snippetField)
        return hash.value
    }

    /// A hash of a document as exported: what the index is given and what its page adds (eight bytes at a time:
    /// a build hashes every document's text).
    public static func documentHash(_ document: SearchDocument, page: Page?) -> UInt64 {
        var hash = WordHash()
        hash.add(document.id)
        hash.add(document.language.rawValue)
        for (field, text) in document.text.sorted(by: { $0.key < $1.key }) {
            hash.add(field)
            hash.add(text)
        }
        for (field, values) in document.keywords.sorted(by: { $0.key < $1.key }) {
            hash.add(field)
            for value in values { hash.add(value) }
        }
        for section in document.sections { hash.add("\(section.offset) \(section.anchor)") }
        hash.add(page.map { "\($0.url)\u{1}\($0.type ?? "\u{2}")" } ?? "\u{3}")
        return hash.value
    }
}

/// A 64-bit hash of pieces of text: each piece hashed as the term table hashes words (eight bytes at a time, its
/// length mixed in), the pieces chained in order, so that ("ab", "c") and ("a", "bc") differ. For telling
/// whether something changed on this machine, not for names.
struct WordHash {
    private(set) var value: UInt64 = 0x9E37_79B9_7F4A_7C15

    mutating func add(_ text: String) {
        var text = text
        let piece = text.withUTF8 { TermInterner.key($0).hash }
        let mixed = (value ^ piece) &* 0xFF51_AFD7_ED55_8CCD
        value = mixed ^ (mixed >> 32)
    }
}

/// Unsigned LEB128 integers, 64-bit words and length-prefixed strings.
private struct StateWriter {
    var bytes: [UInt8] = []

    mutating func int(_ value: Int) {
        var rest = UInt64(max(0, value))
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8((value >> UInt64(shift)) & 0xFF)) }
    }

    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            int(utf8.count)
            bytes.append(contentsOf: utf8)
        }
    }
}

private struct StateReader {
    let bytes: [UInt8]
    var at: Int
    let end: Int

    var atEnd: Bool { at == end }

    mutating func int() -> Int? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while at < end, shift < 63 {
            let byte = bytes[at]
            at += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return value <= UInt64(Int32.max) ? Int(value) : nil }
            shift += 7
        }
        return nil
    }

    mutating func u64() -> UInt64? {
        guard at + 8 <= end else { return nil }
        var value: UInt64 = 0
        for offset in 0..<8 { value |= UInt64(bytes[at + offset]) << UInt64(8 * offset) }
        at += 8
        return value
    }

    mutating func byteString() -> [UInt8]? {
        guard let count = int(), count <= end - at else { return nil }
        defer { at += count }
        return Array(bytes[at..<(at + count)])
    }

    mutating func string() -> String? {
        guard let count = int(), count <= end - at else { return nil }
        defer { at += count }
        return bytes.withUnsafeBufferPointer { String(validating: UnsafeBufferPointer(rebasing: $0[at..<(at + count)]), as: UTF8.self) }
    }
}

/// What a segment keeps of each document besides its postings: the id, the text of every field (snippets are
/// cut from it and merges re-read it), keyword values and section anchors.
struct StoredDocument: Equatable {
    var id: String
    var language: Language
    var text: [String]  // per schema text field
    var keywords: [(field: Int, value: String)]
    var sections: [SearchDocument.Section]

    init(_ document: SearchDocument, schema: Schema) {
        id = document.id
        language = document.language
        text = schema.textFields.map { document.text[$0.name] ?? "" }
        keywords = []
        for (index, field) in schema.keywordFields.enumerated() {
            for value in document.keywords[field] ?? [] { keywords.append((index, value)) }
        }
        sections = document.sections
    }

    init(id: String, language: Language, text: [String], keywords: [(field: Int, value: String)],
         sections: [SearchDocument.Section]) {
        self.id = id
        self.language = language
        self.text = text
        self.keywords = keywords
        self.sections = sections
    }

    static func == (lhs: StoredDocument, rhs: StoredDocument) -> Bool {
        lhs.id == rhs.id && lhs.text == rhs.text && lhs.sections == rhs.sections
            && lhs.keywords.map { "\($0.field)=\($0.value)" } == rhs.keywords.map { "\($0.field)=\($0.value)" }
    }

    /// The head (id, language, keywords, sections) and the text go to separate sections: listings and facets read
    /// heads only, and the text is the bulk.
    func write(head out: inout ByteWriter, text texts: inout ByteWriter) {
        out.string(id)
        out.string(language.rawValue)
        out.varint(keywords.count)
        for keyword in keywords {
            out.varint(keyword.field)
            out.string(keyword.value)
        }
        out.varint(sections.count)
        for section in sections {
            out.varint(section.offset)
            out.string(section.anchor)
        }
        texts.varint(text.count)
        for value in text { texts.string(value) }
    }

    /// Reads the id, language and keywords only.
    static func readHead(_ reader: inout ByteReader) -> (id: String, language: Language, keywords: [(field: Int, value: String)]) {
        let id = reader.string()
        let language = Language(rawValue: reader.string()) ?? .english
        let keywordCount = max(0, min(reader.int(), 10_000))
        var keywords: [(Int, String)] = []
        for _ in 0..<keywordCount where !reader.failed { keywords.append((reader.int(), reader.string())) }
        return (id, language, keywords)
    }

    static func read(head reader: inout ByteReader, text textReader: inout ByteReader) -> StoredDocument {
        let head = readHead(&reader)
        let sectionCount = max(0, min(reader.int(), 100_000))
        var sections: [SearchDocument.Section] = []
        for _ in 0..<sectionCount where !reader.failed {
            sections.append(SearchDocument.Section(offset: reader.int(), anchor: reader.string()))
        }
        let fieldCount = max(0, min(textReader.int(), 64))
        var text: [String] = []
        for _ in 0..<fieldCount where !textReader.failed { text.append(textReader.string()) }
        return StoredDocument(id: head.id, language: head.language, text: text, keywords: head.keywords,
                              sections: sections)
    }

    /// Back to a document, for re-indexing during a merge.
    func document(schema: Schema) -> SearchDocument {
        var fields: [String: String] = [:]
        for (index, field) in schema.textFields.enumerated() where index < text.count { fields[field.name] = text[index] }
        var values: [String: [String]] = [:]
        for keyword in keywords where keyword.field < schema.keywordFields.count {
            values[schema.keywordFields[keyword.field], default: []].append(keyword.value)
        }
        return SearchDocument(id: id, text: fields, keywords: values, language: language, sections: sections)
    }
}

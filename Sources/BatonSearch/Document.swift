/// A document as the engine sees it: an id, weighted text fields, keyword fields for filters and facets, and the
/// anchors of the sections of its body. The engine knows nothing of what the document is about.
public struct SearchDocument: Sendable, Equatable {
    /// A heading inside the body: the byte offset in the body text where its section starts, and its anchor.
    public struct Section: Sendable, Equatable {
        public var offset: Int
        public var anchor: String

        public init(offset: Int, anchor: String) {
            self.offset = offset
            self.anchor = anchor
        }
    }

    public var id: String
    /// Text by field name (`title`, `headings`, `body`, `tags`); fields the schema does not name are ignored.
    public var text: [String: String]
    /// Exact values by keyword field name (`type`, `section`, …), matched case-insensitively.
    public var keywords: [String: [String]]
    public var language: Language
    public var sections: [Section]

    public init(
        id: String, text: [String: String], keywords: [String: [String]] = [:], language: Language = .english,
        sections: [Section] = []
    ) {
        self.id = id
        self.text = text
        self.keywords = keywords
        self.language = language
        self.sections = sections
    }

    /// The title, the first text field's value: what results show.
    public var title: String { text["title"] ?? "" }
}

/// The fields an index has: text fields with their BM25F weights, in order, and keyword fields.
public struct Schema: Sendable, Equatable {
    public struct TextField: Sendable, Equatable {
        public var name: String
        public var weight: Double

        public init(_ name: String, weight: Double) {
            self.name = name
            self.weight = weight
        }
    }

    public var textFields: [TextField]
    public var keywordFields: [String]
    /// The text field snippets are cut from.
    public var snippetField: String

    public init(textFields: [TextField], keywordFields: [String], snippetField: String = "body") {
        self.textFields = textFields
        self.keywordFields = keywordFields
        self.snippetField = snippetField
    }

    /// The text fields of a page — title, headings, body and tags, weighted 3 : 2 : 1 : 2 — with the keyword
    /// fields `type` and `tag`. An application that filters on more adds its own keyword fields (the knowledge
    /// base's are in BatonContent's `KnowledgeIndex.schema`); the engine knows documents, not what they are.
    public static let standard = Schema(textFields: pageFields, keywordFields: ["type", "tag"])

    /// Title, headings, body and tags, weighted 3 : 2 : 1 : 2.
    public static let pageFields: [TextField] = [
        .init("title", weight: 3), .init("headings", weight: 2), .init("body", weight: 1), .init("tags", weight: 2),
    ]

    func textFieldIndex(_ name: String) -> Int? { textFields.firstIndex { $0.name == name } }
}

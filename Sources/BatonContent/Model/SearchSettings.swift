/// `search:` in baton.yml: the knowledge base's own synonyms and abbreviations, and whether the built-in list
/// for the partnership domain applies too.
///
///     search:
///       synonyms:
///         - [app, application]
///         - [wal, write-ahead log]
///       builtin_synonyms: true      # the default
public struct SearchSettings: Sendable, Equatable {
    public var synonyms: [[String]] = []
    public var builtInSynonyms = true

    public init() {}

    /// Abbreviations and names the practice uses for one thing, which a newcomer types one way and a page spells
    /// the other.
    public static let domainSynonyms: [[String]] = [
        ["sla", "service level agreement"],
        ["slas", "service level agreements"],
        ["kpi", "key performance indicator"],
        ["kpis", "key performance indicators"],
        ["rm", "relationship manager"],
        ["sdm", "service delivery manager"],
        ["sro", "ser", "senior responsible owner", "senior executive responsible"],
        ["ip", "intellectual property"],
        ["raci", "responsibility matrix"],
        ["sow", "statement of work"],
        ["rfc", "request for change", "change request"],
        ["onboarding", "induction"],
        ["ermp", "relationship management plan"],
    ]

    /// The groups a search uses: the knowledge base's own first, then the built-in ones unless switched off.
    public var effectiveSynonyms: [[String]] {
        synonyms + (builtInSynonyms ? Self.domainSynonyms : [])
    }

    /// Reads `search:`; problems go to the reader's sink.
    static func read(_ reader: inout FieldReader) -> SearchSettings {
        var settings = SearchSettings()
        guard var search = reader.mapping("search") else { return settings }
        if let value = search.bool("builtin_synonyms") { settings.builtInSynonyms = value }
        if let list = search.node["synonyms"], !list.isNull {
            if let groups = list.items {
                for group in groups {
                    let entries = (group.items ?? []).compactMap { $0.scalarText?.trimmingSpaces }.filter { !$0.isEmpty }
                    guard group.items != nil, entries.count == group.items?.count, entries.count >= 2 else {
                        search.sink.error("field.value", line: group.line,
                            "each synonym group must be a list of two or more words or phrases, as [app, application]")
                        continue
                    }
                    settings.synonyms.append(entries)
                }
            } else {
                search.sink.error("field.type", line: list.line, "'synonyms' must be a list of groups, as - [app, application]")
            }
        }
        reader.absorb(search)
        return settings
    }
}

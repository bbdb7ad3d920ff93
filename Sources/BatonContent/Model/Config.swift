/// The knowledge base's own settings, from `baton.yml` at its root: the site, the organisations in the
/// partnership, where the partnership stands and how it is governed.
public struct Config: Sendable {
    /// An organisation in the partnership.
    public struct Organisation: Sendable, Equatable {
        /// The short id that roles and people name (`meridian`).
        public var id: String
        public var name: String
        public var side: OrganisationSide?
        /// The organisation's Senior Executive Responsible for the relationship.
        public var seniorExecutive: Reference?
        public var line: Int
    }

    /// One governance tier and the meetings that give it its rhythm.
    public struct GovernanceTier: Sendable, Equatable {
        public var tier: Tier
        public var meetings: [Meeting]
    }

    /// A recurring meeting of a tier.
    public struct Meeting: Sendable, Equatable {
        public var name: String
        public var frequency: Frequency?
        /// Call, formal review, stand-up, …
        public var format: String?
        /// The first occurrence (`starts:`), from which the calendar repeats it at its frequency.
        public var starts: Day? = nil
        /// The time it starts, `HH:MM` local time (`time:`), and how long it lasts (`minutes:`, default 60).
        public var time: (hour: Int, minute: Int)? = nil
        public var minutes: Int = 60
        /// The day of the week it falls on (`weekday:`, ISO: Monday 1): the first occurrence is the first such day
        /// on or after `starts`; a monthly, quarterly or yearly meeting keeps that day's place in its month
        /// (the second Tuesday, the last Friday).
        public var weekday: Int? = nil
        public var line: Int = 0

        public static func == (a: Meeting, b: Meeting) -> Bool {
            a.name == b.name && a.frequency == b.frequency && a.format == b.format && a.starts == b.starts && a.weekday == b.weekday
                && a.time?.hour == b.time?.hour && a.time?.minute == b.time?.minute && a.minutes == b.minutes
        }
    }

    /// Languages the search engine can analyse.
    public static let languages = ["en", "de", "fr"]

    public var title: String
    public var baseURL: String?
    /// Where a page's source can be edited (`edit_url:`), with `{path}` for the file's path from the knowledge
    /// base's root: `https://git.example.org/kb/-/edit/main/{path}`.
    public var editURL: String?
    /// The default language of the text (`en`, `de` or `fr`).
    public var language: String
    /// The organisation whose point of view `ip: ours` and `ip: theirs` take.
    public var home: String?
    public var organisations: [Organisation]
    public var phase: PartnershipPhase?
    public var lifecycleStage: LifecycleStage?
    public var governance: [GovernanceTier]
    public var exitTriggers: [String]
    /// The exit triggers that carry a condition on the health checks (`when:`), which `baton check` tests.
    public var exitConditions: [ExitCondition] = []
    /// Thresholds and severities of the continuity rules.
    public var continuity: ContinuitySettings
    /// Bounds on what Baton reads.
    public var limits = Limits()
    /// Front-matter keys of the knowledge base's own (`extra_fields:`), which `baton check` does not question;
    /// keys starting `x-` are never questioned either.
    public var extraFields: Set<String> = []
    /// Working days and holidays (`calendar:`).
    public var calendar = WorkingCalendar()
    /// Why the organisations partner (`vision:`) and how they mean to work together (`principles:`), which every
    /// newcomer reads first.
    public var vision: String?
    public var principles: [String] = []
    /// Synonyms for search (`search:`).
    public var search = SearchSettings()
    /// How the relationship's health is checked (`health:`).
    public var health = HealthSettings()
    /// The escalation ladder, lowest level first (`escalation:`).
    public var escalation: [EscalationLevel] = []
    /// The KPIs agreed (`kpis:`), in the order written.
    public var kpis: [KPIDefinition] = []
    /// Every key as written, known or not.
    public var raw: YAMLNode

    /// An empty configuration, used when `baton.yml` cannot be read.
    public static let empty = Config(
        title: "", baseURL: nil, language: "en", home: nil, organisations: [], phase: nil, lifecycleStage: nil,
        governance: [], exitTriggers: [], continuity: ContinuitySettings(), raw: .mapping([]))

    /// The organisation with `id`, if the partnership has one.
    public func organisation(_ id: String) -> Organisation? {
        organisations.first { $0.id == id }
    }

    /// The KPI with `id`, if one is agreed.
    public func kpi(_ id: String) -> KPIDefinition? {
        kpis.first { $0.id == id }
    }

    /// Reads the text of a `baton.yml`, with every problem found in it.
    public static func parse(_ text: String) -> (config: Config, diagnostics: [Diagnostic]) {
        var sink = DiagnosticSink(file: KnowledgeBase.configFile)
        let config = read(text: text, sink: &sink)
        return (config, sink.diagnostics)
    }

    /// Reads `baton.yml`'s text; problems go to `sink` (whose file is `baton.yml`).
    static func read(text: String, sink: inout DiagnosticSink) -> Config {
        let node: YAMLNode
        do {
            node = try YAMLNode.parse(text)
        } catch {
            sink.unreadable("yaml.syntax", line: error.line, "malformed YAML: \(error.message)")
            return .empty
        }
        guard node.pairs != nil else {
            sink.unreadable("yaml.not-mapping", line: node.line, "baton.yml must be a mapping of settings (key: value)")
            return .empty
        }
        var reader = FieldReader(node, sink: sink, line: 1)
        let title = reader.string("title", required: "the knowledge base's name") ?? ""
        let baseURL = reader.string("base_url")
        var editURL = reader.string("edit_url")
        if let url = editURL, !url.contains("{path}") {
            reader.sink.warning("field.value", line: node["edit_url"]?.line ?? 1,
                "'edit_url' has no {path}, so every page would link to the same place; write where a file is "
                + "edited with {path} for its path, as in https://git.example.org/kb/-/edit/main/{path}")
            editURL = nil
        }
        var language = reader.string("language")?.lowercased() ?? "en"
        if !languages.contains(language) {
            reader.sink.error("field.value", line: node["language"]?.line ?? 1,
                "'language' is '\(language)'; Baton analyses en, de and fr")
            language = "en"
        }
        let home = reader.string("home")
        let organisations = reader.list("organisations") { (org: inout FieldReader) -> Organisation? in
            let id = org.string("id", required: "a short id such as 'acme'")
            let name = org.string("name", required: "the organisation's name")
            let side = org.word("side", OrganisationSide.self)
            let ser = org.reference("senior_executive_responsible", .person)
            guard let id, let name else { return nil }
            return Organisation(id: id, name: name, side: side, seniorExecutive: ser, line: org.line)
        }
        if node["organisations"] == nil || node["organisations"]!.isNull {
            reader.missing("organisations", "a list of the organisations in the partnership, each with id and name")
        }
        let phase = reader.word("phase", PartnershipPhase.self, required: true)
        let stage = reader.word("lifecycle_stage", LifecycleStage.self)
        let governance = reader.list("governance") { (tierReader: inout FieldReader) -> GovernanceTier? in
            let tier = tierReader.word("tier", Tier.self, required: true)
            let meetings = tierReader.list("meetings") { (meeting: inout FieldReader) -> Meeting? in
                let name = meeting.string("name", required: "what the meeting is called")
                let frequency = meeting.word("frequency", Frequency.self, required: true)
                let format = meeting.string("format")
                let starts = meeting.day("starts")
                var time: (Int, Int)?
                if let text = meeting.string("time") {
                    let parts = text.trimmingSpaces.split(separator: ":").compactMap { Int($0) }
                    if parts.count == 2, (0...23).contains(parts[0]), (0...59).contains(parts[1]) {
                        time = (parts[0], parts[1])
                    } else {
                        meeting.sink.error("field.value", line: meeting.node["time"]?.line ?? meeting.line,
                            "'time' is '\(text)'; write the time the meeting starts as HH:MM, as 09:30")
                    }
                }
                let minutes = meeting.integer("minutes", in: 5...1440) ?? 60
                var weekday: Int?
                if let text = meeting.string("weekday") {
                    let line = meeting.node["weekday"]?.line ?? meeting.line
                    let word = text.trimmingSpaces.lowercased()
                    let full = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
                    if let number = WorkingCalendar.dayNames[word] ?? full.firstIndex(of: word).map({ $0 + 1 }) {
                        weekday = number
                        if frequency == .daily {
                            meeting.sink.error("field.value", line: line,
                                "a daily meeting has no weekday (it falls on every working day: calendar: working_days:)")
                            weekday = nil
                        }
                    } else {
                        meeting.sink.error("field.value", line: line,
                            "'weekday' is '\(text)'; write mon, tue, wed, thu, fri, sat or sun")
                    }
                }
                return name.map { Meeting(name: $0, frequency: frequency, format: format, starts: starts, time: time,
                                          minutes: minutes, weekday: weekday, line: meeting.line) }
            }
            return tier.map { GovernanceTier(tier: $0, meetings: meetings) }
        }
        let (triggers, exitConditions) = ExitCondition.readTriggers(&reader)
        let extraFields = Set(reader.strings("extra_fields"))
        let vision = reader.string("vision")
        let principles = reader.strings("principles")
        let calendar = WorkingCalendar.read(&reader)
        let search = SearchSettings.read(&reader)
        let health = HealthSettings.read(&reader)
        let escalation = EscalationLevel.read(&reader)
        let kpis = KPIDefinition.read(&reader)
        var continuitySink = reader.sink
        let continuity = ContinuitySettings.read(node["continuity"], sink: &continuitySink)
        reader.sink = continuitySink
        var limits = Limits()
        if var limitsReader = reader.mapping("limits") {
            if let megabytes = limitsReader.integer("max_file_mb", in: Limits.fileMegabytesRange) {
                limits.fileBytes = megabytes << 20
            }
            reader.absorb(limitsReader)
        }
        sink = reader.sink
        var config = Config(
            title: title, baseURL: baseURL, editURL: editURL, language: language, home: home ?? organisations.first?.id,
            organisations: organisations, phase: phase, lifecycleStage: stage, governance: governance,
            exitTriggers: triggers, continuity: continuity, limits: limits, extraFields: extraFields, calendar: calendar,
            vision: vision, principles: principles, search: search, health: health, raw: node)
        config.exitConditions = exitConditions
        config.escalation = escalation
        config.kpis = kpis
        return config
    }
}

/// How much Baton reads before refusing: a content file above the limit is reported, not read, so a huge or
/// endless file cannot exhaust memory.
public struct Limits: Sendable, Equatable {
    /// The largest `baton.yml` read (1 MB).
    public static let configBytes = 1 << 20
    /// The largest content file read: `limits: max_file_mb:` in baton.yml, 16 MB unless set.
    public var fileBytes = 16 << 20
    /// What `max_file_mb` may be set to.
    public static let fileMegabytesRange = 1...1024

    public init() {}
}

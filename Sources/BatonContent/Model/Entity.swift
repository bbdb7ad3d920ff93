/// One file of the knowledge base: its id, its typed fields, its full front matter (unknown keys included) and
/// its Markdown body.
public struct Entity: Sendable {
    /// The typed part, by kind.
    public enum Record: Sendable, Equatable {
        case role(Role)
        case person(Person)
        case checklist(Checklist)
        case handover(Handover)
        case onboarding(Onboarding)
        case knowledge(KnowledgeEntry)
        case healthcheck(HealthCheck)
        case kpi(KPIRecord)
    }

    /// The path under `content/` without `.md`: `roles/client-service-manager`.
    public let id: String
    public let kind: EntityKind
    /// The file, relative to the knowledge base root: `content/roles/client-service-manager.md`.
    public var path: String
    /// Every key of the front matter as written, known or not.
    public var frontMatter: YAMLNode
    /// The front matter's YAML exactly as written (comments included), between the `---` lines.
    public let frontMatterText: String
    /// The fence lines as written, with their line ends.
    public let fences: (opening: String, closing: String)
    /// The body exactly as written, after the closing `---` line.
    public var body: String
    /// The file line the body starts on.
    public var bodyLine: Int
    public var confidentiality: Confidentiality
    public var reviewBy: Day?
    /// The language of the text (`en`, `de`, `fr`), when it differs from the knowledge base's default.
    public var language: String?
    public var record: Record
    public var markdown: MarkdownSummary

    /// The name people see: a role's or entry's title, a person's name, or the id when there is none.
    public var title: String {
        switch record {
        case .role(let role): return role.title
        case .person(let person): return person.name
        case .checklist(let checklist): return checklist.title
        case .handover(let handover): return handover.title ?? id
        case .onboarding(let onboarding): return onboarding.title ?? id
        case .healthcheck(let check): return check.title ?? "Health check \(check.date?.description ?? id)"
        case .kpi(let record): return record.title ?? shortID
        case .knowledge(let entry): return entry.title
        }
    }

    /// The id without its kind's folder: `client-service-manager`, `exit-arrangements/exit-plan`.
    public var shortID: String { String(id.dropFirst(kind.directory.count + 1)) }

    /// The last part of the id: `exit-plan`.
    public var name: String { String(id.split(separator: "/").last ?? Substring(id)) }

    public var role: Role? { if case .role(let value) = record { return value } else { return nil } }
    public var person: Person? { if case .person(let value) = record { return value } else { return nil } }
    public var checklist: Checklist? { if case .checklist(let value) = record { return value } else { return nil } }
    public var handover: Handover? { if case .handover(let value) = record { return value } else { return nil } }
    public var onboarding: Onboarding? {
        if case .onboarding(let value) = record { return value } else { return nil }
    }
    public var knowledge: KnowledgeEntry? {
        if case .knowledge(let value) = record { return value } else { return nil }
    }
    public var healthCheck: HealthCheck? {
        if case .healthcheck(let value) = record { return value } else { return nil }
    }
    public var kpi: KPIRecord? {
        if case .kpi(let value) = record { return value } else { return nil }
    }

    /// Every reference this entity makes, in field order, with the field name.
    public var references: [(field: String, reference: Reference)] {
        var result: [(String, Reference)] = []
        func add(_ field: String, _ reference: Reference?) { if let reference { result.append((field, reference)) } }
        switch record {
        case .role(let role):
            add("counterpart", role.counterpart)
            add("reports_to", role.reportsTo)
            add("checklist", role.checklist)
            for step in role.onboarding {
                step.read.forEach { add("onboarding.read", $0) }
                step.meet.forEach { add("onboarding.meet", $0) }
            }
        case .person(let person):
            person.roles.forEach { add("roles", $0) }
            add("deputy", person.deputy)
            add("successor", person.successor)
            add("counterpart", person.counterpart)
        case .checklist(let checklist):
            add("role", checklist.role)
        case .handover(let handover):
            add("role", handover.role)
            add("from", handover.from)
            add("to", handover.to)
            add("template", handover.template)
        case .onboarding(let onboarding):
            add("role", onboarding.role)
            add("person", onboarding.person)
            add("buddy", onboarding.buddy)
        case .knowledge(let entry):
            add("owner", entry.owner)
        case .healthcheck(let check):
            for side in check.sides { side.respondents.forEach { add("respondents", $0) } }
        case .kpi:
            break
        }
        return result
    }
}

// MARK: - Reading and writing files

extension Entity {
    /// Reads an entity of `kind` from the text of a file at `path` (relative to the knowledge base's root), as
    /// loading does, with every problem found in it.
    public static func parse(_ text: String, kind: EntityKind, path: String) -> (entity: Entity?, diagnostics: [Diagnostic]) {
        var sink = DiagnosticSink(file: path)
        let id = String(path.dropFirst(KnowledgeBase.contentDirectory.count + 1).dropLast(3))
        let entity = read(id: id, kind: kind, path: path, text: text, sink: &sink)
        return (entity, sink.diagnostics)
    }

    /// Reads an entity from the text of its file. Problems go to `sink`; the result is nil only when the file
    /// cannot be understood at all (no front matter, malformed YAML).
    static func read(id: String, kind: EntityKind, path: String, text: String, sink: inout DiagnosticSink) -> Entity? {
        let parts: EntityFile
        do {
            parts = try EntityFile(text)
        } catch {
            sink.append(Diagnostic(error.severity, error.code, file: path, line: error.line, error.message))
            return nil
        }
        var reader = FieldReader(parts.frontMatter, sink: sink, line: 1)
        let record: Record
        switch kind {
        case .role: record = .role(Role.read(&reader))
        case .person: record = .person(Person.read(&reader))
        case .checklist: record = .checklist(Checklist.read(&reader))
        case .handover: record = .handover(Handover.read(&reader))
        case .onboarding: record = .onboarding(Onboarding.read(&reader))
        case .knowledge: record = .knowledge(KnowledgeEntry.read(&reader))
        case .healthcheck: record = .healthcheck(HealthCheck.read(&reader))
        case .kpi: record = .kpi(KPIRecord.read(&reader))
        }
        let confidentiality = Self.readConfidentiality(&reader)
        let reviewBy = reader.day("review_by")
        var language = reader.string("lang")
        if let code = language, !Config.languages.contains(code.lowercased()) {
            reader.sink.error("field.value", line: reader.node["lang"]?.line ?? 1,
                "'lang' is '\(code)'; Baton analyses \(Config.languages.joined(separator: ", ")) (the text is searched as the knowledge base's language until it is one of them)")
            language = nil
        }
        sink = reader.sink
        return Entity(
            id: id, kind: kind, path: path, frontMatter: parts.frontMatter, frontMatterText: parts.yaml, fences: parts.fences,
            body: parts.body,
            bodyLine: parts.bodyLine, confidentiality: confidentiality, reviewBy: reviewBy, language: language,
            record: record, markdown: MarkdownSummary(markdown: parts.body, firstLine: parts.bodyLine))
    }

    /// The entity's confidentiality, failing closed: a value that cannot be read (`secret`, a list, a key
    /// spelt `Confidentiality`) counts as restricted, and is an error; only a file that says nothing is internal.
    private static func readConfidentiality(_ reader: inout FieldReader) -> Confidentiality {
        var result: Confidentiality = .internal
        if let value = reader.node["confidentiality"], !value.isNull {
            result = reader.word("confidentiality", Confidentiality.self) ?? .restricted
        }
        for pair in reader.node.pairs ?? [] where pair.key != "confidentiality" && pair.key.lowercased() == "confidentiality" {
            reader.sink.error("field.value", line: pair.line,
                "'\(pair.key)' is not the field 'confidentiality' (it is case-sensitive); until it is spelt so, "
                    + "the entity counts as restricted")
            result = .restricted
        }
        return result
    }

    /// The file text for this entity: the front matter with the typed fields written back into it (unknown keys
    /// untouched, unchanged fields as they were written), then the body. When no field changed, the front matter
    /// is the original text, comments and all.
    public func fileText() -> String {
        var writer = FieldWriter(frontMatter)
        switch record {
        case .role(let role): role.write(&writer)
        case .person(let person): person.write(&writer)
        case .checklist(let checklist): checklist.write(&writer)
        case .handover(let handover): handover.write(&writer)
        case .onboarding(let onboarding): onboarding.write(&writer)
        case .knowledge(let entry): entry.write(&writer)
        case .healthcheck(let check): check.write(&writer)
        case .kpi(let record): record.write(&writer)
        }
        writer.set("confidentiality", confidentiality, default: .internal)
        writer.set("review_by", reviewBy)
        writer.set("lang", language)
        let yaml = writer.node == frontMatter ? frontMatterText : YAMLEmitter.emit(pairs: writer.node.pairs ?? [])
        return fences.opening + yaml + fences.closing + body
    }
}

/// A file split into its YAML front matter and Markdown body.
struct EntityFile {
    struct Failure: Error {
        var severity: Diagnostic.Severity
        var code: String
        var line: Int?
        var message: String
    }

    var frontMatter: YAMLNode
    /// The YAML text between the fences, each line ending in a newline.
    var yaml: String
    var fences: (opening: String, closing: String)
    var body: String
    var bodyLine: Int

    init(_ text: String) throws(Failure) {
        // Lines are found on the UTF-8 bytes (splitting by Character is several times slower on large batches),
        // and only as far as the closing fence: the body is not cut into lines.
        let utf8 = text.utf8
        var cursor: String.Index? = utf8.starts(with: [0xEF, 0xBB, 0xBF]) ? utf8.index(utf8.startIndex, offsetBy: 3) : utf8.startIndex
        /// The line at `cursor`, without its newline; `cursor` moves past the newline (nil when there was none).
        func nextLine() -> Substring? {
            guard let start = cursor else { return nil }
            guard let newline = utf8[start...].firstIndex(of: UInt8(ascii: "\n")) else {
                cursor = nil
                return text[start...]
            }
            cursor = utf8.index(after: newline)
            return text[start..<newline]
        }
        func isFence(_ line: Substring, _ marks: [String]) -> Bool {
            guard line.utf8.count <= 8 else { return false }
            var trimmed = line
            if trimmed.hasSuffix("\r") { trimmed.removeLast() }
            return marks.contains(String(trimmed.trimmingSpaces))
        }
        guard let first = nextLine(), isFence(first, ["---"]) else {
            throw Failure(severity: .error, code: "frontmatter.missing", line: 1,
                message: "no front matter: the file must start with a line '---', then YAML fields, then '---'")
        }
        let yamlStart = cursor ?? text.endIndex
        var fenceStart = yamlStart
        var number = 1  // of the line read last
        var closing: Substring? = nil
        while closing == nil {
            fenceStart = cursor ?? text.endIndex
            guard let line = nextLine() else {
                throw Failure(severity: .unreadable, code: "frontmatter.unterminated", line: 1,
                    message: "the front matter opened on line 1 is never closed with a line '---'")
            }
            number += 1
            if isFence(line, ["---", "..."]) { closing = line }
        }
        // Every line between the fences ends in a newline; the text to parse leaves out the last one.
        let between = text[yamlStart..<fenceStart]
        let yaml = String(between.isEmpty ? between : text[yamlStart..<utf8.index(before: fenceStart)])
        let node: YAMLNode
        do {
            node = try YAMLNode.parse(yaml, firstLine: 2)
        } catch {
            throw Failure(severity: .unreadable, code: "yaml.syntax", line: error.line,
                message: "malformed YAML: \(error.message)")
        }
        guard node.pairs != nil else {
            throw Failure(severity: .unreadable, code: "yaml.not-mapping", line: 2,
                message: "the front matter must be a mapping of fields (key: value), not a list or a single value")
        }
        frontMatter = node
        self.yaml = String(between)
        fences = (String(first) + "\n", String(closing!) + (cursor != nil ? "\n" : ""))
        bodyLine = number + 1
        body = cursor.map { String(text[$0...]) } ?? ""
    }
}

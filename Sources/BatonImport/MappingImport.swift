import BatonContent
import Foundation

/// A mapping file: how to read records of any XML export as knowledge entries, with XPath expressions.
///
///     records: //item                 # each record
///     title: string(title)            # relative to the record
///     body: description               # its content becomes the entry's text
///     name: string(@id)               # optional: the entry's name (default: from the title)
///     section: communications         # optional: the plan section (default: --section)
///     fields:                         # optional: front-matter fields; several nodes make a list
///       owner: string(owner)
///       tags: tag
///     namespaces:                     # optional: prefixes for namespaced XML (Mallard, XHTML, …)
///       mal: http://projectmallard.org/1.0/
public struct ImportMapping: Sendable {
    public var records: String
    public var title: String
    public var body: String?
    public var name: String?
    public var section: PlanSection?
    public var fields: [(key: String, expression: String)]
    /// Prefixes the expressions use, with their namespace URIs.
    public var namespaces: [(prefix: String, uri: String)] = []

    public init(records: String, title: String, body: String? = nil, name: String? = nil, section: PlanSection? = nil,
                fields: [(key: String, expression: String)] = [], namespaces: [(prefix: String, uri: String)] = []) {
        self.records = records
        self.title = title
        self.body = body
        self.name = name
        self.section = section
        self.fields = fields
        self.namespaces = namespaces
    }

    /// Reads a mapping file; problems name the file and line.
    public static func read(path: String) throws(MarkupError) -> ImportMapping {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw MarkupError(description: "\(path): cannot read the mapping file")
        }
        let node: YAMLNode
        do {
            node = try YAMLNode.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw MarkupError(description: "\(path):\(error.line): malformed YAML: \(error.message)")
        }
        func text(_ key: String, required: Bool) throws(MarkupError) -> String? {
            guard let value = node[key], !value.isNull else {
                if required { throw MarkupError(description: "\(path): the mapping needs '\(key)' (an XPath expression)") }
                return nil
            }
            guard let string = value.scalarText else {
                throw MarkupError(description: "\(path):\(value.line): '\(key)' must be an XPath expression")
            }
            return string
        }
        var section: PlanSection?
        if let raw = try text("section", required: false) {
            guard let value = PlanSection(rawValue: raw) else {
                throw MarkupError(description: "\(path):\(node["section"]!.line): '\(raw)' is not a plan section")
            }
            section = value
        }
        var fields: [(String, String)] = []
        for pair in node["fields"]?.pairs ?? [] {
            guard let expression = pair.value.scalarText else {
                throw MarkupError(description: "\(path):\(pair.line): field '\(pair.key)' must be an XPath expression")
            }
            fields.append((pair.key, expression))
        }
        var namespaces: [(String, String)] = []
        if let declared = node["namespaces"], !declared.isNull {
            guard let pairs = declared.pairs else {
                throw MarkupError(description: "\(path):\(declared.line): 'namespaces' must map prefixes to namespace URIs (mal: http://projectmallard.org/1.0/)")
            }
            for pair in pairs {
                guard let uri = pair.value.scalarText, !uri.isEmpty, !pair.value.isNull else {
                    throw MarkupError(description: "\(path):\(pair.line): the namespace '\(pair.key)' needs a URI")
                }
                let valid = pair.key.first.map { $0.isLetter || $0 == "_" } == true
                    && pair.key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." }
                guard valid else {
                    throw MarkupError(description: "\(path):\(pair.line): '\(pair.key)' cannot be a namespace prefix (letters, digits, _ - . and a letter first)")
                }
                namespaces.append((pair.key, uri))
            }
        }
        return ImportMapping(records: try text("records", required: true)!, title: try text("title", required: true)!,
                             body: try text("body", required: false), name: try text("name", required: false),
                             section: section, fields: fields, namespaces: namespaces)
    }
}

extension Importer {
    /// The records of an XML export, through a mapping: one entry per record.
    func importMapped(_ file: String, bytes: [UInt8], mapping: ImportMapping, bySource: [String: Entity],
                      taken: inout TakenNames) -> [Result] {
        let source = Self.sourceName(file)
        let document: XPathDocument
        let records: [(node: MarkupNode, path: [Int])]
        do {
            document = try XPathDocument(bytes, limits: options.limits, namespaces: mapping.namespaces)
            records = try document.select(mapping.records)
        } catch {
            return [Result(source: source, entry: nil, outcome: .failed(error.description))]
        }
        let section = mapping.section ?? options.section
        let base = Self.slug((file as NSString).lastPathComponent)
        // Every record converted first: the file is judged on what all its entries keep.
        struct Prepared {
            var id: String, source: String, existing: Entity?, page: ImportedPage, extra: [(String, [String])], hash: String
        }
        var prepared: [Prepared] = []
        var seen = WordBag()
        var written = WordBag()
        // Names already given in this file: a record whose name repeats another's gets -2, -3 … in file order, so
        // that re-importing an unchanged file finds every record where it left it.
        var used: Set<String> = []
        for (index, record) in records.enumerated() {
            func values(_ expression: String) -> [String] {
                ((try? document.select(expression, from: record.path)) ?? []).map { $0.node.text.collapsingSpaces.trimmed }
                    .filter { !$0.isEmpty }
            }
            let title = values(mapping.title).first ?? "Record \(index + 1)"
            let slugged = Self.slug(mapping.name.flatMap { values($0).first } ?? title, extension: false)
            var name = slugged
            var repeat_ = 2
            while !used.insert(name).inserted {
                name = "\(slugged)-\(repeat_)"
                repeat_ += 1
            }
            let recordSource = source + "#" + name
            let existing = bySource[recordSource]
            let id = existing?.id ?? taken.claim("\(base)-\(name)", section: section)
            var writer = MarkdownWriter()
            var markdown = ""
            if let body = mapping.body {
                let nodes = ((try? document.select(body, from: record.path)) ?? []).map(\.node)
                markdown = writer.markdown(XMLBody.content(nodes, record: record.node))
            }
            markdown = "# \(MarkdownWriter.escape(title))\n\n" + markdown
            var extra: [(String, [String])] = []
            for field in mapping.fields { extra.append((field.key, values(field.expression))) }
            let hash = Self.hash(Array((markdown + extra.map { "\($0.0)=\($0.1)" }.joined()).utf8))
            // A record's text is all of it; what the mapping leaves out of title, body and fields counts as lost.
            seen.add(record.node, skip: { _ in false })
            written.add(markdown: markdown)
            for (_, values) in extra { for value in values { written.add(value) } }
            let page = ImportedPage(title: title, markdown: markdown, description: nil, author: nil, keywords: [],
                                    date: nil, language: nil, images: [])
            prepared.append(Prepared(id: id, source: recordSource, existing: existing, page: page, extra: extra, hash: hash))
        }
        let kept = TextKept.between(source: seen, kept: written)
        if !records.isEmpty, let refusal = refusal(kept) {
            return [Result(source: source, entry: nil, outcome: .failed(refusal), kept: kept, file: source)]
        }
        var results: [Result] = []
        for record in prepared {
            if let existing = record.existing, existing.frontMatter["source_hash"]?.scalarText == record.hash {
                results.append(Result(source: record.source, entry: existing.id, outcome: .unchanged, kept: kept, file: source))
                continue
            }
            let text = record.existing.map { updated($0, page: record.page, hash: record.hash) }
                ?? created(record.page, id: record.id, source: record.source, hash: record.hash, section: section, extra: record.extra)
            var result = store(text, id: record.id, source: record.source, isNew: record.existing == nil)
            result.kept = kept
            result.file = source
            results.append(result)
        }
        if records.isEmpty {
            var why = "the mapping's records expression selects nothing"
            if let uri = document.defaultNamespace, !mapping.namespaces.contains(where: { $0.uri == uri }) {
                why += "; the document's elements are in the namespace \(uri), which names without a prefix never match: declare it (namespaces: {x: \(uri)}) and write x:name"
            }
            results.append(Result(source: source, entry: nil, outcome: .skipped(why)))
        }
        return results
    }
}

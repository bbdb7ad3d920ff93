import BatonContent
import BatonImport
import BatonSearch
import Foundation
import ZIPFoundation

/// What Baton reads from outside, each as a function of arbitrary bytes. Every target must return for every
/// input — a thrown error or a diagnostic is a fine answer — without crashing, hanging or leaking; libFuzzer
/// with the address sanitizer checks that (`make fuzz`), and `baton-fuzz replay` runs saved inputs in an
/// ordinary build, so the seeds and every crash once found stay in the test suite.
enum FuzzTarget: String, CaseIterable {
    /// The query language: parsing, then a search of a small index.
    case query
    /// Front matter and YAML: an entity of each kind, and `baton.yml`.
    case frontmatter
    /// The index reader: a manifest, a segment as it is, and a segment sealed with a valid checksum (so what
    /// lies past the checksum is reached too).
    case index
    /// The HTML importer: parsing, main-content detection, Markdown.
    case html
    /// The XML importer: DocBook, DITA topics and other XML (through a mapping) in the whole import, in a dry run.
    case xml
    /// The Word and OpenDocument importers: the bytes as a whole archive, or as one part (the document, its
    /// styles, numbering, footnotes or relationships; an OpenDocument's content or styles) of an archive that
    /// is otherwise sound, so that the conversion itself is reached.
    case office
    /// The Markdown importer: front matter (YAML or TOML), the generators' blocks, links and wiki links.
    case markdown

    /// The target named by `BATON_FUZZ_TARGET`.
    static var selected: FuzzTarget {
        let name = ProcessInfo.processInfo.environment["BATON_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            FileHandle.standardError.write(Data("baton-fuzz: set BATON_FUZZ_TARGET to one of: \(allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
            exit(2)
        }
        return target
    }

    func run(_ bytes: [UInt8]) {
        switch self {
        case .query: Self.query(bytes)
        case .frontmatter: Self.frontMatter(bytes)
        case .index: Self.index(bytes)
        case .html: _ = try? HTMLImporter.page(bytes)
        case .xml: Self.xml(bytes)
        case .office: Self.office(bytes)
        case .markdown: _ = try? MarkdownImporter.page(bytes, wiki: { $0.count % 2 == 0 ? $0 + ".md" : nil })
        }
    }

    // MARK: Targets

    /// A small index to search, made once.
    nonisolated(unsafe) static let searcher: Searcher? = {
        let folder = scratch + "/query-index"
        guard let writer = try? IndexWriter(directory: folder, rebuild: true) else { return nil }
        let texts = ["Exit plan: steps, costs and the break fee", "On-call handoff notes for the service desk",
                     "Escalation path for incidents", "Der Ausstiegsplan", "Le plan de sortie des services"]
        for (index, text) in texts.enumerated() {
            writer.add(SearchDocument(id: "doc-\(index)", text: ["title": text, "body": text + " " + text, "headings": "", "tags": "exit"],
                                      keywords: ["type": ["knowledge"]], language: .english, sections: []))
        }
        try? writer.commit()
        return (try? SearchIndex.open(directory: folder)).map { Searcher(index: $0) }
    }()

    static func query(_ bytes: [UInt8]) {
        let text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        var options = SearchOptions()
        options.lastWordAsPrefix = bytes.first.map { $0 & 1 == 1 } ?? false
        options.languages = [.english, .german, .french]
        _ = try? searcher?.search(text, options: options)
    }

    static func frontMatter(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let kinds = EntityKind.allCases
        let kind = kinds[Int(bytes.first ?? 0) % kinds.count]
        let path = "content/\(kind.directory)/" + (kind == .knowledge ? "communications/" : "") + "fuzz.md"
        if let entity = Entity.parse(text, kind: kind, path: path).entity {
            _ = entity.fileText()
            _ = entity.references
        }
        _ = Config.parse(text)
    }

    static func index(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        var rest = Array(bytes.dropFirst())
        let folder = scratch + "/index"
        try? FileManager.default.removeItem(atPath: folder)
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        switch mode % 3 {
        case 0:
            FileManager.default.createFile(atPath: folder + "/manifest", contents: Data(rest))
            if let index = try? SearchIndex.open(directory: folder) {
                _ = index.ids
                _ = try? Searcher(index: index).search("exit plan", options: SearchOptions())
            }
        case 1:
            FileManager.default.createFile(atPath: folder + "/segment-1.bsi", contents: Data(rest))
            _ = try? SearchIndex.inspectSegment(at: folder + "/segment-1.bsi")
        default:
            SearchIndex.sealSegment(&rest)
            FileManager.default.createFile(atPath: folder + "/segment-1.bsi", contents: Data(rest))
            _ = try? SearchIndex.inspectSegment(at: folder + "/segment-1.bsi")
        }
    }

    /// An empty knowledge base the XML importer reads into (dry runs write nothing).
    nonisolated(unsafe) static let importer: Importer? = {
        let root = scratch + "/kb"
        try? FileManager.default.createDirectory(atPath: root + "/content/knowledge", withIntermediateDirectories: true)
        try? "title: Fuzz\norganisations:\n  - {id: a, name: A}\nphase: operations\n".write(toFile: root + "/baton.yml", atomically: true, encoding: .utf8)
        guard let knowledgeBase = try? KnowledgeBase.load(root: root) else { return nil }
        var options = Importer.Options()
        options.dryRun = true
        // XML that is neither DocBook nor DITA goes through a mapping: every child of the root a record.
        options.mapping = ImportMapping(records: "/*/*", title: "string(*[1])", body: ".", name: "string(@id)", section: nil,
                                        fields: [("tags", "string(@class)")])
        return Importer(knowledgeBase: knowledgeBase, options: options)
    }()

    static func xml(_ bytes: [UInt8]) {
        let file = scratch + "/input.xml"
        FileManager.default.createFile(atPath: file, contents: Data(bytes))
        _ = importer?.run([file])
    }

    static let officeParts = ["word/document.xml", "word/styles.xml", "word/numbering.xml", "word/footnotes.xml",
                              "word/_rels/document.xml.rels", "content.xml", "styles.xml"]

    static func office(_ bytes: [UInt8]) {
        guard let mode = bytes.first else { return }
        let rest = Array(bytes.dropFirst())
        var limits = MarkupLimits()
        limits.maximumBytes = 4 << 20
        let comments = mode & 0x80 != 0
        func page(_ bytes: [UInt8], _ format: OfficeImporter.Format) {
            _ = try? OfficeImporter.page(bytes, format: format, limits: limits, comments: comments, images: true)
        }
        guard Int(mode) % (officeParts.count + 1) < officeParts.count else {
            page(rest, .word)
            page(rest, .openDocument)
            page(rest, .flatOpenDocument)
            return
        }
        let replaced = officeParts[Int(mode) % (officeParts.count + 1)]
        var parts = officeSkeleton
        parts[replaced] = rest
        guard let archive = try? Archive(accessMode: .create) else { return }
        for (path, content) in parts.sorted(by: { $0.key < $1.key }) {
            let data = Data(content)
            try? archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { return }
        page(Array(data), replaced.hasPrefix("word/") ? .word : .openDocument)
    }

    /// A small sound Word and OpenDocument archive's parts, one of which a fuzz input replaces.
    static let officeSkeleton: [String: [UInt8]] = {
        let w = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
        let o = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\""
        return [
            "word/document.xml": "<w:document \(w)><w:body><w:p><w:pPr><w:pStyle w:val=\"H1\"/><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr><w:r><w:t>Exit</w:t></w:r><w:r><w:footnoteReference w:id=\"1\"/></w:r><w:hyperlink r:id=\"rId1\"><w:r><w:t>plan</w:t></w:r></w:hyperlink></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>",
            "word/styles.xml": "<w:styles \(w)><w:style w:styleId=\"H1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"H1\"/></w:style></w:styles>",
            "word/numbering.xml": "<w:numbering \(w)><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:numFmt w:val=\"bullet\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>",
            "word/footnotes.xml": "<w:footnotes \(w)><w:footnote w:id=\"1\"><w:p><w:r><w:t>note</w:t></w:r></w:p></w:footnote></w:footnotes>",
            "word/_rels/document.xml.rels": "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Target=\"https://example.org\" TargetMode=\"External\"/></Relationships>",
            "content.xml": "<office:document-content \(o)><office:body><office:text><text:h text:outline-level=\"1\">Exit</text:h><text:list><text:list-item><text:p>plan<text:note><text:note-body><text:p>n</text:p></text:note-body></text:note></text:p></text:list-item></text:list></office:text></office:body></office:document-content>",
            "styles.xml": "<office:document-styles \(o)><office:styles/></office:document-styles>",
        ].mapValues { Array($0.utf8) }
    }()

    /// This process's scratch folder.
    static let scratch: String = {
        let path = NSTemporaryDirectory() + "baton-fuzz-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()
}

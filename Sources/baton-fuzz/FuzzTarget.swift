import BatonContent
import BatonImport
import BatonSearch
import Foundation

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
    /// The XML importer: DocBook and other XML through the whole import, in a dry run.
    case xml

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
        return Importer(knowledgeBase: knowledgeBase, options: options)
    }()

    static func xml(_ bytes: [UInt8]) {
        let file = scratch + "/input.xml"
        FileManager.default.createFile(atPath: file, contents: Data(bytes))
        _ = importer?.run([file])
    }

    /// This process's scratch folder.
    static let scratch: String = {
        let path = NSTemporaryDirectory() + "baton-fuzz-\(ProcessInfo.processInfo.processIdentifier)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()
}

import BatonContent
import BatonSearch
import Foundation

/// Imports HTML documents as knowledge entries: one entry per page, its id made from the page's path, so links
/// between pages of the same import can point at each other's entries. Importing the same source again updates
/// its entry (only the fields the import owns) instead of adding a second one.
public final class Importer {
    public struct Options: Sendable {
        public var section: PlanSection = .knowledgeManagement
        public var owner: String?
        public var confidentiality: Confidentiality = .internal
        public var dryRun = false
        public var limits = MarkupLimits()
        /// How DocBook documents are cut into entries: `chapter`, `section` or `none`.
        public var split = "chapter"
        /// How to read XML that is not DocBook.
        public var mapping: ImportMapping?
        /// Copy local images beside their entry (into `<entry>-assets/`) and point the Markdown at the copies.
        public var assets = false
        /// The share of a source's visible words its entries must keep; below it the import warns.
        public var minimumShare = 0.8
        /// Refuse (write nothing for) a file whose entries keep less than `minimumShare` of its text.
        public var strict = false
        /// Keep the comments of Word and OpenDocument files, as quotes after the paragraph they are on.
        public var comments = false

        public init() {}
    }

    public enum Outcome: Sendable, Equatable {
        case imported, updated, unchanged
        case skipped(String)
        case failed(String)

        public var label: String {
            switch self {
            case .imported: return "imported"
            case .updated: return "updated"
            case .unchanged: return "unchanged"
            case .skipped: return "skipped"
            case .failed: return "failed"
            }
        }
    }

    public struct Result: Sendable {
        public var source: String
        public var entry: String?
        public var outcome: Outcome
        /// How much of the source file's visible text its entries kept (every part of one file carries the
        /// file's figure); nil where nothing was converted (unchanged, skipped, unreadable).
        public var kept: TextKept?
        /// The file the result comes from (a part's or record's `source` adds a `#fragment` to it).
        public var file: String?
    }

    /// Front-matter fields an import writes; every other field is the editors', kept on re-import.
    static let ownedFields = ["title", "source", "source_hash", "description", "author", "modified"]

    let knowledgeBase: KnowledgeBase
    let options: Options
    /// The anchors of the HTML pages converted in this run, by entry id (see `HTMLAnchors`).
    var anchorsByEntry: [String: [String: String]] = [:]

    public init(knowledgeBase: KnowledgeBase, options: Options) {
        self.knowledgeBase = knowledgeBase
        self.options = options
    }

    static let htmlExtensions: Set<String> = ["html", "htm", "xhtml"]
    /// DocBook, DITA topics and maps, GNOME's Mallard pages (read through a mapping), any other XML.
    static let xmlExtensions: Set<String> = ["xml", "dbk", "docbook", "dita", "ditamap", "bookmap", "page"]
    static let markdownExtensions: Set<String> = ["md", "markdown", "mdown", "mkd"]
    /// Files a Markdown image or an Obsidian embed (`![[photo.png]]`) shows as a picture.
    static let imageExtensions: Set<String> = ["png", "jpg", "jpeg", "gif", "svg", "webp", "avif", "bmp"]

    enum Kind { case html, xml, word, openDocument, flatOpenDocument, markdown, other }

    /// HTML or XML by the file's extension; a file without one (as wiki exports and saved pages often are)
    /// by how it begins.
    static func kind(of file: String) -> Kind {
        let ext = (file as NSString).pathExtension.lowercased()
        if htmlExtensions.contains(ext) { return .html }
        if xmlExtensions.contains(ext) { return .xml }
        if ext == "docx" || ext == "docm" { return .word }
        if ext == "odt" { return .openDocument }
        if ext == "fodt" { return .flatOpenDocument }
        if markdownExtensions.contains(ext) { return .markdown }
        guard ext.isEmpty, RegularFile.isRegular(file), let handle = FileHandle(forReadingAtPath: file) else { return .other }
        defer { try? handle.close() }
        let head = String(decoding: (try? handle.read(upToCount: 1024)) ?? Data(), as: UTF8.self)
            .drop(while: { $0 == "\u{FEFF}" || $0.isWhitespace }).lowercased()
        if head.hasPrefix("<!doctype html") || head.hasPrefix("<html") { return .html }
        if head.hasPrefix("<?xml") {
            // XHTML is HTML to us.
            return head.contains("<html") ? .html : .xml
        }
        if head.hasPrefix("<!doctype") || head.hasPrefix("<!--") { return head.contains("<html") ? .html : .other }
        return .other
    }

    /// A file to import: where it is, the folder it was found from (and whether that folder was given to the
    /// import, rather than being the parent of a file named on its own), and what it is.
    struct Input {
        var file: String
        var base: String
        var inFolder: Bool
        var kind: Kind
        /// A symbolic link met while walking a folder: skipped, not failed (a file named on its own is read
        /// as it is, and refused when it is a link).
        var isLink = false
    }

    /// Every importable file under the given paths (folders recursively). Kinds are worked out once here: for a
    /// file without an extension that means reading its first bytes.
    /// Every other regular file met in the folders goes into `others` (the attachments a Markdown vault's embeds
    /// name). Hidden files and folders (`.git`, `.obsidian`) are not walked into.
    func files(_ paths: [String], others: inout [String]) -> [Input] {
        var result: [Input] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            let parent = (path as NSString).deletingLastPathComponent
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
                result.append(Input(file: path, base: parent, inFolder: false, kind: Self.kind(of: path)))
                continue
            }
            let walker = FileManager.default.enumerator(atPath: path)
            var found: [Input] = []
            while let relative = walker?.nextObject() as? String {
                if (relative as NSString).lastPathComponent.hasPrefix(".") {
                    walker?.skipDescendants()
                    continue
                }
                let file = (path as NSString).appendingPathComponent(relative)
                let kind = Self.kind(of: file)
                let isLink = (try? FileManager.default.attributesOfItem(atPath: file)[.type] as? FileAttributeType) == .typeSymbolicLink
                if kind != .other {
                    found.append(Input(file: file, base: path, inFolder: true, kind: kind, isLink: isLink))
                } else if !isLink, RegularFile.isRegular(file) {
                    others.append(Self.absolute(file))
                }
            }
            result += found.sorted { $0.file < $1.file }
        }
        return result
    }

    /// A lower-case, hyphenated name from a path inside the import: `library/os.path.html` → `library-os-path`.
    /// With `extension: false` the text is a name, not a file, and a dot in it is kept apart (`v1.2` → `v1-2`).
    static func slug(_ relative: String, extension hasExtension: Bool = true) -> String {
        let stem = hasExtension ? (relative as NSString).deletingPathExtension : relative
        var out = ""
        for character in stem.lowercased() {
            if (character.isLetter && character.isASCII) || character.isNumber {
                out.append(character)
            } else if out.last != "-" && !out.isEmpty {
                out.append("-")
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "page" : String(out.prefix(80))
    }

    /// Imports every file; `progress` is told how many are done.
    public func run(_ paths: [String], progress: (Int, Int) -> Void = { _, _ in }) -> [Result] {
        anchorsByEntry = [:]
        var attachments: [String] = []
        let files = files(paths, others: &attachments)
        let names = markdownNames(files, attachments: attachments)
        // Existing entries by their source, so a second import updates them.
        var bySource: [String: Entity] = [:]
        for entity in knowledgeBase.entities(of: .knowledge) {
            if let source = entity.knowledge?.source { bySource[source] = entity }
        }
        // Ids first, so that links between the imported pages can be rewritten.
        var ids: [String: String] = [:]  // absolute file path → entry id
        var taken = TakenNames(knowledgeBase)
        for input in files {
            let (file, base) = (input.file, input.base)
            let source = Self.sourceName(file)
            if names.drafts.contains(Self.absolute(file)) { continue }
            if let existing = bySource[source] {
                ids[Self.absolute(file)] = existing.id
                continue
            }
            let relative = Self.absolute(file).replacingOccurrences(of: Self.absolute(base) + "/", with: "")
            var name = Self.slug(relative)
            // A folder's own page (`guide/index.md`, Hugo's `_index.md`, `README.md`) is named after the folder.
            if input.kind == .markdown, relative.contains("/"),
               ["index", "_index", "readme"].contains(((relative as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased()) {
                name = Self.slug((relative as NSString).deletingLastPathComponent, extension: false)
            }
            ids[Self.absolute(file)] = taken.claim(name, section: options.section)
        }
        // XML documents with their parts (XInclude, external entities) inlined; a file that is a part of
        // another document being imported is imported with it, not on its own.
        var assembled: [String: DocBook.Assembled] = [:]
        var partOf: [String: String] = [:]  // absolute part path → the document that includes it
        // Parts are read only from inside a folder given to the import, never from beside a lone file.
        for input in files where input.kind == .xml {
            guard let data = try? RegularFile.read(input.file, limit: options.limits.maximumBytes) else { continue }
            let whole = DocBook.inlineParts(data, file: input.file, base: input.inFolder ? input.base : nil)
            assembled[Self.absolute(input.file)] = whole
            for part in whole.parts where partOf[part] == nil { partOf[part] = Self.sourceName(input.file) }
        }
        var results: [Result] = []
        for (index, input) in files.enumerated() {
            let file = input.file
            if input.isLink {
                results.append(Result(source: Self.sourceName(file), entry: nil,
                                      outcome: .skipped("a symbolic link; only regular files are imported")))
            } else if let whole = partOf[Self.absolute(file)] {
                results.append(Result(source: Self.sourceName(file), entry: nil, outcome: .skipped("a part of \(whole), imported with it")))
            } else if input.kind == .xml {
                results += importXML(input, assembled: assembled[Self.absolute(file)], id: ids[Self.absolute(file)], ids: ids,
                                     bySource: bySource, taken: &taken)
            } else if names.drafts.contains(Self.absolute(file)) {
                results.append(Result(source: Self.sourceName(file), entry: nil, outcome: .skipped("a draft (its front matter says draft: true or published: false)")))
            } else if let problem = names.unreadable[Self.absolute(file)] {
                results.append(Result(source: Self.sourceName(file), entry: nil, outcome: .failed("its front matter cannot be read, " + problem)))
            } else {
                results.append(importFile(input, id: ids[Self.absolute(file)], existing: bySource[Self.sourceName(file)], ids: ids, names: names))
            }
            progress(index + 1, files.count)
        }
        if !options.dryRun { pointFragments(results, ids: ids) }
        return results
    }

    /// Links from one imported page to an id on another (`datetime.md#datetime.date.isoweekday`) pointed at the
    /// heading that id is under in the other's entry, once every page has been converted (a page links to pages
    /// converted after it). A page this run left unchanged is converted again only when a link needs its ids.
    func pointFragments(_ results: [Result], ids: [String: String]) {
        let written = results.filter { $0.outcome == .imported || $0.outcome == .updated }.compactMap(\.entry)
            .filter { anchorsByEntry[$0] != nil }
        guard !written.isEmpty else { return }
        var fileOf: [String: String] = [:]
        for (file, id) in ids { fileOf[id] = file }
        func anchors(_ id: String) -> [String: String]? {
            if let known = anchorsByEntry[id] { return known }
            guard let file = fileOf[id], Self.kind(of: file) == .html,
                  let bytes = try? RegularFile.read(file, limit: options.limits.maximumBytes),
                  let page = try? HTMLImporter.page(bytes, limits: options.limits) else { return nil }
            anchorsByEntry[id] = page.anchors
            return page.anchors
        }
        for id in written {
            let path = knowledgeBase.root + "/content/" + id + ".md"
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), text.contains(".md#") else { continue }
            let folder = (id as NSString).deletingLastPathComponent
            let pointed = HTMLAnchors.rewriteLinks(text) { target, fragment in
                let entry = KnowledgeBase.normalise(folder + "/" + target)
                guard entry.hasSuffix(".md") else { return nil }
                return anchors(String(entry.dropLast(3)))?[fragment]
            }
            if pointed != text { try? AtomicFile.write(pointed, to: path) }
        }
    }

    /// The names knowledge entries already have, and those this import has given out. A name is unique across
    /// sections (`baton check` refuses two `exit-plan`s), so a new entry whose name is taken gets `-2`, `-3`.
    struct TakenNames {
        private var names: Set<String>

        init(_ knowledgeBase: KnowledgeBase) {
            names = Set(knowledgeBase.entities(of: .knowledge).map { ($0.id as NSString).lastPathComponent })
        }

        /// The id of a new entry called `name` (or the first free `name-N`) in `section`, from now on taken.
        mutating func claim(_ name: String, section: PlanSection) -> String {
            var free = name
            var number = 2
            while names.contains(free) {
                free = "\(name)-\(number)"
                number += 1
            }
            names.insert(free)
            return "knowledge/\(section.rawValue)/\(free)"
        }
    }

    /// Why a file was not read, in the words of an import's summary (the file is named beside it).
    static func readFailure(_ error: RegularFile.Failure) -> String {
        switch error {
        case .tooLarge(_, let size, let limit):
            return "the file is \(size >> 20) MB, above the import limit of \(limit >> 20) MB (--max-size MB raises it)"
        case .notRegular(_, let what): return "it is \(what), not a regular file"
        case .missing: return "the file no longer exists"
        case .unreadable(_, let reason): return "the file cannot be read: \(reason)"
        }
    }

    static func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// What `source:` records: the file's absolute path.
    static func sourceName(_ file: String) -> String { absolute(file) }

    private func importFile(_ input: Input, id: String?, existing: Entity?, ids: [String: String], names: MarkdownNames) -> Result {
        let (file, kind) = (input.file, input.kind)
        let source = Self.sourceName(file)
        guard let id else { return Result(source: source, entry: nil, outcome: .failed("no id could be made")) }
        // The size is checked before a byte is read, and only a regular file is opened.
        let data: [UInt8]
        do {
            data = try RegularFile.read(file, limit: options.limits.maximumBytes)
        } catch {
            return Result(source: source, entry: nil, outcome: .failed(Self.readFailure(error)))
        }
        guard kind != .other else {
            let what = (file as NSString).pathExtension.isEmpty ? "it does not begin like HTML or XML" : "only .html, .htm, .xhtml, .xml, .md, .docx, .odt and .fodt files (and files without an extension that begin like HTML or XML) are imported"
            return Result(source: source, entry: nil, outcome: .skipped(what))
        }
        let bytes = Array(data)
        let hash = Self.hash(bytes)
        if let existing, existing.frontMatter["source_hash"]?.scalarText == hash {
            return Result(source: source, entry: existing.id, outcome: .unchanged)
        }
        let folder = (Self.absolute(file) as NSString).deletingLastPathComponent
        let entryFolder = (id as NSString).deletingLastPathComponent
        var page: ImportedPage
        let assetFolder = (id as NSString).lastPathComponent + "-assets"
        /// Images to copy beside the entry: a file on disk, or a part of the document's archive.
        var copies: [(from: String, name: String)] = []
        func copyName(_ from: String, _ proposed: String) -> String {
            if let known = copies.first(where: { $0.from == from }) { return known.name }
            let name = copies.contains { $0.name == proposed } ? "\(copies.count)-" + proposed : proposed
            copies.append((from, name))
            return name
        }
        var archive: OfficeArchive?
        let link: (String) -> String = { href in Self.rewrite(href, from: folder, entryFolder: entryFolder, ids: ids) }
        do {
            switch kind {
            case .word, .openDocument, .flatOpenDocument:
                var request = WordDocument.Request()
                request.limits = options.limits
                request.comments = options.comments
                request.fallbackTitle = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
                request.link = link
                if options.assets {
                    request.image = { part in assetFolder + "/" + copyName(part, OfficeArchive.copyName(part)) }
                }
                if kind == .word {
                    (page, archive) = try WordDocument.page(bytes, request)
                } else if kind == .openDocument {
                    (page, archive) = try OpenDocument.page(bytes, request)
                } else {
                    page = try OpenDocument.flatPage(bytes, request)
                }
            case .markdown:
                // The front matter was read once already; a file changed since then is read as it is now.
                guard let parsed = try? MarkdownSource.parse(String(decoding: bytes, as: UTF8.self)) else {
                    return Result(source: source, entry: nil, outcome: .failed("its front matter can no longer be read"))
                }
                let image: ((String) -> String?)? = options.assets ? { local in
                    assetFolder + "/" + copyName(local, (local as NSString).lastPathComponent)
                } : nil
                page = markdownPage(parsed, file: file, base: input.base, entryFolder: entryFolder, ids: ids, names: names, image: image)
            default:
                let imageRule: ((String) -> String)? = options.assets ? { src in
                    let local = src.hasPrefix("/") ? src : Self.absolute((folder as NSString).appendingPathComponent(src))
                    guard !src.contains("://"), FileManager.default.fileExists(atPath: local) else { return src }
                    return assetFolder + "/" + copyName(local, (local as NSString).lastPathComponent)
                } : nil
                page = try HTMLImporter.page(bytes, limits: options.limits, link: link, image: imageRule,
                                             fallbackTitle: ((file as NSString).lastPathComponent as NSString).deletingPathExtension)
                anchorsByEntry[id] = page.anchors
            }
        } catch {
            return Result(source: source, entry: nil, outcome: .failed(error.description))
        }
        if let refusal = refusal(page.kept) {
            return Result(source: source, entry: nil, outcome: .failed(refusal), kept: page.kept, file: source)
        }
        let path = "content/" + id + ".md"
        let text: String
        if let existing {
            text = updated(existing, page: page, hash: hash)
        } else {
            text = created(page, id: id, source: source, hash: hash)
        }
        if !options.dryRun {
            do {
                let entryDirectory = knowledgeBase.root + "/" + (path as NSString).deletingLastPathComponent
                try AtomicFile.createDirectory(entryDirectory)
                // Images first: an entry is only written once everything it points at is in place.
                if !copies.isEmpty {
                    try AtomicFile.createDirectory(entryDirectory + "/" + assetFolder)
                    for copy in copies {
                        let data = archive.map { try? $0.part(copy.from) } ?? (try? RegularFile.read(copy.from, limit: options.limits.maximumBytes))
                        guard let data else { continue }
                        try AtomicFile.write(to: entryDirectory + "/" + assetFolder + "/" + copy.name) { output in
                            try output.write(data)
                        }
                    }
                }
                try AtomicFile.write(text, to: knowledgeBase.root + "/" + path)
            } catch {
                return Result(source: source, entry: id, outcome: .failed("\(error)"))
            }
        }
        return Result(source: source, entry: id, outcome: existing == nil ? .imported : .updated, kept: page.kept, file: source)
    }

    /// Why a file is refused under `strict`: its entries keep too little of its text. Nil when it may be written.
    func refusal(_ kept: TextKept?) -> String? {
        guard options.strict, let kept, kept.share < options.minimumShare else { return nil }
        return Self.describe(kept) + ", below the \(Int((options.minimumShare * 100).rounded())) % threshold; nothing written (--strict)"
    }

    /// "kept 27 % of its visible text (412 of 1530 words)".
    public static func describe(_ kept: TextKept) -> String {
        "kept \(kept.percent) % of its visible text (\(kept.keptWords) of \(kept.sourceWords) words)"
    }

    /// A DocBook document: one entry per part (chapter, top section or the whole), cross-references rewritten.
    /// `id` is the name claimed for the file before the import began: the entry of a document that becomes one.
    private func importXML(_ input: Input, assembled: DocBook.Assembled?, id fileID: String?, ids: [String: String],
                           bySource: [String: Entity], taken: inout TakenNames) -> [Result] {
        let file = input.file
        let source = Self.sourceName(file)
        guard let whole = assembled else {
            return [Result(source: source, entry: nil, outcome: .failed("the file cannot be read"))]
        }
        if let problem = whole.problem {
            return [Result(source: source, entry: nil, outcome: .failed(problem))]
        }
        let root: MarkupNode
        do {
            root = try Markup.parseXML(DocBook.resolveCharacterEntities(whole.bytes), limits: options.limits)
        } catch {
            return [Result(source: source, entry: nil, outcome: .failed(error.description))]
        }
        if DITA.isTopic(root) {
            return [importDITA(file, root: root, id: fileID, ids: ids, existing: bySource[source])]
        }
        if DITA.isMap(root) && options.mapping == nil {
            return [Result(source: source, entry: nil, outcome: .skipped(
                "a DITA map: import the topics it lists (their folder) to have them as entries"))]
        }
        guard DocBook.isDocBook(root) else {
            if let mapping = options.mapping {
                return importMapped(file, bytes: whole.bytes, mapping: mapping, bySource: bySource, taken: &taken)
            }
            return [Result(source: source, entry: nil, outcome: .skipped(
                "<\(root.name ?? "")> is not DocBook; give a --mapping file to import other XML"))]
        }
        let split = DocBook.Split(rawValue: options.split) ?? .chapter
        let base = Self.slug((file as NSString).lastPathComponent)
        let parts = DocBook.parts(root, split: split, fallbackName: base)
        var titles: [String: String] = [:]
        DocBook.ids(root, into: &titles)
        // Which entry each id ends up in, and its entry id.
        var entryIDs: [String] = []
        var sources: [String] = []
        var owners: [String: Int] = [:]
        for (index, part) in parts.enumerated() {
            let name = parts.count == 1 ? base : base + "-" + Self.slug(part.title.isEmpty ? "part-\(index + 1)" : part.title)
            let partSource = parts.count == 1 ? source : source + "#" + Self.slug(part.title.isEmpty ? "\(index + 1)" : part.title)
            // A document that is one entry keeps the name claimed for its file.
            let id = bySource[partSource]?.id ?? (parts.count == 1 ? fileID : nil) ?? taken.claim(name, section: options.section)
            entryIDs.append(id)
            sources.append(partSource)
            var partIDs: [String: String] = [:]
            DocBook.ids(part.node, into: &partIDs)
            for key in partIDs.keys { owners[key] = index }
        }
        // Every part converted first: the file is judged on what all its entries keep.
        var pages: [ImportedPage] = []
        var written = WordBag()
        for (index, part) in parts.enumerated() {
            let id = entryIDs[index]
            let entryFolder = (id as NSString).deletingLastPathComponent
            var writer = MarkdownWriter(resolveLink: { href in
                guard href.hasPrefix("#") else { return href }
                let target = String(href.dropFirst())
                let anchor = titles[target].map { "#" + Self.anchor($0) } ?? ""
                guard let owner = owners[target] else { return href }
                if owner == index { return anchor.isEmpty ? href : anchor }
                let file = (entryIDs[owner] as NSString).lastPathComponent + ".md"
                let folder = (entryIDs[owner] as NSString).deletingLastPathComponent
                return (folder == entryFolder ? file : "../" + (folder as NSString).lastPathComponent + "/" + file) + anchor
            })
            var markdown = writer.markdown(DocBook.html(part.node, depth: 1, titles: titles))
            let title = part.title.isEmpty ? (DocBook.title(of: root).isEmpty ? base : DocBook.title(of: root)) : part.title
            if !markdown.hasPrefix("# ") { markdown = "# \(MarkdownWriter.escape(title))\n\n" + markdown }
            written.add(markdown: markdown)
            pages.append(ImportedPage(title: title, markdown: markdown, description: nil,
                                      author: DocBook.authors(of: part.node) ?? DocBook.authors(of: root), keywords: [],
                                      date: nil, language: root.attribute("lang") ?? root.attribute("xml:lang"), images: writer.images))
        }
        var seen = WordBag()
        seen.add(root, skip: DocBook.isMetadata)
        let kept = TextKept.between(source: seen, kept: written)
        if let refusal = refusal(kept) {
            return [Result(source: source, entry: nil, outcome: .failed(refusal), kept: kept, file: source)]
        }
        var results: [Result] = []
        for (index, page) in pages.enumerated() {
            let id = entryIDs[index]
            let hash = Self.hash(Array(page.markdown.utf8))
            let existing = bySource[sources[index]]
            if let existing, existing.frontMatter["source_hash"]?.scalarText == hash {
                results.append(Result(source: sources[index], entry: existing.id, outcome: .unchanged, kept: kept, file: source))
                continue
            }
            let text = existing.map { updated($0, page: page, hash: hash) }
                ?? created(page, id: id, source: sources[index], hash: hash)
            var result = store(text, id: id, source: sources[index], isNew: existing == nil)
            result.kept = kept
            result.file = source
            results.append(result)
        }
        return results
    }

    /// A DITA topic file: one entry, its nested topics as sections, links to other imported topics pointed at
    /// their entries.
    private func importDITA(_ file: String, root: MarkupNode, id: String?, ids: [String: String], existing: Entity?) -> Result {
        let source = Self.sourceName(file)
        guard let id = existing?.id ?? id else { return Result(source: source, entry: nil, outcome: .failed("no id could be made")) }
        let folder = (Self.absolute(file) as NSString).deletingLastPathComponent
        let entryFolder = (id as NSString).deletingLastPathComponent
        var context = DITA.Context()
        DITA.ids(root, into: &context.titles)
        context.link = { href in Self.rewrite(href, from: folder, entryFolder: entryFolder, ids: ids) }
        let properties = DITA.properties(root)
        let title = properties.title.isEmpty ? ((file as NSString).lastPathComponent as NSString).deletingPathExtension : properties.title
        var writer = MarkdownWriter()
        var markdown = writer.markdown(DITA.html(root, depth: 1, context))
        if !markdown.hasPrefix("# ") { markdown = "# \(MarkdownWriter.escape(title))\n\n" + markdown }
        var seen = WordBag()
        seen.add(root, skip: DITA.isMetadata)
        var written = WordBag()
        written.add(markdown: markdown)
        let kept = TextKept.between(source: seen, kept: written)
        if let refusal = refusal(kept) {
            return Result(source: source, entry: nil, outcome: .failed(refusal), kept: kept, file: source)
        }
        let page = ImportedPage(title: title, markdown: markdown, description: properties.description, author: properties.author,
                                keywords: properties.keywords, date: properties.modified, language: properties.language,
                                images: writer.images)
        let hash = Self.hash(Array(markdown.utf8))
        if let existing, existing.frontMatter["source_hash"]?.scalarText == hash {
            return Result(source: source, entry: existing.id, outcome: .unchanged, kept: kept, file: source)
        }
        let text = existing.map { updated($0, page: page, hash: hash) } ?? created(page, id: id, source: source, hash: hash)
        var result = store(text, id: id, source: source, isNew: existing == nil)
        result.kept = kept
        result.file = source
        return result
    }

    /// Writes an entry generated from one part or record (atomically, unless this is a dry run) and says what
    /// happened to it.
    func store(_ text: String, id: String, source: String, isNew: Bool) -> Result {
        if !options.dryRun {
            let path = knowledgeBase.root + "/content/" + id + ".md"
            do {
                try AtomicFile.createDirectory((path as NSString).deletingLastPathComponent)
                try AtomicFile.write(text, to: path)
            } catch {
                return Result(source: source, entry: id, outcome: .failed(error.description))
            }
        }
        return Result(source: source, entry: id, outcome: isNew ? .imported : .updated)
    }

    /// The GitHub-style anchor of a heading, as the entry's Markdown will have it.
    static func anchor(_ title: String) -> String {
        MarkdownSummary.anchor(forHeading: title)
    }

    /// Links to pages of the same import become links to their entries' files; other relative links to files
    /// that exist are resolved to absolute paths; links to nothing, and URLs, stay as they are.
    static func rewrite(_ href: String, from folder: String, entryFolder: String, ids: [String: String]) -> String {
        if href.contains("://") || href.hasPrefix("mailto:") || href.hasPrefix("#") { return href }
        var target = href
        var fragment = ""
        if let hash = target.firstIndex(of: "#") {
            fragment = String(target[hash...])
            target = String(target[..<hash])
        }
        let resolved = target.hasPrefix("/") ? target : absolute((folder as NSString).appendingPathComponent(target))
        if let id = ids[resolved] { return entryLink(to: id, from: entryFolder) + fragment }
        return FileManager.default.fileExists(atPath: resolved) ? resolved + fragment : href
    }

    static func hash(_ bytes: [UInt8]) -> String {
        var value: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return String(value, radix: 16)
    }

    private func yamlString(_ text: String) -> String {
        let plain = !text.isEmpty && !text.contains(": ") && !text.contains(" #") && !"-?:,[]{}#&*!|>'\"%@`".contains(text.first!)
            && text.trimmed == text && Double(text) == nil && !["yes", "no", "true", "false", "null", "~"].contains(text.lowercased())
        if plain { return text }
        return "\"" + text.replacingAll("\\", "\\\\").replacingAll("\"", "\\\"") + "\""
    }

    func created(_ page: ImportedPage, id: String, source: String, hash: String, section: PlanSection? = nil,
                 extra: [(String, [String])] = []) -> String {
        var lines = ["---", "title: \(yamlString(page.title))", "section: \((section ?? options.section).rawValue)"]
        let mapped = Set(extra.map(\.0))
        if let owner = options.owner, !mapped.contains("owner") { lines.append("owner: \(owner)") }
        for (key, values) in extra where !values.isEmpty && !["title", "section", "source", "source_hash"].contains(key) {
            if values.count == 1 && key != "tags" {
                lines.append("\(key): \(yamlString(values[0]))")
            } else {
                lines.append("\(key): [" + values.map(yamlString).joined(separator: ", ") + "]")
            }
        }
        if !page.keywords.isEmpty { lines.append("tags: [" + page.keywords.map(yamlString).joined(separator: ", ") + "]") }
        lines.append("source: \(yamlString(source))")
        lines.append("source_hash: \(yamlString(hash))")
        if let description = page.description { lines.append("description: \(yamlString(description))") }
        if let author = page.author { lines.append("author: \(yamlString(author))") }
        if let modified = page.date.flatMap(OfficeProperties.day) { lines.append("modified: \(modified)") }
        if let language = page.language.flatMap({ code in ["en", "de", "fr"].first { code.lowercased().hasPrefix($0) } }) {
            lines.append("lang: \(language)")
        }
        lines.append("confidentiality: \(options.confidentiality.rawValue)")
        lines.append("---")
        return lines.joined(separator: "\n") + "\n\n" + page.markdown
    }

    /// The entry's file with the import's own fields and the body replaced, everything else as it was.
    func updated(_ existing: Entity, page: ImportedPage, hash: String) -> String {
        var entity = existing
        var frontMatter = entity.frontMatter
        frontMatter.set("source_hash", .string(hash))
        frontMatter.set("description", page.description.map(YAMLNode.string))
        frontMatter.set("author", page.author.map(YAMLNode.string))
        frontMatter.set("modified", page.date.flatMap(OfficeProperties.day).map(YAMLNode.string))
        entity.frontMatter = frontMatter
        if case .knowledge(var knowledge) = entity.record {
            knowledge.title = page.title
            entity.record = .knowledge(knowledge)
        }
        entity.body = "\n" + page.markdown
        return entity.fileText()
    }
}

import BatonContent
import BatonSearch
import Foundation

extension Importer {
    /// What the Markdown files of one import can be linked to by: wiki links name a page by its file name, its
    /// path, its title or an alias, and embeds name attachments by file name.
    struct MarkdownNames {
        /// Lower-cased names → the absolute files of pages that go by them (shortest path first).
        var pages: [String: [String]] = [:]
        /// Lower-cased file names → the absolute paths of other files in the imported folders.
        var attachments: [String: [String]] = [:]
        /// Files whose front matter marks them as drafts: not imported, and links to them left as text.
        var drafts: Set<String> = []
        /// Lower-cased absolute paths of the pages → their files: generators write URLs in lower case.
        var paths: [String: String] = [:]
        /// Files whose front matter cannot be read, with why (each is reported once, when its turn comes).
        var unreadable: [String: String] = [:]

        func page(_ name: String) -> String? {
            var key = name.lowercased()
            if Importer.markdownExtensions.contains((key as NSString).pathExtension) { key = (key as NSString).deletingPathExtension }
            if key.hasPrefix("/") { key.removeFirst() }
            return pages[key]?.first ?? pages[(key as NSString).lastPathComponent]?.first
        }

        func attachment(_ name: String) -> String? {
            let key = name.lowercased()
            let candidates = attachments[(key as NSString).lastPathComponent] ?? []
            // `![[img/chart.png]]`: the path narrows a name that several folders hold.
            return candidates.first { $0.lowercased().hasSuffix("/" + key) } ?? candidates.first
        }
    }

    /// Reads the front matter of every Markdown file once, for the names links may use.
    func markdownNames(_ inputs: [Input], attachments: [String]) -> MarkdownNames {
        var names = MarkdownNames()
        func add(_ name: String, _ file: String) {
            let key = name.lowercased().trimmed
            guard !key.isEmpty else { return }
            names.pages[key, default: []].append(file)
        }
        for input in inputs where input.kind == .markdown && !input.isLink {
            let file = Self.absolute(input.file)
            let relative = file.replacingOccurrences(of: Self.absolute(input.base) + "/", with: "")
            let parsed: MarkdownSource.Parsed
            do {
                let bytes = try RegularFile.read(input.file, limit: options.limits.maximumBytes)
                parsed = try MarkdownSource.parse(String(decoding: bytes, as: UTF8.self))
            } catch let failure as MarkdownSource.Failure {
                names.unreadable[file] = failure.description
                continue
            } catch {
                continue  // reported when the file itself is imported
            }
            if parsed.metadata.isDraft {
                names.drafts.insert(file)
                continue
            }
            names.paths[file.lowercased()] = file
            add((relative as NSString).deletingPathExtension, file)
            add(((relative as NSString).lastPathComponent as NSString).deletingPathExtension, file)
            if let title = parsed.metadata.title { add(title, file) }
            for alias in parsed.metadata.aliases { add(alias, file) }
        }
        for key in names.pages.keys { names.pages[key] = Array(Set(names.pages[key]!)).sorted { ($0.count, $0) < ($1.count, $1) } }
        for file in attachments {
            names.attachments[(file as NSString).lastPathComponent.lowercased(), default: []].append(file)
        }
        for key in names.attachments.keys { names.attachments[key]!.sort { ($0.count, $0) < ($1.count, $1) } }
        return names
    }

    /// The imported Markdown file a link's path names, trying what generators accept: the file itself, the path
    /// with `.md` added, a folder's `index.md`, `_index.md` or `README.md`, a `.html` link to the page it is made
    /// from, and, for a path beginning with `/`, the imported folder as the site's root. Nil for anything else.
    static func markdownTarget(_ path: String, folder: String, base: String, ids: [String: String], names: MarkdownNames) -> String? {
        guard !path.isEmpty else { return nil }
        var starts: [String] = []
        if path.hasPrefix("/") {
            starts.append(absolute(base + path))
        } else {
            starts.append(absolute((folder as NSString).appendingPathComponent(path)))
            // Hugo writes a page at `<name>/`, so a relative link in it may be meant from one folder down.
            if path.hasSuffix("/") { starts.append(absolute((folder as NSString).appendingPathComponent("x/" + path))) }
        }
        for start in starts {
            var candidates = [start]
            for ext in ["md", "markdown"] { candidates.append(start + "." + ext) }
            for name in ["index.md", "_index.md", "README.md", "readme.md"] { candidates.append(start + "/" + name) }
            let ext = (start as NSString).pathExtension.lowercased()
            if ext == "html" || ext == "htm" {
                let stem = (start as NSString).deletingPathExtension
                candidates += [stem + ".md", stem + ".markdown", stem + "/index.md"]
            }
            if let found = candidates.first(where: { ids[$0] != nil }) { return found }
            if let found = candidates.lazy.compactMap({ names.paths[$0.lowercased()] }).first { return found }
        }
        return nil
    }

    /// Converts one Markdown file: its body with links pointed at entries, images at copies (with `--assets`),
    /// wiki links resolved, and its front matter mapped onto the entry's fields.
    func markdownPage(_ parsed: MarkdownSource.Parsed, file: String, base: String, entryFolder: String,
                      ids: [String: String], names: MarkdownNames, image: ((String) -> String?)?) -> ImportedPage {
        let folder = (Self.absolute(file) as NSString).deletingLastPathComponent
        func link(to target: String, fragment: String) -> String? {
            guard let id = ids[target], !names.drafts.contains(target) else { return nil }
            return Self.entryLink(to: id, from: entryFolder) + fragment
        }
        func local(_ path: String) -> String? {
            let resolved = path.hasPrefix("/") ? Self.absolute(base + path) : Self.absolute((folder as NSString).appendingPathComponent(path))
            if FileManager.default.fileExists(atPath: resolved) { return resolved }
            return path.hasPrefix("/") && FileManager.default.fileExists(atPath: path) ? path : nil
        }
        let rewriter = MarkdownSource.Rewriter(
            destination: { written, isImage in
                var destination = written
                if let path = MarkdownSource.shortcodePath(written) { destination = path }
                if destination.contains("://") || destination.hasPrefix("mailto:") || destination.hasPrefix("#")
                    || destination.hasPrefix("tel:") || destination.hasPrefix("data:") {
                    return destination == written ? nil : destination
                }
                var fragment = ""
                if let hash = destination.firstIndex(of: "#") {
                    fragment = String(destination[hash...])
                    destination = String(destination[..<hash])
                }
                if let query = destination.firstIndex(of: "?") { destination = String(destination[..<query]) }
                let path = destination.removingPercentEncoding ?? destination
                if isImage {
                    guard let found = local(path) else { return nil }
                    return image?(found) ?? found
                }
                if let target = Self.markdownTarget(path, folder: folder, base: base, ids: ids, names: names) {
                    return link(to: target, fragment: fragment)
                }
                // Hugo's ref finds a page by its name alone, and a site-root path may be a page's old address
                // (Hugo's `aliases`).
                if MarkdownSource.shortcodePath(written) != nil || path.hasPrefix("/"), let target = names.page(path.hasSuffix("/") ? String(path.dropLast()) : path) {
                    return link(to: target, fragment: fragment)
                }
                return local(path).map { $0 + fragment }
            },
            wiki: { target, isEmbed in
                let ext = (target as NSString).pathExtension.lowercased()
                if !ext.isEmpty && !Self.markdownExtensions.contains(ext) {
                    // An attachment: a picture is shown (copied with --assets), any other file linked.
                    guard let found = names.attachment(target) else { return nil }
                    return Self.imageExtensions.contains(ext) ? (image?(found) ?? found) : found
                }
                guard let page = names.page(target) else { return nil }
                return link(to: page, fragment: "")
            })
        var markdown = MarkdownSource.rewrite(parsed.body, rewriter)
        while markdown.hasPrefix("\n") { markdown.removeFirst() }
        let metadata = parsed.metadata
        let heading = MarkdownSource.firstHeading(markdown)
        let title = metadata.title ?? heading ?? ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        if heading == nil { markdown = "# \(MarkdownWriter.escape(title))\n\n" + markdown }
        if !markdown.hasSuffix("\n") { markdown += "\n" }
        // The source's visible text: a wiki link shows its label (or its target), not both.
        var source = WordBag()
        source.add(markdown: MarkdownSource.rewrite(parsed.body, MarkdownSource.Rewriter(destination: { _, _ in nil }, wiki: { _, _ in "#" })))
        if heading == nil, metadata.title == nil { source.add(title) }
        var kept = WordBag()
        kept.add(markdown: markdown)
        return ImportedPage(title: title, markdown: markdown, description: metadata.description, author: metadata.author,
                            keywords: metadata.tags, date: metadata.date ?? MarkdownSource.dayInName(file),
                            language: metadata.language, images: [], kept: TextKept.between(source: source, kept: kept))
    }

    /// The relative path from an entry's folder to another entry's file: `../other-section/name.md`.
    static func entryLink(to id: String, from entryFolder: String) -> String {
        let from = entryFolder.split(separator: "/")
        let to = id.split(separator: "/")
        var common = 0
        while common < min(from.count, to.count - 1) && from[common] == to[common] { common += 1 }
        let up = Array(repeating: "..", count: from.count - common)
        return (up + to[common...].map(String.init)).joined(separator: "/") + ".md"
    }
}

import Foundation
import ZIPFoundation

/// A Word or OpenDocument file: a zip archive of XML parts, read only by the part names the formats define.
/// Nothing is ever extracted to disk under an entry's own name, so an entry called `../../etc/x` reaches
/// nothing; every part is inflated through a counter that stops at the size limit, whatever the archive's
/// headers claim, so a zip bomb ends as an error rather than a full memory.
struct OfficeArchive {
    /// At most this many entries are looked at (a real document has tens).
    static let maximumEntries = 20_000

    private let archive: Archive
    private let entries: [String: Entry]
    let limits: MarkupLimits

    init(_ bytes: [UInt8], limits: MarkupLimits) throws(MarkupError) {
        try Markup.checkSize(bytes, limits)
        // What is plainly not a zip archive is told apart before ZIPFoundation looks, by the test it makes: the
        // last end-of-central-directory signature, with all its comment present.
        guard Self.hasEndRecord(bytes) else {
            throw MarkupError(description: "not a zip archive, as Word and OpenDocument files are (it may be damaged)")
        }
        // Read from a file, not from memory: ZIPFoundation's in-memory file traps on a seek past its end, which
        // a hostile central directory asks for. The copy is private to this process and unlinked once open.
        let copy = NSTemporaryDirectory() + "baton-office-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: copy, contents: Data(bytes), attributes: [.posixPermissions: 0o600]) else {
            throw MarkupError(description: "a working copy of the archive cannot be written to \(NSTemporaryDirectory())")
        }
        defer { unlink(copy) }
        do {
            archive = try Archive(url: URL(fileURLWithPath: copy), accessMode: .read)
        } catch {
            throw MarkupError(description: "not a zip archive, as Word and OpenDocument files are (it may be damaged)")
        }
        var entries: [String: Entry] = [:]
        var count = 0
        for entry in archive {
            count += 1
            guard count <= Self.maximumEntries else {
                throw MarkupError(description: "the archive has more than \(Self.maximumEntries) entries; refusing it")
            }
            if entry.type == .file, entries[entry.path] == nil { entries[entry.path] = entry }
        }
        guard !entries.isEmpty else { throw MarkupError(description: "the archive is empty or damaged") }
        self.entries = entries
        self.limits = limits
    }

    /// Whether the bytes end with a zip end-of-central-directory record (searched from 22 bytes before the end
    /// backwards, as ZIPFoundation does) whose comment fits in what follows it.
    static func hasEndRecord(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 22 else { return false }
        var position = bytes.count - 22
        while position >= 0 {
            if bytes[position] == 0x50, bytes[position + 1] == 0x4B, bytes[position + 2] == 0x05, bytes[position + 3] == 0x06 {
                let comment = Int(bytes[position + 20]) | Int(bytes[position + 21]) << 8
                return position + 22 + comment <= bytes.count
            }
            position -= 1
        }
        return false
    }

    /// Whether the archive has a part of this name.
    func has(_ path: String) -> Bool { entries[path] != nil }

    /// A part's bytes, or nil when the archive has no such part. Throws when it inflates beyond the size limit
    /// or fails its checksum.
    func part(_ path: String) throws(MarkupError) -> [UInt8]? {
        guard let entry = entries[path] else { return nil }
        let limit = limits.maximumBytes
        var bytes: [UInt8] = []
        struct TooLarge: Error {}
        do {
            _ = try archive.extract(entry) { chunk in
                guard bytes.count + chunk.count <= limit else { throw TooLarge() }
                bytes += chunk
            }
        } catch is TooLarge {
            throw MarkupError(description: "its part \(path) inflates to more than the \(limit >> 20) MB limit (--max-size MB raises it); refusing what looks like a zip bomb")
        } catch {
            throw MarkupError(description: "its part \(path) cannot be read: the archive is damaged (\(error))")
        }
        return bytes
    }

    /// A part parsed as XML (network off, no DTD, entities unexpanded), or nil when there is no such part.
    func xml(_ path: String) throws(MarkupError) -> MarkupNode? {
        guard let bytes = try part(path) else { return nil }
        do {
            return try Markup.parseXML(bytes, limits: limits)
        } catch {
            throw MarkupError(description: "its part \(path) is not well-formed XML (\(error.description))")
        }
    }

    /// A relationship target (`media/image1.png`, `../media/x.png`) as a part name, resolved against the folder of
    /// the part that names it; nil when it leaves the archive or is a URL.
    static func resolve(_ target: String, from folder: String) -> String? {
        guard !target.contains("://"), !target.hasPrefix("\\") else { return nil }
        var parts: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for piece in target.split(separator: "/") {
            switch piece {
            case ".": continue
            case "..":
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
            default: parts.append(piece)
            }
        }
        return parts.isEmpty ? nil : parts.joined(separator: "/")
    }

    /// A file name for a copy of a part: its last path component with anything but letters, digits, dots,
    /// hyphens and underscores replaced, never empty and never starting with a dot.
    static func copyName(_ path: String) -> String {
        let last = path.split(separator: "/").last.map(String.init) ?? "image"
        var name = String(last.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
        while name.hasPrefix(".") { name.removeFirst() }
        return name.isEmpty ? "image" : String(name.prefix(100))
    }
}

/// The metadata Word and OpenDocument files carry in their properties.
struct OfficeProperties {
    var title: String?
    var author: String?
    var description: String?
    var keywords: [String] = []
    /// The day the document was last saved, `YYYY-MM-DD`.
    var modified: String?
    var language: String?

    /// Keywords as written in a properties field: separated by commas or semicolons (Word), else by spaces
    /// (LibreOffice's Word export).
    static func keywords(_ text: String) -> [String] {
        let separated = text.contains(",") || text.contains(";")
        return text.split(whereSeparator: { separated ? $0 == "," || $0 == ";" : $0.isWhitespace }).map { String($0).collapsingSpaces.trimmed }.filter { !$0.isEmpty }
    }

    /// The day of an ISO 8601 time stamp (`2025-03-04T10:20:00Z` → `2025-03-04`), nil when it is not one.
    static func day(_ stamp: String) -> String? {
        let text = stamp.trimmed
        guard text.count >= 10 else { return nil }
        let day = String(text.prefix(10))
        let digits = day.enumerated().allSatisfy { index, character in
            index == 4 || index == 7 ? character == "-" : character.isASCII && character.isNumber
        }
        return digits ? day : nil
    }
}

/// Helpers both office formats share while turning their XML into the HTML shapes `MarkdownWriter` knows.
enum Office {
    static func element(_ name: String, _ attributes: [String: String] = [:], _ children: [MarkupNode]) -> MarkupNode {
        .element(name: name, attributes: attributes, children: children)
    }

    /// The first element below `node` (depth first) with this name.
    static func first(_ node: MarkupNode, _ name: String) -> MarkupNode? {
        for child in node.children {
            if child.name == name { return child }
            if let found = first(child, name) { return found }
        }
        return nil
    }

    /// Every element below `node` with this name (not looking inside those found).
    static func all(_ node: MarkupNode, _ name: String) -> [MarkupNode] {
        node.children.flatMap { child in child.name == name ? [child] : all(child, name) }
    }

    /// Whether a font is one code is set in.
    static func isMonospace(_ font: String) -> Bool {
        let name = font.lowercased()
        return ["courier", "mono", "consolas", "menlo", "monaco", "source code", "fixed", "typewriter", "inconsolata",
                "lucida console", "andale"].contains { name.contains($0) }
    }

    /// Whether a paragraph style's name says its paragraphs are code.
    static func isCodeParagraphStyle(_ name: String) -> Bool {
        let name = name.lowercased()
        return ["preformatted", "source code", "sourcecode", "code", "verbatim", "listing", "plain text", "macro text"]
            .contains { name.contains($0) }
    }

    /// Whether a character style's name says its text is code.
    static func isCodeCharacterStyle(_ name: String) -> Bool {
        let name = name.lowercased()
        return ["code", "verbatim", "source text", "teletype", "typewriter", "keyboard", "literal"].contains { name.contains($0) }
    }

    /// List items (their depth, whether numbered, their blocks) as nested `ul`/`ol` elements.
    struct ListItem {
        var level: Int
        var ordered: Bool
        var start: Int?
        var content: [MarkupNode]
        /// How far the item is indented (twentieths of a point), where the format says: Word's List Bullet 2 is
        /// a list of its own at level 0, nested under List Bullet only by being indented further.
        var indent: Int? = nil
    }

    static func nest(_ items: [ListItem]) -> MarkupNode {
        var index = 0
        func list(at level: Int) -> MarkupNode {
            let first = items[index]
            var children: [MarkupNode] = []
            while index < items.count, items[index].level >= level {
                let item = items[index]
                if item.level > level {
                    // A deeper item: a list inside the previous item (or inside an empty one when it comes first).
                    let inner = list(at: item.level)
                    if case .element(let name, let attributes, var content) = children.popLast() ?? element("li", [:], []) {
                        content.append(inner)
                        children.append(.element(name: name, attributes: attributes, children: content))
                    }
                    continue
                }
                children.append(element("li", [:], item.content))
                index += 1
            }
            var attributes: [String: String] = [:]
            if first.ordered, let start = first.start, start != 1 { attributes["start"] = String(start) }
            return element(first.ordered ? "ol" : "ul", attributes, children)
        }
        var lists: [MarkupNode] = []
        while index < items.count { lists.append(list(at: items[index].level)) }
        return lists.count == 1 ? lists[0] : element("div", [:], lists)
    }

    /// Footnotes collected while converting: a reference becomes `[n]` linking to the notes at the end.
    struct Notes {
        private(set) var bodies: [[MarkupNode]] = []

        mutating func reference(_ body: [MarkupNode]) -> MarkupNode {
            bodies.append(body)
            return element("a", ["href": "#notes"], [.text("[\(bodies.count)]")])
        }

        /// The notes as a section: a heading and a numbered list, or nothing.
        var section: [MarkupNode] {
            guard !bodies.isEmpty else { return [] }
            return [element("h2", [:], [.text("Notes")]), element("ol", [:], bodies.map { element("li", [:], $0) })]
        }
    }

    /// Adjacent runs with the same formatting joined, so that `**a****b**` is written `**ab**`.
    struct Run: Equatable {
        var bold = false
        var italic = false
        var struck = false
        var code = false
    }

    static func formatted(_ pieces: [(Run, MarkupNode)]) -> [MarkupNode] {
        var out: [MarkupNode] = []
        var index = 0
        while index < pieces.count {
            let format = pieces[index].0
            var group: [MarkupNode] = []
            while index < pieces.count, pieces[index].0 == format {
                group.append(pieces[index].1)
                index += 1
            }
            // Code first: inside it nothing else is marked.
            if format.code {
                // A line break inside code stays a break between two code spans.
                var spans: [MarkupNode] = []
                var text = ""
                for node in group {
                    if node.name == "br" {
                        if !text.isEmpty { spans.append(element("code", [:], [.text(text)])) }
                        spans.append(node)
                        text = ""
                    } else {
                        text += node.text
                    }
                }
                if !text.isEmpty { spans.append(element("code", [:], [.text(text)])) }
                out += spans
                continue
            }
            var node = group
            if format.struck { node = [element("del", [:], node)] }
            if format.italic { node = [element("em", [:], node)] }
            if format.bold { node = [element("strong", [:], node)] }
            out += node
        }
        return out
    }
}

extension Office {
    /// Blocks in document order, with consecutive code paragraphs joined into one listing and consecutive list
    /// paragraphs into one (nested) list.
    struct Blocks {
        private(set) var nodes: [MarkupNode] = []
        private var code: [String] = []
        private var items: [ListItem] = []

        mutating func add(_ node: MarkupNode) {
            flush()
            nodes.append(node)
        }

        mutating func addCode(_ line: String) {
            flushItems()
            code.append(line)
        }

        /// The indents of the items the current item is inside, with their levels.
        private var indents: [(indent: Int, level: Int)] = []

        mutating func addItem(_ item: ListItem) {
            flushCode()
            var item = item
            if let indent = item.indent {
                // Deeper than the item before it: inside it; as deep as one further up: beside that one. Indents
                // within an eighth of an inch (180 twips) of each other count as the same.
                while let last = indents.last, last.indent > indent + 180 { indents.removeLast() }
                // At the same indent the numbering's own level stands.
                let same = indents.last.map { abs($0.indent - indent) <= 180 } ?? true
                if !same, let last = indents.last { item.level = max(item.level, last.level + 1) }
                if same, !indents.isEmpty { indents.removeLast() }
                indents.append((indent, item.level))
            }
            items.append(item)
        }

        private mutating func flushCode() {
            guard !code.isEmpty else { return }
            nodes.append(element("pre", [:], [.text(code.joined(separator: "\n"))]))
            code = []
        }

        private mutating func flushItems() {
            indents = []
            guard !items.isEmpty else { return }
            nodes.append(nest(items))
            items = []
        }

        mutating func flush() {
            flushCode()
            flushItems()
        }

        mutating func finish() -> [MarkupNode] {
            flush()
            return nodes
        }
    }
}

extension Office {
    /// Links within the document pointed at the headings they reach: `resolve` gives a heading anchor for a
    /// bookmark name, or nil, and a link to nothing known keeps its text without the link.
    static func resolveAnchors(_ nodes: [MarkupNode], _ resolve: (String) -> String?) -> [MarkupNode] {
        nodes.flatMap { node -> [MarkupNode] in
            guard case .element(let name, var attributes, let children) = node else { return [node] }
            let inner = resolveAnchors(children, resolve)
            if name == "a", let href = attributes["href"], href.hasPrefix("#"), href != "#notes" {
                guard let anchor = resolve(String(href.dropFirst())) else { return inner }
                attributes["href"] = "#" + anchor
            }
            return [.element(name: name, attributes: attributes, children: inner)]
        }
    }

    /// The headings a document has shown so far and the bookmarks that lead to them: a bookmark met in a
    /// heading, or just before one, leads to that heading; any other to the heading above it.
    struct Outline {
        private var bookmarks: [String: String?] = [:]
        private var pending: [String] = []
        private var lastHeading: String?
        /// The first top-level heading: the title when the document's properties give none.
        private(set) var firstHeading: String?

        mutating func bookmark(_ name: String?) {
            if let name { pending.append(name) }
        }

        mutating func heading(_ title: String, level: Int) {
            lastHeading = title
            if firstHeading == nil, level == 1 { firstHeading = title }
            for name in pending { bookmarks[name] = title }
            pending = []
        }

        /// A block that is not a heading: the bookmarks met so far lead to the heading above it.
        mutating func block() {
            for name in pending { bookmarks.updateValue(lastHeading, forKey: name) }
            pending = []
        }

        /// The content with its links inside the document pointed at headings: by bookmark, by `special` (a
        /// format's own way of naming a heading), or by an anchor the headings already have; a link to nothing
        /// known keeps its text.
        func resolve(_ content: [MarkupNode], special: (String) -> String? = { _ in nil }) -> [MarkupNode] {
            let anchors = Office.headingAnchors(content)
            return Office.resolveAnchors(content) { name in
                if let anchor = special(name) { return anchor }
                if let title = bookmarks[name] { return title.map(Importer.anchor) }
                return anchors.contains(name) ? name : nil
            }
        }
    }

    /// The anchors of the headings among `nodes`, as the entry's Markdown will have them.
    static func headingAnchors(_ nodes: [MarkupNode]) -> Set<String> {
        var anchors: Set<String> = []
        func walk(_ node: MarkupNode) {
            if let name = node.name, name.count == 2, name.hasPrefix("h"), name.last?.isNumber == true {
                anchors.insert(Importer.anchor(node.text.collapsingSpaces.trimmed))
            }
            node.children.forEach(walk)
        }
        nodes.forEach(walk)
        return anchors
    }
}

/// Word and OpenDocument files converted on their own, outside an import (the fuzz target reads them so).
public enum OfficeImporter {
    public enum Format: Sendable { case word, openDocument, flatOpenDocument }

    /// The file's entry page. With `images`, pictures point into `assets/`; without, they leave their description.
    public static func page(_ bytes: [UInt8], format: Format, limits: MarkupLimits = MarkupLimits(), comments: Bool = false,
                            images: Bool = false) throws(MarkupError) -> ImportedPage {
        var request = WordDocument.Request()
        request.limits = limits
        request.comments = comments
        if images { request.image = { "assets/" + OfficeArchive.copyName($0) } }
        switch format {
        case .word: return try WordDocument.page(bytes, request).page
        case .openDocument: return try OpenDocument.page(bytes, request).page
        case .flatOpenDocument: return try OpenDocument.flatPage(bytes, request)
        }
    }
}

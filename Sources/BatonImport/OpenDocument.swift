import Foundation

/// An OpenDocument text (`.odt`, or a flat `.fodt`): its content, styles and metadata turned into the HTML shapes
/// `MarkdownWriter` knows. Headings carry their outline level, lists nest as written, code comes from code
/// paragraph styles and fixed-pitch fonts; tracked changes are accepted (deleted text lives outside the body and
/// stays out) and comments are dropped unless asked for.
struct OpenDocument {
    let archive: OfficeArchive?
    private let request: WordDocument.Request
    private var styles: [String: Style] = [:]
    private var listStyles: [String: [Int: Bool]] = [:]
    private var monospaceFonts: Set<String> = []
    private var notes = Office.Notes()
    private var outline = Office.Outline()
    private var noteDepth = 0

    struct Style {
        var name = ""
        var parent: String?
        var bold: Bool?
        var italic: Bool?
        var struck: Bool?
        var font: String?
    }

    /// Generated indexes (a table of contents and the like): navigation, not text anyone wrote.
    static let generated: Set<String> = ["table-of-content", "alphabetical-index", "illustration-index", "user-index",
                                         "object-index", "table-index"]

    /// A zipped `.odt`.
    static func page(_ bytes: [UInt8], _ request: WordDocument.Request) throws(MarkupError) -> (page: ImportedPage, archive: OfficeArchive) {
        let archive = try OfficeArchive(bytes, limits: request.limits)
        guard let content = try archive.xml("content.xml") else {
            throw MarkupError(description: "the archive has no OpenDocument content in it (no content.xml)")
        }
        var document = OpenDocument(archive: archive, request: request)
        let page = try document.convert(content: content, styles: try archive.xml("styles.xml"), meta: try archive.xml("meta.xml"))
        return (page, archive)
    }

    /// A flat `.fodt`: one XML file holding content, styles and metadata.
    static func flatPage(_ bytes: [UInt8], _ request: WordDocument.Request) throws(MarkupError) -> ImportedPage {
        let root = try Markup.parseXML(bytes, limits: request.limits)
        guard root.name == "document", root.children.contains(where: { $0.name == "body" }) else {
            throw MarkupError(description: "<\(root.name ?? "")> is not a flat OpenDocument (office:document with a body)")
        }
        var document = OpenDocument(archive: nil, request: request)
        return try document.convert(content: root, styles: nil, meta: root)
    }

    private init(archive: OfficeArchive?, request: WordDocument.Request) {
        self.archive = archive
        self.request = request
    }

    // MARK: Styles

    private mutating func readStyles(_ root: MarkupNode) {
        for group in root.children {
            switch group.name {
            case "font-face-decls":
                for face in group.children where face.name == "font-face" {
                    guard let name = face.attribute("name") else { continue }
                    if face.attribute("font-pitch") == "fixed" || Office.isMonospace(name) { monospaceFonts.insert(name) }
                }
            case "styles", "automatic-styles":
                for style in group.children {
                    if style.name == "style", let name = style.attribute("name") {
                        var entry = Style()
                        entry.name = (style.attribute("display-name") ?? name.replacingAll("_20_", " ")).lowercased()
                        entry.parent = style.attribute("parent-style-name")
                        if let text = style.children.first(where: { $0.name == "text-properties" }) {
                            if let weight = text.attribute("font-weight") { entry.bold = weight == "bold" || (Int(weight) ?? 0) >= 600 }
                            if let slant = text.attribute("font-style") { entry.italic = slant == "italic" || slant == "oblique" }
                            if let line = text.attribute("text-line-through-style") { entry.struck = line != "none" }
                            entry.font = text.attribute("font-name") ?? text.attribute("font-family")
                        }
                        styles[name] = entry
                    } else if style.name == "list-style", let name = style.attribute("name") {
                        var levels: [Int: Bool] = [:]
                        for level in style.children {
                            guard let number = level.attribute("level").flatMap({ Int($0) }) else { continue }
                            levels[number - 1] = level.name == "list-level-style-number"
                        }
                        listStyles[name] = levels
                    }
                }
            default: break
            }
        }
    }

    private func chain(_ name: String?) -> [Style] {
        var result: [Style] = []
        var current = name
        while let key = current, let style = styles[key], result.count < 20 {
            result.append(style)
            current = style.parent
        }
        return result
    }

    private func isMonospace(_ font: String?) -> Bool {
        guard let font else { return false }
        return monospaceFonts.contains(font) || Office.isMonospace(font)
    }

    private func isCodeParagraph(_ style: String?) -> Bool {
        chain(style).contains { Office.isCodeParagraphStyle($0.name) || isMonospace($0.font) }
    }

    private func format(_ style: String?, inherited: Office.Run) -> Office.Run {
        var format = inherited
        for entry in chain(style).reversed() {
            if let bold = entry.bold { format.bold = bold }
            if let italic = entry.italic { format.italic = italic }
            if let struck = entry.struck { format.struck = struck }
            if entry.name == "strong emphasis" || entry.name == "strong" { format.bold = true }
            if entry.name == "emphasis" { format.italic = true }
            if Office.isCodeCharacterStyle(entry.name) || isMonospace(entry.font) { format.code = true }
        }
        return format
    }

    // MARK: Converting

    private mutating func convert(content: MarkupNode, styles stylesRoot: MarkupNode?, meta: MarkupNode?) throws(MarkupError) -> ImportedPage {
        if let stylesRoot { readStyles(stylesRoot) }
        readStyles(content)
        guard let body = content.children.first(where: { $0.name == "body" }),
            let text = body.children.first(where: { $0.name == "text" })
        else { throw MarkupError(description: "its OpenDocument content has no text body (a spreadsheet or a drawing?)") }
        var blocks = Office.Blocks()
        self.blocks(text.children, into: &blocks, list: nil)
        let nodes = blocks.finish() + notes.section
        let properties = Self.properties(meta)
        // LibreOffice links to a heading as `#Its text|outline`.
        let resolved = outline.resolve(nodes) { name in
            name.hasSuffix("|outline") ? Importer.anchor(String(name.dropLast(8))) : nil
        }
        let link = request.link
        var writer = MarkdownWriter(resolveLink: { href in
            guard !href.hasPrefix("#") else { return href }
            // A relative reference in a package is resolved from the package as if it were a folder: `../x`
            // is `x` beside the document.
            if !href.contains("://"), !href.hasPrefix("/"), href.hasPrefix("../") { return link(String(href.dropFirst(3))) }
            return link(href)
        })
        writer.resolveImage = { $0 }
        var markdown = writer.markdown(Office.element("div", [:], resolved))
        let title = properties.title ?? outline.firstHeading ?? request.fallbackTitle
        if !markdown.hasPrefix("# ") { markdown = "# \(MarkdownWriter.escape(title))\n\n" + markdown }
        var seen = WordBag()
        let unseen: (MarkupNode) -> Bool = { node in
            guard let name = node.name else { return false }
            return Self.generated.contains(name)
                || ["tracked-changes", "note-citation", "sequence-decls", "forms", "binary-data", "annotation"].contains(name)
        }
        seen.add(text, skip: unseen)
        // A comment's words, when comments are kept: its author and paragraphs (not its time stamp).
        if request.comments {
            for annotation in Office.all(text, "annotation") {
                for child in annotation.children where ["creator", "p", "list"].contains(child.name ?? "") { seen.add(child, skip: unseen) }
            }
        }
        var written = WordBag()
        written.add(markdown: markdown)
        var page = ImportedPage(title: title, markdown: markdown, description: properties.description, author: properties.author,
                                keywords: properties.keywords, date: properties.modified,
                                language: Self.language(stylesRoot ?? content), images: writer.images)
        page.kept = TextKept.between(source: seen, kept: written)
        return page
    }

    static func properties(_ root: MarkupNode?) -> OfficeProperties {
        var properties = OfficeProperties()
        guard let meta = root.flatMap({ Office.first($0, "meta") }) else { return properties }
        func value(_ name: String) -> String? {
            meta.children.first { $0.name == name }.map { $0.text.collapsingSpaces.trimmed }.flatMap { $0.isEmpty ? nil : $0 }
        }
        properties.title = value("title")
        properties.author = value("initial-creator") ?? value("creator")
        properties.description = value("description") ?? value("subject")
        properties.keywords = meta.children.filter { $0.name == "keyword" }.flatMap { OfficeProperties.keywords($0.text) }
        properties.modified = (value("date") ?? value("creation-date")).flatMap(OfficeProperties.day)
        return properties
    }

    /// The default paragraph style's language (`fo:language` and `fo:country`).
    static func language(_ root: MarkupNode) -> String? {
        guard let styles = root.children.first(where: { $0.name == "styles" }),
            let defaults = styles.children.first(where: { $0.name == "default-style" && $0.attribute("family") == "paragraph" }),
            let text = defaults.children.first(where: { $0.name == "text-properties" }),
            let language = text.attribute("language"), language != "zxx"
        else { return nil }
        return language
    }

    /// Blocks: paragraphs, headings, lists, tables, sections. `list` is the list style in force and the depth.
    private mutating func blocks(_ nodes: [MarkupNode], into blocks: inout Office.Blocks, list: (style: String?, level: Int)?) {
        for node in nodes {
            guard let name = node.name else { continue }
            switch name {
            case "h":
                var after: [MarkupNode] = []
                let content = Office.formatted(inlines(node.children, format: Office.Run(), after: &after))
                let title = Office.element("p", [:], content).text.collapsingSpaces.trimmed
                guard !title.isEmpty else { continue }
                let level = min(max(Int(node.attribute("outline-level") ?? "") ?? 1, 1), 6)
                blocks.add(Office.element("h\(level)", [:], content))
                outline.heading(title, level: level)
                for block in after { blocks.add(block) }
            case "p":
                paragraph(node, into: &blocks, list: list)
            case "list":
                let style = node.attribute("style-name") ?? list?.style
                let level = list.map { $0.level + 1 } ?? 0
                for item in node.children where item.name == "list-item" || item.name == "list-header" {
                    var inner = Office.Blocks()
                    self.blocks(item.children.filter { $0.name != "list" }, into: &inner, list: nil)
                    let ordered = style.flatMap { listStyles[$0]?[level] } ?? false
                    blocks.addItem(Office.ListItem(level: level, ordered: ordered, start: nil, content: inner.finish()))
                    for sublist in item.children where sublist.name == "list" {
                        self.blocks([sublist], into: &blocks, list: (style, level))
                    }
                }
            case "table":
                blocks.add(table(node))
            case "section", "index-body", "change-start", "change-end":
                self.blocks(node.children, into: &blocks, list: list)
            case "bookmark", "bookmark-start":
                outline.bookmark(node.attribute("name"))
            case "frame", "a":
                var after: [MarkupNode] = []
                let content = Office.formatted(inlines([node], format: Office.Run(), after: &after))
                if !content.isEmpty { blocks.add(Office.element("p", [:], content)) }
                for block in after { blocks.add(block) }
            default:
                // Tracked changes, generated indexes, declarations, forms: nothing a reader wrote.
                break
            }
        }
    }

    private mutating func paragraph(_ node: MarkupNode, into blocks: inout Office.Blocks, list: (style: String?, level: Int)?) {
        let style = node.attribute("style-name")
        outline.block()
        var after: [MarkupNode] = []
        if isCodeParagraph(style) {
            blocks.addCode(plainText(node, after: &after))
        } else {
            // A paragraph style's own weight or slant (a table heading's bold) is the style's look, not emphasis.
            let pieces = inlines(node.children, format: Office.Run(), after: &after)
            let content = Office.formatted(pieces)
            let hasText = pieces.contains { !$0.1.text.trimmed.isEmpty } || content.contains { $0.name == "img" }
            if hasText, pieces.allSatisfy({ $0.0.code || $0.1.text.trimmed.isEmpty }), !content.contains(where: { $0.name == "img" || $0.name == "a" }) {
                blocks.addCode(plainText(node, after: &after))
            } else if hasText {
                blocks.add(Office.element("p", [:], content))
            }
        }
        outline.block()
        for block in after { blocks.add(block) }
    }

    /// A code paragraph's text: `text:s` as its spaces, tabs and line breaks kept.
    private func plainText(_ node: MarkupNode, after: inout [MarkupNode]) -> String {
        var text = ""
        func walk(_ node: MarkupNode) {
            guard let name = node.name else {
                text += node.text
                return
            }
            switch name {
            case "s": text += String(repeating: " ", count: min(Int(node.attribute("c") ?? "") ?? 1, 1_000))
            case "tab": text += "\t"
            case "line-break": text += "\n"
            case "note", "annotation", "frame", "tracked-changes", "bookmark-end": break
            default: node.children.forEach(walk)
            }
        }
        walk(node)
        return text
    }

    private mutating func inlines(_ nodes: [MarkupNode], format: Office.Run, after: inout [MarkupNode]) -> [(Office.Run, MarkupNode)] {
        var pieces: [(Office.Run, MarkupNode)] = []
        for node in nodes {
            guard let name = node.name else {
                pieces.append((format, node))
                continue
            }
            switch name {
            case "span":
                pieces += inlines(node.children, format: self.format(node.attribute("style-name"), inherited: format), after: &after)
            case "a":
                let inner = Office.formatted(inlines(node.children, format: Office.Run(), after: &after))
                if let href = node.attribute("href"), !href.isEmpty {
                    pieces.append((Office.Run(), Office.element("a", ["href": href], inner)))
                } else {
                    pieces += inner.map { (Office.Run(), $0) }
                }
            case "bookmark-ref", "reference-ref", "sequence-ref", "note-ref":
                let inner = Office.formatted(inlines(node.children, format: format, after: &after))
                if let target = node.attribute("ref-name") {
                    pieces.append((Office.Run(), Office.element("a", ["href": "#" + target], inner)))
                } else {
                    pieces += inner.map { (Office.Run(), $0) }
                }
            case "s": pieces.append((format, .text(String(repeating: " ", count: min(Int(node.attribute("c") ?? "") ?? 1, 1_000)))))
            case "tab": pieces.append((format, .text("\t")))
            case "line-break": pieces.append((format, Office.element("br", [:], [])))
            case "note":
                guard noteDepth < 4, let body = node.children.first(where: { $0.name == "note-body" }) else { continue }
                var inner = Office.Blocks()
                noteDepth += 1
                blocks(body.children, into: &inner, list: nil)
                noteDepth -= 1
                pieces.append((Office.Run(), notes.reference(inner.finish())))
            case "annotation":
                guard request.comments else { continue }
                let author = node.children.first { $0.name == "creator" }.map { " (\($0.text.collapsingSpaces.trimmed))" } ?? ""
                var inner = Office.Blocks()
                blocks(node.children.filter { $0.name == "p" || $0.name == "list" }, into: &inner, list: nil)
                after.append(Office.element("blockquote", [:], [Office.element("p", [:], [Office.element("strong", [:], [.text("Comment\(author):")])])] + inner.finish()))
            case "frame":
                pieces += frame(node, after: &after)
            case "bookmark", "bookmark-start":
                outline.bookmark(node.attribute("name"))
            case "ruby":
                let base = node.children.first { $0.name == "ruby-base" } ?? node
                pieces += inlines(base.children, format: format, after: &after)
            case "note-citation", "tracked-changes", "change", "change-start", "change-end", "soft-page-break",
                 "bookmark-end", "annotation-end", "reference-mark", "reference-mark-start", "reference-mark-end",
                 "control", "alphabetical-index-mark", "toc-mark", "user-index-mark":
                continue
            default:
                // Fields (dates, page numbers, sequences, variables) and anything else inline: their text.
                pieces += inlines(node.children, format: format, after: &after)
            }
        }
        return pieces
    }

    /// A frame: its image (when the import copies images, else its description), or the blocks of its text box.
    private mutating func frame(_ node: MarkupNode, after: inout [MarkupNode]) -> [(Office.Run, MarkupNode)] {
        var pieces: [(Office.Run, MarkupNode)] = []
        let description = [node.children.first { $0.name == "title" }, node.children.first { $0.name == "desc" }]
            .compactMap { $0?.text.collapsingSpaces.trimmed }.first { !$0.isEmpty } ?? ""
        for child in node.children {
            if child.name == "image" {
                // The first image only: LibreOffice adds a fallback copy of a vector picture after it.
                guard pieces.isEmpty else { continue }
                if let href = child.attribute("href"), !href.contains("://"), let archive,
                    let part = OfficeArchive.resolve(href, from: ""), archive.has(part), let target = request.image?(part)
                {
                    pieces.append((Office.Run(), Office.element("img", ["src": target, "alt": description], [])))
                } else if !description.isEmpty {
                    pieces.append((Office.Run(), .text(description)))
                }
            } else if child.name == "text-box" {
                var inner = Office.Blocks()
                blocks(child.children, into: &inner, list: nil)
                after += inner.finish()
            }
        }
        return pieces
    }

    private mutating func table(_ node: MarkupNode) -> MarkupNode {
        var rows: [MarkupNode] = []
        func collect(_ node: MarkupNode, header: Bool) {
            for child in node.children {
                switch child.name {
                case "table-header-rows": collect(child, header: true)
                case "table-rows", "table-row-group": collect(child, header: header)
                case "table-row":
                    let cells = child.children.filter { $0.name == "table-cell" || $0.name == "covered-table-cell" }
                    let isHeader = header || rows.isEmpty && !cells.isEmpty && cells.allSatisfy { cell in
                        let paragraphs = cell.children.filter { $0.name == "p" }
                        return !paragraphs.isEmpty && paragraphs.allSatisfy { chain($0.attribute("style-name")).contains { $0.name == "table heading" } }
                    }
                    var converted: [MarkupNode] = []
                    for cell in cells {
                        var inner = Office.Blocks()
                        // A covered cell (the rest of a merged one) shows nothing of its own.
                        if cell.name == "table-cell" { blocks(cell.children, into: &inner, list: nil) }
                        converted.append(Office.element(isHeader ? "th" : "td", [:], inner.finish()))
                    }
                    rows.append(Office.element("tr", [:], converted))
                default: break
                }
            }
        }
        collect(node, header: false)
        return Office.element("table", [:], rows)
    }
}

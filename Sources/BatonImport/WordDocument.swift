import Foundation

/// A Word file (`.docx`, Office Open XML): its document, styles, numbering, footnotes, comments, relationships
/// and properties, read out of the archive and turned into the HTML shapes `MarkdownWriter` knows. Headings come
/// from heading styles and outline levels, lists from numbering, code from code styles and monospace fonts;
/// tracked insertions are kept and deletions dropped (the changes accepted); comments are dropped unless asked for.
struct WordDocument {
    /// What the import asks of the conversion.
    struct Request {
        var limits = MarkupLimits()
        /// Keep comments, as quotes after the paragraph they are on.
        var comments = false
        /// The title when the document names none.
        var fallbackTitle = "Untitled"
        /// Rewrites a link's target (to another entry, or an absolute path).
        var link: (String) -> String = { $0 }
        /// The Markdown target for an image part of the archive, nil to keep only its description.
        var image: ((String) -> String?)?
    }

    let archive: OfficeArchive
    private let request: Request
    private var styles: [String: Style] = [:]
    private var numbering: [String: [Int: (ordered: Bool, start: Int, indent: Int?)]] = [:]
    private var relationships: [String: (target: String, external: Bool)] = [:]
    private var footnotes: [String: MarkupNode] = [:]
    private var comments: [String: MarkupNode] = [:]
    private var notes = Office.Notes()
    private var outline = Office.Outline()
    /// The styles' default language (`w:lang` in `docDefaults`), for a document whose properties name none.
    private var defaultLanguage: String?
    /// A Title paragraph moves every heading one level down, below it.
    private var headingShift = 0
    private var noteDepth = 0

    struct Style {
        var name = ""
        var basedOn: String?
        var outline: Int?
        var numID: String?
        var level: Int?
        var bold: Bool?
        var italic: Bool?
        var font: String?
    }

    static func page(_ bytes: [UInt8], _ request: Request) throws(MarkupError) -> (page: ImportedPage, archive: OfficeArchive) {
        var document = try WordDocument(try OfficeArchive(bytes, limits: request.limits), request)
        let page = try document.convert()
        return (page, document.archive)
    }

    private init(_ archive: OfficeArchive, _ request: Request) throws(MarkupError) {
        self.archive = archive
        self.request = request
    }

    // MARK: Reading the parts

    /// The main document's part name, from the package relationships (`word/document.xml` nearly always).
    private func mainPart() throws(MarkupError) -> String {
        if let rels = try archive.xml("_rels/.rels") {
            for relation in rels.children where relation.name == "relationship" {
                if relation.attribute("type")?.hasSuffix("/officeDocument") == true, let target = relation.attribute("target"),
                    let part = OfficeArchive.resolve(target, from: "")
                {
                    return part
                }
            }
        }
        guard archive.has("word/document.xml") else {
            throw MarkupError(description: "the archive has no Word document in it (no word/document.xml)")
        }
        return "word/document.xml"
    }

    private mutating func readStyles(_ root: MarkupNode) {
        if let defaults = root.children.first(where: { $0.name == "docdefaults" }) {
            defaultLanguage = Office.first(defaults, "lang")?.attribute("val")
        }
        for style in root.children where style.name == "style" {
            guard let id = style.attribute("styleid") else { continue }
            var entry = Style()
            for property in style.children {
                switch property.name {
                case "name": entry.name = property.attribute("val")?.lowercased() ?? ""
                case "basedon": entry.basedOn = property.attribute("val")
                case "ppr":
                    for item in property.children {
                        if item.name == "outlinelvl" { entry.outline = item.attribute("val").flatMap { Int($0) } }
                        if item.name == "numpr" {
                            entry.numID = item.children.first { $0.name == "numid" }?.attribute("val")
                            entry.level = item.children.first { $0.name == "ilvl" }?.attribute("val").flatMap { Int($0) }
                        }
                    }
                case "rpr":
                    for item in property.children {
                        if item.name == "b" { entry.bold = Self.isOn(item) }
                        if item.name == "i" { entry.italic = Self.isOn(item) }
                        if item.name == "rfonts" { entry.font = item.attribute("ascii") ?? item.attribute("hansi") }
                    }
                default: break
                }
            }
            styles[id] = entry
        }
    }

    private mutating func readNumbering(_ root: MarkupNode) {
        var abstract: [String: [Int: (Bool, Int, Int?)]] = [:]
        for node in root.children where node.name == "abstractnum" {
            guard let id = node.attribute("abstractnumid") else { continue }
            var levels: [Int: (Bool, Int, Int?)] = [:]
            for level in node.children where level.name == "lvl" {
                guard let number = level.attribute("ilvl").flatMap({ Int($0) }) else { continue }
                let format = level.children.first { $0.name == "numfmt" }?.attribute("val") ?? "decimal"
                let start = level.children.first { $0.name == "start" }?.attribute("val").flatMap { Int($0) } ?? 1
                let indent = Self.indent(level.children.first { $0.name == "ppr" })
                levels[number] = (format != "bullet" && format != "none", start, indent)
            }
            abstract[id] = levels
        }
        for node in root.children where node.name == "num" {
            guard let id = node.attribute("numid"),
                let reference = node.children.first(where: { $0.name == "abstractnumid" })?.attribute("val")
            else { continue }
            numbering[id] = abstract[reference] ?? [:]
        }
    }

    /// A paragraph's (or numbering level's) left indent, `<w:ind w:left="720"/>` (`w:start` in newer files).
    static func indent(_ properties: MarkupNode?) -> Int? {
        guard let ind = properties?.children.first(where: { $0.name == "ind" }) else { return nil }
        return (ind.attribute("left") ?? ind.attribute("start")).flatMap { Int($0) }
    }

    /// `<w:b/>` and `<w:b w:val="1"/>` are on; `w:val="0"`, `false` or `none` off.
    static func isOn(_ node: MarkupNode) -> Bool {
        guard let value = node.attribute("val")?.lowercased() else { return true }
        return !["0", "false", "off", "none"].contains(value)
    }

    /// A style and the styles it is based on, nearest first (at most 20: a cycle ends there).
    private func chain(_ id: String?) -> [Style] {
        var result: [Style] = []
        var current = id
        while let key = current, let style = styles[key], result.count < 20 {
            result.append(style)
            current = style.basedOn
        }
        return result
    }

    private func headingLevel(_ styleID: String?, outline: Int?) -> Int? {
        for style in chain(styleID) {
            if style.name == "title" { return 1 }
            if style.name.hasPrefix("heading "), let number = Int(style.name.dropFirst(8)), (1...9).contains(number) {
                return min(number + headingShift, 6)
            }
        }
        let level = outline ?? chain(styleID).lazy.compactMap(\.outline).first
        if let level, (0...8).contains(level) { return min(level + 1 + headingShift, 6) }
        return nil
    }

    private func isTitle(_ styleID: String?) -> Bool { chain(styleID).contains { $0.name == "title" } }

    private func isCodeParagraph(_ styleID: String?) -> Bool {
        chain(styleID).contains { Office.isCodeParagraphStyle($0.name) || ($0.font.map(Office.isMonospace) ?? false) }
    }

    // MARK: Converting

    private mutating func convert() throws(MarkupError) -> ImportedPage {
        let main = try mainPart()
        let folder = main.split(separator: "/").dropLast().joined(separator: "/")
        let relsPath = (folder.isEmpty ? "" : folder + "/") + "_rels/" + (main.split(separator: "/").last.map(String.init) ?? "") + ".rels"
        if let rels = try archive.xml(relsPath) {
            for relation in rels.children where relation.name == "relationship" {
                guard let id = relation.attribute("id"), let target = relation.attribute("target") else { continue }
                let external = relation.attribute("targetmode")?.lowercased() == "external"
                relationships[id] = (external ? target : OfficeArchive.resolve(target, from: folder) ?? "", external)
            }
        }
        func sibling(_ kind: String, _ fallback: String) -> String {
            relationships.first { _, value in !value.external && value.target.hasSuffix("/" + kind) }?.value.target
                ?? (folder.isEmpty ? fallback : folder + "/" + fallback)
        }
        if let root = try archive.xml(sibling("styles.xml", "styles.xml")) { readStyles(root) }
        if let root = try archive.xml(sibling("numbering.xml", "numbering.xml")) { readNumbering(root) }
        for (part, _) in [("footnotes.xml", 0), ("endnotes.xml", 1)] {
            guard let root = try archive.xml(sibling(part, part)) else { continue }
            for note in root.children where note.name == "footnote" || note.name == "endnote" {
                guard let id = note.attribute("id"), note.attribute("type") == nil || note.attribute("type") == "normal" else { continue }
                footnotes[(note.name ?? "") + ":" + id] = note
            }
        }
        if request.comments, let root = try archive.xml(sibling("comments.xml", "comments.xml")) {
            for comment in root.children where comment.name == "comment" {
                if let id = comment.attribute("id") { comments[id] = comment }
            }
        }
        guard let document = try archive.xml(main), let body = document.children.first(where: { $0.name == "body" }) else {
            throw MarkupError(description: "its Word document has no body")
        }
        headingShift = Self.paragraphs(body).contains { isTitle(Self.styleID(of: $0)) } ? 1 : 0
        var blocks = Office.Blocks()
        self.blocks(body.children, into: &blocks)
        let content = blocks.finish() + notes.section
        let properties = try self.properties()

        let resolved = outline.resolve(content)
        let link = request.link
        var writer = MarkdownWriter(resolveLink: { href in href.hasPrefix("#") ? href : link(href) })
        writer.resolveImage = { $0 }
        var markdown = writer.markdown(Office.element("div", [:], resolved))
        let title = properties.title ?? outline.firstHeading ?? request.fallbackTitle
        if !markdown.hasPrefix("# ") { markdown = "# \(MarkdownWriter.escape(title))\n\n" + markdown }

        var seen = WordBag()
        seen.add(body, skip: Self.isUnseen)
        for note in footnotes.values { seen.add(note, skip: Self.isUnseen) }
        for comment in comments.values { seen.add(comment, skip: Self.isUnseen) }
        var written = WordBag()
        written.add(markdown: markdown)
        var page = ImportedPage(title: title, markdown: markdown, description: properties.description, author: properties.author,
                                keywords: properties.keywords, date: properties.modified, language: properties.language ?? defaultLanguage,
                                images: writer.images)
        page.kept = TextKept.between(source: seen, kept: written)
        return page
    }

    /// Text a reader of the document does not see: deleted and moved-away text, field codes, the fallback copy of
    /// content Word keeps twice, comment and note marks.
    static func isUnseen(_ node: MarkupNode) -> Bool {
        ["del", "movefrom", "deltext", "instrtext", "fallback", "ppr", "rpr", "sectpr"].contains(node.name ?? "")
    }

    private func properties() throws(MarkupError) -> OfficeProperties {
        var properties = OfficeProperties()
        guard let core = try archive.xml("docProps/core.xml") else { return properties }
        func value(_ name: String) -> String? {
            core.children.first { $0.name == name }.map { $0.text.collapsingSpaces.trimmed }.flatMap { $0.isEmpty ? nil : $0 }
        }
        properties.title = value("title")
        properties.author = value("creator") ?? value("lastmodifiedby")
        properties.description = value("description") ?? value("subject")
        properties.keywords = value("keywords").map(OfficeProperties.keywords) ?? []
        properties.modified = (value("modified") ?? value("created")).flatMap(OfficeProperties.day)
        properties.language = value("language")
        return properties
    }

    static func styleID(of paragraph: MarkupNode) -> String? {
        paragraph.children.first { $0.name == "ppr" }?.children.first { $0.name == "pstyle" }?.attribute("val")
    }

    /// Every paragraph of the body, in tables and content controls too.
    static func paragraphs(_ node: MarkupNode) -> [MarkupNode] {
        node.children.flatMap { child -> [MarkupNode] in
            child.name == "p" ? [child] : ["tbl", "tr", "tc", "sdt", "sdtcontent", "customxml"].contains(child.name ?? "") ? paragraphs(child) : []
        }
    }

    /// Block-level content: paragraphs, tables, content controls.
    private mutating func blocks(_ nodes: [MarkupNode], into blocks: inout Office.Blocks) {
        for node in nodes {
            switch node.name {
            case "p": paragraph(node, into: &blocks)
            case "tbl": blocks.add(table(node))
            case "sdt", "customxml", "ins", "moveto":
                self.blocks(node.name == "sdt" ? node.children.filter { $0.name == "sdtcontent" }.flatMap(\.children) : node.children,
                            into: &blocks)
            case "bookmarkstart": outline.bookmark(node.attribute("name"))
            default: break
            }
        }
    }

    private mutating func paragraph(_ node: MarkupNode, into blocks: inout Office.Blocks) {
        let properties = node.children.first { $0.name == "ppr" }
        let styleID = properties?.children.first { $0.name == "pstyle" }?.attribute("val")
        var after: [MarkupNode] = []
        var commentIDs: [String] = []
        let pieces = inlines(node.children, after: &after, comments: &commentIDs)
        let content = Office.formatted(pieces)
        let outlineLevel = properties?.children.first { $0.name == "outlinelvl" }?.attribute("val").flatMap { Int($0) }
        let plain = Self.plainText(node)
        let codeRuns = pieces.contains { !$0.1.text.trimmed.isEmpty } && pieces.allSatisfy { $0.0.code || $0.1.text.trimmed.isEmpty }
        if let level = headingLevel(styleID, outline: outlineLevel), !plain.trimmed.isEmpty {
            let title = MarkupNode.element(name: "p", attributes: [:], children: content).text.collapsingSpaces.trimmed
            blocks.add(Office.element("h\(level)", [:], content))
            outline.heading(title, level: level)
        } else {
            outline.block()
            if isCodeParagraph(styleID) || codeRuns {
                blocks.addCode(plain)
            } else if let item = listItem(properties, styleID: styleID, content: content) {
                blocks.addItem(item)
            } else if !plain.trimmed.isEmpty || content.contains(where: { $0.name == "img" }) {
                blocks.add(Office.element("p", [:], content))
            }
        }
        for id in commentIDs {
            guard let comment = comments[id] else { continue }
            var inner = Office.Blocks()
            noteDepth += 1
            self.blocks(comment.children, into: &inner)
            noteDepth -= 1
            let author = comment.attribute("author").map { " (\($0))" } ?? ""
            after.append(Office.element("blockquote", [:], [Office.element("p", [:], [Office.element("strong", [:], [.text("Comment\(author):")])])] + inner.finish()))
        }
        for block in after { blocks.add(block) }
    }

    private func listItem(_ properties: MarkupNode?, styleID: String?, content: [MarkupNode]) -> Office.ListItem? {
        let direct = properties?.children.first { $0.name == "numpr" }
        let numID = direct?.children.first { $0.name == "numid" }?.attribute("val") ?? chain(styleID).lazy.compactMap(\.numID).first
        guard let numID, numID != "0" else { return nil }
        let level = direct?.children.first { $0.name == "ilvl" }?.attribute("val").flatMap { Int($0) }
            ?? chain(styleID).lazy.compactMap(\.level).first ?? 0
        let format = numbering[numID]?[level] ?? (false, 1, nil)
        return Office.ListItem(level: level, ordered: format.ordered, start: format.start, content: [Office.element("p", [:], content)],
                               indent: Self.indent(properties) ?? format.indent)
    }

    /// A paragraph's text as a listing line: tabs kept, line breaks as new lines.
    static func plainText(_ node: MarkupNode) -> String {
        var text = ""
        func walk(_ node: MarkupNode) {
            switch node.name {
            case "t": text += node.text
            case "tab": text += "\t"
            case "br", "cr": if node.attribute("type") == nil || node.attribute("type") == "textWrapping" { text += "\n" }
            case "nobreakhyphen": text += "-"
            case _ where isUnseen(node): break
            case "footnotereference", "endnotereference", "drawing", "pict", "object": break
            default: node.children.forEach(walk)
            }
        }
        walk(node)
        return text
    }

    private func runFormat(_ run: MarkupNode) -> Office.Run {
        var format = Office.Run()
        guard let properties = run.children.first(where: { $0.name == "rpr" }) else { return format }
        if let style = properties.children.first(where: { $0.name == "rstyle" })?.attribute("val") {
            for entry in chain(style).reversed() {
                if let bold = entry.bold { format.bold = bold }
                if let italic = entry.italic { format.italic = italic }
                if entry.name == "strong" { format.bold = true }
                if entry.name == "emphasis" { format.italic = true }
                if Office.isCodeCharacterStyle(entry.name) || (entry.font.map(Office.isMonospace) ?? false) { format.code = true }
            }
        }
        for item in properties.children {
            switch item.name {
            case "b": format.bold = Self.isOn(item)
            case "i": format.italic = Self.isOn(item)
            case "strike", "dstrike": format.struck = Self.isOn(item)
            case "rfonts":
                if let font = item.attribute("ascii") ?? item.attribute("hansi") { format.code = Office.isMonospace(font) }
            default: break
            }
        }
        return format
    }

    /// A paragraph's inline content as formatted pieces. Text boxes met on the way go to `after`; comment marks
    /// to `comments`.
    private mutating func inlines(_ nodes: [MarkupNode], after: inout [MarkupNode], comments: inout [String]) -> [(Office.Run, MarkupNode)] {
        var pieces: [(Office.Run, MarkupNode)] = []
        for node in nodes {
            switch node.name {
            case "r":
                let format = runFormat(node)
                for child in node.children {
                    switch child.name {
                    case "t": pieces.append((format, .text(child.text)))
                    case "tab": pieces.append((format, .text("\t")))
                    case "br", "cr":
                        let type = child.attribute("type")
                        pieces.append((format, type == nil || type == "textWrapping" ? Office.element("br", [:], []) : .text(" ")))
                    case "nobreakhyphen": pieces.append((format, .text("-")))
                    case "footnotereference", "endnotereference":
                        let kind = child.name == "footnotereference" ? "footnote" : "endnote"
                        if let id = child.attribute("id"), let note = footnotes[kind + ":" + id], noteDepth < 4 {
                            var inner = Office.Blocks()
                            noteDepth += 1
                            blocks(note.children, into: &inner)
                            noteDepth -= 1
                            pieces.append((Office.Run(), notes.reference(inner.finish())))
                        }
                    case "drawing", "pict", "object", "alternatecontent":
                        pieces += images(child)
                        for box in Self.textBoxes(child) {
                            var inner = Office.Blocks()
                            blocks(box.children, into: &inner)
                            after += inner.finish()
                        }
                    case "commentreference": if let id = child.attribute("id") { comments.append(id) }
                    case "ruby":
                        let base = child.children.first { $0.name == "rubybase" } ?? child
                        pieces.append((format, .text(Self.plainText(base))))
                    default: break
                    }
                }
            case "hyperlink":
                let inner = Office.formatted(inlines(node.children, after: &after, comments: &comments))
                var href: String?
                if let id = node.attribute("id"), let relation = relationships[id], relation.external { href = relation.target }
                if let anchor = node.attribute("anchor") { href = (href ?? "") + "#" + anchor }
                if let href, !href.isEmpty {
                    pieces.append((Office.Run(), Office.element("a", ["href": href], inner)))
                } else {
                    pieces += inner.map { (Office.Run(), $0) }
                }
            case "ins", "moveto", "smarttag", "customxml", "fldsimple", "dir", "bdo":
                pieces += inlines(node.children, after: &after, comments: &comments)
            case "sdt":
                let content = node.children.filter { $0.name == "sdtcontent" }.flatMap(\.children)
                pieces += inlines(content, after: &after, comments: &comments)
            case "bookmarkstart":
                outline.bookmark(node.attribute("name"))
            case "alternatecontent":
                pieces += inlines(node.children.filter { $0.name == "choice" }.prefix(1).flatMap(\.children), after: &after, comments: &comments)
            default: break
            }
        }
        return pieces
    }

    /// The pictures in a drawing: an image when the import copies them, else their description as text.
    private func images(_ node: MarkupNode) -> [(Office.Run, MarkupNode)] {
        var result: [(Office.Run, MarkupNode)] = []
        // Only the first of Word's alternatives: the fallback repeats the same picture.
        let scope = node.name == "alternatecontent" ? (node.children.first { $0.name == "choice" } ?? node) : node
        let properties = Office.first(scope, "docpr")
        let description = [properties?.attribute("descr"), properties?.attribute("title")].compactMap { $0?.collapsingSpaces.trimmed }
            .first { !$0.isEmpty } ?? ""
        var references: [String] = []
        func collect(_ node: MarkupNode) {
            if node.name == "blip", let id = node.attribute("embed") { references.append(id) }
            if node.name == "imagedata", let id = node.attribute("id") { references.append(id) }
            if node.name == "fallback" { return }
            node.children.forEach(collect)
        }
        collect(scope)
        for id in references {
            guard let relation = relationships[id], !relation.external, archive.has(relation.target),
                let target = request.image?(relation.target)
            else { continue }
            result.append((Office.Run(), Office.element("img", ["src": target, "alt": description], [])))
        }
        if result.isEmpty, !description.isEmpty { result.append((Office.Run(), .text(description))) }
        return result
    }

    /// The contents of the text boxes in a drawing (the first alternative only).
    static func textBoxes(_ node: MarkupNode) -> [MarkupNode] {
        var boxes: [MarkupNode] = []
        func walk(_ node: MarkupNode) {
            if node.name == "fallback" { return }
            if node.name == "txbxcontent" {
                boxes.append(node)
                return
            }
            node.children.forEach(walk)
        }
        walk(node)
        return boxes
    }

    private mutating func table(_ node: MarkupNode) -> MarkupNode {
        var rows: [MarkupNode] = []
        let rowNodes = node.children.flatMap { child -> [MarkupNode] in
            child.name == "tr" ? [child] : child.name == "sdt" ? child.children.filter { $0.name == "sdtcontent" }.flatMap(\.children).filter { $0.name == "tr" } : []
        }
        for (index, row) in rowNodes.enumerated() {
            let cellNodes = row.children.flatMap { child -> [MarkupNode] in
                child.name == "tc" ? [child] : child.name == "sdt" ? child.children.filter { $0.name == "sdtcontent" }.flatMap(\.children).filter { $0.name == "tc" } : []
            }
            let repeated = row.children.first { $0.name == "trpr" }?.children.contains { $0.name == "tblheader" } ?? false
            let header = index == 0 && (repeated || !cellNodes.isEmpty && cellNodes.allSatisfy(Self.looksLikeHeading))
            var cells: [MarkupNode] = []
            for cell in cellNodes {
                let properties = cell.children.first { $0.name == "tcpr" }
                let span = properties?.children.first { $0.name == "gridspan" }?.attribute("val").flatMap { Int($0) } ?? 1
                let merge = properties?.children.first { $0.name == "vmerge" }
                var inner = Office.Blocks()
                // A cell continuing a vertical merge shows nothing of its own.
                if merge == nil || merge?.attribute("val") == "restart" { blocks(cell.children, into: &inner) }
                cells.append(Office.element(header ? "th" : "td", [:], inner.finish()))
                for _ in 1..<max(1, min(span, 64)) { cells.append(Office.element(header ? "th" : "td", [:], [])) }
            }
            rows.append(Office.element("tr", [:], cells))
        }
        return Office.element("table", [:], rows)
    }

    /// A header cell: its paragraphs in a heading style (LibreOffice's Table Heading) or all their text bold.
    private static func looksLikeHeading(_ cell: MarkupNode) -> Bool {
        let paragraphs = cell.children.filter { $0.name == "p" }
        guard !paragraphs.isEmpty else { return false }
        let styled = paragraphs.allSatisfy { (styleID(of: $0) ?? "").lowercased().contains("heading") }
        return styled
    }
}

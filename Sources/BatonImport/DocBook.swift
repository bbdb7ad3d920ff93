import BatonContent
import Foundation

/// DocBook 4 and 5 documents: split into entries (per chapter, per top section, or whole), turned into the HTML
/// shapes `MarkdownWriter` knows, with cross-references rewritten to the entries that hold their targets.
enum DocBook {
    static let divisions: Set<String> = ["book", "article", "chapter", "part", "reference", "set", "section", "sect1",
                                         "refentry", "appendix", "preface", "glossary", "bibliography"]

    static func isDocBook(_ root: MarkupNode) -> Bool { divisions.contains(root.name ?? "") }

    /// Elements that are blocks wherever they stand, a paragraph included: a paragraph holding one is split
    /// around it, so that a listing stays a code block and a list a list.
    static let blockElements: Set<String> = [
        "programlisting", "screen", "literallayout", "synopsis", "itemizedlist", "orderedlist", "variablelist",
        "simplelist", "table", "informaltable", "example", "informalexample", "figure", "informalfigure",
        "note", "warning", "tip", "important", "caution", "blockquote", "procedure", "sidebar", "mediaobject",
        "screenshot", "equation", "informalequation", "para", "simpara", "formalpara",
    ]

    /// Wrappers of a division's metadata, never its text.
    static let infoElements: Set<String> = ["info", "bookinfo", "articleinfo", "chapterinfo", "sectioninfo",
                                            "sect1info", "sect2info", "sect3info", "sect4info", "sect5info", "appendixinfo",
                                            "prefaceinfo", "refentryinfo", "refsect1info", "refsect2info", "refsect3info",
                                            "refsynopsisdivinfo", "referenceinfo", "partinfo", "setinfo", "glossaryinfo",
                                            "bibliographyinfo", "indexinfo", "sidebarinfo", "objectinfo"]

    /// The authors a division's metadata names (`author`, also inside `authorgroup`), as "First Last", joined.
    static func authors(of node: MarkupNode) -> String? {
        var names: [String] = []
        func visit(_ node: MarkupNode) {
            for child in node.children {
                switch child.name {
                case "author":
                    let person = child.children.first { $0.name == "personname" } ?? child
                    let parts = ["honorific", "firstname", "givenname", "othername", "surname", "lineage"].compactMap { part in
                        person.children.first { $0.name == part }?.text.collapsingSpaces.trimmed
                    }.filter { !$0.isEmpty }
                    var name = parts.joined(separator: " ")
                    if name.isEmpty {
                        // A name written as text, without the contribution, address and affiliation beside it.
                        name = person.children.filter { !["contrib", "email", "affiliation", "address", "personblurb", "authorblurb"].contains($0.name ?? "") }
                            .map(\.text).joined(separator: " ").collapsingSpaces.trimmed
                    }
                    if !name.isEmpty && !names.contains(name) { names.append(name) }
                case "authorgroup":
                    visit(child)
                default:
                    break
                }
            }
        }
        for info in node.children where infoElements.contains(info.name ?? "") { visit(info) }
        return names.isEmpty ? nil : names.joined(separator: ", ")
    }

    /// Elements that describe a document rather than say anything to its reader (dropped by the import, and so
    /// not counted as text it should keep): metadata wrappers, index terms, remarks for the authors.
    static func isMetadata(_ node: MarkupNode) -> Bool {
        guard let name = node.name else { return false }
        return infoElements.contains(name) || ["indexterm", "remark", "titleabbrev"].contains(name)
    }

    /// A title as DocBook 4 writes it (a `title` child) or 5 does (inside `info`).
    static func titleNode(of node: MarkupNode) -> MarkupNode? {
        node.children.first { $0.name == "title" }
            ?? node.children.first { infoElements.contains($0.name ?? "") }?.children.first { $0.name == "title" }
    }

    /// Replaces named character entities the XML parser would not know (DocBook's `&mdash;`, `&nbsp;`, …) with
    /// numeric references, leaving XML's own five and any the document declares itself.
    static func resolveCharacterEntities(_ bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        var declared: Set<String> = []
        if let subsetStart = text.range(of: "<!DOCTYPE"), let subsetEnd = text.range(of: "]>", range: subsetStart.upperBound..<text.endIndex) {
            let subset = text[subsetStart.upperBound..<subsetEnd.lowerBound]
            for match in subset.components(separatedBy: "<!ENTITY").dropFirst() {
                if let name = match.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first {
                    declared.insert(String(name))
                }
            }
        }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var index = text.startIndex
        while let amp = text[index...].firstIndex(of: "&") {
            out += text[index..<amp]
            let afterAmp = text.index(after: amp)
            if let semicolon = text[afterAmp...].prefix(32).firstIndex(of: ";") {
                let name = String(text[afterAmp..<semicolon])
                if !["amp", "lt", "gt", "quot", "apos"].contains(name), !declared.contains(name), !name.hasPrefix("#"),
                    let value = CharacterEntities.table[name]
                {
                    out += "&#\(value);"
                    index = text.index(after: semicolon)
                    continue
                }
            }
            out += "&"
            index = afterAmp
        }
        out += text[index...]
        return Array(out.utf8)
    }

    /// One entry to write: its name, title and content (as HTML-shaped nodes).
    struct Part {
        var name: String
        var title: String
        var node: MarkupNode
    }

    enum Split: String, Sendable, CaseIterable {
        case chapter, section, none
    }

    static func title(of node: MarkupNode) -> String {
        if node.name == "refentry" { return referenceNames(node) }
        return titleNode(of: node)?.text.collapsingSpaces.trimmed ?? ""
    }

    /// A reference page's name: its `refname`s, else its `refentrytitle`.
    static func referenceNames(_ node: MarkupNode) -> String {
        let names = node.children.filter { $0.name == "refnamediv" }.flatMap(\.children).filter { $0.name == "refname" }
            .map { $0.text.collapsingSpaces.trimmed }.filter { !$0.isEmpty }
        if !names.isEmpty { return names.joined(separator: ", ") }
        let meta = node.children.first { $0.name == "refmeta" }?.children.first { $0.name == "refentrytitle" }
        return meta?.text.collapsingSpaces.trimmed ?? ""
    }

    /// A command or function synopsis as one line of code: `queue stop [--all] [--drain]`.
    static func synopsis(_ node: MarkupNode) -> String {
        func words(_ node: MarkupNode) -> String {
            guard let name = node.name else { return node.text.collapsingSpaces.trimmed }
            let inner = node.children.map(words).filter { !$0.isEmpty }.joined(separator: " ")
            switch name {
            case "arg", "group":
                let repeated = node.attribute("rep") == "repeat" ? "..." : ""
                switch node.attribute("choice") ?? (name == "arg" ? "opt" : "opt") {
                case "req": return "{" + inner + "}" + repeated
                case "plain": return inner + repeated
                default: return "[" + inner + "]" + repeated
                }
            case "sbr": return "\n"
            default: return inner
            }
        }
        return words(node)
    }

    /// The parts of a document for a split. What a division holds besides its chapters (an article's own
    /// sections before its appendix, a part's introduction) is a part of its own, before them, so that nothing is
    /// lost to the split.
    static func parts(_ root: MarkupNode, split: Split, fallbackName: String) -> [Part] {
        let chapterNames: Set<String> = ["chapter", "appendix", "preface", "article", "refentry", "glossary",
                                         "bibliography", "reference"]
        var parts: [Part] = []
        func sections(of node: MarkupNode) -> [MarkupNode] {
            node.children.filter { $0.name == "sect1" || $0.name == "section" }
        }
        func add(_ name: String, _ node: MarkupNode) {
            if split == .section, !sections(of: node).isEmpty {
                // The text before the first section stays with the division's title.
                let lead = node.children.filter { $0.name != "sect1" && $0.name != "section" }
                if hasText(lead) {
                    parts.append(Part(name: name, title: title(of: node), node: node.replacingChildren(lead)))
                }
                for section in sections(of: node) { parts.append(Part(name: "section", title: title(of: section), node: section)) }
            } else {
                parts.append(Part(name: name, title: title(of: node), node: node))
            }
        }
        func visit(_ node: MarkupNode) {
            let start = parts.count
            var rest: [MarkupNode] = []
            for child in node.children {
                guard let name = child.name else {
                    rest.append(child)
                    continue
                }
                if chapterNames.contains(name) {
                    add(name, child)
                } else if name == "part" || name == "book" || name == "set" {
                    visit(child)
                } else {
                    rest.append(child)
                }
            }
            guard parts.count > start, hasText(rest), let name = node.name else { return }
            let before = parts.count
            add(name, node.replacingChildren(rest))
            let own = parts[before...]
            parts.removeSubrange(before...)
            parts.insert(contentsOf: own, at: start)
        }
        if split != .none { visit(root) }
        if parts.isEmpty { parts = [Part(name: fallbackName, title: title(of: root), node: root)] }
        return parts
    }

    /// Whether nodes hold text a reader would miss: anything but titles, metadata and white space.
    static func hasText(_ nodes: [MarkupNode]) -> Bool {
        // An entity the parser left unexpanded (a part that could not be read) is not text.
        func meaningful(_ text: String) -> Bool {
            !text.replacingOccurrences(of: "&[A-Za-z0-9._:-]+;", with: "", options: .regularExpression).trimmed.isEmpty
        }
        return nodes.contains { node in
            guard let name = node.name else { return meaningful(node.text) }
            if name == "title" || name == "subtitle" || name == "titleabbrev" || infoElements.contains(name)
                || name == "toc" || name == "index" || name == "indexterm" || name == "partintro" && !hasText(node.children) {
                return false
            }
            return meaningful(node.text)
        }
    }

    /// Every element id in `node`, with the title of the element that carries it (for xref text).
    static func ids(_ node: MarkupNode, into result: inout [String: String]) {
        if let id = node.attribute("id") ?? node.attribute("xml:id") {
            result[id] = title(of: node)
        }
        for child in node.children { ids(child, into: &result) }
    }

    /// The DocBook subtree as HTML-shaped nodes: headings by depth, paragraphs, lists, tables, code, links.
    static func html(_ node: MarkupNode, depth: Int, titles: [String: String]) -> MarkupNode {
        guard case .element(let name, let attributes, let children) = node else { return node }
        func convert(_ nodes: [MarkupNode], _ depth: Int) -> [MarkupNode] {
            nodes.map { html($0, depth: depth, titles: titles) }
        }
        func element(_ name: String, _ attributes: [String: String] = [:], _ children: [MarkupNode]) -> MarkupNode {
            .element(name: name, attributes: attributes, children: children)
        }
        switch name {
        case "refentry":
            // A reference page: its names as the heading, the manual page it is (`faillog(5)`, the manual's name),
            // what it is for, then its sections.
            let meta = children.first { $0.name == "refmeta" }
            let page = meta?.children.first { $0.name == "refentrytitle" }?.text.collapsingSpaces.trimmed ?? ""
            let volume = meta?.children.first { $0.name == "manvolnum" }?.text.collapsingSpaces.trimmed ?? ""
            let manual = meta?.children.filter { $0.name == "refmiscinfo" }.map { $0.text.collapsingSpaces.trimmed }.filter { !$0.isEmpty } ?? []
            let header = ([page.isEmpty ? "" : volume.isEmpty ? page : "\(page)(\(volume))"] + manual).filter { !$0.isEmpty }
            var out: [MarkupNode] = [element("h\(min(depth, 6))", [:], [.text(referenceNames(node))])]
            if !header.isEmpty { out.append(element("p", [:], [element("em", [:], [.text(header.joined(separator: " · "))])])) }
            for child in children where child.name != "refmeta" && !infoElements.contains(child.name ?? "") {
                out.append(html(child, depth: depth + 1, titles: titles))
            }
            return element("section", [:], out)
        case "refnamediv":
            let names = children.filter { $0.name == "refname" }.map { $0.text.collapsingSpaces.trimmed }
            let purpose = children.first { $0.name == "refpurpose" }.map { $0.text.collapsingSpaces.trimmed } ?? ""
            return element("p", [:], [element("strong", [:], [.text(names.joined(separator: ", "))])]
                + (purpose.isEmpty ? [] : [.text(" — " + purpose)]))
        case "refsynopsisdiv":
            let heading = titleNode(of: node).map { convert($0.children, depth) } ?? [.text("Synopsis")]
            return element("section", [:], [element("h\(min(depth, 6))", [:], heading)]
                + convert(children.filter { $0.name != "title" && !infoElements.contains($0.name ?? "") }, depth + 1))
        case "cmdsynopsis", "funcsynopsis":
            return element("pre", [:], [.text(synopsis(node))])
        case "citerefentry":
            let title = children.first { $0.name == "refentrytitle" }?.text.collapsingSpaces.trimmed ?? ""
            let volume = children.first { $0.name == "manvolnum" }?.text.collapsingSpaces.trimmed
            return element("code", [:], [.text(title + (volume.map { "(\($0))" } ?? ""))])
        case "refmeta":
            return element("span", [:], [])
        case _ where divisions.contains(name) || name.hasPrefix("sect") || name == "simplesect"
            || name.hasPrefix("refsect") || name == "refsection":
            var out: [MarkupNode] = []
            // DocBook 5 keeps the title in `info`.
            if !children.contains(where: { $0.name == "title" }), let title = titleNode(of: node) {
                out.append(element("h\(min(depth, 6))", [:], convert(title.children, depth)))
            }
            for child in children {
                if child.name == "title" {
                    out.append(element("h\(min(depth, 6))", [:], convert(child.children, depth)))
                } else if infoElements.contains(child.name ?? "") || ["indexterm", "titleabbrev"].contains(child.name ?? "") {
                    continue
                } else {
                    out.append(html(child, depth: depth + 1, titles: titles))
                }
            }
            return element("section", [:], out)
        case "para", "simpara":
            return paragraph(children, depth: depth, titles: titles)
        case "formalpara":
            // A titled paragraph: the title in bold, then the paragraph.
            let title = titleNode(of: node).map { element("p", [:], [element("strong", [:], convert($0.children, depth))]) }
            let body = children.filter { $0.name != "title" && !infoElements.contains($0.name ?? "") }
            return element("div", [:], (title.map { [$0] } ?? []) + [html(.element(name: "para", attributes: [:], children: body), depth: depth, titles: titles)])
        case "example", "informalexample", "figure", "informalfigure", "sidebar", "equation", "informalequation":
            // A titled block: its title a heading below the section's, so that links to it have an anchor.
            let title = titleNode(of: node).map { element("h\(min(depth, 6))", [:], convert($0.children, depth)) }
            let body = children.filter { $0.name != "title" && !infoElements.contains($0.name ?? "") }
            return element("div", [:], (title.map { [$0] } ?? []) + convert(body, depth))
        case "procedure":
            let title = titleNode(of: node).map { element("p", [:], [element("strong", [:], convert($0.children, depth))]) }
            let steps = children.filter { $0.name == "step" }.map { element("li", [:], convert($0.children, depth)) }
            return element("div", [:], (title.map { [$0] } ?? []) + [element("ol", [:], steps)])
        case "substeps", "stepalternatives":
            // Steps inside a step: a list nested in its item (alternatives are a choice, not an order).
            let steps = children.filter { $0.name == "step" }.map { element("li", [:], convert($0.children, depth)) }
            return element(name == "substeps" ? "ol" : "ul", [:], steps)
        case "simplelist":
            return element("ul", [:], children.filter { $0.name == "member" }.map { element("li", [:], convert($0.children, depth)) })
        case "emphasis":
            return element(attributes["role"] == "bold" || attributes["role"] == "strong" ? "strong" : "em", [:], convert(children, depth))
        case "literal", "code", "command", "filename", "function", "varname", "option", "computeroutput",
             "userinput", "classname", "methodname", "parameter", "type", "envar", "constant", "systemitem", "sgmltag",
             "replaceable", "keycap", "structname", "structfield", "symbol", "token":
            return element("code", [:], children)
        case "programlisting", "screen", "literallayout", "synopsis":
            return element("pre", attributes["language"].map { ["class": "language-\($0)"] } ?? [:], children)
        case "itemizedlist": return element("ul", [:], convert(children.filter { $0.name == "listitem" }, depth))
        case "orderedlist": return element("ol", [:], convert(children.filter { $0.name == "listitem" }, depth))
        case "listitem": return element("li", [:], convert(children, depth))
        case "variablelist":
            var items: [MarkupNode] = []
            for entry in children where entry.name == "varlistentry" {
                for term in entry.children where term.name == "term" { items.append(element("dt", [:], convert(term.children, depth))) }
                for item in entry.children where item.name == "listitem" { items.append(element("dd", [:], convert(item.children, depth))) }
            }
            return element("dl", [:], items)
        case "table", "informaltable":
            var rows: [MarkupNode] = []
            func collect(_ node: MarkupNode, header: Bool) {
                for child in node.children {
                    switch child.name {
                    case "tgroup", "tbody", "tfoot": collect(child, header: false)
                    case "thead": collect(child, header: true)
                    case "row":
                        rows.append(element("tr", [:], child.children.filter { $0.name == "entry" }.map {
                            element(header ? "th" : "td", [:], convert($0.children, depth))
                        }))
                    default: break
                    }
                }
            }
            collect(node, header: false)
            let caption = children.first { $0.name == "title" }.map { element("p", [:], [element("strong", [:], $0.children)]) }
            return element("div", [:], (caption.map { [$0] } ?? []) + [element("table", [:], rows)])
        case "ulink": return element("a", ["href": attributes["url"] ?? ""], convert(children, depth))
        case "link":
            let target = attributes["xlink:href"] ?? attributes["href"] ?? attributes["linkend"].map { "#" + $0 } ?? ""
            return element("a", ["href": target], convert(children, depth))
        case "xref":
            let id = attributes["linkend"] ?? ""
            return element("a", ["href": "#" + id], [.text(titles[id].flatMap { $0.isEmpty ? nil : $0 } ?? id)])
        case "note", "warning", "tip", "important", "caution":
            let label = element("p", [:], [element("strong", [:], [.text(name.prefix(1).uppercased() + name.dropFirst())])])
            return element("blockquote", [:], [label] + convert(children.filter { $0.name != "title" }, depth))
        case "imagedata":
            return element("img", ["src": attributes["fileref"] ?? "", "alt": ""], [])
        case "indexterm", "remark", "title", "info", "bookinfo":
            return element("span", [:], [])
        case "footnote":
            return element("span", [:], [.text(" (")] + convert(children.flatMap { $0.name == "para" ? $0.children : [$0] }, depth) + [.text(")")])
        default:
            return element(MarkdownWriter.blockNames.contains(name) ? "div" : "span", [:], convert(children, depth))
        }
    }

    /// A paragraph, split around the blocks inside it (a listing, a list, a table): the inline runs become
    /// paragraphs and the blocks stay blocks, in order.
    static func paragraph(_ children: [MarkupNode], depth: Int, titles: [String: String]) -> MarkupNode {
        guard children.contains(where: { blockElements.contains($0.name ?? "") }) else {
            return .element(name: "p", attributes: [:], children: children.map { html($0, depth: depth, titles: titles) })
        }
        var out: [MarkupNode] = []
        var run: [MarkupNode] = []
        func flush() {
            if run.contains(where: { $0.name != nil || !$0.text.trimmed.isEmpty }) {
                out.append(.element(name: "p", attributes: [:], children: run.map { html($0, depth: depth, titles: titles) }))
            }
            run = []
        }
        for child in children {
            if blockElements.contains(child.name ?? "") {
                flush()
                out.append(html(child, depth: depth, titles: titles))
            } else {
                run.append(child)
            }
        }
        flush()
        return .element(name: "div", attributes: [:], children: out)
    }
}

extension DocBook {
    /// A document with its parts inlined, and the absolute paths of the files that were read into it.
    struct Assembled {
        var bytes: [UInt8]
        var parts: [String] = []
        /// Why the document cannot be read (an entity that expands beyond reason), if it cannot.
        var problem: String?
    }

    /// How much larger than the file itself the document may grow by expanding its own entities.
    static let expansionAllowance = 4 << 20

    /// Books split over several files: XInclude elements and external entities (`<!ENTITY ch1 SYSTEM "ch1.xml">`
    /// … `&ch1;`) are replaced by the files they name — only files inside `base` (the folder being imported),
    /// never anything outside it or on the network — so the parser, which loads nothing itself, sees one document.
    /// A reference that cannot be honoured is left as it was: the parser then keeps the entity unexpanded and
    /// drops the XInclude element. With no `base` (a file imported on its own) no other file is read at all.
    static func inlineParts(_ bytes: [UInt8], file: String, base: String?) -> Assembled {
        var assembled = Assembled(bytes: [])
        var open: [String] = [Importer.absolute(file)]
        var text = inline(xmlText(bytes), file: file, root: base.map(Importer.absolute), open: &open, parts: &assembled.parts)
        do {
            text = try expandInternalEntities(text, budget: bytes.count + expansionAllowance)
        } catch let error as ExpansionError {
            assembled.problem = error.message
        } catch {
            assembled.problem = "\(error)"
        }
        assembled.bytes = Array(text.utf8)
        return assembled
    }

    /// An XML file's text, from UTF-8 or UTF-16 (by its byte-order mark, or by how `<?` is written without
    /// one), with an encoding declaration that says UTF-16 changed to UTF-8, as the text is handed on in UTF-8.
    static func xmlText<Bytes: Collection>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let head = Array(bytes.prefix(4))
        var bigEndian: Bool?
        var skip = 0
        if head.count >= 2 && head[0] == 0xFF && head[1] == 0xFE { (bigEndian, skip) = (false, 2) }
        else if head.count >= 2 && head[0] == 0xFE && head[1] == 0xFF { (bigEndian, skip) = (true, 2) }
        else if head == [0x3C, 0x00, 0x3F, 0x00] { bigEndian = false }
        else if head == [0x00, 0x3C, 0x00, 0x3F] { bigEndian = true }
        guard let bigEndian else { return String(decoding: bytes, as: UTF8.self) }
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var iterator = bytes.dropFirst(skip).makeIterator()
        while let first = iterator.next(), let second = iterator.next() {
            units.append(bigEndian ? UInt16(first) << 8 | UInt16(second) : UInt16(second) << 8 | UInt16(first))
        }
        var text = String(decoding: units, as: UTF16.self)
        if let declaration = text.range(of: #"^<\?xml[^>]*?encoding\s*=\s*["'][Uu][Tt][Ff]-?16(LE|BE|le|be)?["']"#,
                                        options: .regularExpression)
        {
            let written = String(text[declaration])
            let fixed = written.replacingOccurrences(of: #"[Uu][Tt][Ff]-?16(LE|BE|le|be)?"#, with: "UTF-8",
                                                     options: .regularExpression)
            text.replaceSubrange(declaration, with: fixed)
        }
        return text
    }

    struct ExpansionError: Error {
        var message: String
    }

    /// The document's own text entities (`<!ENTITY partner "Castellan Digital">`) written out where they are
    /// used, as a validating reader would — within a budget, so that an entity bomb is refused rather than
    /// multiplied (libxml2 itself is asked never to expand entities).
    static func expandInternalEntities(_ text: String, budget: Int) throws -> String {
        let (prologEnd, subset) = doctype(of: text)
        guard let subset else { return text }
        var raw: [String: String] = [:]
        for declaration in subset.components(separatedBy: "<!ENTITY").dropFirst() {
            let rest = declaration.drop(while: { $0.isWhitespace })
            guard !rest.hasPrefix("%") else { continue }  // parameter entities belong to the DTD
            let name = rest.prefix(while: { !$0.isWhitespace })
            let afterName = rest.dropFirst(name.count).drop(while: { $0.isWhitespace })
            guard let quote = afterName.first, quote == "\"" || quote == "'",
                let close = afterName.dropFirst().firstIndex(of: quote)
            else { continue }  // SYSTEM or PUBLIC: handled by inlining, or left alone
            raw[String(name)] = String(afterName[afterName.index(after: afterName.startIndex)..<close])
        }
        guard !raw.isEmpty else { return text }
        var expanded: [String: String] = [:]
        func value(_ name: String, _ stack: [String]) throws -> String? {
            if let done = expanded[name] { return done }
            guard let body = raw[name], !stack.contains(name) else { return nil }
            let result = try substitute(body, stack + [name])
            expanded[name] = result
            return result
        }
        func substitute(_ input: String, _ stack: [String]) throws -> String {
            var output = ""
            var rest = Substring(input)
            while let amp = rest.firstIndex(of: "&") {
                output += rest[..<amp]
                let after = rest[rest.index(after: amp)...]
                if let semicolon = after.prefix(64).firstIndex(of: ";"),
                    let replacement = try value(String(after[..<semicolon]), stack)
                {
                    output += replacement
                    rest = after[after.index(after: semicolon)...]
                } else {
                    output += "&"
                    rest = after
                }
                if output.utf8.count > budget {
                    throw ExpansionError(message: "its entities expand to more than \(budget / 1_048_576 + 1) MB; refusing what looks like an entity bomb")
                }
            }
            return output + rest
        }
        return String(text[..<prologEnd]) + (try substitute(String(text[prologEnd...]), []))
    }

    private static func inline(_ text: String, file: String, root: String?, open: inout [String], parts: inout [String]) -> String {
        let folder = (file as NSString).deletingLastPathComponent
        func load(_ href: String) -> String? {
            guard let root, !href.contains("://"), open.count < 16 else { return nil }
            let path = Importer.absolute(href.hasPrefix("/") ? href : (folder as NSString).appendingPathComponent(href))
            // Inside the imported folder only, and never a file that is already being inlined (a cycle).
            guard path.hasPrefix(root + "/"), !open.contains(path),
                let data = FileManager.default.contents(atPath: path)
            else { return nil }
            if !parts.contains(path) { parts.append(path) }
            open.append(path)
            defer { open.removeLast() }
            return stripProlog(inline(xmlText(data), file: path, root: root, open: &open, parts: &parts))
        }
        let (prologEnd, subset) = doctype(of: text)
        var systemEntities: [(name: String, href: String)] = []
        for declaration in (subset ?? "").components(separatedBy: "<!ENTITY").dropFirst() {
            let words = declaration.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" })
            guard words.count >= 3, words[1] == "SYSTEM" else { continue }
            let href = words[2].trimmingCharacters(in: CharacterSet(charactersIn: "\"'>"))
            systemEntities.append((String(words[0]), href))
        }
        var body = String(text[prologEnd...])
        for (name, href) in systemEntities where body.contains("&\(name);") {
            if let content = load(href) { body = body.replacingAll("&\(name);", content) }
        }
        // XInclude elements (`<xi:include href="…"/>`, any prefix bound to the XInclude namespace is not
        // recognised — `xi` is the universal convention).
        var searchFrom = body.startIndex
        while let start = body.range(of: "<xi:include", range: searchFrom..<body.endIndex),
            let close = body.range(of: ">", range: start.upperBound..<body.endIndex)
        {
            // `<xi:include …/>` or `<xi:include …>…</xi:include>` (with an `xi:fallback` inside, which is dropped).
            var end = close.upperBound
            if body[..<close.lowerBound].last != "/",
                let closing = body.range(of: "</xi:include>", range: close.upperBound..<body.endIndex)
            {
                end = closing.upperBound
            }
            let element = body[start.upperBound..<close.lowerBound]
            var replacement: String?
            if let href = attribute("href", in: element) {
                let parse = attribute("parse", in: element) ?? "xml"
                if parse == "xml" {
                    replacement = load(href)
                } else if let content = load(href) {
                    replacement = escape(content)
                }
            }
            if let replacement {
                body.replaceSubrange(start.lowerBound..<end, with: replacement)
                searchFrom = body.index(start.lowerBound, offsetBy: replacement.count, limitedBy: body.endIndex) ?? body.endIndex
            } else {
                searchFrom = end
            }
        }
        return String(text[..<prologEnd]) + body
    }

    /// Where the prolog (XML declaration and DOCTYPE) ends, and the DOCTYPE's internal subset if it has one.
    static func doctype(of text: String) -> (end: String.Index, subset: Substring?) {
        guard let start = text.range(of: "<!DOCTYPE") else {
            return (text.startIndex, nil)
        }
        // Only a DOCTYPE before the first element is one (not the words inside a CDATA section or a comment).
        let before = text[..<start.lowerBound]
        if zip(before, before.dropFirst()).contains(where: { $0 == "<" && ($1.isLetter || $1 == "_") }) {
            return (text.startIndex, nil)
        }
        var index = start.upperBound
        var quote: Character?
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" {
                // The internal subset ends at the first `]` outside quotes and comments; declarations inside
                // hold no bare `]`.
                let subsetStart = text.index(after: index)
                guard let close = text.range(of: "]", range: subsetStart..<text.endIndex),
                    let end = text.range(of: ">", range: close.upperBound..<text.endIndex)
                else { return (text.startIndex, nil) }
                return (end.upperBound, text[subsetStart..<close.lowerBound])
            } else if character == ">" {
                return (text.index(after: index), nil)
            }
            index = text.index(after: index)
        }
        return (text.startIndex, nil)
    }

    /// The value of `name="…"` (or single-quoted) among an element's attributes.
    static func attribute(_ name: String, in element: Substring) -> String? {
        for quote in ["\"", "'"] {
            guard let start = element.range(of: " \(name)=\(quote)") ?? element.range(of: "\n\(name)=\(quote)"),
                let end = element[start.upperBound...].firstIndex(of: Character(quote))
            else { continue }
            return String(element[start.upperBound..<end])
        }
        return nil
    }

    static func escape(_ text: String) -> String {
        text.replacingAll("&", "&amp;").replacingAll("<", "&lt;").replacingAll(">", "&gt;")
    }

    /// Content without its XML declaration and DOCTYPE.
    static func stripProlog(_ text: String) -> String {
        var result = Substring(text)
        if result.hasPrefix("\u{FEFF}") { result = result.dropFirst() }
        if result.hasPrefix("<?xml"), let end = result.range(of: "?>") { result = result[end.upperBound...] }
        let rest = String(result)
        return String(rest[doctype(of: rest).end...])
    }
}

extension MarkupNode {
    /// The same element with other children (a text node stays as it is).
    func replacingChildren(_ children: [MarkupNode]) -> MarkupNode {
        guard case .element(let name, let attributes, _) = self else { return self }
        return .element(name: name, attributes: attributes, children: children)
    }
}

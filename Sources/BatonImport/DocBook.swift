import BatonContent
import Foundation

/// DocBook 4 and 5 documents: split into entries (per chapter, per top section, or whole), turned into the HTML
/// shapes `MarkdownWriter` knows, with cross-references rewritten to the entries that hold their targets.
enum DocBook {
    static let divisions: Set<String> = ["book", "article", "chapter", "part", "reference", "set", "section", "sect1",
                                         "refentry", "appendix", "preface", "glossary", "bibliography"]

    static func isDocBook(_ root: MarkupNode) -> Bool { divisions.contains(root.name ?? "") }

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
        let info = node.children.first { ["info", "bookinfo", "articleinfo", "chapterinfo"].contains($0.name ?? "") }
        let title = node.children.first { $0.name == "title" } ?? info?.children.first { $0.name == "title" }
        return title?.text.collapsingSpaces.trimmed ?? ""
    }

    /// The parts of a document for a split.
    static func parts(_ root: MarkupNode, split: Split, fallbackName: String) -> [Part] {
        let chapterNames: Set<String> = ["chapter", "appendix", "preface", "article", "refentry", "glossary",
                                         "bibliography", "reference"]
        var parts: [Part] = []
        func visit(_ node: MarkupNode) {
            for child in node.children {
                guard let name = child.name else { continue }
                if chapterNames.contains(name) {
                    if split == .section {
                        let sections = child.children.filter { $0.name == "sect1" || $0.name == "section" }
                        if sections.isEmpty {
                            parts.append(Part(name: name, title: title(of: child), node: child))
                        } else {
                            for section in sections { parts.append(Part(name: "section", title: title(of: section), node: section)) }
                        }
                    } else {
                        parts.append(Part(name: name, title: title(of: child), node: child))
                    }
                } else if name == "part" || name == "book" || name == "set" {
                    visit(child)
                }
            }
        }
        if split != .none { visit(root) }
        if parts.isEmpty { parts = [Part(name: fallbackName, title: title(of: root), node: root)] }
        return parts
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
        case _ where divisions.contains(name) || name.hasPrefix("sect") || name == "simplesect":
            var out: [MarkupNode] = []
            for child in children {
                if child.name == "title" {
                    out.append(element("h\(min(depth, 6))", [:], convert(child.children, depth)))
                } else if ["info", "bookinfo", "articleinfo", "chapterinfo", "indexterm", "titleabbrev"].contains(child.name ?? "") {
                    continue
                } else {
                    out.append(html(child, depth: depth + 1, titles: titles))
                }
            }
            return element("section", [:], out)
        case "para", "simpara", "formalpara": return element("p", [:], convert(children, depth))
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
        var text = inline(String(decoding: bytes, as: UTF8.self), file: file, root: base.map(Importer.absolute), open: &open, parts: &assembled.parts)
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
            return stripProlog(inline(String(decoding: data, as: UTF8.self), file: path, root: root, open: &open, parts: &parts))
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

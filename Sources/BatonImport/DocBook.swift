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

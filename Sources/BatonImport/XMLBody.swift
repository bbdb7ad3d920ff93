/// The body a mapping selects, in whichever vocabulary the export writes: DocBook (`para`, `itemizedlist`,
/// `programlisting`, CALS tables), Mallard (GNOME's help pages: `list`/`item`, `terms`, `steps`, `screen`),
/// or DITA and HTML-like markup (`p`, `ul`, `dl`, `codeblock`, tables with `tgroup` or `tr`). It is told apart
/// by the names it uses, then turned into the HTML-shaped tree `MarkdownWriter` writes out.
enum XMLBody {
    static let docBookNames: Set<String> = ["para", "simpara", "itemizedlist", "orderedlist", "listitem", "variablelist",
                                            "varlistentry", "programlisting", "informaltable", "emphasis", "ulink", "literal",
                                            "formalpara", "procedure", "simplelist", "filename", "command"]
    static let mallardNames: Set<String> = ["item", "terms", "gui", "guiseq", "keyseq", "links", "sys", "app"]

    enum Vocabulary { case docBook, mallard, ditaOrHTML }

    static func vocabulary(_ node: MarkupNode) -> Vocabulary {
        var found: Vocabulary?
        func visit(_ node: MarkupNode) {
            guard found == nil, let name = node.name else { return }
            if docBookNames.contains(name) { found = .docBook; return }
            if mallardNames.contains(name) { found = .mallard; return }
            for child in node.children { visit(child) }
        }
        visit(node)
        return found ?? .ditaOrHTML
    }

    /// Elements that are content themselves when a mapping's body selects them; any other element selected
    /// (`description`, `content`) is a wrapper, and its children are the content.
    static let contentNames: Set<String> = MarkdownWriter.blockNames.union(DocBook.blockElements).union([
        "steps", "list", "terms", "screen", "code", "note", "codeblock", "dl", "simpletable", "lq", "sl", "section"])

    /// The nodes a body expression selected, as the entry's content (text nodes as paragraphs).
    static func content(_ nodes: [MarkupNode], record: MarkupNode) -> MarkupNode {
        let vocabulary = vocabulary(record)
        let blocks = nodes.flatMap { node -> [MarkupNode] in
            guard let name = node.name else { return [.element(name: "p", attributes: [:], children: [node])] }
            return (contentNames.contains(name) ? [node] : node.children).map { html($0, vocabulary) }
        }
        return .element(name: "div", attributes: [:], children: blocks)
    }

    static func html(_ node: MarkupNode, _ vocabulary: Vocabulary) -> MarkupNode {
        switch vocabulary {
        case .docBook: return DocBook.html(node, depth: 2, titles: [:])
        case .mallard: return mallard(node, depth: 2)
        case .ditaOrHTML: return DITA.html(node, depth: 2, DITA.Context())
        }
    }

    /// `text/x-shellscript` → `sh`, `text/x-python` → `python`, `application/xml` → `xml`.
    static func language(mime: String?) -> String? {
        guard let mime, let subtype = mime.split(separator: "/").last else { return nil }
        var name = subtype.hasPrefix("x-") ? String(subtype.dropFirst(2)) : String(subtype)
        if name == "shellscript" || name == "sh" || name == "shell" { name = "sh" }
        return name.isEmpty ? nil : name
    }

    /// Mallard's block and inline elements; what it shares with DITA (p, note, table, em, code) goes through DITA's.
    static func mallard(_ node: MarkupNode, depth: Int) -> MarkupNode {
        guard case .element(let name, let attributes, let children) = node else { return node }
        func element(_ name: String, _ attributes: [String: String] = [:], _ children: [MarkupNode]) -> MarkupNode {
            .element(name: name, attributes: attributes, children: children)
        }
        func convert(_ nodes: [MarkupNode], _ depth: Int = depth) -> [MarkupNode] {
            nodes.filter { $0.name != "info" }.map { mallard($0, depth: depth) }
        }
        let title = children.first { $0.name == "title" }
        let rest = children.filter { $0.name != "title" }
        switch name {
        case "list", "steps":
            let ordered = name == "steps" || attributes["type"] == "numbered"
            return element("div", [:], (title.map { [element("p", [:], [element("strong", [:], convert($0.children))])] } ?? [])
                + [element(ordered ? "ol" : "ul", [:], convert(rest.filter { $0.name == "item" }))])
        case "item":
            return element("li", [:], convert(children))
        case "terms":
            var items: [MarkupNode] = []
            for item in rest where item.name == "item" {
                for term in item.children where term.name == "title" { items.append(element("dt", [:], convert(term.children))) }
                items.append(element("dd", [:], convert(item.children.filter { $0.name != "title" })))
            }
            return element("dl", [:], items)
        case "section", "example", "figure":
            return element("section", [:], (title.map { [element("h\(min(depth, 6))", [:], convert($0.children))] } ?? []) + convert(rest, depth + 1))
        case "screen":
            return element("pre", [:], [.text(node.text)])
        case "code" where node.text.contains("\n"):
            // A listing: Mallard writes block and inline code with the same element.
            return element("pre", language(mime: attributes["mime"]).map { ["class": "language-" + $0] } ?? [:], [.text(node.text)])
        case "code", "sys", "cmd", "file", "input", "output", "var":
            return element("code", [:], [.text(node.text)])
        case "gui", "key", "app":
            return element("strong", [:], convert(children))
        case "guiseq", "keyseq":
            let parts = children.filter { $0.name != nil }.map { $0.text.collapsingSpaces.trimmed }
            return element("strong", [:], [.text(parts.joined(separator: name == "keyseq" ? "+" : " > "))])
        case "link":
            let target = attributes["href"] ?? attributes["xref"].map { $0 + ".page" } ?? ""
            let text = children.isEmpty ? [MarkupNode.text(attributes["xref"] ?? attributes["href"] ?? "")] : convert(children)
            return element("a", ["href": target], text)
        case "links":
            return element("span", [:], [])
        case "note":
            let style = attributes["style"].flatMap { $0.split(separator: " ").first.map(String.init) } ?? "note"
            return element("blockquote", [:], [element("p", [:], [element("strong", [:], [.text(style.prefix(1).uppercased() + style.dropFirst())])])] + convert(rest))
        case "media":
            return element("img", ["src": attributes["src"] ?? "", "alt": node.text.collapsingSpaces.trimmed], [])
        case "table":
            return DITA.html(node, depth: depth, DITA.Context())
        case "p", "title", "em", "tr", "td", "th", "thead", "tbody":
            return element(name == "title" ? "p" : name, [:], convert(children))
        default:
            return element(MarkdownWriter.blockNames.contains(name) ? "div" : "span", [:], convert(children))
        }
    }
}

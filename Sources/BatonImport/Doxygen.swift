/// Pages Doxygen generates: the content is the page's header title and its `contents` block (the project's
/// navigation bar, the tab menus and the tooltips stay out); a source listing (`div.fragment` of `div.line`s,
/// each with its line number) becomes one code block; member summaries (`table.memberdecls`) become their
/// group headings and lists of declarations; a member's prototype (`table.memname`) a line of code.
enum Doxygen {
    /// The page's own title: `Json::Value Class Reference`, `writer.h`.
    static func title(_ root: MarkupNode) -> String? {
        guard let header = HTMLImporter.find(root, { HTMLImporter.hasClass($0, "headertitle") }),
              let title = HTMLImporter.find(header, { HTMLImporter.hasClass($0, "title") }) else { return nil }
        let text = title.text.collapsingSpaces.trimmed
        return text.isEmpty ? nil : text
    }

    /// The title as a heading, then the contents, converted.
    static func content(_ root: MarkupNode) -> MarkupNode? {
        guard let contents = HTMLImporter.find(root, { $0.name == "div" && HTMLImporter.hasClass($0, "contents") }) else { return nil }
        let heading = title(root).map { [MarkupNode.element(name: "h1", attributes: [:], children: [.text($0)])] } ?? []
        return .element(name: "div", attributes: [:], children: heading + [convert(contents)])
    }

    static func convert(_ node: MarkupNode) -> MarkupNode {
        guard case .element(let name, let attributes, let children) = node else { return node }
        func element(_ name: String, _ children: [MarkupNode], _ attributes: [String: String] = [:]) -> MarkupNode {
            .element(name: name, attributes: attributes, children: children)
        }
        if name == "div" && HTMLImporter.hasClass(node, "fragment") {
            // One line per `div.line`, without its number (and the no-break space after it).
            let lines = children.filter { HTMLImporter.hasClass($0, "line") }.map { line -> String in
                var text = line.children.filter { !HTMLImporter.hasClass($0, "lineno") }.map(\.text).joined()
                if text.hasPrefix("\u{A0}") { text.removeFirst() }
                return text.replacingAll("\u{A0}", " ")
            }
            return element("pre", [.text(lines.joined(separator: "\n"))])
        }
        if isTooltip(node) {
            // A tooltip's copy of a declaration, shown on hover.
            return element("span", [])
        }
        if name == "table" && HTMLImporter.hasClass(node, "memberdecls") {
            var out: [MarkupNode] = []
            var items: [MarkupNode] = []
            func flush() {
                if !items.isEmpty { out.append(element("ul", items)) }
                items = []
            }
            for row in rows(node) {
                let kind = row.attribute("class") ?? ""
                if let heading = HTMLImporter.find(row, { HTMLAnchors.headingLevel($0.name ?? "") != nil }) {
                    flush()
                    out.append(convert(heading))
                } else if kind.hasPrefix("memitem") {
                    let cells = row.children.filter { $0.name == "td" }
                    let left = cells.first { HTMLImporter.hasClass($0, "memItemLeft") || HTMLImporter.hasClass($0, "memTemplItemLeft") }
                    let right = cells.first { HTMLImporter.hasClass($0, "memItemRight") || HTMLImporter.hasClass($0, "memTemplItemRight") }
                    let type = left?.text.replacingAll("\u{A0}", " ").collapsingSpaces.trimmed ?? ""
                    items.append(element("li", (type.isEmpty ? [] : [element("code", [.text(type)]), .text(" ")]) + (right?.children.map(convert) ?? [])))
                } else if kind.hasPrefix("memdesc"), let last = items.popLast() {
                    // The member's one-line description, after its declaration.
                    let description = row.children.filter { HTMLImporter.hasClass($0, "mdescRight") || HTMLImporter.hasClass($0, "mdescLeft") }
                        .flatMap(\.children).map(convert)
                    items.append(element("li", last.children + [.text(" — ")] + description))
                } else if kind.hasPrefix("memtemplate") {
                    let template = row.text.replacingAll("\u{A0}", " ").collapsingSpaces.trimmed
                    if !template.isEmpty { items.append(element("li", [element("code", [.text(template)])])) }
                }
            }
            flush()
            return element("div", out)
        }
        if name == "div" && HTMLImporter.hasClass(node, "memproto") {
            // The prototype as written: the cells of its tables, one line (labels such as `static` after it).
            let text = rows(node).map { $0.text.replacingAll("\u{A0}", " ").collapsingSpaces.trimmed }.filter { !$0.isEmpty }
                .joined(separator: " ")
            return element("pre", [.text(text.replacingAll("( ", "(").replacingAll(" )", ")").replacingAll(" ,", ","))], ["class": "language-cpp"])
        }
        if name == "h2" && HTMLImporter.hasClass(node, "memtitle") {
            // `◆ ArrayIndex`: the permalink's diamond is decoration.
            return element("h2", children.filter { !HTMLImporter.hasClass($0, "permalink") }.map(convert), attributes)
        }
        return element(name, children.map(convert), attributes)
    }

    /// A tooltip's copy of a declaration, shown on hover.
    static func isTooltip(_ node: MarkupNode) -> Bool {
        node.name == "div" && HTMLImporter.hasClass(node, "ttc")
    }

    /// The rows of a table, through its `tbody`s.
    static func rows(_ node: MarkupNode) -> [MarkupNode] {
        node.children.flatMap { child -> [MarkupNode] in
            switch child.name {
            case "tr": return [child]
            case "tbody", "thead", "table": return rows(child)
            default: return child.name == nil ? [] : rows(child)
            }
        }
    }
}

/// Pages javadoc writes (Java 11 and later): its summaries are grids of `div`s (`div.summary-table` with a
/// `table-header` cell per column, then the cells row after row), which become tables; the lists it wraps its
/// sections in (`ul.summary-list`, `ul.details-list`, `ul.member-list`) are dropped so the sections' headings
/// stay headings, not list items.
enum Javadoc {
    /// The page's own heading (`Class CharUtils`), which javadoc puts in `div.header`.
    static func title(_ root: MarkupNode) -> String? {
        guard let heading = HTMLImporter.find(root, { $0.name == "h1" && HTMLImporter.hasClass($0, "title") }) else { return nil }
        let text = heading.text.collapsingSpaces.trimmed
        return text.isEmpty ? nil : text
    }

    static let wrappers: Set<String> = ["summary-list", "details-list", "member-list", "block-list", "blockList"]

    static func convert(_ node: MarkupNode) -> MarkupNode {
        guard case .element(let name, let attributes, let children) = node else { return node }
        func element(_ name: String, _ children: [MarkupNode]) -> MarkupNode {
            .element(name: name, attributes: [:], children: children)
        }
        if name == "div" && HTMLImporter.hasClass(node, "header") {
            // Not a page header: the class's title and signature.
            return element("div", children.map(convert))
        }
        if name == "div" && HTMLImporter.hasClass(node, "summary-table") {
            let cells = children.filter { $0.name == "div" }
            let header = cells.prefix { HTMLImporter.hasClass($0, "table-header") }
            let columns = max(1, header.count)
            var rows = [element("tr", header.map { element("th", $0.children.map(convert)) })]
            let body = Array(cells.dropFirst(header.count))
            var index = 0
            while index < body.count {
                let row = body[index..<min(index + columns, body.count)]
                rows.append(element("tr", row.map { element("td", $0.children.map(convert)) }))
                index += columns
            }
            return element("table", header.isEmpty ? Array(rows.dropFirst()) : rows)
        }
        if name == "ul", let classes = attributes["class"]?.split(separator: " "), classes.contains(where: { wrappers.contains(String($0)) }) {
            // Each item is a section: its content, without the list around it.
            return element("div", children.map { item in item.name == "li" ? element("div", item.children.map(convert)) : convert(item) })
        }
        return .element(name: name, attributes: attributes, children: children.map(convert))
    }
}

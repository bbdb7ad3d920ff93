import BatonContent

/// What a generator's page says with structure that Markdown only has headings for, and the page's ids.
///
/// Sphinx describes each API object (`<dl class="py method"><dt class="sig sig-object py" id="datetime.date.isoweekday">`)
/// and each footnote (`<aside class="footnote">`) in elements Markdown has no anchors for, so links to them
/// (`datetime.html#datetime.date.isoweekday`) would lead nowhere. Objects become headings one level below the
/// heading they are under, rubrics (`<p class="rubric">Footnotes</p>`) too, and footnotes numbered paragraphs;
/// then every id on the page is mapped to the anchor of the heading it is at or under.
enum HTMLAnchors {
    /// The page with object descriptions, rubrics and footnotes made into headings and paragraphs.
    static func restructure(_ node: MarkupNode) -> MarkupNode {
        var level = 1
        return restructure(node, level: &level)
    }

    private static func restructure(_ node: MarkupNode, level: inout Int) -> MarkupNode {
        guard case .element(let name, let attributes, let children) = node else { return node }
        func element(_ name: String, _ attributes: [String: String] = [:], _ children: [MarkupNode]) -> MarkupNode {
            .element(name: name, attributes: attributes, children: children)
        }
        if let heading = headingLevel(name) {
            level = heading
            return node
        }
        if isFootnoteList(node) && !isFootnote(node) {
            return element("div", attributes, children.map { restructure($0, level: &level) })
        }
        if name == "p", HTMLImporter.hasClass(node, "rubric") {
            level = min(6, level + 1)
            return element("h\(level)", attributes, children)
        }
        if isFootnote(node) {
            // `[1] The note's text.`: the label as text (its back-link dropped), then the note's paragraphs.
            let label = HTMLImporter.find(node) { HTMLImporter.hasClass($0, "label") }?.text.collapsingSpaces.trimmed ?? ""
            let body = children.filter { !HTMLImporter.hasClass($0, "label") && !($0.name == nil && $0.text.trimmed.isEmpty) }
            let bracketed = label.hasPrefix("[") ? label : "[\(label)]"
            if let first = body.first, first.name == "p" {
                return element("div", attributes, [element("p", [:], [.text(bracketed + " ")] + first.children)] + body.dropFirst())
            }
            return element("div", attributes, [element("p", [:], [.text(bracketed + " ")])] + body)
        }
        if name == "dl", HTMLImporter.hasClass(node, "footnote") {
            // Older Sphinx: footnotes as a definition list of labels and texts.
            var out: [MarkupNode] = []
            var label = ""
            for child in children {
                if child.name == "dt" { label = child.text.collapsingSpaces.trimmed }
                if child.name == "dd" {
                    let bracketed = label.hasPrefix("[") ? label : "[\(label)]"
                    out.append(element("div", child.attribute("id").map { ["id": $0] } ?? [:],
                                       [element("p", [:], [.text(bracketed + " ")] + child.children.flatMap { $0.name == "p" ? $0.children : [$0] })]))
                }
            }
            return element("div", attributes, out)
        }
        if name == "dl", children.contains(where: isSignature) {
            // An API object: its signature a heading below the one it is under, its description after it.
            let base = level
            var out: [MarkupNode] = []
            for child in children {
                if child.name == "dt", isSignature(child) {
                    level = min(6, base + 1)
                    out.append(element("h\(level)", child.attribute("id").map { ["id": $0] } ?? [:], child.children))
                } else if child.name == "dd" {
                    out.append(element("div", [:], child.children.map { restructure($0, level: &level) }))
                    level = min(6, base + 1)
                } else {
                    out.append(restructure(child, level: &level))
                }
            }
            // The next object beside this one is its sibling, not its child.
            level = base
            return element("div", attributes, out)
        }
        return element(name, attributes, children.map { restructure($0, level: &level) })
    }

    static func headingLevel(_ name: String) -> Int? {
        guard name.count == 2, name.first == "h", let digit = name.last?.wholeNumberValue, (1...6).contains(digit) else { return nil }
        return digit
    }

    static func isSignature(_ node: MarkupNode) -> Bool {
        node.name == "dt" && node.attribute("id") != nil
            && (HTMLImporter.hasClass(node, "sig-object") || HTMLImporter.hasClass(node, "sig"))
    }

    static func isFootnote(_ node: MarkupNode) -> Bool {
        (node.name == "aside" || node.name == "div") && HTMLImporter.hasClass(node, "footnote")
    }

    /// Containers of footnotes the writer would otherwise drop (it leaves every `aside` out).
    static func isFootnoteList(_ node: MarkupNode) -> Bool {
        node.name == "aside" && (HTMLImporter.hasClass(node, "footnote-list") || HTMLImporter.hasClass(node, "footnote"))
    }

    /// Every id (and `<a name>`) on the page → the position, counted from 1, of the heading it is at or under
    /// (0: above the first heading). An id on a block that opens with a heading is that heading's, and so is an
    /// empty anchor with nothing but space between it and the heading (`<a id="x"></a><h2>…`).
    static func headingPositions(_ node: MarkupNode) -> [String: Int] {
        var positions: [String: Int] = [:]
        var count = 0
        // Empty anchors met since the last text: they belong to whichever comes next, a heading or text.
        var pending: [String] = []
        func settle(_ position: Int) {
            for id in pending where positions[id] == nil { positions[id] = position }
            pending = []
        }
        func visit(_ node: MarkupNode) {
            guard let name = node.name else {
                if !node.text.trimmed.isEmpty { settle(count) }
                return
            }
            let isHeading = headingLevel(name) != nil && !node.text.trimmed.isEmpty
            if isHeading {
                count += 1
                settle(count)
            }
            for id in [node.attribute("id"), name == "a" ? node.attribute("name") : nil].compactMap({ $0 }) where positions[id] == nil {
                if isHeading {
                    positions[id] = count
                } else {
                    // Decided by what follows: the next heading if no text comes first.
                    pending.append(id)
                }
            }
            for child in node.children { visit(child) }
        }
        visit(node)
        settle(count)
        return positions
    }

    /// Ids → anchors, given the heading positions and the anchors of the Markdown's headings in order
    /// (`offset`: headings the Markdown has before the page's own, such as a title put in front).
    static func anchors(_ positions: [String: Int], headings: [String], offset: Int) -> [String: String] {
        var anchors: [String: String] = [:]
        for (id, position) in positions {
            let index = position == 0 ? 0 : position - 1 + offset
            if headings.indices.contains(index) { anchors[id] = headings[index] }
        }
        return anchors
    }

    /// Every `](file.md#id)` link (and `](#id)`, with an empty file) whose fragment `anchor(file, id)` knows a
    /// heading for, pointed at it.
    static func rewriteLinks(_ markdown: String, _ anchor: (String, String) -> String?) -> String {
        // Byte by byte: a page holds thousands of links, and searching a String from each one again is slow.
        let bytes = Array(markdown.utf8)
        guard bytes.contains(UInt8(ascii: "#")) else { return markdown }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "]"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "(") else {
                out.append(bytes[index])
                index += 1
                continue
            }
            out += [UInt8(ascii: "]"), UInt8(ascii: "(")]
            index += 2
            var end = index
            while end < bytes.count, ![UInt8(ascii: ")"), UInt8(ascii: " "), UInt8(ascii: "\n")].contains(bytes[end]) { end += 1 }
            guard end < bytes.count, let hash = bytes[index..<end].firstIndex(of: UInt8(ascii: "#")) else { continue }
            let file = String(decoding: bytes[index..<hash], as: UTF8.self)
            guard file.isEmpty || file.hasSuffix(".md") else { continue }
            let id = String(decoding: bytes[(hash + 1)..<end], as: UTF8.self)
            if let found = anchor(file, id) ?? anchor(file, id.removingPercentEncoding ?? id) {
                out += Array((file + "#" + found).utf8)
                index = end
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `](#id)` links of the page pointed at the anchors their ids map to.
    static func rewriteLocalLinks(_ markdown: String, _ anchors: [String: String]) -> String {
        anchors.isEmpty ? markdown : rewriteLinks(markdown) { file, id in file.isEmpty ? anchors[id] : nil }
    }
}

/// Turns an HTML element tree into GitHub-flavoured Markdown: headings, paragraphs, emphasis, code (with the
/// language a class names), nested lists, tables, block quotes, definition lists, links and images. Relative
/// links are resolved with `resolveLink`; what Markdown cannot express is flattened to its text.
struct MarkdownWriter {
    /// Turns an `href` or `src` into what the Markdown should say (resolved, or rewritten to another entry).
    var resolveLink: (String) -> String = { $0 }
    /// Turns an image's `src` into what the Markdown should say; by default as links are.
    var resolveImage: ((String) -> String)?
    /// Images seen, by their resolved source.
    private(set) var images: [String] = []

    static let dropped: Set<String> = [
        "script", "style", "nav", "header", "footer", "form", "aside", "noscript", "button", "input", "select",
        "textarea", "iframe", "svg", "template", "head", "title", "meta", "link",
    ]
    static let blockNames: Set<String> = [
        "p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "pre",
        "blockquote", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "dl", "dt", "dd", "hr", "figure",
        "figcaption", "body", "html", "center", "address", "details", "summary", "caption",
    ]

    mutating func markdown(_ node: MarkupNode) -> String {
        let text = blocks([node], language: nil).joined(separator: "\n\n")
        return text.isEmpty ? "" : text + "\n"
    }

    private static func isBlock(_ node: MarkupNode) -> Bool {
        guard let name = node.name else { return false }
        return blockNames.contains(name)
    }

    /// The blocks of a sequence of nodes: runs of inline content become paragraphs.
    private mutating func blocks(_ nodes: [MarkupNode], language: String?) -> [String] {
        var result: [String] = []
        var run: [MarkupNode] = []
        func flush(_ writer: inout MarkdownWriter) {
            let paragraph = writer.inline(run).trimmedLine
            if !paragraph.isEmpty { result.append(paragraph) }
            run = []
        }
        for node in nodes {
            if let name = node.name, Self.dropped.contains(name) { continue }
            if Self.isBlock(node) {
                flush(&self)
                result += block(node, language: language)
            } else {
                run.append(node)
            }
        }
        flush(&self)
        return result
    }

    private mutating func block(_ node: MarkupNode, language: String?) -> [String] {
        guard case .element(let name, _, let children) = node else { return [] }
        switch name {
        case "h1", "h2", "h3", "h4", "h5", "h6":
            let text = inline(children).trimmedLine.replacingAll("\n", " ")
            return text.isEmpty ? [] : [String(repeating: "#", count: Int(String(name.dropFirst()))!) + " " + text]
        case "p", "figcaption", "caption", "summary", "address":
            let text = inline(children).trimmedLine
            return text.isEmpty ? [] : [text]
        case "hr":
            return ["---"]
        case "pre":
            return [codeBlock(node, language: language ?? Self.language(of: node))]
        case "ul", "ol":
            return [list(node, ordered: name == "ol")].filter { !$0.isEmpty }
        case "blockquote":
            return Self.quoted(blocks(children, language: language).joined(separator: "\n\n"))
        case "div" where Self.admonitionKind(node) != nil, "aside" where Self.admonitionKind(node) != nil:
            // A note or warning box (Sphinx, docutils, Confluence): a quote that starts with its title in bold.
            var rest = children
            var title = ""
            if let index = children.firstIndex(where: { child in
                let classes = child.attribute("class")?.split(separator: " ") ?? []
                return classes.contains("admonition-title") || classes.contains("title")
            }) {
                title = inline(children[index].children).trimmedLine.replacingAll("\n", " ")
                rest.remove(at: index)
            }
            if title.isEmpty, let kind = Self.admonitionKind(node), kind != "admonition" {
                title = kind == "seealso" ? "See also" : kind.prefix(1).uppercased() + kind.dropFirst()
            }
            let inner = blocks(rest, language: language).joined(separator: "\n\n")
            return Self.quoted(title.isEmpty ? inner : "**\(title)**" + (inner.isEmpty ? "" : "\n\n" + inner))
        case "table":
            return [table(node)].filter { !$0.isEmpty }
        case "dl":
            var out: [String] = []
            for child in children {
                switch child.name {
                case "dt": out.append("**" + inline(child.children).trimmedLine + "**")
                case "dd": out += blocks(child.children, language: language)
                default: break
                }
            }
            return out
        default:
            // Containers: div, section, … pass their language hint (Sphinx: class="highlight-python3").
            return blocks(children, language: Self.language(of: node) ?? language)
        }
    }

    static let admonitionClasses: Set<Substring> = [
        "admonition", "note", "warning", "tip", "hint", "important", "caution", "danger", "attention", "seealso",
        "confluence-information-macro",
    ]

    /// Which kind of note box an element is, by its class tokens (`admonition` when only that is known).
    static func admonitionKind(_ node: MarkupNode) -> String? {
        guard let classes = node.attribute("class")?.split(separator: " ") else { return nil }
        let kinds = classes.filter { admonitionClasses.contains($0) }
        guard !kinds.isEmpty else { return nil }
        return String(kinds.first { $0 != "admonition" && $0 != "confluence-information-macro" } ?? "admonition")
    }

    /// Markdown quoted with `>` on every line (nothing when empty).
    static func quoted(_ markdown: String) -> [String] {
        guard !markdown.isEmpty else { return [] }
        return [markdown.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? ">" : "> " + $0 }.joined(separator: "\n")]
    }

    /// The language a class names: `language-x`, `lang-x`, `highlight-x`, `brush: x`.
    static func language(of node: MarkupNode) -> String? {
        // Confluence's code macro: `data-syntaxhighlighter-params="brush: java; gutter: false"`.
        if let parameters = node.attribute("data-syntaxhighlighter-params"),
           let brush = parameters.split(separator: ";").map({ String($0).trimmed }).first(where: { $0.hasPrefix("brush:") }) {
            let name = String(brush.dropFirst(6)).trimmed
            if !name.isEmpty && name != "none" && name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" }) { return name }
        }
        guard let classes = node.attribute("class")?.split(separator: " ") else { return nil }
        for item in classes {
            for prefix in ["language-", "lang-", "highlight-", "sourceCode "] where item.hasPrefix(prefix) {
                let name = String(item.dropFirst(prefix.count))
                if !name.isEmpty && name != "default" && name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" }) {
                    return name
                }
            }
        }
        return nil
    }

    private func codeBlock(_ node: MarkupNode, language: String?) -> String {
        var code = node.text
        if code.hasSuffix("\n") { code.removeLast() }
        // A fence longer than any run of backticks inside.
        var longest = 0
        var current = 0
        for character in code {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + (language ?? "") + "\n" + code + "\n" + fence
    }

    private mutating func list(_ node: MarkupNode, ordered: Bool) -> String {
        var lines: [String] = []
        var number = Int(node.attribute("start") ?? "") ?? 1
        for item in node.children where item.name == "li" {
            let marker = ordered ? "\(number). " : "- "
            number += 1
            let content = blocks(item.children, language: nil)
            let indent = String(repeating: " ", count: marker.count)
            var first = true
            var itemLines: [String] = []
            for block in content {
                for (index, line) in block.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    if first {
                        itemLines.append(marker + line)
                        first = false
                    } else if index == 0 && !itemLines.isEmpty && !(block.hasPrefix("- ") || block.first?.isNumber == true) {
                        itemLines.append("")
                        itemLines.append(line.isEmpty ? "" : indent + line)
                    } else {
                        itemLines.append(line.isEmpty ? "" : indent + line)
                    }
                }
            }
            if first { itemLines.append(marker.trimmed) }
            lines += itemLines
        }
        return lines.joined(separator: "\n")
    }

    private mutating func table(_ node: MarkupNode) -> String {
        var rows: [[String]] = []
        var headerRows = 0
        func collect(_ node: MarkupNode, header: Bool, _ writer: inout MarkdownWriter) {
            for child in node.children {
                switch child.name {
                case "thead": collect(child, header: true, &writer)
                case "tbody", "tfoot": collect(child, header: false, &writer)
                case "tr":
                    let cells = child.children.filter { $0.name == "td" || $0.name == "th" }
                    let texts = cells.map { cell in
                        // Cells hold one line: a line break becomes <br> (Markdown has no other way to say it),
                        // blocks are joined by spaces; pipes are escaped.
                        writer.blocks(cell.children, language: nil).joined(separator: " ")
                            .replacingAll("\\\n", "<br>").replacingAll("\n", " ").replacingAll("|", "\\|").trimmed
                    }
                    if header || (rows.isEmpty && cells.allSatisfy { $0.name == "th" }) { headerRows += 1 }
                    rows.append(texts)
                default: break
                }
            }
        }
        collect(node, header: false, &self)
        guard !rows.isEmpty else { return "" }
        let width = rows.map(\.count).max() ?? 0
        guard width > 0 else { return "" }
        let padded = rows.map { $0 + Array(repeating: "", count: width - $0.count) }
        let header = headerRows > 0 ? padded[0] : Array(repeating: "", count: width)
        let body = headerRows > 0 ? Array(padded.dropFirst()) : padded
        var lines = ["| " + header.joined(separator: " | ") + " |",
                     "|" + Array(repeating: "---", count: width).joined(separator: "|") + "|"]
        for row in body { lines.append("| " + row.joined(separator: " | ") + " |") }
        return lines.joined(separator: "\n")
    }

    // MARK: Inline

    private mutating func inline(_ nodes: [MarkupNode]) -> String {
        var out = ""
        for node in nodes { out += inline(node) }
        return out.collapsingSpaces
    }

    private mutating func inline(_ node: MarkupNode) -> String {
        switch node {
        case .text(let text):
            return Self.escape(text)
        case .element(let name, _, let children):
            if Self.dropped.contains(name) { return "" }
            switch name {
            case "br": return "\\\n"
            case "em", "i", "cite", "dfn", "var":
                return wrap(inline(children), "*")
            case "strong", "b":
                return wrap(inline(children), "**")
            case "del", "s", "strike":
                return wrap(inline(children), "~~")
            case "code", "kbd", "samp", "tt":
                // Code that is a link (javadoc's `<code><a href="#MAX">MAX</a></code>`): the link, in code.
                let elements = children.filter { $0.name != nil }
                if elements.count == 1, let link = elements.first, link.name == "a", let href = link.attribute("href"), !href.isEmpty,
                   !href.hasPrefix("javascript:"), children.allSatisfy({ $0.name != nil || $0.text.trimmed.isEmpty }) {
                    return "[\(Self.code(node.text.collapsingSpaces))](\(Self.linkTarget(resolveLink(href))))"
                }
                return Self.code(node.text.collapsingSpaces)
            case "a":
                let text = inline(children).trimmedLine
                guard let href = node.attribute("href"), !href.isEmpty, !href.hasPrefix("javascript:") else { return text }
                if href.hasPrefix("#") && text.isEmpty { return "" }
                let target = resolveLink(href)
                return text.isEmpty ? "<\(target)>" : "[\(text)](\(Self.linkTarget(target)))"
            case "img":
                guard let source = node.attribute("src") else { return "" }
                let target = (resolveImage ?? resolveLink)(source)
                images.append(source)
                return "![\(Self.escape(node.attribute("alt") ?? ""))](\(Self.linkTarget(target)))"
            default:
                if Self.isBlock(node) { return " " + blocks([node], language: nil).joined(separator: " ") + " " }
                return inline(children)
            }
        }
    }

    private func wrap(_ text: String, _ mark: String) -> String {
        let trimmed = text.trimmed
        guard !trimmed.isEmpty else { return text }
        let leading = text.hasPrefix(" ") ? " " : ""
        let trailing = text.hasSuffix(" ") ? " " : ""
        return leading + mark + trimmed + mark + trailing
    }

    static func code(_ text: String) -> String {
        guard !text.isEmpty else { return "" }
        var fence = "`"
        while text.contains(fence) { fence += "`" }
        let pad = text.hasPrefix("`") || text.hasSuffix("`") ? " " : ""
        return fence + pad + text + pad + fence
    }

    static func linkTarget(_ target: String) -> String {
        target.contains(" ") || target.contains(")") ? "<" + target + ">" : target
    }

    /// Escapes what Markdown would read as markup in ordinary text.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\", "*", "_", "`", "[", "]", "<", ">", "|": out += "\\" + String(character)
            case "\u{A0}": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}

extension String {
    /// Without whitespace at either end.
    var trimmed: String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }

    /// Without white space or hard breaks (`\` + newline, what `<br>` becomes) at either end: a line break
    /// that ends a paragraph, heading or term would leave a stray backslash.
    var trimmedLine: String {
        var text = Substring(self)
        while true {
            if text.hasPrefix("\\\n") { text = text.dropFirst(2) }
            else if text.hasSuffix("\\\n") { text = text.dropLast(2) }
            else if let first = text.first, first.isWhitespace { text = text.dropFirst() }
            else if let last = text.last, last.isWhitespace { text = text.dropLast() }
            else { break }
        }
        return String(text)
    }

    /// Runs of spaces, tabs and newlines become one space (at either end too); hard breaks (`\` + newline) stay.
    var collapsingSpaces: String {
        var out = ""
        var pendingSpace = false
        var previous: Character = " "
        for character in self {
            if character == "\n" && previous == "\\" {
                out.append(character)
                pendingSpace = false
                previous = character
                continue
            }
            if character.isWhitespace && character != "\u{A0}" {
                pendingSpace = true
            } else {
                // A leading space stays too: `<b>x</b><span> y</span>` is two words, and so is a
                // whitespace-only span between two others (Sphinx writes `<span class="w"> </span>`).
                if pendingSpace && out.last != "\n" { out.append(" ") }
                pendingSpace = false
                out.append(character)
            }
            previous = character
        }
        if pendingSpace && out.last != " " { out.append(" ") }
        return out
    }

    func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

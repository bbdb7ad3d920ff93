import BatonSearch

/// Writes a `YAMLNode` tree as block-style YAML the way a person would: two-space indents, lists under their key
/// indented, flow style kept where the author used it, scalars plain unless quoting is needed to read back the
/// same value.
enum YAMLEmitter {
    /// The YAML text for a mapping's pairs (the front matter body), ending in a newline.
    static func emit(pairs: [YAMLNode.Pair]) -> String {
        var out = ""
        emitPairs(pairs, indent: 0, into: &out)
        return out
    }

    private static func emitPairs(_ pairs: [YAMLNode.Pair], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for pair in pairs {
            out += pad + key(pair.key) + ":"
            emitValue(pair.value, indent: indent, into: &out)
        }
    }

    /// Emits a value that follows `key:` or `- ` on the current line.
    private static func emitValue(_ node: YAMLNode, indent: Int, into out: inout String) {
        switch node.content {
        case .scalar:
            if node.isNull {
                out += "\n"
            } else {
                out += " " + scalar(node, indent: indent + 2, inFlow: false) + "\n"
            }
        case .sequence(let items):
            if items.isEmpty || node.isFlow {
                out += " " + flow(node) + "\n"
            } else {
                out += "\n"
                emitItems(items, indent: indent + 2, into: &out)
            }
        case .mapping(let pairs):
            if pairs.isEmpty || node.isFlow {
                out += " " + flow(node) + "\n"
            } else {
                out += "\n"
                emitPairs(pairs, indent: indent + 2, into: &out)
            }
        }
    }

    private static func emitItems(_ items: [YAMLNode], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for item in items {
            switch item.content {
            case .mapping(let pairs) where !pairs.isEmpty && !item.isFlow:
                // First pair on the dash line, the rest aligned under it.
                var nested = ""
                emitPairs(pairs, indent: indent + 2, into: &nested)
                out += pad + "- " + nested.dropFirst(indent + 2)
            case .sequence(let inner) where !inner.isEmpty && !item.isFlow:
                out += pad + "-\n"
                emitItems(inner, indent: indent + 2, into: &out)
            default:
                out += pad + "-"
                emitValue(item, indent: indent, into: &out)
            }
        }
    }

    private static func flow(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar:
            return node.isNull ? "null" : scalar(node, indent: 0, inFlow: true)
        case .sequence(let items):
            return "[" + items.map(flow).joined(separator: ", ") + "]"
        case .mapping(let pairs):
            return "{" + pairs.map { key($0.key) + ": " + flow($0.value) }.joined(separator: ", ") + "}"
        }
    }

    private static func key(_ text: String) -> String {
        YAMLNode.plainReadsAsString(text) && !text.contains(where: { "[]{},".contains($0) }) ? text : quoted(text)
    }

    private static func scalar(_ node: YAMLNode, indent: Int, inFlow: Bool) -> String {
        guard case .scalar(let text, let style) = node.content else { return "" }
        switch style {
        case .plain:
            // A plain scalar read from a file is written back as it was: its type is whatever YAML says.
            if inFlow && text.contains(where: { "[]{},".contains($0) }) { return quoted(text) }
            return text
        case .singleQuoted, .doubleQuoted:
            if style == .singleQuoted && !text.contains("\n") { return "'" + text.replacingAll("'", "''") + "'" }
            return quoted(text)
        case .literal, .folded:
            if inFlow || text.first == " " || text.first == "\n" { return quoted(text) }
            let pad = String(repeating: " ", count: indent)
            var body = text
            var chomp = "-"
            if body.hasSuffix("\n") {
                body.removeLast()
                chomp = body.hasSuffix("\n") ? "+" : ""
                if chomp == "+" { body = text; body.removeLast() }
            }
            let lines = body.split(separator: "\n", omittingEmptySubsequences: false)
            return "|" + chomp + "\n" + lines.map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
        }
    }

    /// A double-quoted scalar. YAML's double-quoted style reads the same escapes as JSON.
    static func quoted(_ text: String) -> String {
        text.doubleQuoted
    }
}

extension String {
    func replacingAll(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }

    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// Cuts a snippet: about `words` words from just before the first occurrence of the rarest query term the text
/// has (the lowest document frequency; of equals, the first in byte order), HTML-escaped, with every match in the
/// window wrapped in `<mark>`. Anchoring on one term's first occurrence lets the browser script fetch only the
/// stretch of a page that holds it (see `BrowserExport`).
enum Snippet {
    /// The snippet and the byte offset in `text` of the occurrence it is built around (where it starts when
    /// nothing matches).
    static func cut(_ text: String, terms: Set<String>, frequency: (String) -> Int, analyzer: Analyzer, words: Int)
        -> (String, Int)
    {
        let tokens = analyzer.tokens(text)
        guard !tokens.isEmpty else { return ("", 0) }
        let bytes = Array(text.utf8)
        // Byte range of each word position (the first token at a position spans the whole compound).
        var spans: [Int: (start: Int, end: Int)] = [:]
        var first: [String: Analyzer.Token] = [:]
        for token in tokens {
            if let span = spans[token.position] {
                spans[token.position] = (min(span.start, token.start), max(span.end, token.end))
            } else {
                spans[token.position] = (token.start, token.end)
            }
            if first[token.term] == nil && terms.contains(token.term) { first[token.term] = token }
        }
        let lastPosition = tokens.map(\.position).max() ?? 0
        var windowStart = 0
        var focus: Int?
        let lead = first.keys.min { a, b in
            let (x, y) = (frequency(a), frequency(b))
            return x != y ? x < y : Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8))
        }
        if let lead, let token = first[lead] {
            // Show a little context before it.
            windowStart = max(0, token.position - min(5, words / 6))
            focus = token.start
        }
        let windowEnd = min(lastPosition, windowStart + words - 1)
        guard let firstSpan = (windowStart...windowEnd).lazy.compactMap({ spans[$0] }).first,
            let last = (windowStart...windowEnd).reversed().lazy.compactMap({ spans[$0] }).first
        else { return ("", 0) }
        var marks: [(start: Int, end: Int)] = []
        for token in tokens where token.position >= windowStart && token.position <= windowEnd && terms.contains(token.term) {
            if marks.last.map({ token.start < $0.end }) ?? false { continue }
            marks.append((token.start, token.end))
        }
        var out = firstSpan.start > 0 ? "… " : ""
        var cursor = firstSpan.start
        for mark in marks where mark.start >= cursor {
            out += escape(bytes[cursor..<mark.start])
            out += "<mark>" + escape(bytes[mark.start..<mark.end]) + "</mark>"
            cursor = mark.end
        }
        out += escape(bytes[cursor..<max(cursor, last.end)])
        if windowEnd < lastPosition { out += " …" }
        return (out, focus ?? firstSpan.start)
    }

    static func escape(_ bytes: ArraySlice<UInt8>) -> String {
        var out = ""
        for character in String(decoding: bytes, as: UTF8.self) {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\t", "\r": out += " "
            default: out.append(character)
            }
        }
        return out
    }
}

/// Cuts a snippet: the window of about `words` words holding the most distinct query terms (then the most
/// matches), HTML-escaped, with every match wrapped in `<mark>`.
enum Snippet {
    /// The snippet and the byte offset in `text` of its first match (where it starts when nothing matches).
    static func cut(_ text: String, terms: Set<String>, analyzer: Analyzer, words: Int) -> (String, Int) {
        let tokens = analyzer.tokens(text)
        guard !tokens.isEmpty else { return ("", 0) }
        let bytes = Array(text.utf8)
        // Byte range of each word position (the first token at a position spans the whole compound).
        var spans: [Int: (start: Int, end: Int)] = [:]
        for token in tokens {
            if let span = spans[token.position] {
                spans[token.position] = (min(span.start, token.start), max(span.end, token.end))
            } else {
                spans[token.position] = (token.start, token.end)
            }
        }
        let lastPosition = tokens.map(\.position).max() ?? 0
        let matches = tokens.filter { terms.contains($0.term) }.prefix(4000)
        var windowStart = 0
        var focus: Int?
        if !matches.isEmpty {
            var best = (distinct: -1, count: -1, start: 0)
            var low = 0
            let list = Array(matches)
            for high in list.indices {
                while list[high].position - list[low].position >= words { low += 1 }
                let window = list[low...high]
                let distinct = Set(window.map(\.term)).count
                if distinct > best.distinct || (distinct == best.distinct && window.count > best.count) {
                    best = (distinct, window.count, list[low].position)
                }
            }
            // Show a little context before the first match.
            windowStart = max(0, best.start - min(5, words / 6))
            focus = list.first { $0.position == best.start }?.start
        }
        let windowEnd = min(lastPosition, windowStart + words - 1)
        guard let first = (windowStart...windowEnd).lazy.compactMap({ spans[$0] }).first,
            let last = (windowStart...windowEnd).reversed().lazy.compactMap({ spans[$0] }).first
        else { return ("", 0) }
        var marks: [(start: Int, end: Int)] = []
        for token in matches where token.position >= windowStart && token.position <= windowEnd {
            if marks.last.map({ token.start < $0.end }) ?? false { continue }
            marks.append((token.start, token.end))
        }
        var out = first.start > 0 ? "… " : ""
        var cursor = first.start
        for mark in marks where mark.start >= cursor {
            out += escape(bytes[cursor..<mark.start])
            out += "<mark>" + escape(bytes[mark.start..<mark.end]) + "</mark>"
            cursor = mark.end
        }
        out += escape(bytes[cursor..<max(cursor, last.end)])
        if windowEnd < lastPosition { out += " …" }
        return (out, focus ?? first.start)
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

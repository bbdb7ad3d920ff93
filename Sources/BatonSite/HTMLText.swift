import Mustache

/// Escaping and replacing in HTML text, on its UTF-8 bytes: Foundation's `replacingOccurrences` copies the whole
/// text into UTF-16 first, and Mustache's own escaping looks each Character up in a dictionary; on a large
/// site the two took a third of the time spent rendering pages.
enum HTMLText {
    /// `<`, `>`, `&`, `"` and `'` as entities (what Mustache's `{{value}}` escapes).
    static func escaped(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String in
            guard bytes.contains(where: { entity($0) != nil }) else { return String(decoding: bytes, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 32)
            for byte in bytes {
                if let replacement = entity(byte) { out.append(contentsOf: replacement) } else { out.append(byte) }
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static let lt = Array("&lt;".utf8), gt = Array("&gt;".utf8), amp = Array("&amp;".utf8)
    private static let quot = Array("&quot;".utf8), apos = Array("&#39;".utf8)

    /// The entity that stands for `byte` in escaped text, nil for a byte written as it is.
    @inline(__always)
    static func entity(_ byte: UInt8) -> [UInt8]? {
        switch byte {
        case UInt8(ascii: "<"): return lt
        case UInt8(ascii: ">"): return gt
        case UInt8(ascii: "&"): return amp
        case UInt8(ascii: "\""): return quot
        case UInt8(ascii: "'"): return apos
        default: return nil
        }
    }

    /// `text` with every occurrence of each target replaced, the pairs applied one after the other (as a chain
    /// of `replacingOccurrences` would); a text without any target is returned as it is.
    static func replacing(_ pairs: [(target: String, replacement: String)], in text: String) -> String {
        var bytes = Array(text.utf8)
        var changed = false
        for (target, replacement) in pairs {
            let needle = Array(target.utf8)
            guard !needle.isEmpty, let first = find(needle, in: bytes, from: 0) else { continue }
            let with = Array(replacement.utf8)
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 64)
            var last = 0
            var at: Int? = first
            while let found = at {
                out.append(contentsOf: bytes[last..<found])
                out.append(contentsOf: with)
                last = found + needle.count
                at = find(needle, in: bytes, from: last)
            }
            out.append(contentsOf: bytes[last...])
            bytes = out
            changed = true
        }
        return changed ? String(decoding: bytes, as: UTF8.self) : text
    }

    /// Where `needle` first occurs in `bytes` at or after `start`.
    static func find(_ needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        let count = needle.count
        guard count > 0, start <= bytes.count - count else { return nil }
        let head = needle[0]
        var at = start
        let last = bytes.count - count
        while at <= last {
            if bytes[at] == head {
                var k = 1
                while k < count && bytes[at + k] == needle[k] { k += 1 }
                if k == count { return at }
            }
            at += 1
        }
        return nil
    }
}

/// Mustache's HTML content type with the escaping above: the same characters escaped, byte by byte.
struct BatonHTMLContentType: MustacheContentType {
    static let name = "BATON_HTML"
    static let registered: Void = MustacheContentTypes.register(BatonHTMLContentType(), named: name)

    /// A template's text that renders as `text` does, with this escaping: a standalone tag on a line of its own
    /// sets the content type, and the parser drops such a line whole (partials start again from HTML, so each
    /// template carries the line).
    static func template(_ text: String) -> String {
        _ = registered
        return "{{% CONTENT_TYPE: \(name) }}\n" + text
    }

    func escapeText(_ text: String) -> String { HTMLText.escaped(text) }
}

/// The few patterns the build looks for in rendered HTML, matched on its UTF-8 bytes exactly as these regular
/// expressions would match them (leftmost first, no overlaps), without NSRegularExpression's UTF-16 copies:
///
/// - `anchors`: `<a href="([^"]*)"([^>]*)>(.*?)</a>` (across lines)
/// - `images`: `<img src="([^"]*)"([^>]*)>`
/// - `headings`: `<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>` (across lines)
/// - `bareHeadings`: `<h([1-6])>`
/// - `attribute(_:in:)`: `NAME="([^"]*)"`, the first
/// - `withoutTags`: every `<[^>]+>` removed
extension HTMLText {
    struct Match {
        var whole: Range<Int>
        var groups: [Range<Int>]
    }

    private static let anchorOpen = Array("<a href=\"".utf8), anchorClose = Array("</a>".utf8)
    private static let imageOpen = Array("<img src=\"".utf8), headingOpen = Array("<h".utf8)
    private static let quote = UInt8(ascii: "\""), greater = UInt8(ascii: ">")

    /// The first `byte` at or after `start`.
    private static func next(_ byte: UInt8, in bytes: [UInt8], from start: Int) -> Int? {
        var at = start
        while at < bytes.count {
            if bytes[at] == byte { return at }
            at += 1
        }
        return nil
    }

    static func anchors(in bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var from = 0
        // A start that fails leaves every later start failing too (each would look for its quote, `>` and `</a>`
        // no earlier than this one did), so the scan stops there.
        while let start = find(anchorOpen, in: bytes, from: from) {
            let hrefStart = start + anchorOpen.count
            guard let hrefEnd = next(quote, in: bytes, from: hrefStart),
                let close = next(greater, in: bytes, from: hrefEnd + 1),
                let end = find(anchorClose, in: bytes, from: close + 1)
            else { break }
            matches.append(Match(whole: start..<(end + anchorClose.count),
                                 groups: [hrefStart..<hrefEnd, (hrefEnd + 1)..<close, (close + 1)..<end]))
            from = end + anchorClose.count
        }
        return matches
    }

    static func images(in bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var from = 0
        while let start = find(imageOpen, in: bytes, from: from) {
            let srcStart = start + imageOpen.count
            guard let srcEnd = next(quote, in: bytes, from: srcStart), let close = next(greater, in: bytes, from: srcEnd + 1)
            else { break }
            matches.append(Match(whole: start..<(close + 1), groups: [srcStart..<srcEnd, (srcEnd + 1)..<close]))
            from = close + 1
        }
        return matches
    }

    static func headings(in bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var from = 0
        let idOpen = Array(" id=\"".utf8)
        while let start = find(headingOpen, in: bytes, from: from) {
            from = start + 1  // where the next try starts when this one fails
            let level = start + 2
            guard level < bytes.count, bytes[level] == UInt8(ascii: "2") || bytes[level] == UInt8(ascii: "3"),
                level + 1 + idOpen.count <= bytes.count, Array(bytes[(level + 1)..<(level + 1 + idOpen.count)]) == idOpen
            else { continue }
            let idStart = level + 1 + idOpen.count
            guard let idEnd = next(quote, in: bytes, from: idStart), idEnd > idStart,
                let close = next(greater, in: bytes, from: idEnd + 1)
            else { continue }
            let closing = Array("</h".utf8) + [bytes[level], greater]
            guard let end = find(closing, in: bytes, from: close + 1) else { continue }
            matches.append(Match(whole: start..<(end + closing.count),
                                 groups: [level..<(level + 1), idStart..<idEnd, (close + 1)..<end]))
            from = end + closing.count
        }
        return matches
    }

    static func bareHeadings(in bytes: [UInt8]) -> [Match] {
        var matches: [Match] = []
        var from = 0
        while let start = find(headingOpen, in: bytes, from: from) {
            from = start + 1
            let level = start + 2
            guard level + 1 < bytes.count, (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[level]),
                bytes[level + 1] == greater
            else { continue }
            matches.append(Match(whole: start..<(level + 2), groups: [level..<(level + 1)]))
            from = level + 2
        }
        return matches
    }

    /// The value of the first `name="…"` in `bytes`.
    static func attribute(_ name: String, in bytes: [UInt8]) -> Range<Int>? {
        let open = Array(name.utf8) + Array("=\"".utf8)
        guard let start = find(open, in: bytes, from: 0), let end = next(quote, in: bytes, from: start + open.count) else {
            return nil
        }
        return (start + open.count)..<end
    }

    /// The text with every tag (`<` to the next `>`, with something between) taken out.
    static func withoutTags(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var at = bytes.startIndex
        while at < bytes.endIndex {
            if bytes[at] == UInt8(ascii: "<"), at + 1 < bytes.endIndex, bytes[at + 1] != greater,
                let close = bytes[(at + 1)...].firstIndex(of: greater)
            {
                at = close + 1
                continue
            }
            out.append(bytes[at])
            at += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `bytes` with each match replaced by what `transform` gives for it (the match itself when nil).
    static func splice(_ bytes: [UInt8], _ matches: [Match], _ transform: (Match) -> String?) -> String {
        guard !matches.isEmpty else { return String(decoding: bytes, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 256)
        var last = 0
        for match in matches {
            out.append(contentsOf: bytes[last..<match.whole.lowerBound])
            if let replacement = transform(match) {
                out.append(contentsOf: replacement.utf8)
            } else {
                out.append(contentsOf: bytes[match.whole])
            }
            last = match.whole.upperBound
        }
        out.append(contentsOf: bytes[last...])
        return String(decoding: out, as: UTF8.self)
    }

    static func string(_ bytes: [UInt8], _ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

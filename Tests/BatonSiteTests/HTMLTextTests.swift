import Foundation
import Testing

@testable import BatonSite

/// The byte-level matchers and escaping of `HTMLText` against what they replace: NSRegularExpression with the
/// patterns in their documentation, Foundation's `replacingOccurrences`, and the escaping Mustache does.
@Suite struct HTMLTextTests {
    /// Random text made of the pieces these patterns care about, so that matches, near misses and overlaps
    /// are all common. A fixed seed: the same cases every run.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        static let pieces = ["<a href=\"", "\"", ">", "</a>", "<img src=\"", " alt=\"", "<h2", "<h3", "<h1>", "<h4>",
                             "<h2>", " id=\"", "</h2>", "</h3>", "<", "x", "é", "\n", " ", "a", "h", "2", "=", "<em>",
                             "</em>", "&", "'", "𝄞", "href", "<h", "id"]
        mutating func text() -> String {
            (0..<Int(next() % 40)).map { _ in Self.pieces[Int(next() % UInt64(Self.pieces.count))] }.joined()
        }
    }

    /// Every match of `pattern` in `text`: the whole and each group, as strings.
    static func regexMatches(_ pattern: String, _ text: String, options: NSRegularExpression.Options = []) -> [[String]] {
        let regex = try! NSRegularExpression(pattern: pattern, options: options)
        let source = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: source.length)).map { match in
            (0..<match.numberOfRanges).map { source.substring(with: match.range(at: $0)) }
        }
    }

    static func byteMatches(_ matches: [HTMLText.Match], _ text: String) -> [[String]] {
        let bytes = Array(text.utf8)
        return matches.map { [HTMLText.string(bytes, $0.whole)] + $0.groups.map { HTMLText.string(bytes, $0) } }
    }

    @Test func matchersFindWhatTheRegularExpressionsFind() {
        var generator = Generator(state: 20_261_207)
        for _ in 0..<4000 {
            let text = generator.text()
            let bytes = Array(text.utf8)
            #expect(Self.byteMatches(HTMLText.anchors(in: bytes), text)
                == Self.regexMatches(#"<a href="([^"]*)"([^>]*)>(.*?)</a>"#, text, options: [.dotMatchesLineSeparators]),
                "anchors in \(text.debugDescription)")
            #expect(Self.byteMatches(HTMLText.images(in: bytes), text) == Self.regexMatches(#"<img src="([^"]*)"([^>]*)>"#, text),
                    "images in \(text.debugDescription)")
            #expect(Self.byteMatches(HTMLText.headings(in: bytes), text)
                == Self.regexMatches(#"<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>"#, text, options: [.dotMatchesLineSeparators]),
                "headings in \(text.debugDescription)")
            #expect(Self.byteMatches(HTMLText.bareHeadings(in: bytes), text) == Self.regexMatches(#"<h([1-6])>"#, text),
                    "bare headings in \(text.debugDescription)")
            let alt = HTMLText.attribute("alt", in: bytes).map { HTMLText.string(bytes, $0) }
            #expect(alt == Self.regexMatches(#"alt="([^"]*)""#, text).first?[1], "alt in \(text.debugDescription)")
            let tagless = try! NSRegularExpression(pattern: #"<[^>]+>"#)
                .stringByReplacingMatches(in: text, range: NSRange(location: 0, length: (text as NSString).length), withTemplate: "")
            #expect(HTMLText.withoutTags(bytes[...]) == tagless, "tags out of \(text.debugDescription)")
        }
    }

    @Test func replacingAndEscapingAgreeWithFoundation() {
        var generator = Generator(state: 7)
        let pairs: [(target: String, replacement: String)] = [("&", "&amp;"), ("\"", "&quot;"), ("<", "&lt;"), ("<a", "[")]
        for _ in 0..<2000 {
            let text = generator.text()
            var expected = text
            for (target, replacement) in pairs { expected = expected.replacingOccurrences(of: target, with: replacement) }
            #expect(HTMLText.replacing(pairs, in: text) == expected, "\(text.debugDescription)")
            let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
                .replacingOccurrences(of: "'", with: "&#39;")
            #expect(HTMLText.escaped(text) == escaped, "\(text.debugDescription)")
        }
    }

    @Test func templatesRenderWithBatonEscapingAsTheyWouldWithMustaches() throws {
        // A template whose first line is a standalone section: the line that sets the escaping must not change it.
        var theme = Theme()
        theme.templates["page"] = "{{#items}}\n<li title=\"{{title}}\">{{title}}</li>\n{{/items}}\n{{> part}}"
        theme.templates["part"] = "\n<p>{{note}}</p>\n"
        let library = try theme.library()
        let values: [String: Any] = ["items": [["title": "Tom & \"Jerry\" <'x'>"], ["title": "é𝄞"]], "note": "a<b"]
        #expect(library.render(values, withTemplate: "page")
            == "<li title=\"Tom &amp; &quot;Jerry&quot; &lt;&#39;x&#39;&gt;\">Tom &amp; &quot;Jerry&quot; &lt;&#39;x&#39;&gt;</li>\n"
            + "<li title=\"é𝄞\">é𝄞</li>\n\n<p>a&lt;b</p>\n")
        // An error still names the template's own line.
        theme.templates["broken"] = "one\ntwo {{#open}}\n"
        #expect(throws: Theme.LoadError.self) { try theme.library() }
        do {
            _ = try theme.library()
        } catch let error as Theme.LoadError {
            #expect(error.description.contains("templates/broken.mustache"))
            #expect(!error.description.contains("line: \"{{% CONTENT_TYPE"))
        }
    }
}

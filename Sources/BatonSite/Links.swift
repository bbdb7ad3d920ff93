import BatonContent
import Foundation

/// Links inside entries' bodies, and the check that every link of the built site lands on a file of it.
extension SiteBuilder {
    static let anchorPattern = try! NSRegularExpression(pattern: #"<a href="([^"]*)"([^>]*)>(.*?)</a>"#, options: [.dotMatchesLineSeparators])
    static let imagePattern = try! NSRegularExpression(pattern: #"<img src="([^"]*)""#)
    static let linkPattern = try! NSRegularExpression(pattern: #"(?:href|src)="([^"]*)""#)

    /// `a/b/../c` → `a/c`; a path that climbs above its start keeps its leading `..`.
    static func normalise(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    static func isExternal(_ href: String) -> Bool {
        href.contains("://") || href.hasPrefix("mailto:") || href.hasPrefix("tel:") || href.hasPrefix("#") || href.hasPrefix("data:")
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Where a relative link in an entry points, as a path inside `content/` (nil when it leaves it).
    func contentPath(_ href: String, from entity: Entity) -> (path: String, fragment: String)? {
        var target = Self.unescape(href)
        var fragment = ""
        if let hash = target.firstIndex(of: "#") {
            fragment = String(target[hash...])
            target = String(target[..<hash])
        }
        guard !target.isEmpty, !target.hasPrefix("/") else { return nil }
        let folder = (entity.path as NSString).deletingLastPathComponent
        let joined = Self.normalise(folder + "/" + target)
        let prefix = KnowledgeBase.contentDirectory + "/"
        guard joined.hasPrefix(prefix), !joined.contains("../") else { return nil }
        return (String(joined.dropFirst(prefix.count)), fragment)
    }

    /// Whether a path inside `content/` is a file of the knowledge base.
    func isContentFile(_ path: String) -> Bool {
        FileManager.default.fileExists(atPath: knowledgeBase.root + "/" + KnowledgeBase.contentDirectory + "/" + path)
    }

    /// The body's links made to work on the site: a link to another entry's file goes to its page, or becomes
    /// plain text when this audience does not get that page; a link to a file beside the entries (an image, an
    /// attachment) keeps pointing at it and the file is copied; a link to a local file outside the knowledge
    /// base becomes plain text. Returns the files to copy (paths inside `content/`).
    func rewriteBodyLinks(_ html: String, of entity: Entity, root: String) -> (html: String, files: [String]) {
        var files: [String] = []
        func replace(_ pattern: NSRegularExpression, in text: String, _ transform: (NSTextCheckingResult, NSString) -> String) -> String {
            let source = text as NSString
            var result = ""
            var last = 0
            for match in pattern.matches(in: text, range: NSRange(location: 0, length: source.length)) {
                result += source.substring(with: NSRange(location: last, length: match.range.location - last))
                result += transform(match, source)
                last = match.range.location + match.range.length
            }
            return result + source.substring(from: last)
        }
        var out = replace(Self.anchorPattern, in: html) { match, source in
            let whole = source.substring(with: match.range)
            let href = source.substring(with: match.range(at: 1))
            let text = source.substring(with: match.range(at: 3))
            if Self.isExternal(href) { return whole }
            guard let (path, fragment) = contentPath(href, from: entity) else { return text }
            if path.hasSuffix(".md") {
                let id = String(path.dropLast(3))
                guard visible[id] != nil else { return text }
                return "<a href=\"\(root)\(Self.pagePath(id))\(fragment)\"\(source.substring(with: match.range(at: 2)))>\(text)</a>"
            }
            guard isContentFile(path) else { return text }
            files.append(path)
            return "<a href=\"\(root)\(path)\(fragment)\"\(source.substring(with: match.range(at: 2)))>\(text)</a>"
        }
        out = replace(Self.imagePattern, in: out) { match, source in
            let whole = source.substring(with: match.range)
            let src = source.substring(with: match.range(at: 1))
            guard !Self.isExternal(src), let (path, _) = contentPath(src, from: entity), isContentFile(path) else { return whole }
            files.append(path)
            return "<img src=\"\(root)\(path)\""
        }
        return (out, files)
    }

    /// Every relative `href` and `src` of every page that does not land on a file of the site, as
    /// "page → link". Fragments and queries are not checked.
    static func brokenLinks(pages: [(path: String, html: String)], files: Set<String>) -> [String] {
        var broken: [String] = []
        for (page, html) in pages {
            let source = html as NSString
            let folder = (page as NSString).deletingLastPathComponent
            for match in linkPattern.matches(in: html, range: NSRange(location: 0, length: source.length)) {
                let href = unescape(source.substring(with: match.range(at: 1)))
                if isExternal(href) || href.isEmpty { continue }
                var target = href
                if let cut = target.firstIndex(where: { $0 == "#" || $0 == "?" }) { target = String(target[..<cut]) }
                let resolved = normalise(folder.isEmpty ? target : folder + "/" + target)
                if target.hasPrefix("/") || resolved.hasPrefix("..") || !files.contains(resolved) {
                    broken.append("\(page) → \(href)")
                }
            }
        }
        return broken
    }
}

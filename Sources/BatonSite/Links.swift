import BatonContent
import BatonSearch
import Foundation

/// Links inside entries' bodies, and the check that every link of the built site lands on a file of it.
extension SiteBuilder {

    static func normalise(_ path: String) -> String { KnowledgeBase.normalise(path) }

    static func isExternal(_ href: String) -> Bool {
        href.contains("://") || href.hasPrefix("mailto:") || href.hasPrefix("tel:") || href.hasPrefix("#") || href.hasPrefix("data:")
    }

    static func unescape(_ text: String) -> String {
        HTMLText.replacing([("&quot;", "\""), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")], in: text)
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

    /// Whether a file inside `content/` is an attachment of `entity` that its page may publish: a regular file
    /// (reached without following a symbolic link, no hidden folder on the way) in the entry's own folder or
    /// below it, and not an entity's Markdown source. A file in a folder `<name>-assets/` belongs to the entity
    /// `<name>` beside that folder, which this audience must see as well.
    func isAttachment(_ path: String, of entity: Entity) -> Bool {
        guard !path.hasSuffix(".md") else { return false }
        let folder = (entity.path as NSString).deletingLastPathComponent
        let prefix = KnowledgeBase.contentDirectory + "/"
        let own = folder.hasPrefix(prefix) ? String(folder.dropFirst(prefix.count)) : ""
        guard !own.isEmpty, path.hasPrefix(own + "/") else { return false }
        let parts = path.split(separator: "/").map(String.init)
        guard !parts.contains(where: { $0.hasPrefix(".") }) else { return false }
        var current = knowledgeBase.root + "/" + KnowledgeBase.contentDirectory
        for (index, part) in parts.enumerated() {
            current += "/" + part
            let isLast = index == parts.count - 1
            guard RegularFile.kind(current) == (isLast ? "a regular file" : "a folder") else { return false }
            if !isLast, part.hasSuffix("-assets") {
                let owner = parts[..<index].joined(separator: "/") + (index > 0 ? "/" : "") + part.dropLast("-assets".count)
                if knowledgeBase.entity(id: owner) != nil && visible[owner] == nil { return false }
            }
        }
        return true
    }

    /// The body's links made to work on the site: a link to another entry's file goes to its page, or becomes
    /// plain text when this audience does not get that page; a link to an attachment of the entry keeps pointing
    /// at it and the file is copied; any other local link becomes plain text, and an image that is not an
    /// attachment becomes its description. Nothing but attachments is ever copied. Returns the files to copy
    /// (paths inside `content/`).
    func rewriteBodyLinks(_ html: String, of entity: Entity, root: String) -> (html: String, files: [String]) {
        var files: [String] = []
        let source = Array(html.utf8)
        let out = HTMLText.splice(source, HTMLText.anchors(in: source)) { match in
            let href = HTMLText.string(source, match.groups[0])
            let text = HTMLText.string(source, match.groups[2])
            if Self.isExternal(href) { return nil }
            guard let (path, fragment) = contentPath(href, from: entity) else { return text }
            if path.hasSuffix(".md") {
                let id = String(path.dropLast(3))
                guard visible[id] != nil else { return text }
                return "<a href=\"\(root)\(Self.pagePath(id))\(fragment)\"\(HTMLText.string(source, match.groups[1]))>\(text)</a>"
            }
            guard isAttachment(path, of: entity) else { return text }
            files.append(path)
            return "<a href=\"\(root)\(path)\(fragment)\"\(HTMLText.string(source, match.groups[1]))>\(text)</a>"
        }
        let linked = Array(out.utf8)
        let result = HTMLText.splice(linked, HTMLText.images(in: linked)) { match in
            let src = HTMLText.string(linked, match.groups[0])
            if Self.isExternal(src) && !src.hasPrefix("#") { return nil }
            guard let (path, _) = contentPath(src, from: entity), isAttachment(path, of: entity) else {
                let attributes = Array(linked[match.groups[1]])
                return HTMLText.attribute("alt", in: attributes).map { HTMLText.string(attributes, $0) } ?? ""
            }
            files.append(path)
            return "<img src=\"\(root)\(path)\"" + HTMLText.string(linked, match.groups[1]) + ">"
        }
        return (result, files)
    }

    /// Every relative `href` and `src` of every page that does not land on a file of the site, as
    /// "page → link". Fragments and queries are not checked. The pages are scanned as UTF-8 bytes, and a link
    /// already resolved from the same folder (the navigation repeats on every page) is not resolved again.
    static func brokenLinks(pages: [(path: String, html: String)], files: Set<String>) -> [String] {
        // Two halves on two threads (a half's broken links, in page order, then the other's).
        guard pages.count >= 256 else { return brokenLinks(pages: pages[...], files: files) }
        let middle = pages.count / 2
        let found = UnsafeMutableBufferPointer<[String]>.allocate(capacity: 2)
        found.initialize(repeating: [])
        defer {
            _ = found.deinitialize()
            found.deallocate()
        }
        nonisolated(unsafe) let shared = (pages, found)
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            let (pages, found) = shared
            found[part] = brokenLinks(pages: part == 0 ? pages[..<middle] : pages[middle...], files: files)
        }
        return found[0] + found[1]
    }

    private static func brokenLinks(pages: ArraySlice<(path: String, html: String)>, files: Set<String>) -> [String] {
        var broken: [String] = []
        var checked: [String: Set<[UInt8]>] = [:]  // folder → links found good from it
        for (page, html) in pages {
            let folder = (page as NSString).deletingLastPathComponent
            var good = checked[folder] ?? []
            var html = html
            html.withUTF8 { bytes in
                forEachLink(in: bytes) { raw in
                    if good.contains(raw) { return }
                    let href = unescape(String(decoding: raw, as: UTF8.self))
                    if isExternal(href) || href.isEmpty {
                        good.insert(raw)
                        return
                    }
                    var target = href
                    if let cut = target.firstIndex(where: { $0 == "#" || $0 == "?" }) { target = String(target[..<cut]) }
                    let resolved = normalise(folder.isEmpty ? target : folder + "/" + target)
                    if target.hasPrefix("/") || resolved.hasPrefix("..") || !files.contains(resolved) {
                        broken.append("\(page) → \(href)")
                    } else {
                        good.insert(raw)
                    }
                }
            }
            checked[folder] = good
        }
        return broken
    }

    /// Calls `body` with the value of every `href="…"` and `src="…"` attribute in `bytes`, in order.
    static func forEachLink(in bytes: UnsafeBufferPointer<UInt8>, _ body: ([UInt8]) -> Void) {
        let quote = UInt8(ascii: "\""), equals = UInt8(ascii: "=")
        var index = 0
        let count = bytes.count
        while index + 5 < count {
            // Find `="`, then look back for `href` or `src` right before it.
            guard bytes[index] == equals, bytes[index + 1] == quote else {
                index += 1
                continue
            }
            let isHref = index >= 4 && bytes[index - 4] == UInt8(ascii: "h") && bytes[index - 3] == UInt8(ascii: "r")
                && bytes[index - 2] == UInt8(ascii: "e") && bytes[index - 1] == UInt8(ascii: "f")
            let isSrc = index >= 3 && bytes[index - 3] == UInt8(ascii: "s") && bytes[index - 2] == UInt8(ascii: "r")
                && bytes[index - 1] == UInt8(ascii: "c")
            let start = index + 2
            var end = start
            while end < count && bytes[end] != quote { end += 1 }
            if (isHref || isSrc) && end < count { body(Array(bytes[start..<end])) }
            index = end + 1
        }
    }
}

import BatonContent
import Foundation

/// An HTML page read for import: its main content as Markdown and the metadata worth keeping.
public struct ImportedPage: Sendable {
    public var title: String
    public var markdown: String
    public var description: String?
    public var author: String?
    public var keywords: [String]
    public var date: String?
    public var language: String?
    /// The `src` of every image the page shows, as written.
    public var images: [String]
    /// How much of the source's visible text the Markdown kept (nil where it was not measured).
    public var kept: TextKept? = nil
    /// The page's ids (HTML `id`s and `<a name>`s) → the anchors of the headings they are at or under.
    public var anchors: [String: String] = [:]
}

public enum HTMLImporter {
    /// Elements, classes and ids that hold navigation or chrome, never content.
    /// A class or id token is noise when it is one of these words, or starts with one followed by `-` or `_`.
    static let noiseWords = ["sidebar", "sphinxsidebar", "related", "navheader", "navfooter", "breadcrumb",
                             "breadcrumbs", "footer", "header", "menu", "navbar", "navigation", "toc", "skip-link",
                             "mw-navigation", "mw-jump-link", "printfooter", "catlinks", "headerlink", "cookie-banner",
                             "cookie-consent", "cookie-notice", "cookies", "mw-editsection", "editsection",
                             "page-metadata"]

    static let noiseSet = Set(noiseWords)
    /// "related" is Sphinx's bar of neighbouring pages; `related-package-summary` (javadoc) is content.
    static let noisePrefixes = noiseWords.filter { $0 != "related" }.flatMap { [$0 + "-", $0 + "_"] }

    /// Reads a page. `encoding` overrides what the page declares; `link` resolves and rewrites links.
    public static func page(
        _ bytes: [UInt8], encoding: String? = nil, limits: MarkupLimits = MarkupLimits(),
        link: @escaping (String) -> String = { $0 }, image: ((String) -> String)? = nil, fallbackTitle: String? = nil
    ) throws(MarkupError) -> ImportedPage {
        // Undeclared encodings: bytes that are valid UTF-8 are UTF-8; otherwise libxml2 reads the meta charset.
        let declared = encoding ?? (sniffsUTF8(bytes) && !declaresCharset(bytes) ? "UTF-8" : nil)
        let root = try Markup.parseHTML(withoutNUL(bytes), encoding: declared, limits: limits)
        let head = find(root) { $0.name == "head" }
        func meta(_ keys: [String]) -> String? {
            guard let head else { return nil }
            for key in keys {
                let node = find(head) { node in
                    guard node.name == "meta" else { return false }
                    return node.attribute("name")?.lowercased() == key || node.attribute("property")?.lowercased() == key
                }
                if let content = node?.attribute("content"), !content.trimmed.isEmpty { return content.trimmed }
            }
            return nil
        }
        let body = find(root) { $0.name == "body" } ?? root
        let maker = generator(root) ?? ""
        // Doxygen says where its page is: the header title and the contents, not the project's menus around them.
        let doxygen = maker.hasPrefix("doxygen") ? Doxygen.content(body) : nil
        let main = doxygen ?? (maker.hasPrefix("javadoc") ? Javadoc.convert(mainContent(root)) : mainContent(root))
        let firstHeading = find(main) { $0.name == "h1" }.map { $0.text.collapsingSpaces.trimmed }
        let titleTag = head.flatMap { find($0) { $0.name == "title" } }.map { $0.text.collapsingSpaces.trimmed }
        let confluence = Confluence(root)
        let ownTitle = maker.hasPrefix("doxygen") ? Doxygen.title(root) : maker.hasPrefix("javadoc") ? Javadoc.title(root) : nil
        let title = [confluence.title, ownTitle, titleTag.map(stripSiteName), firstHeading, meta(["og:title"])]
            .compactMap { $0 }.first { !$0.isEmpty } ?? fallbackTitle ?? "Untitled"
        var writer = MarkdownWriter(resolveLink: link)
        writer.resolveImage = image
        let structured = HTMLAnchors.restructure(clean(main))
        var markdown = writer.markdown(structured)
        // The entry starts with one top-level heading: the page's own first heading when it opens the content,
        // else the title.
        var offset = 0
        if !markdown.hasPrefix("# ") {
            markdown = "# \(MarkdownWriter.escape(title))\n\n" + markdown
            offset = 1
        }
        // Links to the page's own ids lead to the headings those ids are under.
        let headings = MarkdownSummary(markdown: markdown).headings.map(\.anchor)
        let anchors = HTMLAnchors.anchors(HTMLAnchors.headingPositions(structured), headings: headings, offset: offset)
        markdown = HTMLAnchors.rewriteLocalLinks(markdown, anchors)
        // Where a Confluence page sits in its space: the trail to it, under its heading.
        if !confluence.trail.isEmpty, let end = markdown.range(of: "\n\n") {
            let trail = confluence.trail.map { "[\(MarkdownWriter.escape($0.text))](\(MarkdownWriter.linkTarget(link($0.href))))" }
            markdown.insert(contentsOf: "\n\n*In " + trail.joined(separator: " › ") + "*", at: end.lowerBound)
        }
        // What a reader of the page sees: the body without its scripts, styles and navigation.
        var seen = WordBag()
        seen.add(doxygen ?? body, skip: { isNoise($0) || Doxygen.isTooltip($0) })
        var written = WordBag()
        written.add(markdown: markdown)
        return ImportedPage(
            title: title, markdown: markdown,
            description: meta(["description", "og:description"]), author: meta(["author"]) ?? confluence.author,
            keywords: (meta(["keywords"]) ?? "").split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty },
            date: meta(["date", "article:published_time", "dcterms.date", "dc.date", "last-modified"]) ?? confluence.modified,
            language: root.attribute("lang") ?? root.attribute("xml:lang"), images: writer.images,
            kept: TextKept.between(source: seen, kept: written), anchors: anchors)
    }

    /// The program a page says made it (`<meta name="generator">`), in lower case.
    static func generator(_ root: MarkupNode) -> String? {
        guard let head = find(root, { $0.name == "head" }) else { return nil }
        return find(head) { $0.name == "meta" && $0.attribute("name")?.lowercased() == "generator" }?
            .attribute("content")?.lowercased()
    }

    /// "Page — Site documentation" → "Page".
    static func stripSiteName(_ title: String) -> String {
        for separator in [" — ", " | ", " – ", " :: ", " - "] {
            if let range = title.range(of: separator) {
                let first = String(title[..<range.lowerBound]).trimmed
                if !first.isEmpty { return first }
            }
        }
        return title
    }

    /// The bytes with each NUL as a space: libxml2 stops reading a page at a NUL (javadoc writes one for the
    /// character `'\0'`), and everything after it would be lost. UTF-16 pages (a byte-order mark) keep theirs.
    static func withoutNUL(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(0) else { return bytes }
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) { return bytes }
        return bytes.map { $0 == 0 ? 0x20 : $0 }
    }

    static func sniffsUTF8(_ bytes: [UInt8]) -> Bool {
        String(validatingUTF8: bytes.map { CChar(bitPattern: $0) } + [0]) != nil
    }

    static func declaresCharset(_ bytes: [UInt8]) -> Bool {
        let head = String(decoding: bytes.prefix(4096), as: UTF8.self).lowercased()
        return head.contains("charset=") || head.contains("charset =")
    }

    /// The first node (depth-first) that satisfies `test`.
    static func find(_ node: MarkupNode, _ test: (MarkupNode) -> Bool) -> MarkupNode? {
        if test(node) { return node }
        for child in node.children {
            if let found = find(child, test) { return found }
        }
        return nil
    }

    static func isNoise(_ node: MarkupNode) -> Bool {
        guard let name = node.name else { return false }
        if MarkdownWriter.dropped.contains(name) { return !HTMLAnchors.isFootnoteList(node) }
        if node.attribute("role") == "navigation" || node.attribute("aria-hidden") == "true" { return true }
        // Ids of sections are headings' anchors ("cookiejar-objects"), not chrome: only classes count there.
        let id = name == "section" ? nil : node.attribute("id")
        let classes = node.attribute("class")
        if id == nil && classes == nil { return false }
        func noisy(_ written: Substring) -> Bool {
            let label = written.lowercased()
            return noiseSet.contains(label) || noisePrefixes.contains { label.hasPrefix($0) }
        }
        return classes?.split(separator: " ").contains(where: noisy) == true || id.map { noisy($0[...]) } == true
    }

    /// The node without its navigation and chrome.
    static func clean(_ node: MarkupNode) -> MarkupNode {
        guard case .element(let name, let attributes, let children) = node else { return node }
        return .element(name: name, attributes: attributes, children: children.filter { !isNoise($0) }.map(clean))
    }

    /// The main content: `<main>`, `<article>`, `role="main"`, a known generator's content block, else the block
    /// holding the most text once navigation is gone.
    static func mainContent(_ root: MarkupNode) -> MarkupNode {
        let body = find(root) { $0.name == "body" } ?? root
        // AsciiDoc: the page's heading and its NAME section sit in `#header`, the sections in `#content`.
        if generator(root)?.hasPrefix("asciidoc") == true,
            let content = find(body, { $0.name == "div" && $0.attribute("id") == "content" })
        {
            let header = find(body) { $0.name == "div" && $0.attribute("id") == "header" }?.children ?? []
            return .element(name: "div", attributes: [:], children: header + [content])
        }
        let known: [(MarkupNode) -> Bool] = [
            { $0.name == "main" },
            { $0.attribute("role") == "main" },
            { $0.name == "article" },
            { hasClass($0, "body") && $0.name == "div" },  // Sphinx
            { $0.attribute("id") == "main-content" || hasClass($0, "wiki-content") },  // Confluence
            { $0.attribute("id") == "mw-content-text" || hasClass($0, "mw-parser-output") },  // MediaWiki
        ]
        for test in known {
            if let found = find(body, test) { return found }
        }
        // DocBook HTML: the first div whose class is a DocBook division.
        let docbook: Set<String> = ["chapter", "sect1", "sect2", "refentry", "book", "article", "appendix", "preface",
                                    "part", "reference", "set", "glossary", "bibliography", "index", "section"]
        func isDivision(_ node: MarkupNode) -> Bool { node.name == "div" && docbook.contains(node.attribute("class") ?? "") }
        if let found = find(body, isDivision) {
            // Divisions side by side (a page of several top sections, as AsciiDoc writes them) are all content:
            // the block that holds them, not the first.
            if let parent = find(body, { node in node.children.contains(found) }),
                parent.children.filter({ $0.name == found.name && $0.attribute("class") == found.attribute("class") }).count > 1
            {
                return parent
            }
            return found
        }
        // Else the element with the most text of its own paragraphs.
        let cleaned = clean(body)
        var best = cleaned
        var bestScore = 0
        func score(_ node: MarkupNode) -> Int {
            node.children.reduce(0) { total, child in
                ["p", "pre", "li", "td", "dd", "blockquote"].contains(child.name ?? "") ? total + child.text.count : total
            }
        }
        func walk(_ node: MarkupNode) {
            let value = score(node)
            if value > bestScore {
                bestScore = value
                best = node
            }
            for child in node.children where child.name != nil { walk(child) }
        }
        walk(cleaned)
        // A block that holds most of the page's paragraphs, not one paragraph-rich fragment of it.
        return bestScore * 2 >= totalParagraphText(cleaned) ? best : cleaned
    }

    static func totalParagraphText(_ node: MarkupNode) -> Int {
        if ["p", "pre", "li", "td", "dd", "blockquote"].contains(node.name ?? "") { return node.text.count }
        return node.children.reduce(0) { $0 + totalParagraphText($1) }
    }

    static func hasClass(_ node: MarkupNode, _ name: String) -> Bool {
        (node.attribute("class") ?? "").split(separator: " ").contains { $0 == name }
    }
}

/// What a Confluence HTML export says about a page outside its content: the title without the space's name
/// (`Partnership : Exit plan`), the trail of pages above it (breadcrumbs), who made it and when it last changed
/// (`Created by Ana Lopes, last modified by Rui Matos on Mar 05, 2024`).
struct Confluence {
    var title: String?
    var trail: [(text: String, href: String)] = []
    var author: String?
    var modified: String?

    init(_ root: MarkupNode) {
        let find = HTMLImporter.find
        // One walk for the three places Confluence writes them.
        var heading: MarkupNode?
        var crumbs: MarkupNode?
        var metadata: MarkupNode?
        func visit(_ node: MarkupNode) {
            guard node.name != nil else { return }
            let id = node.attribute("id")
            if heading == nil && id == "title-text" { heading = node }
            if crumbs == nil && id == "breadcrumbs" { crumbs = node }
            if metadata == nil, node.attribute("class")?.contains("page-metadata") == true, HTMLImporter.hasClass(node, "page-metadata") { metadata = node }
            for child in node.children { visit(child) }
        }
        visit(root)
        if let heading {
            let text = heading.text.collapsingSpaces.trimmed
            title = text.range(of: " : ").map { String(text[$0.upperBound...]).trimmed } ?? text
        }
        if let crumbs {
            func links(_ node: MarkupNode) -> [MarkupNode] {
                node.name == "a" ? [node] : node.children.flatMap(links)
            }
            trail = links(crumbs).compactMap { link in
                let text = link.text.collapsingSpaces.trimmed
                guard let href = link.attribute("href"), !text.isEmpty else { return nil }
                return (text, href)
            }
        }
        if let metadata {
            author = find(metadata, { HTMLImporter.hasClass($0, "author") })?.text.collapsingSpaces.trimmed
            modified = Self.day(metadata.text.collapsingSpaces)
        }
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `… on Mar 05, 2024` (the last date the line gives) → `2024-03-05`.
    static func day(_ text: String) -> String? {
        let words = text.replacingAll(",", " ").split(separator: " ").map(String.init)
        for index in words.indices.reversed() where index >= 2 {
            guard let year = Int(words[index]), (1990...2200).contains(year), let day = Int(words[index - 1]), (1...31).contains(day),
                  let month = months.firstIndex(of: String(words[index - 2].lowercased().prefix(3))) else { continue }
            return String(format: "%04d-%02d-%02d", year, month + 1, day)
        }
        return nil
    }
}

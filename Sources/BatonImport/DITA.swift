import Foundation

/// DITA topics (topic, concept, task, reference, glossary entries, troubleshooting, and `<dita>` files holding
/// several) read without a mapping: one entry per file, nested topics as sections, their bodies turned into the
/// HTML-shaped tree `MarkdownWriter` writes out.
enum DITA {
    static let topicTypes: Set<String> = ["topic", "concept", "task", "reference", "glossentry", "glossgroup",
                                          "troubleshooting", "dita"]
    /// A topic's body, by topic type.
    static let bodies: Set<String> = ["body", "conbody", "taskbody", "refbody", "glossbody", "troublebody"]
    static let maps: Set<String> = ["map", "bookmap", "subjectscheme"]

    /// True for a DITA topic. DocBook has a `<reference>` too (a set of reference pages): DITA's has a body, a
    /// short description or a prolog, and DocBook's has `refentry` pages.
    static func isTopic(_ root: MarkupNode) -> Bool {
        guard let name = root.name, topicTypes.contains(name) else { return false }
        if name == "reference" || name == "topic" {
            let children = root.children.compactMap(\.name)
            if children.contains("refentry") { return false }
            return children.contains { bodies.contains($0) || $0 == "shortdesc" || $0 == "prolog" || topicTypes.contains($0) }
        }
        return true
    }

    static func isMap(_ root: MarkupNode) -> Bool { maps.contains(root.name ?? "") }

    /// Elements that describe the topic rather than speak to its reader.
    static func isMetadata(_ node: MarkupNode) -> Bool {
        ["prolog", "titlealts", "indexterm", "draft-comment", "required-cleanup", "data", "navtitle", "searchtitle"]
            .contains(node.name ?? "")
    }

    /// The topic's properties: its title, short description, authors, keywords and last revision.
    struct Properties {
        var title = ""
        var description: String?
        var author: String?
        var keywords: [String] = []
        var modified: String?
        var language: String?
    }

    static func properties(_ root: MarkupNode) -> Properties {
        let topic = root.name == "dita" ? root.children.first { topicTypes.contains($0.name ?? "") } ?? root : root
        var properties = Properties()
        properties.title = topic.children.first { $0.name == "title" }?.text.collapsingSpaces.trimmed ?? ""
        let description = topic.children.first { $0.name == "shortdesc" || $0.name == "abstract" }?.text.collapsingSpaces.trimmed
        properties.description = description?.isEmpty == false ? description : nil
        if let prolog = topic.children.first(where: { $0.name == "prolog" }) {
            let authors = prolog.children.filter { $0.name == "author" }.map { $0.text.collapsingSpaces.trimmed }.filter { !$0.isEmpty }
            properties.author = authors.isEmpty ? nil : authors.joined(separator: ", ")
            var keywords: [String] = []
            func collect(_ node: MarkupNode) {
                for child in node.children {
                    if child.name == "keyword" {
                        let word = child.text.collapsingSpaces.trimmed
                        if !word.isEmpty && !keywords.contains(word) { keywords.append(word) }
                    } else if child.name != nil {
                        collect(child)
                    }
                }
            }
            for metadata in prolog.children where metadata.name == "metadata" { collect(metadata) }
            properties.keywords = keywords
            // The last revision's day, else the day it was made.
            let dates = prolog.children.first { $0.name == "critdates" }?.children ?? []
            properties.modified = dates.filter { $0.name == "revised" }.compactMap { $0.attribute("modified") }.max()
                ?? dates.first { $0.name == "created" }?.attribute("date")
        }
        properties.language = topic.attribute("lang") ?? root.attribute("lang")
        return properties
    }

    /// What `html` needs besides the node: where ids point (for `xref` inside the file) and how to write links to
    /// other files.
    struct Context {
        /// Titles of the topics, sections, examples, figures and tables with ids in this file.
        var titles: [String: String] = [:]
        /// An `href` to another file (or a URL) → what the Markdown says.
        var link: (String) -> String = { $0 }
    }

    /// Titles by id: `topicid` and `topicid/elementid`, as DITA's references write them, and the bare element id.
    static func ids(_ node: MarkupNode, topic: String? = nil, into titles: inout [String: String]) {
        guard case .element(let name, _, let children) = node else { return }
        var topic = topic
        if let id = node.attribute("id") {
            let title = children.first { $0.name == "title" }?.text.collapsingSpaces.trimmed ?? ""
            if topicTypes.contains(name) {
                topic = id
                titles[id] = title
            } else if let topic {
                titles[topic + "/" + id] = title
                if titles[id] == nil { titles[id] = title }
            }
        }
        for child in children { ids(child, topic: topic, into: &titles) }
    }

    /// A topic (or any DITA element) as HTML-shaped nodes; `depth` is the heading level of its title.
    static func html(_ node: MarkupNode, depth: Int, _ context: Context) -> MarkupNode {
        guard case .element(let name, let attributes, let children) = node else { return node }
        func convert(_ nodes: [MarkupNode], _ depth: Int = depth) -> [MarkupNode] {
            nodes.filter { !isMetadata($0) }.map { html($0, depth: depth, context) }
        }
        func element(_ name: String, _ attributes: [String: String] = [:], _ children: [MarkupNode]) -> MarkupNode {
            .element(name: name, attributes: attributes, children: children)
        }
        func heading(_ title: MarkupNode?, _ level: Int) -> [MarkupNode] {
            guard let title else { return [] }
            return [element("h\(min(level, 6))", [:], convert(title.children))]
        }
        func titled(_ level: Int, strong: Bool = false) -> MarkupNode {
            let title = children.first { $0.name == "title" }
            let rest = convert(children.filter { $0.name != "title" }, level + 1)
            if strong, let title {
                return element("div", [:], [element("p", [:], [element("strong", [:], convert(title.children))])] + rest)
            }
            return element("section", [:], heading(title, level) + rest)
        }
        switch name {
        case _ where topicTypes.contains(name):
            // A topic's title is its heading; a topic inside it is a section one level down.
            let title = children.first { $0.name == "title" }
            var out = heading(title, depth)
            for child in children where child.name != "title" && !isMetadata(child) {
                out.append(html(child, depth: depth + 1, context))
            }
            return element("section", [:], out)
        case "shortdesc", "abstract":
            return element("p", [:], convert(children))
        case _ where bodies.contains(name):
            return element("div", [:], convert(children))
        case "section", "refsyn", "example", "context", "prereq", "result", "postreq", "tasktroubleshooting",
             "glossdef", "conbodydiv", "sectiondiv", "bodydiv", "condition", "cause", "remedy", "responsibleparty":
            // A titled part: its title a heading below the topic's (untitled task parts stay plain).
            return titled(depth)
        case "fig":
            return titled(depth, strong: true)
        case "p", "cmd", "stepresult", "info", "stepxmp", "glossterm", "lines", "choptionhd", "chdeschd":
            // `lines` keeps its line breaks as a block would; a paragraph may hold blocks.
            return DocBookLike.paragraph(convert(children))
        case "ul", "steps-unordered", "choices", "sl":
            return element("ul", [:], convert(children))
        case "ol", "steps", "substeps":
            return element("ol", [:], convert(children))
        case "li", "step", "substep", "choice", "sli", "stentry":
            return element(name == "stentry" ? "td" : "li", [:], convert(children))
        case "steps-informal":
            return element("div", [:], convert(children))
        case "dl", "parml":
            var items: [MarkupNode] = []
            for entry in children where entry.name == "dlentry" || entry.name == "plentry" {
                for term in entry.children where term.name == "dt" || term.name == "pt" { items.append(element("dt", [:], convert(term.children))) }
                for item in entry.children where item.name == "dd" || item.name == "pd" { items.append(element("dd", [:], convert(item.children))) }
            }
            return element("dl", [:], items)
        case "codeblock", "pre", "screen", "msgblock", "coderef":
            let language = attributes["outputclass"].flatMap { $0.hasPrefix("language-") ? String($0.dropFirst(9)) : $0 }
            return element("pre", language.map { ["class": "language-\($0)"] } ?? [:], [.text(node.text)])
        case "note", "hazardstatement":
            // The note's type names it: a warning, a tip, an "other" with its own name.
            let type = attributes["type"] == "other" ? attributes["othertype"] : attributes["type"]
            let label = (type ?? "note").prefix(1).uppercased() + (type ?? "note").dropFirst()
            return element("blockquote", [:], [element("p", [:], [element("strong", [:], [.text(label)])])] + convert(children))
        case "lq":
            return element("blockquote", [:], convert(children))
        case "table":
            var rows: [MarkupNode] = []
            func collect(_ node: MarkupNode, header: Bool) {
                for child in node.children {
                    switch child.name {
                    case "tgroup", "tbody": collect(child, header: false)
                    case "thead": collect(child, header: true)
                    case "row":
                        rows.append(element("tr", [:], child.children.filter { $0.name == "entry" }.map {
                            element(header ? "th" : "td", [:], convert($0.children))
                        }))
                    case "tr":
                        // An HTML table (in a mapped body, or Mallard's): its cells as they are.
                        rows.append(element("tr", [:], child.children.filter { $0.name == "td" || $0.name == "th" }.map {
                            element(header || $0.name == "th" ? "th" : "td", [:], convert($0.children))
                        }))
                    default: break
                    }
                }
            }
            collect(node, header: false)
            let caption = children.first { $0.name == "title" || $0.name == "caption" }.map { element("p", [:], [element("strong", [:], convert($0.children))]) }
            return element("div", [:], (caption.map { [$0] } ?? []) + [element("table", [:], rows)])
        case "simpletable", "properties", "choicetable":
            // Rows of entries; the head row (sthead, prophead, chhead) as the table's header.
            var rows: [MarkupNode] = []
            for row in children {
                let header = ["sthead", "prophead", "chhead"].contains(row.name ?? "")
                guard header || ["strow", "property", "chrow"].contains(row.name ?? "") else { continue }
                rows.append(element("tr", [:], row.children.filter { $0.name != nil }.map {
                    element(header ? "th" : "td", [:], convert($0.children))
                }))
            }
            if name == "properties", !children.contains(where: { $0.name == "prophead" }), let first = rows.first {
                // Without a head row the columns go unnamed; Markdown's tables need one.
                let count = first.children.count
                let names = ["Type", "Value", "Description"].prefix(count)
                rows.insert(element("tr", [:], names.map { element("th", [:], [.text($0)]) }), at: 0)
            }
            return element("table", [:], rows)
        case "b", "uicontrol", "wintitle":
            return element("strong", [:], convert(children))
        case "i", "cite", "term", "varname":
            return element("em", [:], convert(children))
        case "line-through":
            return element("del", [:], convert(children))
        case "tt", "codeph", "filepath", "cmdname", "apiname", "parmname", "option", "userinput", "systemoutput",
             "msgph", "msgnum", "synph", "kwd":
            return element("code", [:], [.text(node.text)])
        case "menucascade":
            // demo > tocjs > sample
            let steps = children.filter { $0.name == "uicontrol" }.map { $0.text.collapsingSpaces.trimmed }
            return element("strong", [:], [.text(steps.joined(separator: " > "))])
        case "q":
            return element("span", [:], [.text("“")] + convert(children) + [.text("”")])
        case "xref", "link":
            let href = attributes["href"] ?? ""
            let label = convert(children.filter { $0.name != "desc" })
            let text = label.isEmpty || label.allSatisfy({ $0.text.trimmed.isEmpty }) ? [MarkupNode.text(linkText(href, context))] : label
            return element("a", ["href": target(href, attributes["scope"], context)], text)
        case "linktext":
            return element("span", [:], convert(children))
        case "related-links":
            // The links a topic points on to, as a list under their own heading.
            var links: [MarkupNode] = []
            func collect(_ node: MarkupNode) {
                for child in node.children {
                    if child.name == "link" {
                        let text = child.children.first { $0.name == "linktext" }.map { convert($0.children) }
                        let href = child.attribute("href") ?? ""
                        // A link's description follows it, unless it only repeats the address.
                        let description = child.children.first { $0.name == "desc" }?.text.collapsingSpaces.trimmed ?? ""
                        let about: [MarkupNode] = description.isEmpty || description == href ? [] : [.text(" — " + description)]
                        links.append(element("li", [:], [element("a", ["href": target(href, child.attribute("scope"), context)],
                                                                    text ?? [.text(linkText(href, context))])] + about))
                    } else if child.name != nil {
                        collect(child)
                    }
                }
            }
            collect(node)
            return links.isEmpty ? element("span", [:], []) : element("section", [:], [element("h\(min(depth, 6))", [:], [.text("Related links")]), element("ul", [:], links)])
        case "image":
            let alt = children.first { $0.name == "alt" }?.text.collapsingSpaces.trimmed ?? attributes["alt"] ?? ""
            return element("img", ["src": attributes["href"] ?? "", "alt": alt], [])
        case "fn":
            return element("span", [:], [.text(" (")] + convert(children.flatMap { $0.name == "p" ? $0.children : [$0] }) + [.text(")")])
        case "sup", "sub", "ph", "text", "u", "alt", "desc", "glosssurfaceform", "keyword", "draft-comment":
            return element("span", [:], convert(children))
        case "title":
            return element("p", [:], [element("strong", [:], convert(children))])
        case "a":
            return element("a", ["href": attributes["href"] ?? ""], convert(children))
        case "em", "strong", "code", "del", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "dt", "dd":
            // HTML inside a mapped record's body keeps its meaning.
            return element(name, [:], convert(children))
        default:
            return element(MarkdownWriter.blockNames.contains(name) ? "div" : "span", [:], convert(children))
        }
    }

    /// An `href` as the entry's Markdown says it: `#id` inside the file to the heading it names, another topic
    /// file through `context.link` (its `#topic/element` fragment dropped: the other entry's anchors are not
    /// known here), a URL as it is.
    static func target(_ href: String, _ scope: String?, _ context: Context) -> String {
        if href.hasPrefix("#") {
            let id = String(href.dropFirst())
            guard let title = context.titles[id], !title.isEmpty else { return "" }
            return "#" + Importer.anchor(title)
        }
        if scope == "external" || href.contains("://") || href.hasPrefix("mailto:") { return href }
        let file = href.split(separator: "#", maxSplits: 1).first.map(String.init) ?? href
        return file.isEmpty ? "" : context.link(file)
    }

    /// The text of a link that has none of its own: the title it points at, else the file's name.
    static func linkText(_ href: String, _ context: Context) -> String {
        if href.hasPrefix("#"), let title = context.titles[String(href.dropFirst())], !title.isEmpty { return title }
        let file = (href.split(separator: "#").first.map(String.init) ?? href)
        return ((file as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}

/// A paragraph that may hold blocks (a list, a listing, a table): the inline runs become paragraphs and the
/// blocks stay blocks, as `DocBook.paragraph` does for DocBook.
enum DocBookLike {
    static let blocks: Set<String> = ["pre", "ul", "ol", "dl", "table", "blockquote", "div", "section"]

    static func paragraph(_ children: [MarkupNode]) -> MarkupNode {
        guard children.contains(where: { blocks.contains($0.name ?? "") }) else {
            return .element(name: "p", attributes: [:], children: children)
        }
        var out: [MarkupNode] = []
        var run: [MarkupNode] = []
        func flush() {
            if run.contains(where: { $0.name != nil || !$0.text.trimmed.isEmpty }) {
                out.append(.element(name: "p", attributes: [:], children: run))
            }
            run = []
        }
        for child in children {
            if blocks.contains(child.name ?? "") {
                flush()
                out.append(child)
            } else {
                run.append(child)
            }
        }
        flush()
        return .element(name: "div", attributes: [:], children: out)
    }
}

import BatonContent
import Foundation

/// What the layout puts around a page's content: the sidebar with the page's group open, breadcrumbs, the
/// previous and next page of its group, an on-page table of contents, and where to edit it and when it last
/// changed.
extension SiteBuilder {
    /// Which page is being laid out, as far as the chrome cares.
    enum Spot {
        case home
        case list(EntityKind)
        case tags
        case tag(String)
        case entity(Entity)
        case other
    }

    /// A page needs a table of contents from this many headings on.
    static let tableOfContentsMinimum = 3

    func chrome(_ spot: Spot, root: String) -> Chrome {
        let place: Navigation.Place?
        let currentKind: EntityKind?
        switch spot {
        case .entity(let entity):
            place = navigation.places[entity.id]
            currentKind = entity.kind
        case .list(let kind):
            place = nil
            currentKind = kind
        case .tags, .tag:
            place = nil
            currentKind = .knowledge
        case .home, .other:
            place = nil
            currentKind = nil
        }

        // The sidebar: every area with its groups; the items of the current page's group only.
        let nav = navigation.areas.enumerated().compactMap { a, area -> Chrome.Area? in
            guard area.count > 0 else { return nil }
            let listHref = root + area.kind.directory + "/index.html"
            let groups = area.groups.enumerated().compactMap { g, group -> Chrome.Group? in
                guard !group.title.isEmpty else { return nil }
                let open = place.map { $0.area == a && $0.group == g } ?? false
                let startsOrganisation = !group.organisation.isEmpty && (g == 0 || area.groups[g - 1].organisation != group.organisation)
                let href = listHref + "#" + group.anchor
                return Chrome.Group(
                    link: Link(title: group.tier.isEmpty ? group.title : group.tier, href: href), count: group.members.count,
                    organisation: startsOrganisation ? group.organisation : nil,
                    pages: open ? groupPages(group, index: place?.index, root: root, listHref: href) : nil)
            }
            // A kind in one unnamed group (checklists, handovers, onboarding) lists its pages when open.
            var pages: Chrome.Pages?
            if groups.isEmpty, currentKind == area.kind, let only = area.groups.first {
                pages = groupPages(only, index: place?.index, root: root, listHref: listHref)
            }
            return Chrome.Area(link: Link(title: Self.kindTitle(area.kind), href: listHref), count: area.count,
                               current: currentKind == area.kind, groups: groups, pages: pages)
        }

        // Breadcrumbs: home, the kind, the group; the page itself is the heading.
        let home = Link(title: "Home", href: root + "index.html")
        let knowledge = Link(title: Self.kindTitle(.knowledge), href: root + "knowledge/index.html")
        var crumbs: [Link] = []
        switch spot {
        case .home:
            break
        case .list, .other:
            crumbs = [home]
        case .tags:
            crumbs = [home, knowledge]
        case .tag:
            crumbs = [home, knowledge, Link(title: "Tags", href: root + "knowledge/tags/index.html")]
        case .entity(let entity):
            let listHref = root + entity.kind.directory + "/index.html"
            crumbs = [home, Link(title: Self.kindTitle(entity.kind), href: listHref)]
            if let place, case let group = navigation.areas[place.area].groups[place.group], !group.title.isEmpty {
                crumbs.append(Link(title: group.title, href: listHref + "#" + group.anchor))
            }
        }
        var chrome = Chrome(nav: nav, crumbs: crumbs)
        if case .entity(let entity) = spot {
            let (previous, next) = navigation.neighbours(of: entity.id)
            chrome.previous = previous.map { link($0, root: root) }
            chrome.next = next.map { link($0, root: root) }
            chrome.editURL = knowledgeBase.config.editURL.map { $0.replacingOccurrences(of: "{path}", with: Self.urlPath(entity.path)) }
            chrome.lastUpdated = sourceDates.date(of: entity.path)
        }
        return chrome
    }

    /// The sidebar items of an open group: a window of its pages, the current one marked, and a link to the
    /// rest when the window does not hold them all.
    private func groupPages(_ group: Navigation.Group, index: Int?, root: String, listHref: String) -> Chrome.Pages {
        let shown = Navigation.window(group.members, around: index)
        let items = shown.enumerated().map { offset, member in
            Chrome.PageLink(link: link(member, root: root), current: index == shown.startIndex + offset)
        }
        let hidden = group.members.count - shown.count
        return Chrome.Pages(items: items, more: hidden > 0 ? NotedLink(link: Link(title: "", href: listHref), notes: ["count": hidden]) : nil)
    }

    /// A path for a URL: each segment percent-encoded, the slashes kept.
    static func urlPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#"))) ?? String($0)
        }.joined(separator: "/")
    }

    // MARK: - Headings

    static let headingPattern = try! NSRegularExpression(
        pattern: #"<h([23]) id="([^"]+)"[^>]*>(.*?)</h\1>"#, options: [.dotMatchesLineSeparators])
    static let tagPattern = try! NSRegularExpression(pattern: #"<[^>]+>"#)

    /// The headings of level 2 and 3 with an id in a page's content, for its table of contents (none when the
    /// page has fewer than `tableOfContentsMinimum`).
    static func tableOfContents(_ html: String) -> [TableOfContentsEntry] {
        let whole = NSRange(html.startIndex..., in: html)
        let entries = headingPattern.matches(in: html, range: whole).compactMap { match -> TableOfContentsEntry? in
            guard let level = Range(match.range(at: 1), in: html), let id = Range(match.range(at: 2), in: html),
                let text = Range(match.range(at: 3), in: html)
            else { return nil }
            let inner = String(html[text])
            let plain = tagPattern.stringByReplacingMatches(in: inner, range: NSRange(inner.startIndex..., in: inner), withTemplate: "")
            return TableOfContentsEntry(anchor: String(html[id]), title: plain, sub: html[level] == "3")
        }
        return entries.count >= tableOfContentsMinimum ? entries : []
    }

    static let bareHeadingPattern = try! NSRegularExpression(pattern: #"<h([1-6])>"#)

    /// Gives the body's headings the anchors its search sections use (`MarkdownSummary.headings`, in document
    /// order), so a search hit and the table of contents can link into the page.
    static func anchorHeadings(_ html: String, _ headings: [MarkdownSummary.Heading]) -> String {
        let matches = bareHeadingPattern.matches(in: html, range: NSRange(html.startIndex..., in: html))
        guard !matches.isEmpty else { return html }
        var out = ""
        var last = html.startIndex
        for (index, match) in matches.enumerated() {
            guard let range = Range(match.range, in: html), let level = Range(match.range(at: 1), in: html) else { continue }
            out += html[last..<range.lowerBound]
            if index < headings.count {
                out += "<h\(html[level]) id=\"\(Self.escapeAttribute(headings[index].anchor))\">"
            } else {
                out += html[range]
            }
            last = range.upperBound
        }
        out += html[last...]
        return out
    }

    /// A task list's boxes, which cannot be ticked on the page, say what they show to a screen reader ("done",
    /// "to do"); the item's text follows each.
    static func labelTaskBoxes(_ html: String) -> String {
        html.replacingOccurrences(of: "<input type=\"checkbox\" checked=\"\" disabled=\"\" />",
                                  with: "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"done\" />")
            .replacingOccurrences(of: "<input type=\"checkbox\" disabled=\"\" />",
                                  with: "<input type=\"checkbox\" disabled=\"\" aria-label=\"to do\" />")
    }

    static func escapeAttribute(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

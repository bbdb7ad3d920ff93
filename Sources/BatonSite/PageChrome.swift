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

    /// The headings of level 2 and 3 with an id in a page's content, for its table of contents (none when the
    /// page has fewer than `tableOfContentsMinimum`).
    static func tableOfContents(_ html: String) -> [TableOfContentsEntry] {
        let bytes = Array(html.utf8)
        let entries = HTMLText.headings(in: bytes).map { match in
            TableOfContentsEntry(anchor: HTMLText.string(bytes, match.groups[1]),
                                 title: HTMLText.withoutTags(bytes[match.groups[2]]),
                                 sub: bytes[match.groups[0].lowerBound] == UInt8(ascii: "3"))
        }
        return entries.count >= tableOfContentsMinimum ? entries : []
    }

    /// Gives the body's headings the anchors its search sections use (`MarkdownSummary.headings`, in document
    /// order), so a search hit and the table of contents can link into the page.
    static func anchorHeadings(_ html: String, _ headings: [MarkdownSummary.Heading]) -> String {
        let bytes = Array(html.utf8)
        var index = -1
        return HTMLText.splice(bytes, HTMLText.bareHeadings(in: bytes)) { match in
            index += 1
            guard index < headings.count else { return nil }
            return "<h\(HTMLText.string(bytes, match.groups[0])) id=\"\(Self.escapeAttribute(headings[index].anchor))\">"
        }
    }

    /// A task list's boxes, which cannot be ticked on the page, say what they show to a screen reader ("done",
    /// "to do"); the item's text follows each.
    static func labelTaskBoxes(_ html: String) -> String {
        HTMLText.replacing([
            ("<input type=\"checkbox\" checked=\"\" disabled=\"\" />", "<input type=\"checkbox\" checked=\"\" disabled=\"\" aria-label=\"done\" />"),
            ("<input type=\"checkbox\" disabled=\"\" />", "<input type=\"checkbox\" disabled=\"\" aria-label=\"to do\" />"),
        ], in: html)
    }

    static func escapeAttribute(_ text: String) -> String {
        HTMLText.replacing([("&", "&amp;"), ("\"", "&quot;"), ("<", "&lt;"), (">", "&gt;")], in: text)
    }
}

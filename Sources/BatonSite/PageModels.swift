import Mustache

/// The typed models of the site's pages, and the names the theme's templates know their values by (a theme's
/// templates may use any of these names).
///
/// Each model answers the templates through `value(_:)`. A name a model has no value for answers `false`,
/// never nil: Mustache would otherwise look the name up in an enclosing item and show, say, the page's link
/// where an item has none.
protocol TemplateValues: MustacheParent {
    func value(_ name: String) -> Any?
}

extension TemplateValues {
    func child(named name: String) -> Any? { value(name) ?? false }
}

/// A page's title and address, or only a title for something this audience does not get a page for.
struct Link: TemplateValues {
    var title: String
    var href: String?

    func value(_ name: String) -> Any? {
        switch name {
        case "title": return title
        case "href": return href
        default: return nil
        }
    }
}

/// A link with one more named value: a date (`date`, `due`, `reviewed`), a tier, a section, a role.
struct NotedLink: TemplateValues {
    var link: Link
    var notes: [String: Any]

    func value(_ name: String) -> Any? { notes[name] ?? link.value(name) }
}

/// A handover or onboarding under way: its progress and, on a person's or role's page, which side it is.
struct ProgressLink: TemplateValues {
    var link: Link
    var done: Int
    var total: Int
    var overdue: Int
    var side: String?

    func value(_ name: String) -> Any? {
        switch name {
        case "done": return done
        case "total": return total
        case "overdue": return overdue > 0 ? overdue : nil
        case "side": return side
        default: return link.value(name)
        }
    }
}

/// A plain text item (`text`), as principles and badges are.
struct TextItem: TemplateValues {
    var text: String
    func value(_ name: String) -> Any? { name == "text" ? text : nil }
}

// MARK: - Home

struct HomePage: TemplateValues {
    struct RoleGroup: TemplateValues {
        var name: String
        var roles: [NotedLink]
        func value(_ name: String) -> Any? { name == "name" ? self.name : name == "roles" ? roles : nil }
    }

    struct Organisation: TemplateValues {
        var name: String
        var side: String?
        func value(_ name: String) -> Any? { name == "name" ? self.name : name == "side" ? side : nil }
    }

    struct TierRow: TemplateValues {
        var tier: String
        var meetings: [Meeting]
        func value(_ name: String) -> Any? { name == "tier" ? tier : name == "meetings" ? meetings : nil }
    }

    struct Meeting: TemplateValues {
        var name: String
        var frequency: String?
        func value(_ name: String) -> Any? { name == "name" ? self.name : name == "frequency" ? frequency : nil }
    }

    struct Count: TemplateValues {
        var link: Link
        var count: Int
        func value(_ name: String) -> Any? { name == "count" ? count : link.value(name) }
    }

    var roleGroups: [RoleGroup]
    var handovers: [ProgressLink]
    var onboardings: [ProgressLink]
    var leaving: [NotedLink]
    var overdue: [NotedLink]
    var recent: [NotedLink]
    var organisations: [Organisation]
    var phase: String?
    var tiers: [TierRow]
    var counts: [Count]

    func value(_ name: String) -> Any? {
        switch name {
        case "roleGroups": return roleGroups
        case "handovers": return handovers
        case "hasHandovers": return !handovers.isEmpty
        case "onboardings": return onboardings
        case "hasOnboardings": return !onboardings.isEmpty
        case "leaving": return leaving
        case "hasLeaving": return !leaving.isEmpty
        case "overdue": return overdue
        case "hasOverdue": return !overdue.isEmpty
        case "recent": return recent
        case "hasRecent": return !recent.isEmpty
        case "organisations": return organisations
        case "hasOrganisations": return !organisations.isEmpty
        case "phase": return phase
        case "tiers": return tiers
        case "hasTiers": return !tiers.isEmpty
        case "counts": return counts
        default: return nil
        }
    }
}

// MARK: - Lists

struct ListPage: TemplateValues {
    struct Group: TemplateValues {
        var name: String
        var anchor: String
        var items: [Item]
        func value(_ name: String) -> Any? {
            switch name {
            case "name": return self.name
            case "hasName": return !self.name.isEmpty
            case "anchor": return anchor
            case "items": return items
            default: return nil
            }
        }
    }

    /// A page in a list, with the person's counterpart on the other side when there is one.
    struct Item: TemplateValues {
        var link: Link
        var peer: Link?
        func value(_ name: String) -> Any? { name == "peer" ? peer : link.value(name) }
    }

    var heading: String
    var groups: [Group]

    func value(_ name: String) -> Any? {
        switch name {
        case "heading": return heading
        case "groups": return groups
        case "empty": return groups.allSatisfy { $0.items.isEmpty }
        default: return nil
        }
    }
}

// MARK: - Entities

struct EntityPage: TemplateValues {
    /// An item of the short line under the title.
    struct MetaItem: TemplateValues {
        var text: String
        var badge: Bool
        var href: String?
        func value(_ name: String) -> Any? { name == "text" ? text : name == "badge" ? badge : name == "href" ? href : nil }
    }

    /// A front-matter field in plain words.
    struct Field: TemplateValues {
        var label: String
        var values: [Link]
        var isList: Bool
        func value(_ name: String) -> Any? { name == "label" ? label : name == "values" ? values : name == "isList" ? isList : nil }
    }

    /// What only some kinds of page show.
    enum Extras {
        case role(RoleParts)
        case person(PersonParts)
        case tracked(TrackedParts)
        case knowledge(overdueReview: String?)
        case health(HealthParts)
        case kpi(KPIView)
        case none
    }

    struct RoleParts {
        struct Step: TemplateValues {
            var when: String
            var action: String
            var read: [NotedLink]
            var meet: [Link]
            func value(_ name: String) -> Any? {
                switch name {
                case "when": return when
                case "action": return action
                case "read": return read
                case "hasRead": return !read.isEmpty
                case "meet": return meet
                case "hasMeet": return !meet.isEmpty
                default: return nil
                }
            }
        }

        struct Holder: TemplateValues {
            var link: Link
            var deputy: Link?
            var successor: Link?
            func value(_ name: String) -> Any? { name == "deputy" ? deputy : name == "successor" ? successor : link.value(name) }
        }

        var onboarding: [Step]
        var holders: [Holder]
        var counterparts: [NotedLink]
        var checklist: Link?
    }

    /// A health check's scores: a row per dimension, a column per organisation.
    struct HealthParts {
        struct Row: TemplateValues {
            var name: String
            var cells: [String]
            func value(_ name: String) -> Any? { name == "name" ? self.name : name == "cells" ? cells.map(TextItem.init) : nil }
        }

        var organisations: [String]
        var rows: [Row]
        var respondents: [String]
    }

    struct PersonParts {
        var owns: [Link]
        var badges: [TextItem]
        var deputyFor: [Link]
        var successorFor: [Link]
    }

    struct TrackedParts {
        struct Section: TemplateValues {
            var name: String
            var done: Int
            var total: Int
            func value(_ name: String) -> Any? { name == "name" ? self.name : name == "done" ? done : name == "total" ? total : nil }
        }

        struct Task: TemplateValues {
            var text: String
            var due: String
            func value(_ name: String) -> Any? { name == "text" ? text : name == "due" ? due : nil }
        }

        var when: String?
        var done: Int
        var total: Int
        var sections: [Section]
        var overdue: [Task]
    }

    var kind: String
    var kindTitle: String
    var kindHref: String
    var heading: String
    var meta: [MetaItem]
    var fields: [Field]
    var body: String
    var extras: Extras
    /// Open handovers and onboardings on a person's or role's page.
    var underWay: [ProgressLink]

    func value(_ name: String) -> Any? {
        switch name {
        case "kind": return kind
        case "kindTitle": return kindTitle
        case "kindHref": return kindHref
        case "heading": return heading
        case "meta": return meta
        case "fields": return fields
        case "hasFields": return !fields.isEmpty
        case "body": return body
        case "underWay": return underWay
        case "hasUnderWay": return !underWay.isEmpty
        default: break
        }
        switch extras {
        case .role(let role):
            switch name {
            case "isRole": return true
            case "onboarding": return role.onboarding
            case "hasOnboarding": return !role.onboarding.isEmpty
            case "holders": return role.holders
            case "hasHolders": return !role.holders.isEmpty
            case "counterparts": return role.counterparts
            case "hasCounterparts": return !role.counterparts.isEmpty
            case "checklistLink": return role.checklist
            default: return nil
            }
        case .person(let person):
            switch name {
            case "isPerson": return true
            case "owns": return person.owns
            case "hasOwned": return !person.owns.isEmpty
            case "badges": return person.badges
            case "deputyFor": return person.deputyFor
            case "hasDeputyFor": return !person.deputyFor.isEmpty
            case "successorFor": return person.successorFor
            case "hasSuccessorFor": return !person.successorFor.isEmpty
            default: return nil
            }
        case .tracked(let tracked):
            switch name {
            case "isTracked": return true
            case "when": return tracked.when
            case "done": return tracked.done
            case "total": return tracked.total
            case "percent": return tracked.total == 0 ? 0 : tracked.done * 100 / tracked.total
            case "sections": return tracked.sections
            case "overdue": return tracked.overdue
            case "hasOverdue": return !tracked.overdue.isEmpty
            default: return nil
            }
        case .knowledge(let overdueReview):
            switch name {
            case "isKnowledge": return true
            case "overdueReview": return overdueReview
            default: return nil
            }
        case .health(let health):
            switch name {
            case "isHealthCheck": return true
            case "healthOrganisations": return health.organisations.map(TextItem.init)
            case "healthRows": return health.rows
            case "healthRespondents": return health.respondents.map(TextItem.init)
            default: return nil
            }
        case .kpi(let kpi):
            switch name {
            case "isKPI": return true
            case "kpi": return kpi
            default: return nil
            }
        case .none:
            return nil
        }
    }
}

// MARK: - Every page

/// What every page knows of the site.
struct SiteValues: TemplateValues {
    var title: String
    var audience: String
    /// Whether the site has a health page (this audience sees a health check).
    var hasHealth: Bool
    /// Whether the site has an escalation page (baton.yml has a ladder).
    var hasEscalation: Bool
    var vision: String?
    var principles: [TextItem]
    var searchScript: String
    var searchMeta: String
    var searchStemmers: String

    func value(_ name: String) -> Any? {
        switch name {
        case "title": return title
        case "audience": return audience
        case "hasHealth": return hasHealth
        case "hasEscalation": return hasEscalation
        case "vision": return vision
        case "principles": return principles
        case "hasVision": return vision != nil || !principles.isEmpty
        case "hasPrinciples": return !principles.isEmpty
        case "searchScript": return searchScript
        case "searchMeta": return searchMeta
        case "searchStemmers": return searchStemmers
        default: return nil
        }
    }
}

/// A page as its body template sees it (`root`, `site`, then the page's own values), and as the layout sees it
/// (also its title, the rendered body as `content`, the chrome and the table of contents).
struct PageFrame: TemplateValues {
    var root: String
    var site: SiteValues
    var page: any TemplateValues
    var isSearch = false
    var title: String?
    var content: String?
    var chrome: Chrome?
    var toc: [TableOfContentsEntry] = []

    func value(_ name: String) -> Any? {
        switch name {
        case "root": return root
        case "site": return site
        case "isSearch": return isSearch
        case "title" where title != nil: return title
        case "content" where content != nil: return content
        case "toc": return toc
        case "hasToc": return !toc.isEmpty
        default: break
        }
        if let value = chrome?.value(name) { return value }
        return page.value(name)
    }
}

/// A page that is one rendered document (the relationship management plan).
struct DocumentPage: TemplateValues {
    var body: String
    func value(_ name: String) -> Any? { name == "body" ? body : nil }
}

/// A page with no values of its own (the 404 and search pages).
struct EmptyPage: TemplateValues {
    func value(_ name: String) -> Any? { nil }
}

/// An entry of a page's table of contents.
struct TableOfContentsEntry: TemplateValues {
    var anchor: String
    /// Already HTML (the heading's text with its tags taken out, entities kept).
    var title: String
    var sub: Bool
    func value(_ name: String) -> Any? { name == "anchor" ? anchor : name == "title" ? title : name == "sub" ? sub : nil }
}

/// The sidebar, breadcrumbs, previous and next, and the page's source.
struct Chrome: TemplateValues {
    struct Area: TemplateValues {
        var link: Link
        var count: Int
        var current: Bool
        var groups: [Group]
        /// The pages of a kind in one unnamed group, when the page is one of them.
        var pages: Pages?
        func value(_ name: String) -> Any? {
            switch name {
            case "count": return count
            case "current": return current
            case "groups": return groups
            case "hasGroups": return !groups.isEmpty
            case "hasItems": return pages.map { !$0.items.isEmpty } ?? false
            case "items": return pages?.items ?? []
            case "more": return pages?.more
            default: return link.value(name)
            }
        }
    }

    struct Group: TemplateValues {
        var link: Link
        var count: Int
        /// The organisation's name, on the first of its groups.
        var organisation: String?
        /// The pages, when this is the current page's group.
        var pages: Pages?
        func value(_ name: String) -> Any? {
            switch name {
            case "count": return count
            case "organisation": return organisation
            case "open": return pages != nil
            case "items": return pages?.items ?? []
            case "more": return pages?.more
            default: return link.value(name)
            }
        }
    }

    struct Pages {
        var items: [PageLink]
        var more: NotedLink?
    }

    struct PageLink: TemplateValues {
        var link: Link
        var current: Bool
        func value(_ name: String) -> Any? { name == "current" ? current : link.value(name) }
    }

    var nav: [Area]
    var crumbs: [Link]
    var previous: Link?
    var next: Link?
    var editURL: String?
    var lastUpdated: String?

    func value(_ name: String) -> Any? {
        switch name {
        case "nav": return nav
        case "crumbs": return crumbs
        case "hasCrumbs": return !crumbs.isEmpty
        case "previous": return previous
        case "next": return next
        case "hasPager": return previous != nil || next != nil
        case "editURL": return editURL
        case "lastUpdated": return lastUpdated
        default: return nil
        }
    }
}

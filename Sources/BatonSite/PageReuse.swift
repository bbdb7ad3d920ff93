import BatonContent
import BatonSearch
import Foundation
import Mustache

/// What lets a build render again only the pages of the knowledge entries whose bodies changed.
///
/// A knowledge entry's body shows on its own page and in the search files, and nowhere else: other pages show an
/// entry by its front matter (title, section, tags, owner, review dates), and the tasks whose progress other
/// pages show are in the bodies of checklists, handovers and onboardings. So a build hashes everything any page
/// may show but those bodies into one `shape` — Baton itself, the options and the day, `baton.yml`, the theme,
/// every entity's front matter, every other kind's body and "last updated" day, every other file under
/// `content/` — and each visible knowledge entry's body with its own "last updated" day into its `key`. The
/// marker records both. When the site in the output folder was built with the same shape and every file is as
/// that build left it, only the entries whose keys changed are rendered; every other file is linked from the
/// old site, and the search files too when no key changed.
struct PageKeys {
    var shape: String
    /// Visible knowledge entry id → its key.
    var entries: [String: String]
}

/// What a build takes over from the site built before: its manifest, and the pages of the entries whose keys
/// changed, already rendered (none: nothing a page or a search file holds changed).
struct PageReuse {
    var manifest: SiteOutput.Manifest
    var pages: [RenderedPage]
}

/// An entity's page as rendered, with a hash of the files beside the entries that it links to (a page that
/// links to other files than before makes them part of the site, or no longer).
struct RenderedPage {
    var id: String
    var path: String
    var html: String
    var links: String
}

extension SiteBuilder {
    /// The shape of what this build's pages show and the keys of the visible knowledge entries (see `PageKeys`).
    func pageKeys() -> PageKeys {
        var hash = StableHash()
        hash.add("baton-pages 1")
        hash.add(BuildFingerprint.executable())
        hash.add("audience \(options.audience.rawValue) base \(options.baseURL ?? "") force \(options.force) "
            + "allow-empty \(options.allowEmpty) last-updated \(options.lastUpdated) today \(options.today)")
        let root = knowledgeBase.root
        if let config = try? RegularFile.read(root + "/" + KnowledgeBase.configFile, limit: 1 << 30) {
            hash.add(bytes: config)
        } else {
            hash.add("no " + KnowledgeBase.configFile)
        }
        for (name, text) in theme.templates.sorted(by: { $0.key < $1.key }) {
            hash.add("template " + name)
            hash.add(text)
        }
        for (path, bytes) in theme.assets.sorted(by: { $0.key < $1.key }) {
            hash.add("asset " + path)
            hash.add(bytes: bytes)
        }
        let entities = knowledgeBase.entities.sorted { $0.path < $1.path }
        for entity in entities {
            hash.add("\(entity.kind.rawValue) \(entity.path)")
            hash.add(entity.fences.opening)
            hash.add(entity.frontMatterText)
            hash.add(entity.fences.closing)
            if entity.kind != .knowledge {
                hash.add(entity.body)
                hash.add(sourceDates.date(of: entity.path) ?? "-")
            }
        }
        // Every other file under content/ (what pages link to, and files that are not entities at all).
        let paths = Set(entities.map(\.path))
        BuildFingerprint.addTree(root + "/" + KnowledgeBase.contentDirectory, as: KnowledgeBase.contentDirectory,
                                 to: &hash, skip: paths.contains)
        // The entries' keys, on both cores.
        let knowledge = visible.values.filter { $0.kind == .knowledge }.sorted { $0.id < $1.id }
        let keys = UnsafeMutableBufferPointer<String>.allocate(capacity: knowledge.count)
        keys.initialize(repeating: "")
        defer {
            _ = keys.deinitialize()
            keys.deallocate()
        }
        let parts = knowledge.count < 64 ? 1 : 2
        nonisolated(unsafe) let shared = (knowledge, keys, sourceDates)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let (knowledge, keys, sourceDates) = shared
            for index in stride(from: part, to: knowledge.count, by: parts) {
                var key = StableHash()
                key.add(knowledge[index].body)
                key.add(sourceDates.date(of: knowledge[index].path) ?? "-")
                keys[index] = key.base64(11)
            }
        }
        var entries: [String: String] = [:]
        for (index, entity) in knowledge.enumerated() { entries[entity.id] = keys[index] }
        return PageKeys(shape: hash.base64(11), entries: entries)
    }

    /// What this build can take over from `previous`, the site in the output folder: nil unless that site was
    /// built with the same shape, every file of it is as its build left it, and each entry whose key changed
    /// still links to the same files beside the entries (those pages are rendered here to know).
    func reuse(_ previous: SiteOutput.Manifest, target: SiteOutput, keys: PageKeys, site: SiteValues,
               scripts: SearchScripts, library: PageTemplates) throws -> PageReuse? {
        guard !options.clean, previous.shape == keys.shape, previous.pages != nil, previous.searchDocuments != nil,
            Set(previous.entries.keys) == Set(keys.entries.keys), target.isIntact(previous)
        else { return nil }
        let changed = keys.entries.filter { previous.entries[$0.key]?.key != $0.value }.keys.sorted()
        var files = Set<String>()
        let pages = try renderEntityPages(changed.compactMap { visible[$0] }, site: site, scripts: scripts,
                                          library: library, files: &files)
        guard pages.allSatisfy({ previous.entries[$0.id]?.links == $0.links }) else { return nil }
        return PageReuse(manifest: previous, pages: pages)
    }

    /// A hash of the files beside the entries that a page links to.
    static func linksKey(_ files: Set<String>) -> String {
        var hash = StableHash()
        for file in files.sorted() { hash.add(file) }
        return hash.base64(11)
    }
}

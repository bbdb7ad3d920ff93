import BatonContent
import BatonSearch
import Foundation
import Mustache

#if canImport(Glibc)
import Glibc
#endif

/// Publishes a knowledge base as a static website for one audience.
///
/// Data flow: the loaded knowledge base → the entities the audience may see → one page model (a plain
/// dictionary) per page → the theme's Mustache templates → every link checked → only the files that differ
/// from the output folder written (each atomically), and every other file in that folder removed, so nothing
/// from an earlier build for a wider audience survives in it.
public struct SiteBuilder {
    public struct Options: Sendable {
        public var output = "public"
        public var audience: Confidentiality = .internal
        /// The old site's search state, read while the knowledge base was loaded (`SearchStateRead`).
        public var searchState: SearchStateRead?
        public var baseURL: String?
        /// Empty the output folder first, so every file is written afresh.
        public var clean = false
        /// Build although validation found errors (they are reported all the same).
        public var force = false
        /// Publish a site with no entity pages over one that had some.
        public var allowEmpty = false
        /// Say on each page when its source last changed (from git when the knowledge base is a repository).
        public var lastUpdated = true
        /// The day "overdue" and "leaving soon" are judged on.
        public var today = Day.today(environment: ProcessInfo.processInfo.environment)
        /// What the build is made from (`BuildFingerprint`), recorded in the output's marker so that the next
        /// build with the same can say at once that nothing changed.
        public var fingerprint: String?
        /// Where the build records how long each phase took (nil: not timed).
        public var phases: BuildPhases?
        /// The threads the entries' pages are rendered on (the site is the same with any number).
        public var renderThreads = 2
        /// Render with Baton's own `CompiledTemplate` where the theme allows (false: swift-mustache alone, the
        /// reference; the site is the same either way).
        public var compiledTemplates = true
        public init() {}
    }

    public struct Report: Sendable {
        public var pages: Int
        /// The pages rendered by this build: all of them, or only those of the entries whose bodies changed
        /// (`PageReuse`; the others are the old site's).
        public var rendered: Int
        public var assets: Int
        public var excluded: Int
        /// Files written because they were new or changed, and files removed because the site no longer has them.
        public var written: Int
        public var removed: Int
        /// Files of the browser search (`search/`: the script, the metadata, shards, vocabularies, documents).
        public var searchFiles: Int
        public var searchDocuments: Int
        /// The paths written, relative to the output folder.
        public var writtenPaths: [String]
    }


    let knowledgeBase: KnowledgeBase
    let theme: Theme
    let options: Options
    /// What this audience may see, and who relates to whom within it.
    let view: AudienceView
    var visible: [String: Entity] { view.visible }
    var holders: [String: [Entity]] { view.holders }
    var owned: [String: [Entity]] { view.owned }
    var deputyFor: [String: [Entity]] { view.deputyFor }
    var successorFor: [String: [Entity]] { view.successorFor }
    /// The sidebar's areas and groups and each page's place in them.
    let navigation: Navigation
    /// When each source file last changed, for "Last updated".
    let sourceDates: SourceDates

    public init(knowledgeBase: KnowledgeBase, theme: Theme, options: Options) {
        self.knowledgeBase = knowledgeBase
        self.theme = theme
        self.options = options
        let view = AudienceView(knowledgeBase: knowledgeBase, audience: options.audience)
        self.view = view
        self.navigation = Navigation(visible: view.visible, config: knowledgeBase.config) { reference in
            knowledgeBase.target(reference)
        }
        self.sourceDates = options.lastUpdated ? SourceDates(root: knowledgeBase.root) : .none
    }

    /// Visible knowledge by tag, tags in alphabetical order. Tags whose pages would be the same file
    /// (`Security` and `security`, as imported sites often spell them both) are one tag, named as most of its
    /// entries spell it.
    func tagged() -> [(tag: String, entries: [Entity])] {
        var byPage: [String: [String: [Entity]]] = [:]  // page → spelling → entries
        for entity in visible.values {
            for tag in Set(entity.knowledge?.tags ?? []) where !tag.isEmpty { byPage[Self.tagPath(tag), default: [:]][tag, default: []].append(entity) }
        }
        let merged = byPage.values.map { spellings -> (tag: String, entries: [Entity]) in
            let name = spellings.keys.sorted { a, b in
                spellings[a]!.count != spellings[b]!.count ? spellings[a]!.count > spellings[b]!.count : a < b
            }.first!
            var seen = Set<String>()
            let entries = spellings.values.flatMap { $0 }.filter { seen.insert($0.id).inserted }
            return (name, Self.sortedByTitle(entries))
        }
        return merged.sorted { ($0.tag.lowercased(), $0.tag) < ($1.tag.lowercased(), $1.tag) }
    }

    /// `knowledge/tags/<slug>.html`; the slug keeps letters and digits of any script, the rest become hyphens.
    static func tagPath(_ tag: String) -> String {
        var slug = ""
        for character in tag.lowercased() {
            if character.isLetter || character.isNumber { slug.append(character) } else if !slug.hasSuffix("-") { slug.append("-") }
        }
        slug = slug.trimmingCharacters(in: CharacterSet(charactersIn: "-"))
        if slug.isEmpty || slug == "index" { slug = "tag-" + String(tag.unicodeScalars.map { String($0.value, radix: 16) }.joined().prefix(24)) }
        return "knowledge/tags/\(slug).html"
    }

    /// The order of every list: by title as people read it, then by id, so that equal titles (the same role on
    /// both sides) always come out the same way and a rebuild rewrites nothing that did not change.
    static func byTitle(_ a: Entity, _ b: Entity) -> Bool {
        (a.title.lowercased(), a.id) < (b.title.lowercased(), b.id)
    }

    /// `entities` in `byTitle` order, each title lower-cased once (not once a comparison).
    static func sortedByTitle(_ entities: [Entity]) -> [Entity] {
        entities.map { (key: ($0.title.lowercased(), $0.id), entity: $0) }.sorted { $0.key < $1.key }.map(\.entity)
    }

    /// The output path of an entity's page, relative to the site root.
    static func pagePath(_ id: String) -> String { id + ".html" }

    /// `../` as many times as the page is deep.
    static func root(of page: String) -> String {
        String(repeating: "../", count: page.split(separator: "/").count - 1)
    }

    /// The file that marks a folder as a site made by `baton build` and lists the files it wrote.
    public static let marker = SiteOutput.marker

    /// Refuses an output folder that is the knowledge base itself or a folder holding it, or a folder inside
    /// `content/` (a folder holding files a build did not write is refused by `SiteOutput`).
    func checkOutputFolder(_ output: String) throws {
        let root = URL(fileURLWithPath: knowledgeBase.root).standardizedFileURL.path
        if root == output || root.hasPrefix(output == "/" ? "/" : output + "/") {
            throw BuildError.output(path: output, reason: "the output folder holds the knowledge base itself; choose a folder of its own, such as \(root)/public")
        }
        let content = root + "/" + KnowledgeBase.contentDirectory
        if output == content || output.hasPrefix(content + "/") {
            throw BuildError.output(path: output, reason: "the output folder is inside content/; choose a folder outside it")
        }
    }

    /// The site in `output` when a build with `fingerprint` made it and every file it wrote is still there as a
    /// regular file: its number of pages (HTML files), else nil.
    public static func unchanged(output: String, fingerprint: String) -> Int? {
        let target = SiteOutput(output)
        guard let manifest = target.manifest(), manifest.fingerprint == fingerprint else { return nil }
        // Every file as the build left it: one changed, replaced or removed since is built again.
        guard target.isIntact(manifest) else { return nil }
        // What a build killed since left beside the site goes, although nothing is built.
        Temporaries.removeStale(beside: target.path, purpose: "build")
        Temporaries.removeStale(beside: target.path, purpose: "old")
        return manifest.files.filter { $0.hasSuffix(".html") }.count
    }

    public func build() throws -> Report {
        let errors = knowledgeBase.diagnostics.filter { $0.severity <= .error }
        if !errors.isEmpty && !options.force {
            throw BuildError.validation(errors)
        }
        let target = SiteOutput(options.output)
        let output = target.path
        try checkOutputFolder(URL(fileURLWithPath: options.output).standardizedFileURL.path)
        try checkOutputFolder(output)
        let previous = try target.previousBuild()
        let entityPages = visible.count
        if entityPages == 0, let previous, previous.entityPages > 0, !options.allowEmpty {
            throw BuildError.wouldEmpty(output: output, entityPages: previous.entityPages)
        }
        let library = try theme.library(compiled: options.compiledTemplates)
        let staging = try target.makeStaging()
        do {
            return try build(into: staging, target: target, previous: previous, library: library)
        } catch {
            Temporaries.remove(staging)
            throw error
        }
    }

    /// Renders the site into `staging` — the whole of it, or only the pages of the entries whose bodies changed
    /// when the site there allows (`PageReuse`; the rest is linked from it) — checks it, then swaps it in for the
    /// output folder.
    private func build(into staging: String, target: SiteOutput, previous: SiteOutput.Manifest?,
                       library: PageTemplates) throws -> Report {
        let output = target.path
        let knowledgeIndex = KnowledgeIndex(knowledgeBase: knowledgeBase)
        let scripts = try searchScripts(languages: knowledgeIndex.languages)
        let builder = UncheckedBox(self)
        let phases = options.phases
        // What every page knows of the site, worked out once (only the script's path depends on the page).
        let siteBase = siteValues(scripts: scripts)
        phases?.lap("prepare")
        // The search index is built and exported on a thread of its own while this one renders the pages: they
        // need only the scripts' names, known beforehand. A build that may take over the old site's pages starts
        // it once it knows it must: nothing a search file holds changed when no entry's key did (the rest is in
        // the shape), and the old site's are kept.
        // The search files of the site there, whose names are kept for the files that stay the same.
        let searchFiles = options.clean ? nil : previous.map { previous in
            (output: output, files: previous.files.filter { $0.hasPrefix("search/") }.map { String($0.dropFirst(7)) })
        }
        // The export starts at once. When the old site is as its build left it, from the state its export left
        // (analysing only the documents that changed): what it makes does not depend on which pages are
        // rendered. A build that finds no entry's key changed uses none of it (nothing a search file holds
        // changed, and the old site's are kept).
        let mayReuse = previous != nil && !options.clean
        let exporting = BackgroundWork {
            let start = ContinuousClock.now, cpu = BuildPhases.threadCPU()
            defer { phases?.record("search index and export (own thread)", since: start, cpu: cpu) }
            let builder = builder.value
            return try builder.searchExport(in: staging + "/.index", knowledgeIndex: knowledgeIndex, scripts: scripts,
                                            previous: searchFiles, state: !mayReuse ? nil : {
                previous.flatMap { target.isIntact($0) ? builder.readSearchState() : nil }
            })
        }
        // Whatever happens here, the export has finished with the staging folder before it is removed, and its
        // state is written before the build returns.
        defer {
            if let search = try? exporting.wait() { _ = try? search.stateWritten?.wait() }
        }
        let keys = pageKeys()
        phases?.lap("what the pages are made of (PageKeys)")
        let reuse = try previous.flatMap { try self.reuse($0, target: target, keys: keys, site: siteBase, scripts: scripts, library: library) }
        if reuse != nil { phases?.lap("render the changed entries' pages") }
        let useExport = reuse?.pages.isEmpty != true
        var pages: [(path: String, html: String)] = []
        var links: [String: String] = [:]  // entity id → the files beside the entries its page links to
        var contentFiles = Set<String>()  // files beside the entries that their pages link to
        if let reuse {
            pages = reuse.pages.map { ($0.path, $0.html) }
            for page in reuse.pages { links[page.id] = page.links }
        } else {
            try renderAll(into: &pages, links: &links, contentFiles: &contentFiles, site: siteBase, scripts: scripts,
                          library: library)
            phases?.lap("render pages")
        }

        // While the export finishes: every link must land on a file of the site (the search files but the
        // scripts and the metadata are not known yet: a link that lands on none of the others is checked again
        // once they are), and the pages and other files are staged. A build that renders only some pages keeps
        // every other file of the old site but its search files.
        let kept = reuse.map { reuse in
            reuse.manifest.files.subtracting(pages.map(\.path)).subtracting([Self.marker])
                .filter { !useExport || !$0.hasPrefix("search/") }
        } ?? []
        var siteFiles = Set(pages.map(\.path)).union(kept).union(scripts.files.map(\.path))
        if reuse == nil { siteFiles.formUnion(theme.assets.keys); siteFiles.formUnion(contentFiles) }
        siteFiles.insert("search/" + BrowserExport.metaFile)
        siteFiles.insert("sitemap.xml")
        siteFiles.insert("calendar.ics")
        let suspect = Self.brokenLinks(pages: pages, files: siteFiles)
        phases?.lap("check links")

        // Every file of the site with its bytes, written into the staging folder: a file the old site has with
        // the same bytes is linked from it instead of written again. Then the staging folder replaces the old site.
        var site: [(path: String, bytes: Data)] = pages.map { ($0.path, Data($0.html.utf8)) }
        if reuse == nil {
            site.append(("sitemap.xml", Data(sitemap(pages.map(\.path)).utf8)))
            // The governance calendar, of what this audience may see, to subscribe to.
            let calendar = GovernanceCalendar(knowledgeBase: knowledgeBase, audience: options.audience, today: options.today)
            site.append(("calendar.ics", Data(calendar.text().utf8)))
            for (path, bytes) in theme.assets where !Self.searchScripts.contains(path) { site.append((path, Data(bytes))) }
            for path in contentFiles.sorted() {
                site.append((path, try read(knowledgeBase.root + "/" + KnowledgeBase.contentDirectory + "/" + path)))
            }
        }
        func read(_ path: String) throws -> Data {
            do {
                return Data(try RegularFile.read(path, limit: knowledgeBase.config.limits.fileBytes))
            } catch {
                throw BuildError.file(path: path, reason: error.description)
            }
        }
        var written = 0
        var writtenPaths: [String] = []
        var made = Set<String>()
        func makeFolder(of path: String) throws {
            let folder = (path as NSString).deletingLastPathComponent
            if !folder.isEmpty && !made.contains(folder) {
                try FileManager.default.createDirectory(atPath: staging + "/" + folder, withIntermediateDirectories: true)
                made.insert(folder)
            }
        }
        /// Writes `files` into the staging folder, each linked from the old site instead when its bytes are the
        /// same (`knownSame`: paths already found so, not read again); on both cores (the folders are made first,
        /// in order).
        func stage(_ files: ArraySlice<(path: String, bytes: Data)>, knownSame: Set<String> = []) throws {
            let files = Array(files)
            do {
                for (path, _) in files { try makeFolder(of: path) }
            } catch {
                throw BuildError.file(path: output, reason: error.localizedDescription)
            }
            let clean = options.clean
            let parts = files.count < 64 ? 1 : 2
            // Each part sets only its own elements: buffers, not arrays, which two threads may not mutate at once.
            let outcomes = UnsafeMutableBufferPointer<Bool>.allocate(capacity: files.count)  // written, not linked
            outcomes.initialize(repeating: false)
            let failures = UnsafeMutableBufferPointer<BuildError?>.allocate(capacity: parts)
            failures.initialize(repeating: nil)
            defer {
                outcomes.deallocate()
                _ = failures.deinitialize()
                failures.deallocate()
            }
            nonisolated(unsafe) let slots = (outcomes, failures)
            DispatchQueue.concurrentPerform(iterations: parts) { part in
                let (outcomes, failures) = slots
                var index = part
                while index < files.count {
                    let (path, bytes) = files[index]
                    let destination = staging + "/" + path
                    let old = output + "/" + path
                    if !clean, let previous, previous.files.contains(path),
                        knownSame.contains(path) || (try? RegularFile.read(old, limit: bytes.count)).map({ Data($0) == bytes }) == true,
                        Glibc.link(old, destination) == 0
                    {
                        index += parts
                        continue
                    }
                    // Plain writes: the folder is private until the swap, which makes the whole site appear at once.
                    do {
                        try SiteOutput.write(bytes, to: destination)
                    } catch let error as BuildError {
                        failures[part] = error
                        return
                    } catch {
                        failures[part] = BuildError.file(path: output, reason: error.localizedDescription)
                        return
                    }
                    outcomes[index] = true
                    index += parts
                }
            }
            if let failure = failures.compactMap({ $0 }).first { throw failure }
            for (index, file) in files.enumerated() where outcomes[index] {
                written += 1
                writtenPaths.append(file.path)
            }
        }
        // Nothing is staged when a link is broken for sure (it lands on no file, and not under search/ either).
        if !suspect.isEmpty && !suspect.contains(where: { $0.contains("search/") }) {
            throw BuildError.brokenLinks(suspect)
        }
        try stage(site[...])
        // The files kept from the old site, linked (each is as its build left it: `PageReuse` checked, or the
        // export), or copied where the file system has no hard links.
        func keep(_ kept: [String]) throws {
            for path in kept { try makeFolder(of: path) }
            // Linked on both cores; what could not be linked is copied after.
            let linked = UnsafeMutableBufferPointer<Bool>.allocate(capacity: kept.count)
            linked.initialize(repeating: false)
            defer { linked.deallocate() }
            nonisolated(unsafe) let slots = linked
            DispatchQueue.concurrentPerform(iterations: kept.count < 256 ? 1 : 2) { part in
                var index = part
                while index < kept.count {
                    slots[index] = Glibc.link(output + "/" + kept[index], staging + "/" + kept[index]) == 0
                    index += kept.count < 256 ? 1 : 2
                }
            }
            for (index, path) in kept.enumerated() where !linked[index] {
                let old = output + "/" + path
                let bytes: [UInt8]
                do { bytes = try RegularFile.read(old, limit: 1 << 34) } catch { throw BuildError.file(path: old, reason: error.description) }
                try SiteOutput.write(Data(bytes), to: staging + "/" + path)
            }
        }
        do {
            try keep(kept.sorted())
        } catch let error as BuildError {
            throw error
        } catch {
            throw BuildError.file(path: output, reason: error.localizedDescription)
        }
        phases?.lap("stage pages")

        let search = useExport ? try exporting.wait() : nil
        phases?.lap("wait for the search export")
        if !suspect.isEmpty {
            let broken = Self.brokenLinks(pages: pages.filter { page in suspect.contains { $0.hasPrefix(page.path + " → ") } },
                                          files: siteFiles.union(search?.files.map(\.path) ?? []).union(search?.kept ?? []))
            if !broken.isEmpty {
                throw BuildError.brokenLinks(broken)
            }
        }
        let staged = site.count
        for file in search?.files ?? [] { site.append((file.path, Data(file.bytes))) }
        try stage(site[staged...], knownSame: search?.unchanged ?? [])
        let searchKept = search?.kept ?? []
        do {
            try keep(searchKept)
        } catch let error as BuildError {
            throw error
        } catch {
            throw BuildError.file(path: output, reason: error.localizedDescription)
        }
        // Then the list of files, with how each was left, for the next build to tell whether it is still so, and
        // what the pages were made from, for the next build to tell which it must render.
        let files = site.map(\.path) + kept + searchKept
        // How each file was left, on both cores.
        let states = UnsafeMutableBufferPointer<String?>.allocate(capacity: files.count)
        states.initialize(repeating: nil)
        defer {
            _ = states.deinitialize()
            states.deallocate()
        }
        nonisolated(unsafe) let slots = states
        DispatchQueue.concurrentPerform(iterations: 2) { part in
            var index = part
            while index < files.count {
                slots[index] = SiteOutput.seen(staging + "/" + files[index])
                index += 2
            }
        }
        var seen: [String: String] = [:]
        for (index, path) in files.enumerated() { seen[path] = states[index] }
        var entries: [String: SiteOutput.Manifest.Entry] = [:]
        for (id, key) in keys.entries {
            guard let links = links[id] ?? reuse?.manifest.entries[id]?.links else { continue }
            entries[id] = SiteOutput.Manifest.Entry(key: key, links: links)
        }
        let searchDocuments = search?.output.documentCount ?? reuse?.manifest.searchDocuments ?? 0
        // A build that renders only some pages has the same pages as the one before (the shape says so).
        let pageCount = reuse?.manifest.pages ?? pages.count
        try SiteOutput.write(Data(SiteOutput.markerText(files: files, entityPages: visible.count,
                                                        fingerprint: options.fingerprint, seen: seen, shape: keys.shape,
                                                        pages: pageCount, searchDocuments: searchDocuments,
                                                        entries: entries).utf8),
                             to: staging + "/" + Self.marker)
        phases?.lap("stage the search files")
        do {
            CrashPoint.pass("build.staged")
            try target.swap(in: staging)
            phases?.lap("swap in")
        } catch let error as BuildError {
            throw error
        } catch {
            throw BuildError.file(path: output, reason: error.localizedDescription)
        }
        let all = Set(files)
        let removed = previous.map { $0.files.subtracting(all).subtracting([Self.marker]).count } ?? 0
        return Report(pages: pageCount, rendered: pages.count,
                      assets: theme.assets.keys.filter { !Self.searchScripts.contains($0) }.count,
                      excluded: knowledgeBase.entities.count - visible.count, written: written, removed: removed,
                      searchFiles: files.filter { $0.hasPrefix("search/") }.count, searchDocuments: searchDocuments,
                      writtenPaths: writtenPaths)
    }

    /// Every page of the site but the search files: the home page, the lists, the tags, every visible entity's
    /// page (`links`: what each links to beside the entries; `contentFiles`: all of those), the plan, the
    /// escalation ladder, the health page, the 404 page and the search page.
    private func renderAll(into pages: inout [(path: String, html: String)], links: inout [String: String],
                           contentFiles: inout Set<String>, site siteBase: SiteValues, scripts: SearchScripts,
                           library: PageTemplates) throws {
        func render(_ template: String, _ path: String, title: String, _ spot: Spot, _ page: any TemplateValues,
                    isSearch: Bool = false) throws {
            pages.append(try Self.page(template, path, title: title, spot, page, isSearch: isSearch, builder: self,
                                       site: siteBase, scripts: scripts, library: library))
        }
        try render("home", "index.html", title: knowledgeBase.config.title, .home, homePage(root: ""))
        for kind in EntityKind.allCases {
            let path = kind.directory + "/index.html"
            try render("list", path, title: Self.kindTitle(kind), .list(kind), listPage(kind, root: Self.root(of: path)))
        }
        // Knowledge by tag: a page per tag and an index of them.
        let tagged = self.tagged()
        for (tag, entries) in tagged {
            let path = Self.tagPath(tag)
            let root = Self.root(of: path)
            try render("list", path, title: "Tagged \(tag)", .tag(tag), ListPage(
                heading: "Tagged “\(tag)”",
                groups: [ListPage.Group(name: "", anchor: "", items: entries.map { ListPage.Item(link: link($0, root: root)) })]))
        }
        try render("list", "knowledge/tags/index.html", title: "Tags", .tags, ListPage(
            heading: "Knowledge by tag",
            groups: tagged.isEmpty ? [] : [ListPage.Group(name: "", anchor: "", items: tagged.map { tag, entries in
                ListPage.Item(link: Link(title: "\(tag) (\(entries.count))", href: String(Self.tagPath(tag).dropFirst("knowledge/tags/".count))))
            })]))
        // The entries' pages, on both cores.
        let entityPages = try renderEntityPages(visible.values.sorted { $0.id < $1.id }, site: siteBase, scripts: scripts,
                                                library: library, files: &contentFiles)
        for page in entityPages {
            pages.append((page.path, page.html))
            links[page.id] = page.links
        }
        // The relationship management plan as one page (the same document as `baton plan`).
        let plan = RelationshipPlan(knowledgeBase: knowledgeBase, audience: options.audience, today: options.today).markdown()
        let planHTML = Self.anchorHeadings(MarkdownSummary.html(for: plan), MarkdownSummary(markdown: plan).headings)
        try render("plan", "plan.html", title: "Relationship management plan", .other, DocumentPage(body: planHTML))
        if let escalation = escalationPage(root: "") {
            try render("escalation", "escalation.html", title: "Escalation ladder", .other, escalation)
        }
        if let health = healthPage(root: "") {
            try render("health", "health.html", title: "Relationship health", .other, health)
        }
        try render("notfound", "404.html", title: "Page not found", .other, EmptyPage())
        try render("search", "search.html", title: "Search", .other, EmptyPage(), isSearch: true)
    }

    /// One page of the site: `page` through its template, then through the layout with the page's chrome.
    static func page(_ template: String, _ path: String, title: String, _ spot: Spot, _ page: any TemplateValues,
                     isSearch: Bool = false, builder: SiteBuilder, site siteBase: SiteValues, scripts: SearchScripts,
                     library: PageTemplates) throws -> (path: String, html: String) {
        let root = Self.root(of: path)
        var site = siteBase
        site.searchScript = root + scripts.script
        var frame = PageFrame(root: root, site: site, page: page, isSearch: isSearch)
        guard let body = library.render(frame, withTemplate: template) else {
            throw BuildError.theme(missing: "template \(template).mustache")
        }
        frame.title = title
        frame.content = body
        frame.chrome = builder.chrome(spot, root: root)
        frame.toc = Self.tableOfContents(body)
        guard let html = library.render(frame, withTemplate: "layout") else {
            throw BuildError.theme(missing: "template layout.mustache")
        }
        return (path, html)
    }

    /// The pages of `entities` (in id order), rendered on `renderThreads` threads (each page on its own needs
    /// only what no one changes meanwhile); the files beside the entries that the pages link to go into `files`.
    func renderEntityPages(_ entities: [Entity], site: SiteValues, scripts: SearchScripts, library: PageTemplates,
                           files: inout Set<String>) throws -> [RenderedPage] {
        let parts = max(1, min(options.renderThreads, entities.count))
        final class Part: @unchecked Sendable {
            var pages: [(index: Int, page: RenderedPage)] = []
            var files = Set<String>()
            var failure: Error?
        }
        let shares = (0..<parts).map { _ in Part() }
        nonisolated(unsafe) let shared = (self, entities, site, scripts, library)
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let (builder, entities, site, scripts, library) = shared
            let share = shares[part]
            do {
                // Every other page, so that both threads get long and short pages alike.
                for index in stride(from: part, to: entities.count, by: parts) {
                    let entity = entities[index]
                    let path = Self.pagePath(entity.id)
                    var linked = Set<String>()
                    let model = builder.entityPage(entity, root: Self.root(of: path), files: &linked)
                    let made = try Self.page("entity", path, title: entity.title, .entity(entity), model, builder: builder,
                                             site: site, scripts: scripts, library: library)
                    share.files.formUnion(linked)
                    share.pages.append((index, RenderedPage(id: entity.id, path: made.path, html: made.html,
                                                            links: Self.linksKey(linked))))
                }
            } catch {
                share.failure = error
            }
        }
        if let failure = shares.compactMap(\.failure).first { throw failure }
        var result = [RenderedPage?](repeating: nil, count: entities.count)
        for share in shares {
            for page in share.pages { result[page.index] = page.page }
            files.formUnion(share.files)
        }
        return result.map { $0! }
    }

    // MARK: - Page models

    /// The site's values for every page; `searchScript` is relative to the site's root until a page sets it.
    func siteValues(scripts: SearchScripts) -> SiteValues {
        let config = knowledgeBase.config
        return SiteValues(
            title: config.title, audience: options.audience.rawValue, hasHealth: !visibleHealthChecks.isEmpty || !visibleKPIs.isEmpty,
            hasEscalation: !config.escalation.isEmpty, vision: config.vision,
            principles: config.principles.map(TextItem.init), searchScript: scripts.script,
            searchMeta: BrowserExport.metaFile, searchStemmers: scripts.stemmers)
    }

    static func kindTitle(_ kind: EntityKind) -> String {
        switch kind {
        case .role: return "Roles"
        case .person: return "People"
        case .checklist: return "Checklists"
        case .handover: return "Handovers"
        case .onboarding: return "Onboarding"
        case .healthcheck: return "Health checks"
        case .kpi: return "KPIs"
        case .knowledge: return "Knowledge"
        }
    }

    func link(_ entity: Entity, root: String) -> Link {
        Link(title: entity.title, href: root + Self.pagePath(entity.id))
    }

    func progressLink(_ record: Entity, root: String, side: String? = nil) -> ProgressLink {
        let progress = Handovers.progress(of: record, today: options.today)
        return ProgressLink(link: link(record, root: root), done: progress.done, total: progress.tasks.count,
                            overdue: progress.overdue.count, side: side)
    }

    func homePage(root: String) -> HomePage {
        let config = knowledgeBase.config
        let knowledge = visible.values.filter { $0.kind == .knowledge }
        let overdue = knowledge.filter { ($0.reviewBy.map { $0 < options.today }) ?? false }.sorted { ($0.reviewBy!, $0.id) < ($1.reviewBy!, $1.id) }
        let handovers = Self.sortedByTitle(visible.values.filter { $0.handover?.status == .open })
        let onboardings = Self.sortedByTitle(visible.values.filter { $0.onboarding?.status == .open })
        let recent = knowledge.filter { $0.knowledge?.reviewed != nil }
            .sorted { ($1.knowledge!.reviewed!, $0.id) < ($0.knowledge!.reviewed!, $1.id) }.prefix(6)
        // Roles by organisation (in baton.yml's order, then any other), then by tier and title.
        let roles = visible.values.filter { $0.kind == .role }
        var roleGroups: [HomePage.RoleGroup] = []
        let organisationIDs = config.organisations.map(\.id)
            + Set(roles.compactMap { $0.role?.organisation }).subtracting(config.organisations.map(\.id)).sorted()
        for id in organisationIDs {
            let members = roles.filter { $0.role?.organisation == id }.sorted {
                let tiers = ($0.role?.tier.flatMap { Tier.allCases.firstIndex(of: $0) } ?? 9,
                             $1.role?.tier.flatMap { Tier.allCases.firstIndex(of: $0) } ?? 9)
                return tiers.0 != tiers.1 ? tiers.0 < tiers.1 : Self.byTitle($0, $1)
            }
            guard !members.isEmpty else { continue }
            roleGroups.append(HomePage.RoleGroup(name: config.organisation(id)?.name ?? id, roles: members.map { role in
                NotedLink(link: link(role, root: root), notes: role.role?.tier.map { ["tier": $0.rawValue.capitalized + " tier"] } ?? [:])
            }))
        }
        // People leaving within the continuity window, soonest first.
        let window = config.continuity.leavingWindowDays
        let leaving = visible.values.filter { person in
            guard let record = person.person, record.status != .left, let day = record.leavingDate else { return false }
            let days = options.today.days(until: day)
            return days >= 0 && days <= window
        }.sorted { ($0.person!.leavingDate!, $0.id) < ($1.person!.leavingDate!, $1.id) }
        func noted(_ entity: Entity, _ key: String, _ day: Day?) -> NotedLink {
            NotedLink(link: link(entity, root: root), notes: [key: day?.description ?? ""])
        }
        return HomePage(
            roleGroups: roleGroups,
            handovers: handovers.map { progressLink($0, root: root) },
            onboardings: onboardings.map { progressLink($0, root: root) },
            leaving: leaving.map { noted($0, "date", $0.person?.leavingDate) },
            overdue: overdue.map { noted($0, "due", $0.reviewBy) },
            recent: recent.map { noted($0, "reviewed", $0.knowledge?.reviewed) },
            organisations: config.organisations.map { HomePage.Organisation(name: $0.name, side: $0.side?.rawValue) },
            phase: config.phase?.rawValue,
            tiers: config.governance.map { tier in
                HomePage.TierRow(tier: tier.tier.rawValue.capitalized,
                                 meetings: tier.meetings.map { HomePage.Meeting(name: $0.name, frequency: $0.frequency?.rawValue) })
            },
            counts: EntityKind.allCases.map { kind in
                HomePage.Count(link: Link(title: Self.kindTitle(kind), href: root + kind.directory + "/index.html"),
                               count: visible.values.filter { $0.kind == kind }.count)
            })
    }

    /// A kind's list page, in the groups of the sidebar (knowledge by the ten plan sections, roles and people
    /// by organisation and tier, the rest in one group), each under the anchor the sidebar links to.
    func listPage(_ kind: EntityKind, root: String) -> ListPage {
        ListPage(heading: Self.kindTitle(kind), groups: (navigation.area(kind)?.groups ?? []).map { group in
            ListPage.Group(name: group.title, anchor: group.anchor, items: group.members.map { member in
                // Peer pairs side by side: each person with their counterpart on the other side.
                ListPage.Item(link: link(member, root: root), peer: referenceLink(member.person?.counterpart, root: root))
            })
        })
    }

    /// How a page names a front-matter field, in plain words (a key not listed reads as itself).
    static let fieldLabels: [String: String] = [
        "ip": "Intellectual property", "sharing": "Sharing with the partner", "section": "Plan section",
        "owner": "Owner", "review_by": "Review by", "reviewed": "Last reviewed", "key_person": "Key person",
        "start_date": "Started", "leaving_date": "Leaving on", "reports_to": "Reports to", "function": "Discipline",
        "checklist": "Handover checklist", "template": "Checklist", "started": "Started", "leaving": "Last day",
        "start": "First day", "person": "Starting", "buddy": "Buddy", "from": "From", "to": "To", "roles": "Roles",
        "role": "Role", "counterpart": "Counterpart", "deputy": "Deputy", "successor": "Successor", "tier": "Tier",
        "organisation": "Organisation", "confidentiality": "Confidentiality", "status": "Status", "tags": "Tags",
        "responsibilities": "Responsibilities", "skills": "Skills", "outcomes": "Outcomes", "author": "Author",
        "description": "Description", "source": "Imported from", "lang": "Language", "contact": "Contact",
    ]

    /// Fields the short header under a page's title already gives (`header(for:)`), so not listed again.
    static let headerFields: Set<String> = ["organisation", "tier", "confidentiality", "review_by", "section", "owner",
                                            "reviewed", "key_person"]

    /// Fields for tools, not readers: never on a page.
    static let technicalFields: Set<String> = ["source_hash", "id"]

    /// A value in plain words where the raw one reads like code: IP ownership, sharing, yes for a flag.
    static func plainValue(_ key: String, _ value: String) -> String {
        switch (key, value) {
        case ("ip", "ours"): return "ours"
        case ("ip", "theirs"): return "the partner's"
        case ("ip", "joint"): return "joint"
        case ("sharing", "can"): return "can be shared"
        case ("sharing", "could"): return "could be shared, with agreement"
        case ("sharing", "cannot"): return "cannot be shared"
        case ("key_person", "true"): return "yes"
        case ("section", _): return PlanSection(rawValue: value)?.title ?? value
        case ("tier", _): return value.prefix(1).uppercased() + value.dropFirst()
        default: return value
        }
    }

    /// Front-matter fields the page lists, in file order, in plain words; contact details only for a restricted
    /// audience; technical fields left out.
    func entityPage(_ entity: Entity, root: String, files: inout Set<String>) -> EntityPage {
        let referenceFields = Set(entity.references.map { $0.field.split(separator: ".").first.map(String.init) ?? $0.field })
        var fields: [EntityPage.Field] = []
        for pair in entity.frontMatter.pairs ?? [] {
            if pair.key == "title" || pair.key == "name" || Self.technicalFields.contains(pair.key) { continue }
            if Self.headerFields.contains(pair.key) { continue }  // said in the line under the title
            if pair.key == "key_person" && pair.value.scalarText?.lowercased() != "true" { continue }
            if entity.kind == .role && pair.key == "onboarding" { continue }  // shown as the timeline
            if entity.kind == .healthcheck && ["scores", "respondents", "date"].contains(pair.key) { continue }  // the table
            if entity.kind == .kpi && pair.key == "measurements" { continue }  // the chart and its table
            if PersonalData.isPersonal(key: pair.key) && options.audience != .restricted { continue }
            var values = render(pair.value, root: root, resolve: referenceFields.contains(pair.key))
            if entity.kind == .knowledge && pair.key == "tags" {
                values = values.map { Link(title: $0.title, href: root + Self.tagPath($0.title)) }
            }
            if pair.key == "organisation", let name = knowledgeBase.config.organisations.first(where: { $0.id == pair.value.scalarText })?.name {
                values = [Link(title: name)]
            }
            values = values.map { $0.href == nil ? Link(title: Self.plainValue(pair.key, $0.title)) : $0 }
            if values.isEmpty { continue }
            let label = Self.fieldLabels[pair.key] ?? pair.key.replacingOccurrences(of: "_", with: " ").capitalized
            // A list of sentences reads as a list; a few short names (tags, roles) stay on one line.
            let isList = values.count > 1 && values.contains { $0.title.count > 40 }
            fields.append(EntityPage.Field(label: label, values: values, isList: isList))
        }
        var html = Self.labelTaskBoxes(Self.anchorHeadings(MarkdownSummary.html(for: entity.body), entity.markdown.headings))
        // A body that opens by repeating the title as its own heading 1 would give the page two: the page's wins.
        if html.hasPrefix("<h1"), let end = html.range(of: "</h1>") {
            html = String(html[end.upperBound...]).drop(while: { $0 == "\n" }).description
        }
        let (body, linked) = rewriteBodyLinks(html, of: entity, root: root)
        files.formUnion(linked)
        return EntityPage(
            kind: entity.kind.rawValue, kindTitle: Self.kindTitle(entity.kind),
            kindHref: root + entity.kind.directory + "/index.html", heading: entity.title,
            meta: header(for: entity, root: root), fields: fields, body: body,
            extras: extras(for: entity, root: root), underWay: underWay(of: entity, root: root))
    }

    /// The short line under a page's title: what it is, its organisation, its owner, how confidential it is, and
    /// when it was reviewed or is due to be.
    func header(for entity: Entity, root: String) -> [EntityPage.MetaItem] {
        let config = knowledgeBase.config
        var items: [EntityPage.MetaItem] = []
        func add(_ text: String, badge: Bool = false, href: String? = nil) {
            items.append(EntityPage.MetaItem(text: text, badge: badge, href: href))
        }
        switch entity.record {
        case .role(let role):
            add("Role")
            add(config.organisation(role.organisation)?.name ?? role.organisation, badge: true)
            if let tier = role.tier { add(tier.rawValue.capitalized + " tier") }
        case .person(let person):
            add("Person")
            add(config.organisation(person.organisation)?.name ?? person.organisation, badge: true)
            if person.keyPerson { add("key person", badge: true) }
        case .knowledge(let knowledge):
            add("Knowledge")
            if let section = knowledge.section { add(section.title) }
            if let owner = knowledge.owner, case .found(let person) = knowledgeBase.resolve(owner) {
                // An owner this audience may not see is not named: "owned by a restricted person".
                if visible[person.id] != nil {
                    add("owned by " + person.title, href: root + Self.pagePath(person.id))
                } else {
                    add("owned by " + hidden(person).title)
                }
            }
            if let reviewed = knowledge.reviewed { add("reviewed \(reviewed)") }
        case .checklist: add("Handover checklist")
        case .handover: add("Handover")
        case .onboarding: add("Onboarding")
        case .healthcheck(let check):
            add("Relationship health check")
            if let date = check.date { add("held \(date)") }
        case .kpi:
            add("Key performance indicator")
            if let definition = config.kpi(entity.shortID) {
                add("target " + (definition.better == .higher ? "≥ " : "≤ ") + definition.text(definition.target))
                add("measured " + definition.period.rawValue)
                if let owner = definition.owner, case .found(let role) = knowledgeBase.resolve(owner) {
                    if visible[role.id] != nil {
                        add("owned by " + role.title, href: root + Self.pagePath(role.id))
                    } else {
                        add("owned by " + hidden(role).title)
                    }
                }
            }
        }
        add(entity.confidentiality.rawValue, badge: true)
        if let due = entity.reviewBy { add("review by \(due)") }
        return items
    }

    /// A field's value as a list of items, each text and perhaps a link to a page this audience may see.
    func render(_ node: YAMLNode, root: String, resolve: Bool) -> [Link] {
        switch node.content {
        case .scalar(let text, _):
            guard !node.isNull else { return [] }
            if resolve, case .found(let target) = knowledgeBase.resolve(text) {
                if visible[target.id] != nil { return [link(target, root: root)] }
                return [hidden(target)]  // a page this audience does not get: not even named
            }
            return [Link(title: text)]
        case .sequence(let items):
            return items.flatMap { render($0, root: root, resolve: resolve) }
        case .mapping(let pairs):
            let shown = pairs.filter { options.audience == .restricted || !PersonalData.isPersonal(key: $0.key) }
            let parts = shown.map { pair -> String in
                pair.key + ": " + render(pair.value, root: root, resolve: false).map(\.title).joined(separator: ", ")
            }
            return [Link(title: parts.joined(separator: "; "))]
        }
    }

    func sitemap(_ paths: [String]) -> String {
        let base = options.baseURL.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? ""
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for path in paths.sorted() where path != "404.html" {
            let location = (base + path).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            xml += "  <url><loc>\(location)</loc></url>\n"
        }
        return xml + "</urlset>\n"
    }
}

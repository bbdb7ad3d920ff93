import BatonJSON
import ArgumentParser
import BatonContent
import BatonSearch
import BatonSite
import Foundation

struct BuildCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Publish the knowledge base as a static website.",
        discussion: """
            Writes a home page, a page per role, person, checklist, handover and knowledge entry, lists, a \
            search page, a 404 page and a sitemap into the output folder, with relative links so the site \
            works from any sub-path or straight from disk. The audience decides what is published: an entry \
            above its level gets no page and no link, and contact details appear only for restricted. The \
            theme is built into Baton, with the knowledge base's own site/ folder laid over it file by file \
            (templates/*.mustache, assets/…; 'baton theme export site' writes the built-in theme out to start \
            from). Nothing is built while 'baton check' finds errors (--force builds \
            anyway); an entity whose confidentiality cannot be read counts as restricted.

            The site is written into a private folder beside the output and swapped in whole when it is \
            complete, so a failed or interrupted build leaves the old site as it was. The output must be a \
            folder of its own: Baton refuses the knowledge base's folder, anything inside content/, and a \
            folder holding any file an earlier build did not write (the .baton-site file lists them). A broken \
            link fails the build, and so does a knowledge base with no entities where the site had some \
            (--allow-empty to publish it).

            Every page carries a search box (press / to reach it) that answers in the browser exactly as \
            `baton search` does, from an index of what the audience may see written into search/: small \
            files that the script loads as it needs them, so the site searches offline and from file://. \
            Serve search/meta.js so that browsers check it again; every other file there has a name that \
            stands for one content and may be cached forever (a file whose bytes did not change keeps its \
            name, so a rebuild after a small change writes only what changed).

            A build from the same inputs into a site that is as the last build left it writes nothing and \
            says so; a file of the site edited, replaced or removed since makes a real build, which puts it \
            right (--clean writes every file afresh). When only the bodies of knowledge entries changed, only \
            their pages are rendered ("Updated 1 of 1680 pages"): such a body shows on its own page alone, so \
            every other page of the old site is taken over; anything else — front matter, the body of another \
            kind, baton.yml, the theme, the options, the day — renders every page. Either way the search \
            files are updated from the state the last build left in .baton/site-cache/ (one file per output \
            folder and audience, with only what that audience may search): only the documents that changed \
            are analysed again, and the result is the same as a search export from nothing.

            Examples:
              baton build
              baton build --audience public --output public-site \\
                --base-url https://partners.example.org/
              baton build --audience restricted --output /srv/www/baton --clean
            """)

    @Option(help: "The folder to write the site into (Baton's alone: other files in it are removed).", completion: .directory)
    var output: String = "public"

    @Option(help: "Who the site is for: public, internal or restricted.")
    var audience: Confidentiality = .internal

    @Option(name: .customLong("base-url"), help: "The address the site is published at (for the sitemap).")
    var baseURL: String?

    @Option(help: "A theme folder to use instead of the built-in one (templates/ and assets/; 'baton theme export' writes the built-in one out to start from).",
            completion: .directory)
    var theme: String?

    @Flag(help: "Empty the output folder first and write every file afresh.")
    var clean = false

    @Flag(help: "Build even though validation found errors (they are printed; an unreadable confidentiality still counts as restricted).")
    var force = false

    @Flag(name: .customLong("allow-empty"), help: "Publish a site without entity pages over one that had them.")
    var allowEmpty = false

    @Flag(help: "Print what was written as JSON.")
    var json = false

    @OptionGroup var options: RootOptions

    func run() throws { try options.whileLocked("build") { try runLocked() } }

    func runLocked() throws {
        let started = ContinuousClock.now
        func milliseconds() -> Int {
            let elapsed = ContinuousClock.now - started
            return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        }
        let root = options.resolvedRoot
        // The theme built into Baton with the knowledge base's own site/ laid over it, or --theme alone.
        let folders = theme.map { [$0] } ?? [(root as NSString).appendingPathComponent("site")]
        var settings = SiteBuilder.Options()
        settings.output = output.hasPrefix("/") ? output : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(output)
        settings.audience = audience
        settings.clean = clean
        settings.force = force
        settings.allowEmpty = allowEmpty
        settings.baseURL = baseURL
        // Built before from exactly these inputs, and the output untouched: nothing to do.
        let fingerprint = BuildFingerprint.compute(root: root, themeFolders: folders, themeAlone: theme != nil, options: settings)
        // (The root as a knowledge base's own folder, however it was named: relative, with "..", with a slash.)
        if !clean, !force, !Journal.isPending(root: root),
            KnowledgeBase.findRoot(from: root) == URL(fileURLWithPath: root).standardizedFileURL.path,
            let pages = SiteBuilder.unchanged(output: settings.output, fingerprint: fingerprint)
        {
            if json {
                printJSONDocument(JSONValue.object([
                    ("output", .string(settings.output)), ("audience", .string(audience.rawValue)), ("pages", .int(pages)),
                    ("written", .int(0)), ("removed", .int(0)), ("unchanged", .bool(true)), ("milliseconds", .int(milliseconds())),
                ]))
            } else {
                print("Nothing changed since the last build into \(output) (\(pages) pages, 0 files written; checked in \(milliseconds()) ms).")
            }
            return
        }
        settings.fingerprint = fingerprint
        // BATON_TEMPLATES=reference renders through swift-mustache alone (to compare: the site is the same).
        settings.compiledTemplates = ProcessInfo.processInfo.environment["BATON_TEMPLATES"] != "reference"
        let phases = ProcessInfo.processInfo.environment["BATON_BUILD_PHASES"].map { _ in BuildPhases() }
        settings.phases = phases
        phases?.lap("fingerprint")
        // The old site's search state is read while the knowledge base loads (a build after a small edit starts
        // from it).
        if !clean { settings.searchState = SiteBuilder.SearchStateRead(root: root, options: settings) }
        let knowledgeBase = try options.loadForReading()
        phases?.lap("load the knowledge base")
        if force {
            for diagnostic in knowledgeBase.diagnostics where diagnostic.severity <= .error {
                Terminal.warning("building anyway: " + diagnostic.description)
            }
        }
        settings.baseURL = baseURL ?? knowledgeBase.config.baseURL
        let report: SiteBuilder.Report
        do {
            let loaded = try Theme.load(folders, over: theme == nil ? .standard : nil)
            report = try SiteBuilder(knowledgeBase: knowledgeBase, theme: loaded, options: settings).build()
        } catch let error as Theme.LoadError {
            throw CLIFailure(message: error.description)
        } catch let error as SiteBuilder.BuildError {
            throw CLIFailure(message: error.description)
        }
        let milliseconds = milliseconds()
        if let phases { FileHandle.standardError.write(Data((phases.summary + "\n").utf8)) }
        if json {
            printJSONDocument(JSONValue.object([
                ("output", .string(settings.output)), ("audience", .string(audience.rawValue)),
                ("pages", .int(report.pages)), ("assets", .int(report.assets)), ("excluded", .int(report.excluded)),
                ("rendered", .int(report.rendered)), ("written", .int(report.written)), ("removed", .int(report.removed)),
                ("search", .object([("documents", .int(report.searchDocuments)), ("files", .int(report.searchFiles))])),
                ("unchanged", .bool(false)), ("milliseconds", .int(milliseconds)),
            ]))
        } else {
            // Only the pages of the entries whose bodies changed were rendered; the others are the old site's.
            let what = report.rendered < report.pages
                ? "Updated \(report.rendered) of \(report.pages) pages" : "Built \(report.pages) pages"
            print("\(what) (\(report.written) \(report.written == 1 ? "file" : "files") written, \(report.removed) removed) for \(audience == .internal ? "an" : "a") \(audience.rawValue) audience into \(output) in \(milliseconds) ms"
                + (report.excluded > 0 ? " (\(report.excluded) entities above that audience left out)." : "."))
            print("Search: \(report.searchDocuments) pages in \(report.searchFiles) files under search/, for the search box on every page (works from file:// too).")
            print("Open \(URL(fileURLWithPath: settings.output).standardizedFileURL.path)/index.html in a browser (it works straight from disk).")
        }
    }
}

import BatonContent
import BatonSearch
import Foundation

/// What a build publishes for the browser search: the export, the script's path and the stemmers' paths (for
/// the pages' script tag), and every file under `search/`.
struct SearchPublication {
    var output: BrowserExport.Output
    var script: String
    var stemmers: String
    var files: [(path: String, bytes: [UInt8])]
    /// The files (paths in the site) that the export found in the site built before with the same bytes.
    var unchanged: Set<String> = []
    /// The export's state being written for the next build (`searchStatePath`), on a thread of its own.
    var stateWritten: BackgroundWork<Void>?
    /// Search files of the site built before that stay as they are (paths in the site; not in `files`).
    var kept: [String] = []
}

/// The theme's search scripts as a build publishes them: what the pages' script tags name, known before the
/// index is exported (so that pages can be rendered while it is).
struct SearchScripts {
    var script: String
    var stemmers: String
    var files: [(path: String, bytes: [UInt8])]
}

/// Work done on a thread of its own while the caller does something else; `wait()` gives its result. The
/// work reads only values that nothing changes while it runs (the builder's stored properties are constants).
final class BackgroundWork<T>: @unchecked Sendable {
    private var result: Result<T, Error>?
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping () throws -> T) {
        let box = UncheckedBox(work)
        let thread = Thread { [self] in
            self.result = Result { try box.value() }
            self.done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    func wait() throws -> T {
        done.wait()
        done.signal()  // a second wait returns at once
        return try result!.get()
    }
}

/// A value handed to another thread by a caller that promises not to change it meanwhile.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// The browser search of a site: its own index of what the audience may see, exported into `search/` with the
/// theme's scripts.
extension SiteBuilder {
    /// The theme's search script; it is published under a name that carries its version, beside the index, as
    /// are the stemmers for languages other than English (only those the knowledge base uses).
    static let searchScriptAsset = "assets/search.js"
    static let searchScripts: Set<String> = [searchScriptAsset, "assets/search-de.js", "assets/search-fr.js"]

    /// The search script and the stemmers for the languages the knowledge base uses.
    func searchScripts(languages: [Language]) throws -> SearchScripts {
        var files: [(path: String, bytes: [UInt8])] = []
        /// A script of the theme, published as search/NAME.HASH.js.
        func publish(_ asset: String, as name: String) throws -> String {
            guard let script = theme.assets[asset] else {
                throw BuildError.theme(missing: asset)
            }
            var hash = StableHash()
            hash.add(bytes: script)
            let path = "search/\(name).\(hash.base64(8)).js"
            files.append((path, script))
            return path
        }
        let scriptPath = try publish(Self.searchScriptAsset, as: "search")
        var stemmers: [String] = []
        for language in languages where language != .english {
            let path = try publish("assets/search-\(language.rawValue).js", as: "stem-\(language.rawValue)")
            stemmers.append("\(language.rawValue)=" + String(path.dropFirst("search/".count)))
        }
        return SearchScripts(script: scriptPath, stemmers: stemmers.joined(separator: " "), files: files)
    }

    /// Where a build keeps the state of its search export for the next (`BrowserExport.State`): beside the
    /// knowledge base's own index, one file for each output folder and audience.
    var searchStatePath: String {
        Self.searchStatePath(root: knowledgeBase.root, output: options.output, audience: options.audience)
    }

    static func searchStatePath(root: String, output: String, audience: Confidentiality) -> String {
        var key = StableHash()
        key.add(URL(fileURLWithPath: output).standardizedFileURL.path)
        key.add(audience.rawValue)
        return root + "/" + KnowledgeBaseLock.stateDirectory + "/site-cache/search-" + key.base64(8) + ".state"
    }

    /// The state the build before left for this output folder and audience, when there is one and it is whole
    /// (read beforehand when `Options.searchState` was).
    func readSearchState() -> BrowserExport.State? {
        if let early = options.searchState, early.path == searchStatePath { return early.state() }
        return Self.readSearchState(at: searchStatePath)
    }

    static func readSearchState(at path: String) -> BrowserExport.State? {
        guard let bytes = try? RegularFile.read(path, limit: 1 << 31) else { return nil }
        return BrowserExport.State(serialized: bytes)
    }

    /// The state of the search export the build before left, read (and parsed) on a thread of its own from the
    /// moment this is made: a caller makes it before loading the knowledge base, for `Options.searchState`.
    public final class SearchStateRead: @unchecked Sendable {
        let path: String
        private let work: BackgroundWork<BrowserExport.State?>

        /// `root`: the knowledge base's folder as it will be loaded; `options`: the build's (output, audience).
        public init(root: String, options: Options) {
            let path = SiteBuilder.searchStatePath(root: root, output: options.output, audience: options.audience)
            self.path = path
            work = BackgroundWork { SiteBuilder.readSearchState(at: path) }
        }

        func state() -> BrowserExport.State? { (try? work.wait()) ?? nil }
    }

    /// The browser search: an index of what the audience may see (built apart from the knowledge base's own, so
    /// that not even its statistics reflect anything else), exported into `search/`, with the script.
    /// The index is written in `folder` (inside the private staging folder) and removed before returning.
    ///
    /// `previous`: the search files of the site built before into `output` (paths under `search/`), whose names
    /// the export keeps for the files whose bytes are the same. With `state` (giving what `readSearchState` read),
    /// the export is made from the state the build of that site left when it stands for it, analysing only the
    /// documents that changed; else from an index of them all. Either way the state of this export is left for
    /// the next (`SearchPublication.stateWritten`).
    func searchExport(in folder: String, knowledgeIndex: KnowledgeIndex, scripts: SearchScripts,
                      previous: (output: String, files: [String])? = nil,
                      state: (() -> BrowserExport.State?)? = nil) throws -> SearchPublication {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var step: @Sendable (String) -> Void = { _ in }
        if let phases = options.phases { step = phases.laps("  search thread: ") }
        // Every document the audience may see, in id order, with its page and hash.
        let entries = visible.values.sorted(by: { $0.id < $1.id }).map { entity in
            // Owners and roles the audience may not see are not named, not even by id.
            var document = knowledgeIndex.document(for: entity)
            for field in ["owner", "role"] {
                document.keywords[field] = document.keywords[field]?.filter { visible[$0] != nil }
            }
            let page = BrowserExport.Page(url: Self.pagePath(entity.id), type: entity.kind.rawValue)
            return BrowserExport.Entry(document: document, page: page, hash: BrowserExport.documentHash(document, page: page))
        }
        step("documents")
        var options = BrowserExport.Options()
        options.languages = knowledgeIndex.languages
        options.synonyms = knowledgeIndex.synonyms
        options.stepDone = step
        options.producer = BuildFingerprint.executable()
        let config = knowledgeBase.config
        options.labels["organisation"] = Dictionary(config.organisations.map { ($0.id, $0.name) }) { a, _ in a }
        options.labels["section"] = Dictionary(PlanSection.allCases.map { ($0.rawValue, $0.title) }) { a, _ in a }
        // Roles by title, with the organisation where two have the same title (one on each side).
        let roles = visible.values.filter { $0.kind == .role }
        let titles = Dictionary(grouping: roles, by: \.title)
        options.labels["role"] = Dictionary(roles.map { role in
            let organisation = config.organisations.first { $0.id == role.role?.organisation }?.name
            let label = (titles[role.title]?.count ?? 0) > 1 ? role.title + " · " + (organisation ?? role.id) : role.title
            return (role.id, label)
        }) { a, _ in a }
        // What the export finds unchanged in the site before, so that staging does not read it again.
        final class Found: @unchecked Sendable { var paths = Set<String>() }
        let unchanged = Found()
        let earlier = previous.map { output, files in
            BrowserExport.Previous(files: files) { file, bytes in
                let same = (try? RegularFile.read(output + "/search/" + file, limit: bytes.count)) == bytes
                if same { unchanged.paths.insert("search/" + file) }
                return same
            }
        }
        let statePath = searchStatePath
        var output: BrowserExport.Output?
        if let previous, let earlier, let state = state?() {
            step("read the state")
            output = BrowserExport.update(state: state, entries: entries, schema: KnowledgeIndex.schema, options: options,
                                          previous: earlier) { file in
                try? RegularFile.read(previous.output + "/search/" + file, limit: 1 << 30)
            }
        }
        if output == nil {
            output = try exportFromIndex(in: folder, entries: entries, options: options, previous: earlier, step: step)
        }
        let exported = output!
        // The state for the next build, or none (a state that no longer stands for the site must not stay),
        // written while the caller stages the files.
        let state = UncheckedBox(exported.state)
        let writing = BackgroundWork {
            guard let state = state.value else {
                unlink(statePath)
                return
            }
            let bytes = state.serialized()
            do {
                try AtomicFile.createDirectory((statePath as NSString).deletingLastPathComponent)
                try AtomicFile.write(to: statePath, flush: false) { try $0.write(bytes) }
            } catch {
                unlink(statePath)
            }
        }
        let files = exported.files.map { (path: "search/" + $0.path, bytes: $0.bytes) } + scripts.files
        return SearchPublication(output: exported, script: scripts.script, stemmers: scripts.stemmers, files: files,
                                 unchanged: unchanged.paths, stateWritten: writing,
                                 kept: exported.kept.map { "search/" + $0 })
    }

    /// The export made from an index of `entries` built in `folder`.
    private func exportFromIndex(in folder: String, entries: [BrowserExport.Entry], options: BrowserExport.Options,
                                 previous: BrowserExport.Previous?, step: @escaping @Sendable (String) -> Void) throws -> BrowserExport.Output {
        let index: SearchIndex
        let surfaces: [SurfaceVocabulary.Written]?
        let chunks: [BodyChunks]?
        do {
            let writer = try IndexWriter(directory: folder, schema: KnowledgeIndex.schema, rebuild: true)
            // The typo vocabularies and the bodies' chunks are made from what is met while the documents are
            // analysed (not analysed again for them).
            writer.recordsSurfaces = true
            writer.recordsChunks = BrowserExport.chunkPositions
            for entry in entries { writer.add(entry.document) }
            step("add documents")
            try writer.commit()
            step("commit the index")
            surfaces = writer.recordedSurfaces
            chunks = writer.recordedChunks
            index = try SearchIndex.open(directory: folder, schema: KnowledgeIndex.schema)
        } catch {
            throw BuildError.search("\(error)")
        }
        // The typo vocabularies on a thread of their own while the rest is exported.
        let shared = UncheckedBox((index, surfaces))
        let phases = self.options.phases
        let vocabulary = BackgroundWork {
            let start = ContinuousClock.now, cpu = BuildPhases.threadCPU()
            defer { phases?.record("  vocabulary thread: typo vocabularies", since: start, cpu: cpu) }
            let (index, surfaces) = shared.value
            return surfaces.map { BrowserExport.vocabulary(recorded: $0) } ?? BrowserExport.vocabulary(index: index)
        }
        var pages: [String: BrowserExport.Page] = [:]
        var hashes: [String: UInt64] = [:]
        for entry in entries {
            pages[entry.document.id] = entry.page
            hashes[entry.document.id] = entry.hash
        }
        return BrowserExport.export(index: index, options: options, page: { pages[$0] }, vocabulary: { try! vocabulary.wait() },
                                    chunks: chunks, previous: previous, hashes: hashes, recorded: surfaces)
    }
}

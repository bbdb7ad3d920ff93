import BatonContent
import BatonJSON
import BatonSearch
import BatonSite
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// `baton serve`: the site of a knowledge base over HTTP on 127.0.0.1 while it is being written.
///
/// Data flow: a watcher polls the modification times and sizes of `content/`, `baton.yml` and the theme
/// folder; when they change it rebuilds the site with `SiteBuilder` (which writes only the files that differ)
/// into a folder of its own, brings the search index up to date, and tells every open page over server-sent
/// events (`/_baton/events`) to reload — or, when the build fails, to show the error, while the last good
/// site stays served. Pages are served from that folder with a small script added that listens for those
/// events; `/api/search` answers as `baton search --json` does, for what the audience may see.
public final class SiteServer: Sendable {
    public struct Options: Sendable {
        public var root: String
        public var port = 8000
        public var host = "127.0.0.1"
        public var audience: Confidentiality = .internal
        /// A theme folder to use instead of the built-in theme with the knowledge base's `site/` over it.
        public var theme: String?
        /// Where the site is written; `.baton/serve/<audience>` in the knowledge base unless set.
        public var output: String?
        /// How often the files are looked at.
        public var interval: Duration = .milliseconds(250)
        /// Build although validation found errors.
        public var force = false
        public init(root: String) { self.root = root }
    }

    /// What a build came to.
    enum Outcome: Sendable {
        case none
        case built(written: Int, milliseconds: Int)
        case failed(String)
    }

    struct State: Sendable {
        var generation = 0
        var outcome = Outcome.none
        /// The last good build's knowledge base and index, for /api/search.
        var search: SearchSnapshot?
        var subscribers: [Int: AsyncStream<String>.Continuation] = [:]
        var nextSubscriber = 0
        var closed = false
    }

    let options: Options
    let output: String
    let state = Mutex(State())
    /// Where the server prints what it does (the console of `baton serve`).
    let log: @Sendable (String) -> Void

    public init(options: Options, log: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.output = options.output ?? options.root + "/.baton/serve/" + options.audience.rawValue
        self.log = log
    }

    /// Builds once, then serves until SIGINT or SIGTERM, rebuilding on every change.
    public func run() async throws {
        rebuild(reason: "first build")
        let router = Router()
        addRoutes(to: router)
        var logger = Logger(label: "baton-serve")
        logger.logLevel = .warning
        let watcher = Watcher(server: self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "baton"),
            services: [watcher],
            onServerRunning: { [log, options] _ in
                log("Serving http://\(options.host):\(options.port)/ (\(options.audience.rawValue) audience); "
                    + "watching content/, baton.yml and the theme. Ctrl-C stops.")
            },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint, .sighup])
        log("Stopped.")
    }

    // MARK: - Building

    /// The folder the theme's overlay comes from, or the `--theme` folder.
    var themeFolders: [String] { options.theme.map { [$0] } ?? [options.root + "/site"] }

    /// Builds the site and reopens the index; tells the pages.
    func rebuild(reason: String) {
        let started = ContinuousClock.now
        let outcome: Outcome
        var snapshot: SearchSnapshot?
        do {
            let lock = try KnowledgeBaseLock.acquire(root: options.root, command: "serve", timeout: 10, waiting: { _ in })
            let report = try withExtendedLifetime(lock) { () throws -> SiteBuilder.Report in
                let knowledgeBase = try KnowledgeBase.load(root: options.root)
                var settings = SiteBuilder.Options()
                settings.output = output
                settings.audience = options.audience
                settings.force = options.force
                settings.allowEmpty = true
                settings.baseURL = knowledgeBase.config.baseURL
                let theme = try Theme.load(themeFolders, over: options.theme == nil ? .standard : nil)
                let report = try SiteBuilder(knowledgeBase: knowledgeBase, theme: theme, options: settings).build()
                let knowledgeIndex = KnowledgeIndex(knowledgeBase: knowledgeBase)
                let (index, _) = try knowledgeIndex.openUpToDate()
                snapshot = SearchSnapshot(knowledgeBase: knowledgeBase, knowledgeIndex: knowledgeIndex, index: index)
                return report
            }
            let elapsed = ContinuousClock.now - started
            let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
            outcome = .built(written: report.written + report.removed, milliseconds: milliseconds)
            log("\(reason): built \(report.pages) pages in \(milliseconds) ms (\(report.written) files written, \(report.removed) removed)")
        } catch {
            let message = "\(error)"
            outcome = .failed(message)
            log("\(reason): the build failed, the last good site is still served:\n" + message)
        }
        let event: String
        switch outcome {
        case .failed(let message): event = Self.event("failed", JSONValue.string(message).rendered(pretty: false))
        default: event = Self.event("reload", "{}")
        }
        state.withLock { state in
            let failedBefore: Bool
            if case .failed = state.outcome { failedBefore = true } else { failedBefore = false }
            state.generation += 1
            state.outcome = outcome
            if let snapshot { state.search = snapshot }
            // A build that changed nothing has nothing to reload, unless the pages show an error it mended; a
            // failure is always shown.
            if case .built(let changed, _) = outcome, changed == 0, !failedBefore { return }
            for continuation in state.subscribers.values { continuation.yield(event) }
        }
    }

    /// A server-sent event: its name and one line of data.
    static func event(_ name: String, _ data: String) -> String {
        "event: \(name)\ndata: \(data.replacingOccurrences(of: "\n", with: " "))\n\n"
    }

    /// A stream of events for one open page, and the number to unsubscribe it by.
    func subscribe() -> (AsyncStream<String>, Int) {
        let (stream, continuation) = AsyncStream<String>.makeStream(bufferingPolicy: .bufferingNewest(8))
        let id = state.withLock { state -> Int in
            if state.closed {
                continuation.finish()
                return -1
            }
            state.nextSubscriber += 1
            state.subscribers[state.nextSubscriber] = continuation
            return state.nextSubscriber
        }
        return (stream, id)
    }

    /// Ends one page's stream and forgets it.
    func unsubscribe(_ id: Int) {
        state.withLock { $0.subscribers.removeValue(forKey: id) }?.finish()
    }

    /// Ends every open event stream (at shutdown, so that the server does not wait for them).
    func closeStreams() {
        state.withLock { state in
            state.closed = true
            for continuation in state.subscribers.values { continuation.finish() }
            state.subscribers = [:]
        }
    }
}

/// The last good build's knowledge base and index: read only, shared by the requests.
final class SearchSnapshot: @unchecked Sendable {
    let knowledgeBase: KnowledgeBase
    let knowledgeIndex: KnowledgeIndex
    let index: SearchIndex

    init(knowledgeBase: KnowledgeBase, knowledgeIndex: KnowledgeIndex, index: SearchIndex) {
        self.knowledgeBase = knowledgeBase
        self.knowledgeIndex = knowledgeIndex
        self.index = index
    }
}

/// Looks at the watched files every `interval` and rebuilds when any was added, removed or changed; at a
/// graceful shutdown it stops and ends the pages' event streams.
struct Watcher: Service {
    let server: SiteServer

    func run() async throws {
        var last = Fingerprint.of(server.watchedFolders, files: server.watchedFiles)
        await withGracefulShutdownHandler {
            while !Task.isCancelled && !Task.isShuttingDownGracefully {
                try? await Task.sleep(for: server.options.interval)
                let now = Fingerprint.of(server.watchedFolders, files: server.watchedFiles)
                if now != last {
                    // Let a burst of saves settle (an editor writing a file and its backup), then build.
                    try? await Task.sleep(for: .milliseconds(100))
                    last = Fingerprint.of(server.watchedFolders, files: server.watchedFiles)
                    server.rebuild(reason: "changed")
                }
            }
        } onGracefulShutdown: {
            server.closeStreams()
        }
    }
}

extension SiteServer {
    var watchedFolders: [String] { [options.root + "/" + KnowledgeBase.contentDirectory] + themeFolders }
    var watchedFiles: [String] { [options.root + "/" + KnowledgeBase.configFile] }
}

/// Every watched file's path, size and modification time.
struct Fingerprint: Equatable {
    var entries: [String: [Int]]

    static func of(_ folders: [String], files: [String]) -> Fingerprint {
        var entries: [String: [Int]] = [:]
        func add(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return }
            entries[path] = [Int(info.st_size), Int(info.st_mtim.tv_sec), Int(info.st_mtim.tv_nsec), Int(info.st_ino)]
        }
        for file in files { add(file) }
        for folder in folders {
            guard let walker = FileManager.default.enumerator(atPath: folder) else { continue }
            while let relative = walker.nextObject() as? String {
                add(folder + "/" + relative)
            }
        }
        return Fingerprint(entries: entries)
    }
}

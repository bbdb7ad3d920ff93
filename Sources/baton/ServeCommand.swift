import ArgumentParser
import BatonContent
import BatonServe
import Foundation
import Synchronization

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the website on this machine while you write, rebuilding it on every change.",
        discussion: """
            Builds the site (as 'baton build' does) into a folder of its own, .baton/serve/AUDIENCE, and \
            serves it on http://127.0.0.1:PORT/. It watches content/, baton.yml and the theme (site/, or \
            --theme), rebuilds when a file is added, changed or removed, and open pages reload themselves. A \
            build that fails (validation errors, a broken link, a bad template) is shown in the page, over the \
            last good site, until a change fixes it; serving goes on. Ctrl-C stops.

            GET /api/search?q=WORDS[&limit=N][&type=KIND] answers as 'baton search --json' does, for what the \
            audience may see: for an intranet page or a chat bot.

            Examples:
              baton serve
              baton serve --port 8080 --audience public
              curl 'http://127.0.0.1:8000/api/search?q=exit+plan&limit=3'
            """)

    @Option(help: "The port to listen on (on 127.0.0.1 only).")
    var port = 8000

    @Option(help: "Who the site is for: public, internal or restricted.")
    var audience: Confidentiality = .internal

    @Option(help: "A theme folder to use instead of the built-in one.", completion: .directory)
    var theme: String?

    @Flag(help: "Build even though validation found errors.")
    var force = false

    @OptionGroup var options: RootOptions

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
    }

    func run() throws {
        let knowledgeBase = try options.loadForReading()
        var settings = SiteServer.Options(root: knowledgeBase.root)
        settings.port = port
        settings.audience = audience
        settings.theme = theme.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
        settings.force = force
        try Self.refuseBusyPort(port)
        let server = SiteServer(options: settings) { line in
            let stamp = Self.clock()
            var text = ""
            for (index, part) in line.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                text += (index == 0 ? stamp + " " : String(repeating: " ", count: stamp.count + 1)) + part + "\n"
            }
            FileHandle.standardOutput.write(Data(text.utf8))
        }
        // The server stops gracefully on Ctrl-C (and removes what a build in progress had written).
        Temporaries.handOverSignals()
        let failure = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                try await server.run()
            } catch {
                failure.withLock { $0 = "\(error)" }
            }
            done.signal()
        }
        done.wait()
        if let message = failure.withLock({ $0 }) {
            throw CLIFailure(message: "the server stopped: \(message)")
        }
    }

    /// A port something already listens on is named before anything is built.
    static func refuseBusyPort(_ port: Int) throws {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var yes: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if bound != 0 {
            throw CLIFailure(message: "port \(port) on 127.0.0.1 is in use (another baton serve?); choose another with --port")
        }
    }

    static func clock() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }
}

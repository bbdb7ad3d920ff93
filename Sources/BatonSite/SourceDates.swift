import BatonContent
import Foundation

/// When each file of a knowledge base last changed, for the "Last updated" line of its page: the day of the
/// last commit that touched it when the knowledge base is in a git repository (one `git log` for all files),
/// else — or for a file with changes not yet committed, or not tracked — the day of its modification time.
struct SourceDates: Sendable {
    private var committed: [String: String] = [:]
    private var uncommitted: Set<String> = []
    private let root: String
    private let useGit: Bool

    /// No dates at all (a build that is not asked for them).
    static let none = SourceDates(root: "", committed: [:], uncommitted: [], useGit: false, enabled: false)
    private let enabled: Bool

    private init(root: String, committed: [String: String], uncommitted: Set<String>, useGit: Bool, enabled: Bool) {
        self.root = root
        self.committed = committed
        self.uncommitted = uncommitted
        self.useGit = useGit
        self.enabled = enabled
    }

    /// Reads the history of `root` (the knowledge base's folder; paths are relative to it).
    init(root: String) {
        self.root = root
        self.enabled = true
        guard let log = Self.git(["log", "--relative", "--format=%x00%cs", "--name-only", "--no-renames", "--", "."], in: root),
            let status = Self.git(["status", "--porcelain", "-z", "--untracked-files=all", "--", "."], in: root),
            let prefix = Self.git(["rev-parse", "--show-prefix"], in: root)
        else {
            useGit = false
            return
        }
        useGit = true
        // Newest commit first: the first date a path appears under is its last change.
        var date = ""
        for line in log.split(separator: "\n", omittingEmptySubsequences: true) {
            if line.hasPrefix("\u{0}") {
                date = String(line.dropFirst())
            } else if committed[String(line)] == nil {
                committed[String(line)] = date
            }
        }
        // `status` names paths from the repository's top; make them relative to the knowledge base.
        let top = prefix.trimmingCharacters(in: .whitespacesAndNewlines)
        var entries = status.split(separator: "\u{0}", omittingEmptySubsequences: true).makeIterator()
        while let entry = entries.next() {
            guard entry.count > 3 else { continue }
            let code = entry.prefix(2)
            var path = String(entry.dropFirst(3))
            if code.contains("R") || code.contains("C") { _ = entries.next() }  // the original name follows
            if path.hasPrefix(top) { path = String(path.dropFirst(top.count)) }
            uncommitted.insert(path)
        }
    }

    /// The day `path` (relative to the knowledge base) last changed, as YYYY-MM-DD.
    func date(of path: String) -> String? {
        guard enabled else { return nil }
        if useGit, !uncommitted.contains(path), let day = committed[path] { return day }
        // The modification time's day in UTC (the file itself, a link not followed, as FileManager reads it).
        var info = stat()
        guard lstat(root + "/" + path, &info) == 0 else { return nil }
        let seconds = Int(info.st_mtim.tv_sec)
        return Day(ordinal: seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400).description
    }

    /// Runs git in `folder`; nil when git is missing, the folder is not in a repository, or git fails. A folder
    /// with no `.git` in it or above it (and no `GIT_DIR` set) is in no repository: git is not started for it
    /// (starting it costs tens of milliseconds, twice a build).
    static func git(_ arguments: [String], in folder: String) -> String? {
        guard mayBeInRepository(folder) else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_OPTIONAL_LOCKS"] = "0"  // reading only: never wait for, or take, the index lock
        environment["LC_ALL"] = "C"
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether `folder` or a folder above it has a `.git` (a folder, or the file a worktree has), or git is told
    /// where its repository is.
    static func mayBeInRepository(_ folder: String) -> Bool {
        if ProcessInfo.processInfo.environment["GIT_DIR"] != nil { return true }
        var path = URL(fileURLWithPath: folder).standardizedFileURL.path
        while true {
            var info = stat()
            if lstat(path + (path == "/" ? ".git" : "/.git"), &info) == 0 { return true }
            guard path != "/", !path.isEmpty else { return false }
            path = (path as NSString).deletingLastPathComponent
        }
    }
}

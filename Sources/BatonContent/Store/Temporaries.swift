import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Temporary files and folders a command is working in, removed however the command ends: on success and on
/// error by the code that made them, on Ctrl-C or a termination signal by the handlers installed here. (A
/// process killed outright cannot clean up; the next command that uses the same place removes what a dead
/// process left, see `isStale`.)
public enum Temporaries {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var paths: Set<String> = []
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    /// Registers a path to remove if the process is interrupted.
    public static func register(_ path: String) {
        lock.lock()
        paths.insert(path)
        lock.unlock()
    }

    /// Removes `path` now and forgets it.
    public static func remove(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
        forget(path)
    }

    /// Forgets `path` (it was moved into place and is no longer temporary).
    public static func forget(_ path: String) {
        lock.lock()
        paths.remove(path)
        lock.unlock()
    }

    /// Removes every registered path; called on a signal, before the process ends.
    static func removeAll() {
        lock.lock()
        let pending = paths
        paths = []
        lock.unlock()
        for path in pending {
            // Moved out of the way first, so that the work still running on other threads cannot keep adding
            // files to it while it is removed (its writes now fail: the path is gone).
            let doomed = path + ".removing"
            let target = rename(path, doomed) == 0 ? doomed : path
            for _ in 0..<5 where (try? FileManager.default.removeItem(atPath: target)) == nil && access(target, F_OK) == 0 {
                usleep(10_000)
            }
        }
    }

    /// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the registered temporaries, then end the
    /// process with the usual status for the signal (128 + its number).
    public static func removeOnSignals() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                removeAll()
                _exit(128 + signalNumber)
            }
            source.resume()
            lock.lock()
            sources.append(source)
            lock.unlock()
        }
    }

    /// Stops handling SIGINT, SIGTERM and SIGHUP, for a command that shuts down gracefully on them itself
    /// (`baton serve`): it then removes its temporaries as it stops.
    public static func handOverSignals() {
        lock.lock()
        for source in sources { source.cancel() }
        sources = []
        lock.unlock()
    }

    /// A name for a temporary beside `target` (in the same folder, so it can be renamed into place), carrying
    /// this process's id so that a later run can tell whether its maker is still alive.
    public static func sibling(of target: String, purpose: String) -> String {
        let folder = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        return (folder.isEmpty ? "" : folder + "/") + ".\(name).baton-\(purpose)-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    /// Whether a temporary named by `sibling(of:purpose:)` was left by a process that no longer runs.
    public static func isStale(_ name: String, purpose: String) -> Bool {
        guard let range = name.range(of: ".baton-\(purpose)-") else { return false }
        let rest = name[range.upperBound...].split(separator: "-")
        guard let pid = rest.first.flatMap({ Int32($0) }) else { return false }
        return pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Removes temporaries beside `target` that dead processes left behind.
    public static func removeStale(beside target: String, purpose: String) {
        let folder = (target as NSString).deletingLastPathComponent
        let name = (target as NSString).lastPathComponent
        let prefix = ".\(name).baton-\(purpose)-"
        for item in (try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder)) ?? []
        where item.hasPrefix(prefix) && isStale(item, purpose: purpose) {
            try? FileManager.default.removeItem(atPath: (folder.isEmpty ? "" : folder + "/") + item)
        }
    }
}

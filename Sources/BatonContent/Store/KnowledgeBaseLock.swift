import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The knowledge base's advisory lock (`flock` on `.baton/lock`), held by every command that writes, so two
/// commands never interleave their reads and writes (two ticks at once both land). A second command waits, says
/// what it waits for, and gives up after a timeout with a clear error. The lock goes when the holder ends, however
/// it ends, so a killed command never leaves it stuck.
public final class KnowledgeBaseLock {
    /// The folder of Baton's own state inside a knowledge base.
    public static let stateDirectory = ".baton"
    public static let file = "lock"

    /// Why the lock could not be had.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case timedOut(path: String, holder: String, seconds: Double)
        case unavailable(path: String, reason: String)

        public var description: String {
            switch self {
            case .timedOut(let path, let holder, let seconds):
                return "\(path): another baton command (\(holder)) has held the knowledge base for \(Int(seconds)) s; "
                    + "gave up waiting (try again when it has finished, or set BATON_LOCK_TIMEOUT=SECONDS)"
            case .unavailable(let path, let reason):
                return "\(path): cannot lock the knowledge base: \(reason)"
            }
        }
    }

    private let descriptor: Int32
    public let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit {
        close(descriptor)
    }

    /// The default wait: 30 s, or `BATON_LOCK_TIMEOUT` seconds.
    public static func defaultTimeout(environment: [String: String]) -> Double {
        environment["BATON_LOCK_TIMEOUT"].flatMap(Double.init).map { min(max($0, 0), 86_400) } ?? 30
    }

    /// Takes the lock of the knowledge base at `root` for `command`, waiting up to `timeout` seconds;
    /// `waiting` is called once, with what is being waited for, if the lock is not free at once.
    public static func acquire(root: String, command: String, timeout: Double,
                               waiting: (String) -> Void = { _ in }) throws(Failure) -> KnowledgeBaseLock {
        let folder = root + "/" + stateDirectory
        let path = folder + "/" + file
        if mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw .unavailable(path: path, reason: String(cString: strerror(errno)))
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .unavailable(path: path, reason: String(cString: strerror(errno))) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw .unavailable(path: path, reason: "it is not a regular file")
        }
        let started = Date()
        var told = false
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw .unavailable(path: path, reason: reason)
            }
            let holder = Self.holder(descriptor)
            let waited = Date().timeIntervalSince(started)
            if waited >= timeout {
                close(descriptor)
                throw .timedOut(path: path, holder: holder, seconds: waited)
            }
            if !told {
                waiting("waiting for another baton command (\(holder)) to finish with this knowledge base…")
                told = true
            }
            usleep(20_000)
        }
        // Say who holds it, for anyone who waits.
        let note = Array("pid \(getpid()): baton \(command)\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = note.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
        return KnowledgeBaseLock(descriptor: descriptor, path: path)
    }

    /// Who holds the lock, as its holder wrote it.
    private static func holder(_ descriptor: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        let text = count > 0 ? String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.isEmpty ? "another process" : text
    }
}

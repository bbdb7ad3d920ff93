#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files so that a reader sees either the old content or the new, never a mix: the bytes go to a
/// temporary file beside the target, are flushed to disk, and the temporary file is then renamed over the
/// target. When anything fails, the temporary file is removed and the target is as it was.
public enum AtomicFile {
    /// Why a write did not happen.
    public enum WriteError: Error, Sendable, CustomStringConvertible, Equatable {
        /// The target exists and overwriting was not asked for.
        case exists(path: String)
        case failed(path: String, reason: String)

        public var description: String {
            switch self {
            case .exists(let path): return "\(path) already exists (use --force to replace it)"
            case .failed(let path, let reason): return "\(path): cannot write: \(reason)"
            }
        }
    }

    /// Receives the new content in pieces.
    public struct Output {
        fileprivate let descriptor: Int32
        fileprivate let path: String
        fileprivate let temporary: String

        /// Appends bytes to the new content.
        public func write(_ bytes: some Collection<UInt8>) throws(WriteError) {
            let chunk = Array(bytes)
            var offset = 0
            while offset < chunk.count {
                let written = chunk[offset...].withUnsafeBytes { buffer in
                    systemWrite(descriptor, buffer.baseAddress, buffer.count)
                }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw .failed(path: path, reason: AtomicFile.errorText())
                }
                offset += written
            }
        }

        /// Appends text, as UTF-8.
        public func write(_ text: String) throws(WriteError) {
            try write(text.utf8)
        }
    }

    /// Writes `text` to `path` atomically. Without `overwrite`, an existing file is left alone and the call
    /// throws `.exists`.
    public static func write(_ text: String, to path: String, overwrite: Bool = true) throws(WriteError) {
        let output = try openTemporary(for: path)
        do {
            try output.write(text)
        } catch {
            discard(output)
            throw error
        }
        try commit(output, overwrite: overwrite)
    }

    /// Writes whatever `produce` gives to `path` atomically. If `produce` throws, nothing at `path` changes, the
    /// temporary file is removed, and the error is passed on. Without `flush`, the file is not forced to disk
    /// before it is moved into place (for the many small files of a build that a rebuild makes again).
    public static func write(to path: String, overwrite: Bool = true, flush: Bool = true,
                             _ produce: (Output) throws -> Void) throws {
        let output = try openTemporary(for: path)
        do {
            try produce(output)
        } catch {
            discard(output)
            throw error
        }
        try commit(output, overwrite: overwrite, flush: flush)
    }

    private static func openTemporary(for path: String) throws(WriteError) -> Output {
        let temporary = temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .failed(path: path, reason: errorText()) }
        return Output(descriptor: descriptor, path: path, temporary: temporary)
    }

    private static func discard(_ output: Output) {
        close(output.descriptor)
        unlink(output.temporary)
    }

    /// Flushes the temporary file and moves it into place; on failure removes it and leaves the target alone.
    private static func commit(_ output: Output, overwrite: Bool, flush: Bool = true) throws(WriteError) {
        let path = output.path
        guard !flush || fsync(output.descriptor) == 0 else {
            let reason = errorText()
            discard(output)
            throw .failed(path: path, reason: reason)
        }
        close(output.descriptor)
        if overwrite {
            guard rename(output.temporary, path) == 0 else {
                let reason = errorText()
                unlink(output.temporary)
                throw .failed(path: path, reason: reason)
            }
        } else {
            // link() refuses to replace an existing file, so "create only if absent" holds even under a race.
            let linked = link(output.temporary, path) == 0
            let failure = errno
            let reason = errorText()
            unlink(output.temporary)
            guard linked else { throw failure == EEXIST ? .exists(path: path) : .failed(path: path, reason: reason) }
        }
    }

    /// Creates `path`'s folder and its parents when missing.
    public static func createDirectory(_ path: String) throws(WriteError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw .failed(path: path, reason: errorText())
            }
        }
    }

    private static func temporaryPath(for path: String) -> String {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        return directory + ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    }

    static func errorText() -> String {
        String(cString: strerror(errno))
    }
}

/// The C library's `write`, named apart from `Output.write`.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

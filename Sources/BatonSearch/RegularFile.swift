#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opening files that must be ordinary files: a symbolic link, a FIFO, a device or a folder in their place is
/// refused at once (a FIFO would otherwise block the reader forever, a link could publish a file from anywhere),
/// and a size limit is checked before a byte is read.
public enum RegularFile {
    /// Why a file was not read.
    public enum Failure: Error, Sendable, CustomStringConvertible, Equatable {
        case missing(path: String)
        case notRegular(path: String, what: String)
        case tooLarge(path: String, size: Int, limit: Int)
        case unreadable(path: String, reason: String)

        public var description: String {
            switch self {
            case .missing(let path): return "\(path): no such file"
            case .notRegular(let path, let what): return "\(path): is \(what), not a regular file; Baton reads only regular files"
            case .tooLarge(let path, let size, let limit):
                return "\(path): is \(RegularFile.megabytes(size)), above the limit of \(RegularFile.megabytes(limit))"
            case .unreadable(let path, let reason): return "\(path): cannot be read: \(reason)"
            }
        }

        /// The path the failure is about.
        public var path: String {
            switch self {
            case .missing(let path), .notRegular(let path, _), .tooLarge(let path, _, _), .unreadable(let path, _): return path
            }
        }
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1 << 20 ? "\(bytes >> 20) MB" : bytes >= 1024 ? "\(bytes >> 10) KB" : "\(bytes) bytes"
    }

    /// What is at `path` without following a final symbolic link: nil when nothing is.
    public static func kind(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return describe(info.st_mode)
    }

    /// "a regular file", "a symbolic link", "a FIFO", … for a file mode.
    static func describe(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a folder"
        case S_IFLNK: return "a symbolic link"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "not a regular file"
        }
    }

    /// Whether `path` is a regular file, not a link to one.
    public static func isRegular(_ path: String) -> Bool { kind(path) == "a regular file" }

    /// Opens `path` for reading when it is a regular file (never through a final symbolic link, never blocking on
    /// a FIFO) no larger than `limit`; returns the descriptor and the size. The caller closes the descriptor.
    static func open(_ path: String, limit: Int) throws(Failure) -> (descriptor: Int32, size: Int) {
        let descriptor = systemOpen(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { throw .missing(path: path) }
            if code == ELOOP { throw .notRegular(path: path, what: "a symbolic link") }
            throw .unreadable(path: path, reason: String(cString: strerror(code)))
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw .unreadable(path: path, reason: reason)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw .notRegular(path: path, what: describe(info.st_mode))
        }
        let size = Int(info.st_size)
        guard size <= limit else {
            close(descriptor)
            throw .tooLarge(path: path, size: size, limit: limit)
        }
        // Reads below should wait for the disk as usual.
        _ = fcntl(descriptor, F_SETFL, 0)
        return (descriptor, size)
    }

    /// The bytes of the regular file at `path`, refusing anything else and anything above `limit` bytes.
    public static func read(_ path: String, limit: Int = Int.max) throws(Failure) -> [UInt8] {
        let (descriptor, size) = try open(path, limit: limit)
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: size)
        var offset = 0
        while offset < size {
            let got = bytes.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress! + offset, size - offset)
            }
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }  // the file shrank while it was read
            offset += got
        }
        if offset < size { bytes.removeLast(size - offset) }
        return bytes
    }
}

/// The C library's `open` and `read`, named apart from `RegularFile.open` and `read`.
private func systemOpen(_ path: String, _ flags: Int32) -> Int32 { Glibc.open(path, flags) }
private func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    Glibc.read(descriptor, buffer, count)
}

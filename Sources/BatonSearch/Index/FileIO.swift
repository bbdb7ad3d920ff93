#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the index needs, without Foundation: atomic writes (temporary file, flush, rename),
/// whole-file reads, listing and removing files.
enum FileIO {
    /// Writes `bytes` as the whole file at `path`, atomically (see `StreamedFile`).
    static func write(_ bytes: [UInt8], to path: String) throws(IndexError) {
        let file = try StreamedFile(path: path, checksummed: 0)
        try file.write(bytes)
        try file.finish()
    }

    static func read(_ path: String) throws(IndexError) -> [UInt8] {
        let file = try MappedFile(path: path)
        return Array(file.buffer)
    }

    /// The size of the file at `path` in bytes, or 0 when it cannot be read.
    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    static func makeDirectory(_ path: String) throws(IndexError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw .io(path: path, reason: String(cString: strerror(errno)))
            }
        }
    }

    static func list(_ directory: String) -> [String] {
        guard let handle = opendir(directory) else { return [] }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func remove(_ path: String) {
        unlink(path)
    }
}

/// A file written piece by piece under a temporary name, flushed and renamed into place by `finish` (so it is
/// never seen half written), with the checksum of its first `checksummed` bytes kept as they pass. Pieces are
/// gathered in a buffer of a megabyte; larger ones go straight to the file. Dropped unfinished, the temporary
/// file is removed.
final class StreamedFile {
    let path: String
    private let temporary: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private static let bufferSize = 1 << 20
    private(set) var checksum: ChecksumStream
    /// Bytes written so far.
    private(set) var count = 0

    init(path: String, checksummed: Int) throws(IndexError) {
        self.path = path
        temporary = path + ".\(getpid()).tmp"
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        checksum = ChecksumStream(length: checksummed)
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit { abandon() }

    func write(_ bytes: [UInt8]) throws(IndexError) {
        // `withUnsafeBytes` rethrows untyped: the error is carried out of the closure instead.
        let failure = bytes.withUnsafeBytes { raw -> IndexError? in
            do throws(IndexError) { try write(raw) } catch { return error }
            return nil
        }
        if let failure { throw failure }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
        checksum.update(bytes)
        count += bytes.count
        if buffer.count + bytes.count > Self.bufferSize { try drain() }
        if bytes.count >= Self.bufferSize {
            try put(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    /// Zero bytes up to the next multiple of eight.
    func align() throws(IndexError) {
        let padding = (8 - count % 8) % 8
        if padding > 0 { try write([UInt8](repeating: 0, count: padding)) }
    }

    /// Writes what is buffered, syncs and renames the file into place.
    func finish() throws(IndexError) {
        try drain()
        let synced = fsync(descriptor) == 0
        close(descriptor)
        descriptor = -1
        guard synced, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .io(path: path, reason: reason)
        }
    }

    /// Closes and removes the temporary file, unless `finish` has renamed it.
    func abandon() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
        unlink(temporary)
    }

    private func drain() throws(IndexError) {
        guard !buffer.isEmpty else { return }
        let failure = buffer.withUnsafeBytes { raw -> IndexError? in
            do throws(IndexError) { try put(raw) } catch { return error }
            return nil
        }
        buffer.removeAll(keepingCapacity: true)
        if let failure { throw failure }
    }

    private func put(_ bytes: UnsafeRawBufferPointer) throws(IndexError) {
        var offset = 0
        while offset < bytes.count {
            let written = writeBytes(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                abandon()
                throw .io(path: path, reason: reason)
            }
            offset += written
        }
    }
}

/// The C library's `write`, named apart from `FileIO.write`.
private func writeBytes(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}

/// Bytes set aside on disk while a segment is written, so that what a merge encodes is not all held in memory:
/// an unnamed file (removed from its folder as soon as it is opened, so that nothing is left behind by a crash),
/// appended to, then copied once into the segment. A write that fails is reported by `copy`.
final class SpillFile {
    /// The path the file was opened at, for messages.
    let path: String
    private var descriptor: Int32
    private var failure: IndexError?
    /// Bytes written so far.
    private(set) var count = 0

    /// Opens a spill file at `path` (a name no other file has: it is created, not replaced).
    init(path: String) throws(IndexError) {
        self.path = path
        descriptor = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        unlink(path)
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Appends `bytes` (after a failure, nothing more is written).
    func append(_ bytes: [UInt8]) {
        guard failure == nil else { return }
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = writeBytes(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = .io(path: path, reason: String(cString: strerror(errno)))
                    return
                }
                offset += written
            }
        }
        count += bytes.count
    }

    /// Writes everything appended to `file`, a megabyte at a time, then closes this file (its space is freed).
    func copy(to file: StreamedFile) throws(IndexError) {
        if let failure { throw failure }
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        var offset = 0
        while offset < count {
            let wanted = min(chunk.count, count - offset)
            let read = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(offset)) }
            if read < 0 && errno == EINTR { continue }
            guard read > 0 else {
                throw .io(path: path, reason: read < 0 ? String(cString: strerror(errno)) : "shorter than written")
            }
            // `withUnsafeBytes` rethrows untyped: the error is carried out of the closure instead.
            let failed = chunk.withUnsafeBytes { raw -> IndexError? in
                do throws(IndexError) { try file.write(UnsafeRawBufferPointer(rebasing: raw[0..<read])) } catch { return error }
                return nil
            }
            if let failed { throw failed }
            offset += read
        }
        close(descriptor)
        descriptor = -1
    }
}

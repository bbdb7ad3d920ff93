#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only file mapped into memory, unmapped when released.
final class MappedFile: @unchecked Sendable {
    let path: String
    let base: UnsafeRawPointer
    let count: Int

    init(path: String) throws(IndexError) {
        self.path = path
        // Only a regular file: a FIFO or device put in the index folder must not block or feed the reader.
        let opened: (descriptor: Int32, size: Int)
        do {
            opened = try RegularFile.open(path, limit: Int.max)
        } catch {
            switch error {
            case .notRegular(_, let what): throw .corrupt(path: path, reason: "it is \(what), not a regular file")
            case .missing: throw .io(path: path, reason: "no such file")
            case .unreadable(_, let reason): throw .io(path: path, reason: reason)
            case .tooLarge: throw .io(path: path, reason: error.description)
            }
        }
        let descriptor = opened.descriptor
        defer { close(descriptor) }
        count = opened.size
        if count == 0 {
            // mmap refuses empty files; an empty file is simply truncated.
            base = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 8))
            return
        }
        // Safe: the mapping is private and read-only, lives as long as this object, and is unmapped in deinit.
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw .io(path: path, reason: String(cString: strerror(errno)))
        }
        base = UnsafeRawPointer(mapped)
    }

    var buffer: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// The bytes from `start` up to `end`, or nil when that is not a range inside the file. Safe: the range is
    /// checked against the mapping's size, and the view lives no longer than the caller keeps this file.
    func bytes(from start: Int, to end: Int) -> UnsafeRawBufferPointer? {
        guard start >= 0, start <= end, end <= count else { return nil }
        return UnsafeRawBufferPointer(start: base + start, count: end - start)
    }

    /// Hands back the pages wholly inside `start..<end` that have been read (a merge, done with a section): the
    /// next read of them reads the file again. Safe: the mapping is private and read-only, so dropping its pages
    /// loses nothing, and only whole pages inside the mapping are named.
    func release(from start: Int, to end: Int) {
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        guard count > 0, page > 0 else { return }
        let first = (max(0, start) + page - 1) / page * page
        let last = min(end, count) / page * page
        guard first < last else { return }
        _ = madvise(UnsafeMutableRawPointer(mutating: base + first), last - first, MADV_DONTNEED)
    }

    deinit {
        if count == 0 {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        } else {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        }
    }
}

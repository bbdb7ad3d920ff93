#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Constants of the segment file format (see FORMAT.md).
enum SegmentFormat {
    static let headerMagic: [UInt8] = Array("BATONSEG".utf8)
    static let footerMagic: [UInt8] = Array("BATONEND".utf8)
    static let version: UInt32 = 6
}

/// Why an index cannot be used. Every failure to read an index file ends here, never in a crash. The words say
/// what is wrong, not which command mends it: that is the caller's to say.
public enum IndexError: Error, Sendable, CustomStringConvertible, Equatable {
    case io(path: String, reason: String)
    case corrupt(path: String, reason: String)
    case unsupportedVersion(path: String, found: UInt32)
    case schemaMismatch(path: String)

    public var description: String {
        switch self {
        case .io(let path, let reason): return "\(path): \(reason)"
        case .corrupt(let path, let reason):
            return "\(path): the index file is damaged (\(reason)); the index has to be rebuilt"
        case .unsupportedVersion(let path, let found):
            return "\(path): index format version \(found) is not the one this Baton reads "
                + "(\(SegmentFormat.version)); the index has to be rebuilt"
        case .schemaMismatch(let path):
            return "\(path): the index was built with other fields; the index has to be rebuilt"
        }
    }
}

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

    deinit {
        if count == 0 {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        } else {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        }
    }
}

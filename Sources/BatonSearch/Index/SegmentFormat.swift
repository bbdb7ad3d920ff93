#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Constants of the segment file format (see FORMAT.md).
enum SegmentFormat {
    static let headerMagic: [UInt8] = Array("BATONSEG".utf8)
    static let footerMagic: [UInt8] = Array("BATONEND".utf8)
    static let version: UInt32 = 8
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

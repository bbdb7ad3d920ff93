#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock and monotonic time without Foundation.
enum Clock {
    static func secondsSinceEpoch() -> Int {
        Int(time(nil))
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Named points in Baton's writes where a crash test can end the process abruptly, as a kill or a power cut
/// would: `BATON_CRASH_AT=NAME:N` ends the process the N-th time the point NAME is passed (exit status 99),
/// leaving whatever is half done for the next command to recover. Unset, a point costs two comparisons.
public enum CrashPoint {
    nonisolated(unsafe) private static var counts: [String: Int] = [:]
    private static let setting: (name: String, count: Int)? = {
        guard let raw = getenv("BATON_CRASH_AT") else { return nil }
        let text = String(cString: raw)
        guard let colon = text.lastIndex(of: ":"), let count = Int(text[text.index(after: colon)...]) else { return nil }
        return (String(text[..<colon]), count)
    }()

    /// `BATON_STALL_AT=NAME`: waits at the point NAME for a minute instead, so a test can send a signal there.
    private static let stall: String? = getenv("BATON_STALL_AT").map { String(cString: $0) }

    /// Passes the point `name`; ends the process here when a crash test asked for it.
    public static func pass(_ name: String) {
        if let stall, stall == name { sleep(60) }
        guard let setting, setting.name == name else { return }
        let count = (counts[name] ?? 0) + 1
        counts[name] = count
        if count == setting.count { _exit(99) }
    }
}

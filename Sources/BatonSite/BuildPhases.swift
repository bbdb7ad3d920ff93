import Foundation

/// How long each phase of a build took, for `BATON_BUILD_PHASES=1 baton build` (printed on stderr): what a
/// profile of the build starts from. Phases on other threads are recorded where they end.
public final class BuildPhases: @unchecked Sendable {
    private let lock = NSLock()
    private let started = ContinuousClock.now
    private var last: ContinuousClock.Instant
    private var lastCPU: Double
    private(set) var entries: [(name: String, milliseconds: Double, cpu: Double)] = []

    public init() {
        last = started
        lastCPU = Self.threadCPU()
    }

    /// CPU time of the calling thread, in milliseconds.
    static func threadCPU() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) * 1000 + Double(spec.tv_nsec) / 1e6
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    /// Ends the phase that began when the last one on the main line ended.
    public func lap(_ name: String) {
        let now = ContinuousClock.now
        let cpu = Self.threadCPU()
        lock.lock()
        entries.append((name, Self.milliseconds(now - last), cpu - lastCPU))
        last = now
        lastCPU = cpu
        lock.unlock()
    }

    /// Records a phase timed apart (on another thread), from its start and the thread's CPU time then.
    func record(_ name: String, since start: ContinuousClock.Instant, cpu: Double) {
        let elapsed = Self.milliseconds(ContinuousClock.now - start)
        let used = Self.threadCPU() - cpu
        lock.lock()
        entries.append((name, elapsed, used))
        lock.unlock()
    }

    /// Laps for work on another thread (call it there): each call ends the step that began at the last call, or
    /// at the first when there was none, and records it under `prefix`.
    func laps(_ prefix: String) -> @Sendable (String) -> Void {
        final class Clock: @unchecked Sendable {
            var last = ContinuousClock.now
            var cpu = BuildPhases.threadCPU()
        }
        let clock = Clock()
        return { [self] name in
            record(prefix + name, since: clock.last, cpu: clock.cpu)
            clock.last = ContinuousClock.now
            clock.cpu = Self.threadCPU()
        }
    }

    /// One line per phase, then the total since this recorder was made.
    public var summary: String {
        lock.lock()
        defer { lock.unlock() }
        var lines = entries.map { String(format: "%8.1f ms  (this thread's CPU %8.1f ms)  %@", $0.milliseconds, $0.cpu, $0.name) }
        lines.append(String(format: "%8.1f ms  total", Self.milliseconds(ContinuousClock.now - started)))
        return lines.joined(separator: "\n")
    }
}

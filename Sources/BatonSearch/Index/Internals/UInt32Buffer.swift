#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A growable array of `UInt32` in manually managed memory, for the index writer's posting lists: appending is a
/// capacity check and a store, with none of `Array`'s uniqueness checks. Owned by exactly one `PostingList`,
/// which frees it; never copied out of it.
struct UInt32Buffer {
    private(set) var base: UnsafeMutablePointer<UInt32>?
    private(set) var count = 0
    private var capacity = 0

    @inline(__always)
    mutating func append(_ value: UInt32) {
        if count == capacity { grow() }
        base.unsafelyUnwrapped[count] = value
        count += 1
    }

    private mutating func grow() {
        capacity = capacity == 0 ? 4 : capacity * 2
        // Safe: `base` is nil or a block this buffer allocated; realloc keeps the contents.
        guard let grown = realloc(base, capacity * MemoryLayout<UInt32>.stride) else {
            fatalError("out of memory while indexing")
        }
        base = grown.assumingMemoryBound(to: UInt32.self)
    }

    @inline(__always)
    subscript(index: Int) -> UInt32 {
        get { base.unsafelyUnwrapped[index] }
        set { base.unsafelyUnwrapped[index] = newValue }
    }

    var last: UInt32? { count > 0 ? base.unsafelyUnwrapped[count - 1] : nil }

    /// Makes room for at least `minimum` values in all, so that appending up to there moves nothing.
    mutating func reserve(_ minimum: Int) {
        guard minimum > capacity else { return }
        capacity = minimum
        // Safe: as in `grow`.
        guard let grown = realloc(base, capacity * MemoryLayout<UInt32>.stride) else {
            fatalError("out of memory while indexing")
        }
        base = grown.assumingMemoryBound(to: UInt32.self)
    }

    /// Appends every value of `other`, each plus `offset`, in one copy.
    mutating func append(_ other: UInt32Buffer, adding offset: UInt32 = 0) {
        guard other.count > 0, let source = other.base else { return }
        if count + other.count > capacity { reserve(max(count + other.count, capacity * 2)) }
        // Safe: `reserve` made room for `other.count` more values past `count`, and `source` holds `other.count`
        // (two buffers never share memory: each owns its block).
        let target = base.unsafelyUnwrapped + count
        if offset == 0 {
            target.update(from: source, count: other.count)
        } else {
            for index in 0..<other.count { target[index] = source[index] &+ offset }
        }
        count += other.count
    }

    /// Empties the buffer, keeping its memory for what is appended next.
    mutating func removeAll() { count = 0 }

    /// Frees the memory; the buffer is empty afterwards.
    mutating func free() {
        if let base { releaseMemory(base) }
        base = nil
        count = 0
        capacity = 0
    }
}

/// The C library's `free`, named apart from `UInt32Buffer.free`.
private func releaseMemory(_ pointer: UnsafeMutablePointer<UInt32>) {
    free(pointer)
}

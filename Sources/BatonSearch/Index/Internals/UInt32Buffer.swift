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

    /// Appends every value of `other`, each plus `offset`.
    mutating func append(_ other: UInt32Buffer, adding offset: UInt32 = 0) {
        for index in 0..<other.count { append(other[index] &+ offset) }
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

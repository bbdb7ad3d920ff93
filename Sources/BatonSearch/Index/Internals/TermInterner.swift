#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps the raw bytes of a word, as it appears in text, to its term id, so that a word seen before costs one
/// hash of its bytes and no allocation. Open addressing over an arena of copied keys.
struct TermInterner {
    private var slots: [Int32]  // index into the entry arrays, or -1
    private var starts: [Int] = []
    private var lengths: [Int32] = []
    private var hashes: [UInt64] = []
    private var ids: [Int32] = []
    private var arena: [UInt8] = []
    private var mask: Int

    init() {
        slots = Array(repeating: -1, count: 1 << 14)
        mask = (1 << 14) - 1
    }

    /// A hash of the bytes, eight at a time (safe: whole words only where eight bytes remain, then single bytes).
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 &+ UInt64(bytes.count)
        let raw = UnsafeRawBufferPointer(bytes)
        var offset = 0
        while offset + 8 <= raw.count {
            hash = (hash ^ raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < raw.count {
            tail |= UInt64(raw[offset]) << shift
            shift += 8
            offset += 1
        }
        hash = (hash ^ tail) &* 0xC4CE_B9FE_1A85_EC53
        return hash ^ (hash >> 29)
    }

    /// The id stored for `bytes`, or nil.
    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry < 0 { return nil }
            if hashes[entry] == hash && Int(lengths[entry]) == bytes.count {
                let start = starts[entry]
                // Safe: the entry's bytes lie in the arena (copied there by `insert`), and both sides have
                // `bytes.count` bytes.
                let equal = arena.withUnsafeBufferPointer { stored in
                    memcmp(stored.baseAddress! + start, bytes.baseAddress!, bytes.count) == 0
                }
                if equal { return ids[entry] }
            }
            slot = (slot + 1) & mask
        }
    }

    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, id: Int32) {
        if (ids.count + 1) * 2 > slots.count { grow() }
        let entryIndex = Int32(ids.count)
        starts.append(arena.count)
        lengths.append(Int32(bytes.count))
        hashes.append(hash)
        ids.append(id)
        arena.append(contentsOf: bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entryIndex
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (index, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}

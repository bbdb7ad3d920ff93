#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps the raw bytes of a word, as it appears in text, to its term id, so that a word seen before costs one
/// hash of its bytes and no allocation. Open addressing; each slot holds what a lookup compares (part of the hash,
/// the length, the first eight bytes) and the id, so that a word of up to eight bytes is found with one slot
/// read (one cache miss), and a longer one compares the rest of its bytes in an arena of copied keys.
struct TermInterner {
    /// A word's hash and its first eight bytes (fewer: zero-padded), little-endian.
    struct Key {
        let hash: UInt64
        let prefix: UInt64
    }

    private struct Slot {
        var prefix: UInt64 = 0
        /// Where the word's bytes start in the arena.
        var start: UInt32 = 0
        /// 0: an empty slot (no word is empty).
        var length: UInt32 = 0
        /// The hash's low 32 bits: the slot a word starts probing at, and a cheap first comparison.
        var hash: UInt32 = 0
        var id: Int32 = -1
    }

    private var slots: [Slot]
    private var arena: [UInt8] = []
    private var mask: Int
    private(set) var count = 0

    init() {
        slots = Array(repeating: Slot(), count: 1 << 14)
        mask = (1 << 14) - 1
    }

    /// The hash of the bytes, eight at a time, and their first eight (safe: whole words only where eight bytes
    /// remain, then single bytes).
    @inline(__always)
    static func key(_ bytes: UnsafeBufferPointer<UInt8>) -> Key {
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
        let prefix = raw.count >= 8 ? UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self)) : tail
        return Key(hash: hash ^ (hash >> 29), prefix: prefix)
    }

    /// The id stored for `bytes` (whose key is `key`), or nil.
    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, key: Key) -> Int32? {
        let hash = UInt32(truncatingIfNeeded: key.hash)
        var index = Int(hash) & mask
        // Safe: `index` is masked to the table, whose size is `mask + 1`.
        return slots.withUnsafeBufferPointer { slots in
            while true {
                let slot = slots[index]
                if slot.length == 0 { return nil }
                if slot.hash == hash && slot.prefix == key.prefix && Int(slot.length) == bytes.count
                    && (bytes.count <= 8 || sameTail(bytes, at: Int(slot.start))) {
                    return slot.id
                }
                index = (index + 1) & mask
            }
        }
    }

    /// Whether the bytes after the first eight of `bytes` equal those stored at `start` (a word of the same
    /// length, longer than eight bytes).
    @inline(__always)
    private func sameTail(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        // Safe: the stored word's bytes lie in the arena (copied there by `insert`), and both sides have
        // `bytes.count` > 8 bytes.
        arena.withUnsafeBufferPointer { stored in
            memcmp(stored.baseAddress! + start + 8, bytes.baseAddress! + 8, bytes.count - 8) == 0
        }
    }

    /// Stores `id` for `bytes`, which `lookup` did not find.
    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, key: Key, id: Int32) {
        precondition(!bytes.isEmpty, "no word is empty")
        if (count + 1) * 2 > slots.count { grow() }
        var slot = Slot(prefix: key.prefix, start: 0, length: UInt32(bytes.count),
                        hash: UInt32(truncatingIfNeeded: key.hash), id: id)
        if bytes.count > 8 {
            precondition(arena.count + bytes.count <= Int(UInt32.max), "words of one segment within 4 GB")
            slot.start = UInt32(arena.count)
            arena.append(contentsOf: bytes)
        }
        place(slot)
        count += 1
    }

    private mutating func place(_ slot: Slot) {
        var index = Int(slot.hash) & mask
        while slots[index].length != 0 { index = (index + 1) & mask }
        slots[index] = slot
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        mask = slots.count - 1
        for slot in old where slot.length != 0 { place(slot) }
    }
}

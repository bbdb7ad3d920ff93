/// Maps the raw bytes of a word, as it appears in text, to its term id, so that a word seen before costs one
/// hash of its bytes and no allocation. Open addressing over an arena of copied keys.
struct TermInterner {
    private var slots: [Int32]  // index into entries, or -1
    private var entries: [(start: Int, length: Int, hash: UInt64, id: Int32)] = []
    private var arena: [UInt8] = []
    private var mask: Int

    init() {
        slots = Array(repeating: -1, count: 1 << 14)
        mask = (1 << 14) - 1
    }

    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash ^ (hash >> 31)
    }

    /// The id stored for `bytes`, or nil.
    @inline(__always)
    func lookup(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32? {
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entryIndex = slots[slot]
            if entryIndex < 0 { return nil }
            let entry = entries[Int(entryIndex)]
            if entry.hash == hash && entry.length == bytes.count {
                var equal = true
                arena.withUnsafeBufferPointer { stored in
                    for offset in 0..<entry.length where stored[entry.start + offset] != bytes[offset] {
                        equal = false
                        break
                    }
                }
                if equal { return entry.id }
            }
            slot = (slot + 1) & mask
        }
    }

    mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, hash: UInt64, id: Int32) {
        if (entries.count + 1) * 2 > slots.count { grow() }
        let entryIndex = Int32(entries.count)
        entries.append((arena.count, bytes.count, hash, id))
        arena.append(contentsOf: bytes)
        var slot = Int(truncatingIfNeeded: hash) & mask
        while slots[slot] >= 0 { slot = (slot + 1) & mask }
        slots[slot] = entryIndex
    }

    private mutating func grow() {
        let size = slots.count * 2
        slots = Array(repeating: -1, count: size)
        mask = size - 1
        for (index, entry) in entries.enumerated() {
            var slot = Int(truncatingIfNeeded: entry.hash) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}

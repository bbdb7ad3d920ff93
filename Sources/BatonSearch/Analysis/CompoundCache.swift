/// What was worked out for a run of UTF-8 bytes (a compound word), found again by those bytes without
/// building a string: the bytes are hashed in place (FNV-1a, 64 bits) and compared on a hit. A run whose hash
/// is taken by other bytes is worked out again each time rather than stored.
struct CompoundCache<Value> {
    private var entries: [UInt64: (bytes: [UInt8], value: Value)] = [:]

    mutating func value(for bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, make: () -> Value) -> Value {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in range {
            hash ^= UInt64(bytes[index])
            hash = hash &* 0x100_0000_01b3
        }
        if let entry = entries[hash] {
            if entry.bytes.elementsEqual(bytes[range]) { return entry.value }
            return make()
        }
        let value = make()
        entries[hash] = (Array(bytes[range]), value)
        return value
    }

    /// Whether the bytes are met for the first time (and notes them).
    mutating func isNew(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool where Value == Void {
        var new = false
        value(for: bytes, range) { new = true }
        return new
    }
}

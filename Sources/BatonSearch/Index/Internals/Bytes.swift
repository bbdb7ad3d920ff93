import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends integers and strings to a byte buffer: LEB128 variable-length integers, little-endian fixed integers.
struct ByteWriter {
    var bytes: [UInt8] = []

    var count: Int { bytes.count }

    mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    mutating func varint(_ value: Int) { varint(UInt64(value)) }
    mutating func varint(_ value: UInt32) { varint(UInt64(value)) }

    mutating func u32(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    mutating func u64(_ value: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func string(_ text: String) {
        varint(text.utf8.count)
        bytes.append(contentsOf: text.utf8)
    }

    mutating func raw(_ data: some Sequence<UInt8>) { bytes.append(contentsOf: data) }

    /// Pads with zeros to a multiple of `alignment`.
    mutating func align(_ alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }
}

/// Reads what `ByteWriter` wrote, from memory it does not own, never past `end`. Reads past the end set `failed`
/// and return zero, so a corrupt index yields an error from the caller's check, not a crash.
///
/// Safe because: every read first checks that its bytes lie in `0 ..< end`, and every reader is made with an
/// `end` inside the memory it reads (a segment's mapping, within the section bounds checked on open).
struct ByteReader {
    let base: UnsafeRawPointer
    var offset: Int
    let end: Int
    var failed = false

    init(base: UnsafeRawPointer, offset: Int, end: Int) {
        self.base = base
        self.offset = offset
        self.end = end
    }

    var atEnd: Bool { offset >= end }

    @inline(__always)
    mutating func byte() -> UInt8 {
        guard offset >= 0, offset < end else {
            failed = true
            return 0
        }
        let value = base.load(fromByteOffset: offset, as: UInt8.self)
        offset += 1
        return value
    }

    @inline(__always)
    mutating func varint() -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset >= 0, offset < end else {
                failed = true
                return 0
            }
            let byte = base.load(fromByteOffset: offset, as: UInt8.self)
            offset += 1
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
            if shift > 63 {
                failed = true
                return 0
            }
        }
    }

    @inline(__always)
    mutating func int() -> Int { Int(truncatingIfNeeded: varint()) }

    mutating func u32() -> UInt32 {
        guard offset >= 0, offset <= end - 4 else {
            failed = true
            return 0
        }
        let value = base.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset += 4
        return UInt32(littleEndian: value)
    }

    mutating func u64() -> UInt64 {
        guard offset >= 0, offset <= end - 8 else {
            failed = true
            return 0
        }
        let value = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
        offset += 8
        return UInt64(littleEndian: value)
    }

    mutating func bytes(_ count: Int) -> UnsafeRawBufferPointer {
        guard count >= 0, count <= end - offset else {
            failed = true
            return UnsafeRawBufferPointer(start: base, count: 0)
        }
        let slice = UnsafeRawBufferPointer(start: base + offset, count: count)
        offset += count
        return slice
    }

    mutating func string() -> String {
        let length = int()
        let raw = bytes(length)
        return String(decoding: raw, as: UTF8.self)
    }

    mutating func skip(_ count: Int) {
        if count < 0 || count > end - offset {
            failed = true
            offset = end
        } else {
            offset += count
        }
    }
}

/// A fast 64-bit checksum over bytes (eight at a time), for detecting corrupt or truncated index files. Safe:
/// every load lies inside the buffer it is given (whole words below `count / 8 * 8`, then single bytes).
enum Checksum {
    static func of(_ buffer: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(buffer.count)
        let words = buffer.count / 8
        var index = 0
        while index < words {
            let word = buffer.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
            hash = (hash ^ word) &* 0x0000_0100_0000_01B3
            hash ^= hash >> 29
            index += 1
        }
        var tail: UInt64 = 0
        for offset in (words * 8)..<buffer.count {
            tail = tail << 8 | UInt64(buffer[offset])
        }
        hash = (hash ^ tail) &* 0xFF51_AFD7_ED55_8CCD
        hash ^= hash >> 33
        return hash
    }
}

/// `Checksum.of` over bytes that arrive in pieces: the same value for the same `length` bytes however they are
/// cut. The length is part of the hash's seed, so it is given first. Safe: each word is loaded from inside the
/// piece it lies in (whole words below the piece's end) or assembled from the bytes carried over between pieces.
struct ChecksumStream {
    private var hash: UInt64
    /// Bytes of a word begun in an earlier piece (fewer than eight), lowest first.
    private var carry: UInt64 = 0
    private var carried = 0
    private(set) var count = 0
    let length: Int

    init(length: Int) {
        self.length = length
        hash = 0x9E37_79B9_7F4A_7C15 ^ UInt64(length)
    }

    private mutating func mix(_ word: UInt64) {
        hash = (hash ^ word) &* 0x0000_0100_0000_01B3
        hash ^= hash >> 29
    }

    /// Adds a piece; bytes past `length` are ignored (they follow the checksum in the file).
    mutating func update(_ buffer: UnsafeRawBufferPointer) {
        let usable = min(buffer.count, length - count)
        guard usable > 0 else { return }
        var index = 0
        // Finish a carried word, byte by byte.
        while carried > 0 && index < usable {
            carry |= UInt64(buffer[index]) << (8 * UInt64(carried))
            carried += 1
            index += 1
            if carried == 8 {
                mix(carry)
                carry = 0
                carried = 0
            }
        }
        // The words wholly within the piece, while they are whole words of the checksummed bytes.
        while usable - index >= 8 {
            mix(buffer.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            index += 8
        }
        while index < usable {
            carry |= UInt64(buffer[index]) << (8 * UInt64(carried))
            carried += 1
            index += 1
        }
        count += usable
    }

    /// The checksum, once `length` bytes have been added: the last `length % 8` bytes are the tail, read first
    /// byte highest as `Checksum.of` reads it.
    var value: UInt64 {
        var tail: UInt64 = 0
        for byte in 0..<carried { tail = tail << 8 | (carry >> (8 * UInt64(byte)) & 0xFF) }
        var result = (hash ^ tail) &* 0xFF51_AFD7_ED55_8CCD
        result ^= result >> 33
        return result
    }
}

/// Stored strings compared where they lie, with no String made.
enum StoredText {
    /// Whether the UTF-8 bytes `a` sort before `b` in the order Swift's String comparison gives them: their bytes
    /// where both are ASCII (the order of their scalars), else by decoding both.
    static func precedes(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.allSatisfy({ $0 < 0x80 }), b.allSatisfy({ $0 < 0x80 }) else {
            return String(decoding: a, as: UTF8.self) < String(decoding: b, as: UTF8.self)
        }
        let common = min(a.count, b.count)
        // Safe: both views hold at least `common` bytes, and none is read when it is 0 (a base may then be nil).
        let order = common == 0 ? 0 : memcmp(a.baseAddress!, b.baseAddress!, common)
        return order != 0 ? order < 0 : a.count < b.count
    }
}

/// The UTF-8 bytes of many strings in one buffer, to put them in byte order with `memcmp` (no array per string).
struct ByteKeys {
    private var bytes: [UInt8] = []
    /// String i's bytes are `bytes[ends[i - 1]..<ends[i]]` (from 0 for the first).
    private var ends: [Int] = []

    init(_ strings: [String]) {
        ends.reserveCapacity(strings.count)
        for var string in strings {
            string.withUTF8 { bytes.append(contentsOf: $0) }
            ends.append(bytes.count)
        }
    }

    /// The strings' numbers in the byte order of their UTF-8, each half of the list sorted on a thread of its own
    /// (with `threads` > 1), then the two merged.
    func sortedOrder(threads: Int) -> [Int] {
        let count = ends.count
        let halves = threads > 1 && count >= 4096 ? 2 : 1
        let cut = halves == 1 ? count : count / 2
        let sorted = Slots<[Int]>(count: halves)
        let keys = self
        DispatchQueue.concurrentPerform(iterations: halves) { half in
            let range = half == 0 ? 0..<cut : cut..<count
            sorted.set(half, keys.withPrecedes { precedes in range.sorted(by: precedes) })
        }
        guard halves == 2 else { return sorted.take(0) }
        let (low, high) = (sorted.take(0), sorted.take(1))
        return withPrecedes { precedes in
            var merged: [Int] = []
            merged.reserveCapacity(count)
            var (i, j) = (0, 0)
            while i < low.count && j < high.count {
                // Ties keep the lower half's first (no two terms are equal, but the order stays stable).
                if precedes(high[j], low[i]) {
                    merged.append(high[j])
                    j += 1
                } else {
                    merged.append(low[i])
                    i += 1
                }
            }
            merged.append(contentsOf: low[i...])
            merged.append(contentsOf: high[j...])
            return merged
        }
    }

    /// Calls `body` with a comparison of two strings' bytes by number.
    private func withPrecedes<Result>(_ body: ((Int, Int) -> Bool) -> Result) -> Result {
        bytes.withUnsafeBufferPointer { buffer in
            ends.withUnsafeBufferPointer { ends in
                body { a, b in
                    let aStart = a == 0 ? 0 : ends[a - 1]
                    let bStart = b == 0 ? 0 : ends[b - 1]
                    let aCount = ends[a] - aStart
                    let bCount = ends[b] - bStart
                    let common = min(aCount, bCount)
                    // Safe: both ranges lie in `buffer` (the ends are offsets into it, in order), and nothing is
                    // read when `common` is 0 (the base may then be nil).
                    let order = common == 0 ? 0 : memcmp(buffer.baseAddress! + aStart, buffer.baseAddress! + bStart, common)
                    return order != 0 ? order < 0 : aCount < bCount
                }
            }
        }
    }
}

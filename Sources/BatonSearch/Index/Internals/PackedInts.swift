/// Fixed-width bit packing of a block of unsigned numbers: `count` values of `width` bits each (0 to 32), least
/// significant bit first, the last byte padded with zeros. Every value of a block costs the same to read, with
/// no branch per value and no value depending on the one before, which is why postings use it for document
/// gaps and frequencies (Rice codes are smaller, but each one's length is known only once the one before is read).
enum PackedInts {
    /// Bytes that `count` values of `width` bits take.
    @inline(__always)
    static func byteCount(count: Int, width: Int) -> Int { (count &* width &+ 7) >> 3 }

    /// Bits needed for the largest of `values` (0 when all are zero).
    static func width<S: Sequence>(of values: S) -> Int where S.Element == UInt32 {
        var all: UInt32 = 0
        for value in values { all |= value }
        return UInt32.bitWidth - all.leadingZeroBitCount
    }

    /// Appends the values, `width` bits each, to `bytes`.
    static func pack<S: Sequence>(_ values: S, width: Int, into bytes: inout [UInt8]) where S.Element == UInt32 {
        guard width > 0 else { return }
        precondition(width <= 32, "values are 32 bits wide at most")
        let mask = (UInt64(1) << UInt64(width)) &- 1
        // Fewer than 32 bits wait in `buffer` between values, so a value of up to 32 more always fits.
        var buffer: UInt64 = 0
        var filled = 0
        for value in values {
            buffer |= (UInt64(value) & mask) << UInt64(filled)
            filled &+= width
            if filled >= 32 {
                withUnsafeBytes(of: UInt32(truncatingIfNeeded: buffer).littleEndian) { bytes.append(contentsOf: $0) }
                buffer >>= 32
                filled &-= 32
            }
        }
        while filled > 0 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            filled -= 8
        }
    }

    /// Appends a block as postings and positions lay it out: a width byte, then the values packed at that width.
    static func packWithWidth<C: Collection>(_ values: C, into bytes: inout [UInt8]) where C.Element == UInt32 {
        let width = width(of: values)
        bytes.append(UInt8(width))
        pack(values, width: width, into: &bytes)
    }

    /// Reads `count` values of `width` bits (1 to 32) starting at byte `offset` of `base` into `output`.
    ///
    /// The caller has checked that the packed bytes, `offset ..< offset + byteCount(count:width:)`, lie inside
    /// the data. `readable` is how many bytes from `base` may be read at all (the mapped file's size): where eight
    /// bytes from every value's first byte stay inside it, each value is one unaligned 8-byte load, shift and
    /// mask; the bits beyond the packed bytes that such a load brings in are masked off, never used. Near the
    /// end of the data the bytes are read one at a time, none past the packed ones.
    @inline(__always)
    static func unpack(base: UnsafeRawPointer, offset: Int, count: Int, width: Int, readable: Int,
                       into output: UnsafeMutablePointer<UInt32>) {
        let mask = (UInt64(1) << UInt64(width)) &- 1
        if offset &+ byteCount(count: count, width: width) &+ 8 <= readable {
            var bit = 0
            for index in 0..<count {
                // Safe: byte offset + (bit >> 3) + 8 ≤ offset + packed bytes + 8 ≤ readable (checked above).
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset &+ bit >> 3, as: UInt64.self))
                output[index] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
                bit &+= width
            }
            return
        }
        unpackNearTheEnd(base: base, offset: offset, count: count, width: width, into: output)
    }

    @inline(never)
    private static func unpackNearTheEnd(base: UnsafeRawPointer, offset: Int, count: Int, width: Int,
                                         into output: UnsafeMutablePointer<UInt32>) {
        let bytes = byteCount(count: count, width: width)
        let mask = (UInt64(1) << UInt64(width)) &- 1
        var bit = 0
        for index in 0..<count {
            // Safe: only the bytes of this value, all before offset + packed bytes (checked by the caller).
            let first = bit >> 3
            let last = min(bytes, (bit &+ width &+ 7) >> 3)
            var word: UInt64 = 0
            for byte in first..<last {
                word |= UInt64(base.load(fromByteOffset: offset &+ byte, as: UInt8.self)) << UInt64((byte &- first) * 8)
            }
            output[index] = UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
            bit &+= width
        }
    }

    /// The value at `index` of values packed at `width` bits (1 to 32) from byte `offset`: one value read
    /// alone, where a caller wants a few values of a long run. The caller has checked that the value's bytes lie
    /// inside the data; `readable` is as for `unpack`.
    @inline(__always)
    static func value(base: UnsafeRawPointer, offset: Int, index: Int, width: Int, readable: Int) -> UInt32 {
        let bit = index &* width
        let first = offset &+ bit >> 3
        let mask = (UInt64(1) << UInt64(width)) &- 1
        if first &+ 8 <= readable {
            // Safe: first + 8 ≤ readable (checked just above).
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: first, as: UInt64.self))
            return UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
        }
        var word: UInt64 = 0
        // Safe: only the value's own bytes, inside the data (checked by the caller).
        for byte in 0..<((bit & 7) &+ width &+ 7) >> 3 {
            word |= UInt64(base.load(fromByteOffset: first &+ byte, as: UInt8.self)) << UInt64(byte * 8)
        }
        return UInt32(truncatingIfNeeded: (word >> UInt64(bit & 7)) & mask)
    }
}

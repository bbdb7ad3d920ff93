import Testing

@testable import BatonSearch

@Suite struct PackedIntsTests {
    /// Every width, at every length of a block, read both ways: with room for 8-byte loads after the packed
    /// bytes, and as the last bytes of the buffer (the byte-at-a-time path), which must read none past them.
    @Test func packedValuesRoundTripAtEveryWidthAndNearTheEnd() {
        var generator = SystemRandomNumberGenerator()
        for width in 0...32 {
            for count in [1, 2, 7, 8, 9, 63, 127, 128] {
                let values = (0..<count).map { _ in
                    width == 0 ? 0 : UInt32(truncatingIfNeeded: UInt64.random(in: 0...UInt64(UInt32.max), using: &generator)
                        & ((1 << UInt64(width)) - 1))
                }
                #expect(PackedInts.width(of: values) <= width)
                var packed: [UInt8] = [0xAB]
                PackedInts.pack(values, width: width, into: &packed)
                #expect(packed.count == 1 + PackedInts.byteCount(count: count, width: width))
                guard width > 0 else { continue }
                for padding in [16, 0] {
                    let bytes = packed + [UInt8](repeating: 0xFF, count: padding)
                    var output = [UInt32](repeating: 7, count: count)
                    bytes.withUnsafeBytes { raw in
                        output.withUnsafeMutableBufferPointer { out in
                            PackedInts.unpack(base: raw.baseAddress!, offset: 1, count: count, width: width,
                                              readable: raw.count, into: out.baseAddress!)
                        }
                    }
                    #expect(output == values, "width \(width), \(count) values, \(padding) bytes after")
                    let single = bytes.withUnsafeBytes { raw in
                        (0..<count).map { PackedInts.value(base: raw.baseAddress!, offset: 1, index: $0, width: width,
                                                           readable: raw.count) }
                    }
                    #expect(single == values, "one at a time: width \(width), \(count) values, \(padding) bytes after")
                }
            }
        }
        #expect(PackedInts.width(of: [0, 5, 1]) == 3)
        #expect(PackedInts.width(of: [UInt32.max]) == 32)
    }
}

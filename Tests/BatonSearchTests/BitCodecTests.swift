import Testing

@testable import BatonSearch

@Suite struct BitCodecTests {
    @Test func randomValuesRoundTripInEveryCode() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            var writer = BitWriter()
            var expected: [(kind: Int, value: UInt64, k: Int)] = []
            for _ in 0..<Int.random(in: 1...400, using: &generator) {
                let kind = Int.random(in: 0...2, using: &generator)
                let k = Int.random(in: 0...20, using: &generator)
                let value: UInt64
                switch kind {
                case 0:
                    value = UInt64.random(in: 0...(1 << 24), using: &generator) >> UInt64.random(in: 0...24, using: &generator)
                    writer.rice(value, k: k)
                case 1:
                    value = UInt64.random(in: 1...(1 << 40), using: &generator) >> UInt64.random(in: 0...39, using: &generator) | 1
                    writer.gamma(value)
                default:
                    value = UInt64.random(in: 0...UInt64.max, using: &generator) & ((1 << UInt64(k)) - 1)
                    writer.write(value, bits: k)
                }
                expected.append((kind, value, k))
            }
            let bytes = writer.finish()
            bytes.withUnsafeBytes { raw in
                var reader = BitReader(base: raw.baseAddress!, offset: 0, end: raw.count)
                for item in expected {
                    switch item.kind {
                    case 0: #expect(reader.rice(k: item.k) == item.value)
                    case 1: #expect(reader.gamma() == item.value)
                    default: #expect(reader.read(bits: item.k) == item.value)
                    }
                }
                #expect(!reader.failed)
            }
        }
    }

    @Test func readingPastTheEndFailsWithoutCrashing() {
        let bytes: [UInt8] = [0, 0]
        bytes.withUnsafeBytes { raw in
            var reader = BitReader(base: raw.baseAddress!, offset: 0, end: raw.count)
            _ = reader.gamma()
            #expect(reader.failed)
        }
    }

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
                }
            }
        }
        #expect(PackedInts.width(of: [0, 5, 1]) == 3)
        #expect(PackedInts.width(of: [UInt32.max]) == 32)
    }
}

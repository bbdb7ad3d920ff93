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
}

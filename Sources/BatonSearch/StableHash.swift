/// 64-bit FNV-1a over text, each piece closed by a byte text never has, so that ("ab", "c") and ("a", "bc")
/// differ. Stable across runs and machines (unlike `Hasher`): for fingerprints and versioned file names.
public struct StableHash: Sendable {
    public private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    public mutating func add(_ text: String) {
        var text = text
        var value = self.value
        // Its UTF-8 bytes where they lie (a native string's): no per-byte overhead of the generic version.
        text.withUTF8 { buffer in
            for byte in buffer {
                value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        self.value = (value ^ 0xFF) &* 0x0000_0100_0000_01B3
    }

    /// The same as the generic version, without its per-byte overhead across modules.
    public mutating func add(bytes: [UInt8]) {
        var value = self.value
        bytes.withUnsafeBufferPointer { buffer in
            for byte in buffer {
                value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            }
        }
        self.value = (value ^ 0xFF) &* 0x0000_0100_0000_01B3
    }

    public mutating func add(bytes: some Sequence<UInt8>) {
        for byte in bytes {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        value = (value ^ 0xFF) &* 0x0000_0100_0000_01B3
    }

    /// The hash's low bits as `count` base64url characters (six bits each).
    public func base64(_ count: Int) -> String {
        var text = ""
        var rest = value
        for _ in 0..<count {
            text.unicodeScalars.append(Unicode.Scalar(VLQ.alphabet[Int(rest & 63)]))
            rest >>= 6
        }
        return text
    }
}

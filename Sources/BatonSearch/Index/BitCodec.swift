/// Bit-level codes for postings and positions: Rice codes (a unary quotient and k remainder bits; near optimal
/// for gaps that follow a geometric distribution) and Elias gamma (small numbers in few bits). Bits are written
/// least significant first.
struct BitWriter {
    private(set) var bytes: [UInt8] = []
    private var buffer: UInt64 = 0
    private var filled = 0

    @inline(__always)
    mutating func write(_ value: UInt64, bits: Int) {
        guard bits > 0 else { return }
        let value = bits == 64 ? value : value & ((1 << UInt64(bits)) - 1)
        if filled + bits < 64 {
            buffer |= value << UInt64(filled)
            filled += bits
            return
        }
        // The buffer fills up: store its eight bytes and keep what did not fit.
        let take = 64 - filled
        buffer |= value << UInt64(filled)
        appendWord(buffer)
        buffer = take == 64 ? 0 : value >> UInt64(take)
        filled = bits - take
    }

    @inline(__always)
    private mutating func appendWord(_ word: UInt64) {
        withUnsafeBytes(of: word.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// `count` zero bits, then a one.
    @inline(__always)
    mutating func unary(_ count: Int) {
        var count = count
        while count >= 32 {
            write(0, bits: 32)
            count -= 32
        }
        write(1 << UInt64(count), bits: count + 1)
    }

    @inline(__always)
    mutating func rice(_ value: UInt64, k: Int) {
        unary(Int(value >> UInt64(k)))
        write(value, bits: k)
    }

    /// Elias gamma of a value ≥ 1.
    @inline(__always)
    mutating func gamma(_ value: UInt64) {
        let width = 64 - value.leadingZeroBitCount
        unary(width - 1)
        write(value, bits: width - 1)
    }

    /// The bytes, the last one padded with zeros.
    mutating func finish() -> [UInt8] {
        while filled > 0 {
            bytes.append(UInt8(truncatingIfNeeded: buffer))
            buffer >>= 8
            filled = max(0, filled - 8)
        }
        buffer = 0
        return bytes
    }

    /// The Rice parameter that suits values whose mean is `mean`.
    static func riceParameter(mean: Double) -> Int {
        guard mean > 1 else { return 0 }
        return min(30, max(0, Int((mean * 0.69).rounded(.down)).bitWidthNeeded - 1))
    }
}

extension Int {
    /// Bits needed to write the value (0 for 0).
    var bitWidthNeeded: Int { self <= 0 ? 0 : Int.bitWidth - leadingZeroBitCount }
}

/// Reads what `BitWriter` wrote, from mapped memory, never past `end`. Past the end it reads zeros and sets
/// `failed`.
struct BitReader {
    let base: UnsafeRawPointer
    private var offset: Int
    let end: Int
    private var buffer: UInt64 = 0
    private var available = 0
    private(set) var failed = false

    init(base: UnsafeRawPointer, offset: Int, end: Int) {
        self.base = base
        self.offset = offset
        self.end = end
    }

    @inline(__always)
    private mutating func refill() {
        if end - offset >= 8 && available <= 56 {
            // Whole bytes that fit in the buffer, loaded at once.
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            let take = (64 - available) / 8
            let bits = take * 8
            buffer |= (bits == 64 ? word : word & ((1 << UInt64(bits)) - 1)) << UInt64(available)
            available += bits
            offset += take
            return
        }
        while available <= 56 {
            guard offset < end else { return }
            buffer |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << UInt64(available)
            available += 8
            offset += 1
        }
    }

    @_transparent
    mutating func read(bits: Int) -> UInt64 {
        guard bits > 0 else { return 0 }
        if available < bits {
            refill()
            // More bits than one refill holds, or the end of the data: the rare path, out of line, so that this
            // one (not recursive) inlines into the decoders.
            if available < bits { return readSlowly(bits: bits) }
        }
        let value = buffer & ((1 << UInt64(bits)) - 1)
        buffer >>= UInt64(bits)
        available -= bits
        return value
    }

    @inline(never)
    private mutating func readSlowly(bits: Int) -> UInt64 {
        if bits > 56 {
            let low = read(bits: 32)
            return low | read(bits: bits - 32) << 32
        }
        failed = true
        available = bits
        let value = buffer & ((1 << UInt64(bits)) - 1)
        buffer >>= UInt64(bits)
        available -= bits
        return value
    }

    @_transparent
    mutating func unary() -> Int {
        var count = 0
        while true {
            if available == 0 { refill() }
            if available == 0 {
                failed = true
                return count
            }
            if buffer == 0 {
                count += available
                available = 0
                continue
            }
            let zeros = buffer.trailingZeroBitCount
            if zeros >= available {
                count += available
                buffer = 0
                available = 0
                continue
            }
            buffer >>= UInt64(zeros + 1)
            available -= zeros + 1
            return count + zeros
        }
    }

    @_transparent
    mutating func rice(k: Int) -> UInt64 {
        let quotient = UInt64(unary())
        return quotient << UInt64(k) | read(bits: k)
    }

    @_transparent
    mutating func gamma() -> UInt64 {
        let width = unary()
        guard width < 64 else {
            failed = true
            return 1
        }
        return 1 << UInt64(width) | read(bits: width)
    }
}

/// A posting's count in each text field, held inline (a schema has eight text fields at most, as field masks are
/// bytes): reading or setting one costs no reference counting, no uniqueness check and no bounds trap.
///
/// Not `SIMD8<UInt32>`: setting one lane of a vector compiles to loading the vector, storing the lane and loading
/// it again, a stalled store-to-load forward that was over half of decoding a posting. Eight stored words are
/// read and written one at a time.
///
/// Safe because: the field number is masked to 0…7, so every access lies inside the eight words.
struct FieldCounts: Equatable {
    private var storage: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 0, 0, 0, 0, 0)

    init() {}

    @inline(__always)
    subscript(field: Int) -> UInt32 {
        get { withUnsafeBytes(of: storage) { $0.load(fromByteOffset: (field & 7) &* 4, as: UInt32.self) } }
        set { withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: (field & 7) &* 4, as: UInt32.self) } }
    }

    static func == (a: FieldCounts, b: FieldCounts) -> Bool {
        (0..<8).allSatisfy { a[$0] == b[$0] }
    }
}

/// Eight numbers, one per text field, held inline and read one at a time (see `FieldCounts` on why not a SIMD
/// vector: indexing one by a variable spilled the whole vector to the stack on every read).
///
/// Safe because: the field number is masked to 0…7, so every access lies inside the eight numbers.
struct FieldNumbers {
    private var storage: (Double, Double, Double, Double, Double, Double, Double, Double) = (0, 0, 0, 0, 0, 0, 0, 0)

    init() {}

    @inline(__always)
    subscript(field: Int) -> Double {
        get { withUnsafeBytes(of: storage) { $0.load(fromByteOffset: (field & 7) &* 8, as: Double.self) } }
        set { withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: newValue, toByteOffset: (field & 7) &* 8, as: Double.self) } }
    }
}

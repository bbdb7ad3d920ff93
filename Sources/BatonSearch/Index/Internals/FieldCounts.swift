/// One value per text field (a schema has eight text fields at most, as field masks are bytes), held inline:
/// reading or setting one costs no reference counting, no uniqueness check and no bounds trap.
///
/// Not a SIMD vector: setting one lane compiles to loading the vector, storing the lane and loading it again, a
/// stalled store-to-load forward that was over half of decoding a posting, and reading a lane by a variable
/// spilled the vector to the stack. Eight stored values are read and written one at a time.
///
/// Safe because: the field number is masked to 0…7, so every access lies inside the eight values, and `Value`
/// is a plain number (`BitwiseCopyable`), so reading and writing its bytes is reading and writing it.
struct PerField<Value: BitwiseCopyable> {
    private var storage: (Value, Value, Value, Value, Value, Value, Value, Value)

    init(repeating value: Value) {
        storage = (value, value, value, value, value, value, value, value)
    }

    @inline(__always)
    subscript(field: Int) -> Value {
        get {
            withUnsafeBytes(of: storage) { $0.load(fromByteOffset: (field & 7) &* MemoryLayout<Value>.stride, as: Value.self) }
        }
        set {
            withUnsafeMutableBytes(of: &storage) {
                $0.storeBytes(of: newValue, toByteOffset: (field & 7) &* MemoryLayout<Value>.stride, as: Value.self)
            }
        }
    }
}

extension PerField: Equatable where Value: Equatable {
    static func == (a: Self, b: Self) -> Bool {
        (0..<8).allSatisfy { a[$0] == b[$0] }
    }
}

/// A posting's count in each text field.
typealias FieldCounts = PerField<UInt32>

/// One number per text field (a BM25F weight, a length factor), in memory of its own that scoring loops read
/// directly: held inline as eight values, every read by a field number spilled all eight to the stack first.
final class FieldNumberStorage {
    private let values: UnsafeMutablePointer<Double>

    /// The numbers of fields 0, 1, …; fields past them (up to the eighth) read 0.
    init(_ numbers: [Double]) {
        values = .allocate(capacity: 8)
        values.initialize(repeating: 0, count: 8)
        for (field, number) in numbers.prefix(8).enumerated() { values[field] = number }
    }

    deinit { values.deallocate() }

    var table: FieldNumberTable { FieldNumberTable(values: UnsafePointer(values)) }
}

/// A view of a `FieldNumberStorage` with no reference in it.
///
/// Safe because: it is made only from a storage, and used only while that storage is alive (the scorer that
/// holds the storage is held by every matcher holding a table); the storage has eight values and a read masks
/// the field number to 0…7.
struct FieldNumberTable {
    private let values: UnsafePointer<Double>

    init(values: UnsafePointer<Double>) { self.values = values }

    @inline(__always)
    subscript(field: Int) -> Double { values[field & 7] }
}

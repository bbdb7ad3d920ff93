/// Numbers per text field (a BM25F weight, a length factor; or one per field and small frequency), in memory of
/// their own that scoring loops read directly: held inline as eight values, every read by a field number spilled
/// all eight to the stack first. Laid out a column at a time: column c of field f is value c · 8 + f.
final class FieldNumberStorage {
    /// Frequencies 1…`small` have a column each in a storage made for `frequencyTable`.
    static let small: UInt32 = 16
    private let values: UnsafeMutablePointer<Double>
    private let columns: Int

    /// The numbers of fields 0, 1, …; fields past them (up to the eighth) read 0.
    convenience init(_ numbers: [Double]) {
        self.init(columns: 1, fields: UInt8((1 << min(numbers.count, 8)) - 1)) { field, _ in numbers[field] }
    }

    /// `value(field, tf)` for every field of `fields` (bits) and tf 1…`small`; the other fields read 0. Its
    /// `frequencyTable` reads them.
    convenience init(frequencies fields: UInt8, _ value: (Int, UInt32) -> Double) {
        self.init(columns: Int(Self.small), fields: fields) { field, column in value(field, UInt32(column + 1)) }
    }

    private init(columns: Int, fields: UInt8, _ value: (Int, Int) -> Double) {
        self.columns = columns
        values = .allocate(capacity: 8 * columns)
        values.initialize(repeating: 0, count: 8 * columns)
        var remaining = fields
        while remaining != 0 {
            let field = remaining.trailingZeroBitCount
            remaining &= remaining &- 1
            for column in 0..<columns { values[column * 8 + field] = value(field, column) }
        }
    }

    deinit { values.deallocate() }

    /// The first column.
    var table: FieldNumberTable { FieldNumberTable(values: UnsafePointer(values)) }

    /// The columns of a storage made with `init(frequencies:_:)`.
    var frequencyTable: FrequencyTable {
        precondition(columns == Int(Self.small), "a frequency table needs a column per small frequency")
        return FrequencyTable(values: UnsafePointer(values))
    }
}

/// A view of a `FieldNumberStorage`'s first column with no reference in it.
///
/// Safe because: it is made only from a storage, and used only while that storage is alive (the scorer that
/// holds the storage is held by every matcher holding a table); a storage has at least eight values and a read
/// masks the field number to 0…7.
struct FieldNumberTable {
    private let values: UnsafePointer<Double>

    init(values: UnsafePointer<Double>) { self.values = values }

    @inline(__always)
    subscript(field: Int) -> Double { values[field & 7] }
}

/// A view of a `FieldNumberStorage` with a column per frequency 1…16, with no reference in it: a term's score
/// bound per field and count, read by the scoring loops in place of a division.
///
/// Safe because: it is made only from a storage of 16 columns (checked) and used only while that storage is
/// alive (the matcher that reads it holds the storage); a read masks the field to 0…7 and the frequency less one
/// to 0…15, so it lies inside the storage's 8 × 16 values (callers pass 1…16).
struct FrequencyTable {
    private let values: UnsafePointer<Double>

    init(values: UnsafePointer<Double>) { self.values = values }

    @inline(__always)
    subscript(field: Int, tf: UInt32) -> Double {
        values[Int((tf &- 1) & (FieldNumberStorage.small - 1)) &* 8 &+ (field & 7)]
    }
}

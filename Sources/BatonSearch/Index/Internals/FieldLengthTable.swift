/// The field lengths of a segment's documents, one column per field, copied out of the file's document records
/// when the segment opens. Scoring reads a length for every candidate document, in document order, nearly always
/// of the same field: a column keeps those reads on few cache lines and memory pages (the records interleave
/// offsets and every field, 32 bytes a document).
final class FieldLengthColumns: @unchecked Sendable {
    let values: UnsafeMutablePointer<UInt32>
    let documentCount: Int
    let fieldCount: Int

    /// Reads the lengths from the records: `documentCount` records of `stride` bytes from `start`, the field
    /// lengths at byte `lengthsAt` of each.
    ///
    /// Safe because the segment checked on open that every record lies inside its mapped file.
    init(start: UnsafeRawPointer, stride: Int, lengthsAt: Int, documentCount: Int, fieldCount: Int) {
        self.documentCount = documentCount
        self.fieldCount = fieldCount
        values = .allocate(capacity: max(1, documentCount * fieldCount))
        for doc in 0..<documentCount {
            for field in 0..<fieldCount {
                values[field * documentCount + doc] = UInt32(littleEndian: start.loadUnaligned(
                    fromByteOffset: doc &* stride &+ lengthsAt &+ 4 &* field, as: UInt32.self))
            }
        }
    }

    deinit { values.deallocate() }

    var table: FieldLengthTable { FieldLengthTable(values: values, documentCount: documentCount, fieldCount: fieldCount) }
}

/// A view of a segment's field length columns with no reference in it, so that scoring loops can hold it and
/// read a length without reference counting or exclusivity checks.
///
/// Safe because: it is made only from a segment's `FieldLengthColumns`, and used only while that segment is
/// alive (a scorer keeps its segment, the segment its columns); a read outside the table, which only damage
/// could ask for, returns 0 instead of reading.
struct FieldLengthTable {
    private let values: UnsafePointer<UInt32>
    private let documentCount: Int
    private let fieldCount: Int

    init(values: UnsafeMutablePointer<UInt32>, documentCount: Int, fieldCount: Int) {
        self.values = UnsafePointer(values)
        self.documentCount = documentCount
        self.fieldCount = fieldCount
    }

    @inline(__always)
    func length(doc: Int, field: Int) -> Int {
        guard doc >= 0, doc < documentCount, field >= 0, field < fieldCount else { return 0 }
        return Int(values[field &* documentCount &+ doc])
    }
}

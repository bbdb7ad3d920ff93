/// The field lengths of a segment's documents, read straight from its mapped file: a value with no reference in
/// it, so that scoring loops can hold it and read a length without reference counting or exclusivity checks.
///
/// Safe because: it is made only by `Segment.fieldLengthTable`, from the segment's own mapping and the bounds the
/// segment checked on open (every record of `documentCount` lies inside the file); it is used only while that
/// segment is alive (a scorer keeps its segment); and a read outside the table, which only damage could ask for,
/// returns 0 instead of reading.
struct FieldLengthTable {
    /// The first document's first field length.
    private let start: UnsafeRawPointer
    /// Bytes from one document's record to the next.
    private let stride: Int
    private let documentCount: Int
    private let fieldCount: Int

    init(start: UnsafeRawPointer, stride: Int, documentCount: Int, fieldCount: Int) {
        self.start = start
        self.stride = stride
        self.documentCount = documentCount
        self.fieldCount = fieldCount
    }

    @inline(__always)
    func length(doc: Int, field: Int) -> Int {
        guard doc >= 0, doc < documentCount, field >= 0, field < fieldCount else { return 0 }
        return Int(UInt32(littleEndian: start.loadUnaligned(fromByteOffset: doc &* stride &+ 4 &* field, as: UInt32.self)))
    }
}

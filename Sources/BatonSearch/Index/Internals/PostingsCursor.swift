/// Walks one term's postings a document at a time, skipping whole blocks when asked to advance.
///
/// A block's documents and frequencies are bit-packed (`PackedInts`); the cursor unpacks a whole block into its
/// buffer the first time a document in it is wanted — never for a block skipped on its header alone — and then
/// moves through the buffer. Positions are decoded only when asked for, for the current document.
struct PostingsCursor {
    let base: UnsafeRawPointer
    /// Bytes readable from `base` (the mapped file's size).
    private let readable: Int
    private var reader: ByteReader
    let positionsStart: Int
    let positionsEnd: Int
    let fieldCount: Int
    let termMask: UInt8
    private let mainField: Int
    /// The fields other than the main one that the term occurs in, as bits (walked lowest first: the order the
    /// writer wrote their frequencies in). Bits, not an array: reading an array's count was a call per posting.
    private let otherFields: UInt8
    private let singleBlock: Bool
    private let documentFrequency: Int
    /// The segment's document count: a document number at or past it is damage.
    private let documentLimit: Int64

    /// The unpacked block: `capacity` document numbers, then `capacity` frequencies in the main field, then as
    /// many for each other field of the term, in field order. `slots` is `buffer`'s memory, read without
    /// reference counting; `buffer` keeps it alive.
    private let buffer: PostingsBuffer
    private let slots: UnsafeMutablePointer<UInt32>
    private let capacity: Int

    /// The current document, or `UInt32.max` when exhausted.
    private(set) var doc: UInt32 = 0
    /// Term frequency per text field in the current document (held inline: reading it costs no reference counting).
    private(set) var tfs = FieldCounts(repeating: 0)
    private(set) var started = false
    private var decodeFailed = false

    // The current block.
    /// Documents in the block whose header was read last (0 before the first and after the last block).
    private var blockCount = 0
    private var blockDecoded = false
    /// The current document's place in the block; −1 before the first.
    private var index = -1
    private var bodyStart = 0
    private var bodyEnd = 0
    private(set) var blockLastDoc: UInt32 = 0
    /// The last document of the blocks before the current one (−1 at the start).
    private var previousDoc: Int64 = -1
    /// The current block's highest weighted, length-normalised frequency (computed with the segment's own
    /// averages and b = 0.75); nil for a single-block term, whose bounds are the term's.
    private(set) var blockMaxNorm: Double?
    private var positionsOffset = 0
    private var currentTotal = 0
    /// The current block's positions, read a chunk of `positionChunk` gaps at a time: the document whose
    /// positions come next and the number (within the block) of its first; the chunk at hand (its offset, the
    /// number of its first gap, its width, whether its bytes were checked to lie inside the positions); the block's count of positions
    /// (−1 until needed).
    private var positionIndex = 0
    private var positionNumber = 0
    private var chunkOffset = 0
    private var chunkFirst = 0
    private var chunkWidth = -1
    private var chunkLoaded = false
    private var positionCount = -1

    init(base: UnsafeRawPointer, readable: Int, start: Int, end: Int, positionsStart: Int, positionsEnd: Int,
         documentLimit: Int, fieldCount: Int, termMask: UInt8, mainField: Int, documentFrequency: Int) {
        self.base = base
        self.readable = readable
        self.reader = ByteReader(base: base, offset: start, end: end)
        self.positionsStart = positionsStart
        self.positionsEnd = positionsEnd
        self.documentLimit = Int64(documentLimit)
        self.fieldCount = fieldCount
        self.termMask = termMask
        self.mainField = mainField
        let otherFields = termMask & ~(mainField < 8 ? UInt8(1) << UInt8(mainField) : 0)
            & (fieldCount >= 8 ? 0xFF : (UInt8(1) << UInt8(fieldCount)) &- 1)
        self.otherFields = otherFields
        self.documentFrequency = documentFrequency
        self.singleBlock = documentFrequency <= SegmentWriter.blockSize
        capacity = max(1, min(documentFrequency, SegmentWriter.blockSize))
        buffer = PostingsBuffer(count: capacity * (2 + otherFields.nonzeroBitCount))
        slots = buffer.slots
    }

    var isExhausted: Bool { doc == .max }
    var failed: Bool { reader.failed || decodeFailed }

    /// Reads the next block header; false at the end.
    private mutating func loadBlock() -> Bool {
        guard !reader.atEnd, !reader.failed else { return exhaust() }
        var blockPositions = 0
        if singleBlock {
            blockCount = documentFrequency
            bodyEnd = reader.end
            blockLastDoc = .max
        } else {
            blockCount = reader.int()
            blockLastDoc = UInt32(truncatingIfNeeded: previousDoc &+ Int64(truncatingIfNeeded: reader.varint()))
            let bodyLength = reader.int()
            // A body must lie ahead of the header and inside the list; anything else is damage.
            guard bodyLength >= 0, bodyLength <= reader.end - reader.offset else { return exhaust() }
            blockPositions = reader.int()
            blockMaxNorm = Double(Float(bitPattern: reader.u32()))
            bodyEnd = reader.offset + bodyLength
        }
        guard !reader.failed, blockCount > 0, blockCount <= capacity, bodyEnd <= reader.end else {
            return exhaust()
        }
        bodyStart = reader.offset
        reader.offset = bodyEnd
        index = -1
        blockDecoded = false
        // Inside the term's positions, whatever the header says (a damaged one makes the reads fail, not stray).
        positionsOffset = blockPositions >= 0 && blockPositions <= positionsEnd - positionsStart
            ? positionsStart + blockPositions : positionsEnd
        positionIndex = 0
        positionNumber = 0
        chunkOffset = positionsOffset
        chunkFirst = 0
        chunkWidth = -1
        chunkLoaded = false
        positionCount = -1
        currentTotal = 0
        return true
    }

    private mutating func exhaust() -> Bool {
        doc = .max
        blockCount = 0
        index = -1
        return false
    }

    /// Unpacks the current block's documents and frequencies into the buffer; false (and exhausted) on damage.
    private mutating func decodeBlock() -> Bool {
        blockDecoded = true
        var offset = bodyStart
        let count = blockCount
        // One packed array: its width byte, then its bytes, all inside the block's body.
        func array(into output: UnsafeMutablePointer<UInt32>) -> Bool {
            guard offset < bodyEnd else { return false }
            let width = Int(base.load(fromByteOffset: offset, as: UInt8.self))
            offset += 1
            guard width <= 32 else { return false }
            guard width > 0 else {
                output.update(repeating: 0, count: count)
                return true
            }
            let bytes = PackedInts.byteCount(count: count, width: width)
            guard bytes <= bodyEnd - offset else { return false }
            PackedInts.unpack(base: base, offset: offset, count: count, width: width, readable: readable, into: output)
            offset += bytes
            return true
        }
        guard array(into: slots) else { return damaged() }
        // Gaps to document numbers, each past the one before.
        var document = previousDoc
        for place in 0..<count {
            document &+= Int64(slots[place]) &+ 1
            slots[place] = UInt32(truncatingIfNeeded: document)
        }
        guard document < min(Int64(UInt32.max), documentLimit) else { return damaged() }
        guard array(into: slots + capacity) else { return damaged() }
        for other in 0..<otherFields.nonzeroBitCount {
            guard array(into: slots + (2 + other) * capacity) else { return damaged() }
        }
        return true
    }

    private mutating func damaged() -> Bool {
        decodeFailed = true
        return exhaust()
    }

    /// Makes the document at `index` in the decoded block the current one.
    @inline(__always)
    private mutating func settle() {
        doc = slots[index]
        let main = slots[capacity + index]
        tfs[mainField] = main
        var total = Int(main)
        var others = otherFields
        var column = 2
        while others != 0 {
            let field = others.trailingZeroBitCount
            others &= others &- 1
            let tf = slots[column * capacity + index]
            tfs[field] = tf
            total += Int(tf)
            column += 1
        }
        currentTotal = total
    }

    /// Moves to the next document; false when there is none.
    mutating func next() -> Bool {
        if started && doc == .max { return false }
        started = true
        if index + 1 >= blockCount {
            // The block is done (or none was read yet): the next one starts after its last document.
            if blockCount > 0 { previousDoc = Int64(slots[blockCount - 1]) }
            guard loadBlock() else { return false }
        }
        if !blockDecoded { guard decodeBlock() else { return false } }
        index += 1
        settle()
        return true
    }

    /// Moves to the first document ≥ `target`; false when there is none.
    mutating func advance(to target: UInt32) -> Bool {
        if started && (doc == .max || doc >= target) { return doc != .max }
        started = true
        while true {
            if index + 1 >= blockCount {
                if blockCount > 0 { previousDoc = Int64(slots[blockCount - 1]) }
                guard loadBlock() else { return false }
            }
            // Skip whole blocks that end before the target, reading only their headers.
            if !singleBlock && blockLastDoc < target {
                previousDoc = Int64(blockLastDoc)
                blockCount = 0
                index = -1
                continue
            }
            if !blockDecoded { guard decodeBlock() else { return false } }
            let place = firstReaching(target, after: index)
            if place < blockCount {
                index = place
                settle()
                return true
            }
            // Only a damaged header says a block reaches the target when none of its documents does.
            index = blockCount - 1
        }
    }

    /// The place of the first document ≥ `target` in the decoded block after `index` (`blockCount` when none):
    /// galloping, steps doubling from the next document, then halving the last step. A term's list far denser
    /// than the one leading a conjunction is asked for documents many places ahead.
    @inline(__always)
    private func firstReaching(_ target: UInt32, after index: Int) -> Int {
        var low = index + 1
        guard low < blockCount, slots[low] < target else { return low }
        // slots[low] < target; slots[high] ≥ target, or high is blockCount.
        var step = 1
        var high = low + 1
        while high < blockCount && slots[high] < target {
            low = high
            step &<<= 1
            high = low + step
        }
        if high > blockCount { high = blockCount }
        while high - low > 1 {
            let middle = (low + high) / 2
            if slots[middle] < target { low = middle } else { high = middle }
        }
        return high
    }

    /// Moves to the block that may hold `target` reading block headers only, so that its bound
    /// (`blockMaxNorm`) can be checked before any document in it is decoded. Returns the last
    /// document the block covers (`UInt32.max` for a single-block term), or nil when no block reaches `target`.
    mutating func seekBlock(to target: UInt32) -> UInt32? {
        if singleBlock { return (started && doc == .max) ? nil : UInt32.max }
        if started && doc == .max { return nil }
        if index + 1 < blockCount && blockLastDoc >= target { return blockLastDoc }
        // Not `started`: no document has been decoded, so `doc` names none yet (a later `advance(to:)` must
        // decode one rather than report the initial 0 as a match).
        while true {
            if index + 1 >= blockCount {
                if blockCount > 0 { previousDoc = Int64(slots[blockCount - 1]) }
                guard loadBlock() else { return nil }
            }
            if blockLastDoc >= target { return blockLastDoc }
            previousDoc = Int64(blockLastDoc)
            blockCount = 0
            index = -1
        }
    }

    /// The decoded block that holds the first document ≥ `target`, from that document on, for a caller that reads
    /// a whole block's documents and frequencies at once; the cursor then stands on the block's last document.
    /// Nil when no document ≥ `target` is left.
    mutating func block(from target: UInt32) -> PostingsBlock? {
        guard advance(to: target) else { return nil }
        let block = PostingsBlock(slots: UnsafePointer(slots), capacity: capacity, start: index, end: blockCount,
                                  mainField: mainField, otherFields: otherFields)
        index = blockCount - 1
        settle()
        return block
    }

    /// Occurrences of the term in the current document, over every field.
    var totalFrequency: Int { currentTotal }

    /// The positions of the term in the current document, in order.
    mutating func positions() -> [UInt32] {
        var result: [UInt32] = []
        positions(into: &result)
        return result
    }

    /// Occurrences of the term, over every field, in the document at `place` of the decoded block.
    @inline(__always)
    private func total(at place: Int) -> Int {
        var total = Int(slots[capacity + place])
        for column in 2..<(2 + otherFields.nonzeroBitCount) { total += Int(slots[column * capacity + place]) }
        return total
    }

    /// The positions of the term in the current document, in order, into `result` (emptied first, its storage
    /// kept); empty once read.
    ///
    /// The chunks before the one that holds the document's first position are passed over on their width byte
    /// alone (every chunk but a block's last holds `positionChunk` gaps), and of the chunks holding its positions
    /// only its own gaps are read.
    mutating func positions(into result: inout [UInt32]) {
        result.removeAll(keepingCapacity: true)
        guard blockDecoded, index >= 0, index < blockCount, positionIndex <= index else { return }
        if positionCount < 0 {
            positionCount = 0
            for place in 0..<blockCount { positionCount += total(at: place) }
        }
        for place in positionIndex..<index { positionNumber += total(at: place) }
        let first = positionNumber
        let count = currentTotal
        positionIndex = index + 1
        positionNumber += count
        guard count > 0, first + count <= positionCount else { return }
        result.reserveCapacity(count)
        var position: Int64 = -1
        var number = first
        while number < first + count {
            // Move to the chunk holding `number`: the ones before it are full.
            while number >= chunkFirst + Self.positionChunk {
                guard readChunkWidth() else { return }
                chunkOffset += 1 + PackedInts.byteCount(count: Self.positionChunk, width: chunkWidth)
                chunkFirst += Self.positionChunk
                chunkWidth = -1
                chunkLoaded = false
            }
            if !chunkLoaded {
                guard readChunkWidth() else { return }
                let values = min(Self.positionChunk, positionCount - chunkFirst)
                let bytes = PackedInts.byteCount(count: values, width: chunkWidth)
                guard bytes <= positionsEnd - chunkOffset - 1 else {
                    damagedPositions()
                    return
                }
                chunkLoaded = true
            }
            // Only the gaps wanted are read, each on its own: a document's positions are a few of a chunk's.
            let end = min(first + count, chunkFirst + Self.positionChunk)
            if chunkWidth == 0 {
                while number < end {
                    position &+= 1
                    result.append(UInt32(truncatingIfNeeded: position))
                    number += 1
                }
            } else {
                while number < end {
                    let gap = PackedInts.value(base: base, offset: chunkOffset + 1, index: number - chunkFirst,
                                               width: chunkWidth, readable: readable)
                    position &+= Int64(gap) &+ 1
                    result.append(UInt32(truncatingIfNeeded: position))
                    number += 1
                }
            }
        }
    }

    /// Gaps in one chunk of positions.
    static let positionChunk = 128

    /// Reads the width byte of the chunk at `chunkOffset` (once); false, with the positions marked damaged,
    /// when it lies outside the term's positions or is over 32.
    private mutating func readChunkWidth() -> Bool {
        if chunkWidth >= 0 { return true }
        guard chunkOffset >= positionsStart, chunkOffset < positionsEnd else { return damagedPositions() }
        let width = Int(base.load(fromByteOffset: chunkOffset, as: UInt8.self))
        guard width <= 32 else { return damagedPositions() }
        chunkWidth = width
        return true
    }

    @discardableResult
    private mutating func damagedPositions() -> Bool {
        decodeFailed = true
        positionIndex = blockCount
        return false
    }
}

/// Part of a decoded block, read in place: documents `start ..< end` of it.
///
/// Safe to read while the cursor it came from is alive and has not moved to another block (its buffer holds
/// the values); `start ..< end` lies inside the block.
struct PostingsBlock {
    private let slots: UnsafePointer<UInt32>
    private let capacity: Int
    let start: Int
    let end: Int
    let mainField: Int
    /// The term's fields besides the main one, as bits; their frequencies are columns 1, 2, … lowest field first.
    let otherFields: UInt8

    init(slots: UnsafePointer<UInt32>, capacity: Int, start: Int, end: Int, mainField: Int, otherFields: UInt8) {
        self.slots = slots
        self.capacity = capacity
        self.start = start
        self.end = end
        self.mainField = mainField
        self.otherFields = otherFields
    }

    @inline(__always)
    func doc(_ place: Int) -> UInt32 { slots[place] }

    /// The frequency in column `column` (0: the main field) of the document at `place`.
    @inline(__always)
    func frequency(column: Int, _ place: Int) -> UInt32 { slots[(1 &+ column) &* capacity &+ place] }
}

/// The memory a cursor unpacks blocks into, freed with the cursor's last copy.
final class PostingsBuffer {
    let slots: UnsafeMutablePointer<UInt32>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: 0, count: count)
    }

    deinit { slots.deallocate() }
}

import Foundation

/// BM25 over weighted fields, each field saturated on its own and the weighted scores summed (as Lucene and
/// Tantivy score a query across fields): a term's frequency in a field is normalised by the field's length
/// against its average, then
///
///     x_f = tf_f / (1 − b + b · len_f / avglen_f)
///     score = boost · idf · Σ_f  w_f · x_f / (k1 + x_f),    idf = ln(1 + (N − df + 0.5) / (df + 0.5))
///
/// so that a title hit counts on a long page too (one saturation of the weighted sum let the body drown it:
/// known-item MRR@10 on titles 0.26 → 0.88 on the large benchmark corpus).
public struct BM25F: Sendable, Equatable {
    public var k1: Double
    public var b: Double
    /// Per text field, in schema order.
    public var weights: [Double]

    public init(k1: Double = Ranking.k1, b: Double = Ranking.b, weights: [Double]) {
        self.k1 = k1
        self.b = b
        self.weights = weights
    }

    public static func idf(documentCount: Int, documentFrequency: Int) -> Double {
        let n = Double(documentCount)
        let df = Double(documentFrequency)
        return log(1 + (n - df + 0.5) / (df + 0.5))
    }
}

/// The ranking's tuning constants, in one place: the engine reads them here, and the browser index carries them
/// in its metadata for `search.js`.
public enum Ranking {
    public static let k1 = 1.2
    public static let b = 0.75
    /// A query of plain words with at least this many content words is ranked over any of them, not required
    /// to have all: people's own questions rarely share every word with the page they want.
    public static let looseWords = 3
    /// How much a page that has fewer of such a query's words loses: its score times (matched / words) to this
    /// power (measured on the known-item development set: 0 ranks by score alone, 1 as classic coordination).
    public static let coordination = 0.25

    /// A quoted phrase whose words come within this many positions more than its length still matches, with
    /// half an occurrence times length / stretch.
    public static let proximitySlack = 8
    /// A plain word this long or longer that no page has is taken for a typing error; from `typoTwoEdits`
    /// letters on, two edits away are looked for, else one.
    public static let typoMinimumLetters = 5
    public static let typoTwoEdits = 8
    /// `prefix*`: the first this many indexed terms starting so (in byte order, over the whole index), of which
    /// the `prefixVariants` most frequent are searched.
    public static let prefixTerms = 512
    public static let prefixVariants = 64
    /// About how many words a snippet shows.
    public static let snippetWords = 30

    /// The factor for a page that has `matched` of `words` query words.
    @inline(__always)
    static func coordinationFactor(matched: Int, words: Int) -> Double {
        matched >= words ? 1 : pow(Double(matched) / Double(words), coordination)
    }
}

/// BM25F for one term in one segment, as plain values (no reference in it), for the per-document loops: a matcher
/// holds one and scores without reference counting. Field lengths are read from the segment's mapping, which
/// the scorer that made this keeps alive.
struct TermScoring {
    let fieldCount: Int
    /// Bit f for every text field f of the segment.
    let allFields: UInt8
    let weights: FieldNumberTable
    let k1: Double
    let k1OneMinusB: Double
    let k1BOverAverage: FieldNumberTable
    /// What block bounds (stored with the segment's own averages, k1 = 1.2 and b = 0.75) are multiplied by to
    /// bound a score computed with the collection's averages and this k1: the largest ratio c of collection to
    /// segment average, at least 1, times max(1, 1.2 / k1). With x = tf / norm, the collection's norm is at least
    /// the segment's over c, so x grows at most c-fold, and x / (k1 + x) at most c-fold as it is concave and 0 at
    /// 0; a lower k1' raises x / (k1' + x) at most k1 / k1'-fold. Infinite (no block bounds) when the query uses
    /// another b or other field weights.
    let blockBoundCorrection: Double
    let lengths: FieldLengthTable

    /// See `SegmentScorer.score(doc:tfs:mask:weight:)`. Only the fields in `mask` are visited (a matcher passes
    /// the fields searched that hold its term: mostly one or two).
    @inline(__always)
    func score(doc: Int, tfs: FieldCounts, mask: UInt8, weight: Double) -> Double {
        sum(tfs: tfs, mask: mask, weight: weight) { field, count in fieldScore(doc: doc, field: field, tf: count) }
    }

    /// A bound on `score` read from the frequencies alone, with no field length (a cache miss per document):
    /// each field taken as short as `leastLengths` (the shortest field among the term's documents). The score
    /// falls as a field grows, so the bound holds; it is computed the same way as the score, term for term, and
    /// every operation in it is monotonic, so rounding cannot put it below. `table`: the same parts for small
    /// frequencies, made by `boundTable` (read, not divided again).
    @inline(__always)
    func bound(tfs: FieldCounts, mask: UInt8, weight: Double, table: FrequencyTable, leastLengths: FieldNumberTable) -> Double {
        sum(tfs: tfs, mask: mask, weight: weight) { field, count in
            fieldBound(field: field, tf: count, table: table, leastLengths: leastLengths)
        }
    }

    /// `fieldScore` with the field taken as `leastLengths[field]` long: at least the score's part (see `bound`);
    /// from `table` when the frequency is in it.
    @inline(__always)
    func fieldBound(field: Int, tf: UInt32, table: FrequencyTable, leastLengths: FieldNumberTable) -> Double {
        tf <= FieldNumberStorage.small ? table[field, tf] : saturated(field: field, tf: tf, length: leastLengths[field])
    }

    /// The parts of `bound` for the fields of `fields` and the frequencies 1…`FieldNumberStorage.small`.
    func boundTable(fields: UInt8, leastLengths: FieldNumberTable) -> FieldNumberStorage {
        FieldNumberStorage(frequencies: fields & allFields) { field, tf in
            saturated(field: field, tf: tf, length: leastLengths[field])
        }
    }

    /// `weight` times the sum of `part(field, tf)` over the fields of `mask` where the term occurs.
    @inline(__always)
    private func sum(tfs: FieldCounts, mask: UInt8, weight: Double, _ part: (Int, UInt32) -> Double) -> Double {
        var sum = 0.0
        var fields = mask & allFields
        while fields != 0 {
            let field = fields.trailingZeroBitCount
            fields &= fields &- 1
            let count = tfs[field]
            guard count > 0 else { continue }
            sum += part(field, count)
        }
        return weight * sum
    }

    /// One field's part of `score`, before the term's weight: the field's weight times its saturated,
    /// length-normalised frequency `tf` (> 0).
    @inline(__always)
    func fieldScore(doc: Int, field: Int, tf: UInt32) -> Double {
        saturated(field: field, tf: tf, length: Double(lengths.length(doc: doc, field: field)))
    }

    /// The field's weight times tf / (tf + k1 · (1 − b + b · length / average)).
    @inline(__always)
    private func saturated(field: Int, tf: UInt32, length: Double) -> Double {
        let tf = Double(tf)
        return weights[field] * tf / (tf + k1OneMinusB + length * k1BOverAverage[field])
    }

    /// The highest score in a block whose stored bound is `stored`: the largest Σ w_f · x_f / (k1 + x_f) of its
    /// documents over every field, computed with the segment's averages and the default k1 and b. Scaled by
    /// `blockBoundCorrection`, it bounds the score over any fields with the collection's averages and this k1.
    @inline(__always)
    func blockBound(stored: Double, weight: Double) -> Double {
        weight * stored * blockBoundCorrection
    }
}

/// What scoring one segment needs: the formula, the collection's averages, and the segment's field lengths.
final class SegmentScorer {
    let segment: Segment
    let averages: [Double]
    let fieldCount: Int
    // The formula's numbers as plain stored values, read in the per-document loops without copying `bm25`.
    private let weights: [Double]
    /// k1 · (1 − b), and k1 · b / avglen per field: the length normalisation folded into the saturation.
    private let k1OneMinusB: Double
    private let k1BOverAverage: [Double]

    init(bm25: BM25F, segment: Segment, averages: [Double], indexWeights: [Double]) {
        self.segment = segment
        self.averages = averages
        self.fieldCount = segment.fieldCount
        self.weights = bm25.weights
        k1OneMinusB = bm25.k1 * (1 - bm25.b)
        k1BOverAverage = averages.map { bm25.k1 * bm25.b / $0 }
        var correction = 1.0
        if bm25.b != SegmentWriter.boundB || bm25.weights != indexWeights || segment.documentCount == 0 || bm25.k1 <= 0 {
            correction = .infinity
        } else {
            correction = max(1, SegmentWriter.boundK1 / bm25.k1)
            var ratio = 1.0
            // A field empty in every document of the segment holds no term there, so it bounds nothing.
            for field in 0..<fieldCount where segment.fieldLengthTotals[field] > 0 {
                let own = Double(segment.fieldLengthTotals[field]) / Double(segment.documentCount)
                ratio = max(ratio, averages[field] / own)
            }
            correction *= ratio
        }
        let usable = min(fieldCount, 8)
        let weightList = bm25.weights
        let lengthFactors = averages.map { bm25.k1 * bm25.b / $0 }
        weightStorage = FieldNumberStorage((0..<usable).map { weightList.indices.contains($0) ? weightList[$0] : 0 })
        lengthFactorStorage = FieldNumberStorage((0..<usable).map { lengthFactors.indices.contains($0) ? lengthFactors[$0] : 0 })
        termScoring = TermScoring(fieldCount: usable, allFields: usable >= 8 ? 0xFF : (UInt8(1) << UInt8(usable)) &- 1,
                                  weights: weightStorage.table, k1: bm25.k1, k1OneMinusB: k1OneMinusB,
                                  k1BOverAverage: lengthFactorStorage.table, blockBoundCorrection: correction,
                                  lengths: segment.fieldLengthTable)
    }

    /// The memory `termScoring` reads its per-field numbers from (see `FieldNumberTable`).
    private let weightStorage: FieldNumberStorage
    private let lengthFactorStorage: FieldNumberStorage

    /// The same formula as plain values, for matchers' loops.
    let termScoring: TermScoring

    /// The score of per-field counts `tfs` in `doc`, over the fields in `mask`, for a term of `weight` (idf · boost).
    /// With norm = 1 − b + b · len / avglen, w · x / (k1 + x) for x = tf / norm is w · tf / (tf + k1 · norm):
    /// one division per field.
    @inline(__always)
    func score(doc: Int, tfs: FieldCounts, mask: UInt8, weight: Double) -> Double {
        termScoring.score(doc: doc, tfs: tfs, mask: mask, weight: weight)
    }

    /// As `score(doc:tfs:mask:weight:)` for frequencies that need not be whole (a phrase's near occurrences).
    func score(doc: Int, frequencies: [Double], mask: UInt8, weight: Double) -> Double {
        var sum = 0.0
        for field in 0..<fieldCount where frequencies[field] > 0 && mask & (1 << field) != 0 {
            let length = Double(segment.fieldLength(doc: doc, field: field))
            let tf = frequencies[field]
            sum += weights[field] * tf / (tf + k1OneMinusB + length * k1BOverAverage[field])
        }
        return weight * sum
    }

    /// The highest score possible given per-field maximum counts and minimum lengths.
    func bound(maxTf: PerField<Int>, minLength: PerField<Int>, mask: UInt8, weight: Double) -> Double {
        var sum = 0.0
        for field in 0..<fieldCount where maxTf[field] > 0 && mask & (1 << field) != 0 {
            let tf = Double(maxTf[field])
            sum += weights[field] * tf / (tf + k1OneMinusB + Double(minLength[field]) * k1BOverAverage[field])
        }
        return weight * sum
    }
}

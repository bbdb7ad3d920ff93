import Foundation

/// BM25F over weighted fields: a term's frequency in each field is normalised by that field's length against its
/// average, weighted and summed, then saturated once with k1:
///
///     tf~ = Σ_f  w_f · tf_f / (1 − b + b · len_f / avglen_f)
///     score = boost · idf · tf~ / (k1 + tf~),    idf = ln(1 + (N − df + 0.5) / (df + 0.5))
public struct BM25F: Sendable, Equatable {
    public var k1: Double
    public var b: Double
    /// Per text field, in schema order.
    public var weights: [Double]

    public init(k1: Double = 1.2, b: Double = 0.75, weights: [Double]) {
        self.k1 = k1
        self.b = b
        self.weights = weights
    }

    public static func idf(documentCount: Int, documentFrequency: Int) -> Double {
        let n = Double(documentCount)
        let df = Double(documentFrequency)
        return log(1 + (n - df + 0.5) / (df + 0.5))
    }

    /// The saturated score of normalised frequency `tfNorm`.
    @inline(__always)
    func saturate(_ tfNorm: Double, weight: Double) -> Double {
        tfNorm <= 0 ? 0 : weight * tfNorm / (k1 + tfNorm)
    }
}

/// What scoring one segment needs: the formula, the collection's averages, and the segment's field lengths.
final class SegmentScorer {
    let bm25: BM25F
    let segment: Segment
    let averages: [Double]
    let fieldCount: Int
    // The formula's numbers as plain stored values, read in the per-document loops without copying `bm25`.
    private let weights: [Double]
    private let b: Double

    /// What block bounds (stored with the segment's own averages and b = 0.75) are multiplied by to bound a
    /// score computed with the collection's averages: the largest ratio of collection to segment average, at
    /// least 1. Infinite (no block bounds) when the query uses another b or other field weights.
    let blockBoundCorrection: Double

    init(bm25: BM25F, segment: Segment, averages: [Double], indexWeights: [Double]) {
        self.bm25 = bm25
        self.segment = segment
        self.averages = averages
        self.fieldCount = segment.fieldCount
        self.weights = bm25.weights
        self.b = bm25.b
        var correction = 1.0
        if bm25.b != SegmentWriter.boundB || bm25.weights != indexWeights || segment.documentCount == 0 {
            correction = .infinity
        } else {
            for field in 0..<fieldCount {
                let own = max(Double(segment.fieldLengthTotals[field]) / Double(segment.documentCount), 1e-9)
                correction = max(correction, averages[field] / own)
            }
        }
        blockBoundCorrection = correction
    }

    /// Normalised, weighted frequency of per-field counts `tfs` in `doc`, over the fields in `mask`.
    @inline(__always)
    func tfNorm(doc: Int, tfs: [UInt32], mask: UInt8) -> Double {
        var sum = 0.0
        for field in 0..<fieldCount where tfs[field] > 0 && mask & (1 << field) != 0 {
            let length = Double(segment.fieldLength(doc: doc, field: field))
            sum += weights[field] * Double(tfs[field]) / (1 - b + b * length / averages[field])
        }
        return sum
    }

    /// As `tfNorm(doc:tfs:mask:)` for frequencies that need not be whole (a phrase's near occurrences).
    func tfNorm(doc: Int, frequencies: [Double], mask: UInt8) -> Double {
        var sum = 0.0
        for field in 0..<fieldCount where frequencies[field] > 0 && mask & (1 << field) != 0 {
            let length = Double(segment.fieldLength(doc: doc, field: field))
            sum += weights[field] * frequencies[field] / (1 - b + b * length / averages[field])
        }
        return sum
    }

    /// The highest normalised frequency possible given per-field maximum counts and minimum lengths.
    func tfNormBound(maxTf: [Int], minLength: [Int], mask: UInt8) -> Double {
        var sum = 0.0
        for field in 0..<fieldCount where maxTf[field] > 0 && mask & (1 << field) != 0 {
            sum += bm25.weights[field] * Double(maxTf[field])
                / (1 - bm25.b + bm25.b * Double(minLength[field]) / averages[field])
        }
        return sum
    }
}

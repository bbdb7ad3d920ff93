/// Lower-casing with compatibility normalisation, composition of a letter and its combining mark, and diacritic
/// folding, from the generated tables (`scripts/gen_unicode_tables.py`), which the browser export also writes
/// for `search.js`. Parsed once, on first use.
enum UnicodeFolding {
    static let lower: [UInt32: [UInt32]] = parse(UnicodeTables.lowerSource)
    static let fold: [UInt32: [UInt32]] = parse(UnicodeTables.foldSource)
    static let compose: [UInt32: UInt32] = parse(UnicodeTables.composeSource).compactMapValues(\.first)

    private static func parse(_ source: String) -> [UInt32: [UInt32]] {
        var table: [UInt32: [UInt32]] = [:]
        for entry in source.utf8.split(separator: UInt8(ascii: ";")) {
            let halves = entry.split(separator: UInt8(ascii: ":"), maxSplits: 1)
            guard halves.count == 2, let key = UInt32(Substring(halves[0]), radix: 16) else { continue }
            table[key] = halves[1].split(separator: UInt8(ascii: " ")).compactMap { UInt32(Substring($0), radix: 16) }
        }
        return table
    }

    /// The combining marks of the generated table, as sorted ranges.
    static let marks: [ClosedRange<UInt32>] = UnicodeTables.marksSource.split(separator: ";").compactMap { entry in
        let bounds = entry.split(separator: "-").compactMap { UInt32($0, radix: 16) }
        return bounds.count == 2 ? bounds[0]...bounds[1] : nil
    }

    /// Whether a scalar is a combining mark (it joins the letter before it), by the generated table: the same
    /// one the browser folds with.
    static func isCombiningMark(_ value: UInt32) -> Bool {
        var low = 0
        var high = marks.count
        while low < high {
            let middle = (low + high) / 2
            if marks[middle].upperBound < value { low = middle + 1 } else { high = middle }
        }
        return low < marks.count && marks[low].contains(value)
    }

    /// Compose, compatibility-normalise and lower-case a word's scalars.
    static func normalize(_ scalars: [UInt32]) -> [UInt32] {
        var composed: [UInt32] = []
        composed.reserveCapacity(scalars.count)
        for value in scalars {
            if let last = composed.last, last <= 0xFFFF, value <= 0xFFFF, let joined = compose[last << 16 | value] {
                composed[composed.count - 1] = joined
            } else {
                composed.append(value)
            }
        }
        var result: [UInt32] = []
        result.reserveCapacity(composed.count)
        for value in composed {
            if value >= 65 && value <= 90 {
                result.append(value + 32)
            } else if value < 128 {
                result.append(value)
            } else if let mapped = lower[value] {
                result.append(contentsOf: mapped)
            } else {
                result.append(value)
            }
        }
        return result
    }

    /// Drops diacritics: é → e, ø → o, æ → ae; combining marks vanish.
    static func removeDiacritics(_ scalars: [UInt32]) -> [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(scalars.count)
        for value in scalars {
            if value < 128 {
                result.append(value)
            } else if let mapped = fold[value] {
                result.append(contentsOf: mapped)
            } else if !isCombiningMark(value) {
                result.append(value)
            }
        }
        return result
    }
}

/// The Snowball German stemmer (the 3.0 algorithm, which also folds ae, oe and ue into umlauts and handles the
/// -erin, -ln and -et endings).
struct GermanStemmer {
    private static let vowels: Set<UInt32> = Set("aeiouyäöü".unicodeScalars.map(\.value))
    private static let sEndings: Set<UInt32> = Set("bdfghklmnrt".unicodeScalars.map(\.value))
    private static let stEndings: Set<UInt32> = Set("bdfghklmnt".unicodeScalars.map(\.value))
    private static let etEndings: Set<UInt32> = Set("dfgklmnrstUzä".unicodeScalars.map(\.value))
    /// Words whose final -et is part of the stem, by what comes before the -et.
    private static let keepBeforeEt = suffixList(["tick", "plan", "geordn", "intern", "tr"])

    static func isVowel(_ c: UInt32) -> Bool { vowels.contains(c) }

    func stem(_ word: String) -> String {
        var w = SnowballWord(word)
        prelude(&w)
        markRegions(&w)
        step1(&w)
        step2(&w)
        step3(&w)
        for index in 0..<w.count {
            switch w.letters[index] {
            case u("U"), u("ü"): w.letters[index] = u("u")
            case u("Y"): w.letters[index] = u("y")
            case u("ä"): w.letters[index] = u("a")
            case u("ö"): w.letters[index] = u("o")
            default: break
            }
        }
        return w.string
    }

    private func prelude(_ w: inout SnowballWord) {
        // u and y between vowels are consonants: mark them U and Y (left to right, on the marked word).
        if w.count >= 3 {
            for index in 1..<(w.count - 1) {
                let c = w.letters[index]
                if (c == u("u") || c == u("y")) && Self.isVowel(w.letters[index - 1])
                    && Self.isVowel(w.letters[index + 1])
                {
                    w.letters[index] = c == u("u") ? u("U") : u("Y")
                }
            }
        }
        // Then ß → ss, and ae, oe, ue → ä, ö, ü, except the u of qu.
        var out: [UInt32] = []
        out.reserveCapacity(w.count + 2)
        var index = 0
        let l = w.letters
        while index < l.count {
            let c = l[index]
            let next = index + 1 < l.count ? l[index + 1] : 0
            if c == u("ß") {
                out += [u("s"), u("s")]
                index += 1
            } else if c == u("q") && next == u("u") {
                out += [c, next]
                index += 2
            } else if next == u("e") && (c == u("a") || c == u("o") || c == u("u")) {
                out.append(c == u("a") ? u("ä") : c == u("o") ? u("ö") : u("ü"))
                index += 2
            } else {
                out.append(c)
                index += 1
            }
        }
        w.letters = out
    }

    private func markRegions(_ w: inout SnowballWord) {
        guard w.count >= 3 else { return }
        let p1 = w.regionStart(from: 0, isVowel: Self.isVowel)
        w.r2 = w.regionStart(from: p1, isVowel: Self.isVowel)
        w.r1 = max(p1, 3)
    }

    private static let step1Suffixes = suffixList(["em", "erinnen", "erin", "ern", "er", "e", "en", "es", "s", "ln", "lns"])

    private func step1(_ w: inout SnowballWord) {
        guard let suffix = w.longestSuffix(Self.step1Suffixes) else { return }
        let start = w.start(of: suffix)
        guard start >= w.r1 else { return }
        switch text(suffix) {
        case "em":
            if w.letters[..<start].reversed().starts(with: Array("syst".unicodeScalars.map(\.value).reversed())) {
                return
            }
            w.removeLast(2)
        case "erinnen", "erin", "ern", "er":
            w.removeLast(suffix.count)
        case "e", "en", "es":
            w.removeLast(suffix.count)
            if w.endsWith([u("n"), u("i"), u("s"), u("s")]) { w.removeLast(1) }
        case "s":
            guard start > 0, Self.sEndings.contains(w.letters[start - 1]) else { return }
            w.removeLast(1)
        default:  // ln, lns
            w.replaceSuffix(suffix.count, with: [u("l")])
        }
    }

    private static let step2Suffixes = suffixList(["en", "er", "est", "st", "et"])

    private func step2(_ w: inout SnowballWord) {
        guard let suffix = w.longestSuffix(Self.step2Suffixes) else { return }
        let start = w.start(of: suffix)
        guard start >= w.r1 else { return }
        switch text(suffix) {
        case "st":
            guard start >= 4, Self.stEndings.contains(w.letters[start - 1]) else { return }
        case "et":
            guard start > 0, Self.etEndings.contains(w.letters[start - 1]) else { return }
            let before = SnowballWord(letters: Array(w.letters[..<start]))
            if before.longestSuffix(Self.keepBeforeEt) != nil { return }
        default:
            break
        }
        w.removeLast(suffix.count)
    }

    private static let step3Suffixes = suffixList(["end", "ung", "ig", "ik", "isch", "lich", "heit", "keit"])

    private func step3(_ w: inout SnowballWord) {
        guard let suffix = w.longestSuffix(Self.step3Suffixes) else { return }
        let start = w.start(of: suffix)
        guard start >= w.r2 else { return }
        let precededByE = start > 0 && w.letters[start - 1] == u("e")
        switch text(suffix) {
        case "end", "ung":
            w.removeLast(suffix.count)
            if w.endsWith([u("i"), u("g")]), w.count - 2 >= w.r2, !(w.count >= 3 && w.letters[w.count - 3] == u("e")) {
                w.removeLast(2)
            }
        case "ig", "ik", "isch":
            if !precededByE { w.removeLast(suffix.count) }
        case "lich", "heit":
            w.removeLast(suffix.count)
            if (w.endsWith([u("e"), u("r")]) || w.endsWith([u("e"), u("n")])) && w.count - 2 >= w.r1 {
                w.removeLast(2)
            }
        default:  // keit
            w.removeLast(suffix.count)
            if w.endsWith([u("l"), u("i"), u("c"), u("h")]) {
                if w.count - 4 >= w.r2 { w.removeLast(4) }
            } else if w.endsWith([u("i"), u("g")]) && w.count - 2 >= w.r2 {
                w.removeLast(2)
            }
        }
    }
}

/// Letters (scalar values) as a string; values that are no scalar are left out. Encoded to UTF-8 bytes
/// directly: building a `String.UnicodeScalarView` costs several times as much.
func text(_ letters: [UInt32]) -> String {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(letters.count)
    for value in letters {
        if value < 0x80 {
            bytes.append(UInt8(value))
        } else if let scalar = Unicode.Scalar(value) {
            UTF8.encode(scalar) { bytes.append($0) }
        }
    }
    return String(decoding: bytes, as: UTF8.self)
}

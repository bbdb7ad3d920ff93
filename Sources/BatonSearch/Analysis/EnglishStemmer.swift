/// The Snowball English ("Porter2") stemmer.
struct EnglishStemmer {
    private static let a = u("a"), e = u("e"), i = u("i"), o = u("o"), uu = u("u"), y = u("y"), capitalY = u("Y")

    static func isVowel(_ c: UInt32) -> Bool {
        c == a || c == e || c == i || c == o || c == uu || c == y
    }

    private static let exceptions: [String: String] = [
        "skis": "ski", "skies": "sky", "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli",
        "only": "onli", "singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
        "cosmos": "cosmos", "bias": "bias", "andes": "andes",
    ]
    private static let regionPrefixes = suffixList(["gener", "commun", "arsen", "past", "univers", "later",
                                                    "emerg", "organ", "inter"])

    func stem(_ word: String) -> String {
        if word.unicodeScalars.count <= 2 { return word }
        if let exception = Self.exceptions[word] { return exception }
        var w = SnowballWord(word)
        // Prelude: drop a leading apostrophe; mark consonant y.
        if w.letters.first == u("'") { w.letters.removeFirst() }
        if w.letters.first == Self.y { w.letters[0] = Self.capitalY }
        if w.count > 1 {
            for index in 1..<w.count where w.letters[index] == Self.y && Self.isVowel(w.letters[index - 1]) {
                w.letters[index] = Self.capitalY
            }
        }
        markRegions(&w)
        step0(&w)
        step1a(&w)
        step1b(&w)
        step1c(&w)
        step2(&w)
        step3(&w)
        step4(&w)
        step5(&w)
        for index in 0..<w.count where w.letters[index] == Self.capitalY { w.letters[index] = Self.y }
        return w.string
    }

    private func markRegions(_ w: inout SnowballWord) {
        var p1: Int?
        for prefix in Self.regionPrefixes where w.letters.starts(with: prefix) {
            p1 = prefix.count
            break
        }
        w.r1 = p1 ?? w.regionStart(from: 0, isVowel: Self.isVowel)
        w.r2 = w.regionStart(from: w.r1, isVowel: Self.isVowel)
    }

    private static let step0Suffixes = suffixList(["'s'", "'s", "'"])

    private func step0(_ w: inout SnowballWord) {
        if let suffix = w.longestSuffix(Self.step0Suffixes) { w.removeLast(suffix.count) }
    }

    private static let step1aSuffixes = suffixList(["sses", "ied", "ies", "us", "ss", "s"])

    private func step1a(_ w: inout SnowballWord) {
        guard let suffix = w.longestSuffix(Self.step1aSuffixes) else { return }
        switch String(decoding: suffix.map { UInt8($0) }, as: UTF8.self) {
        case "sses":
            w.removeLast(2)
        case "ied", "ies":
            w.replaceSuffix(3, with: w.count > 4 ? [u("i")] : [u("i"), u("e")])
        case "s":
            // Delete if the part before the s, excluding the letter just before it, has a vowel.
            let before = w.count - 1
            if before >= 2 && w.letters[0..<(before - 1)].contains(where: Self.isVowel) { w.removeLast(1) }
        default:
            break
        }
    }

    private static let step1bSuffixes = suffixList(["eedly", "eed", "ingly", "edly", "ing", "ed"])
    private static let doubles: Set<UInt32> = Set("bdfgmnprt".unicodeScalars.map(\.value))
    /// Whole words (before -ing) that keep their -ing: evening, canning, inning, earring, herring, outing.
    private static let keepIng: Set<String> = ["even", "cann", "inn", "earr", "herr", "out"]
    /// Whole words (before -eed) that keep their -eed: succeed, proceed, exceed.
    private static let keepEed: Set<String> = ["succ", "proc", "exc"]

    private func step1b(_ w: inout SnowballWord) {
        guard let suffix = w.longestSuffix(Self.step1bSuffixes) else { return }
        let start = w.start(of: suffix)
        let name = text(suffix)
        let before = text(Array(w.letters[..<start]))
        if name == "eed" || name == "eedly" {
            if !Self.keepEed.contains(before) && start >= w.r1 { w.replaceSuffix(suffix.count, with: [u("e"), u("e")]) }
            return
        }
        if name == "ing" {
            // dying, lying, tying: a consonant, then y, then -ing, is the whole word.
            if start == 2 && w.letters[1] == Self.y && !Self.isVowel(w.letters[0]) {
                w.replaceSuffix(4, with: [u("i"), u("e")])
                return
            }
            if Self.keepIng.contains(before) { return }
        }
        guard w.letters[0..<start].contains(where: Self.isVowel) else { return }
        w.removeLast(suffix.count)
        if w.endsWith([u("a"), u("t")]) || w.endsWith([u("b"), u("l")]) || w.endsWith([u("i"), u("z")]) {
            w.letters.append(u("e"))
        } else if w.count >= 2, let last = w.letters.last, Self.doubles.contains(last), w.letters[w.count - 2] == last {
            // A double after a single a, e or o is the whole stem (add, ebb, err): keep it.
            if w.count == 3 && [u("a"), u("e"), u("o")].contains(w.letters[0]) { return }
            w.removeLast(1)
        } else if w.r1 == w.count && endsWithShortSyllable(w, w.count) {
            w.letters.append(u("e"))
        }
    }

    /// The Snowball "short syllable" test on the first `end` letters; words ending in "past" count too.
    private func endsWithShortSyllable(_ w: SnowballWord, _ end: Int) -> Bool {
        let l = w.letters
        if end >= 4 && Array(l[(end - 4)..<end]) == "past".unicodeScalars.map(\.value) { return true }
        if end == 2 {
            return Self.isVowel(l[0]) && !Self.isVowel(l[1])
        }
        guard end >= 3 else { return false }
        let last = l[end - 1]
        return !Self.isVowel(l[end - 3]) && Self.isVowel(l[end - 2]) && !Self.isVowel(last)
            && last != u("w") && last != u("x") && last != Self.capitalY
    }

    private func step1c(_ w: inout SnowballWord) {
        guard w.count > 2, let last = w.letters.last, last == Self.y || last == Self.capitalY,
            !Self.isVowel(w.letters[w.count - 2])
        else { return }
        w.letters[w.count - 1] = u("i")
    }

    private static let step2Rules: [([UInt32], [UInt32])] = [
        ("ization", "ize"), ("ational", "ate"), ("fulness", "ful"), ("ousness", "ous"), ("iveness", "ive"),
        ("tional", "tion"), ("biliti", "ble"), ("lessli", "less"), ("entli", "ent"), ("ation", "ate"),
        ("alism", "al"), ("aliti", "al"), ("ousli", "ous"), ("iviti", "ive"), ("fulli", "ful"), ("enci", "ence"),
        ("anci", "ance"), ("abli", "able"), ("izer", "ize"), ("ator", "ate"), ("alli", "al"), ("bli", "ble"),
        ("ogist", "og"), ("ogi", "og"), ("li", ""),
    ].map { ($0.0.unicodeScalars.map(\.value), $0.1.unicodeScalars.map(\.value)) }
        .sorted { $0.0.count > $1.0.count }
    private static let liEndings: Set<UInt32> = Set("cdeghkmnrt".unicodeScalars.map(\.value))

    private func step2(_ w: inout SnowballWord) {
        guard let rule = Self.step2Rules.first(where: { w.endsWith($0.0) }) else { return }
        let start = w.start(of: rule.0)
        guard start >= w.r1 else { return }
        let suffix = String(decoding: rule.0.map { UInt8($0) }, as: UTF8.self)
        if suffix == "ogi" {
            guard start > 0, w.letters[start - 1] == u("l") else { return }
        } else if suffix == "li" {
            guard start > 0, Self.liEndings.contains(w.letters[start - 1]) else { return }
        }
        w.replaceSuffix(rule.0.count, with: rule.1)
    }

    private static let step3Rules: [([UInt32], [UInt32])] = [
        ("ational", "ate"), ("tional", "tion"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"),
        ("ative", ""), ("ical", "ic"), ("ness", ""), ("ful", ""),
    ].map { ($0.0.unicodeScalars.map(\.value), $0.1.unicodeScalars.map(\.value)) }
        .sorted { $0.0.count > $1.0.count }

    private func step3(_ w: inout SnowballWord) {
        guard let rule = Self.step3Rules.first(where: { w.endsWith($0.0) }) else { return }
        let start = w.start(of: rule.0)
        guard start >= w.r1 else { return }
        if rule.0 == "ative".unicodeScalars.map(\.value) && start < w.r2 { return }
        w.replaceSuffix(rule.0.count, with: rule.1)
    }

    private static let step4Suffixes = suffixList([
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous",
        "ive", "ize", "ion",
    ])

    private func step4(_ w: inout SnowballWord) {
        guard let suffix = w.longestSuffix(Self.step4Suffixes) else { return }
        let start = w.start(of: suffix)
        guard start >= w.r2 else { return }
        if suffix == "ion".unicodeScalars.map(\.value) {
            guard start > 0, w.letters[start - 1] == u("s") || w.letters[start - 1] == u("t") else { return }
        }
        w.removeLast(suffix.count)
    }

    private func step5(_ w: inout SnowballWord) {
        guard let last = w.letters.last else { return }
        let start = w.count - 1
        if last == u("e") {
            if start >= w.r2 || (start >= w.r1 && !endsWithShortSyllable(w, start)) { w.removeLast(1) }
        } else if last == u("l") {
            if start >= w.r2 && start > 0 && w.letters[start - 1] == u("l") { w.removeLast(1) }
        }
    }
}

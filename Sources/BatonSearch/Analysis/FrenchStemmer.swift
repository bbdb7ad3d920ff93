/// The Snowball French stemmer (the 3.0 algorithm: elisions, ë and ï kept apart with an H marker, and the
/// -oux and -ais endings).
struct FrenchStemmer {
    private static let vowels: Set<UInt32> = Set("aeiouyâàëéêèïîôûù".unicodeScalars.map(\.value))
    private static let elisionLetters: Set<UInt32> = Set("cdjlmnst".unicodeScalars.map(\.value))
    private static let keepWithS: Set<UInt32> = Set("aiouès".unicodeScalars.map(\.value))
    private static let ouxEndings: Set<UInt32> = Set("bhjlnp".unicodeScalars.map(\.value))
    private static let h = u("H")

    static func isVowel(_ c: UInt32) -> Bool { vowels.contains(c) }

    func stem(_ word: String) -> String {
        var w = SnowballWord(word)
        removeElision(&w)
        prelude(&w)
        markRegions(&w)
        var changed = standardSuffix(&w)
        if !changed { changed = iVerbSuffix(&w) }
        if !changed { changed = verbSuffix(&w) }
        if changed {
            if w.letters.last == u("Y") {
                w.letters[w.count - 1] = u("i")
            } else if w.letters.last == u("ç") {
                w.letters[w.count - 1] = u("c")
            }
        } else {
            residualSuffix(&w)
        }
        unDouble(&w)
        unAccent(&w)
        return postlude(w)
    }

    // MARK: Before the suffixes

    /// l'homme → homme, qu'il → il.
    private func removeElision(_ w: inout SnowballWord) {
        let l = w.letters
        var length = 0
        if l.count >= 2 && Self.elisionLetters.contains(l[0]) && l[1] == u("'") {
            length = 2
        } else if l.count >= 3 && l[0] == u("q") && l[1] == u("u") && l[2] == u("'") {
            length = 3
        }
        if length > 0 && l.count > length { w.letters.removeFirst(length) }
    }

    /// Marks u, i and y that act as consonants (U, I, Y), u after q, and writes ë and ï as He and Hi.
    private func prelude(_ w: inout SnowballWord) {
        var p = 0
        while p < w.count {
            if markAt(p, &w) { continue }
            p += 1
        }
    }

    private func markAt(_ p: Int, _ w: inout SnowballWord) -> Bool {
        let l = w.letters
        let c = l[p]
        let next: UInt32 = p + 1 < l.count ? l[p + 1] : 0
        let afterNext: UInt32 = p + 2 < l.count ? l[p + 2] : 0
        if Self.isVowel(c) {
            if next == u("u") && Self.isVowel(afterNext) { w.letters[p + 1] = u("U"); return true }
            if next == u("i") && Self.isVowel(afterNext) { w.letters[p + 1] = u("I"); return true }
            if next == u("y") { w.letters[p + 1] = u("Y"); return true }
        }
        if c == u("ë") { w.letters.replaceSubrange(p..<(p + 1), with: [Self.h, u("e")]); return true }
        if c == u("ï") { w.letters.replaceSubrange(p..<(p + 1), with: [Self.h, u("i")]); return true }
        if c == u("y") && Self.isVowel(next) { w.letters[p] = u("Y"); return true }
        if c == u("q") && next == u("u") { w.letters[p + 1] = u("U"); return true }
        return false
    }

    private func markRegions(_ w: inout SnowballWord) {
        let l = w.letters
        let n = l.count
        func starts(with prefix: String) -> Bool {
            let p = prefix.unicodeScalars.map(\.value)
            return n >= p.count && Array(l[0..<p.count]) == p
        }
        if n >= 3 && Self.isVowel(l[0]) && Self.isVowel(l[1]) {
            w.rv = 3
        } else if starts(with: "col") || starts(with: "par") || starts(with: "tap") {
            w.rv = 3
        } else if starts(with: "ni") && n >= 3 && Self.isVowel(l[2]) {
            w.rv = 3
        } else if n >= 2, let vowel = l[1...].firstIndex(where: Self.isVowel) {
            w.rv = vowel + 1
        } else {
            w.rv = n
        }
        w.r1 = w.regionStart(from: 0, isVowel: Self.isVowel)
        w.r2 = w.regionStart(from: w.r1, isVowel: Self.isVowel)
    }

    // MARK: Step 1: standard suffixes

    private enum Standard {
        case plainR2, ation, logie, ution, ence, ement, ite, ive, eaux, aux, oux, euse, issement, amment, emment, ment
    }

    private static let standardSuffixes: [([UInt32], Standard)] = {
        let groups: [(Standard, [String])] = [
            (.plainR2, ["iqUe", "ance", "able", "isme", "iste", "eux", "iqUes", "ances", "ables", "ismes", "istes"]),
            (.ation, ["atrice", "ation", "ateur", "atrices", "ations", "ateurs"]),
            (.logie, ["logie", "logies"]), (.ution, ["usion", "ution", "usions", "utions"]),
            (.ence, ["ence", "ences"]), (.ement, ["ement", "ements"]), (.ite, ["ité", "ités"]),
            (.ive, ["ive", "if", "ives", "ifs"]), (.eaux, ["eaux"]), (.aux, ["aux"]), (.oux, ["oux"]),
            (.euse, ["euse", "euses"]), (.issement, ["issement", "issements"]), (.amment, ["amment"]),
            (.emment, ["emment"]), (.ment, ["ment", "ments"]),
        ]
        return groups.flatMap { kind, words in words.map { ($0.unicodeScalars.map(\.value), kind) } }
            .sorted { $0.0.count > $1.0.count }
    }()

    /// Step 1. True when a suffix was removed; the -amment, -emment and -ment cases change the word but answer
    /// false, so that the verb steps still run.
    private func standardSuffix(_ w: inout SnowballWord) -> Bool {
        guard let (suffix, kind) = Self.standardSuffixes.first(where: { w.endsWith($0.0) }) else { return false }
        let start = w.start(of: suffix)
        let inR1 = start >= w.r1, inR2 = start >= w.r2, inRV = start >= w.rv
        switch kind {
        case .plainR2:
            guard inR2 else { return false }
            w.removeLast(suffix.count)
        case .ation:
            guard inR2 else { return false }
            w.removeLast(suffix.count)
            replaceIc(&w)
        case .logie:
            guard inR2 else { return false }
            w.replaceSuffix(suffix.count, with: letters("log"))
        case .ution:
            guard inR2 else { return false }
            w.replaceSuffix(suffix.count, with: [u("u")])
        case .ence:
            guard inR2 else { return false }
            w.replaceSuffix(suffix.count, with: letters("ent"))
        case .ement:
            guard inRV else { return false }
            w.removeLast(suffix.count)
            afterEment(&w)
        case .ite:
            guard inR2 else { return false }
            w.removeLast(suffix.count)
            if w.endsWith(letters("abil")) {
                if w.count - 4 >= w.r2 { w.removeLast(4) } else { w.replaceSuffix(4, with: letters("abl")) }
            } else if w.endsWith(letters("ic")) {
                replaceIc(&w)
            } else if w.endsWith(letters("iv")) && w.count - 2 >= w.r2 {
                w.removeLast(2)
            }
        case .ive:
            guard inR2 else { return false }
            w.removeLast(suffix.count)
            if w.endsWith(letters("at")) && w.count - 2 >= w.r2 {
                w.removeLast(2)
                replaceIc(&w)
            }
        case .eaux:
            w.replaceSuffix(suffix.count, with: letters("eau"))
        case .aux:
            guard inR1 else { return false }
            w.replaceSuffix(suffix.count, with: letters("al"))
        case .oux:
            guard start > 0, Self.ouxEndings.contains(w.letters[start - 1]) else { return false }
            w.replaceSuffix(suffix.count, with: letters("ou"))
        case .euse:
            if inR2 {
                w.removeLast(suffix.count)
            } else if inR1 {
                w.replaceSuffix(suffix.count, with: letters("eux"))
            } else {
                return false
            }
        case .issement:
            guard inR1, start > 0, !Self.isVowel(w.letters[start - 1]) else { return false }
            w.removeLast(suffix.count)
        case .amment:
            if inRV { w.replaceSuffix(suffix.count, with: letters("ant")) }
            return false
        case .emment:
            if inRV { w.replaceSuffix(suffix.count, with: letters("ent")) }
            return false
        case .ment:
            if start > 0 && Self.isVowel(w.letters[start - 1]) && start - 1 >= w.rv { w.removeLast(suffix.count) }
            return false
        }
        return true
    }

    /// After removing a suffix: a final -ic goes when in R2, else becomes -iqU.
    private func replaceIc(_ w: inout SnowballWord) {
        guard w.endsWith(letters("ic")) else { return }
        if w.count - 2 >= w.r2 { w.removeLast(2) } else { w.replaceSuffix(2, with: letters("iqU")) }
    }

    private static let afterEmentSuffixes = suffixList(["iqU", "abl", "Ièr", "ièr", "eus", "iv"])

    private func afterEment(_ w: inout SnowballWord) {
        guard let suffix = w.longestSuffix(Self.afterEmentSuffixes) else { return }
        let start = w.start(of: suffix)
        switch text(suffix) {
        case "iv":
            guard start >= w.r2 else { return }
            w.removeLast(2)
            if w.endsWith(letters("at")) && w.count - 2 >= w.r2 { w.removeLast(2) }
        case "eus":
            if start >= w.r2 {
                w.removeLast(3)
            } else if start >= w.r1 {
                w.replaceSuffix(3, with: letters("eux"))
            }
        case "iqU", "abl":
            if start >= w.r2 { w.removeLast(3) }
        default:  // ièr, Ièr
            if start >= w.rv { w.replaceSuffix(3, with: [u("i")]) }
        }
    }

    // MARK: Step 2: verb suffixes

    private static let iVerbSuffixes = suffixList([
        "ira", "ie", "isse", "issante", "i", "irai", "ir", "iras", "ies", "îmes", "isses", "issantes", "îtes", "is",
        "irais", "issais", "irions", "issions", "irons", "issons", "issants", "it", "irait", "issait", "issant",
        "iraIent", "issaIent", "irent", "issent", "iront", "ît", "iriez", "issiez", "irez", "issez",
    ])

    /// Step 2a: verb endings starting with i, after a consonant, all inside RV.
    private func iVerbSuffix(_ w: inout SnowballWord) -> Bool {
        guard let suffix = w.longestSuffix(Self.iVerbSuffixes, startingAtOrAfter: w.rv) else { return false }
        let start = w.start(of: suffix)
        guard start - 1 >= w.rv else { return false }
        let before = w.letters[start - 1]
        guard before != Self.h, !Self.isVowel(before) else { return false }
        w.removeLast(suffix.count)
        return true
    }

    private enum Verb { case ions, plain, a, ais }

    private static let verbSuffixes: [([UInt32], Verb)] = {
        let groups: [(Verb, [String])] = [
            (.ions, ["ions"]),
            (.plain, ["era", "ée", "erai", "er", "eras", "ées", "eais", "erais", "erions", "erons", "és", "erait",
                      "eraIent", "èrent", "eront", "ez", "iez", "eriez", "erez", "é"]),
            (.a, ["a", "asse", "ante", "ai", "as", "âmes", "asses", "antes", "âtes", "assions", "ants", "ait", "ant",
                  "aIent", "assent", "ât", "assiez"]),
            (.ais, ["aise", "aises", "ais"]),
        ]
        return groups.flatMap { kind, words in words.map { ($0.unicodeScalars.map(\.value), kind) } }
            .sorted { $0.0.count > $1.0.count }
    }()

    /// Step 2b: other verb endings inside RV.
    private func verbSuffix(_ w: inout SnowballWord) -> Bool {
        guard let (suffix, kind) = Self.verbSuffixes.first(where: { $0.0.count <= w.count - w.rv && w.endsWith($0.0) })
        else { return false }
        let start = w.start(of: suffix)
        switch kind {
        case .ions:
            guard start >= w.r2 else { return false }
            w.removeLast(suffix.count)
        case .plain:
            w.removeLast(suffix.count)
        case .a:
            w.removeLast(suffix.count)
            if w.letters.last == u("e") && w.count - 1 >= w.rv { w.removeLast(1) }
        case .ais:
            let before = Array(w.letters[..<start])
            // palais and mauvais keep their ending.
            if before.count == 3 && before[1] == u("a") && before[2] == u("l") { return false }
            if before.count >= 3 {
                let tail = text(Array(before.suffix(3)))
                if tail == "épl" || tail == "auv" { return false }
            }
            w.removeLast(suffix.count)
        }
        return true
    }

    // MARK: Steps 4 to 6

    private static let residualSuffixes = suffixList(["e", "Ière", "ière", "ion", "Ier", "ier"])

    private func residualSuffix(_ w: inout SnowballWord) {
        if w.letters.last == u("s"), w.count >= 2 {
            let before = w.letters[w.count - 2]
            let afterHi = w.count >= 3 && w.letters[w.count - 3] == Self.h && before == u("i")
            if afterHi || !Self.keepWithS.contains(before) { w.removeLast(1) }
        }
        guard w.count >= w.rv, let suffix = w.longestSuffix(Self.residualSuffixes, startingAtOrAfter: w.rv) else {
            return
        }
        let start = w.start(of: suffix)
        switch text(suffix) {
        case "ion":
            guard start >= w.r2, start - 1 >= w.rv,
                w.letters[start - 1] == u("s") || w.letters[start - 1] == u("t")
            else { return }
            w.removeLast(3)
        case "e":
            w.removeLast(1)
        default:
            w.replaceSuffix(suffix.count, with: [u("i")])
        }
    }

    private static let doubled = suffixList(["ell", "eill", "enn", "onn", "ett"])

    private func unDouble(_ w: inout SnowballWord) {
        if w.longestSuffix(Self.doubled) != nil { w.removeLast(1) }
    }

    /// A final é or è followed only by consonants loses its accent.
    private func unAccent(_ w: inout SnowballWord) {
        var index = w.count - 1
        while index >= 0 && !Self.isVowel(w.letters[index]) { index -= 1 }
        guard index < w.count - 1, index >= 0 else { return }
        if w.letters[index] == u("é") || w.letters[index] == u("è") { w.letters[index] = u("e") }
    }

    private func postlude(_ w: SnowballWord) -> String {
        var out: [UInt32] = []
        out.reserveCapacity(w.count)
        var index = 0
        let l = w.letters
        while index < l.count {
            let c = l[index]
            if c == Self.h {
                let next: UInt32 = index + 1 < l.count ? l[index + 1] : 0
                if next == u("e") { out.append(u("ë")); index += 2; continue }
                if next == u("i") { out.append(u("ï")); index += 2; continue }
                index += 1
                continue
            }
            switch c {
            case u("I"): out.append(u("i"))
            case u("U"): out.append(u("u"))
            case u("Y"): out.append(u("y"))
            default: out.append(c)
            }
            index += 1
        }
        return text(out)
    }

    private func letters(_ string: String) -> [UInt32] { string.unicodeScalars.map(\.value) }
}

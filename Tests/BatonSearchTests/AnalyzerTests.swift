import Testing

@testable import BatonSearch

@Suite struct AnalyzerTests {
    func terms(_ text: String, _ language: Language = .english) -> [String] {
        Analyzer(language: language).tokens(text).map(\.term)
    }

    func positioned(_ text: String) -> [String] {
        Analyzer(language: .english).tokens(text).map { "\($0.term)@\($0.position)" }
    }

    @Test func wordsAreLowerCasedAndStemmed() {
        #expect(terms("Handing over the Contracts, quickly!") == ["hand", "over", "the", "contract", "quick"])
    }

    @Test func asciiLiteralsTakeTheShortPathToTheSameTerm() {
        // Every pair of ASCII characters, and a few identifiers: the ASCII path of `literal` against the
        // Unicode one (normalise, fold, encode), and `text` against building the string scalar by scalar.
        let analyzer = Analyzer(language: .english)
        var words = ["Config.YAML_v2", "X-Request-ID", "0x7F", "a.b.c", "HTTP/1.1"]
        for a in 32..<128 { for b in 32..<128 { words.append(String(UnicodeScalar(UInt8(a))) + String(UnicodeScalar(UInt8(b)))) } }
        for word in words {
            let scalars = word.unicodeScalars.map(\.value)
            let unicodePath = text(UnicodeFolding.removeDiacritics(UnicodeFolding.normalize(scalars)))
            #expect(analyzer.literal(Substring(word)) == unicodePath, "\(word)")
        }
        let letters: [UInt32] = [0x48, 0xE9, 0x2019, 0x1F600, 0xD800, 0x10FFFF + 1, 0x5B57]
        let byScalars = String(String.UnicodeScalarView(letters.compactMap(Unicode.Scalar.init)))
        #expect(text(letters) == byScalars)
        #expect(text(letters) == "Hé’😀字")
    }

    @Test func diacriticsFoldAfterStemming() {
        #expect(terms("café Zoë naïve") == ["cafe", "zoe", "naiv"])
        #expect(terms("élégante", .french) == ["eleg"])
        #expect(terms("Häuser Straße", .german) == ["haus", "strass"])
    }

    @Test func compatibilityFormsNormalise() {
        // Full-width letters, a ligature, and e followed by a combining acute accent.
        #expect(terms("ＡＢＣ") == ["abc"])
        #expect(terms("ﬁle") == ["file"])
        #expect(terms("cafe\u{301}") == ["cafe"])
    }

    @Test func identifiersAreIndexedWholeAndInParts() {
        #expect(positioned("json.dumps max_connections") == [
            "json.dumps@0", "json@0", "dump@1", "max_connections@2", "max@2", "connect@3",
        ])
    }

    @Test func hyphenatedWordsAreIndexedAsPartsAndJoined() {
        #expect(positioned("on-call hand-off") == ["oncal@0", "on@0", "call@1", "handoff@2", "hand@2", "off@3"])
        #expect(terms("e-mail") == ["email", "e", "mail"])
        #expect(terms("email") == ["email"])
    }

    @Test func compoundsOfManyPartsKeepEveryPart() {
        // Four parts are held inline, more spill into an array: both give every part, in order.
        #expect(positioned("a.b.c.d") == ["a.b.c.d@0", "a@0", "b@1", "c@2", "d@3"])
        #expect(terms("one.two.three.four.five.six") == [
            "one.two.three.four.five.six", "one", "two", "three", "four", "five", "six",
        ])
    }

    @Test func theWordCacheStartsAgainPastItsLimitAndKeepsTheTerms() {
        let analyzer = Analyzer(language: .english)
        #expect(analyzer.term(for: "handing") == "hand")
        // Enough other words to fill the cache and clear it: the first word's term is made again, the same.
        for number in 0..<(Analyzer.cacheLimit + 10) { _ = analyzer.term(for: Substring("w\(number)x")) }
        #expect(analyzer.term(for: "handing") == "hand")
        #expect(analyzer.term(for: "contracts") == "contract")
    }

    @Test func numbersAndDatesAreKept() {
        #expect(terms("Python 3.11 on 2026-11-22") == ["python", "3.11", "3", "11", "on", "2026-11-22", "2026", "11", "22"])
    }

    @Test func apostrophesStayInsideWords() {
        #expect(terms("the user's guide, don’t") == ["the", "user", "guid", "dont"])
        #expect(terms("l'homme", .french) == ["homm"])
    }

    @Test func otherScriptsAreWords() {
        #expect(terms("Привет мир 東京") == ["привет", "мир", "東京"])
    }

    @Test func offsetsPointAtTheWord() {
        let text = "Zoë's on-call"
        let tokens = Analyzer(language: .english).tokens(text)
        let bytes = Array(text.utf8)
        let words = tokens.map { String(decoding: bytes[$0.start..<$0.end], as: UTF8.self) }
        #expect(words == ["Zoë's", "on-call", "on", "call"])
    }

    @Test func stopWordsAreRecognisedAsTerms() {
        let analyzer = Analyzer(language: .english)
        #expect(analyzer.isStopTerm("the"))
        #expect(!analyzer.isStopTerm("contract"))
    }

    @Test func overlongWordsAreSkipped() {
        #expect(terms(String(repeating: "x", count: 80) + " ok") == ["ok"])
    }
}

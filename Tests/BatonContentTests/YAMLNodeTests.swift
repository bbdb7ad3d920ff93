import Testing

@testable import BatonContent

@Suite struct YAMLNodeTests {
    /// Strings chosen to trip a YAML writer: indicators, things that read as other types, quotes, line breaks.
    static let awkward = [
        "plain", "yes", "No", "null", "~", "123", "1.5", "0x1F", "2026-01-01", "- dash", "key: value", "a #comment",
        "ends with colon:", "'single'", "\"double\"", "back\\slash", "tab\there", "line\nbreak", "trailing\n",
        " leading space", "trailing space ", "", "[flow]", "{map}", "a, b", "@at", "`tick", "%percent", "!bang",
        "&anchor", "*alias", "|pipe", ">fold", "?question", "Zoë — naïve café", "emoji 🚰", "\u{7}bell",
    ]

    @Test func everyStringSurvivesEmitAndParse() throws {
        let pairs = Self.awkward.enumerated().map { YAMLNode.Pair(key: "k\($0.offset)", value: .string($0.element)) }
        let text = YAMLEmitter.emit(pairs: pairs)
        let parsed = try YAMLNode.parse(text)
        for (index, expected) in Self.awkward.enumerated() {
            #expect(parsed["k\(index)"]?.scalarText == expected, "\(expected.debugDescription) in:\n\(text)")
            #expect(parsed["k\(index)"]?.isNull == false)
        }
    }

    @Test func everyStringSurvivesInFlowSequences() throws {
        let node = YAMLNode.sequence(Self.awkward.map(YAMLNode.string), flow: true)
        let text = YAMLEmitter.emit(pairs: [.init(key: "list", value: node)])
        let parsed = try YAMLNode.parse(text)
        #expect(parsed["list"]?.items?.map(\.scalarText) == Self.awkward.map(Optional.some))
    }

    @Test func nestedStructuresRoundTrip() throws {
        let source = """
            a: 1
            b:
              - x
              - {y: 2, z: [3, 4]}
              - - inner
                - list
            c:
              d: |
                line one
                line two
              e: 'quoted'
            f:
            """
        let parsed = try YAMLNode.parse(source)
        let again = try YAMLNode.parse(YAMLEmitter.emit(pairs: parsed.pairs ?? []))
        #expect(again == parsed)
        #expect(again["b"]?.items?[1].isFlow == true)
        #expect(again["c"]?["d"]?.scalarText == "line one\nline two\n")
        #expect(again["f"]?.isNull == true)
    }

    @Test func syntaxErrorsReportTheFileLine() {
        do {
            _ = try YAMLNode.parse("a: 1\nb: [2\nc: 3\n", firstLine: 10)
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.line >= 11 && error.line <= 13)
        }
    }

    @Test func aliasesReadAsTheirAnchoredValue() throws {
        let parsed = try YAMLNode.parse("a: &x [1, 2]\nb: *x\n")
        #expect(parsed["b"] == parsed["a"])
    }
}

import BatonJSON
import BatonSearch
import Foundation
import Testing

@testable import BatonContent

@Suite struct JSONValueTests {
    @Test func renderedTextParsesBackToTheSameValues() throws {
        let awkward = "quote \" backslash \\ newline \n tab \t bell \u{7} C1 \u{85} café 🚰"
        let value = JSONValue.object([
            ("text", .string(awkward)), ("number", .int(42)), ("fraction", .number(0.25)), ("flag", .bool(true)),
            ("nothing", .null), ("list", .array([.string("a"), .int(1)])), ("empty", .object([])),
        ])
        for pretty in [true, false] {
            let parsed = try #require(
                try JSONSerialization.jsonObject(with: Data(value.rendered(pretty: pretty).utf8)) as? [String: Any])
            #expect(parsed["text"] as? String == awkward)
            #expect(parsed["number"] as? Int == 42)
            #expect(parsed["fraction"] as? Double == 0.25)
            #expect(parsed["flag"] as? Bool == true)
            #expect(parsed["nothing"] is NSNull)
            #expect((parsed["list"] as? [Any])?.count == 2)
        }
    }

    /// The quoting that works on bytes gives what quoting scalar by scalar gives, on random text of every kind
    /// of character it treats apart (the scalar-by-scalar version is the oracle, written here).
    @Test func quotingMatchesAScalarByScalarOracle() {
        func oracle(_ text: String) -> String {
            var out = "\""
            for scalar in text.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                        let hex = String(scalar.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(scalar)
                    }
                }
            }
            return out + "\""
        }
        let pool: [Unicode.Scalar] = ["a", "Z", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{1f}", "\u{7f}", "\u{80}", "\u{85}",
                                      "\u{9f}", "\u{a0}", "é", "\u{100}", "\u{2028}", "€", "🚰", "\u{10ffff}"]
        var state: UInt64 = 0x9e3779b97f4a7c15
        for _ in 0..<2000 {
            var text = ""
            state = state &* 6364136223846793005 &+ 1442695040888963407
            for _ in 0..<Int(state >> 59) {
                state = state &* 6364136223846793005 &+ 1442695040888963407
                text.unicodeScalars.append(pool[Int(state >> 33) % pool.count])
            }
            #expect(text.doubleQuoted == oracle(text), "\(Array(text.unicodeScalars))")
        }
        #expect("".doubleQuoted == "\"\"")
    }

    @Test func keysKeepTheirOrder() {
        let value = JSONValue.object([("b", .int(1)), ("a", .int(2))])
        #expect(value.rendered(pretty: false) == "{\"b\":1,\"a\":2}")
    }
}

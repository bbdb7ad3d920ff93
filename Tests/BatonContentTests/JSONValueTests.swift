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

    @Test func keysKeepTheirOrder() {
        let value = JSONValue.object([("b", .int(1)), ("a", .int(2))])
        #expect(value.rendered(pretty: false) == "{\"b\":1,\"a\":2}")
    }
}

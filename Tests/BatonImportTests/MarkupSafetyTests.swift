import Foundation
import Testing

@testable import BatonImport

@Suite struct MarkupSafetyTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: Self.fixtures.appendingPathComponent(name)))
    }

    @Test func declaredAndUndeclaredEncodingsAreRead() throws {
        let latin = try HTMLImporter.page(try bytes("latin1.html"))
        #expect(latin.title == "Café règles")
        #expect(latin.markdown.contains("Le café ouvre à 8 h."))
        let windows = try HTMLImporter.page(try bytes("cp1252.html"))
        #expect(windows.markdown.contains("“Smart” quotes — and €5."))
        let utf8 = try HTMLImporter.page(try bytes("undeclared-utf8.html"))
        #expect(utf8.title == "Zoë’s notes")
        #expect(utf8.markdown.contains("naïve café"))
    }

    @Test func malformedHTMLIsRecovered() throws {
        let page = try HTMLImporter.page(try bytes("malformed.html"))
        #expect(page.markdown.contains("Unclosed **bold *and italic***"))
        #expect(page.markdown.contains("Next para"))
        #expect(page.markdown.contains("cell"))
    }

    @Test func externalEntitiesAreNeverFetched() throws {
        let root = try Markup.parseXML(try bytes("xxe.xml"), limits: MarkupLimits())
        #expect(!root.text.contains("root:"))
        #expect(root.text.contains("&secret;"))
    }

    @Test func entityBombsAreHarmless() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let outcome = Result { try Markup.parseXML(try bytes("billion-laughs.xml"), limits: MarkupLimits()) }
        #expect(clock.now - started < .seconds(2))
        // Either refused, or read with the entity left unexpanded: never a billion laughs in memory.
        if case .success(let root) = outcome {
            #expect(root.text.count < 1000)
        }
    }

    @Test func limitsAreEnforced() throws {
        var limits = MarkupLimits()
        limits.maximumBytes = 10
        #expect(throws: MarkupError.self) { _ = try Markup.parseHTML(Array("<p>more than ten bytes</p>".utf8), encoding: nil, limits: limits) }
        var shallow = MarkupLimits()
        shallow.maximumDepth = 3
        let deep = String(repeating: "<div>", count: 50) + "deep text" + String(repeating: "</div>", count: 50)
        let root = try Markup.parseHTML(Array(("<html><body>" + deep + "</body></html>").utf8), encoding: "UTF-8", limits: shallow)
        #expect(root.text.contains("deep text"))
    }

    @Test func notWellFormedXMLIsAClearError() {
        #expect(throws: MarkupError.self) { _ = try Markup.parseXML(Array("<a><b></a>".utf8), limits: MarkupLimits()) }
    }
}

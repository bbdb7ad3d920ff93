import BatonContent
import Foundation
import Testing

@testable import BatonImport

@Suite struct TextKeptTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    static let lossy = fixtures + "/kept/summary-in-main.html"

    @Test func wordsAreCountedAsAMultiset() {
        var source = WordBag()
        source.add("Escalate, escalate, ESCALATE — then call the desk_lead.")
        var kept = WordBag()
        kept.add("escalate then call desk_lead desk_lead")
        let share = TextKept.between(source: source, kept: kept)
        // escalate ×3 in the source, once kept; "the" lost; "desk_lead" is one word, counted once.
        #expect(share == TextKept(sourceWords: 7, keptWords: 4))
        #expect(share.percent == 57)
        #expect(TextKept(sourceWords: 0, keptWords: 0).share == 1)
        // Rounded down: 79.9 % is not 80 %.
        #expect(TextKept(sourceWords: 1000, keptWords: 799).percent == 79)
    }

    @Test func markdownLinkTargetsAreNotTextAndEscapesAreUndone() {
        var bag = WordBag()
        bag.add(markdown: "See [the *guide*](../runbooks/exit-guide.md#step) and [plan](<a b.md>) for \\_init\\_ \\| x")
        var expected = WordBag()
        expected.add("see the guide and plan for _init_ x")
        #expect(bag.counts == expected.counts)
        #expect(bag.total == expected.total)
    }

    @Test func markupTextNodesAreWordsOfTheirOwnAndSkippedElementsCountNothing() {
        let node = MarkupNode.element(name: "tr", attributes: [:], children: [
            .element(name: "td", attributes: [:], children: [.text("one")]),
            .element(name: "td", attributes: [:], children: [.text("two")]),
            .element(name: "remark", attributes: [:], children: [.text("hidden words")]),
        ])
        var bag = WordBag()
        bag.add(node, skip: { $0.name == "remark" })
        #expect(bag.counts == ["one": 1, "two": 1])
    }

    @Test func aPageWhoseMainMissesTheArticleReportsWhatItKept() throws {
        let page = try HTMLImporter.page(Array(FileManager.default.contents(atPath: Self.lossy)!))
        let kept = try #require(page.kept)
        // The visible words are the heading, the summary and the three paragraphs (115: lxml's text_content,
        // without nav, footer and head, finds 114, as it runs "plan" and "A" of adjacent elements together);
        // navigation and footer do not count. What `<main>` holds is kept: 12 words.
        #expect(kept.sourceWords == 115)
        #expect(kept.keptWords == 12)
        #expect(Importer.describe(kept) == "kept 10 % of its visible text (12 of 115 words)")
    }

    @Test func strictRefusesAFileBelowTheThresholdAndWritesNothing() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        let warned = Importer(knowledgeBase: try folder.load(), options: options).run([Self.lossy])
        #expect(warned.map(\.outcome) == [.imported])
        #expect(warned[0].kept?.percent == 10)
        try FileManager.default.removeItem(atPath: folder.root + "/content/knowledge")
        options.strict = true
        let refused = Importer(knowledgeBase: try folder.load(), options: options).run([Self.lossy])
        #expect(refused.map(\.outcome) == [.failed("kept 10 % of its visible text (12 of 115 words), below the 80 % threshold; nothing written (--strict)")])
        #expect(!FileManager.default.fileExists(atPath: folder.root + "/content/knowledge"))
        // A lower threshold lets it through.
        options.minimumShare = 0.1
        #expect(Importer(knowledgeBase: try folder.load(), options: options).run([Self.lossy]).map(\.outcome) == [.imported])
    }

    @Test func aBooksChaptersCarryTheWholeFilesFigure() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        let results = Importer(knowledgeBase: try folder.load(), options: Importer.Options()).run([Self.fixtures + "/book.xml"])
        #expect(results.count == 2)
        // Everything but the book's own title ("Service manual"), which no chapter carries.
        #expect(Set(results.compactMap(\.kept)) == [TextKept(sourceWords: 50, keptWords: 48)])
        #expect(Set(results.compactMap(\.file)).count == 1)
        var options = Importer.Options()
        options.strict = true
        options.minimumShare = 0.99
        let refused = Importer(knowledgeBase: try ImporterTests.KnowledgeBaseFolder().load(), options: options)
            .run([Self.fixtures + "/book.xml"])
        #expect(refused.count == 1)
        #expect(refused[0].outcome.label == "failed")
    }

    @Test func aMappingThatLeavesFieldsOutCountsThemAsLost() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.mapping = ImportMapping(records: "/export/risk", title: "string(name)", body: nil, name: nil, section: nil, fields: [])
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([Self.fixtures + "/risks.xml"])
        let kept = try #require(results.first?.kept)
        #expect(kept.sourceWords > kept.keptWords)
        options.mapping = try ImportMapping.read(path: Self.fixtures + "/risks.yml")
        let whole = Importer(knowledgeBase: try ImporterTests.KnowledgeBaseFolder().load(), options: options).run([Self.fixtures + "/risks.xml"])
        #expect(whole.first?.kept?.share == 1)
    }
}

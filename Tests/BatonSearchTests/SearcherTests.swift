import Foundation
import Testing

@testable import BatonSearch

@Suite struct SearcherTests {
    static let corpus: [SearchDocument] = [
        document("a", title: "Exit plan", body: "How the partnership ends well. The exit plan covers IP and staff."),
        document("b", title: "Contract change process", body: "Raise a change request. The contract changes only "
            + "after both commercial managers sign the change note."),
        document("c", title: "On-call hand-off", body: "The day team hands off to the on-call team at 18:00. "
            + "The handoff note lists open incidents.", type: "runbook"),
        document("d", title: "Escalation path", body: "Escalate an issue tier by tier. Escalation reaches the board "
            + "last. Use json.dumps for the export and max_connections for the pool."),
        document("e", title: "People", body: "Amara leaves in January and hands over to Ben.", type: "person"),
    ]

    func ids(_ query: String, _ options: SearchOptions = SearchOptions()) throws -> [String] {
        let folder = TemporaryFolder()
        let searcher = Searcher(index: try buildIndex(Self.corpus, in: folder))
        return try searcher.search(query, options: options).hits.map(\.id)
    }

    @Test func wordsMustAllMatch() throws {
        #expect(try ids("exit plan") == ["a"])
        #expect(try ids("change contract") == ["b"])
    }

    @Test func stemmingMatchesOtherForms() throws {
        #expect(try ids("escalating") == ["d"])
        #expect(Set(try ids("hand")) == ["c", "e"])
    }

    @Test func joinedHyphenatedAndSplitFormsMeet() throws {
        #expect(try ids("handoff").first == "c")
        #expect(try ids("hand-off").first == "c")
        #expect(try ids("\"hand off\"").first == "c")
        #expect(try ids("oncall") == ["c"])
    }

    @Test func identifiersMatchWholeAndInParts() throws {
        #expect(try ids("json.dumps") == ["d"])
        #expect(try ids("dumps") == ["d"])
        #expect(try ids("max_connections") == ["d"])
    }

    @Test func phrasesRankWordsInOrderFirstThenWordsNearEachOther() throws {
        let folder = TemporaryFolder()
        let searcher = Searcher(index: try buildIndex([
            document("exact", body: "The exit plan is agreed."),
            document("swapped", body: "A plan for the exit is agreed."),
            document("near", body: "The exit of staff follows the agreed plan."),
            document("far", body: "The exit was sudden. " + String(repeating: "Nothing else was said. ", count: 3)
                + "Later a plan was made."),
            document("one", body: "The exit is near."),
        ], in: folder))
        let results = try searcher.search("\"exit plan\"")
        #expect(results.hits.map(\.id) == ["exact", "swapped", "near"])
        // Half an occurrence at most for a near match: "plan ... exit" spans 4 positions, "exit ... plan" 7.
        #expect(results.hits[0].score > results.hits[1].score && results.hits[1].score > results.hits[2].score)
        // A compound's parts must still stand side by side.
        #expect(try searcher.search("exit-plan").hits.map(\.id) == ["exact"])
        #expect(try ids("\"plan exit\"") == ["a"])  // near: "the exit plan" holds both words
    }

    @Test func operatorsWork() throws {
        #expect(Set(try ids("exit OR escalation")) == ["a", "d"])
        #expect(try ids("team -handoff") == [])
        #expect(try ids("change -request") == [])
        #expect(try ids("title:exit") == ["a"])
        #expect(try ids("title:staff") == [])
        #expect(try ids("hands type:person") == ["e"])
        #expect(try ids("(exit OR contract) plan") == ["a"])
    }

    @Test func prefixAndFuzzy() throws {
        #expect(try ids("escal*") == ["d"])
        #expect(try ids("partnersh*") == ["a"])
        #expect(try ids("contarct~") == ["b"])
        #expect(try ids("escalte~") == ["d"])
        #expect(try ids("cnotarct~2") == ["b"])
    }

    @Test func mostWordsWhenNoPageHasAll() throws {
        let folder = TemporaryFolder()
        let searcher = Searcher(index: try buildIndex(Self.corpus, in: folder))
        let results = try searcher.search("exit plan unicorns")
        #expect(results.hits.first?.id == "a")
        #expect(results.notice?.contains("No result has all of") == true)
    }

    @Test func snippetsMarkMatchesAndEscape() throws {
        let folder = TemporaryFolder()
        let docs = [document("x", title: "T", body: "Before <b>bold</b> & the escalation path is long.",
                             sections: [.init(offset: 0, anchor: "intro"), .init(offset: 20, anchor: "path")])]
        let searcher = Searcher(index: try buildIndex(docs, in: folder))
        let hit = try #require(try searcher.search("escalation").hits.first)
        #expect(hit.snippet.contains("<mark>escalation</mark>"))
        #expect(hit.snippet.contains("&lt;b&gt;bold&lt;/b&gt; &amp;"))
        #expect(hit.anchor == "path")
    }

    @Test func facetsCountEveryMatch() throws {
        let folder = TemporaryFolder()
        let searcher = Searcher(index: try buildIndex(Self.corpus, in: folder))
        let results = try searcher.search("the")
        #expect(results.total == 4)
        #expect(results.facets["type"]?.first?.value == "knowledge")
    }

    @Test func didYouMean() throws {
        let folder = TemporaryFolder()
        let searcher = Searcher(index: try buildIndex(Self.corpus, in: folder))
        // Field-scoped words are not corrected without asking: the query finds nothing and a spelling is offered.
        let results = try searcher.search("title:contarct")
        #expect(results.hits.isEmpty)
        #expect(results.suggestion == "contract")
    }

    @Test func plainWordsWithATypoFindTheirNearestTermsAtALowerWeight() throws {
        let folder = TemporaryFolder()
        let searcher = Searcher(index: try buildIndex(Self.corpus, in: folder))
        let typo = try searcher.search("contarct")
        let exact = try searcher.search("contract")
        #expect(typo.hits.map(\.id) == exact.hits.map(\.id))
        #expect(!typo.hits.isEmpty)
        #expect(typo.notice == "Showing results for contract.")
        // One edit away: half the weight of the exact word (idf and frequencies are the same).
        #expect(abs(typo.hits[0].score - exact.hits[0].score / 2) < 1e-9)
        #expect(exact.notice == nil)
        // Long words may be two edits away (a dropped and a swapped letter), at a third of the weight.
        let far = try searcher.search("patnersip")
        let partnership = try searcher.search("partnership")
        #expect(far.hits.map(\.id) == ["a"])
        #expect(far.hits.map(\.id) == partnership.hits.map(\.id))
        #expect(abs(far.hits[0].score - partnership.hits[0].score / 3) < 1e-9)
        #expect(far.notice == "Showing results for partnership.")
        // Short words are not guessed at.
        #expect(try searcher.search("cnte").hits.isEmpty)
    }

    @Test func typosAreMatchedOnWordsAsWrittenSharingTheFirstOrLastTwoLetters() throws {
        let folder = TemporaryFolder()
        let index = try buildIndex(Self.corpus, in: folder)
        let vocabulary = SurfaceVocabulary(index: index)
        // "escalation" stems to "escal", far from "escalaton"; the written word is one edit away.
        let near = vocabulary.near("escalaton", maxDistance: 1)
        #expect(near.map(\.word.surface) == ["escalation"] && near.map(\.word.term) == ["escal"])
        #expect(vocabulary.near("xscalation", maxDistance: 1).map(\.word.surface) == ["escalation"])  // same end
        #expect(vocabulary.near("escalatiox", maxDistance: 1).map(\.word.surface) == ["escalation"])  // same start
        #expect(vocabulary.near("xscalatiox", maxDistance: 2).isEmpty)  // neither: not looked at
        let searcher = Searcher(index: index)
        let results = try searcher.search("escalaton")
        #expect(results.hits.map(\.id) == ["d"])
        #expect(results.notice == "Showing results for escalation.")
        // In a compound, the unknown part is corrected and the parts are required as words.
        let compound = try searcher.search("max_conections")
        #expect(compound.hits.map(\.id) == ["d"])
        #expect(compound.notice == "Showing results for max_connections.")
        #expect(editDistance(Array("contract".utf8), Array("contarct".utf8), maximum: 2) == 1)
        #expect(editDistance(Array("contract".utf8), Array("cotnarct".utf8), maximum: 1) == 2)
    }

    /// The words the writer records as it analyses (what a site build makes its typo vocabularies from) are the
    /// words `SurfaceVocabulary` finds by analysing the stored documents again, in the same order: across
    /// languages, fields and the threads the documents are analysed on, with compounds kept whole, joined or cut,
    /// spellings that fold alike, and words too long to be terms.
    @Test func recordedSurfacesAreTheVocabularyOfTheIndex() throws {
        let long = String(repeating: "x", count: 70)
        let hyphens = Array(repeating: "ab", count: 30).joined(separator: "-")  // 89 bytes whole, 60 joined
        var documents = (0..<150).map { n in
            document("doc-\(n)", title: "Hand-off \(n) for Café cafe CAFÉ", body: """
                max_connections json.dumps 3.11 e-mail \(long) \(hyphens) O'Neil word\(n % 7) naïve Naive \
                don’t hand-off-\(n % 3)
                """, headings: "Straße strasse \(n % 5)-\(n % 11)")
        }
        documents.append(SearchDocument(id: "de", text: ["title": "Übergabe Straße", "body": "Café Übergaben word1"],
                                        keywords: [:], language: .german))
        documents.append(SearchDocument(id: "fr", text: ["title": "Passation l’équipe", "body": "café naïve hand-off"],
                                        keywords: [:], language: .french))
        let folder = TemporaryFolder()
        let writer = try IndexWriter(directory: folder.path, rebuild: true)
        writer.threads = 2
        writer.recordsSurfaces = true
        for document in documents { writer.add(document) }
        try writer.commit()
        let index = try SearchIndex.open(directory: folder.path)
        let recorded = try #require(writer.recordedSurfaces)
        let expected = SurfaceVocabulary(index: index, grouped: false).words
        #expect(expected.count > 20)
        #expect(SurfaceVocabulary(recorded: recorded).words == expected)
        #expect(expected.contains { $0.surface == hyphens } && !expected.contains { $0.surface == long })
        #expect(BrowserExport.vocabulary(recorded: recorded).files.contents.map(\.body)
                == BrowserExport.vocabulary(index: index).files.contents.map(\.body))

        // A document replaced before the commit, a second commit, or documents past the heap flushed before the
        // commit, and the record no longer stands for the index: there is none, of either kind.
        func recording(_ folder: TemporaryFolder, heap: Int? = nil) throws -> IndexWriter {
            let writer = try IndexWriter(directory: folder.path, rebuild: true)
            writer.recordsSurfaces = true
            writer.recordsChunks = 1_000
            if let heap { writer.heapBytes = heap }
            return writer
        }
        let replaced = TemporaryFolder()
        let again = try recording(replaced)
        again.add(document("a", body: "first words"))
        again.add(document("a", body: "second words"))
        try again.commit()
        #expect(again.recordedSurfaces == nil && again.recordedChunks == nil)
        let twice = TemporaryFolder()
        let second = try recording(twice)
        second.add(document("a", body: "first words"))
        try second.commit()
        #expect(second.recordedSurfaces != nil && second.recordedChunks != nil)
        second.add(document("b", body: "more words"))
        try second.commit()
        #expect(second.recordedSurfaces == nil && second.recordedChunks == nil)
        let flushed = TemporaryFolder()
        let small = try recording(flushed, heap: 60_000)
        for document in documents { small.add(document) }
        try small.commit()
        #expect(small.recordedSurfaces == nil && small.recordedChunks == nil)
    }
}

/// Two faults of the pruned paths, each once seen in results.
@Suite struct PrunedPathTests {
    @Test func theMostWordsFallbackRunsWithoutFacets() throws {
        let folder = TemporaryFolder()
        let index = try buildIndex([
            document("a", body: "exit plan for the service"),
            document("b", body: "break clause and notice"),
            document("c", body: "exit costs and the break fee"),
        ], in: folder)
        var options = SearchOptions()
        options.facets = false  // the count of matches is not kept: the fallback must not depend on it
        let results = try Searcher(index: index).search("exit clause plan", options: options)
        #expect(!results.hits.isEmpty)
        #expect(results.hits.first?.id == "a")
        #expect(results.notice?.hasPrefix("No result has all of") == true)
    }

    @Test func seekingABlockDoesNotMakeTheFirstDocumentAMatch() throws {
        let folder = TemporaryFolder()
        // "alpha" in every document but the first, over several blocks.
        let documents = (0..<400).map { number in
            document(String(format: "doc-%03d", number), body: number == 0 ? "beta only" : "alpha beta \(number)")
        }
        let index = try buildIndex(documents, in: folder)
        let segment = index.segments[0]
        let info = try #require(segment.lookup("alpha"))
        var cursor = segment.postings(info)
        let block = cursor.seekBlock(to: 0)
        #expect(block != nil)
        let found = cursor.advance(to: 0)
        #expect(found)
        #expect(segment.storedID(Int(cursor.doc)) != "doc-000", "a document without the word was reported")
        // Through the engine: the page without both words is never a result, with or without pruning.
        for pruning in [true, false] {
            var options = SearchOptions()
            options.pruning = pruning
            options.facets = false
            options.limit = 1000
            let ids = try Searcher(index: index).search("alpha beta", options: options).hits.map(\.id)
            #expect(!ids.contains("doc-000"), "pruning \(pruning)")
            #expect(ids.count == 399, "pruning \(pruning)")
        }
    }

    /// Positions come back right wherever a document's fall: within one chunk of gaps, across chunks, in a
    /// later block, after documents whose positions were never read, and twice in a row (empty the second time).
    @Test func positionsAreRightAcrossChunksAndBlocksWhenDocumentsAreSkipped() throws {
        let folder = TemporaryFolder()
        // Document n has "alpha" (n % 7) * 40 + 1 times, every third word, so long runs cross chunks of 128.
        func words(_ number: Int) -> [String] {
            (0..<((number % 7) * 40 + 1) * 3).map { $0 % 3 == 0 ? "alpha" : "w\($0 % 5)" }
        }
        let documents = (0..<300).map { number in
            document(String(format: "doc-%03d", number), body: words(number).joined(separator: " "))
        }
        let index = try buildIndex(documents, in: folder)
        let segment = index.segments[0]
        let info = try #require(segment.lookup("alpha"))
        let bodyStart = segment.fieldNames.prefix(while: { $0 != "body" }).enumerated().reduce(0) { start, field in
            start + segment.fieldLength(doc: 0, field: field.offset) + 8
        }
        var cursor = segment.postings(info)
        var buffer: [UInt32] = []
        for target in stride(from: 0, to: 300, by: 11).map(UInt32.init) {
            let found = cursor.advance(to: target)
            #expect(found)
            let id = segment.storedID(Int(cursor.doc))
            let number = Int(id.dropFirst(4))!
            let expected = words(number).enumerated().filter { $0.element == "alpha" }.map { UInt32(bodyStart + $0.offset) }
            cursor.positions(into: &buffer)
            #expect(buffer == expected, "\(id)")
            cursor.positions(into: &buffer)
            #expect(buffer.isEmpty, "positions are read once")
        }
        let failed = cursor.failed
        #expect(!failed)
    }

    // MARK: Ranking

    /// Each field saturates on its own: a title hit on a long page is not drowned by another page's many body
    /// hits (one saturation of the weighted sum ranked the body-only page first).
    @Test func aTitleHitOnALongPageCounts() throws {
        let filler = String(repeating: "The service runs as agreed and the reports go out on time. ", count: 40)
        let folder = TemporaryFolder()
        let index = try buildIndex([
            document("titled", title: "Exit plan", body: filler),
            document("mentions", title: "Service report", body: filler + String(repeating: "exit ", count: 20)),
        ], in: folder)
        for pruning in [true, false] {
            var options = SearchOptions()
            options.pruning = pruning
            #expect(try Searcher(index: index).search("exit", options: options).hits.map(\.id) == ["titled", "mentions"])
        }
    }

    /// Three words or more: pages with any of them, those with more first at equal strength, and a notice when
    /// no result has them all.
    @Test func threeWordsRankPagesWithAnyOfThem() throws {
        let folder = TemporaryFolder()
        let index = try buildIndex([
            document("all", body: "renew the contract at expiry with notice"),
            document("two", body: "renew the contract at expiry"),
            document("one", body: "the contract"),
            document("none", body: "an unrelated page"),
        ], in: folder)
        let results = try Searcher(index: index).search("renew contract notice")
        #expect(results.hits.map(\.id) == ["all", "two", "one"])
        #expect(results.notice == nil)
        let partial = try Searcher(index: index).search("renew contract unicorn")
        // Both have two of the words: the shorter page first, as BM25 has it.
        #expect(partial.hits.map(\.id) == ["two", "all", "one"])
        #expect(partial.notice == "No result has all of: renew, contract, unicorn; showing the closest.")
    }

    /// An explanation adds up: the fields make each term's score, the terms times the coordination factor make
    /// the hit's.
    @Test func explanationsAddUpToTheScore() throws {
        let folder = TemporaryFolder()
        let searcher = Searcher(index: try buildIndex(SearcherTests.corpus, in: folder))
        var options = SearchOptions()
        options.explain = true
        for query in ["exit plan", "contract change note sign", "\"change note\"", "escalation OR exit"] {
            let results = try searcher.search(query, options: options)
            #expect(!results.hits.isEmpty, "\(query)")
            for hit in results.hits {
                let explanation = try #require(hit.explanation, "\(query)")
                let parts: Double = explanation.parts.map(\.score).reduce(0, +)
                let factor: Double = explanation.coordination?.factor ?? 1
                let tolerance: Double = 1e-9 * max(1, hit.score)
                #expect(abs(parts * factor - hit.score) <= tolerance, "\(query) \(hit.id)")
                for part in explanation.parts where !part.fields.isEmpty {
                    let fields: Double = part.fields.map(\.score).reduce(0, +)
                    #expect(abs(fields - part.score) <= 1e-9 * max(1, part.score))
                }
            }
        }
        let loose = try searcher.search("contract change note sign", options: options)
        #expect(loose.hits.first?.id == "b")
        #expect(loose.hits.first?.explanation?.coordination?.matched == 4)
        let term = try #require(loose.hits.first?.explanation?.parts.first { $0.term == "contract" })
        #expect(term.fields.map { $0.name } == ["title", "body"])
    }

    /// A run of query words that spells a synonym group's entry matches any entry of the group: a word as a word,
    /// several as a phrase; the group counts as one word of the query.
    @Test func synonymsMatchEitherWay() throws {
        let folder = TemporaryFolder()
        let index = try buildIndex([
            document("short", body: "The SLA for the service desk is four hours."),
            document("long", body: "The service level agreement sets four hours for the desk."),
            document("split", body: "Service quality is agreed each level of the way."),
            document("other", body: "The desk opens at eight."),
        ], in: folder)
        var options = SearchOptions()
        options.synonyms = [["sla", "service level agreement"], ["wal", "write-ahead log"]]
        let searcher = Searcher(index: index)
        #expect(Set(try searcher.search("SLA", options: options).hits.map(\.id)) == ["short", "long"])
        #expect(Set(try searcher.search("service level agreement", options: options).hits.map(\.id)) == ["short", "long"])
        // Both words must still match: the group is one of them.
        #expect(Set(try searcher.search("sla desk", options: options).hits.map(\.id)) == ["short", "long"])
        // Without the groups, as before.
        #expect(try searcher.search("SLA").hits.map(\.id) == ["short"])
        options.explain = true
        let loose = try searcher.search("service level agreement desk hours", options: options)
        #expect(loose.hits.first?.explanation?.coordination?.words == 3)
    }

    /// The forms one word stands for are alternatives: a page that writes a compound both ways scores as its
    /// better form, not as the two added.
    @Test func aWordWrittenTwoWaysIsNotCountedTwice() throws {
        let folder = TemporaryFolder()
        let searcher = Searcher(index: try buildIndex([
            document("both", body: "The handoff note. Each hand off is logged."),
            document("one", body: "The handoff note is logged daily."),
        ], in: folder))
        func score(_ query: String) throws -> Double {
            try #require(try searcher.search(query).hits.first { $0.id == "both" }).score
        }
        let compound = try score("hand-off")
        #expect(abs(compound - max(try score("handoff"), try score("\"hand off\""))) < 1e-9)
        var options = SearchOptions()
        options.explain = true
        let parts = try #require(try searcher.search("hand-off", options: options).hits.first { $0.id == "both" }?.explanation?.parts)
        #expect(parts.count == 1)
    }

    /// `prefix*` reads the first 512 terms in byte order over the whole index, as the browser reads its export,
    /// not 512 from each segment: a frequent term past them stays out however many segments there are.
    @Test func prefixExpansionIsCappedOverTheWholeIndex() throws {
        let folder = TemporaryFolder()
        let first = try IndexWriter(directory: folder.path, rebuild: true)
        for n in 0..<300 { first.add(document(String(format: "a%03d", n), body: String(format: "zq%03d", n))) }
        try first.commit()
        let second = try IndexWriter(directory: folder.path)
        for n in 300..<600 { second.add(document(String(format: "b%03d", n), body: String(format: "zq%03d", n))) }
        for n in 0..<10 { second.add(document("hot-\(n)", body: "zq550 zq550")) }
        try second.commit()
        let index = try SearchIndex.open(directory: folder.path)
        #expect(index.segments.count >= 2)
        var options = SearchOptions()
        options.limit = 100
        let ids = try Searcher(index: index).search("zq*", options: options).hits.map(\.id)
        #expect(!ids.isEmpty && !ids.contains { $0.hasPrefix("hot-") } && !ids.contains("b550"), "\(ids.prefix(5))")
        #expect(ids.contains("a000"))
    }
}


import BatonContent
import Foundation
import Testing
import ZIPFoundation

@testable import BatonImport

/// Word and OpenDocument files: one document written by hand as flat OpenDocument (`exit-plan.fodt`) and the
/// `.odt` and `.docx` LibreOffice made of it (`soffice --headless --convert-to odt|docx`), so all three must say
/// the same; and small Word files built here part by part for what LibreOffice does not write.
@Suite struct OfficeTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/office").path

    func importOne(_ file: String, configure: (inout Importer.Options) -> Void = { _ in })
        throws -> (ImporterTests.KnowledgeBaseFolder, Entity, Importer.Result)
    {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        var options = Importer.Options()
        options.section = .managementActivities
        configure(&options)
        let results = Importer(knowledgeBase: try folder.load(), options: options).run([file])
        let result = try #require(results.first)
        let id = try #require(result.entry, "\(result.outcome)")
        let entity = try #require(try folder.load().entity(id: id))
        return (folder, entity, result)
    }

    static let expectedBody = """
        # Exit plan

        The notice period is sixty days from the **termination notice**, and the *exit manager* runs the plan. \
        The register lives in `exit/register.csv`.[\\[1\\]](#notes)

        ## Who holds what

        | Role | Holder | Successor |
        |---|---|---|
        | Service manager | Vacant until April |  |
        | Contract manager | Ana Lopes | Rui Matos |
        |  | Joana Reis (deputy) | nobody yet |

        ## Handing over

        Before the last day, in this order:

        1. Freeze changes to the runbooks.
        2. Walk the successor through the open tickets.
           1. Priority one tickets first.
           2. Then anything older than a month.
        3. Sign the acceptance note.

        What stays with the customer:

        - The knowledge articles.
          - Their **attachments** too.
        - The monitoring dashboards.

        Export the queue with:

        ```
        desk export --queue all \\
            --since 2026-01-01 > queue.csv
        ```
        """

    static let expectedEnd = """
        See [the holders table](#who-holds-what) and the [exit guide](https://example.org/exit-guide).

        ## Notes

        1. As schedule seven of the contract sets out.

        """

    @Test(arguments: ["exit-plan.fodt", "exit-plan.odt", "exit-plan.docx"])
    func theSameDocumentReadsTheSameInEveryFormat(_ name: String) throws {
        let (_, entity, result) = try importOne(Self.fixtures + "/" + name)
        #expect(result.outcome == .imported)
        // Headings, emphasis, code, the accepted change (sixty, not the deleted ninety), the footnote, the table
        // with its merged cells left empty, nested numbered and bulleted lists, the listing with its spaces.
        #expect(entity.body.contains(Self.expectedBody), "\(entity.body)")
        #expect(entity.body.hasSuffix(Self.expectedEnd), "\(entity.body)")
        #expect(!entity.body.contains("ninety"))
        // The comment is dropped unless asked for.
        #expect(!entity.body.contains("legal"))
        // Without --assets a picture leaves its description (LibreOffice's Word export writes none).
        #expect(!entity.body.contains("!["))
        #expect(entity.title == "Exit plan for the service desk contract")
        #expect(entity.frontMatter["author"]?.scalarText == "Ines Barros")
        #expect(entity.frontMatter["modified"]?.scalarText == "2026-03-14")
        #expect(entity.frontMatter["description"]?.scalarText == "How the service desk moves to the next supplier without losing a ticket")
        #expect(entity.knowledge?.tags == ["exit", "continuity"])
        #expect(entity.frontMatter["lang"]?.scalarText == "en")
        let kept = try #require(result.kept)
        #expect(kept.keptWords == kept.sourceWords && kept.sourceWords > 100, "\(kept)")
    }

    @Test func aFlatDocumentsPictureLeavesItsTitle() throws {
        let (_, entity, _) = try importOne(Self.fixtures + "/exit-plan.fodt")
        #expect(entity.body.contains("The escalation ladder: Escalation ladder"))
    }

    @Test(arguments: ["exit-plan.odt", "exit-plan.docx"])
    func commentsAreKeptAsQuotesWhenAskedFor(_ name: String) throws {
        let (_, entity, result) = try importOne(Self.fixtures + "/" + name) { $0.comments = true }
        #expect(entity.body.contains("""
            runs the plan. The register lives in `exit/register.csv`.[\\[1\\]](#notes)

            > **Comment (Tomas Weir):**
            >
            > Confirm the notice period with legal before signing.

            ## Who holds what
            """), "\(entity.body)")
        let kept = try #require(result.kept)
        #expect(kept.keptWords == kept.sourceWords, "\(kept)")
    }

    @Test(arguments: ["exit-plan.odt", "exit-plan.docx"])
    func picturesAreCopiedOutOfTheArchiveWithAssets(_ name: String) throws {
        let (folder, entity, _) = try importOne(Self.fixtures + "/" + name) { $0.assets = true }
        let stem = (entity.id as NSString).lastPathComponent
        let line = try #require(entity.body.split(separator: "\n").first { $0.hasPrefix("The escalation ladder:") })
        let target = try #require(line.split(separator: "(").last?.dropLast())
        #expect(target.hasPrefix(stem + "-assets/") && target.hasSuffix(".png"), "\(line)")
        let copy = folder.root + "/content/knowledge/management-activities/" + target
        let bytes = try #require(FileManager.default.contents(atPath: copy))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // The entry checks clean: its picture is where it points.
        #expect(try folder.load().diagnostics.filter { $0.severity <= .error } == [])
    }

    @Test func reimportingAnUnchangedDocumentChangesNothing() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        let file = Self.fixtures + "/exit-plan.docx"
        _ = Importer(knowledgeBase: try folder.load(), options: Importer.Options()).run([file])
        let again = Importer(knowledgeBase: try folder.load(), options: Importer.Options()).run([file])
        #expect(again.map(\.outcome) == [.unchanged])
    }

    // MARK: Word files built part by part

    static let wordNamespaces = """
        xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" \
        xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" \
        xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" \
        xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" \
        xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
        """

    /// A zip archive of the given parts, deflated.
    static func archive(_ parts: [(String, [UInt8])]) throws -> [UInt8] {
        let archive = try Archive(accessMode: .create)
        for (path, bytes) in parts {
            let data = Data(bytes)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(try #require(archive.data))
    }

    /// A Word file whose body is `body`, with styles, numbering, footnotes and relationships of its own.
    static func word(body: String, styles: String = "", numbering: String = "", footnotes: String = "",
                     relationships: String = "", extra: [(String, [UInt8])] = []) throws -> [UInt8] {
        var parts: [(String, [UInt8])] = [
            ("word/document.xml", Array("<?xml version=\"1.0\"?><w:document \(wordNamespaces)><w:body>\(body)</w:body></w:document>".utf8)),
            ("word/styles.xml", Array("<w:styles \(wordNamespaces)>\(styles)</w:styles>".utf8)),
            ("word/_rels/document.xml.rels", Array("<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\(relationships)</Relationships>".utf8)),
        ]
        if !numbering.isEmpty { parts.append(("word/numbering.xml", Array("<w:numbering \(wordNamespaces)>\(numbering)</w:numbering>".utf8))) }
        if !footnotes.isEmpty { parts.append(("word/footnotes.xml", Array("<w:footnotes \(wordNamespaces)>\(footnotes)</w:footnotes>".utf8))) }
        return try archive(parts + extra)
    }

    static func paragraph(_ text: String, style: String? = nil, properties: String = "") -> String {
        let styleXML = style.map { "<w:pStyle w:val=\"\($0)\"/>" } ?? ""
        return "<w:p><w:pPr>\(styleXML)\(properties)</w:pPr><w:r><w:t xml:space=\"preserve\">\(text)</w:t></w:r></w:p>"
    }

    func convert(_ bytes: [UInt8], limits: MarkupLimits = MarkupLimits(), image: ((String) -> String?)? = nil) throws -> ImportedPage {
        var request = WordDocument.Request()
        request.limits = limits
        request.fallbackTitle = "fallback"
        request.image = image
        return try WordDocument.page(bytes, request).page
    }

    @Test func wordHeadingsFromStylesOutlineLevelsAndATitle() throws {
        let styles = """
            <w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
            <w:style w:type="paragraph" w:styleId="Kop1"><w:name w:val="heading 1"/></w:style>
            <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="My section"/><w:basedOn w:val="Kop1"/></w:style>
            """
        let body = Self.paragraph("Contract handbook", style: "Title") + Self.paragraph("Scope", style: "Kop1")
            + Self.paragraph("Inherited", style: "Mine") + Self.paragraph("By outline", properties: "<w:outlineLvl w:val=\"1\"/>")
            + Self.paragraph("Body text.")
        let page = try convert(Self.word(body: body, styles: styles))
        // A Title paragraph is the top heading; heading 1 comes below it, a style based on it too, and outline
        // level 1 (the second) below that.
        #expect(page.markdown == "# Contract handbook\n\n## Scope\n\n## Inherited\n\n### By outline\n\nBody text.\n")
        #expect(page.title == "Contract handbook")
    }

    @Test func wordListsFromNumberingNestAndKeepTheirKind() throws {
        let numbering = """
            <w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl>\
            <w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
            <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>
            """
        func item(_ text: String, _ level: Int) -> String {
            Self.paragraph(text, properties: "<w:numPr><w:ilvl w:val=\"\(level)\"/><w:numId w:val=\"3\"/></w:numPr>")
        }
        let body = item("Open the bridge", 0) + item("Page the desk", 1) + item("Page the manager", 1) + item("Close", 0)
            + Self.paragraph("After the list.") + Self.paragraph("Not a list", properties: "<w:numPr><w:numId w:val=\"0\"/></w:numPr>")
        let page = try convert(Self.word(body: body, numbering: numbering))
        #expect(page.markdown.contains("1. Open the bridge\n   - Page the desk\n   - Page the manager\n2. Close\n\nAfter the list.\n\nNot a list"),
                "\(page.markdown)")
    }

    /// Word's own template (and python-docx, which uses it) nests List Bullet 2 under List Bullet only by
    /// indenting it further: each is a list of its own at level 0.
    @Test func wordListsIndentedFurtherNestUnderTheItemBeforeThem() throws {
        let numbering = """
            <w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:pPr><w:ind w:left="360" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>
            <w:abstractNum w:abstractNumId="6"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="8"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="6"/></w:num>
            """
        let styles = """
            <w:style w:type="paragraph" w:styleId="ListBullet"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="ListBullet2"><w:name w:val="List Bullet 2"/><w:pPr><w:numPr><w:numId w:val="2"/></w:numPr></w:pPr></w:style>
            """
        let body = Self.paragraph("Knowledge articles", style: "ListBullet") + Self.paragraph("Their attachments", style: "ListBullet2")
            + Self.paragraph("Dashboards", style: "ListBullet")
            // A paragraph's own indent counts too; one a little off the list's is the same level.
            + Self.paragraph("Alerts", properties: "<w:numPr><w:numId w:val=\"1\"/></w:numPr><w:ind w:left=\"400\"/>")
        let page = try convert(Self.word(body: body, styles: styles, numbering: numbering))
        #expect(page.markdown.hasSuffix("- Knowledge articles\n  - Their attachments\n- Dashboards\n- Alerts\n"), "\(page.markdown)")
    }

    @Test func wordTrackedChangesAreAcceptedAndFieldCodesLeftOut() throws {
        let body = """
            <w:p><w:r><w:t xml:space="preserve">Notice is </w:t></w:r><w:del w:id="1" w:author="x"><w:r><w:delText>ninety</w:delText></w:r></w:del>\
            <w:ins w:id="2" w:author="x"><w:r><w:t>sixty</w:t></w:r></w:ins><w:r><w:t xml:space="preserve"> days</w:t></w:r>\
            <w:moveFrom w:id="3"><w:r><w:t>gone</w:t></w:r></w:moveFrom>\
            <w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>\
            <w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve">, page 4</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>.</w:p>
            """
        let page = try convert(Self.word(body: body))
        #expect(page.markdown.hasSuffix("Notice is sixty days, page 4\n"), "\(page.markdown)")
        #expect(page.kept?.share == 1)
    }

    @Test func wordTablesSpanAndMergeVisibly() throws {
        func cell(_ text: String, _ properties: String = "") -> String { "<w:tc><w:tcPr>\(properties)</w:tcPr>\(Self.paragraph(text))</w:tc>" }
        let body = """
            <w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr>\(cell("Tier"))\(cell("Forum"))\(cell("Cadence"))</w:tr>\
            <w:tr>\(cell("Strategic", "<w:vMerge w:val=\"restart\"/>"))\(cell("Executive board meets quarterly", "<w:gridSpan w:val=\"2\"/>"))</w:tr>\
            <w:tr>\(cell("", "<w:vMerge/>"))\(cell("Review"))\(cell("Yearly"))</w:tr></w:tbl>
            """
        let page = try convert(Self.word(body: body))
        #expect(page.markdown.contains("""
            | Tier | Forum | Cadence |
            |---|---|---|
            | Strategic | Executive board meets quarterly |  |
            |  | Review | Yearly |
            """), "\(page.markdown)")
    }

    @Test func wordFootnotesLinksToBookmarksAndTextBoxesOnce() throws {
        let footnotes = """
            <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
            <w:footnote w:id="1">\(Self.paragraph("Schedule 7 of the contract."))</w:footnote>
            """
        let relationships = """
            <Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" \
            Target="https://example.org/guide" TargetMode="External"/>
            """
        let styles = "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/></w:style>"
        let box = "<w:txbxContent>\(Self.paragraph("Boxed advice."))</w:txbxContent>"
        let body = """
            <w:p><w:pPr><w:pStyle w:val="Heading2"/></w:pPr><w:bookmarkStart w:id="0" w:name="_Toc12"/><w:r><w:t>Escalation path</w:t></w:r></w:p>\
            <w:p><w:r><w:t xml:space="preserve">Notice runs sixty days</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>\
            <w:r><w:t xml:space="preserve">; see </w:t></w:r><w:hyperlink w:anchor="_Toc12"><w:r><w:t>the path</w:t></w:r></w:hyperlink>\
            <w:r><w:t xml:space="preserve">, the </w:t></w:r><w:hyperlink r:id="rId9"><w:r><w:rPr><w:b/></w:rPr><w:t>guide</w:t></w:r></w:hyperlink>\
            <w:r><w:t xml:space="preserve"> and </w:t></w:r><w:hyperlink w:anchor="nowhere"><w:r><w:t>a lost mark</w:t></w:r></w:hyperlink><w:r><w:t>.</w:t></w:r>\
            <w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline><a:graphic><a:graphicData><wps:wsp><wps:txbx>\(box)</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice>\
            <mc:Fallback><w:pict><w:txbxContent>\(Self.paragraph("Boxed advice."))</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>
            """
        let page = try convert(Self.word(body: body, styles: styles, footnotes: footnotes, relationships: relationships))
        #expect(page.markdown == """
            # fallback

            ## Escalation path

            Notice runs sixty days[\\[1\\]](#notes); see [the path](#escalation-path), the [**guide**](https://example.org/guide) and a lost mark.

            Boxed advice.

            ## Notes

            1. Schedule 7 of the contract.

            """, "\(page.markdown)")
        // The text box is counted once, as it is shown once.
        #expect(page.kept?.share == 1, "\(String(describing: page.kept))")
    }

    @Test func wordCodeFromStylesAndMonospaceRuns() throws {
        let styles = """
            <w:style w:type="paragraph" w:styleId="Src"><w:name w:val="Source Code"/></w:style>
            <w:style w:type="character" w:styleId="Verb"><w:name w:val="Verbatim Char"/></w:style>
            """
        let body = Self.paragraph("queue stop --all", style: "Src") + Self.paragraph("    --drain", style: "Src")
            + "<w:p><w:r><w:t xml:space=\"preserve\">Run </w:t></w:r><w:r><w:rPr><w:rStyle w:val=\"Verb\"/></w:rPr><w:t>queue</w:t></w:r>"
            + "<w:r><w:t xml:space=\"preserve\"> or </w:t></w:r><w:r><w:rPr><w:rFonts w:ascii=\"Courier New\"/></w:rPr><w:t>desk</w:t></w:r>"
            + "<w:r><w:rPr><w:i/></w:rPr><w:t xml:space=\"preserve\"> now</w:t></w:r><w:r><w:rPr><w:i/></w:rPr><w:t>, please</w:t></w:r></w:p>"
        let page = try convert(Self.word(body: body, styles: styles))
        // Adjacent runs alike are one emphasis, not `*a**b*`.
        #expect(page.markdown.contains("```\nqueue stop --all\n    --drain\n```\n\nRun `queue` or `desk` *now, please*"), "\(page.markdown)")
    }

    // MARK: Hostile files

    @Test func aZipBombStopsAtTheLimit() throws {
        // 8 MB of one letter deflates to a few kilobytes; the limit here is 1 MB.
        let huge = Array("<w:document \(Self.wordNamespaces)><w:body><w:p><w:r><w:t>".utf8) + [UInt8](repeating: 0x61, count: 8 << 20)
            + Array("</w:t></w:r></w:p></w:body></w:document>".utf8)
        let bytes = try Self.archive([("word/document.xml", huge)])
        #expect(bytes.count < 100_000)
        var limits = MarkupLimits()
        limits.maximumBytes = 1 << 20
        #expect {
            try convert(bytes, limits: limits)
        } throws: { error in
            "\(error)".contains("word/document.xml inflates to more than the 1 MB limit") && "\(error)".contains("zip bomb")
        }
    }

    @Test func filesThatAreNotWhatTheySayAreRefusedByName() throws {
        #expect { try convert(Array("<html>not a zip</html>".utf8)) } throws: { "\($0)".contains("not a zip archive") }
        let noDocument = try Self.archive([("hello.txt", Array("hi".utf8))])
        #expect { try convert(noDocument) } throws: { "\($0)".contains("no Word document in it") }
        let broken = try Self.archive([("word/document.xml", Array("<w:document><w:body><w:p>".utf8))])
        #expect { try convert(broken) } throws: { "\($0)".contains("word/document.xml is not well-formed XML") }
        var request = WordDocument.Request()
        request.fallbackTitle = "x"
        #expect { try OpenDocument.page(noDocument, request) } throws: { "\($0)".contains("no OpenDocument content") }
    }

    @Test func relationshipsCannotReachOutsideTheArchive() throws {
        let relationships = """
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="../../../../../etc/passwd"/>
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/../../../x.png"/>
            <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/ok.png"/>
            """
        func picture(_ id: String) -> String {
            "<w:r><w:drawing><wp:inline><wp:docPr id=\"1\" name=\"p\" descr=\"picture \(id)\"/><a:graphic><a:graphicData><a:blip r:embed=\"\(id)\"/></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        }
        let body = "<w:p>" + picture("rId1") + picture("rId2") + picture("rId3") + "</w:p>"
        let bytes = try Self.word(body: body, relationships: relationships, extra: [("media/ok.png", [1, 2, 3]), ("word/media/ok.png", [4, 5, 6])])
        var asked: [String] = []
        let page = try convert(bytes) { part in
            asked.append(part)
            return "assets/" + OfficeArchive.copyName(part)
        }
        // Only the part inside the archive is asked for; the others keep their descriptions.
        #expect(asked == ["word/media/ok.png"])
        #expect(page.markdown.contains("picture rId1picture rId2![picture rId3](assets/ok.png)") || page.markdown.contains("picture rId1 picture rId2 ![picture rId3](assets/ok.png)"),
                "\(page.markdown)")
        #expect(OfficeArchive.resolve("../../etc/passwd", from: "word") == nil)
        #expect(OfficeArchive.resolve("/word/media/a.png", from: "word") == "word/media/a.png")
        #expect(OfficeArchive.copyName("word/media/../.hidden name.png") == "hidden-name.png")
    }

    @Test func entitiesInsideAPartAreNotExpanded() throws {
        let document = """
            <?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\
            <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY x SYSTEM "file:///etc/passwd">]>\
            <w:document \(Self.wordNamespaces)><w:body><w:p><w:r><w:t>&c;&x;</w:t></w:r></w:p></w:body></w:document>
            """
        let bytes = try Self.archive([("word/document.xml", Array(document.utf8))])
        // libxml2 either leaves the entities unexpanded or refuses the part; it never expands or fetches them.
        do {
            let page = try convert(bytes)
            #expect(!page.markdown.contains("aaaaaaaaaa"))
            #expect(!page.markdown.contains("root:"))
        } catch {
            #expect("\(error)".contains("its part word/document.xml is not well-formed XML"), "\(error)")
        }
    }

    @Test func theImportReportsABrokenArchiveAndGoesOn() throws {
        let folder = try ImporterTests.KnowledgeBaseFolder()
        let bad = folder.root + "/broken.docx"
        try Data("PK\u{3}\u{4} and then nothing".utf8).write(to: URL(fileURLWithPath: bad))
        let results = Importer(knowledgeBase: try folder.load(), options: Importer.Options())
            .run([bad, Self.fixtures + "/exit-plan.odt"])
        #expect(results.map(\.outcome.label) == ["failed", "imported"])
        if case .failed(let reason) = results[0].outcome { #expect(reason.contains("not a zip archive")) }
    }
}

import BatonJSON
import ArgumentParser
import BatonContent
import BatonImport
import BatonSearch
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import HTML pages, XML documents, Word or OpenDocument files and Markdown folders as knowledge entries.",
        discussion: """
            Each page becomes content/knowledge/<section>/<name>.md, its name made from its path, with the \
            page's main content as Markdown (navigation, headers, footers and sidebars left out) and its title, \
            description, author, keywords (as tags), language and source in the front matter. Links between \
            pages of one import point at each other's entries. Importing the same file again updates its entry: \
            the body and the fields the import owns (title, source, source_hash, description, author); every \
            other field keeps its hand edits. A file that fails is reported and the batch goes on; nothing is \
            written for it. DocBook 4 and 5 (.xml) is split into one entry per chapter (or top section, or none) with \
            cross-references rewritten; a book split over files (XInclude, SYSTEM entities) is put together from \
            files inside the imported folder only. DITA topics (.dita: concept, task, reference, …) become one entry \
            each without a mapping (DITA maps are skipped: import their topics' folder). Other XML (Mallard .page \
            files among it) is read through a --mapping file (records: XPath, title:, body:, name:, section:, \
            fields:, namespaces: prefix → URI), one entry per record. Word (.docx) and OpenDocument \
            (.odt, .fodt) files become one entry each: headings from heading styles and outline levels, nested \
            lists, tables (a merged cell shows once, the cells it covers stay empty), bold, italic, code, links \
            (bookmarks to the headings they are under), footnotes as numbered notes at the end, images with \
            --assets (else their description), tracked changes accepted, comments dropped (kept as quotes with \
            --comments), and the title, author, description, keywords and last-modified day of the document's \
            properties in the front matter. Markdown (.md) from Hugo, Jekyll, MkDocs or an Obsidian vault keeps \
            its text; its YAML or TOML front matter gives the title, description (or summary), author, tags \
            (with keywords and categories), language and last-modified day (lastmod, updated or date; a \
            Jekyll post's day from its name), and drafts (draft: true, published: false) are skipped. Links to \
            other pages of the import (x.md, x/, /x/y/, .html links, Hugo's ref and relref) and [[wiki links]] \
            (by file name, path, title or alias) point at their entries; links to pages that are not there \
            keep their text. MkDocs admonitions and tabs and Hugo's highlight, code and notice shortcodes become \
            plain Markdown; other lone shortcode lines are left out. Hidden folders (.git, .obsidian) are not \
            read. Files without an extension are recognised by how they begin. Nothing is ever fetched from the network.

            Every file converted is measured: the share of its visible words (navigation and metadata left \
            out) that its entries kept. A file below --min-kept (default 80 %) is warned about, and the summary \
            names the files that kept least; with --strict such a file is refused, nothing is written for it, \
            and the import exits 1.

            Examples:
              baton import ~/exports/intranet --section communications --owner gareth-lowe
              baton import page.html --dry-run
              baton import ~/exports/wiki --strict --min-kept 90
              baton import manual.xml --split section --section management-activities
              baton import risks-export.xml --mapping risks.yml
              baton import ~/Documents/exit-plan.docx --assets --comments
              baton import ~/vaults/partnership --assets --section communications
              baton import ~/sites/handbook/content --dry-run
              baton import /usr/share/doc/python3.11/html/library \\
                --section asset-register --json
            """)

    @Argument(help: "Files and folders to import (folders recursively).")
    var paths: [String]

    @Option(help: "The plan section the entries go under.")
    var section: PlanSection = .knowledgeManagement

    @Option(help: "The kind of entry to make (knowledge: the only kind documents become).")
    var type: String = "knowledge"

    @Option(help: "The owner of new entries (a person id).", completion: Completions.ids(.person))
    var owner: String?

    @Option(help: "The confidentiality of new entries.")
    var confidentiality: Confidentiality = .internal

    @Option(name: .customLong("max-size"), help: ArgumentHelp("The largest file to import, in MB (checked before reading).", valueName: "MB"))
    var maxSize: Int = 50

    @Option(help: "A mapping file (YAML: XPath for records, title, body, fields, namespaces) for XML that is neither DocBook nor DITA.")
    var mapping: String?

    @Option(help: "How DocBook documents are cut into entries: chapter, section or none.")
    var split: String = "chapter"

    @Option(name: .customLong("min-kept"), help: ArgumentHelp("The share of a file's visible text its entries must keep, in percent; below it the import warns.", valueName: "PERCENT"))
    var minKept: Int = 80

    @Flag(help: "Refuse a file whose entries keep less than --min-kept of its text: write nothing for it and exit 1.")
    var strict = false

    @Flag(help: "Copy local images (the images inside Word and OpenDocument files, and a vault's embedded pictures) beside each entry (into <entry>-assets/).")
    var assets = false

    @Flag(help: "Keep the comments of Word and OpenDocument files, as quotes after the paragraph they are on.")
    var comments = false

    @Flag(name: .customLong("dry-run"), help: "Show what would happen; write nothing.")
    var dryRun = false

    @Flag(help: "Print JSON: one result per file and the totals.")
    var json = false

    @OptionGroup var options: RootOptions

    func validate() throws {
        guard (0...100).contains(minKept) else { throw ValidationError("--min-kept must be a percentage from 0 to 100") }
        guard (1...4096).contains(maxSize) else { throw ValidationError("--max-size must be from 1 to 4096 (MB)") }
        guard type == "knowledge" else {
            throw ValidationError("--type must be knowledge: roles, people, checklists and handovers are written with baton new, not imported")
        }
        guard ["chapter", "section", "none"].contains(split) else {
            throw ValidationError("--split must be chapter, section or none")
        }
    }

    func run() throws { try options.whileLocked("import") { try runLocked() } }

    func runLocked() throws {
        let knowledgeBase = try options.loadForReading()
        if let owner { _ = try knowledgeBase.lookup(owner, [.person], list: "baton list --type people") }
        var settings = Importer.Options()
        settings.section = section
        settings.owner = owner
        settings.confidentiality = confidentiality
        settings.dryRun = dryRun
        settings.split = split
        settings.assets = assets
        settings.comments = comments
        settings.minimumShare = Double(minKept) / 100
        settings.strict = strict
        settings.limits.maximumBytes = maxSize << 20
        if let mapping {
            do {
                settings.mapping = try ImportMapping.read(path: mapping)
            } catch {
                throw CLIFailure(message: error.description)
            }
        }
        let showProgress = Terminal.errorIsTerminal && !json
        let results = Importer(knowledgeBase: knowledgeBase, options: settings).run(paths) { done, total in
            if showProgress && (done == total || done % 10 == 0) {
                Terminal.progress("Importing \(done)/\(total)")
            }
        }
        if showProgress { Terminal.progress(nil) }
        let counts = ["imported", "updated", "unchanged", "skipped", "failed"].map { label in
            (label, results.filter { $0.outcome.label == label }.count)
        }
        // One figure per source file (a book's chapters share their file's), the least kept first.
        var keptByFile: [String: TextKept] = [:]
        for result in results { if let kept = result.kept { keptByFile[result.file ?? result.source] = kept } }
        let measured = keptByFile.sorted { ($0.value.share, $0.key) < ($1.value.share, $1.key) }
        let threshold = Double(minKept) / 100
        let below = measured.filter { $0.value.share < threshold }
        if json {
            printJSONDocument(JSONValue.object([
                ("dry_run", .bool(dryRun)),
                ("totals", .object(counts.map { ($0.0, .int($0.1)) } + [("below_min_kept", .int(below.count))])),
                ("min_kept", .number(threshold)),
                ("least_kept", .array(measured.prefix(10).map { file, kept in
                    .object([("file", .string(file)), ("kept", .number(Self.rounded(kept.share))),
                             ("source_words", .int(kept.sourceWords)), ("kept_words", .int(kept.keptWords))])
                })),
                ("files", .array(results.map { result in
                    var reason: JSONValue = .null
                    if case .failed(let text) = result.outcome { reason = .string(text) }
                    if case .skipped(let text) = result.outcome { reason = .string(text) }
                    return .object([("source", .string(result.source)), ("entry", .optional(result.entry)),
                                    ("outcome", .string(result.outcome.label)), ("reason", reason),
                                    ("kept", result.kept.map { .number(Self.rounded($0.share)) } ?? .null)])
                })),
            ]))
        } else {
            for result in results {
                switch result.outcome {
                case .failed(let reason): Terminal.error("\(result.source): \(reason)")
                case .skipped(let reason): Terminal.warning("\(result.source): skipped: \(reason)")
                default: break
                }
            }
            // Refused files were reported as failures just above.
            let refused = Set(results.compactMap { result -> String? in
                if case .failed = result.outcome, result.kept != nil { return result.file ?? result.source }
                return nil
            })
            // The least kept first, and not a screenful: --json lists every file's figure.
            let warnings = below.filter { !refused.contains($0.key) }
            for (file, kept) in warnings.prefix(20) {
                Terminal.warning("\(file): \(Importer.describe(kept)), below \(minKept) %")
            }
            if warnings.count > 20 {
                Terminal.warning("\(warnings.count - 20) more files below \(minKept) % (--json gives every file's share)")
            }
            let summary = counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
            print((dryRun ? "Would have: " : "") + (summary.isEmpty ? "nothing to import" : summary) + ".")
            // Where the entries went: their folders, most used first.
            let folders = Dictionary(grouping: results.compactMap(\.entry)) { ("content/" + $0 as NSString).deletingLastPathComponent + "/" }
                .sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }
            if !folders.isEmpty {
                print((dryRun ? "Into " : "In ") + folders.prefix(3).map { "\($0.key) (\($0.value.count))" }.joined(separator: ", ")
                    + (folders.count > 3 ? " and \(folders.count - 3) more folders" : "") + ".")
            }
            if !measured.isEmpty {
                let source = measured.reduce(0) { $0 + $1.value.sourceWords }
                let kept = measured.reduce(0) { $0 + $1.value.keptWords }
                let share = TextKept(sourceWords: source, keptWords: kept)
                var line = "Text kept: \(share.percent) % of \(source) words in \(measured.count) file" + (measured.count == 1 ? "" : "s")
                if !below.isEmpty {
                    line += "; \(below.count) below \(minKept) %, least: "
                        + below.prefix(3).map { "\(($0.key as NSString).lastPathComponent) \($0.value.percent) %" }.joined(separator: ", ")
                }
                print(line + ".")
            }
            if !dryRun && counts[0].1 + counts[1].1 > 0 { print("Next: baton check, then baton search.") }
        }
        if results.contains(where: { if case .failed = $0.outcome { true } else { false } }) { throw ExitCode(1) }
    }
}

extension ImportCommand {
    /// A share to three decimals, as the JSON gives it.
    static func rounded(_ share: Double) -> Double { (share * 1000).rounded(.down) / 1000 }
}

extension PlanSection: ExpressibleByArgument {}

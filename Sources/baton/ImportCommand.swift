import BatonJSON
import ArgumentParser
import BatonContent
import BatonImport
import BatonSearch
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import HTML pages and XML documents as knowledge entries.",
        discussion: """
            Each page becomes content/knowledge/<section>/<name>.md, its name made from its path, with the \
            page's main content as Markdown (navigation, headers, footers and sidebars left out) and its title, \
            description, author, keywords (as tags), language and source in the front matter. Links between \
            pages of one import point at each other's entries. Importing the same file again updates its entry: \
            the body and the fields the import owns (title, source, source_hash, description, author); every \
            other field keeps its hand edits. A file that fails is reported and the batch goes on; nothing is \
            written for it. DocBook 4 and 5 (.xml) is split into one entry per chapter (or top section, or none) with \
            cross-references rewritten; a book split over files (XInclude, SYSTEM entities) is put together from \
            files inside the imported folder only. Other XML is read through a --mapping file (records: XPath, \
            title:, body:, name:, section:, fields:), one entry per record. Files without an extension are \
            recognised by how they begin. Nothing is ever fetched from the network.

            Examples:
              baton import ~/exports/intranet --section communications --owner gareth-lowe
              baton import page.html --dry-run
              baton import manual.xml --split section --section management-activities
              baton import risks-export.xml --mapping risks.yml
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

    @Option(help: "A mapping file (YAML: XPath for records, title, body, fields) for XML that is not DocBook.")
    var mapping: String?

    @Option(help: "How DocBook documents are cut into entries: chapter, section or none.")
    var split: String = "chapter"

    @Flag(help: "Copy local images beside each entry (into <entry>-assets/).")
    var assets = false

    @Flag(name: .customLong("dry-run"), help: "Show what would happen; write nothing.")
    var dryRun = false

    @Flag(help: "Print JSON: one result per file and the totals.")
    var json = false

    @OptionGroup var options: RootOptions

    func validate() throws {
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
        if json {
            printJSONDocument(JSONValue.object([
                ("dry_run", .bool(dryRun)),
                ("totals", .object(counts.map { ($0.0, .int($0.1)) })),
                ("files", .array(results.map { result in
                    var reason: JSONValue = .null
                    if case .failed(let text) = result.outcome { reason = .string(text) }
                    if case .skipped(let text) = result.outcome { reason = .string(text) }
                    return .object([("source", .string(result.source)), ("entry", .optional(result.entry)),
                                    ("outcome", .string(result.outcome.label)), ("reason", reason)])
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
            let summary = counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
            print((dryRun ? "Would have: " : "") + (summary.isEmpty ? "nothing to import" : summary) + ".")
            // Where the entries went: their folders, most used first.
            let folders = Dictionary(grouping: results.compactMap(\.entry)) { ("content/" + $0 as NSString).deletingLastPathComponent + "/" }
                .sorted { ($1.value.count, $0.key) < ($0.value.count, $1.key) }
            if !folders.isEmpty {
                print((dryRun ? "Into " : "In ") + folders.prefix(3).map { "\($0.key) (\($0.value.count))" }.joined(separator: ", ")
                    + (folders.count > 3 ? " and \(folders.count - 3) more folders" : "") + ".")
            }
            if !dryRun && counts[0].1 + counts[1].1 > 0 { print("Next: baton check, then baton search.") }
        }
        if results.contains(where: { if case .failed = $0.outcome { true } else { false } }) { throw ExitCode(1) }
    }
}

extension PlanSection: ExpressibleByArgument {}

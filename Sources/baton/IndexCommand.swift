import BatonJSON
import ArgumentParser
import BatonContent
import BatonSearch

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build or update the search index of the knowledge base.",
        discussion: """
            The index lives in .baton/index inside the knowledge base (git-ignored). Only entities whose \
            content changed since the last run are re-indexed; removed entities are dropped. 'baton search' \
            updates the index by itself when it is out of date, so running this is optional.

            Examples:
              baton index
              baton index --rebuild
              baton index --verify
              baton index --json
              baton index --rebuild --heap 64
            """)

    @Flag(help: "Check the index without changing it (checksums, segments against the manifest, every stored document, the entities it holds); exit 1 when it is damaged.")
    var verify = false

    @Flag(help: "Index everything afresh instead of only what changed (recovers from any damage).")
    var rebuild = false

    @Flag(help: "Print JSON: counts of added, updated, removed and unchanged entities.")
    var json = false

    @Option(help: ArgumentHelp("The writer's memory budget in MB (default 256): past it, what it holds is written as a segment and it goes on.", valueName: "MB"))
    var heap: Int?

    func validate() throws {
        if let heap, heap < 1 || heap > 1 << 20 { throw ValidationError("--heap must be a number of MB from 1 to 1048576") }
        if heap != nil && verify { throw ValidationError("--heap is for building; --verify changes nothing") }
    }

    @OptionGroup var options: RootOptions

    func run() throws { try options.whileLocked("index") { try runLocked() } }

    func runLocked() throws {
        let knowledgeBase = try options.loadForReading()
        let index = KnowledgeIndex(knowledgeBase: knowledgeBase)
        if verify {
            let found = index.verify()
            if json {
                printJSONDocument(JSONValue.object([
                    ("version", .int(1)), ("directory", .string(index.directory)), ("ok", .bool(found.problems.isEmpty)),
                    ("documents", .int(found.documents)), ("segments", .int(found.segments)), ("bytes", .int(found.bytes)),
                    ("stale", .int(found.stale)), ("problems", .array(found.problems.map { .string($0) })),
                ]))
            } else if found.problems.isEmpty {
                print("The index is sound: \(found.documents) documents in \(found.segments) segment(s), \(found.bytes / 1024) KB"
                    + (found.stale > 0 ? "; \(found.stale) entities changed since it was updated (baton index brings them in)." : "."))
            } else {
                for problem in found.problems { Terminal.error(problem) }
                print("The index is damaged (\(found.problems.count) problem(s)); 'baton index --rebuild' makes it afresh.")
            }
            if !found.problems.isEmpty { throw ExitCode(1) }
            return
        }
        let clock = ContinuousClock()
        let started = clock.now
        let report: KnowledgeIndex.UpdateReport
        let size: Int
        do {
            report = try index.update(rebuild: rebuild, heapMegabytes: heap)
            size = try SearchIndex.open(directory: index.directory, schema: KnowledgeIndex.schema).sizeInBytes
        } catch {
            throw CLIFailure(message: "\(error)")
        }
        if let repaired = report.repaired { Terminal.warning("rebuilt the search index, which was damaged: \(repaired)") }
        let elapsed = clock.now - started
        let milliseconds = Int((Double(elapsed.components.seconds) * 1000
            + Double(elapsed.components.attoseconds) / 1e15).rounded())
        if json {
            printJSONDocument(JSONValue.object([
                ("directory", .string(index.directory)), ("rebuilt", .bool(report.rebuilt)),
                ("added", .int(report.added)), ("updated", .int(report.updated)), ("removed", .int(report.removed)),
                ("unchanged", .int(report.unchanged)), ("bytes", .int(size)), ("milliseconds", .int(milliseconds)),
            ]))
            return
        }
        if !report.changed {
            print("The index is up to date (\(report.unchanged) entities).")
            return
        }
        let what = report.rebuilt
            ? "Indexed \(report.added) entities"
            : "Updated the index: \(report.added) added, \(report.updated) changed, \(report.removed) removed, "
                + "\(report.unchanged) unchanged"
        print("\(what) in \(milliseconds) ms (\(size / 1024) KB in \(KnowledgeIndex.directoryName)).")
    }
}

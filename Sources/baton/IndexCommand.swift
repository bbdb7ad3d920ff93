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
              baton index --json
            """)

    @Flag(help: "Index everything afresh instead of only what changed.")
    var rebuild = false

    @Flag(help: "Print JSON: counts of added, updated, removed and unchanged entities.")
    var json = false

    @OptionGroup var options: RootOptions

    func run() throws {
        let knowledgeBase = try options.loadForReading()
        let index = KnowledgeIndex(knowledgeBase: knowledgeBase)
        let clock = ContinuousClock()
        let started = clock.now
        let report: KnowledgeIndex.UpdateReport
        let size: Int
        do {
            report = try index.update(rebuild: rebuild)
            size = try SearchIndex.open(directory: index.directory).sizeInBytes
        } catch {
            throw CLIFailure(message: "\(error)")
        }
        let elapsed = clock.now - started
        let milliseconds = Int((Double(elapsed.components.seconds) * 1000
            + Double(elapsed.components.attoseconds) / 1e15).rounded())
        if json {
            print(JSONValue.object([
                ("directory", .string(index.directory)), ("rebuilt", .bool(report.rebuilt)),
                ("added", .int(report.added)), ("updated", .int(report.updated)), ("removed", .int(report.removed)),
                ("unchanged", .int(report.unchanged)), ("bytes", .int(size)), ("milliseconds", .int(milliseconds)),
            ]).rendered())
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

import BatonJSON
import ArgumentParser
import BatonContent
import BatonSearch
import BatonSite
import Foundation

/// `baton theme export DIR`: the built-in theme written out, to customise.
struct ThemeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theme",
        abstract: "Work with the site's theme.",
        discussion: """
            The default theme (Mustache templates, the style sheet and the search scripts) is built into Baton. \
            A knowledge base's own site/ folder is laid over it file by file when 'baton build' runs, so a \
            theme of your own needs only the files it changes.

            Examples:
              baton theme export site
              baton theme export /tmp/theme --force
            """,
        subcommands: [Export.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the built-in theme into a folder, to customise it.",
            discussion: """
                Writes templates/*.mustache and assets/… into DIR (default: site/ in the knowledge base, where \
                'baton build' looks for overrides). Existing files are left alone unless --force; keep only \
                the files you change, so the rest follows Baton's updates.

                Examples:
                  baton theme export
                  baton theme export ~/themes/partner --force
                """)

        @Argument(help: ArgumentHelp("The folder to write into; default site/ in the knowledge base.", valueName: "dir"),
                  completion: .directory)
        var folder: String?

        @Flag(help: "Replace files that already exist.")
        var force = false

        @Flag(help: "Print the files written as JSON.")
        var json = false

        @OptionGroup var options: RootOptions

        func run() throws {
            let target = folder.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
                ?? options.resolvedRoot + "/site"
            let written: [String]
            do {
                written = try Theme.standard.export(to: target, overwrite: force)
            } catch {
                throw CLIFailure(message: "\(error)")
            }
            if json {
                printJSONDocument(JSONValue.object([
                    ("version", .int(1)), ("folder", .string(target)), ("files", .array(written.map { .string($0) })),
                ]))
            } else {
                print("Wrote the built-in theme into \(target): \(written.count) files (templates/ and assets/).")
                print("Keep the files you change and delete the rest: 'baton build' lays them over the built-in theme.")
            }
        }
    }
}

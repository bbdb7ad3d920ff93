import ArgumentParser
import BatonContent
import Foundation

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new, empty knowledge base.",
        discussion: """
            Writes baton.yml (with two placeholder organisations to rename), the content/ folders for each kind \
            of entity, and a .gitignore for the build output and the search index. Refuses to touch a folder \
            that already has baton.yml unless --force.

            Examples:
              baton init                      # here
              baton init acme-partnership --title "Acme outsourcing partnership"
            """)

    @Argument(help: "The folder to create the knowledge base in (default: --root, else the current folder).")
    var directory: String?

    @Option(help: "The knowledge base's title.")
    var title: String?

    @Flag(help: "Replace an existing baton.yml.")
    var force = false

    @OptionGroup var options: RootOptions

    func run() throws {
        let directory = self.directory ?? options.root ?? FileManager.default.currentDirectoryPath
        let folderName = URL(fileURLWithPath: directory).standardizedFileURL.lastPathComponent
        let title = self.title ?? Templates.title(fromID: folderName)
        do {
            try AtomicFile.createDirectory(directory)
            try AtomicFile.write(Templates.config(title: title), to: directory + "/" + KnowledgeBase.configFile,
                                 overwrite: force)
            for kind in EntityKind.allCases {
                let folder = directory + "/" + KnowledgeBase.contentDirectory + "/" + kind.directory
                try AtomicFile.createDirectory(folder)
                let keep = folder + "/.gitkeep"
                if !FileManager.default.fileExists(atPath: keep) { try AtomicFile.write("", to: keep) }
            }
            let ignore = directory + "/.gitignore"
            if !FileManager.default.fileExists(atPath: ignore) {
                try AtomicFile.write("# Baton's build output and search index\npublic/\n.baton/\n", to: ignore)
            }
        } catch {
            throw CLIFailure(message: error.description)
        }
        print("Created a knowledge base in \(directory)")
        print("""
            Next:
              edit \(directory)/baton.yml to name the organisations in the partnership
              baton new role relationship-manager --root \(directory)
              baton check --root \(directory)
            """)
    }
}

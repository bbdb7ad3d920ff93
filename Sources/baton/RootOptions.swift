import ArgumentParser
import BatonContent
import Foundation

/// `--root DIR`, which every command takes, and loading the knowledge base it names.
struct RootOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The knowledge base folder (holding baton.yml).",
        discussion: "Default: the nearest folder upwards from here that has baton.yml, else the current folder.",
        valueName: "dir"))
    var root: String?

    /// The folder the command works on.
    var resolvedRoot: String {
        if let root { return root }
        let here = FileManager.default.currentDirectoryPath
        return KnowledgeBase.findRoot(from: here) ?? here
    }

    /// Loads the knowledge base, or fails with exit code 2 when there is none.
    func load() throws -> KnowledgeBase {
        do {
            return try KnowledgeBase.load(root: resolvedRoot)
        } catch {
            throw CLIFailure(message: error.description)
        }
    }

    /// Loads for a command that reads entities, warning on stderr about files that could not be read.
    func loadForReading() throws -> KnowledgeBase {
        let knowledgeBase = try load()
        let unreadable = Set(knowledgeBase.diagnostics.filter { $0.severity == .unreadable }.map(\.file))
        if !unreadable.isEmpty {
            let list = unreadable.sorted().prefix(3).joined(separator: ", ")
            let more = unreadable.count > 3 ? " and \(unreadable.count - 3) more" : ""
            Terminal.warning("\(unreadable.count) file(s) could not be read and are left out: \(list)\(more); "
                + "run 'baton check' for details")
        }
        return knowledgeBase
    }
}

extension EntityKind: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(userName: argument)
    }

    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

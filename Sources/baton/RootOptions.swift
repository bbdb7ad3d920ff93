import ArgumentParser
import BatonContent
import Foundation

/// `--root DIR`, which every command takes, and loading the knowledge base it names.
struct RootOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The knowledge base folder (holding baton.yml).",
        discussion: "Default: the nearest folder upwards from here that has baton.yml, else the current folder.",
        valueName: "dir"), completion: .directory)
    var root: String?

    /// The folder the command works on.
    var resolvedRoot: String {
        if let root { return root }
        let here = FileManager.default.currentDirectoryPath
        return KnowledgeBase.findRoot(from: here) ?? here
    }

    /// What this run's recovery of an interrupted change did, for `baton check` to report.
    nonisolated(unsafe) static var recovery: Journal.Recovery?

    /// Takes the knowledge base's lock for a command that writes (waiting, with a message, while another holds
    /// it), then finishes any change a killed command left half done. Keep the lock until the command ends.
    func lock(_ command: String) throws -> KnowledgeBaseLock {
        let root = resolvedRoot
        guard FileManager.default.fileExists(atPath: root + "/" + KnowledgeBase.configFile) else {
            throw CLIFailure(message: KnowledgeBase.OpenError.noConfig(root: root).description)
        }
        let lock: KnowledgeBaseLock
        do {
            lock = try Self.acquire(root: root, command: command)
        } catch {
            throw CLIFailure(message: error.description)
        }
        try recover(root: root)
        return lock
    }

    /// The lock itself, with the default timeout and a note on stderr while waiting.
    static func acquire(root: String, command: String) throws(KnowledgeBaseLock.Failure) -> KnowledgeBaseLock {
        try KnowledgeBaseLock.acquire(
            root: root, command: command,
            timeout: KnowledgeBaseLock.defaultTimeout(environment: ProcessInfo.processInfo.environment),
            waiting: { Terminal.standardError("note: " + $0) })
    }

    /// Runs `body` holding the knowledge base's lock.
    func whileLocked<T>(_ command: String, _ body: () throws -> T) throws -> T {
        let lock = try lock(command)
        return try withExtendedLifetime(lock) { try body() }
    }

    /// Finishes an interrupted change and removes stray temporaries; the lock must be held.
    private func recover(root: String) throws {
        let recovery: Journal.Recovery?
        do {
            recovery = try Journal.recover(root: root)
        } catch {
            throw CLIFailure(message: error.description)
        }
        guard let recovery else { return }
        Self.recovery = recovery
        if recovery.replayed {
            Terminal.standardError("note: finished a change a killed baton command left half done"
                + (recovery.description.isEmpty ? "" : " (\(recovery.description))") + ": "
                + (recovery.finished.isEmpty ? "nothing was left to do" : recovery.finished.joined(separator: ", ")))
        }
        if !recovery.removedTemporaries.isEmpty {
            Terminal.standardError("note: removed \(recovery.removedTemporaries.count) temporary file(s) that killed "
                + "baton commands left: " + recovery.removedTemporaries.prefix(5).joined(separator: ", "))
        }
    }

    /// Loads the knowledge base, or fails with exit code 2 when there is none. A change a killed command left
    /// half done is finished first (under the lock), so nothing torn is ever read.
    func load() throws -> KnowledgeBase {
        if Journal.isPending(root: resolvedRoot) {
            _ = try lock("recover")
        }
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

extension KnowledgeBase {
    /// The entity of one of `kinds` that `raw` names, or a failure that says what went wrong and what was
    /// probably meant: the nearest id or a matching title, the ids a short name could be, or — for a file that
    /// exists but cannot be read — that file.
    func lookup(_ raw: String, _ kinds: [EntityKind], list: String) throws -> Entity {
        let noun = kinds.count == 1 ? kinds[0].rawValue : "entity"
        switch resolve(raw, kinds: kinds) {
        case .found(let entity):
            return entity
        case .ambiguous(let ids):
            throw CLIFailure(message: "'\(raw)' could be any of: \(ids.joined(separator: ", ")); give the full id")
        case .wrongKind(let other):
            throw CLIFailure(message: "'\(raw)' is a \(other.kind.rawValue), not a \(noun)" + didYouMean(raw, kinds: kinds))
        case .missing:
            if let unreadable = unreadableID(raw, kinds: kinds) {
                throw CLIFailure(message: "content/\(unreadable).md cannot be read; 'baton check' says why")
            }
            let hint = didYouMean(raw, kinds: kinds)
            throw CLIFailure(message: "no \(noun) has the id '\(raw)'" + (hint.isEmpty ? "; '\(list)' shows them all" : hint))
        }
    }
}

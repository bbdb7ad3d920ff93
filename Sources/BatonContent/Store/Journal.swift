import BatonSearch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Changes to several files of a knowledge base that must happen together (completing a handover touches the
/// handover, both people, their peers and the knowledge that changes hands). Every new text is written to a
/// temporary file beside its target and flushed; then an intent journal, `.baton/journal`, lists them; only
/// then are they renamed into place, and the journal is removed. A command killed anywhere in between leaves
/// either no journal (nothing changed: the temporaries are strays, removed next time) or a whole journal, which
/// the next command rolls forward before it reads anything. Call these while holding `KnowledgeBaseLock`.
public enum Journal {
    public static let file = "journal"
    static let formatLine = "baton-journal 1"

    /// What a recovery did.
    public struct Recovery: Sendable, Equatable {
        /// What the interrupted command was doing.
        public var description: String
        /// Files put in place (paths relative to the root).
        public var finished: [String]
        /// Stray temporary files removed.
        public var removedTemporaries: [String]
        /// Whether a journal was replayed (rather than only strays removed).
        public var replayed: Bool
    }

    static func path(root: String) -> String {
        root + "/" + KnowledgeBaseLock.stateDirectory + "/" + file
    }

    /// Whether an interrupted change is waiting to be finished.
    public static func isPending(root: String) -> Bool {
        RegularFile.kind(path(root: root)) != nil
    }

    /// Writes every file or, if the process dies part-way, leaves a journal that `recover` completes.
    /// `files` are paths relative to `root` with their new text.
    public static func writeAll(_ files: [(path: String, text: String)], root: String,
                                description: String) throws(AtomicFile.WriteError) {
        var staged: [(temporary: String, target: String)] = []
        func discard() { for file in staged { unlink(root + "/" + file.temporary) } }
        for file in files {
            // Every rename must be able to succeed once the journal is written: targets are files or absent.
            if let kind = RegularFile.kind(root + "/" + file.path), kind != "a regular file" {
                throw .failed(path: file.path, reason: "it is \(kind), not a regular file; nothing was changed")
            }
        }
        for (index, file) in files.enumerated() {
            let folder = (file.path as NSString).deletingLastPathComponent
            let name = (file.path as NSString).lastPathComponent
            let temporary = (folder.isEmpty ? "" : folder + "/") + ".\(name).baton-journal-\(getpid())-\(index).tmp"
            do {
                try AtomicFile.write(file.text, to: root + "/" + temporary, overwrite: true)
            } catch {
                discard()
                throw error
            }
            staged.append((temporary, file.path))
            CrashPoint.pass("journal.staged")
        }
        var text = formatLine + "\n" + "description " + description.replacingOccurrences(of: "\n", with: " ") + "\n"
        for file in staged { text += "file \(file.temporary)\t\(file.target)\n" }
        text += "end \(staged.count)\n"
        let journal = path(root: root)
        do {
            try AtomicFile.createDirectory(root + "/" + KnowledgeBaseLock.stateDirectory)
            try AtomicFile.write(text, to: journal)
        } catch {
            discard()
            throw error
        }
        CrashPoint.pass("journal.written")
        // From here on the change is decided: if a rename fails, the journal stays and the next command finishes.
        for file in staged {
            guard rename(root + "/" + file.temporary, root + "/" + file.target) == 0 else {
                throw .failed(path: file.target, reason: AtomicFile.errorText()
                    + " (the change is recorded in .baton/journal and the next baton command finishes it)")
            }
            CrashPoint.pass("journal.renamed")
        }
        unlink(journal)
    }

    /// Finishes an interrupted change, if there is one, and removes temporary files that killed commands left
    /// in content/. Returns nil when there was nothing to do.
    public static func recover(root: String) throws(AtomicFile.WriteError) -> Recovery? {
        var recovery = Recovery(description: "", finished: [], removedTemporaries: [], replayed: false)
        let journal = path(root: root)
        if RegularFile.kind(journal) != nil {
            let bytes: [UInt8]
            do {
                bytes = try RegularFile.read(journal, limit: 16 << 20)
            } catch {
                throw .failed(path: journal, reason: "\(error) (an interrupted change cannot be finished)")
            }
            let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
            let entries = lines.filter { $0.hasPrefix("file ") }.compactMap { line -> (String, String)? in
                let parts = line.dropFirst(5).split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, Self.isInside(parts[0]), Self.isInside(parts[1]) else { return nil }
                return (parts[0], parts[1])
            }
            let complete = lines.first == formatLine && lines.last == "end \(entries.count)"
                && entries.count == lines.filter({ $0.hasPrefix("file ") }).count
            recovery.description = lines.first { $0.hasPrefix("description ") }.map { String($0.dropFirst(12)) } ?? ""
            recovery.replayed = true
            if complete {
                for (temporary, target) in entries where RegularFile.kind(root + "/" + temporary) == "a regular file" {
                    guard rename(root + "/" + temporary, root + "/" + target) == 0 else {
                        throw .failed(path: target, reason: AtomicFile.errorText() + " (while finishing an interrupted change)")
                    }
                    recovery.finished.append(target)
                }
            }
            // A journal that is not whole was never committed: its temporaries go with the strays below.
            unlink(journal)
        }
        recovery.removedTemporaries = removeStrayTemporaries(root: root)
        if !recovery.replayed && recovery.removedTemporaries.isEmpty { return nil }
        return recovery
    }

    /// A relative path that stays inside the knowledge base.
    static func isInside(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..")
    }

    /// Temporary files of Baton's writes in content/ and beside baton.yml whose process no longer runs.
    static func removeStrayTemporaries(root: String) -> [String] {
        var removed: [String] = []
        var folders = [KnowledgeBase.contentDirectory, ""]
        while let folder = folders.popLast() {
            let absolute = folder.isEmpty ? root : root + "/" + folder
            for name in (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? [] {
                let relative = folder.isEmpty ? name : folder + "/" + name
                let kind = RegularFile.kind(absolute + "/" + name)
                if kind == "a folder" {
                    if !folder.isEmpty { folders.append(relative) }
                    continue
                }
                guard kind == "a regular file", let pid = temporaryOwner(name), kill(pid, 0) != 0, errno == ESRCH else { continue }
                if unlink(absolute + "/" + name) == 0 { removed.append(relative) }
            }
        }
        return removed.sorted()
    }

    /// The process id in the name of one of Baton's temporary files: `.NAME.baton-journal-PID-I.tmp` (the
    /// journal's), `.NAME.PID.RANDOM.tmp` (`AtomicFile`'s) or `NAME.baton-PID-I.tmp` (older releases').
    static func temporaryOwner(_ name: String) -> Int32? {
        guard name.hasSuffix(".tmp") else { return nil }
        let stem = name.dropLast(4)
        if let range = stem.range(of: ".baton-journal-") {
            return stem[range.upperBound...].split(separator: "-").first.flatMap { Int32($0) }
        }
        if name.hasPrefix(".") {
            let parts = stem.split(separator: ".")
            if parts.count >= 3, let pid = Int32(parts[parts.count - 2]), UInt32(parts[parts.count - 1]) != nil { return pid }
        }
        if let range = stem.range(of: ".baton-", options: .backwards) {
            let parts = stem[range.upperBound...].split(separator: "-")
            if parts.count == 2, parts.allSatisfy({ Int($0) != nil }) { return Int32(parts[0]) }
        }
        return nil
    }
}

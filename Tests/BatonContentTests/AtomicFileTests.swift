import Foundation
import Testing

@testable import BatonContent

@Suite struct AtomicFileTests {
    struct Interrupted: Error {}

    private func temporaryFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "baton-atomic-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    private func contents(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }

    @Test func writesAndReplaces() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.write("first", to: folder + "/f.md")
        try AtomicFile.write("second", to: folder + "/f.md")
        #expect(contents(folder + "/f.md") == "second")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["f.md"])
    }

    @Test func aWriteThatFailsHalfWayLeavesTheOldFileIntact() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/role.md"
        try AtomicFile.write("old content\n", to: path)
        #expect(throws: Interrupted.self) {
            try AtomicFile.write(to: path) { output in
                try output.write("new content, first half\n")
                throw Interrupted()
            }
        }
        #expect(contents(path) == "old content\n")
        // No temporary file is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["role.md"])
    }

    @Test func refusesToOverwriteWhenAskedNotTo() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/f.md"
        try AtomicFile.write("keep me", to: path)
        #expect(throws: AtomicFile.WriteError.exists(path: path)) {
            try AtomicFile.write("replace", to: path, overwrite: false)
        }
        #expect(contents(path) == "keep me")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["f.md"])
    }

    @Test func aFailedRenameCleansUpAndNamesThePath() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A non-empty folder where the file should go: rename cannot replace it.
        let target = folder + "/taken"
        try FileManager.default.createDirectory(atPath: target + "/inner", withIntermediateDirectories: true)
        do {
            try AtomicFile.write("text", to: target)
            Issue.record("the write should have failed")
        } catch {
            #expect(error.description.hasPrefix(target + ": cannot write:"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["taken"])
    }

    @Test func aMissingFolderIsAClearError() throws {
        let path = "/nonexistent-baton-folder/f.md"
        #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write("x", to: path) }
    }

    @Test func createsNestedFolders() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try AtomicFile.createDirectory(folder + "/a/b/c")
        try AtomicFile.write("x", to: folder + "/a/b/c/f.md")
        #expect(contents(folder + "/a/b/c/f.md") == "x")
    }
}

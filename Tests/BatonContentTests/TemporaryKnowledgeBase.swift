import Foundation

@testable import BatonContent

/// A knowledge base written to a fresh temporary folder for one test, removed when the test's value is released.
final class TemporaryKnowledgeBase {
    let root: String

    /// The settings most fixtures share: two organisations, an operations-phase partnership.
    static let standardConfig = """
        title: Test partnership
        organisations:
          - {id: client, name: Client Ltd, side: client}
          - {id: supplier, name: Supplier plc, side: supplier}
        phase: operations

        """

    init(config: String = standardConfig, files: [String: String]) throws {
        root = NSTemporaryDirectory() + "baton-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try config.write(toFile: root + "/baton.yml", atomically: true, encoding: .utf8)
        for (path, text) in files {
            try write(path, text)
        }
    }

    func write(_ path: String, _ text: String) throws {
        let full = root + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: full, atomically: true, encoding: .utf8)
    }

    func load() throws -> KnowledgeBase {
        try KnowledgeBase.load(root: root)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// The repository's root, found from this file's place in it.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()


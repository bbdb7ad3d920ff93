import Foundation

@testable import BatonSearch

/// A temporary folder removed when released.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "baton-search-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

func document(_ id: String, title: String = "", body: String, type: String = "knowledge", tags: String = "",
              headings: String = "", sections: [SearchDocument.Section] = []) -> SearchDocument {
    SearchDocument(
        id: id, text: ["title": title, "body": body, "tags": tags, "headings": headings],
        keywords: ["type": [type]], language: .english, sections: sections)
}

/// Builds an index of `documents` in one commit and opens it.
func buildIndex(_ documents: [SearchDocument], in folder: TemporaryFolder) throws -> SearchIndex {
    let writer = try IndexWriter(directory: folder.path, rebuild: true)
    for document in documents { writer.add(document) }
    try writer.commit()
    return try SearchIndex.open(directory: folder.path)
}

import ArgumentParser
import BatonContent
import Foundation

/// Shell completion of entity ids: the shell asks `baton` itself, which reads the knowledge base named by
/// `--root` on the line (or found from the current folder) and offers the ids of the kinds an argument takes,
/// without their kind's folder (as the commands accept them) unless the word typed so far has one.
enum Completions {
    static func ids(_ kinds: EntityKind...) -> CompletionKind {
        .custom { words, index, prefix in
            var root: String?
            for (index, word) in words.enumerated() {
                if word == "--root", index + 1 < words.count { root = words[index + 1] }
                if word.hasPrefix("--root=") { root = String(word.dropFirst("--root=".count)) }
            }
            let folder = root ?? KnowledgeBase.findRoot(from: FileManager.default.currentDirectoryPath) ?? "."
            guard let knowledgeBase = try? KnowledgeBase.load(root: folder) else { return [] }
            // Short ids (`gareth-lowe`) unless the word typed so far has a kind's folder (`people/ga`).
            return knowledgeBase.entities.filter { kinds.isEmpty || kinds.contains($0.kind) }
                .map { kinds.count != 1 && prefix.contains("/") ? $0.id : $0.shortID }
                .filter { $0.hasPrefix(prefix) }
                .sorted()
        }
    }
}

import Foundation
import Testing

@testable import BatonSearch

/// The Snowball project's reference vocabularies: every word must stem exactly as the reference output says.
@Suite struct StemmerTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/snowball")

    static func pairs(_ folder: String) throws -> [(String, String)] {
        let words = try String(contentsOf: fixtures.appendingPathComponent("\(folder)/voc.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        let stems = try String(contentsOf: fixtures.appendingPathComponent("\(folder)/output.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(words.count == stems.count)
        return Array(zip(words, stems))
    }

    @Test(arguments: [(Language.english, "english"), (.german, "german"), (.french, "french")])
    func reproducesTheReferenceVocabulary(language: Language, folder: String) throws {
        let stemmer = Stemmer(language: language)
        let pairs = try Self.pairs(folder)
        #expect(pairs.count > 20_000)
        var failures: [String] = []
        for (word, expected) in pairs {
            let actual = stemmer.stem(word)
            if actual != expected { failures.append("\(word) → \(actual), expected \(expected)") }
        }
        let summary = "\(failures.count) of \(pairs.count) differ, e.g.:\n" + failures.prefix(40).joined(separator: "\n")
        #expect(failures.count == 0, "\(summary)")
    }
}

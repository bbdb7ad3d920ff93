/// The languages Baton analyses, each with its Snowball stemmer.
public enum Language: String, Sendable, CaseIterable {
    case english = "en"
    case german = "de"
    case french = "fr"

    /// The language for a code such as `en`, `de-AT` or `fr_CH`; nil for one Baton has no stemmer for.
    public init?(code: String) {
        let base = code.lowercased().prefix(2)
        guard let language = Language(rawValue: String(base)) else { return nil }
        self = language
    }
}

/// Reduces a lower-case word to its stem with the Snowball algorithm of a language.
public struct Stemmer: Sendable {
    public let language: Language

    public init(language: Language) {
        self.language = language
    }

    /// The stem of `word`, which must already be lower-cased.
    public func stem(_ word: String) -> String {
        switch language {
        case .english: return EnglishStemmer().stem(word)
        case .german: return GermanStemmer().stem(word)
        case .french: return FrenchStemmer().stem(word)
        }
    }
}

/// Very common words per language. They stay in the index (phrases need them) but a query does not require them
/// and they add nothing to a score, unless the query has nothing else.
enum StopWords {
    static func words(for language: Language) -> Set<String> {
        switch language {
        case .english:
            return [
                "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does",
                "for", "from", "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it",
                "its", "me", "my", "no", "not", "of", "on", "or", "our", "she", "should", "so", "that", "the",
                "their", "them", "then", "there", "these", "they", "this", "those", "to", "too", "up", "us", "was",
                "we", "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
                // Question words people type around what they want: "how many …", "what is my …".
                "am", "any", "many", "much", "myself", "whom", "whose", "yourself",
            ]
        case .german:
            return [
                "aber", "als", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "das", "dass", "dem", "den",
                "der", "des", "die", "du", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "für",
                "hat", "ich", "ihr", "im", "in", "ist", "ja", "kann", "mit", "nach", "nicht", "noch", "nur", "oder",
                "sich", "sie", "sind", "so", "über", "um", "und", "uns", "von", "vor", "war", "was", "wie", "wir",
                "wird", "zu", "zum", "zur",
                // Question words.
                "mein", "meine", "meinen", "viel", "viele", "wann", "warum", "welche", "welcher", "welches", "wer",
                "wo", "woher", "wohin",
            ]
        case .french:
            return [
                "à", "au", "aux", "avec", "ce", "ces", "cette", "dans", "de", "des", "du", "elle", "en", "est", "et",
                "il", "ils", "je", "la", "le", "les", "leur", "lui", "ma", "mais", "me", "mes", "ne", "nous", "on",
                "ou", "par", "pas", "pour", "qu", "que", "qui", "sa", "se", "ses", "son", "sont", "sur", "ta", "te",
                "tu", "un", "une", "vous", "y",
                // Question words.
                "combien", "comment", "mon", "où", "pourquoi", "quand", "quel", "quelle", "quelles", "quels",
            ]
        }
    }
}

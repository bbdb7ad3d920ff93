/// How much of a source's visible text its entries kept. Words are counted as a multiset: a word the source
/// says three times and the entries once counts once, so a page cut down to its first section scores low
/// even though every word of that section is still there.
public struct TextKept: Sendable, Hashable {
    /// Words of visible text in the source.
    public var sourceWords: Int
    /// Of those, how many the entries hold.
    public var keptWords: Int

    public init(sourceWords: Int, keptWords: Int) {
        self.sourceWords = sourceWords
        self.keptWords = keptWords
    }

    /// The share kept, from 0 to 1; a source without words has lost nothing.
    public var share: Double { sourceWords == 0 ? 1 : Double(keptWords) / Double(sourceWords) }

    /// The share as a whole percentage, rounded down so that 79.6 % never reads as 80 %.
    public var percent: Int { Int((share * 100).rounded(.down)) }

    /// What the source's words and the entries' words have in common.
    static func between(source: WordBag, kept: WordBag) -> TextKept {
        var common = 0
        for (word, count) in source.counts { common += min(count, kept.counts[word] ?? 0) }
        return TextKept(sourceWords: source.total, keptWords: common)
    }
}

/// Words as a multiset: runs of letters, digits and underscores, in lower case.
struct WordBag {
    private(set) var counts: [String: Int] = [:]
    private(set) var total = 0

    mutating func add(_ text: some StringProtocol) {
        var word = ""
        func finish(_ bag: inout WordBag) {
            guard !word.isEmpty else { return }
            bag.counts[word, default: 0] += 1
            bag.total += 1
            word = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || character == "_" {
                word += character.lowercased()
            } else {
                finish(&self)
            }
        }
        finish(&self)
    }

    /// The words of markup a reader sees: every text node on its own (adjacent cells or items are separate
    /// words even where no space stands between their tags), leaving out the elements `skip` names.
    mutating func add(_ node: MarkupNode, skip: (MarkupNode) -> Bool) {
        switch node {
        case .text(let text):
            add(text)
        case .element:
            guard !skip(node) else { return }
            for child in node.children { add(child, skip: skip) }
        }
    }

    /// The words a reader sees in Markdown: link and image targets left out, backslash escapes undone.
    mutating func add(markdown: String) {
        var visible = ""
        visible.reserveCapacity(markdown.utf8.count)
        var characters = markdown[...]
        while let character = characters.first {
            characters = characters.dropFirst()
            if character == "\\", let next = characters.first, next.isPunctuation || next.isSymbol {
                visible.append(next)
                characters = characters.dropFirst()
            } else if character == "]", characters.first == "(" {
                // `[text](target)`: the target is not text; it ends at the first `)` (or `>` when written `<…>`).
                let closing: Character = characters.dropFirst().first == "<" ? ">" : ")"
                if let end = characters.firstIndex(of: closing) {
                    characters = characters[characters.index(after: end)...]
                    if closing == ">", characters.first == ")" { characters = characters.dropFirst() }
                }
                visible.append(" ")
            } else {
                visible.append(character)
            }
        }
        add(visible)
    }
}

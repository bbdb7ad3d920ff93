import BatonContent
import Foundation

/// Markdown written for a static-site generator or a note-taking app (Hugo, Jekyll, MkDocs, Obsidian): its front
/// matter read onto Baton's fields, its links and images pointed at the entries and copies the import makes, and
/// the generators' own syntax that Baton's Markdown does not know (wiki links, admonitions, content tabs, lone
/// shortcode tags) turned into plain Markdown.
enum MarkdownSource {
    /// The front matter's fields that Baton keeps, by whichever name the generator gave them.
    struct Metadata: Equatable {
        var title: String?
        var description: String?
        var author: String?
        var tags: [String] = []
        /// The day the page last changed (or, failing that, was published): `yyyy-mm-dd` or a longer stamp.
        var date: String?
        var language: String?
        /// `draft: true` (Hugo, MkDocs blog) or `published: false` (Jekyll): not imported.
        var isDraft = false
        /// Other names wiki links may use for the page (Obsidian's `aliases`).
        var aliases: [String] = []
    }

    struct Parsed {
        var metadata: Metadata
        var body: String
    }

    /// A problem with the front matter, at a line of the file.
    struct Failure: Error, CustomStringConvertible {
        var line: Int
        var message: String
        var description: String { "line \(line): \(message)" }
    }

    /// Splits off YAML (`---`) or TOML (`+++`) front matter and reads it.
    static func parse(_ text: String) throws(Failure) -> Parsed {
        var text = text
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard let first = lines.first.map({ $0.trimmingCharacters(in: .whitespaces) }), first == "---" || first == "+++" else {
            return Parsed(metadata: Metadata(), body: text)
        }
        let closers: Set<String> = first == "---" ? ["---", "..."] : ["+++"]
        guard let end = lines.indices.dropFirst().first(where: { closers.contains(lines[$0].trimmingCharacters(in: .whitespaces)) }) else {
            throw Failure(line: 1, message: "the front matter opened with \(first) is never closed")
        }
        let inner = lines[1..<end].joined(separator: "\n")
        let node: YAMLNode
        if first == "---" {
            node = try yaml(Array(lines[1..<end]))
        } else {
            node = try TOML.parse(inner, firstLine: 2)
        }
        guard node.pairs != nil else {
            throw Failure(line: 2, message: "the front matter is not a mapping of fields")
        }
        let body = lines[(end + 1)...].joined(separator: "\n")
        return Parsed(metadata: metadata(node), body: body)
    }

    /// YAML front matter. A top-level key given twice keeps its last value, as the generators that let such
    /// pages through do; any other problem is an error at its line.
    static func yaml(_ lines: [Substring]) throws(Failure) -> YAMLNode {
        var lines = lines
        for _ in 0..<50 {
            do {
                return try YAMLNode.parse(lines.joined(separator: "\n"), firstLine: 2)
            } catch {
                let prefix = "duplicate key '"
                guard error.message.hasPrefix(prefix), let close = error.message.dropFirst(prefix.count).firstIndex(of: "'") else {
                    throw Failure(line: error.line, message: "the front matter is not YAML: \(error.message)")
                }
                let key = error.message[error.message.index(error.message.startIndex, offsetBy: prefix.count)..<close]
                let uses = lines.indices.filter { lines[$0].hasPrefix(key + ":") }
                guard uses.count > 1 else {
                    throw Failure(line: error.line, message: "the front matter is not YAML: \(error.message)")
                }
                // The earlier value goes (with the lines indented under it); blank lines keep the numbering.
                var index = uses[0]
                repeat {
                    lines[index] = ""
                    index += 1
                } while index < lines.count && (lines[index].first == " " || lines[index].first == "\t")
            }
        }
        throw Failure(line: 2, message: "the front matter repeats too many keys")
    }

    /// Baton's fields from a generator's: the first of each list of names that has a value.
    static func metadata(_ node: YAMLNode) -> Metadata {
        let params = node["params"]
        // Every name at the top first, then in Hugo's `[params]`.
        func lookup(_ keys: [String]) -> [YAMLNode] {
            keys.compactMap { node[$0] } + keys.compactMap { params?[$0] }
        }
        func value(_ keys: String...) -> YAMLNode? {
            lookup(keys).first { !$0.isNull }
        }
        func text(_ keys: String...) -> String? {
            for found in lookup(keys) {
                if let scalar = found.scalarText, !found.isNull, !scalar.trimmed.isEmpty { return scalar.trimmed }
                // `authors: [a, b]`, `author: {name: …}`.
                if let items = found.items {
                    let names = items.compactMap { $0.scalarText ?? $0["name"]?.scalarText }.filter { !$0.isEmpty }
                    if !names.isEmpty { return names.joined(separator: ", ") }
                }
                if let name = found["name"]?.scalarText, !name.isEmpty { return name }
            }
            return nil
        }
        func list(_ key: String) -> [String] {
            guard let found = lookup([key]).first else { return [] }
            if let items = found.items { return items.compactMap(\.scalarText).map(\.trimmed).filter { !$0.isEmpty } }
            // `tags: a, b` and Jekyll's space-separated `tags: a b`.
            guard let scalar = found.scalarText, !found.isNull else { return [] }
            let separator: Character = scalar.contains(",") ? "," : " "
            return scalar.split(separator: separator).map { String($0).trimmed }.filter { !$0.isEmpty }
        }
        var metadata = Metadata()
        metadata.title = text("title")
        metadata.description = text("description", "summary", "excerpt")
        metadata.author = text("author", "authors")
        var tags: [String] = []
        for tag in list("tags") + list("keywords") + list("categories") {
            // Obsidian writes `#tag` in front matter as often as `tag`.
            let name = tag.hasPrefix("#") ? String(tag.dropFirst()) : tag
            if !name.isEmpty && !tags.contains(name) { tags.append(name) }
        }
        metadata.tags = tags
        metadata.date = text("lastmod", "last_modified_at", "modified", "updated", "date")
        metadata.language = text("lang", "language", "languageCode")
        let draft = value("draft")?.scalarText?.lowercased()
        let published = value("published")?.scalarText?.lowercased()
        metadata.isDraft = ["true", "yes", "on"].contains(draft ?? "") || ["false", "no", "off"].contains(published ?? "")
        metadata.aliases = list("aliases") + list("alias")
        return metadata
    }

    /// Jekyll's posts carry their day in the file name: `2024-03-05-release-notes.md`.
    static func dayInName(_ file: String) -> String? {
        let name = (file as NSString).lastPathComponent
        guard name.count > 11, name[name.index(name.startIndex, offsetBy: 10)] == "-" else { return nil }
        return OfficeProperties.day(String(name.prefix(10)))
    }

    /// The page's first `# ` heading, if the body has one before any other text.
    static func firstHeading(_ body: String) -> String? {
        for line in body.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard trimmed.hasPrefix("# ") else { return nil }
            var title = trimmed.dropFirst(2).trimmingCharacters(in: .whitespaces)
            // A closing sequence of #s is not part of the heading.
            while title.hasSuffix("#") { title.removeLast() }
            title = title.trimmingCharacters(in: .whitespaces)
            return title.isEmpty ? nil : title
        }
        return nil
    }

    // MARK: - Rewriting the body

    /// A line without its leading and trailing spaces and tabs (read byte by byte: bodies are long).
    static func blankTrimmed(_ line: String) -> String {
        let bytes = line.utf8
        guard let first = bytes.firstIndex(where: { $0 != 32 && $0 != 9 }) else { return "" }
        let last = bytes.lastIndex(where: { $0 != 32 && $0 != 9 })!
        return String(line[first...last])
    }

    static func isBlank(_ line: some StringProtocol) -> Bool {
        line.utf8.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 }
    }

    /// How many spaces a line begins with.
    static func spaces(_ line: some StringProtocol) -> Int {
        var count = 0
        for byte in line.utf8 {
            guard byte == 32 else { break }
            count += 1
        }
        return count
    }

    /// What a reference in the body turns into.
    struct Rewriter {
        /// A link or image destination as written (`other.md#part`, `../img/a.png`, `{{< ref "x" >}}`) → the
        /// destination to write instead; nil leaves it as written.
        var destination: (_ destination: String, _ isImage: Bool) -> String?
        /// A wiki link's target (`Note`, `folder/Note.md`, an attachment's name) → where it points, or nil when
        /// nothing of that name is imported.
        var wiki: (_ target: String, _ isEmbed: Bool) -> String?
    }

    /// The body with its links rewritten and the generators' block syntax made plain Markdown. Code (fenced,
    /// indented, and inline spans) is left exactly as written.
    static func rewrite(_ body: String, _ rewriter: Rewriter) -> String {
        let lines = blocksMadePlain(body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        var out: [String] = []
        out.reserveCapacity(lines.count)
        var fence: Fence?
        var previousBlank = true
        var inList = false
        var inIndentedCode = false
        for line in lines {
            var indent = 0
            for byte in line.utf8 {
                guard byte == 32 || byte == 9 else { break }
                indent += byte == 9 ? 4 : 1
            }
            let trimmed = blankTrimmed(line)
            if let open = fence {
                out.append(line)
                if open.closes(trimmed) { fence = nil }
                continue
            }
            if indent < 4, let opened = fenceOpening(trimmed) {
                fence = opened
                out.append(line)
                previousBlank = false
                continue
            }
            if trimmed.isEmpty {
                out.append(line)
                previousBlank = true
                continue
            }
            // An indented block after a blank line is code, unless it continues a list item.
            if indent >= 4 && (inIndentedCode || (previousBlank && !inList)) {
                inIndentedCode = true
                out.append(line)
                continue
            }
            inIndentedCode = false
            if indent < 4 {
                if isListItem(trimmed) {
                    inList = true
                } else if previousBlank && indent == 0 {
                    inList = false
                }
            }
            previousBlank = false
            if let definition = referenceDefinition(line, rewriter) {
                out.append(definition)
            } else {
                out.append(inline(line, rewriter))
            }
        }
        return out.joined(separator: "\n")
    }

    /// An open code fence: what closes it is a run of its character at least as long, and nothing after.
    struct Fence {
        var character: Character
        var length: Int

        func closes(_ trimmed: String) -> Bool {
            let run = trimmed.prefix(while: { $0 == character })
            return run.count >= length && trimmed.dropFirst(run.count).allSatisfy { $0 == " " }
        }
    }

    static func fenceOpening(_ trimmed: String) -> Fence? {
        guard let first = trimmed.first, first == "`" || first == "~" else { return nil }
        let run = trimmed.prefix(while: { $0 == first }).count
        guard run >= 3 else { return nil }
        // A backtick fence's info string may not hold a backtick.
        if first == "`" && trimmed.dropFirst(run).contains("`") { return nil }
        return Fence(character: first, length: run)
    }

    static func isListItem(_ trimmed: String) -> Bool {
        if trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ") || trimmed.hasPrefix("+ ") || trimmed == "-" { return true }
        let digits = trimmed.prefix(while: \.isNumber)
        guard !digits.isEmpty, digits.count <= 9 else { return false }
        let rest = trimmed.dropFirst(digits.count)
        return rest.hasPrefix(". ") || rest.hasPrefix(") ")
    }

    /// `[label]: destination "title"` with its destination rewritten; nil for any other line.
    static func referenceDefinition(_ line: String, _ rewriter: Rewriter) -> String? {
        let lead = line.prefix(while: { $0 == " " })
        guard lead.count <= 3, line.dropFirst(lead.count).first == "[" else { return nil }
        let rest = line.dropFirst(lead.count)
        guard let close = rest.range(of: "]:"), !rest[rest.index(after: rest.startIndex)..<close.lowerBound].contains("]") else { return nil }
        let label = rest[..<close.lowerBound]
        if label.hasPrefix("[^") { return nil }  // a footnote
        let after = rest[close.upperBound...]
        let space = after.prefix(while: { $0 == " " || $0 == "\t" })
        let destinationAndTitle = after.dropFirst(space.count)
        let destination: Substring
        if destinationAndTitle.hasPrefix("<"), let end = destinationAndTitle.firstIndex(of: ">") {
            destination = destinationAndTitle[destinationAndTitle.index(after: destinationAndTitle.startIndex)..<end]
        } else {
            destination = destinationAndTitle.prefix(while: { $0 != " " && $0 != "\t" })
        }
        guard !destination.isEmpty, let replacement = rewriter.destination(String(destination), false) else { return nil }
        let tail = destinationAndTitle.hasPrefix("<") ? destinationAndTitle.drop(while: { $0 != ">" }).dropFirst() : destinationAndTitle.dropFirst(destination.count)
        return String(lead) + label + "]:" + space + written(replacement) + tail
    }

    /// A destination as Markdown can hold it: in angle brackets when it has spaces or parentheses.
    static func written(_ destination: String) -> String {
        destination.contains(where: { $0 == " " || $0 == "(" || $0 == ")" }) ? "<" + destination + ">" : destination
    }

    /// One line's links, images and wiki links rewritten; code spans untouched.
    static func inline(_ line: String, _ rewriter: Rewriter) -> String {
        let characters = Array(line)
        var out = ""
        out.reserveCapacity(line.utf8.count)
        var openers: [Bool] = []  // for each open `[`, whether it is an image's `![`
        // Where each run of backticks starts, by its length, so a code span's closing run is found without
        // searching the rest of the line again for every opening one.
        var runs: [Int: [Int]] = [:]
        var position = 0
        while position < characters.count {
            guard characters[position] == "`" else { position += 1; continue }
            var length = 0
            while position + length < characters.count && characters[position + length] == "`" { length += 1 }
            runs[length, default: []].append(position)
            position += length
        }
        var cursors: [Int: Int] = [:]
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "\\", index + 1 < characters.count {
                out.append(character)
                out.append(characters[index + 1])
                index += 2
                continue
            }
            if character == "`" {
                // A code span: the same run of backticks closes it; an unmatched run is literal.
                var run = 0
                while index + run < characters.count && characters[index + run] == "`" { run += 1 }
                let starts = runs[run] ?? []
                var cursor = cursors[run] ?? 0
                while cursor < starts.count && starts[cursor] <= index { cursor += 1 }
                cursors[run] = cursor
                // The closing run must be exactly as long: a run that starts inside a longer one is not one.
                let closing = cursor < starts.count ? starts[cursor] : nil
                let end = closing.map { $0 + run } ?? index + run
                out += String(characters[index..<end])
                index = end
                continue
            }
            if character == "[" || (character == "!" && index + 1 < characters.count && characters[index + 1] == "[") {
                let isEmbed = character == "!"
                let start = isEmbed ? index + 1 : index
                if start + 1 < characters.count, characters[start + 1] == "[", let wiki = wikiLink(characters, from: start, rewriter, isEmbed: isEmbed) {
                    out += wiki.text
                    index = wiki.end
                    continue
                }
                openers.append(isEmbed)
                out += isEmbed ? "![" : "["
                index = start + 1
                continue
            }
            if character == "]", index + 1 < characters.count, characters[index + 1] == "(", let isImage = openers.popLast() {
                if let (destination, end) = linkDestination(characters, from: index + 2) {
                    out += "]("
                    if let replacement = rewriter.destination(destination, isImage) {
                        out += written(replacement)
                        index = end
                    } else {
                        index += 2
                    }
                    continue
                }
            } else if character == "]" {
                _ = openers.popLast()
            }
            out.append(character)
            index += 1
        }
        return out
    }

    /// The destination of `](…`, starting after the parenthesis, and where it ends (the title, if any, and the
    /// closing parenthesis stay where they are).
    static func linkDestination(_ characters: [Character], from start: Int) -> (String, Int)? {
        var index = start
        while index < characters.count && characters[index] == " " { index += 1 }
        if index < characters.count && characters[index] == "<" {
            guard let end = characters[index...].firstIndex(of: ">") else { return nil }
            return (String(characters[(index + 1)..<end]), end + 1)
        }
        var depth = 0
        var end = index
        // Hugo's `{{< ref "x" >}}` holds spaces and quotes: it is taken whole.
        if characters[index...].starts(with: "{{") {
            // Looked for within a shortcode's length, so a line of unclosed `{{` costs no more than its length.
            let limit = min(characters.count - 1, index + 400)
            guard let close = (index..<max(index, limit)).first(where: { characters[$0] == "}" && characters[$0 + 1] == "}" }) else { return nil }
            return (String(characters[index..<(close + 2)]), close + 2)
        }
        while end < characters.count {
            let character = characters[end]
            if character == " " || character == "\t" { break }
            if character == "(" { depth += 1 }
            if character == ")" {
                if depth == 0 { break }
                depth -= 1
            }
            end += 1
        }
        guard end > index else { return nil }
        return (String(characters[index..<end]), end)
    }

    /// `[[target#heading|label]]` (or `![[…]]`) starting at `start`: the Markdown it becomes and where it ends.
    static func wikiLink(_ characters: [Character], from start: Int, _ rewriter: Rewriter, isEmbed: Bool) -> (text: String, end: Int)? {
        var index = start + 2
        while index + 1 < characters.count && !(characters[index] == "]" && characters[index + 1] == "]") {
            if characters[index] == "[" || characters[index] == "\n" || index - start > 1000 { return nil }
            index += 1
        }
        guard index + 1 < characters.count else { return nil }
        let inner = String(characters[(start + 2)..<index])
        let end = index + 2
        guard !inner.trimmed.isEmpty else { return nil }
        var target = inner
        var label: String?
        if let bar = inner.firstIndex(of: "|") {
            target = String(inner[..<bar])
            label = String(inner[inner.index(after: bar)...]).trimmed
        }
        var heading: String?
        if let hash = target.firstIndex(of: "#") {
            heading = String(target[target.index(after: hash)...]).trimmed
            target = String(target[..<hash])
        }
        target = target.trimmed
        let shown = label.flatMap { $0.isEmpty ? nil : $0 }
            ?? (target.isEmpty ? heading ?? "" : (heading.map { "\(target) > \($0)" } ?? target))
        // The anchor of the heading: a block reference (`#^id`) has none in Baton.
        let anchor = heading.flatMap { $0.hasPrefix("^") || $0.isEmpty ? nil : "#" + MarkdownSummary.anchor(forHeading: $0.replacingAll("#", " ")) } ?? ""
        if target.isEmpty {
            return ("[" + MarkdownWriter.escape(shown) + "](" + (anchor.isEmpty ? "#" : anchor) + ")", end)
        }
        guard let destination = rewriter.wiki(target, isEmbed) else {
            // Nothing of that name is imported: the text stays, without a link to nowhere.
            return (MarkdownWriter.escape(shown), end)
        }
        let isImage = isEmbed && Importer.imageExtensions.contains((target as NSString).pathExtension.lowercased())
        if isImage {
            // `![[photo.png|300]]`: a width, not a description.
            let description = label.flatMap { $0.allSatisfy { $0.isNumber || $0 == "x" } ? nil : $0 } ?? (target as NSString).deletingPathExtension
            return ("![" + MarkdownWriter.escape(description) + "](" + written(destination) + ")", end)
        }
        return ("[" + MarkdownWriter.escape(shown) + "](" + written(destination + anchor) + ")", end)
    }

    // MARK: - Generator blocks

    /// MkDocs admonitions (`!!! note "Title"`, collapsible `???`) become block quotes and content tabs
    /// (`=== "Tab"`) a bold line, both with their indented content taken out of the indentation (CommonMark would
    /// read it as code); a line that is only a Hugo shortcode or a Liquid tag (`{{< note >}}`, `{% raw %}`) goes.
    static func blocksMadePlain(_ lines: [String], depth: Int = 0) -> [String] {
        // Blocks nested deeper than this stay as written (a hostile file could otherwise nest without end).
        guard depth < 8 else { return lines }
        var out: [String] = []
        // Shortcodes found to have no closing tag after some line: none after any later line either.
        var unclosed: Set<String> = []
        var index = 0
        var fence: Fence?
        while index < lines.count {
            let line = lines[index]
            let trimmed = blankTrimmed(line)
            if let open = fence {
                out.append(line)
                if open.closes(trimmed) { fence = nil }
                index += 1
                continue
            }
            if let opened = fenceOpening(trimmed) {
                fence = opened
                out.append(line)
                index += 1
                continue
            }
            let lead = String(repeating: " ", count: spaces(line))
            if let block = generatorBlock(trimmed) {
                // The block's content: the following lines indented deeper than its marker (blank lines inside).
                var content: [String] = []
                var next = index + 1
                while next < lines.count {
                    let candidate = lines[next]
                    let depth = spaces(candidate)
                    if depth >= lead.count + 4 || isBlank(candidate) {
                        content.append(candidate)
                        next += 1
                    } else {
                        break
                    }
                }
                while content.last.map(isBlank) == true { content.removeLast() }
                next = index + 1 + content.count
                let inner = blocksMadePlain(content.map { String($0.dropFirst(min(lead.count + 4, spaces($0)))) }, depth: depth + 1)
                    .drop(while: isBlank)
                switch block {
                case .admonition(let title):
                    out.append(lead + "> **" + MarkdownWriter.escape(title) + "**")
                    if !inner.isEmpty { out.append(lead + ">") }
                    out += inner.map { $0.isEmpty ? lead + ">" : lead + "> " + $0 }
                case .tab(let title):
                    out.append(lead + "**" + MarkdownWriter.escape(title) + "**")
                    out.append("")
                    out += inner.map { $0.isEmpty ? "" : lead + $0 }
                }
                index = next
                continue
            }
            if let tag = pairedShortcode(trimmed), !unclosed.contains(tag.name) {
                guard let close = lines[(index + 1)...].firstIndex(where: { closesShortcode($0, tag.name) }) else {
                    unclosed.insert(tag.name)
                    index += 1
                    continue
                }
                let inner = Array(lines[(index + 1)..<close])
                if let language = tag.codeLanguage {
                    // A fence longer than any run of backticks inside it.
                    let longest = inner.map { longestRun(of: "`", in: $0) }.max() ?? 0
                    let fence = String(repeating: "`", count: max(3, longest + 1))
                    out.append(lead + fence + language)
                    out += inner
                    out.append(lead + fence)
                } else {
                    out.append(lead + "> **" + MarkdownWriter.escape(tag.title) + "**")
                    let body = blocksMadePlain(inner, depth: depth + 1)
                    if !body.isEmpty { out.append(lead + ">") }
                    out += body.map { isBlank($0) ? lead + ">" : lead + "> " + $0 }
                }
                index = close + 1
                continue
            }
            if isLoneTag(trimmed) {
                index += 1
                continue
            }
            out.append(line)
            index += 1
        }
        return out
    }

    enum GeneratorBlock { case admonition(String), tab(String) }

    /// `!!! warning "Mind the gap"`, `??? note`, `???+ tip`, `=== "Linux"`.
    static func generatorBlock(_ trimmed: String) -> GeneratorBlock? {
        for marker in ["!!!", "???+", "???", "==="] where trimmed.hasPrefix(marker + " ") {
            let rest = trimmed.dropFirst(marker.count + 1).trimmingCharacters(in: .whitespaces)
            var type = String(rest.prefix(while: { $0 != " " && $0 != "\"" }))
            var title: String?
            if let open = rest.firstIndex(of: "\""), let close = rest.lastIndex(of: "\""), open < close {
                title = String(rest[rest.index(after: open)..<close])
            }
            if marker == "===" {
                guard let title else { return nil }
                return .tab(title)
            }
            // `!!! note inline end` carries layout words after the type.
            if type.isEmpty { return nil }
            guard type.allSatisfy({ $0.isLetter || $0 == "-" || $0 == "_" }) else { return nil }
            type = type.prefix(1).uppercased() + type.dropFirst()
            return .admonition(title.map { $0.isEmpty ? type : $0 } ?? type)
        }
        return nil
    }

    /// A Hugo shortcode that wraps a block: code (`highlight`, and the `code`, `code-toggle` and `output` of
    /// documentation themes) or a notice (`note`, `warning`, `tip`, …).
    struct PairedShortcode {
        var name: String
        /// The fence's info string for code; nil for a notice.
        var codeLanguage: String?
        var title: String
    }

    static func pairedShortcode(_ trimmed: String) -> PairedShortcode? {
        guard isLoneTag(trimmed), trimmed.hasPrefix("{{") else { return nil }
        let words = trimmed.dropFirst(3).dropLast(3).split(separator: " ").map(String.init)
        guard let name = words.first?.lowercased(), !name.hasPrefix("/") else { return nil }
        let arguments = words.dropFirst()
        switch name {
        case "highlight":
            return PairedShortcode(name: name, codeLanguage: arguments.first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? "", title: "")
        case "code", "code-toggle", "output":
            // `file="layouts/x.html"`: the file's extension names the language.
            let file = arguments.first { $0.hasPrefix("file=") }.map { String($0.dropFirst(5)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            let language = arguments.first { $0.hasPrefix("lang=") }.map { String($0.dropFirst(5)).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
            return PairedShortcode(name: name, codeLanguage: language ?? file.map { ($0 as NSString).pathExtension } ?? "", title: "")
        case "note", "warning", "tip", "info", "notice", "alert", "caution", "important", "callout", "admonition", "hint":
            // `{{< notice warning >}}` names its kind as its first argument.
            let kind = ["notice", "alert", "callout", "admonition"].contains(name) ? arguments.first.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) } ?? name : name
            return PairedShortcode(name: name, codeLanguage: nil, title: kind.prefix(1).uppercased() + kind.dropFirst())
        default:
            return nil
        }
    }

    static func closesShortcode(_ line: String, _ name: String) -> Bool {
        let trimmed = blankTrimmed(line).lowercased()
        guard trimmed.hasPrefix("{{<") || trimmed.hasPrefix("{{%") else { return false }
        let rest = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces)
        // `/code` closes code, not code-toggle.
        return rest.hasPrefix("/" + name) && rest.dropFirst(name.count + 1).first.map { $0 == " " || $0 == ">" || $0 == "%" } == true
    }

    static func longestRun(of character: Character, in line: String) -> Int {
        var longest = 0
        var current = 0
        for each in line {
            current = each == character ? current + 1 : 0
            longest = max(longest, current)
        }
        return longest
    }

    /// A line that is only `{{< … >}}`, `{{% … %}}` or `{% … %}`: a template's instruction, not text.
    static func isLoneTag(_ trimmed: String) -> Bool {
        for (open, close) in [("{{<", ">}}"), ("{{%", "%}}"), ("{%", "%}")] where trimmed.hasPrefix(open) && trimmed.hasSuffix(close) {
            let inner = trimmed.dropFirst(open.count).dropLast(close.count)
            if !inner.contains(open) && !inner.contains(close) { return true }
        }
        return false
    }

    /// The quoted path of Hugo's `{{< ref "x" >}}` / `{{< relref "x" >}}` (or Jekyll's `{% link x %}`), if the
    /// destination is one.
    static func shortcodePath(_ destination: String) -> String? {
        let trimmed = destination.trimmed
        for (open, close) in [("{{<", ">}}"), ("{{%", "%}}"), ("{%", "%}")] where trimmed.hasPrefix(open) && trimmed.hasSuffix(close) {
            let words = trimmed.dropFirst(open.count).dropLast(close.count).split(separator: " ", omittingEmptySubsequences: true)
            guard let name = words.first, ["ref", "relref", "link"].contains(name), words.count >= 2 else { return nil }
            var path = words.dropFirst().joined(separator: " ")
            if path.hasPrefix("\"") && path.hasSuffix("\"") && path.count >= 2 { path = String(path.dropFirst().dropLast()) }
            return path
        }
        return nil
    }
}

/// Enough of TOML for Hugo's front matter: `key = value` with strings, numbers, booleans, dates and arrays of
/// them, tables (`[params]`) as nested mappings. A line that is none of these is an error naming it.
enum TOML {
    static func parse(_ text: String, firstLine: Int) throws(MarkdownSource.Failure) -> YAMLNode {
        var root: [YAMLNode.Pair] = []
        var table: String?
        var tablePairs: [YAMLNode.Pair] = []
        func closeTable() {
            if let table { root.append(YAMLNode.Pair(key: table, value: .mapping(tablePairs))) }
            tablePairs = []
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)[...]
        var number = firstLine - 1
        while let raw = lines.popFirst() {
            number += 1
            var line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[") && !line.contains("=") {
                guard line.hasSuffix("]") else { throw MarkdownSource.Failure(line: number, message: "\(line) is not a TOML table header") }
                closeTable()
                table = line.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
                continue
            }
            guard let equals = line.firstIndex(of: "=") else {
                throw MarkdownSource.Failure(line: number, message: "\"\(line.prefix(60))\" is not TOML (key = value)")
            }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            // A value spread over lines: an array until its brackets balance, a string until its closing quotes.
            let startLine = number
            while (value.hasPrefix("[") && !balanced(value)) || (value.hasPrefix("\"\"\"") && (value.count < 6 || !value.hasSuffix("\"\"\""))) {
                guard let more = lines.popFirst() else {
                    throw MarkdownSource.Failure(line: startLine, message: "the value of \(key) is never closed")
                }
                number += 1
                value += "\n" + more
            }
            line = value
            let node = try self.value(line, line: startLine)
            if table == nil { root.append(YAMLNode.Pair(key: key, value: node)) } else { tablePairs.append(YAMLNode.Pair(key: key, value: node)) }
        }
        closeTable()
        return .mapping(root)
    }

    static func balanced(_ text: String) -> Bool {
        var depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "[": depth += 1
            case "]": depth -= 1
            default: break
            }
        }
        return depth <= 0
    }

    static func value(_ text: String, line: Int) throws(MarkdownSource.Failure) -> YAMLNode {
        var text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.hasPrefix("\"\"\"") { return .string(String(text.dropFirst(3).dropLast(3)).trimmingCharacters(in: .newlines)) }
        if text.hasPrefix("[") {
            var items: [YAMLNode] = []
            for item in splitArray(String(text.dropFirst().dropLast())) {
                items.append(try value(item, line: line))
            }
            return .sequence(items, flow: true)
        }
        if text.hasPrefix("\"") {
            guard let close = closingQuote(text) else { throw MarkdownSource.Failure(line: line, message: "a string is never closed: \(text.prefix(60))") }
            return .string(unescape(String(text[text.index(after: text.startIndex)..<close])))
        }
        if text.hasPrefix("'") {
            guard let close = text.dropFirst().firstIndex(of: "'") else { throw MarkdownSource.Failure(line: line, message: "a string is never closed: \(text.prefix(60))") }
            return .string(String(text[text.index(after: text.startIndex)..<close]))
        }
        // A bare value: a number, boolean, date or inline table, up to a comment.
        if let hash = text.firstIndex(of: "#") { text = String(text[..<hash]).trimmingCharacters(in: .whitespaces) }
        return .plain(text)
    }

    static func closingQuote(_ text: String) -> String.Index? {
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            if text[index] == "\\" {
                index = text.index(after: index)
                if index < text.endIndex { index = text.index(after: index) }
                continue
            }
            if text[index] == "\"" { return index }
            index = text.index(after: index)
        }
        return nil
    }

    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out = ""
        var escaped = false
        for character in text {
            if escaped {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                default: out.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// The items of an array's inside, split at top-level commas (quotes and nested arrays respected).
    static func splitArray(_ inner: String) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        for character in inner {
            if let open = quote {
                current.append(character)
                if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'":
                quote = character
                current.append(character)
            case "[":
                depth += 1
                current.append(character)
            case "]":
                depth -= 1
                current.append(character)
            case "," where depth == 0:
                items.append(current)
                current = ""
            default:
                current.append(character)
            }
        }
        items.append(current)
        return items.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
    }
}

/// One Markdown file converted on its own, with nothing to resolve its links against: front matter read, the
/// generators' blocks made plain, wiki links pointed wherever `wiki` says (left as text where it says nil).
public enum MarkdownImporter {
    public static func page(_ bytes: [UInt8], wiki: @escaping (String) -> String? = { _ in nil }) throws(MarkupError) -> ImportedPage {
        let parsed: MarkdownSource.Parsed
        do {
            parsed = try MarkdownSource.parse(String(decoding: bytes, as: UTF8.self))
        } catch {
            throw MarkupError(description: "the front matter cannot be read, " + error.description)
        }
        var markdown = MarkdownSource.rewrite(parsed.body, MarkdownSource.Rewriter(destination: { _, _ in nil }, wiki: { target, _ in wiki(target) }))
        let heading = MarkdownSource.firstHeading(markdown)
        let title = parsed.metadata.title ?? heading ?? "Untitled"
        if heading == nil { markdown = "# \(MarkdownWriter.escape(title))\n\n" + markdown }
        let metadata = parsed.metadata
        return ImportedPage(title: title, markdown: markdown, description: metadata.description, author: metadata.author,
                            keywords: metadata.tags, date: metadata.date, language: metadata.language, images: [])
    }
}

/// What Baton needs from an entity's Markdown body: its headings with stable anchors, its task-list items with
/// their state and file line, and its plain text for indexing. Built by walking cmark-gfm's syntax tree.
public struct MarkdownSummary: Sendable, Equatable {
    public struct Heading: Sendable, Equatable {
        public var level: Int
        public var text: String
        /// A GitHub-style anchor, unique within the document (`ip-and-licences`, `notes-1`).
        public var anchor: String
        public var line: Int
        /// Where the heading starts in `plainText`, in UTF-8 bytes.
        public var textOffset: Int
    }

    public struct TaskItem: Sendable, Equatable {
        public var text: String
        public var isChecked: Bool
        /// The line in the file (not just the body), so an edit can find it.
        public var line: Int
        /// The nearest heading above the item, if any: its section.
        public var section: String?
    }

    /// A link or image in the body, as written.
    public struct Link: Sendable, Equatable {
        public var destination: String
        public var isImage: Bool
        /// The file line of the block it is in.
        public var line: Int
    }

    public var headings: [Heading]
    public var tasks: [TaskItem]
    public var links: [Link]
    /// The body's text without markup, blocks separated by newlines.
    public var plainText: String

    /// Summarises `markdown`; `firstLine` is the file line the body starts on.
    public init(markdown: String, firstLine: Int = 1) {
        var headings: [Heading] = []
        var tasks: [TaskItem] = []
        var links: [Link] = []
        var blockLine = firstLine
        var plain = ""
        var anchors = AnchorAllocator()
        // Text collected for the innermost open heading or task item.
        var headingText: String?
        var headingStart = (level: 0, line: 0, offset: 0)
        var taskStack: [(text: String, checked: Bool, line: Int)] = []
        var currentSection: String?
        let offset = firstLine - 1

        func appendText(_ text: String) {
            plain += text
            if headingText != nil { headingText! += text }
            if !taskStack.isEmpty { taskStack[taskStack.count - 1].text += text }
        }

        Cmark.walk(markdown) { event in
            if event.kind == .enter, event.startLine > 0, event.type != "link", event.type != "image", event.type != "text" {
                blockLine = event.startLine + offset
            }
            if let url = event.url {
                links.append(Link(destination: url, isImage: event.type == "image", line: blockLine))
            }
            switch (event.kind, event.type) {
            case (.enter, "heading"):
                headingText = ""
                headingStart = (event.headingLevel, event.startLine + offset, plain.utf8.count)
            case (.exit, "heading"):
                let text = (headingText ?? "").trimmingSpaces
                headings.append(Heading(level: headingStart.level, text: text, anchor: anchors.anchor(for: text),
                                        line: headingStart.line, textOffset: headingStart.offset))
                currentSection = text
                headingText = nil
                plain += "\n"
            case (.enter, "tasklist"):
                taskStack.append(("", event.taskChecked, event.startLine + offset))
            case (.exit, "tasklist"):
                if let task = taskStack.popLast() {
                    let text = task.text.split(whereSeparator: { $0 == "\n" || $0 == " " }).joined(separator: " ")
                    tasks.append(TaskItem(text: text, isChecked: task.checked, line: task.line,
                                          section: currentSection))
                }
            case (.enter, "text"), (.enter, "code"), (.enter, "html_inline"):
                appendText(event.literal ?? "")
            case (.enter, "softbreak"), (.enter, "linebreak"):
                appendText(" ")
            case (.enter, "code_block"):
                plain += (event.literal ?? "") + "\n"
            case (.exit, "paragraph"), (.exit, "table_cell"), (.exit, "table_row"):
                if taskStack.isEmpty || event.type != "paragraph" { plain += "\n" } else { appendText(" ") }
            default:
                break
            }
        }
        self.headings = headings
        self.links = links
        // Items come out in the order they close; nested items close first, so sort back into file order.
        self.tasks = tasks.sorted { $0.line < $1.line }
        self.plainText = plain
    }
}

extension MarkdownSummary {
    /// The HTML for a Markdown text (GitHub extensions on; raw HTML in the source is escaped).
    public static func html(for markdown: String) -> String {
        Cmark.html(markdown)
    }

    /// The GitHub-style anchor of a heading with this text (the first of its name in a document).
    public static func anchor(forHeading text: String) -> String {
        AnchorAllocator.slug(text)
    }
}

/// Turns heading text into GitHub-style anchors: lower-cased, punctuation dropped, spaces to hyphens, and a
/// `-1`, `-2` suffix when a document repeats a heading.
struct AnchorAllocator {
    private var used: [String: Int] = [:]

    /// The anchor GitHub gives a heading's text, before any suffix for repeats (empty when nothing is left).
    static func slug(_ text: String) -> String {
        var slug = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber || character == "-" || character == "_" {
                slug.append(character)
            } else if character == " " {
                slug.append("-")
            }
        }
        return slug
    }

    mutating func anchor(for text: String) -> String {
        var slug = Self.slug(text)
        if slug.isEmpty { slug = "section" }
        var candidate = slug
        if let count = used[slug] {
            var next = count
            repeat {
                next += 1
                candidate = "\(slug)-\(next)"
            } while used[candidate] != nil
            used[slug] = next
        } else {
            used[slug] = 0
        }
        used[candidate] = used[candidate] ?? 0
        return candidate
    }
}

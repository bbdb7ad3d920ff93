import BatonJSON
import BatonSearch
import Yams

/// A YAML value as Baton keeps it: an ordered tree of scalars, sequences and mappings, each remembering the
/// line it came from. Mappings keep their keys in file order, so a read-modify-write round trip keeps every key
/// (known or not) where the author put it.
public struct YAMLNode: Sendable, Equatable {
    /// How a scalar was written, which decides how it is written back.
    public enum ScalarStyle: Sendable, Equatable {
        case plain, singleQuoted, doubleQuoted, literal, folded
    }

    /// One key and its value in a mapping.
    public struct Pair: Sendable, Equatable {
        public var key: String
        public var value: YAMLNode
        /// The line of the key in the source file (1-based), 0 for a pair made in code.
        public var line: Int

        public init(key: String, value: YAMLNode, line: Int = 0) {
            self.key = key
            self.value = value
            self.line = line
        }

        public static func == (lhs: Pair, rhs: Pair) -> Bool {
            lhs.key == rhs.key && lhs.value == rhs.value
        }
    }

    /// The value itself.
    public enum Content: Sendable, Equatable {
        case scalar(String, ScalarStyle)
        case sequence([YAMLNode])
        case mapping([Pair])
    }

    public var content: Content
    /// The line in the source file (1-based) where this value starts; 0 for a value made in code.
    public var line: Int
    /// Whether a sequence or mapping was written in flow style (`[a, b]`, `{k: v}`); kept on output.
    public var isFlow: Bool

    public init(_ content: Content, line: Int = 0, isFlow: Bool = false) {
        self.content = content
        self.line = line
        self.isFlow = isFlow
    }

    /// Equality compares values only, never where they came from.
    public static func == (lhs: YAMLNode, rhs: YAMLNode) -> Bool {
        lhs.content == rhs.content
    }
}

// MARK: - Building values in code

extension YAMLNode {
    /// A string scalar; quoted on output when a plain form would read as another type.
    public static func string(_ text: String) -> YAMLNode {
        YAMLNode(.scalar(text, Self.plainReadsAsString(text) ? .plain : .doubleQuoted))
    }

    /// A plain scalar written exactly as given (numbers, booleans, dates).
    public static func plain(_ text: String) -> YAMLNode {
        YAMLNode(.scalar(text, .plain))
    }

    /// The null value.
    public static let null = YAMLNode(.scalar("", .plain))

    public static func sequence(_ items: [YAMLNode], flow: Bool = false) -> YAMLNode {
        YAMLNode(.sequence(items), isFlow: flow)
    }

    public static func mapping(_ pairs: [Pair]) -> YAMLNode {
        YAMLNode(.mapping(pairs))
    }

    /// True when `text`, written plain, would still be read back as the same string.
    static func plainReadsAsString(_ text: String) -> Bool {
        if text.isEmpty || text != text.trimmingSpaces { return false }
        // Control characters must be escaped, which only double quotes can do.
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return false
        }
        let node = Node.Scalar(text)
        let resolved = Resolver.default.resolveTag(of: .scalar(node))
        guard resolved == .str else { return false }
        // Indicators and sequences that change meaning at the start or inside a plain scalar.
        if let first = text.unicodeScalars.first, "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.contains(first) {
            return false
        }
        if text.contains(": ") || text.contains(" #") || text.hasSuffix(":") || text.contains("\n") { return false }
        return true
    }
}

// MARK: - Reading values

extension YAMLNode {
    /// The scalar's text, or nil for sequences and mappings.
    public var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// True for a plain scalar that YAML reads as null (`~`, `null`, or nothing at all).
    public var isNull: Bool {
        if case .scalar(let text, .plain) = content {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// The pairs of a mapping, or nil.
    public var pairs: [Pair]? {
        if case .mapping(let pairs) = content { return pairs }
        return nil
    }

    /// The items of a sequence, or nil.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    /// The value under `key` in a mapping (the last one, as YAML readers do).
    public subscript(key: String) -> YAMLNode? {
        pairs?.last(where: { $0.key == key })?.value
    }

    /// The pair under `key` in a mapping, with its line.
    public func pair(_ key: String) -> Pair? {
        pairs?.last(where: { $0.key == key })
    }

    /// Sets, replaces (in place, keeping the key's position) or removes (with nil) the value under `key`.
    /// Does nothing on a value that is not a mapping.
    public mutating func set(_ key: String, _ value: YAMLNode?) {
        guard case .mapping(var pairs) = content else { return }
        if let index = pairs.lastIndex(where: { $0.key == key }) {
            if let value {
                pairs[index].value = value
            } else {
                pairs.remove(at: index)
            }
        } else if let value {
            pairs.append(Pair(key: key, value: value))
        }
        content = .mapping(pairs)
    }

    /// A plain-data view (String, Bool, Int, Double, NSNull-free nil, arrays, ordered dictionaries as arrays of
    /// pairs) used for JSON output. Scalars are typed as YAML reads them.
    public var jsonValue: JSONValue {
        switch content {
        case .scalar(let text, let style):
            guard style == .plain else { return .string(text) }
            if isNull { return .null }
            switch Resolver.default.resolveTag(of: .scalar(Node.Scalar(text))) {
            case .bool: return .bool(Bool.construct(from: Node.Scalar(text)) ?? false)
            case .int: return Int.construct(from: Node.Scalar(text)).map { .number(Double($0)) } ?? .string(text)
            case .float: return Double.construct(from: Node.Scalar(text)).map { .number($0) } ?? .string(text)
            default: return .string(text)
            }
        case .sequence(let items):
            return .array(items.map(\.jsonValue))
        case .mapping(let pairs):
            return .object(pairs.map { ($0.key, $0.value.jsonValue) })
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    var trimmingSpaces: String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}

import BatonSearch
import Yams

/// A problem reading YAML text, with the line (1-based, in the file) where the reader gave up.
public struct YAMLSyntaxError: Error, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "line \(line): \(message)" }
}

extension YAMLNode {
    /// Parses one YAML document. `firstLine` is the file line of the text's first line, so that every line
    /// number in the result (and in an error) refers to the file, not the snippet.
    ///
    /// An empty document is an empty mapping. Throws `YAMLSyntaxError` for text that is not YAML.
    public static func parse(_ text: String, firstLine: Int = 1) throws(YAMLSyntaxError) -> YAMLNode {
        let offset = firstLine - 1
        try checkNesting(text, firstLine: firstLine)
        let root: Node?
        do {
            // The basic resolver skips Yams' per-scalar regular expressions (Baton reads types itself); naming the
            // encoding spares Yams a look at the whole environment on every call.
            root = try Yams.compose(yaml: text, Resolver.basic, Constructor.default, .utf8)
        } catch let error as YamlError {
            throw Self.syntaxError(from: error, offset: offset)
        } catch {
            throw YAMLSyntaxError(line: firstLine, column: 1, message: "\(error)")
        }
        guard let root else { return YAMLNode(.mapping([]), line: firstLine) }
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0) }
        var budget = maximumValues
        return try convert(root, offset: offset, lines: lines, budget: &budget)
    }

    /// The most values (scalars, lists, mappings) one document may hold once its aliases are written out: a few
    /// hundred bytes of nested aliases (`&a [*b, *b, …]`) would otherwise expand to billions.
    public static let maximumValues = 100_000
    /// The deepest nesting of brackets, and the widest indentation, a document may have; the YAML reader recurses
    /// once per level, so unbounded nesting would exhaust its stack.
    public static let maximumNesting = 64
    public static let maximumIndentation = 512

    /// The most aliases (`*name`) a document may use. Yams compares mapping keys by value, so an alias used as a
    /// key is expanded in full before any budget can stop it: bounding the aliases bounds that expansion.
    public static let maximumAliases = 16

    /// Refuses text nested deeper than the reader can safely follow, or with more aliases than allowed, before
    /// the reader sees it.
    private static func checkNesting(_ text: String, firstLine: Int) throws(YAMLSyntaxError) {
        var aliases = 0
        var previous = UInt8(ascii: " ")
        var depth = 0
        var line = firstLine
        var indentation = 0
        var atLineStart = true
        var quote: UInt8? = nil
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\n") {
                line += 1
                indentation = 0
                atLineStart = true
                previous = UInt8(ascii: " ")
                continue
            }
            if atLineStart {
                if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                    indentation += 1
                    if indentation > maximumIndentation {
                        throw YAMLSyntaxError(line: line, column: indentation,
                            message: "the line is indented more than \(maximumIndentation) columns; refusing YAML nested so deep")
                    }
                    continue
                }
                atLineStart = false
            }
            defer { previous = byte }
            if let open = quote {
                if byte == open { quote = nil }
                continue
            }
            if byte == UInt8(ascii: "*"), [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "["), UInt8(ascii: "{"),
                                            UInt8(ascii: ","), UInt8(ascii: ":"), UInt8(ascii: "?"), UInt8(ascii: "-")]
                .contains(previous)
            {
                aliases += 1
                if aliases > maximumAliases {
                    throw YAMLSyntaxError(line: line, column: 1,
                        message: "more than \(maximumAliases) YAML aliases (*name); refusing what looks like an alias bomb")
                }
            }
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = byte
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumNesting {
                    throw YAMLSyntaxError(line: line, column: 1,
                        message: "brackets nest more than \(maximumNesting) deep; refusing YAML nested so deep")
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            default: break
            }
        }
    }

    /// Whether the collection starting at `mark` opens with `[` or `{`. (Yams reports the style of a
    /// collection's end event, which is always "any", so the source text is asked instead.)
    private static func isFlow(at mark: Mark?, lines: [Substring]) -> Bool {
        guard let mark, mark.line >= 1, mark.line <= lines.count else { return false }
        let scalars = lines[mark.line - 1].unicodeScalars
        guard let index = scalars.index(scalars.startIndex, offsetBy: mark.column - 1, limitedBy: scalars.endIndex),
            index < scalars.endIndex
        else { return false }
        return scalars[index] == "[" || scalars[index] == "{"
    }

    private static func convert(_ node: Node, offset: Int, lines: [Substring], budget: inout Int) throws(YAMLSyntaxError) -> YAMLNode {
        let line = (node.mark?.line ?? 1) + offset
        budget -= 1
        if budget < 0 {
            throw YAMLSyntaxError(line: line, column: node.mark?.column ?? 1,
                message: "the YAML holds more than \(maximumValues) values once its aliases (*name) are written out; "
                    + "refusing what looks like an alias bomb")
        }
        switch node {
        case .scalar(let scalar):
            let style: ScalarStyle
            switch scalar.style {
            case .singleQuoted: style = .singleQuoted
            case .doubleQuoted: style = .doubleQuoted
            case .literal: style = .literal
            case .folded: style = .folded
            default: style = .plain
            }
            return YAMLNode(.scalar(scalar.string, style), line: line)
        case .sequence(let sequence):
            var items: [YAMLNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence { items.append(try convert(item, offset: offset, lines: lines, budget: &budget)) }
            return YAMLNode(.sequence(items), line: line, isFlow: isFlow(at: node.mark, lines: lines))
        case .mapping(let mapping):
            var pairs: [Pair] = []
            pairs.reserveCapacity(mapping.count)
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw YAMLSyntaxError(
                        line: (key.mark?.line ?? 1) + offset, column: key.mark?.column ?? 1,
                        message: "a mapping key must be a plain word, not a list or mapping")
                }
                let pairLine = (key.mark?.line ?? 1) + offset
                pairs.append(Pair(key: keyScalar.string, value: try convert(value, offset: offset, lines: lines, budget: &budget), line: pairLine))
            }
            return YAMLNode(.mapping(pairs), line: line, isFlow: isFlow(at: node.mark, lines: lines))
        case .alias(let alias):
            throw YAMLSyntaxError(
                line: line, column: alias.mark?.column ?? 1,
                message: "YAML aliases (*\(alias.anchor.rawValue)) are not supported here; write the value out")
        }
    }

    private static func syntaxError(from error: YamlError, offset: Int) -> YAMLSyntaxError {
        func make(_ context: YamlError.Context?, _ problem: String, _ mark: Mark) -> YAMLSyntaxError {
            var message = problem
            if let context { message = "\(problem) (\(context.text) at line \(context.mark.line + offset))" }
            return YAMLSyntaxError(line: mark.line + offset, column: mark.column, message: message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            return make(context, problem, mark)
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return YAMLSyntaxError(
                line: context.mark.line + offset, column: context.mark.column,
                message: "duplicate key \(keys) in the same mapping")
        case .reader(let problem, _, _, _):
            return YAMLSyntaxError(line: offset + 1, column: 1, message: problem)
        default:
            return YAMLSyntaxError(line: offset + 1, column: 1, message: "\(error)")
        }
    }
}

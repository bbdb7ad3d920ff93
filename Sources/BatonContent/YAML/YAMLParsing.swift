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
        return try convert(root, offset: offset, lines: lines)
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

    private static func convert(_ node: Node, offset: Int, lines: [Substring]) throws(YAMLSyntaxError) -> YAMLNode {
        let line = (node.mark?.line ?? 1) + offset
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
            for item in sequence { items.append(try convert(item, offset: offset, lines: lines)) }
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
                pairs.append(Pair(key: keyScalar.string, value: try convert(value, offset: offset, lines: lines), line: pairLine))
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

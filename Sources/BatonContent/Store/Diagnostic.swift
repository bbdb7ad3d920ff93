import BatonJSON
import BatonSearch

/// One problem found in a knowledge base: where it is, how bad it is, and what is wrong.
public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        /// The file could not be read at all (I/O, encoding, malformed YAML): its content is unknown.
        case unreadable
        case error
        case warning
        case note

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
        private var rank: Int {
            switch self {
            case .unreadable: return 0
            case .error: return 1
            case .warning: return 2
            case .note: return 3
            }
        }
    }

    public var severity: Severity
    /// A stable rule id (`yaml.syntax`, `field.missing`, `reference.dangling`, …).
    public var code: String
    /// The file, relative to the knowledge base root (`content/roles/x.md`).
    public var file: String
    /// The 1-based line, or nil when the problem is with the whole file.
    public var line: Int?
    public var message: String

    public init(_ severity: Severity, _ code: String, file: String, line: Int?, _ message: String) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.message = message
    }

    /// `file:line: severity: message [code]`, the shape compilers use, which editors can jump to.
    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        let word = severity == .unreadable ? "error" : severity.rawValue
        return "\(place): \(word): \(message) [\(code)]"
    }

    public var jsonValue: JSONValue {
        .object([
            ("severity", .string(severity == .unreadable ? "error" : severity.rawValue)),
            ("code", .string(code)),
            ("file", .string(file)),
            ("line", line.map { .int($0) } ?? .null),
            ("message", .string(message)),
            ("unreadable", .bool(severity == .unreadable)),
        ])
    }
}

/// Collects diagnostics for one file while it is read.
public struct DiagnosticSink: Sendable {
    public let file: String
    public private(set) var diagnostics: [Diagnostic] = []

    public init(file: String) { self.file = file }

    public mutating func error(_ code: String, line: Int?, _ message: String) {
        diagnostics.append(Diagnostic(.error, code, file: file, line: line, message))
    }

    public mutating func warning(_ code: String, line: Int?, _ message: String) {
        diagnostics.append(Diagnostic(.warning, code, file: file, line: line, message))
    }

    public mutating func append(_ diagnostic: Diagnostic) {
        diagnostics.append(diagnostic)
    }

    public mutating func unreadable(_ code: String, line: Int?, _ message: String) {
        diagnostics.append(Diagnostic(.unreadable, code, file: file, line: line, message))
    }
}

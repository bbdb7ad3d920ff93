import BatonJSON
import BatonContent
import BatonSearch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output to the terminal: colour only on a terminal (and never with NO_COLOR), errors to stderr.
enum Terminal {
    static let isInteractive = isatty(STDOUT_FILENO) != 0
    static let useColour = isInteractive && getenv("NO_COLOR") == nil
        && getenv("TERM").map { String(cString: $0) } != "dumb"
    static let errorIsTerminal = isatty(STDERR_FILENO) != 0
    static let errorColour = errorIsTerminal && getenv("NO_COLOR") == nil

    /// A progress line on stderr, rewritten in place; nil clears it.
    static func progress(_ text: String?) {
        let line = "\r\u{1B}[2K" + sanitised(text ?? "", keepColour: false)
        line.withCString { pointer in _ = write(STDERR_FILENO, pointer, strlen(pointer)) }
    }

    enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", cyan = "36"
    }

    static func styled(_ text: String, _ styles: Style...) -> String {
        guard useColour, !styles.isEmpty else { return text }
        return "\u{1B}[" + styles.map(\.rawValue).joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }

    /// `text` without control characters, so that nothing read from a knowledge base (a title carrying
    /// `ESC ] 0 ; … BEL`, a carriage return) can drive the terminal: C0 and C1 controls and DEL go, except tab and
    /// newline; colour sequences (`ESC [ … m`) stay only when `keepColour`, since Baton styles with them.
    static func sanitised(_ text: String, keepColour: Bool) -> String {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(where: { isControl($0) }) else { return text }
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\u{1B}", keepColour, index + 1 < scalars.count, scalars[index + 1] == "[" {
                var end = index + 2
                while end < scalars.count, ("0"..."9").contains(scalars[end]) || scalars[end] == ";" { end += 1 }
                if end < scalars.count, scalars[end] == "m" {
                    result.append(contentsOf: scalars[index...end])
                    index = end + 1
                    continue
                }
            }
            if !isControl(scalar) { result.append(scalar) }
            index += 1
        }
        return String(result)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        return (value < 0x20 && value != 0x09 && value != 0x0A) || (value >= 0x7F && value <= 0x9F)
    }

    static func standardError(_ text: String) {
        var line = sanitised(text, keepColour: errorColour)
        if !line.hasSuffix("\n") { line += "\n" }
        line.withCString { pointer in
            _ = write(STDERR_FILENO, pointer, strlen(pointer))
        }
    }

    static func error(_ message: String) {
        let label = errorColour ? "\u{1B}[31;1merror:\u{1B}[0m" : "error:"
        standardError("\(label) \(message)")
    }

    static func warning(_ message: String) {
        let label = errorColour ? "\u{1B}[33;1mwarning:\u{1B}[0m" : "warning:"
        standardError("\(label) \(message)")
    }

    /// Pads `text` to `width` characters for aligned columns.
    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }
}

/// Everything the commands print to standard output comes through here (it shadows the standard library's
/// `print` in this module), cleaned of control characters by `Terminal.sanitised`.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator)
    Swift.print(Terminal.sanitised(text, keepColour: Terminal.useColour), terminator: terminator)
}

/// Prints a command's JSON: always one object, whose first key is `"version": 1` — the version of the shape,
/// raised when a key changes meaning or goes away (new keys may appear without it).
func printJSONDocument(_ value: JSONValue) {
    guard case .object(let pairs) = value else {
        print(value.rendered())
        return
    }
    print(JSONValue.object([("version", .int(1))] + pairs.filter { $0.0 != "version" }).rendered())
}

/// A document a command makes: written to `output` atomically when given (true), else to standard output.
func writeDocument(_ text: String, to output: String?) throws -> Bool {
    guard let output else {
        FileHandle.standardOutput.write(Data(text.utf8))
        return false
    }
    do {
        try AtomicFile.write(text, to: output)
    } catch {
        throw CLIFailure(message: "\(output): \(error)")
    }
    return true
}

import BatonContent

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
        let line = "\r\u{1B}[2K" + (text ?? "")
        line.withCString { pointer in _ = write(STDERR_FILENO, pointer, strlen(pointer)) }
    }

    enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", cyan = "36"
    }

    static func styled(_ text: String, _ styles: Style...) -> String {
        guard useColour, !styles.isEmpty else { return text }
        return "\u{1B}[" + styles.map(\.rawValue).joined(separator: ";") + "m" + text + "\u{1B}[0m"
    }

    static func standardError(_ text: String) {
        var line = text
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

/// A JSON value with ordered object keys, so that `--json` output is stable and reads in a sensible order.
public indirect enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// A string, or null when nil.
    public static func optional(_ text: String?) -> JSONValue {
        text.map(JSONValue.string) ?? .null
    }

    /// An integer as a JSON number.
    public static func int(_ value: Int) -> JSONValue { .number(Double(value)) }

    /// The JSON text, pretty-printed with two-space indents.
    public func rendered(pretty: Bool = true) -> String {
        var out: [UInt8] = []
        write(into: &out, indent: pretty ? 0 : nil)
        return String(decoding: out, as: UTF8.self)
    }

    private func write(into out: inout [UInt8], indent: Int?) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let value): out += (value ? "true" : "false").utf8
        case .number(let value):
            if value == value.rounded(), abs(value) < 1e15 {
                out += String(Int64(value)).utf8
            } else {
                out += "\(value)".utf8
            }
        case .string(let text): Self.writeString(text, into: &out)
        case .array(let items):
            if items.isEmpty { out += "[]".utf8; return }
            out.append(UInt8(ascii: "["))
            for (index, item) in items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent.map { $0 + 2 })
                item.write(into: &out, indent: indent.map { $0 + 2 })
            }
            Self.newline(&out, indent)
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            if pairs.isEmpty { out += "{}".utf8; return }
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in pairs.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                Self.newline(&out, indent.map { $0 + 2 })
                Self.writeString(key, into: &out)
                out += (indent == nil ? ":" : ": ").utf8
                value.write(into: &out, indent: indent.map { $0 + 2 })
            }
            Self.newline(&out, indent)
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeString(_ text: String, into out: inout [UInt8]) {
        var text = text
        text.withUTF8 { String.appendDoubleQuoted($0, to: &out) }
    }

    private static func newline(_ out: inout [UInt8], _ indent: Int?) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        out += repeatElement(UInt8(ascii: " "), count: indent)
    }

}

extension String {
    /// The text in double quotes with `\"`, `\\`, `\n`, `\r`, `\t` and `\uXXXX` for other control characters:
    /// valid both as a JSON string and as a YAML double-quoted scalar.
    public var doubleQuoted: String {
        var text = self
        var out: [UInt8] = []
        text.withUTF8 { String.appendDoubleQuoted($0, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `bytes` (valid UTF-8) quoted as `doubleQuoted` says, a run of plain bytes at a time.
    static func appendDoubleQuoted(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.reserveCapacity(out.count + bytes.count + 2)
        out.append(UInt8(ascii: "\""))
        var run = 0  // where the plain bytes not yet copied start
        var index = 0
        let count = bytes.count
        func flush(_ end: Int) {
            if end > run { out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<end])) }
        }
        while index < count {
            let byte = bytes[index]
            var escape: (UInt8, UInt32)?  // a letter after the backslash, or 0 and a code point for \uXXXX
            var width = 1
            switch byte {
            case UInt8(ascii: "\""): escape = (UInt8(ascii: "\""), 0)
            case UInt8(ascii: "\\"): escape = (UInt8(ascii: "\\"), 0)
            case UInt8(ascii: "\n"): escape = (UInt8(ascii: "n"), 0)
            case UInt8(ascii: "\r"): escape = (UInt8(ascii: "r"), 0)
            case UInt8(ascii: "\t"): escape = (UInt8(ascii: "t"), 0)
            case 0..<0x20, 0x7F: escape = (0, UInt32(byte))
            case 0xC2 where index + 1 < count && (0x80...0x9F).contains(bytes[index + 1]):
                escape = (0, UInt32(bytes[index + 1]))  // U+0080 to U+009F
                width = 2
            default: break
            }
            guard let (letter, code) = escape else {
                index += 1
                continue
            }
            flush(index)
            out.append(UInt8(ascii: "\\"))
            if letter != 0 {
                out.append(letter)
            } else {
                out += [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(code >> 4)], hex[Int(code & 15)]]
            }
            index += width
            run = index
        }
        flush(count)
        out.append(UInt8(ascii: "\""))
    }
}

/// Reads typed fields out of a front-matter mapping, reporting every problem (missing, wrong type, not one of
/// the allowed words, not a date) to a diagnostic sink with the line it is on, and carrying on.
struct FieldReader {
    let node: YAMLNode
    var sink: DiagnosticSink
    /// The line to report for a missing field: where the mapping (or the front matter) starts.
    let line: Int

    init(_ node: YAMLNode, sink: DiagnosticSink, line: Int) {
        self.node = node
        self.sink = sink
        self.line = line
    }

    /// The value under `key` unless it is absent or null.
    private func value(_ key: String) -> YAMLNode? {
        guard let value = node[key], !value.isNull else { return nil }
        return value
    }

    mutating func missing(_ key: String, _ what: String) {
        sink.error("field.missing", line: line, "missing required field '\(key)' (\(what))")
    }

    /// A text field. Numbers and booleans written plain are accepted as their text.
    mutating func string(_ key: String, required: String? = nil) -> String? {
        guard let value = value(key) else {
            if let required { missing(key, required) }
            return nil
        }
        guard let text = value.scalarText else {
            sink.error("field.type", line: value.line, "'\(key)' must be text, not a list or mapping")
            return nil
        }
        let trimmed = text.trimmingSpaces
        if trimmed.isEmpty, let required { missing(key, required) }
        return trimmed.isEmpty ? nil : text
    }

    /// A list of text items; a single text value is accepted as a list of one.
    mutating func strings(_ key: String) -> [String] {
        guard let value = value(key) else { return [] }
        if let text = value.scalarText { return [text] }
        guard let items = value.items else {
            sink.error("field.type", line: value.line, "'\(key)' must be a list")
            return []
        }
        var result: [String] = []
        for item in items where !item.isNull {
            if let text = item.scalarText {
                result.append(text)
            } else {
                sink.error("field.type", line: item.line, "each item of '\(key)' must be text")
            }
        }
        return result
    }

    /// One of a vocabulary's words.
    mutating func word<V: Vocabulary>(_ key: String, _ type: V.Type, required: Bool = false) -> V? {
        guard let text = string(key, required: required ? "one of: \(V.allowedList)" : nil) else { return nil }
        let lowered = text.trimmingSpaces.lowercased()
        guard let result = V(rawValue: lowered) else {
            let valueLine = node[key]?.line ?? line
            sink.error("field.value", line: valueLine,
                "'\(key)' is '\(text)', which is not a \(V.fieldDescription); use one of: \(V.allowedList)")
            return nil
        }
        return result
    }

    /// A `YYYY-MM-DD` date.
    mutating func day(_ key: String, required: Bool = false) -> Day? {
        guard let text = string(key, required: required ? "a date, YYYY-MM-DD" : nil) else { return nil }
        guard let result = Day(text.trimmingSpaces) else {
            sink.error("field.date", line: node[key]?.line ?? line,
                "'\(key)' is '\(text)', which is not a valid date; write it as YYYY-MM-DD")
            return nil
        }
        return result
    }

    /// A whole number within `range`; anything else (text, a fraction, a number too large to hold) is an error
    /// that names the bounds.
    mutating func integer(_ key: String, in range: ClosedRange<Int>) -> Int? {
        guard let value = value(key) else { return nil }
        guard let text = value.scalarText, let number = Int(text.trimmingSpaces), range.contains(number) else {
            // A setting out of range cannot be used at all: the file counts as unreadable (exit 2), not as a finding.
            sink.unreadable("field.range", line: value.line,
                "'\(key)' is '\(value.scalarText ?? "a list or mapping")'; it must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return number
    }

    /// A yes/no field.
    mutating func bool(_ key: String) -> Bool? {
        guard let value = value(key) else { return nil }
        switch value.scalarText?.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            sink.error("field.type", line: value.line, "'\(key)' must be true or false")
            return nil
        }
    }

    /// A reference to one entity.
    mutating func reference(_ key: String, _ kinds: EntityKind..., required: String? = nil) -> Reference? {
        guard let text = string(key, required: required) else { return nil }
        return Reference(text.trimmingSpaces, line: node[key]?.line ?? line, kinds: kinds)
    }

    /// A list of references.
    mutating func references(_ key: String, _ kinds: EntityKind...) -> [Reference] {
        guard let value = value(key) else { return [] }
        let itemNodes = value.items ?? [value]
        var result: [Reference] = []
        for item in itemNodes where !item.isNull {
            guard let text = item.scalarText else {
                sink.error("field.type", line: item.line, "each item of '\(key)' must be an id")
                continue
            }
            result.append(Reference(text.trimmingSpaces, line: item.line, kinds: kinds))
        }
        return result
    }

    /// The mapping under `key` read with its own reader, or nil when absent.
    mutating func mapping(_ key: String) -> FieldReader? {
        guard let value = value(key) else { return nil }
        guard value.pairs != nil else {
            sink.error("field.type", line: value.line, "'\(key)' must be a mapping of keys to values")
            return nil
        }
        return FieldReader(value, sink: DiagnosticSink(file: sink.file), line: value.line)
    }

    /// A list of mappings under `key`, each read by `read`.
    mutating func list<T>(_ key: String, _ read: (inout FieldReader) -> T?) -> [T] {
        guard let value = value(key) else { return [] }
        guard let items = value.items else {
            sink.error("field.type", line: value.line, "'\(key)' must be a list")
            return []
        }
        var result: [T] = []
        for item in items {
            guard item.pairs != nil else {
                sink.error("field.type", line: item.line, "each item of '\(key)' must be a mapping")
                continue
            }
            var reader = FieldReader(item, sink: DiagnosticSink(file: sink.file), line: item.line)
            if let value = read(&reader) { result.append(value) }
            absorb(reader)
        }
        return result
    }

    /// Takes over the diagnostics of a nested reader.
    mutating func absorb(_ nested: FieldReader) {
        for diagnostic in nested.sink.diagnostics {
            sink.append(diagnostic)
        }
    }
}

import Foundation
import Mustache

/// The theme's templates as a build renders them: swift-mustache's library (`MustacheLibrary`), which stays the
/// reference, and Baton's own rendering of the same templates (`CompiledTemplate`) when every one of them uses
/// only what that knows — so a theme with partials, inheritance, transforms, other delimiters or another
/// content type renders exactly as before, through swift-mustache alone.
struct PageTemplates: @unchecked Sendable {
    let library: MustacheLibrary
    /// Template name → its compiled form; nil when a template uses more than `CompiledTemplate` knows.
    let compiled: [String: CompiledTemplate]?

    /// `object` through the template `name`: nil when there is no such template.
    func render(_ object: Any, withTemplate name: String) -> String? {
        if let template = compiled?[name], let text = template.render(object) { return text }
        // A value the compiled form does not render as swift-mustache would (a lambda, a template): the reference.
        return library.render(object, withTemplate: name)
    }
}

/// A Mustache template rendered as swift-mustache renders it, for the values the site's page models give, at a
/// fraction of the cost: swift-mustache splits every name at its dots on every lookup, looks values up through
/// several dynamic casts, copies its context stack for every section item and builds its output one string a
/// token (on the large tier it was a fifth of a cold build's CPU). Here a template is parsed once into nodes with
/// their names split, the stack is one array of values each classified once (`Value`), pushed and popped, and a
/// page is written into one byte buffer.
///
/// What it knows: text, `{{name}}` (escaped as `HTMLText.escaped`), `{{{name}}}` and `{{&name}}`, sections and
/// inverted sections, comments, dotted names, `.`, and the content-type line `BatonHTMLContentType` puts first.
/// Anything else makes `init` throw. Lines are kept as swift-mustache keeps them: at the start of a line its
/// spaces and tabs wait; a section's opening or closing tag, a comment or the content-type tag alone on a line
/// takes the line with it; after a section the parse goes on as the opening tag left it (at a line's start when
/// it stood alone); spaces that end the template with no text after them are dropped.
struct CompiledTemplate {
    indirect enum Node {
        case text([UInt8])
        case variable(Name, escaped: Bool)
        case section(Name, [Node], inverted: Bool)
    }

    /// How a name is looked up: `.` is the innermost value; a name starting with a dot is looked up in the
    /// innermost value only; any other first part in the innermost value that has it, then each further part in
    /// what the one before gave.
    enum Name {
        case innermost
        case inInnermost([String])
        case stacked([String])

        init(_ name: String) {
            let parts = name.split(separator: ".").map(String.init)
            if name == "." {
                self = .innermost
            } else if name.first == "." {
                self = .inInnermost(parts)
            } else {
                self = .stacked(parts)
            }
        }
    }

    /// A template that uses more than this knows (or does not parse).
    struct Unsupported: Error {}

    let nodes: [Node]

    init(_ text: String) throws(Unsupported) {
        var reader = Reader(Array(text))
        nodes = try Self.parse(&reader, section: nil, atLineStart: true)
    }

    // MARK: Parsing

    private struct Reader {
        let characters: [Character]
        var at = 0
        init(_ characters: [Character]) { self.characters = characters }

        var atEnd: Bool { at >= characters.count }
        var current: Character? { at < characters.count ? characters[at] : nil }

        /// Consumes `text` when it comes next.
        mutating func take(_ text: String) -> Bool {
            var index = at
            for character in text {
                guard index < characters.count, characters[index] == character else { return false }
                index += 1
            }
            at = index
            return true
        }

        @discardableResult
        mutating func read(while test: (Character) -> Bool) -> String {
            let start = at
            while at < characters.count && test(characters[at]) { at += 1 }
            return String(characters[start..<at])
        }

        /// Whether the rest of the line is spaces and tabs, consuming them and the line's end when it is (the
        /// end of the template counts only when nothing is left at all).
        mutating func lineFinished() -> Bool {
            if atEnd { return true }
            var index = at
            while index < characters.count && (characters[index] == " " || characters[index] == "\t") { index += 1 }
            guard index < characters.count, characters[index].isNewline else { return false }
            at = index + 1
            return true
        }
    }

    private static let nameCharacters = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?()*")
    private static let configCharacters = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*")

    /// A tag's name up to the closing braces; a name with a transform (`f(x)`) is not known here.
    private static func name(_ reader: inout Reader) throws(Unsupported) -> String {
        reader.read(while: \.isWhitespace)
        let name = reader.read(while: nameCharacters.contains)
        reader.read(while: \.isWhitespace)
        guard reader.take("}}"), !name.contains("("), !name.contains(")") else { throw Unsupported() }
        return name
    }

    /// Text up to a line's end (left to read) or up to an opening `{{` (consumed).
    private static func text(_ reader: inout Reader) -> String {
        var text = ""
        while let character = reader.current {
            if character == "\n" || character == "\r\n" { break }
            if character == "{" {
                if reader.take("{{") { break }
                text.append("{")
                reader.at += 1
                continue
            }
            text.append(character)
            reader.at += 1
        }
        return text
    }

    private static func parse(_ reader: inout Reader, section: String?, atLineStart: Bool) throws(Unsupported) -> [Node] {
        var nodes: [Node] = []
        var atLineStart = atLineStart
        var waiting = ""  // a line's leading spaces and tabs, not yet written
        func flushWaiting() {
            if !waiting.isEmpty { nodes.append(.text(Array(waiting.utf8))) }
            waiting = ""
        }
        while !reader.atEnd {
            if atLineStart { waiting = reader.read { $0 == " " || $0 == "\t" } }
            let text = Self.text(&reader)
            if let end = reader.current, end.isNewline {
                nodes.append(.text(Array((waiting + text + String(end)).utf8)))
                atLineStart = true
                reader.at += 1
                continue
            }
            if !text.isEmpty {
                nodes.append(.text(Array((waiting + text).utf8)))
                waiting = ""
                atLineStart = false
            }
            guard let kind = reader.current else { break }
            var standsAlone = false
            switch kind {
            case "#", "^":
                reader.at += 1
                let name = try Self.name(&reader)
                if atLineStart && reader.lineFinished() {
                    standsAlone = true
                } else {
                    flushWaiting()
                }
                let inner = try parse(&reader, section: name, atLineStart: standsAlone)
                nodes.append(.section(Name(name), inner, inverted: kind == "^"))
            case "/":
                reader.at += 1
                guard let section, try Self.name(&reader) == section else { throw Unsupported() }
                if !(atLineStart && reader.lineFinished()) { flushWaiting() }
                return nodes
            case "!":
                reader.at += 1
                while !reader.take("}}") {
                    guard !reader.atEnd else { throw Unsupported() }
                    reader.at += 1
                }
                standsAlone = atLineStart && reader.lineFinished()
            case "{", "&":
                flushWaiting()
                reader.at += 1
                let name = try Self.name(&reader)
                if kind == "{" && !reader.take("}") { throw Unsupported() }
                nodes.append(.variable(Name(name), escaped: false))
            case "%":
                // Only the content type Baton's templates start with (its escaping is `HTMLText.escaped`).
                reader.at += 1
                reader.read(while: \.isWhitespace)
                let variable = reader.read(while: configCharacters.contains)
                reader.read(while: \.isWhitespace)
                guard reader.take(":") else { throw Unsupported() }
                reader.read(while: \.isWhitespace)
                let value = reader.read(while: configCharacters.contains)
                reader.read(while: \.isWhitespace)
                guard reader.take("}}"), variable == "CONTENT_TYPE", value == BatonHTMLContentType.name else { throw Unsupported() }
                standsAlone = atLineStart && reader.lineFinished()
            case ">", "<", "$", "=":
                throw Unsupported()
            default:
                flushWaiting()
                nodes.append(.variable(Name(try Self.name(&reader)), escaped: true))
            }
            atLineStart = standsAlone
        }
        guard section == nil else { throw Unsupported() }
        return nodes
    }

    // MARK: Rendering

    /// `object` through the template; nil when a value is one this does not render as swift-mustache does.
    func render(_ object: Any) -> String? {
        var renderer = Renderer(stack: [object])
        renderer.out.reserveCapacity(16_384)
        renderer.render(nodes)
        return renderer.failed ? nil : String(decoding: renderer.out, as: UTF8.self)
    }

    /// A value as the renderer treats it, worked out with one dynamic cast where it can: the page models'
    /// values are mostly strings, numbers, flags, other models and arrays of them.
    private enum Value {
        case string(String)
        case number(Int)
        case flag(Bool)
        case values(any TemplateValues)
        case other(Any)
        /// What a value stands for when it says it stands for nothing (`MustacheCustomRepresentation`).
        case missing

        init(_ value: Any) {
            if let string = value as? String {
                self = .string(string)
            } else if let number = value as? Int {
                self = .number(number)
            } else if let flag = value as? Bool {
                self = .flag(flag)
            } else if let values = value as? any TemplateValues {
                self = .values(values)
            } else if let custom = value as? MustacheCustomRepresentation {
                // What swift-mustache does with a value found by name (once, not again for what it stands for).
                self = custom.representation.map { .other($0) } ?? .missing
            } else {
                self = .other(value)
            }
        }

        var isMissing: Bool {
            if case .missing = self { return true }
            return false
        }
    }

    private struct Renderer {
        var stack: [Value]
        var out: [UInt8] = []
        var failed = false

        init(stack: [Any]) { self.stack = stack.map(Value.init) }

        mutating func render(_ nodes: [Node]) {
            for node in nodes where !failed {
                switch node {
                case .text(let bytes):
                    out.append(contentsOf: bytes)
                case .variable(let name, let escaped):
                    guard let value = lookUp(name) else { continue }
                    write(value, escaped: escaped)
                case .section(let name, let inner, let inverted):
                    section(lookUp(name), inner, inverted: inverted)
                }
            }
        }

        mutating func write(_ value: Value, escaped: Bool) {
            var text: String
            switch value {
            case .string(let string): text = string
            case .number(let number): text = String(number)
            case .flag(let flag): text = flag ? "true" : "false"
            case .values(let values):
                if let renderable = values as? MustacheCustomRenderable { text = renderable.renderText } else { text = String(describing: values) }
            case .missing:
                return
            case .other(let value):
                if value is MustacheTemplate || value is MustacheLambda {
                    failed = true
                    return
                } else if let renderable = value as? MustacheCustomRenderable {
                    text = renderable.renderText
                } else {
                    text = String(describing: Self.unwrapped(value))
                }
            }
            text.withUTF8 { bytes in
                guard escaped else {
                    out.append(contentsOf: bytes)
                    return
                }
                var plain = 0  // where the bytes not yet copied start
                for (index, byte) in bytes.enumerated() {
                    guard let entity = HTMLText.entity(byte) else { continue }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain..<index]))
                    out.append(contentsOf: entity)
                    plain = index + 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plain...]))
            }
        }

        mutating func section(_ value: Value?, _ inner: [Node], inverted: Bool) {
            switch value {
            case nil, .missing:
                if inverted { render(inner) }
            case .flag(let flag):
                if flag != inverted { render(inner) }
            case .string, .number, .values:
                if !inverted { within(value!, inner) }
            case .other(let object):
                if object is MustacheLambda {
                    failed = true
                } else if let sequence = object as? any MustacheSequence {
                    if inverted {
                        if Self.isEmpty(sequence) { within(value!, inner) }
                    } else {
                        each(sequence, inner)
                    }
                } else if let null = object as? MustacheCustomRenderable, null.isNull {
                    if inverted { render(inner) }
                } else if !inverted {
                    within(value!, inner)
                }
            }
        }

        mutating func within(_ value: Value, _ inner: [Node]) {
            stack.append(value)
            render(inner)
            stack.removeLast()
        }

        mutating func each(_ sequence: some Sequence, _ inner: [Node]) {
            for item in sequence where !failed { within(Value(item), inner) }
        }

        static func isEmpty(_ sequence: some Sequence) -> Bool {
            var iterator = sequence.makeIterator()
            return iterator.next() == nil
        }

        /// The value `name` stands for (a name found nowhere: nil).
        mutating func lookUp(_ name: Name) -> Value? {
            switch name {
            case .innermost:
                return stack.last.flatMap { $0.isMissing ? nil : $0 }
            case .inInnermost(let parts):
                return resolve(parts[...], from: stack.last!)
            case .stacked(let parts):
                guard let first = parts.first else { return stack.last.flatMap { $0.isMissing ? nil : $0 } }
                for object in stack.reversed() {
                    if let child = child(first, of: object) { return resolve(parts.dropFirst(), from: Value(child)) }
                }
                return nil
            }
        }

        mutating func resolve(_ parts: ArraySlice<String>, from object: Value) -> Value? {
            var object = object
            if object.isMissing { return nil }
            for part in parts {
                if case .other(let value) = object, value is MustacheLambda {
                    failed = true
                    return nil
                }
                guard let child = child(part, of: object) else { return nil }
                object = Value(child)
                if object.isMissing { return nil }
            }
            return object
        }

        /// What `object` has under `name`: a page model's value (`false` for none, as `TemplateValues` answers
        /// swift-mustache), a dictionary's, else a stored property's by reflection.
        func child(_ name: String, of object: Value) -> Any? {
            switch object {
            case .values(let values):
                return values.value(name) ?? false
            case .string, .number, .flag, .missing:
                return nil  // (no stored property by any name)
            case .other(let object):
                if let parent = object as? MustacheParent { return parent.child(named: name) }
                guard let match = Mirror(reflecting: object).children.first(where: { $0.label == name }) else { return nil }
                let mirror = Mirror(reflecting: match.value)
                guard mirror.displayStyle == .optional else { return match.value }
                return mirror.children.first?.value
            }
        }

        static func unwrapped(_ value: Any) -> Any {
            let mirror = Mirror(reflecting: value)
            guard mirror.displayStyle == .optional else { return value }
            return mirror.children.first?.value ?? value
        }
    }
}

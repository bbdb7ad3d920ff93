import CLibXML2

/// A parsed HTML or XML document as plain Swift values. libxml2 parses into its own tree; this file copies that
/// tree into `MarkupNode`s and frees it before returning, so no C pointer outlives a call here.
public indirect enum MarkupNode: Sendable, Equatable {
    case element(name: String, attributes: [String: String], children: [MarkupNode])
    case text(String)

    public var name: String? {
        if case .element(let name, _, _) = self { return name }
        return nil
    }

    public var children: [MarkupNode] {
        if case .element(_, _, let children) = self { return children }
        return []
    }

    public func attribute(_ key: String) -> String? {
        if case .element(_, let attributes, _) = self { return attributes[key] }
        return nil
    }

    /// All text below this node, as it appears (whitespace as in the source).
    public var text: String {
        switch self {
        case .text(let value): return value
        case .element(_, _, let children): return children.map(\.text).joined()
        }
    }
}

/// Why a document could not be read.
public struct MarkupError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Limits that keep a hostile document from using unbounded time or memory.
public struct MarkupLimits: Sendable {
    /// Largest input accepted, in bytes.
    public var maximumBytes = 50 * 1024 * 1024
    /// Elements nested deeper than this are flattened into their text.
    public var maximumDepth = 256

    public init() {}
}

enum Markup {
    /// Parses HTML in libxml2's recovering mode with the network off. `encoding` names the bytes' encoding when
    /// known; nil lets libxml2 read a `<meta charset>` (or assume ISO-8859-1).
    static func parseHTML(_ bytes: [UInt8], encoding: String?, limits: MarkupLimits) throws(MarkupError) -> MarkupNode {
        try checkSize(bytes, limits)
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue
            | HTML_PARSE_NOWARNING.rawValue)
        // Safe: libxml2 copies the input; the document it returns is freed before this function returns.
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                htmlReadMemory(chars, Int32(buffer.count), nil, encoding, options)
            }
        }
        guard let document else { throw MarkupError(description: "libxml2 could not read it as HTML") }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw MarkupError(description: "the document is empty") }
        return convert(root, depth: 0, limits: limits)
    }

    /// Parses XML without touching the network or the file system: no external entities, no DTD loading, no
    /// XInclude, entities left unexpanded (expansion bombs have nothing to expand).
    static func parseXML(_ bytes: [UInt8], limits: MarkupLimits) throws(MarkupError) -> MarkupNode {
        let document = try readXML(bytes, limits: limits)
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw MarkupError(description: "the document is empty") }
        return convert(root, depth: 0, limits: limits)
    }

    /// The bytes as a libxml2 XML document (network off, no DTD, entities unexpanded), within the size limit;
    /// the caller frees it.
    static func readXML(_ bytes: [UInt8], limits: MarkupLimits) throws(MarkupError) -> xmlDocPtr {
        try checkSize(bytes, limits)
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue
            | XML_PARSE_NOCDATA.rawValue)
        // Safe: libxml2 copies the input; the parser context is freed with the document.
        let document = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { chars in
                xmlReadMemory(chars, Int32(buffer.count), nil, nil, options)
            }
        }
        guard let document else {
            let reason = xmlGetLastError().flatMap { $0.pointee.message.map { String(cString: $0) } }
                .map { String($0.split(separator: "\n").first ?? "") }
            throw MarkupError(description: "not well-formed XML" + (reason.map { ": \($0)" } ?? ""))
        }
        return document
    }

    static func checkSize(_ bytes: [UInt8], _ limits: MarkupLimits) throws(MarkupError) {
        guard bytes.count <= limits.maximumBytes else {
            throw MarkupError(description: "the file is larger than the \(limits.maximumBytes / 1_048_576) MB limit")
        }
    }

    /// The text of a node list and everything below it, without recursion limits on the stack (an explicit stack).
    private static func textBelow(_ first: xmlNodePtr?, depth: Int) -> String {
        var text = ""
        var stack: [xmlNodePtr] = []
        var current = first
        while true {
            while let node = current {
                if node.pointee.type == XML_TEXT_NODE || node.pointee.type == XML_CDATA_SECTION_NODE,
                    let content = node.pointee.content
                {
                    text += String(cString: content)
                }
                if let next = node.pointee.next { stack.append(next) }
                current = node.pointee.type == XML_ELEMENT_NODE ? node.pointee.children : nil
            }
            guard let next = stack.popLast() else { break }
            current = next
        }
        return text
    }

    /// Copies a libxml2 subtree. Safe: `node` belongs to a document that is alive for the whole call.
    fileprivate static func convert(_ node: xmlNodePtr, depth: Int, limits: MarkupLimits) -> MarkupNode {
        let name = node.pointee.name.map { String(cString: $0) }?.lowercased() ?? ""
        var attributes: [String: String] = [:]
        var attribute = node.pointee.properties
        while let current = attribute {
            if let attributeName = current.pointee.name {
                attributes[String(cString: attributeName).lowercased()] = textBelow(current.pointee.children, depth: 0)
            }
            attribute = current.pointee.next
        }
        if depth >= limits.maximumDepth {
            // Too deep: keep the text, drop the structure.
            return .element(name: name, attributes: attributes, children: [.text(textBelow(node.pointee.children, depth: 0))])
        }
        var children: [MarkupNode] = []
        var child = node.pointee.children
        while let current = child {
            switch current.pointee.type {
            case XML_ELEMENT_NODE:
                children.append(convert(current, depth: depth + 1, limits: limits))
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content { children.append(.text(String(cString: content))) }
            case XML_ENTITY_REF_NODE:
                // An entity left unexpanded: keep its name visible rather than guess its text.
                if let entity = current.pointee.name { children.append(.text("&" + String(cString: entity) + ";")) }
            default:
                break
            }
            child = current.pointee.next
        }
        return .element(name: name, attributes: attributes, children: children)
    }
}

/// An XML document kept open for XPath queries (for mapping files). Owns its libxml2 document and frees it when
/// released; the nodes it hands out are Swift copies.
final class XPathDocument {
    private let document: xmlDocPtr
    private let limits: MarkupLimits
    /// Prefixes expressions may use: those the mapping declares, and those the root element declares itself.
    let namespaces: [(prefix: String, uri: String)]

    init(_ bytes: [UInt8], limits: MarkupLimits, namespaces declared: [(prefix: String, uri: String)] = []) throws(MarkupError) {
        document = try Markup.readXML(bytes, limits: limits)  // freed in deinit
        self.limits = limits
        var namespaces = declared
        // Safe: the root's namespace list belongs to the document, read while it is alive.
        var definition = xmlDocGetRootElement(document)?.pointee.nsDef
        while let current = definition {
            if let prefix = current.pointee.prefix, let href = current.pointee.href {
                let name = String(cString: prefix)
                if !namespaces.contains(where: { $0.prefix == name }) { namespaces.append((name, String(cString: href))) }
            }
            definition = current.pointee.next
        }
        self.namespaces = namespaces
    }

    /// The namespace of the root element when it has no prefix (Mallard's `<page xmlns="…">`): XPath names
    /// without a prefix never match elements in it, so the mapping must declare a prefix for it.
    var defaultNamespace: String? {
        guard let root = xmlDocGetRootElement(document), let ns = root.pointee.ns, ns.pointee.prefix == nil,
              let href = ns.pointee.href else { return nil }
        return String(cString: href)
    }

    deinit { xmlFreeDoc(document) }

    /// The nodes `expression` selects, relative to the node at `path` (child indexes from the root; nil: the
    /// document), each with its own path for later relative queries.
    func select(_ expression: String, from path: [Int]? = nil) throws(MarkupError) -> [(node: MarkupNode, path: [Int])] {
        // Safe: the context and result are freed before returning; nodes are copied out.
        guard let context = xmlXPathNewContext(document) else { throw MarkupError(description: "XPath is unavailable") }
        defer { xmlXPathFreeContext(context) }
        for namespace in namespaces {
            _ = namespace.prefix.withCString { prefix in
                namespace.uri.withCString { uri in
                    xmlXPathRegisterNs(context, UnsafePointer<xmlChar>(OpaquePointer(prefix)), UnsafePointer<xmlChar>(OpaquePointer(uri)))
                }
            }
        }
        var origin: xmlNodePtr?
        if let path {
            origin = xmlDocGetRootElement(document)
            for index in path { origin = Self.child(origin, index) }
            context.pointee.node = origin
        }
        guard let result = expression.withCString({ xmlXPathEvalExpression(UnsafePointer<xmlChar>(OpaquePointer($0)), context) })
        else {
            // The likeliest reason: a prefix nobody declared.
            if let prefix = Self.undeclaredPrefix(in: expression, declared: namespaces.map(\.prefix)) {
                throw MarkupError(description: "'\(expression)' uses the prefix '\(prefix):', which is not declared; add it under namespaces: in the mapping (\(prefix): the namespace's URI)")
            }
            throw MarkupError(description: "'\(expression)' is not an XPath expression libxml2 can evaluate")
        }
        defer { xmlXPathFreeObject(result) }
        switch result.pointee.type {
        case XPATH_NODESET:
            guard let set = result.pointee.nodesetval else { return [] }
            var nodes: [(MarkupNode, [Int])] = []
            for index in 0..<Int(set.pointee.nodeNr) {
                guard let node = set.pointee.nodeTab[index] else { continue }
                if node.pointee.type == XML_ATTRIBUTE_NODE || node.pointee.type == XML_TEXT_NODE {
                    nodes.append((.text(Markup.textOf(node)), []))
                } else if node.pointee.type == XML_ELEMENT_NODE {
                    nodes.append((Markup.copy(node, limits: limits), Self.path(of: node)))
                }
            }
            return nodes
        case XPATH_STRING:
            return [(.text(result.pointee.stringval.map { String(cString: $0) } ?? ""), [])]
        case XPATH_NUMBER:
            let number = result.pointee.floatval
            return [(.text(number == number.rounded() ? String(Int(number)) : String(number)), [])]
        case XPATH_BOOLEAN:
            return [(.text(result.pointee.boolval != 0 ? "true" : "false"), [])]
        default:
            return []
        }
    }

    /// The first `name:` in an expression (outside quotes, not `::` of an axis) that is not a declared prefix.
    static func undeclaredPrefix(in expression: String, declared: [String]) -> String? {
        var quote: Character?
        var word = ""
        let characters = Array(expression)
        for (index, character) in characters.enumerated() {
            if let open = quote {
                if character == open { quote = nil }
                continue
            }
            if character == "\"" || character == "'" { quote = character; word = ""; continue }
            if character.isLetter || character.isNumber || character == "_" || character == "-" || character == "." {
                word.append(character)
                continue
            }
            if character == ":", !word.isEmpty, index + 1 < characters.count, characters[index + 1] != ":",
               index == 0 || characters[index - 1] != ":", !declared.contains(word), word.first?.isLetter == true {
                return word
            }
            word = ""
        }
        return nil
    }

    private static func child(_ node: xmlNodePtr?, _ index: Int) -> xmlNodePtr? {
        var current = node?.pointee.children
        var position = 0
        while let candidate = current {
            if candidate.pointee.type == XML_ELEMENT_NODE {
                if position == index { return candidate }
                position += 1
            }
            current = candidate.pointee.next
        }
        return nil
    }

    private static func path(of node: xmlNodePtr) -> [Int] {
        var indexes: [Int] = []
        var current: xmlNodePtr? = node
        while let element = current, let parent = element.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE {
            var position = 0
            var sibling = parent.pointee.children
            while let candidate = sibling, candidate != element {
                if candidate.pointee.type == XML_ELEMENT_NODE { position += 1 }
                sibling = candidate.pointee.next
            }
            indexes.insert(position, at: 0)
            current = parent
        }
        return indexes
    }
}

extension Markup {
    static func copy(_ node: xmlNodePtr, limits: MarkupLimits) -> MarkupNode { convert(node, depth: 0, limits: limits) }

    /// The text of an attribute or text node.
    static func textOf(_ node: xmlNodePtr) -> String {
        if node.pointee.type == XML_TEXT_NODE { return node.pointee.content.map { String(cString: $0) } ?? "" }
        var text = ""
        var child = node.pointee.children
        while let current = child {
            if let content = current.pointee.content { text += String(cString: content) }
            child = current.pointee.next
        }
        return text
    }
}

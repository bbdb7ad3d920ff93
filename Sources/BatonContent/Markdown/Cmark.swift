import CCmarkGFM
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one place Baton calls cmark-gfm. Each function parses into a C tree, walks or renders it, and frees it
/// before returning; no C pointer leaves this file.
enum Cmark {
    /// The GitHub extensions Baton turns on.
    private static let extensionNames = ["table", "tasklist", "strikethrough", "autolink"]

    /// Registration must happen once, before any extension is looked up.
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// A node of the parsed tree as Swift values, in document order.
    struct Event {
        enum Kind: Equatable {
            case enter, exit
        }
        var kind: Kind
        var type: String
        var literal: String?
        var headingLevel: Int
        var startLine: Int
        var taskChecked: Bool
        var fenceInfo: String?
        /// A link's or image's destination.
        var url: String? = nil
    }

    /// Parses `markdown` and calls `visit` for each node entered and left.
    static func walk(_ markdown: String, _ visit: (Event) -> Void) {
        withParsedDocument(markdown) { root, _ in
            // Safe: the iterator is created from and freed with the root it walks, inside this scope.
            guard let iterator = cmark_iter_new(root) else { return }
            defer { cmark_iter_free(iterator) }
            while true {
                let eventType = cmark_iter_next(iterator)
                if eventType == CMARK_EVENT_DONE { break }
                guard let node = cmark_iter_get_node(iterator) else { continue }
                let type = String(cString: cmark_node_get_type_string(node))
                var literal: String?
                if let pointer = cmark_node_get_literal(node) { literal = String(cString: pointer) }
                var fence: String?
                if type == "code_block", let info = cmark_node_get_fence_info(node) { fence = String(cString: info) }
                var url: String?
                if type == "link" || type == "image", eventType == CMARK_EVENT_ENTER, let pointer = cmark_node_get_url(node) {
                    url = String(cString: pointer)
                }
                visit(Event(
                    kind: eventType == CMARK_EVENT_ENTER ? .enter : .exit, type: type, literal: literal,
                    headingLevel: type == "heading" ? Int(cmark_node_get_heading_level(node)) : 0,
                    startLine: Int(cmark_node_get_start_line(node)),
                    taskChecked: type == "tasklist" && cmark_gfm_extensions_get_tasklist_item_checked(node),
                    fenceInfo: fence, url: url))
            }
        }
    }

    /// The HTML for `markdown`, with raw HTML in the source escaped unless `allowRawHTML`.
    static func html(_ markdown: String, allowRawHTML: Bool = false) -> String {
        var result = ""
        withParsedDocument(markdown) { root, parser in
            let options = CMARK_OPT_DEFAULT | (allowRawHTML ? CMARK_OPT_UNSAFE : 0)
            // Safe: the extension list belongs to the parser, which outlives this call; the returned buffer is
            // malloc'd by cmark and freed here after copying.
            guard let buffer = cmark_render_html(root, options, cmark_parser_get_syntax_extensions(parser)) else {
                return
            }
            result = String(cString: buffer)
            free(buffer)
        }
        return result
    }

    /// cmark-gfm keeps the inline parser's table of special characters in a global: attaching an extension
    /// adds its characters (`~` for strikethrough) and finishing a parse removes them again. Two parses at once
    /// would see each other's table, so parsing is serialised; walking and rendering the result are not.
    private static let parseLock = NSLock()

    private static func withParsedDocument(
        _ markdown: String, _ body: (_ document: OpaquePointer, _ parser: OpaquePointer) -> Void
    ) {
        _ = registered
        // Safe: the parser and the document it returns are freed on every path out of this function.
        guard let parser = cmark_parser_new(CMARK_OPT_DEFAULT) else { return }
        defer { cmark_parser_free(parser) }
        var text = markdown
        parseLock.lock()
        for name in extensionNames {
            if let syntax = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntax)
            }
        }
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                cmark_parser_feed(parser, chars.baseAddress, chars.count)
            }
        }
        let finished = cmark_parser_finish(parser)
        parseLock.unlock()
        guard let document = finished else { return }
        defer { cmark_node_free(document) }
        body(document, parser)
    }
}

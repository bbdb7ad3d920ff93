import BatonContent
import BatonSearch
import Foundation
import Mustache

/// A theme: Mustache templates (`templates/*.mustache`) and static assets (`assets/…`). The default theme is
/// built into Baton (from `site/` in its source, see `EmbeddedTheme`), so an installed `baton` needs nothing
/// beside it; a knowledge base's own `site/` folder is laid over it, file by file.
public struct Theme: Sendable {
    public var templates: [String: String] = [:]
    /// Asset path inside the output (`assets/style.css`) → its bytes.
    public var assets: [String: [UInt8]] = [:]

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The theme built into Baton.
    public static let standard: Theme = {
        var theme = Theme()
        for (path, encoded) in EmbeddedTheme.files {
            guard let data = Data(base64Encoded: encoded, options: .ignoreUnknownCharacters) else { continue }
            theme.add(path, Array(data))
        }
        return theme
    }()

    /// Puts a file of a theme folder (`templates/x.mustache` or `assets/…`) in place; other files are ignored.
    private mutating func add(_ path: String, _ bytes: [UInt8]) {
        if path.hasPrefix("templates/"), path.hasSuffix(".mustache") {
            templates[String(path.dropFirst("templates/".count).dropLast(".mustache".count))] = String(decoding: bytes, as: UTF8.self)
        } else if path.hasPrefix("assets/") {
            assets[path] = bytes
        }
    }

    /// `base` (none, or the built-in theme) with the themes in `folders` laid over it, later ones overriding
    /// earlier ones, file by file; folders that do not exist are skipped.
    public static func load(_ folders: [String], over base: Theme? = nil) throws -> Theme {
        var theme = base ?? Theme()
        for folder in folders {
            let manager = FileManager.default
            for sub in ["templates", "assets"] {
                let root = (folder as NSString).appendingPathComponent(sub)
                guard let walker = manager.enumerator(atPath: root) else { continue }
                while let relative = walker.nextObject() as? String {
                    let path = (root as NSString).appendingPathComponent(relative)
                    guard RegularFile.isRegular(path) else { continue }
                    do {
                        theme.add(sub + "/" + relative, try RegularFile.read(path, limit: 64 << 20))
                    } catch {
                        throw LoadError(description: error.description)
                    }
                }
            }
        }
        guard theme.templates["layout"] != nil else {
            throw LoadError(description: "no theme found: none of \(folders.joined(separator: ", ")) has templates/layout.mustache")
        }
        return theme
    }

    /// Writes the theme's files into `folder` (`templates/`, `assets/`) for customising, each atomically;
    /// an existing file is left alone unless `overwrite`. Returns the paths written, relative to `folder`.
    public func export(to folder: String, overwrite: Bool) throws -> [String] {
        var files: [(String, [UInt8])] = templates.map { ("templates/\($0.key).mustache", Array($0.value.utf8)) }
        files += assets.map { ($0.key, $0.value) }
        files.sort { $0.0 < $1.0 }
        if !overwrite {
            let existing = files.map(\.0).filter { RegularFile.kind(folder + "/" + $0) != nil }
            if !existing.isEmpty {
                throw LoadError(description: "\(folder): already has \(existing.prefix(3).joined(separator: ", "))"
                    + (existing.count > 3 ? " and \(existing.count - 3) more" : "") + "; nothing was written (use --force to replace them)")
            }
        }
        for (path, bytes) in files {
            let target = folder + "/" + path
            do {
                try AtomicFile.createDirectory((target as NSString).deletingLastPathComponent)
                try AtomicFile.write(to: target) { try $0.write(bytes) }
            } catch {
                throw LoadError(description: "\(error)")
            }
        }
        return files.map(\.0)
    }

    /// The templates compiled into a library; a template that does not parse is an error naming its file.
    /// Each is compiled with Baton's escaping (`BatonHTMLContentType`: the same characters escaped, faster); an
    /// error names the line of the template as written. The pages are rendered by Baton's own `CompiledTemplate`
    /// when every template uses only what it knows (`compiled: false`: by swift-mustache alone, the reference).
    func library(compiled: Bool = true) throws -> PageTemplates {
        var library = MustacheLibrary()
        var fast: [String: CompiledTemplate]? = compiled ? [:] : nil
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            do {
                let source = BatonHTMLContentType.template(text)
                try library.register(source, named: name)
                // One template the compiled form does not know, and the theme renders through swift-mustache alone.
                if fast != nil, let compiled = try? CompiledTemplate(source) { fast![name] = compiled } else { fast = nil }
            } catch {
                do {
                    _ = try MustacheTemplate(string: text)
                } catch {
                    throw LoadError(description: "templates/\(name).mustache: \(error)")
                }
                throw LoadError(description: "templates/\(name).mustache: \(error)")
            }
        }
        return PageTemplates(library: library, compiled: fast)
    }
}

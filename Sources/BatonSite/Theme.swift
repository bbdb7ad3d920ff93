import Foundation
import Mustache

/// A theme: Mustache templates (`templates/*.mustache`) and static assets (`assets/…`). A knowledge base's own
/// `site/` folder is laid over the default theme, file by file.
public struct Theme: Sendable {
    public var templates: [String: String] = [:]
    /// Asset path inside the output (`assets/style.css`) → the file it comes from.
    public var assets: [String: String] = [:]

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The themes in `folders`, later ones overriding earlier ones; folders that do not exist are skipped.
    public static func load(_ folders: [String]) throws -> Theme {
        var theme = Theme()
        for folder in folders {
            let manager = FileManager.default
            for (sub, isTemplate) in [("templates", true), ("assets", false)] {
                let root = (folder as NSString).appendingPathComponent(sub)
                guard let walker = manager.enumerator(atPath: root) else { continue }
                while let relative = walker.nextObject() as? String {
                    let path = (root as NSString).appendingPathComponent(relative)
                    var isDirectory: ObjCBool = false
                    guard manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                    if isTemplate {
                        guard relative.hasSuffix(".mustache") else { continue }
                        guard let text = manager.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
                            throw LoadError(description: "\(path): cannot be read")
                        }
                        theme.templates[String(relative.dropLast(".mustache".count))] = text
                    } else {
                        theme.assets["assets/" + relative] = path
                    }
                }
            }
        }
        guard theme.templates["layout"] != nil else {
            throw LoadError(description: "no theme found: none of \(folders.joined(separator: ", ")) has templates/layout.mustache")
        }
        return theme
    }

    /// The templates compiled into a library; a template that does not parse is an error naming its file.
    func library() throws -> MustacheLibrary {
        var library = MustacheLibrary()
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            do {
                try library.register(text, named: name)
            } catch {
                throw LoadError(description: "templates/\(name).mustache: \(error)")
            }
        }
        return library
    }
}

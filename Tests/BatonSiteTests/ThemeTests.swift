import Foundation
import Testing

@testable import BatonSite

@Suite struct ThemeTests {
    static let site = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../site").standardizedFileURL.path

    @Test func theBuiltInThemeIsTheSiteFolderByteForByte() throws {
        let folder = try Theme.load([Self.site])
        let builtIn = Theme.standard
        #expect(builtIn.templates == folder.templates, "site/ changed: run python3 scripts/embed_theme.py")
        #expect(builtIn.assets == folder.assets, "site/ changed: run python3 scripts/embed_theme.py")
        #expect(builtIn.templates.keys.contains("layout") && builtIn.assets.keys.contains("assets/search.js"))
    }

    /// The browser script is its parts in browser/search/ joined in name order, each part naming the Swift files
    /// it mirrors.
    @Test func theSearchScriptIsItsPartsJoined() throws {
        let folder = Self.site + "/../browser/search"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".js") }.sorted()
        #expect(names.count >= 8)
        var joined = ""
        for name in names {
            let part = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            #expect(part.contains(".swift"), "\(name) names no Swift counterpart")
            joined += part
        }
        let script = try String(contentsOfFile: Self.site + "/assets/search.js", encoding: .utf8)
        #expect(joined == script, "browser/search/ changed: run python3 scripts/embed_theme.py")
    }

    @Test func exportWritesTheThemeAndRefusesToOverwrite() throws {
        let folder = NSTemporaryDirectory() + "baton-theme-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let written = try Theme.standard.export(to: folder, overwrite: false)
        #expect(written.contains("templates/layout.mustache") && written.contains("assets/style.css"))
        #expect(try Theme.load([folder]).assets == Theme.standard.assets)
        try "changed".write(toFile: folder + "/assets/style.css", atomically: true, encoding: .utf8)
        #expect(throws: Theme.LoadError.self) { _ = try Theme.standard.export(to: folder, overwrite: false) }
        #expect(try String(contentsOfFile: folder + "/assets/style.css", encoding: .utf8) == "changed")
        _ = try Theme.standard.export(to: folder, overwrite: true)
        #expect(try Theme.load([folder]).assets["assets/style.css"] == Theme.standard.assets["assets/style.css"])
    }

    @Test func aKnowledgeBaseThemeOverridesFileByFile() throws {
        let folder = NSTemporaryDirectory() + "baton-theme-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/assets", withIntermediateDirectories: true)
        try "body { color: red }".write(toFile: folder + "/assets/style.css", atomically: true, encoding: .utf8)
        let theme = try Theme.load([folder], over: .standard)
        #expect(theme.assets["assets/style.css"] == Array("body { color: red }".utf8))
        #expect(theme.assets["assets/search.js"] == Theme.standard.assets["assets/search.js"])
        #expect(theme.templates == Theme.standard.templates)
    }
}

import BatonContent
import Foundation
import Mustache
import Testing

@testable import BatonSite

/// Baton's own template rendering against swift-mustache's, the reference: the same bytes for every template and
/// value, and for every page of the example knowledge base.
@Suite struct CompiledTemplateTests {
    /// A page model as the site's are: its names answer `false` when it has no value.
    struct Model: TemplateValues {
        var values: [String: Any]
        func value(_ name: String) -> Any? { values[name] }
    }

    nonisolated(unsafe) static let model = Model(values: [
        "title": "Tom & \"Jerry\" <'x'>", "count": 3, "zero": 0, "yes": true, "no": false, "empty": "",
        "items": [Model(values: ["title": "one", "href": "a.html"]), Model(values: ["title": "two"])],
        "none": [Model](), "words": ["alpha", "beta <b>"],
        "inner": Model(values: ["title": "inside", "deeper": Model(values: ["title": "deepest"])]),
        "plain": ["key": "dictionary value", "list": [1, 2]], "ratio": 1.5, "maybe": Optional<String>.none as Any,
        "null": NSNull(), "small": Int32(7), "some": Optional("wrapped") as Any,
    ])

    static let templates = [
        "plain text, no tags\n",
        "{{title}} {{{title}}} {{&title}} {{count}} {{zero}} {{yes}} {{no}} [{{missing}}] [{{empty}}] {{ratio}}",
        "<ul>\n  {{#items}}\n  <li>{{title}}{{#href}} → {{href}}{{/href}}</li>\n  {{/items}}\n</ul>\n",
        "{{#items}}{{title}},{{/items}}|{{^items}}never{{/items}}|{{^none}}no items{{/none}}|{{#none}}x{{/none}}\n",
        "  {{#yes}}\n    yes line\n  {{/yes}}\n  {{^no}}\n    not no\n  {{/no}}\n",
        "{{#zero}}zero is {{.}}{{/zero}} {{#empty}}empty [{{.}}]{{/empty}} {{#count}}[{{.}}]{{/count}}",
        "{{#words}}<{{.}}>{{/words}}{{#words}}{{{.}}} {{/words}}",
        "{{inner.title}} {{inner.deeper.title}} {{inner.nothing.title}} {{#inner}}{{title}} {{.title}}{{/inner}}",
        "{{#inner}}{{#deeper}}{{title}} / {{count}}{{/deeper}}{{/inner}}",
        "{{plain.key}} {{#plain}}{{key}} {{#list}}{{.}};{{/list}}{{/plain}} {{#plain.list}}{{.}}{{/plain.list}}",
        "a {{! a comment }} b\n  {{! standalone comment }}\nc\n{{!\nmany\nlines\n}}\nd",
        "line one\r\n  {{#yes}}\r\n  inside\r\n  {{/yes}}\r\nlast\r\n",
        "{ not a tag } {x} {{title}}{ and }} stray",
        "{{#yes}}\ntext{{/yes}} {{#yes}}\nafter\n{{/yes}}\n",
        "  {{title}}  \n\t{{#no}}\t\n\t{{/no}}\t\n end with spaces   ",
        "{{#items}}\n{{#href}}\n[{{href}}]\n{{/href}}\n{{^href}}\n(no link for {{title}})\n{{/href}}\n{{/items}}",
        "é𝄞 {{title}} 日本語\n{{#maybe}}never{{/maybe}}{{^maybe}}nothing{{/maybe}} {{maybe}}",
        "{{ title }} {{# yes }}spaced{{/ yes }} {{.}}",
        "{{#inner}}{{..}}{{/inner}}",
        "[{{null}}][{{#null}}x{{/null}}][{{^null}}nothing{{/null}}][{{null.title}}] {{small}} {{#small}}<{{.}}>{{/small}} {{some}} {{#some}}({{.}}){{/some}}",
        "",
    ]

    @Test func everyTemplateRendersAsSwiftMustacheRendersIt() throws {
        for template in Self.templates {
            let text = BatonHTMLContentType.template(template)
            let compiled = try CompiledTemplate(text)
            let reference = try MustacheTemplate(string: text).render(Self.model)
            #expect(compiled.render(Self.model) == reference, "\(template.debugDescription)")
        }
    }

    @Test func whatItDoesNotKnowIsLeftToSwiftMustache() throws {
        for template in ["{{> part}}", "{{=<% %>=}}<% title %>", "{{uppercased(title)}}", "{{<base}}{{$block}}x{{/block}}{{/base}}",
                         "{{$block}}default{{/block}}", "{{% CONTENT_TYPE: TEXT }}\n{{title}}", "{{#open}}no end"] {
            #expect(throws: CompiledTemplate.Unsupported.self, "\(template)") { try CompiledTemplate(BatonHTMLContentType.template(template)) }
        }
        // A theme with a partial renders through swift-mustache alone, the same as before.
        var theme = Theme()
        theme.templates["page"] = "<h1>{{title}}</h1>\n{{> part}}"
        theme.templates["part"] = "<p>{{count}}</p>\n"
        let library = try theme.library()
        #expect(library.compiled == nil)
        #expect(library.render(Self.model, withTemplate: "page") == "<h1>Tom &amp; &quot;Jerry&quot; &lt;&#39;x&#39;&gt;</h1>\n<p>3</p>\n")
        // A value the compiled form does not render as swift-mustache would: the reference renders the page.
        theme.templates = ["page": "{{#lambda}}x{{/lambda}} {{title}}"]
        let compiled = try theme.library()
        #expect(compiled.compiled != nil)
        let lambda = Model(values: ["lambda": MustacheLambda { _ in "from the lambda" }, "title": "t"])
        #expect(compiled.compiled?["page"]?.render(lambda) == nil)
        #expect(compiled.render(lambda, withTemplate: "page") == "from the lambda t")
    }

    @Test func theExampleSiteIsTheSameEitherWay() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardizedFileURL.path
        let knowledgeBase = try KnowledgeBase.load(root: root)
        let theme = try Theme.load([root + "/site"])
        let folder = NSTemporaryDirectory() + "baton-compiled-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        func site(_ audience: Confidentiality, compiled: Bool) throws -> [String: Data] {
            var options = SiteBuilder.Options()
            options.output = folder + "/\(audience.rawValue)-\(compiled)"
            options.audience = audience
            options.compiledTemplates = compiled
            options.today = Day(year: 2026, month: 11, day: 20)!
            _ = try SiteBuilder(knowledgeBase: knowledgeBase, theme: theme, options: options).build()
            var files: [String: Data] = [:]
            let walker = FileManager.default.enumerator(atPath: options.output)
            while let path = walker?.nextObject() as? String {
                if path != SiteBuilder.marker, let data = FileManager.default.contents(atPath: options.output + "/" + path) { files[path] = data }
            }
            return files
        }
        for audience in [Confidentiality.public, .internal, .restricted] {
            let (ours, reference) = (try site(audience, compiled: true), try site(audience, compiled: false))
            #expect(ours.count > 40 && ours.count == reference.count, "\(audience)")
            let differ = ours.keys.filter { ours[$0] != reference[$0] }.sorted()
            #expect(differ.isEmpty, "\(audience): \(differ.prefix(5))")
        }
    }
}

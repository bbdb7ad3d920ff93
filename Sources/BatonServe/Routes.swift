import BatonContent
import BatonJSON
import BatonSearch
import Foundation
import Hummingbird
import ServiceLifecycle

extension SiteServer {
    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/_baton/events") { [self] _, _ -> Response in
            let (stream, id) = subscribe()
            let opening = state.withLock { state -> String in
                if case .failed(let message) = state.outcome {
                    return Self.event("failed", JSONValue.string(message).rendered(pretty: false))
                }
                return "retry: 1000\n\n"
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: ResponseBody { [self] writer in
                defer { unsubscribe(id) }
                try await writer.write(ByteBuffer(string: opening))
                // The stream ends when the server shuts down, or the server would wait for it forever.
                try await withGracefulShutdownHandler {
                    for await event in stream {
                        try await writer.write(ByteBuffer(string: event))
                    }
                } onGracefulShutdown: { [self] in
                    unsubscribe(id)
                }
                try await writer.finish(nil)
            })
        }
        router.get("/api/search") { [self] request, _ -> Response in
            search(Self.formFields(request.uri.query ?? ""))
        }
        router.get("/") { [self] _, _ -> Response in file("index.html") }
        router.get("**") { [self] request, _ -> Response in
            file(String(request.uri.path.dropFirst()))
        }
    }

    // MARK: - Search

    /// `GET /api/search?q=…[&limit=N][&type=KIND]`: `baton search --json`'s answer, for this audience.
    func search(_ parameters: [(key: String, value: String)]) -> Response {
        func value(_ name: String) -> String? { parameters.first { $0.key == name }?.value }
        guard let query = value("q"), !query.trimmingCharacters(in: .whitespaces).isEmpty
        else { return Self.json(.badRequest, Self.problem("give the words to find as ?q=…")) }
        var limit = 10
        if let text = value("limit") {
            guard let number = Int(text), (1...100).contains(number) else {
                return Self.json(.badRequest, Self.problem("limit must be a number from 1 to 100"))
            }
            limit = number
        }
        var type: EntityKind?
        if let text = value("type") {
            guard let kind = EntityKind(userName: text) else {
                return Self.json(.badRequest, Self.problem("type must be one of " + EntityKind.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            type = kind
        }
        guard let snapshot = state.withLock({ $0.search }) else {
            return Self.json(.serviceUnavailable, Self.problem("the site has not been built yet"))
        }
        if let mistake = KnowledgeSearch.filterMistake(in: query, knowledgeBase: snapshot.knowledgeBase, schema: snapshot.index.schema) {
            return Self.json(.badRequest, Self.problem(mistake))
        }
        let options = KnowledgeSearch.options(snapshot.knowledgeIndex, limit: limit, audience: self.options.audience, type: type)
        do {
            let results = try Searcher(index: snapshot.index).search(query, options: options)
            return Self.json(.ok, KnowledgeSearch.json(query: query, results: results, knowledgeBase: snapshot.knowledgeBase))
        } catch {
            return Self.json(.badRequest, Self.problem("the query cannot be read: \(error.description)"))
        }
    }

    /// A query string's fields as a form sends them: `+` is a space, then each `%XX` decoded once (a value that
    /// is not valid percent-encoding is taken as written).
    static func formFields(_ query: String) -> [(key: String, value: String)] {
        query.split(separator: "&").map { field in
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }

    static func problem(_ message: String) -> JSONValue { .object([("error", .string(message))]) }

    static func json(_ status: HTTPResponse.Status, _ value: JSONValue) -> Response {
        var pairs: [(String, JSONValue)] = [("version", .int(1))]
        if case .object(let rest) = value { pairs += rest.filter { $0.0 != "version" } }
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers,
                        body: ResponseBody(byteBuffer: ByteBuffer(string: JSONValue.object(pairs).rendered() + "\n")))
    }

    // MARK: - Files

    /// A file of the site; a folder's index.html; the site's 404 page for anything else. HTML pages get the
    /// script that reloads them, and while the last build failed, its error.
    func file(_ requested: String) -> Response {
        let path = requested.removingPercentEncoding ?? requested
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.contains(where: { $0 == ".." || $0 == "." || $0.hasPrefix(".") }) else { return notFound() }
        var full = output + "/" + parts.joined(separator: "/")
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), isFolder.boolValue {
            full += "/index.html"
        }
        guard let data = FileManager.default.contents(atPath: full) else { return notFound() }
        return serve(data, path: full, status: .ok)
    }

    func notFound() -> Response {
        if let data = FileManager.default.contents(atPath: output + "/404.html") {
            return serve(data, path: "404.html", status: .notFound)
        }
        return serve(Data(), path: "404.html", status: .notFound)
    }

    func serve(_ data: Data, path: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        let type = Self.contentType(path)
        headers[.contentType] = type
        headers[.cacheControl] = "no-store"
        var bytes = data
        if type.hasPrefix("text/html") {
            bytes = Data(injected(String(decoding: data, as: UTF8.self)).utf8)
        }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// The page with the live-reload script before `</body>`; with the error shown when the last build failed
    /// (or there is no site yet).
    func injected(_ html: String) -> String {
        let failure = state.withLock { state -> String? in
            if case .failed(let message) = state.outcome { return message }
            return nil
        }
        var page = html.isEmpty ? "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>baton serve</title></head><body><h1>No site yet</h1></body></html>" : html
        var addition = Self.reloadScript
        if let failure {
            addition = "<div id=\"baton-serve-error\" role=\"alert\" style=\"\(Self.errorStyle)\"><strong>The build failed; this is the last good site.</strong><pre style=\"white-space:pre-wrap;margin:.5rem 0 0\">"
                + Self.escape(failure) + "</pre></div>" + addition
        }
        if let end = page.range(of: "</body>", options: .backwards) {
            page.insert(contentsOf: addition, at: end.lowerBound)
        } else {
            page += addition
        }
        return page
    }

    static let errorStyle = "position:fixed;left:1rem;right:1rem;bottom:1rem;z-index:99;padding:1rem;background:#5c0011;color:#fff;border-radius:.4rem;font:14px/1.4 ui-monospace,monospace;max-height:50vh;overflow:auto"

    /// Reloads the page after a build that changed files; shows a failed build's error in place.
    static let reloadScript = """
        <script>
        (function () {
          var source = new EventSource('/_baton/events');
          source.addEventListener('reload', function () { location.reload(); });
          source.addEventListener('failed', function (event) {
            var box = document.getElementById('baton-serve-error');
            if (!box) {
              box = document.createElement('div');
              box.id = 'baton-serve-error';
              box.setAttribute('role', 'alert');
              box.setAttribute('style', '\(errorStyle)');
              document.body.appendChild(box);
            }
            box.textContent = 'The build failed; this is the last good site.\\n\\n' + JSON.parse(event.data);
            box.style.whiteSpace = 'pre-wrap';
          });
        })();
        </script>
        """

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    static func contentType(_ path: String) -> String {
        switch (path as NSString).pathExtension.lowercased() {
        case "html", "htm": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "json": return "application/json; charset=utf-8"
        case "xml": return "application/xml; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "pdf": return "application/pdf"
        case "txt", "md": return "text/plain; charset=utf-8"
        default: return "application/octet-stream"
        }
    }
}

import BatonSearch
import Foundation

/// A knowledge base read from disk: its settings, every entity that could be read, and every problem found on
/// the way, in one pass.
public struct KnowledgeBase: Sendable {
    /// The name of the settings file that marks a knowledge base's root.
    public static let configFile = "baton.yml"
    /// The folder under the root that holds the entities.
    public static let contentDirectory = "content"

    /// Why a knowledge base cannot be opened at all.
    public enum OpenError: Error, Sendable, CustomStringConvertible {
        case noConfig(root: String)
        case unreadableConfig(path: String, reason: String)

        public var description: String {
            switch self {
            case .noConfig(let root):
                return "\(root) is not a Baton knowledge base: it has no \(KnowledgeBase.configFile) "
                    + "(run 'baton init' to make one, or pass --root DIR)"
            case .unreadableConfig(let path, let reason):
                return "\(path): cannot read: \(reason)"
            }
        }
    }

    /// The root folder, as given.
    public let root: String
    public let config: Config
    /// Every entity read, sorted by id.
    public let entities: [Entity]
    /// Problems found while loading and validating, sorted by file and line.
    public let diagnostics: [Diagnostic]
    /// How many `.md` files were found (including ones that could not be read).
    public let fileCount: Int

    /// Ids of files that exist but could not be read (malformed YAML, too large, …), with their kind: they
    /// are not entities, but references to them are not dangling either.
    public let unreadableIDs: [String: EntityKind]

    private let positions: [String: Int]
    /// Knowledge entries by their last id part, for references that give only that.
    private let knowledgeByName: [String: [String]]

    /// The folder that holds `baton.yml`: `start` or its nearest ancestor that has one, else nil.
    public static func findRoot(from start: String) -> String? {
        var url = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent(configFile).path) {
                return url.path
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { return nil }
            url = parent
        }
    }

    /// Reads and validates the knowledge base at `root`. Throws only when there is no knowledge base there;
    /// every problem inside one is a diagnostic.
    public static func load(root: String) throws(OpenError) -> KnowledgeBase {
        let configPath = (root as NSString).appendingPathComponent(configFile)
        guard FileManager.default.fileExists(atPath: configPath) else { throw .noConfig(root: root) }
        var diagnostics: [Diagnostic] = []
        var configSink = DiagnosticSink(file: configFile)
        let config: Config
        switch readText(configPath, limit: Limits.configBytes) {
        case .success(let text):
            config = Config.read(text: text, sink: &configSink)
        case .failure(let reason):
            configSink.unreadable("file.unreadable", line: nil, reason.reason)
            config = .empty
        }
        diagnostics += configSink.diagnostics

        let files = contentFiles(root: root, diagnostics: &diagnostics)
        let limit = config.limits.fileBytes
        let loaded = files.concurrentMap { file -> (Entity?, [Diagnostic]) in
            var sink = DiagnosticSink(file: file.path)
            switch readText((root as NSString).appendingPathComponent(file.path), limit: limit) {
            case .failure(let reason):
                sink.unreadable("file.unreadable", line: nil, reason.reason)
                return (nil, sink.diagnostics)
            case .success(let text):
                let entity = Entity.read(id: file.id, kind: file.kind, path: file.path, text: text, sink: &sink)
                return (entity, sink.diagnostics)
            }
        }
        var entities: [Entity] = []
        entities.reserveCapacity(loaded.count)
        var unreadable: [String: EntityKind] = [:]
        for (file, (entity, found)) in zip(files, loaded) {
            diagnostics += found
            if let entity { entities.append(entity) } else { unreadable[file.id] = file.kind }
        }
        entities.sort { $0.id < $1.id }
        var positions: [String: Int] = [:]
        var byName: [String: [String]] = [:]
        for (index, entity) in entities.enumerated() {
            positions[entity.id] = index
            if entity.kind == .knowledge { byName[entity.name, default: []].append(entity.id) }
        }
        let unvalidated = KnowledgeBase(
            root: root, config: config, entities: entities, diagnostics: [], fileCount: files.count,
            unreadableIDs: unreadable, positions: positions, knowledgeByName: byName)
        diagnostics += Validator(knowledgeBase: unvalidated).validate()
        diagnostics.sort { ($0.file, $0.line ?? 0, $0.code) < ($1.file, $1.line ?? 0, $1.code) }
        return KnowledgeBase(
            root: root, config: config, entities: entities, diagnostics: diagnostics, fileCount: files.count,
            unreadableIDs: unreadable, positions: positions, knowledgeByName: byName)
    }

    // MARK: Looking things up

    /// The entity with exactly this id.
    public func entity(id: String) -> Entity? {
        positions[id].map { entities[$0] }
    }

    /// The entities of one kind, in id order.
    public func entities(of kind: EntityKind) -> [Entity] {
        entities.filter { $0.kind == kind }
    }

    /// What a reference points at.
    public enum Resolution: Sendable {
        case found(Entity)
        case missing
        /// The id exists, but is of a kind the field does not take.
        case wrongKind(Entity)
        case ambiguous([String])
    }

    /// Resolves a reference written in front matter.
    public func resolve(_ reference: Reference) -> Resolution {
        resolve(reference.raw, kinds: reference.kinds)
    }

    /// The entity a reference names, when it names exactly one; nil for none, a missing or an ambiguous one.
    public func target(_ reference: Reference?) -> Entity? {
        guard let reference, case .found(let entity) = resolve(reference) else { return nil }
        return entity
    }

    /// Resolves an id as a user or a field writes it: full (`people/x`), without the kind's folder (`x`), or for
    /// knowledge by its last part alone when that is unique.
    public func resolve(_ raw: String, kinds: [EntityKind] = EntityKind.allCases) -> Resolution {
        var text = raw.trimmingSpaces
        if text.hasSuffix(".md") { text.removeLast(3) }
        if text.hasPrefix(Self.contentDirectory + "/") { text.removeFirst(Self.contentDirectory.count + 1) }
        if let exact = entity(id: text) {
            return kinds.contains(exact.kind) ? .found(exact) : .wrongKind(exact)
        }
        var matches: [String] = []
        for kind in kinds {
            let candidate = kind.directory + "/" + text
            if positions[candidate] != nil { matches.append(candidate) }
            if kind == .knowledge, !text.contains("/") {
                for id in knowledgeByName[text] ?? [] where !matches.contains(id) { matches.append(id) }
            }
        }
        switch matches.count {
        case 0: return .missing
        case 1: return .found(entity(id: matches[0])!)
        default: return .ambiguous(matches)
        }
    }

    /// The id of a file of one of `kinds` that exists but could not be read, if `raw` names one.
    public func unreadableID(_ raw: String, kinds: [EntityKind] = EntityKind.allCases) -> String? {
        var text = raw.trimmingSpaces
        if text.hasSuffix(".md") { text.removeLast(3) }
        for (id, kind) in unreadableIDs where kinds.contains(kind) {
            if id == text || id == kind.directory + "/" + text || (kind == .knowledge && id.hasSuffix("/" + text)) { return id }
        }
        return nil
    }

    /// The entity of one of `kinds` that `raw` most likely meant, for "did you mean …": the nearest id (with or
    /// without its kind's folder), or an entity whose title is `raw` or contains it as a word.
    public func suggestion(for raw: String, kinds: [EntityKind] = EntityKind.allCases) -> Entity? {
        let candidates = entities.filter { kinds.contains($0.kind) }
        let text = raw.trimmingSpaces.lowercased()
        guard !text.isEmpty else { return nil }
        var byName: [String: Entity] = [:]
        for entity in candidates { byName[entity.shortID] = entity; byName[entity.id] = entity }
        if let near = EditDistance.nearest(to: text, in: byName.keys.sorted()) { return byName[near] }
        // The start of an id (`tomas` for `tomasz-wierzbicki`), when only one id starts so.
        let starting = candidates.filter { $0.shortID.hasPrefix(text) || $0.name.hasPrefix(text) }
        if starting.count == 1 { return starting[0] }
        let words = text.split(separator: " ").map(String.init)
        return candidates.first { entity in
            let title = entity.title.lowercased()
            return title == text || (!words.isEmpty && words.allSatisfy { title.split(separator: " ").contains(Substring($0)) })
                || title.replacingOccurrences(of: " ", with: "-") == text
        }
    }

    /// ` — did you mean 'x' (Title)?`, or nothing.
    public func didYouMean(_ raw: String, kinds: [EntityKind] = EntityKind.allCases) -> String {
        guard let entity = suggestion(for: raw, kinds: kinds) else { return "" }
        return "; did you mean '\(entity.shortID)' (\(entity.title))?"
    }

    /// Every entity that refers to `id`, with the field that does.
    public func referrers(of id: String) -> [(entity: Entity, field: String)] {
        var result: [(Entity, String)] = []
        for entity in entities {
            for (field, reference) in entity.references {
                if case .found(let target) = resolve(reference), target.id == id { result.append((entity, field)) }
            }
        }
        return result
    }

    // MARK: Reading the folder

    struct ContentFile: Sendable {
        var path: String
        var id: String
        var kind: EntityKind
    }

    /// Every `.md` file under `content/` that belongs to a kind; files elsewhere are reported. Symbolic links are
    /// never followed, not even `content/` itself: an entity or folder that is a link is an error, any other link
    /// a warning, and what it points at is never read or published.
    private static func contentFiles(root: String, diagnostics: inout [Diagnostic]) -> [ContentFile] {
        let contentPath = (root as NSString).appendingPathComponent(contentDirectory)
        switch RegularFile.kind(contentPath) {
        case nil:
            return []
        case "a folder":
            break
        case let what?:
            diagnostics.append(Diagnostic(.error, "file.symlink", file: contentDirectory, line: nil,
                "content/ is \(what), not a folder; Baton does not follow links, so it reads no entities from it "
                    + "(make content/ a real folder)"))
            return []
        }
        var files: [ContentFile] = []
        var folders = [""]
        while let folder = folders.popLast() {
            let absolute = folder.isEmpty ? contentPath : contentPath + "/" + folder
            let names = (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? []
            for name in names where !name.hasPrefix(".") {
                let relative = folder.isEmpty ? name : folder + "/" + name
                let path = contentDirectory + "/" + relative
                switch RegularFile.kind(absolute + "/" + name) {
                case "a folder":
                    folders.append(relative)
                    continue
                case "a symbolic link":
                    let isEntity = name.hasSuffix(".md")
                    diagnostics.append(Diagnostic(isEntity ? .error : .warning, "file.symlink", file: path, line: nil,
                        "this is a symbolic link; Baton does not follow links in content/, so "
                            + (isEntity ? "it is not read" : "it is never published") + " (put the file itself here)"))
                    continue
                default:
                    break
                }
                guard name.hasSuffix(".md") else { continue }
                let components = relative.split(separator: "/").map(String.init)
                guard components.count >= 2, let kind = EntityKind(directory: components[0]) else {
                    let known = EntityKind.allCases.map { $0.directory + "/" }.joined(separator: ", ")
                    diagnostics.append(Diagnostic(.error, "file.location", file: path, line: nil,
                        "this file is not in a folder Baton knows; entities live in content/ under \(known)"))
                    continue
                }
                if kind == .knowledge && components.count != 3 {
                    diagnostics.append(Diagnostic(.error, "file.location", file: path, line: nil,
                        "knowledge entries live one folder deep, by plan section: content/knowledge/<section>/<name>.md"))
                    continue
                }
                files.append(ContentFile(path: path, id: String(relative.dropLast(3)), kind: kind))
            }
        }
        files.sort { $0.path < $1.path }
        return files
    }

    /// A file's text: only a regular file no larger than `limit`, checked before reading, in UTF-8.
    static func readText(_ path: String, limit: Int) -> Result<String, ReadFailure> {
        let bytes: [UInt8]
        do {
            bytes = try RegularFile.read(path, limit: limit)
        } catch {
            switch error {
            case .notRegular(_, let what): return .failure(ReadFailure(reason: "it is \(what), not a regular file"))
            case .tooLarge(_, let size, let limit):
                return .failure(ReadFailure(reason: "the file is \(size) bytes, above the limit of \(limit) bytes "
                    + "(raise limits.max_file_mb in baton.yml if it should be read)"))
            case .missing: return .failure(ReadFailure(reason: "the file cannot be read: it no longer exists"))
            case .unreadable(_, let reason): return .failure(ReadFailure(reason: "the file cannot be read: \(reason)"))
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(ReadFailure(reason: "the file is not valid UTF-8 text"))
        }
        return .success(text)
    }

    struct ReadFailure: Error, CustomStringConvertible {
        var reason: String
        var description: String { reason }
    }
}

extension Array where Element: Sendable {
    /// `map` spread over the machine's cores; results in the input's order.
    func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard count > 32 else { return map(transform) }
        let results = ResultSlots<T>(count: count)
        let input = self
        DispatchQueue.concurrentPerform(iterations: count) { index in
            results.store(transform(input[index]), at: index)
        }
        return results.values()
    }
}

/// Fixed slots that concurrent workers fill, each slot written exactly once by one worker.
private final class ResultSlots<T>: @unchecked Sendable {
    private var slots: [T?]
    private let lock = NSLock()

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ value: T, at index: Int) {
        lock.lock()
        slots[index] = value
        lock.unlock()
    }

    func values() -> [T] { slots.map { $0! } }
}

extension KnowledgeBase {
    /// `a/b/../c` → `a/c`; a path that climbs above its start keeps its leading `..`.
    public static func normalise(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }
}

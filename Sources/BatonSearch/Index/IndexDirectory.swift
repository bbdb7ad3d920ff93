/// An index on disk: a folder of immutable segment files and a manifest that names the live segments and the
/// documents deleted from each. Writing a new manifest (atomically) is what commits a change; files the manifest
/// no longer names are removed afterwards.
struct Manifest: Equatable {
    struct Entry: Equatable {
        var file: String
        var deleted: Set<Int>
    }

    static let fileName = "manifest"
    var schema: Schema
    var generation: Int
    var segments: [Entry]

    func encoded() -> [UInt8] {
        var text = "baton-index \(SegmentFormat.version)\n"
        text += "generation \(generation)\n"
        text += "fields " + schema.textFields.map { "\($0.name):\($0.weight)" }.joined(separator: " ") + "\n"
        text += "keywords " + schema.keywordFields.joined(separator: " ") + "\n"
        text += "snippet \(schema.snippetField)\n"
        for entry in segments {
            text += "segment \(entry.file) " + entry.deleted.sorted().map(String.init).joined(separator: ",") + "\n"
        }
        return Array(text.utf8)
    }

    static func decode(_ bytes: [UInt8], path: String) throws(IndexError) -> Manifest {
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        guard let first = lines.first, first.hasPrefix("baton-index ") else {
            throw .corrupt(path: path, reason: "not a Baton index manifest")
        }
        guard UInt32(first.dropFirst("baton-index ".count)) == SegmentFormat.version else {
            throw .unsupportedVersion(path: path, found: UInt32(first.dropFirst("baton-index ".count)) ?? 0)
        }
        var generation = 0
        var fields: [Schema.TextField] = []
        var keywords: [String] = []
        var snippet = "body"
        var segments: [Entry] = []
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let key = parts.first else { continue }
            switch key {
            case "generation": generation = Int(parts.dropFirst().first ?? "") ?? 0
            case "fields":
                for field in parts.dropFirst() {
                    let pair = field.split(separator: ":")
                    guard pair.count == 2, let weight = Double(pair[1]) else {
                        throw .corrupt(path: path, reason: "bad field '\(field)'")
                    }
                    fields.append(.init(String(pair[0]), weight: weight))
                }
            case "keywords": keywords = Array(parts.dropFirst())
            case "snippet": snippet = parts.dropFirst().first ?? "body"
            case "segment":
                guard parts.count >= 2 else { throw .corrupt(path: path, reason: "bad segment line") }
                let deleted = parts.count > 2 ? Set(parts[2].split(separator: ",").compactMap { Int($0) }) : []
                segments.append(Entry(file: parts[1], deleted: deleted))
            default:
                throw .corrupt(path: path, reason: "unknown manifest line '\(key)'")
            }
        }
        guard !fields.isEmpty else { throw .corrupt(path: path, reason: "no fields") }
        return Manifest(
            schema: Schema(textFields: fields, keywordFields: keywords, snippetField: snippet),
            generation: generation, segments: segments)
    }
}

/// An index on disk: a folder of immutable segment files and a manifest that names the live segments and the
/// documents deleted from each. Writing a new manifest (atomically) is what commits a change; files the manifest
/// no longer names are removed afterwards.
struct Manifest: Equatable {
    struct Entry: Equatable {
        var file: String
        var deleted: Set<Int>
        /// The segment's document count and checksum as written, so that a segment replaced, truncated or copied
        /// in from another index is noticed when it is opened. Nil only while a commit assembles the manifest.
        var documents: Int? = nil
        var checksum: UInt64? = nil
    }

    /// The highest generation a manifest may name (far beyond any real index; keeps `generation + 1` safe).
    static let maximumGeneration = 1 << 40

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
            text += "segment \(entry.file) docs=\(entry.documents ?? 0) sum=\(String(entry.checksum ?? 0, radix: 16)) "
                + entry.deleted.sorted().map(String.init).joined(separator: ",") + "\n"
        }
        return Array((text + "checksum \(Self.checksum(text))\n").utf8)
    }

    /// The manifest's own checksum: over every line before the `checksum` line.
    static func checksum(_ text: String) -> String {
        var hash = StableHash()
        hash.add(text)
        return String(hash.value, radix: 16)
    }

    static func decode(_ bytes: [UInt8], path: String) throws(IndexError) -> Manifest {
        guard let whole = String(validating: bytes, as: UTF8.self) else {
            throw .corrupt(path: path, reason: "the manifest is not text")
        }
        var lines = whole.split(separator: "\n")
        guard let first = lines.first, first.hasPrefix("baton-index ") else {
            throw .corrupt(path: path, reason: "not a Baton index manifest")
        }
        guard UInt32(first.dropFirst("baton-index ".count)) == SegmentFormat.version else {
            throw .unsupportedVersion(path: path, found: UInt32(first.dropFirst("baton-index ".count)) ?? 0)
        }
        // The last line checksums the rest: a truncated manifest or a flipped bit is caught here.
        guard let last = lines.last, last.hasPrefix("checksum "), whole.hasSuffix("\n") else {
            throw .corrupt(path: path, reason: "the manifest is truncated (no checksum line)")
        }
        let body = String(whole.dropLast(last.utf8.count + 1))
        guard last.dropFirst("checksum ".count) == checksum(body) else {
            throw .corrupt(path: path, reason: "the manifest's checksum does not match its text")
        }
        lines.removeLast()
        var generation = 0
        var fields: [Schema.TextField] = []
        var keywords: [String] = []
        var snippet = "body"
        var segments: [Entry] = []
        for line in lines.dropFirst() {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            guard let key = parts.first else { continue }
            switch key {
            case "generation":
                guard let number = Int(parts.dropFirst().first ?? ""), (0...maximumGeneration).contains(number) else {
                    throw .corrupt(path: path, reason: "generation out of range")
                }
                generation = number
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
                guard parts.count >= 4, parts[2].hasPrefix("docs="), parts[3].hasPrefix("sum="),
                    let documents = Int(parts[2].dropFirst(5)), documents >= 0,
                    let sum = UInt64(parts[3].dropFirst(4), radix: 16),
                    parts[1].hasSuffix(".bsi"), !parts[1].contains("/")
                else { throw .corrupt(path: path, reason: "bad segment line") }
                let deleted = parts.count > 4 ? Set(parts[4].split(separator: ",").compactMap { Int($0) }) : []
                segments.append(Entry(file: parts[1], deleted: deleted, documents: documents, checksum: sum))
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

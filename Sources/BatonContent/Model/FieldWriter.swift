/// Writes typed fields back into a front-matter mapping. A field whose value is unchanged keeps the node it was
/// read from (its quoting, its flow or block style), so a read-modify-write touches only what changed; keys the
/// model does not know are never touched.
struct FieldWriter {
    var node: YAMLNode

    init(_ node: YAMLNode) {
        self.node = node.pairs == nil ? .mapping([]) : node
    }

    /// Sets `key` to `value`; nil clears an existing key to null and adds nothing new.
    mutating func set(_ key: String, _ value: YAMLNode?) {
        let existing = node[key]
        guard let value else {
            if let existing, !existing.isNull { node.set(key, .null) }
            return
        }
        if let existing, existing.sameValue(as: value) { return }
        var written = value
        // Keep the author's list style when only the items changed.
        if let existing, existing.items != nil, value.items != nil { written.isFlow = existing.isFlow }
        node.set(key, written)
    }

    mutating func set(_ key: String, _ text: String?) {
        set(key, text.map(YAMLNode.string))
    }

    mutating func set(_ key: String, _ texts: [String]) {
        set(key, texts.isEmpty && node[key] == nil ? nil : .sequence(texts.map(YAMLNode.string)))
    }

    mutating func set<V: Vocabulary>(_ key: String, _ word: V?) {
        set(key, word.map { YAMLNode.plain($0.rawValue) })
    }

    /// Sets a field that has a default value, leaving it out when it is absent and stays at the default.
    mutating func set<V: Vocabulary>(_ key: String, _ word: V, default defaultValue: V) {
        if node[key] == nil && word == defaultValue { return }
        set(key, word)
    }

    mutating func set(_ key: String, _ flag: Bool, default defaultValue: Bool) {
        if node[key] == nil && flag == defaultValue { return }
        set(key, flag)
    }

    mutating func set(_ key: String, _ day: Day?) {
        set(key, day.map { YAMLNode.plain($0.description) })
    }

    mutating func set(_ key: String, _ flag: Bool?) {
        set(key, flag.map { YAMLNode.plain($0 ? "true" : "false") })
    }

    mutating func set(_ key: String, _ reference: Reference?) {
        set(key, reference.map { YAMLNode.string($0.raw) })
    }

    mutating func set(_ key: String, _ references: [Reference]) {
        set(key, references.map(\.raw))
    }
}

extension YAMLNode {
    /// Same value whatever the quoting, style or lines: scalars compare by text.
    func sameValue(as other: YAMLNode) -> Bool {
        switch (content, other.content) {
        case (.scalar, .scalar):
            if isNull || other.isNull { return isNull == other.isNull }
            return scalarText == other.scalarText
        case (.sequence(let a), .sequence(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.sameValue(as: $1) }
        case (.mapping(let a), .mapping(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value.sameValue(as: $1.value) }
        default:
            return false
        }
    }
}

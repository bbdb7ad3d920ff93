extension BrowserExport {
    /// What an earlier export into the same place named its files, for `export` to keep the name of every file
    /// whose bytes did not change: a build after a small change then rewrites only the files it changed, and
    /// browsers keep the rest cached.
    public struct Previous {
        /// The file each data name had then (`s375` → `s375.nvuu.js`).
        var files: [String: String] = [:]
        /// Whether the earlier export's file of this name holds exactly these bytes.
        var holds: (_ file: String, _ bytes: [UInt8]) -> Bool
        /// Data names whose files are known to hold the same bytes (taken from them): `holds` is not asked.
        var known: Set<String> = []

        /// `files`: the earlier export's file names (others than `NAME.TAG.js` are passed over).
        public init(files: some Sequence<String>, holds: @escaping (_ file: String, _ bytes: [UInt8]) -> Bool) {
            for file in files {
                let parts = file.split(separator: ".", omittingEmptySubsequences: false)
                guard parts.count == 3, parts[2] == "js", parts[1].utf8.count == 4, !parts[0].isEmpty else { continue }
                self.files[String(parts[0])] = file
            }
            self.holds = holds
        }
    }

    /// The name of every exported file: `NAME.TAG.js`. The files of a group (`groupKey`) share the group's tag,
    /// which the metadata lists (`hashes`: 4 characters a group), but for the exceptions it lists by name
    /// (`except`).
    ///
    /// Without an earlier export a group's tag is a hash of its files' contents. With one, a file whose bytes are
    /// the same keeps its tag; a file that changed or is new gets a hash of its own content, never the tag its
    /// name had (a name, once published, stands for one content: browsers may cache it forever). The group's tag
    /// is the one most of its kept files have; the files that have another are exceptions. A group with more than
    /// `groupExceptions` of them is named afresh from its contents (all its files renamed), and so are the groups
    /// with most, until the metadata lists at most `exceptionBudget` (it is part of every first query).
    struct Naming {
        /// Each file's tag, in the order of the contents.
        var tags: [String]
        /// Each group's tag, by group key.
        var groupTags: [String: String] = [:]
        /// The files whose tag is not their group's, by data name.
        var exceptions: [String: String] = [:]

        static let groupExceptions = 4
        static let exceptionBudget = 40

        init(contents: [(name: String, body: String)], scripts: [[UInt8]], previous: Previous?) {
            self.init(names: contents.map(\.name), scripts: scripts, previous: previous) { contents[$0].body }
        }

        /// `scripts`: each file's bytes, nil for a file `previous` knows to be the same; `body`: each file's body
        /// (asked for only when its name is worked out from its contents).
        init(names: [String], scripts: [[UInt8]?], previous: Previous?, body: (Int) -> String) {
            tags = Array(repeating: "", count: names.count)
            var members: [String: [Int]] = [:]
            var order: [String] = []
            for (number, name) in names.enumerated() {
                let key = BrowserExport.groupKey(name)
                if members[key] == nil { order.append(key) }
                members[key, default: []].append(number)
            }
            // The tag each file had, and whether its bytes are the same.
            var before = [String?](repeating: nil, count: names.count)
            var kept = [Bool](repeating: false, count: names.count)
            if let previous {
                for (number, name) in names.enumerated() {
                    guard let file = previous.files[name] else { continue }
                    before[number] = String(file.split(separator: ".")[1])
                    kept[number] = previous.known.contains(name) || scripts[number].map { previous.holds(file, $0) } == true
                }
            }
            /// A hash of the contents of `files`, but never the tag one of them had with other bytes.
            func hash(_ files: [Int]) -> String {
                var salt = 0
                while true {
                    var hasher = StableHash()
                    if salt > 0 { hasher.add("salt \(salt)") }
                    for number in files {
                        hasher.add(names[number])
                        hasher.add(body(number))
                    }
                    let tag = hasher.base64(4)
                    if !files.contains(where: { !kept[$0] && before[$0] == tag }) { return tag }
                    salt += 1
                }
            }
            func nameAfresh(_ key: String) {
                let files = members[key]!
                let tag = hash(files)
                groupTags[key] = tag
                for number in files { tags[number] = tag }
            }

            var odd: [String: [Int]] = [:]  // each group's exceptions
            for key in order {
                let files = members[key]!
                let keptTags = files.filter { kept[$0] }.map { before[$0]! }
                if keptTags.isEmpty {
                    nameAfresh(key)
                    continue
                }
                var counts: [String: Int] = [:]
                for tag in keptTags { counts[tag, default: 0] += 1 }
                // The most common; of as common, the first in order (so that the choice does not depend on hashing).
                let tag = counts.min { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }!.key
                groupTags[key] = tag
                for number in files {
                    tags[number] = kept[number] ? before[number]! : hash([number])
                    if tags[number] != tag { odd[key, default: []].append(number) }
                }
            }
            for (key, files) in odd where files.count > Self.groupExceptions {
                odd[key] = nil
                nameAfresh(key)
            }
            var total = odd.values.reduce(0) { $0 + $1.count }
            for (key, files) in odd.sorted(by: { $0.value.count != $1.value.count ? $0.value.count > $1.value.count : $0.key < $1.key }) {
                if total <= Self.exceptionBudget { break }
                total -= files.count
                odd[key] = nil
                nameAfresh(key)
            }
            for files in odd.values {
                for number in files { exceptions[names[number]] = tags[number] }
            }
        }
    }
}

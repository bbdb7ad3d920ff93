import BatonContent
import BatonSearch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The output folder of `baton build`. A build is written whole into a private staging folder beside the
/// output (mode 0700 until it is complete), then swapped in with one rename, so a build that fails or is killed
/// leaves the old site as it was. The marker file lists every file a build wrote; the next build replaces those
/// and refuses a folder holding anything else, so a folder of someone else's files is never emptied, even with
/// a marker planted in it.
struct SiteOutput {
    /// The output folder, with symbolic links resolved (the real folder is replaced, not the link).
    let path: String

    /// What the marker says an earlier build wrote.
    struct Manifest: Equatable {
        var files: Set<String>
        /// Entity pages it had, to notice a knowledge base that has suddenly lost everything.
        var entityPages: Int
        /// What the build was made from (`BuildFingerprint`), when it says.
        var fingerprint: String? = nil
        /// How each file was when the build had written it (`seen`), for the files the marker says.
        var seen: [String: String] = [:]
        /// What the build's pages were made from (`PageKeys`): the shape of the knowledge base, and each
        /// knowledge entry's key with the files beside it that its page links to.
        var shape: String? = nil
        var entries: [String: Entry] = [:]
        /// The pages the site has, and the pages its search files hold.
        var pages: Int? = nil
        var searchDocuments: Int? = nil

        struct Entry: Equatable {
            var key: String
            var links: String
        }
    }

    static let marker = ".baton-site"
    static let formatLine = "baton-site 2"

    init(_ output: String) {
        path = URL(fileURLWithPath: output).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// The marker's text for a build of `files` (relative paths) with `entityPages` entity pages; `seen` gives
    /// a file's `seen` state, on a line after its own (a Baton that does not know the line passes over it).
    /// `shape`, `pages`, `searchDocuments` and `entries` are what `Manifest` says of them (an entry's line names its id
    /// last, as an id may hold spaces).
    static func markerText(files: [String], entityPages: Int, fingerprint: String? = nil, seen: [String: String] = [:],
                           shape: String? = nil, pages: Int? = nil, searchDocuments: Int? = nil,
                           entries: [String: Manifest.Entry] = [:]) -> String {
        "# Made by baton build. The next build replaces the files listed here and nothing else.\n"
            + formatLine + "\nentity-pages \(entityPages)\n" + (fingerprint.map { "fingerprint \($0)\n" } ?? "")
            + (shape.map { "shape \($0)\n" } ?? "") + (pages.map { "pages \($0)\n" } ?? "")
            + (searchDocuments.map { "search-documents \($0)\n" } ?? "")
            + entries.sorted { $0.key < $1.key }.map { "entry \($0.value.key) \($0.value.links) \($0.key)\n" }.joined()
            + files.sorted().map { "file " + $0 + "\n" + (seen[$0].map { "seen " + $0 + "\n" } ?? "") }.joined()
    }

    /// Whether every file the manifest lists is as its build left it (one changed, replaced or removed since
    /// is not, nor is a file the marker has no `seen` state for).
    func isIntact(_ manifest: Manifest) -> Bool {
        manifest.files.allSatisfy { file in manifest.seen[file].map { Self.seen(path + "/" + file) == $0 } ?? false }
    }

    /// What tells whether the regular file at `path` is the one a build wrote: its size, inode and modification
    /// time (a file hard-linked from the site before keeps them); nil for anything but a regular file.
    static func seen(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return "\(info.st_size) \(info.st_ino) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
    }

    /// The manifest of the build in the folder, nil when the folder has no marker of this format.
    func manifest() -> Manifest? {
        guard let bytes = try? RegularFile.read(path + "/" + Self.marker, limit: 64 << 20) else { return nil }
        // Lines found on the bytes (the marker of a large site has tens of thousands).
        let lines = bytes.split(separator: UInt8(ascii: "\n")).map { String(decoding: $0, as: UTF8.self) }
        guard lines.count >= 3, lines[1] == Self.formatLine, lines[2].hasPrefix("entity-pages "),
            let pages = Int(lines[2].dropFirst("entity-pages ".count))
        else { return nil }
        var manifest = Manifest(files: [], entityPages: pages)
        var last: String?
        for line in lines.dropFirst(3) {
            if line.hasPrefix("file ") {
                last = String(line.dropFirst(5))
                manifest.files.insert(last!)
            } else if line.hasPrefix("seen "), let file = last {
                manifest.seen[file] = String(line.dropFirst(5))
            } else if line.hasPrefix("fingerprint "), manifest.fingerprint == nil {
                manifest.fingerprint = String(line.dropFirst(12))
            } else if line.hasPrefix("shape "), manifest.shape == nil {
                manifest.shape = String(line.dropFirst(6))
            } else if line.hasPrefix("pages "), manifest.pages == nil {
                manifest.pages = Int(line.dropFirst(6))
            } else if line.hasPrefix("search-documents "), manifest.searchDocuments == nil {
                manifest.searchDocuments = Int(line.dropFirst(17))
            } else if line.hasPrefix("entry ") {
                let parts = line.dropFirst(6).split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
                if parts.count == 3 { manifest.entries[String(parts[2])] = Manifest.Entry(key: String(parts[0]), links: String(parts[1])) }
            }
        }
        return manifest
    }

    /// Every file and link under the folder (links not followed), relative to it; folders are not listed.
    func existingFiles() -> [String] {
        var found: [String] = []
        var folders = [""]
        while let folder = folders.popLast() {
            let absolute = folder.isEmpty ? path : path + "/" + folder
            for name in (try? FileManager.default.contentsOfDirectory(atPath: absolute)) ?? [] {
                let relative = folder.isEmpty ? name : folder + "/" + name
                if RegularFile.kind(absolute + "/" + name) == "a folder" { folders.append(relative) } else { found.append(relative) }
            }
        }
        return found.sorted()
    }

    /// The earlier build's manifest, after checking that the folder holds nothing but what it wrote.
    func previousBuild() throws -> Manifest? {
        guard RegularFile.kind(path) != nil else { return nil }
        guard RegularFile.kind(path) == "a folder" else {
            throw BuildError.output(path: path, reason: "exists and is not a folder")
        }
        let existing = existingFiles()
        if existing.isEmpty { return nil }
        guard let manifest = manifest() else {
            let reason = existing.contains(Self.marker)
                ? "its \(Self.marker) file is not one this Baton wrote (or was made by an older Baton)"
                : "this folder is not empty and was not made by baton build"
            throw BuildError.output(path: path, reason: "\(reason), so its files are not Baton's to replace; "
                + "choose an empty or new folder (or remove this one yourself)")
        }
        let foreign = existing.filter { $0 != Self.marker && !manifest.files.contains($0) }
        if !foreign.isEmpty {
            throw BuildError.output(path: path, reason: "holds \(foreign.count) file(s) that baton build did not "
                + "write (\(foreign.prefix(5).joined(separator: ", "))\(foreign.count > 5 ? ", …" : "")); "
                + "nothing was changed: move them out, or choose another folder")
        }
        return manifest
    }

    /// A new private staging folder beside the output, registered for removal if the process is interrupted;
    /// stagings left by builds that were killed are removed first.
    func makeStaging() throws -> String {
        Temporaries.removeStale(beside: path, purpose: "build")
        Temporaries.removeStale(beside: path, purpose: "old")
        let parent = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw BuildError.file(path: parent, reason: "cannot make the folder: \(error.localizedDescription)")
        }
        let staging = Temporaries.sibling(of: path, purpose: "build")
        Temporaries.register(staging)
        guard mkdir(staging, 0o700) == 0 else {
            let reason = String(cString: strerror(errno))
            Temporaries.forget(staging)
            throw BuildError.file(path: parent, reason: "cannot make a folder to build in: \(reason)")
        }
        return staging
    }

    /// Puts the finished staging folder in the output's place in one step (the old site goes with it).
    func swap(in staging: String) throws {
        guard chmod(staging, 0o755) == 0 else {
            throw BuildError.file(path: staging, reason: "cannot set its permissions: \(String(cString: strerror(errno)))")
        }
        if RegularFile.kind(path) == nil {
            guard rename(staging, path) == 0 else {
                throw BuildError.file(path: path, reason: "cannot move the new site into place: \(String(cString: strerror(errno)))")
            }
            Temporaries.forget(staging)
            return
        }
        if Self.exchange(staging, path) {
            // The staging name now holds the old site (a build killed here leaves it for the next to remove).
            CrashPoint.pass("build.swapped")
            Temporaries.remove(staging)
            return
        }
        // No atomic exchange on this system or file system: two renames, with the old site kept until the new
        // one is in place.
        let old = Temporaries.sibling(of: path, purpose: "old")
        Temporaries.register(old)
        guard rename(path, old) == 0 else {
            Temporaries.forget(old)
            throw BuildError.file(path: path, reason: "cannot move the old site aside: \(String(cString: strerror(errno)))")
        }
        guard rename(staging, path) == 0 else {
            let reason = String(cString: strerror(errno))
            _ = rename(old, path)
            Temporaries.forget(old)
            throw BuildError.file(path: path, reason: "cannot move the new site into place: \(reason)")
        }
        Temporaries.forget(staging)
        Temporaries.remove(old)
    }

    /// Writes a new file of the staging folder: created (never through an existing file or link), written, closed.
    /// No temporary and no flush: nothing reads the staging folder before the swap.
    static func write(_ bytes: Data, to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw BuildError.file(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        try bytes.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw BuildError.file(path: path, reason: "cannot write: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }

    /// `renameat2(RENAME_EXCHANGE)`, looked up at run time since Glibc's module map leaves it out: swaps two
    /// paths atomically. False when the system or file system cannot.
    static func exchange(_ a: String, _ b: String) -> Bool {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        // Safe: renameat2 has had this signature since glibc 2.28; the pointers live for the call.
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let exchangeFlag: UInt32 = 2  // RENAME_EXCHANGE
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, exchangeFlag) == 0
    }
}

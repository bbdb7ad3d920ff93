import BatonContent
import BatonSearch
import Foundation

/// Everything a build's output depends on, hashed: every file under `content/` and `baton.yml` (path, size,
/// modification time and bytes), the theme folders laid over the built-in theme, the options, the day, the
/// Baton executable itself and, when pages show git's "last updated" dates, the repository's HEAD and status.
/// When the output folder was made by a build with the same fingerprint and still holds every file it wrote,
/// the build has nothing to do, and says so without reading the knowledge base.
public enum BuildFingerprint {
    /// `themeFolders` are laid over the built-in theme unless `themeAlone`.
    public static func compute(root: String, themeFolders: [String], themeAlone: Bool, options: SiteBuilder.Options) -> String {
        var hash = StableHash()
        hash.add("baton-build-fingerprint 1")
        // The executable: another Baton may build differently.
        hash.add(executable())
        hash.add("audience \(options.audience.rawValue)")
        hash.add("base \(options.baseURL ?? "")")
        hash.add("force \(options.force) allow-empty \(options.allowEmpty) last-updated \(options.lastUpdated)")
        hash.add("today \(options.today)")
        hash.add("output \(URL(fileURLWithPath: options.output).standardizedFileURL.path)")
        add(file: root + "/" + KnowledgeBase.configFile, as: KnowledgeBase.configFile, to: &hash)
        addTree(root + "/" + KnowledgeBase.contentDirectory, as: KnowledgeBase.contentDirectory, to: &hash)
        hash.add("theme alone \(themeAlone)")
        for (number, folder) in themeFolders.enumerated() {
            hash.add("theme \(number) \(URL(fileURLWithPath: folder).standardizedFileURL.path)")
            addTree(folder, as: "theme\(number)", to: &hash)
        }
        if options.lastUpdated {
            // What git says of the folder: the commit checked out, and what has changed since.
            for arguments in [["rev-parse", "HEAD"], ["status", "--porcelain", "-z", "--untracked-files=all", "--", "."]] {
                hash.add("git " + arguments.joined(separator: " ") + ": " + (SourceDates.git(arguments, in: root) ?? "none"))
            }
        }
        return hash.base64(11)
    }

    /// What tells this Baton executable from another (which may build differently): its size, modification time
    /// and inode.
    static func executable() -> String {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return "exe \(CommandLine.arguments.first ?? "")" }
        return "exe \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
    }

    /// A file's name, size, modification time and bytes (or what it is, when it is not a regular file).
    private static func add(file path: String, as name: String, to hash: inout StableHash) {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            hash.add("missing " + name)
            return
        }
        hash.add("\(name) \(info.st_mode) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)")
        if (info.st_mode & S_IFMT) == S_IFREG, let bytes = try? RegularFile.read(path, limit: 1 << 30) {
            hash.add(bytes: bytes)
        } else if (info.st_mode & S_IFMT) == S_IFLNK {
            hash.add((try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "")
        }
    }

    /// Every entry under a folder, in name order, not following links; files for which `skip` is true (given
    /// the name the file is hashed as) are left out.
    static func addTree(_ folder: String, as name: String, to hash: inout StableHash, skip: (String) -> Bool = { _ in false }) {
        guard RegularFile.kind(folder) == "a folder" else {
            hash.add("no folder " + name)
            return
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        hash.add("folder \(name) \(names.count)")
        for entry in names {
            let path = folder + "/" + entry
            if RegularFile.kind(path) == "a folder" {
                addTree(path, as: name + "/" + entry, to: &hash, skip: skip)
            } else if !skip(name + "/" + entry) {
                add(file: path, as: name + "/" + entry, to: &hash)
            }
        }
    }
}

import BatonContent

/// Why a site was not built. Nothing in the output folder has changed when one is thrown.
public enum BuildError: Error, CustomStringConvertible, Sendable {
    /// Validation found errors, and the build was not forced.
    case validation([Diagnostic])
    /// The audience would get no entity page, where the site in `output` has `entityPages`.
    case wouldEmpty(output: String, entityPages: Int)
    /// Links to files the site does not have, each as "page → target".
    case brokenLinks([String])
    /// The theme has no such template or asset.
    case theme(missing: String)
    /// The output folder is not one a build may write into.
    case output(path: String, reason: String)
    /// Reading or writing a file failed.
    case file(path: String, reason: String)
    /// The browser search's index could not be made.
    case search(String)

    public var description: String {
        switch self {
        case .validation(let errors):
            return "validation found \(errors.count) error(s), so nothing was built (fix them, or build anyway with "
                + "--force):\n" + errors.prefix(20).map { "  " + $0.description }.joined(separator: "\n")
                + (errors.count > 20 ? "\n  … and \(errors.count - 20) more (run baton check)" : "")
        case .wouldEmpty(let output, let entityPages):
            return "the knowledge base has no entity this audience may see, but the site in \(output) has "
                + "\(entityPages) entity pages; nothing was changed (is content/ where it should be?). To publish an "
                + "empty site, pass --allow-empty"
        case .brokenLinks(let links):
            let shown = links.prefix(30).map { "  " + $0 }.joined(separator: "\n")
            return "\(links.count) broken link(s); nothing was written:\n" + shown
                + (links.count > 30 ? "\n  … and \(links.count - 30) more" : "")
        case .theme(let missing):
            return "the theme has no \(missing)"
        case .output(let path, let reason), .file(let path, let reason):
            return "\(path): \(reason)"
        case .search(let reason):
            return "the search index for the site cannot be made: \(reason)"
        }
    }
}

extension SiteBuilder {
    /// The error type of a build (also `BatonSite.BuildError`).
    public typealias BuildError = BatonSite.BuildError
}

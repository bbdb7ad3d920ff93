import ArgumentParser
import BatonContent

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the knowledge base and report every problem with its file and line.",
        discussion: """
            Reads every file once and reports malformed YAML, missing or invalid fields, bad dates, duplicate \
            ids, references to entities that do not exist, people who deputise for or succeed themselves, and \
            successor chains that loop.

            Exit codes: 0 no errors (warnings may be shown), 1 errors found, 2 a file or baton.yml could not be \
            read at all (malformed YAML, not UTF-8) or no knowledge base was found.

            Examples:
              baton check
              baton check --root ../other-partnership
              baton check --json | python3 -m json.tool
            """)

    @Flag(help: "Print JSON: the counts and every diagnostic.")
    var json = false

    @OptionGroup var options: RootOptions

    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let knowledgeBase = try options.load()
        let elapsed = clock.now - started
        let diagnostics = knowledgeBase.diagnostics
        let unreadable = diagnostics.filter { $0.severity == .unreadable }.count
        let errors = diagnostics.filter { $0.severity == .error }.count + unreadable
        let warnings = diagnostics.filter { $0.severity == .warning }.count
        let counts = EntityKind.allCases.map { kind in (kind, knowledgeBase.entities.filter { $0.kind == kind }.count) }

        if json {
            let document = JSONValue.object([
                ("root", .string(knowledgeBase.root)),
                ("files", .int(knowledgeBase.fileCount)),
                ("entities", .object(counts.map { ($0.0.plural, .int($0.1)) })),
                ("errors", .int(errors)),
                ("warnings", .int(warnings)),
                ("diagnostics", .array(diagnostics.map(\.jsonValue))),
            ])
            print(document.rendered())
        } else {
            for diagnostic in diagnostics {
                print(render(diagnostic))
            }
            if !diagnostics.isEmpty { print("") }
            let summary = counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.1 == 1 ? $0.0.rawValue : $0.0.plural)" }
            let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
            let what = summary.isEmpty ? "" : " (\(summary.joined(separator: ", ")))"
            let files = knowledgeBase.fileCount == 1 ? "1 file" : "\(knowledgeBase.fileCount) files"
            print("Checked baton.yml and \(files)\(what) in \(Int(milliseconds.rounded())) ms.")
            let verdict = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            print(errors > 0 ? Terminal.styled(verdict, .red, .bold)
                  : Terminal.styled(verdict, warnings > 0 ? .yellow : .green, .bold))
        }
        if unreadable > 0 { throw ExitCode(2) }
        if errors > 0 { throw ExitCode(1) }
    }

    private func render(_ diagnostic: Diagnostic) -> String {
        let place = diagnostic.line.map { "\(diagnostic.file):\($0)" } ?? diagnostic.file
        let label: String
        switch diagnostic.severity {
        case .unreadable, .error: label = Terminal.styled("error:", .red, .bold)
        case .warning: label = Terminal.styled("warning:", .yellow, .bold)
        case .note: label = Terminal.styled("note:", .blue, .bold)
        }
        return "\(Terminal.styled(place, .bold)): \(label) \(diagnostic.message) "
            + Terminal.styled("[\(diagnostic.code)]", .dim)
    }
}

import BatonJSON
import ArgumentParser
import BatonContent
import BatonSearch
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate the knowledge base and report its continuity risks.",
        discussion: """
            Validation: malformed YAML, missing or invalid fields, bad dates, duplicate ids, references to \
            entities that do not exist, people who deputise for or succeed themselves, successor chains that loop, \
            a confidentiality that cannot be read (it counts as restricted), symbolic links in content/ (never \
            followed), files that are not regular files or are above limits: max_file_mb, YAML alias bombs, \
            personal-looking keys outside contact: (personal.outside-contact), and a change a killed command \
            left that had to be finished first (journal.replayed).

            Continuity (rules, each with a severity; change them under continuity: in baton.yml): \
            \(ContinuityReport.rules.map { "\($0.id) (\($0.severity.label))" }.joined(separator: ", ")). \
            A summary gives coverage: key people with a successor, roles with an onboarding path, knowledge \
            reviewed on time.

            With --if-leaves PERSON, nothing is checked: the command shows what that person's departure would \
            do (roles left without a holder, knowledge without an owner, broken peer pairs, stalled handovers, \
            coverage before and after) without changing a file.

            Exit codes: 0 no errors, 1 errors found (or warnings, with --strict), 2 a file or baton.yml could \
            not be read at all, or no knowledge base was found. The day the report is made for is today, or \
            --today DATE (or the BATON_TODAY environment variable).

            Examples:
              baton check
              baton check --strict --rule leaving-no-handover
              baton check --json | python3 -m json.tool
              baton check --if-leaves rafael-mendes --on 2027-03-31
            """)

    @Flag(help: "Fail (exit 1) on warnings as well as errors, for CI gates.")
    var strict = false

    @Option(name: .customLong("rule"), help: "Show only this rule (a continuity rule or a validation code); repeatable.")
    var rules: [String] = []

    @Option(help: "The day to report for (YYYY-MM-DD); default today.")
    var today: String?

    @Option(name: .customLong("if-leaves"), help: "Simulate this person leaving instead of checking.",
            completion: Completions.ids(.person))
    var leaver: String?

    @Option(help: "With --if-leaves: their last day (YYYY-MM-DD); default today.")
    var on: String?

    @Flag(help: "Print JSON: counts, every diagnostic and finding, and the coverage figures.")
    var json = false

    @OptionGroup var options: RootOptions

    func validate() throws {
        if let today, Day(today) == nil { throw ValidationError("--today must be a date, YYYY-MM-DD") }
        if let on, Day(on) == nil { throw ValidationError("--on must be a date, YYYY-MM-DD") }
        if on != nil && leaver == nil { throw ValidationError("--on goes with --if-leaves") }
    }

    private var reportDay: Day {
        today.flatMap(Day.init) ?? Day.today(environment: ProcessInfo.processInfo.environment)
    }

    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        let knowledgeBase = try options.load()
        let elapsed = clock.now - started
        let analyzer = ContinuityAnalyzer(knowledgeBase: knowledgeBase, today: reportDay)
        if let leaver {
            try simulate(leaver, analyzer)
            return
        }
        let knownRules = Set(ContinuityReport.rules.map(\.id))
        for rule in rules where !knownRules.contains(rule) && !rule.contains(".") {
            throw CLIFailure(message: "unknown rule '\(rule)'; continuity rules are: "
                + ContinuityReport.rules.map(\.id).joined(separator: ", "))
        }
        let report = analyzer.report()
        var diagnostics = knowledgeBase.diagnostics
        if let recovery = RootOptions.recovery, recovery.replayed {
            diagnostics.insert(Diagnostic(.warning, "journal.replayed", file: ".baton/journal", line: nil,
                "a baton command was killed in the middle of a change" + (recovery.description.isEmpty ? "" : " (\(recovery.description))")
                    + "; it was finished before checking: " + (recovery.finished.isEmpty ? "nothing was left to do" : recovery.finished.joined(separator: ", "))), at: 0)
        }
        var findings = report.findings
        if !rules.isEmpty {
            diagnostics = diagnostics.filter { rules.contains($0.code) }
            findings = findings.filter { rules.contains($0.rule) }
        }
        let unreadable = diagnostics.filter { $0.severity == .unreadable }.count
        let errors = diagnostics.filter { $0.severity == .error }.count + unreadable
            + findings.filter { $0.severity == .error }.count
        let warnings = diagnostics.filter { $0.severity == .warning }.count
            + findings.filter { $0.severity == .warning }.count
        let notes = findings.filter { $0.severity == .note }.count
        let counts = EntityKind.allCases.map { kind in (kind, knowledgeBase.entities.filter { $0.kind == kind }.count) }

        if json {
            let document = JSONValue.object([
                ("root", .string(knowledgeBase.root)),
                ("today", .string(reportDay.description)),
                ("files", .int(knowledgeBase.fileCount)),
                ("entities", .object(counts.map { ($0.0.plural, .int($0.1)) })),
                ("errors", .int(errors)),
                ("warnings", .int(warnings)),
                ("notes", .int(notes)),
                ("diagnostics", .array(diagnostics.map(\.jsonValue))),
                ("continuity", .array(findings.map(Self.json))),
                ("coverage", Self.json(report.coverage)),
            ])
            printJSONDocument(document)
        } else {
            for diagnostic in diagnostics { print(render(diagnostic)) }
            if !diagnostics.isEmpty { print("") }
            printFindings(findings)
            let summary = counts.filter { $0.1 > 0 }.map { "\($0.1) \($0.1 == 1 ? $0.0.rawValue : $0.0.plural)" }
            let milliseconds = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
            let what = summary.isEmpty ? "" : " (\(summary.joined(separator: ", ")))"
            let files = knowledgeBase.fileCount == 1 ? "1 file" : "\(knowledgeBase.fileCount) files"
            print("Checked baton.yml and \(files)\(what) in \(Int(milliseconds.rounded())) ms, as of \(reportDay).")
            print("Coverage: " + Self.describe(report.coverage))
            let verdict = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s"), "
                + "\(notes) note\(notes == 1 ? "" : "s")"
            print(errors > 0 ? Terminal.styled(verdict, .red, .bold)
                  : Terminal.styled(verdict, warnings > 0 ? .yellow : .green, .bold))
        }
        if unreadable > 0 { throw ExitCode(2) }
        if errors > 0 || (strict && warnings > 0) { throw ExitCode(1) }
    }

    private func printFindings(_ findings: [ContinuityReport.Finding]) {
        guard !findings.isEmpty else { return }
        print(Terminal.styled("Continuity", .bold))
        var rule = ""
        for finding in findings {
            if finding.rule != rule {
                rule = finding.rule
                let count = findings.filter { $0.rule == rule }.count
                print("  " + label(finding.severity) + " " + Terminal.styled("\(rule) (\(count))", .bold))
            }
            let place = finding.line.map { "\(finding.file):\($0)" } ?? finding.file
            print("    " + Terminal.styled(place, .dim) + "  " + finding.message)
            print("      " + Terminal.styled("→ " + finding.hint, .dim))
        }
        print("")
    }

    private func label(_ severity: Diagnostic.Severity) -> String {
        switch severity {
        case .unreadable, .error: return Terminal.styled("error:", .red, .bold)
        case .warning: return Terminal.styled("warning:", .yellow, .bold)
        case .note: return Terminal.styled("note:", .blue, .bold)
        }
    }

    private func render(_ diagnostic: Diagnostic) -> String {
        let place = diagnostic.line.map { "\(diagnostic.file):\($0)" } ?? diagnostic.file
        return "\(Terminal.styled(place, .bold)): \(label(diagnostic.severity)) \(diagnostic.message) "
            + Terminal.styled("[\(diagnostic.code)]", .dim)
    }

    // MARK: What if someone leaves

    private func simulate(_ leaver: String, _ analyzer: ContinuityAnalyzer) throws {
        let person = try analyzer.knowledgeBase.lookup(leaver, [.person], list: "baton list --type people")
        let day = on.flatMap(Day.init) ?? reportDay
        let impact = analyzer.departureImpact(of: person, on: day)
        let kb = analyzer.knowledgeBase
        func titled(_ ids: [String]) -> [String] { ids.map { "\($0) (\(kb.entity(id: $0)?.title ?? $0))" } }
        if json {
            printJSONDocument(JSONValue.object([
                ("person", .string(impact.person)), ("name", .string(impact.name)), ("leaves", .string(day.description)),
                ("roles_losing_only_holder", .array(impact.rolesLosingOnlyHolder.map(JSONValue.string))),
                ("knowledge_losing_owner", .array(impact.knowledgeLosingOwner.map(JSONValue.string))),
                ("broken_peer_pairs", .array(impact.brokenPeerPairs.map(JSONValue.string))),
                ("stalled_handovers", .array(impact.stalledHandovers.map(JSONValue.string))),
                ("stalled_onboardings", .array(impact.stalledOnboardings.map(JSONValue.string))),
                ("cover_lost", .array(impact.coverLost.map(JSONValue.string))),
                ("coverage_before", Self.json(impact.before)), ("coverage_after", Self.json(impact.after)),
                ("new_findings", .array(impact.newFindings.map(Self.json))),
            ]))
            return
        }
        print(Terminal.styled("If \(impact.name) leaves on \(day):", .bold))
        let sections: [(String, [String])] = [
            ("Roles left with no holder", titled(impact.rolesLosingOnlyHolder)),
            ("Knowledge left with no owner", titled(impact.knowledgeLosingOwner)),
            ("Peer pairs broken (their counterpart)", titled(impact.brokenPeerPairs)),
            ("People losing their deputy or successor", titled(impact.coverLost)),
            ("Handovers that stall", titled(impact.stalledHandovers)),
            ("Onboardings that lose their newcomer or buddy", titled(impact.stalledOnboardings)),
        ]
        for (heading, items) in sections {
            print("  \(heading): " + (items.isEmpty ? Terminal.styled("none", .dim) : "\(items.count)"))
            for item in items { print("    - \(item)") }
        }
        print("  Coverage before: " + Self.describe(impact.before))
        print("  Coverage after:  " + Self.describe(impact.after))
        if !impact.newFindings.isEmpty {
            print("  New findings:")
            for finding in impact.newFindings {
                print("    \(finding.severity.label) \(finding.rule): \(finding.message)")
            }
        }
    }

    // MARK: Shared output

    static func json(_ finding: ContinuityReport.Finding) -> JSONValue {
        .object([
            ("severity", .string(finding.severity.label)), ("rule", .string(finding.rule)),
            ("entity", .string(finding.entity)), ("file", .string(finding.file)),
            ("line", finding.line.map { .int($0) } ?? .null), ("message", .string(finding.message)),
            ("hint", .string(finding.hint)),
        ])
    }

    static func json(_ coverage: ContinuityReport.Coverage) -> JSONValue {
        func value(_ share: Double?) -> JSONValue { share.map { .number(($0 * 1000).rounded() / 1000) } ?? .null }
        return .object([
            ("key_people_with_successor", value(coverage.keyPeopleWithSuccessor)),
            ("roles_with_onboarding", value(coverage.rolesWithOnboarding)),
            ("knowledge_reviewed_on_time", value(coverage.knowledgeReviewedOnTime)),
        ])
    }

    static func describe(_ coverage: ContinuityReport.Coverage) -> String {
        func percent(_ share: Double?) -> String { share.map { "\(Int(($0 * 100).rounded())) %" } ?? "n/a" }
        return "key people with a successor \(percent(coverage.keyPeopleWithSuccessor)), "
            + "roles with an onboarding path \(percent(coverage.rolesWithOnboarding)), "
            + "knowledge reviewed on time \(percent(coverage.knowledgeReviewedOnTime))"
    }
}

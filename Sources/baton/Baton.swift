import ArgumentParser
import BatonContent
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `baton` command: keeps a partnership's onboarding and continuity knowledge as Markdown files.
@main
struct Baton: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baton",
        abstract: "Onboarding and continuity knowledge for long IT partnerships.",
        discussion: """
            A knowledge base is a folder with baton.yml and content/ (roles, people, checklists, handovers, \
            onboardings, knowledge entries, health checks and KPI measurements as Markdown with YAML front matter). Commands find it from the current folder \
            upwards, or take --root DIR.

            Exit codes: 0 success, 1 findings (baton check) or a failed file (baton import), 2 usage or input error.

            Commands that write hold a lock on the knowledge base (.baton/lock; another waits up to \
            BATON_LOCK_TIMEOUT seconds, default 30), and a change that a killed command left half done is \
            finished by the next command before it reads anything.

            Examples:
              baton init my-partnership
              baton new role client-service-manager --title "Client Service Manager"
              baton list --type people
              baton show client-service-manager
              baton check
              baton search "exit plan"
              baton onboard northmoor-relationship-manager --start 2026-12-07
              baton handover start --from gareth-lowe --to nadia-farouk
              baton import ~/exports/intranet --section communications
              baton health
              baton escalation --function commercial
              baton calendar --output partnership.ics
              baton plan --format html --output plan.html
              baton build --audience public --output public-site
              baton serve --port 8000
              baton theme export site
            """,
        version: "0.1.0",
        subcommands: [InitCommand.self, NewCommand.self, ListCommand.self, ShowCommand.self, CheckCommand.self,
                      IndexCommand.self, SearchCommand.self, OnboardCommand.self, HandoverCommand.self,
                      ImportCommand.self, HealthCommand.self, EscalationCommand.self, CalendarCommand.self, PlanCommand.self, BuildCommand.self, ServeCommand.self, ThemeCommand.self]
    )

    /// Runs the command line, mapping failures to Baton's exit codes: usage errors exit 2, not 64.
    static func main() {
        Temporaries.removeOnSignals()
        let arguments = normalisedArguments(Array(CommandLine.arguments.dropFirst()))
        if let today = ProcessInfo.processInfo.environment["BATON_TODAY"], Day(today) == nil {
            Terminal.error("BATON_TODAY is '\(today)', which is not a date; write it as YYYY-MM-DD or unset it")
            terminate(2)
        }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch let failure as CLIFailure {
            Terminal.error(failure.message)
            terminate(failure.code)
        } catch let code as ExitCode {
            terminate(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                terminate(0)
            }
            Terminal.standardError(fullMessage(for: error))
            terminate(2)
        }
    }
}

extension Baton {
    /// The command line as ArgumentParser reads it, after two conveniences of git's: `--root DIR` (or
    /// `--root=DIR`) may come before the subcommand (`baton --root kb check`), and an unknown command is
    /// named with the nearest one (`baton biuld` → "did you mean 'build'?") instead of a generic error.
    static func normalisedArguments(_ arguments: [String]) -> [String] {
        var rest = arguments
        var root: [String] = []
        while let first = rest.first {
            if first == "--root", rest.count >= 2 {
                root = Array(rest[0...1])
                rest.removeFirst(2)
            } else if first.hasPrefix("--root=") {
                root = [first]
                rest.removeFirst()
            } else {
                break
            }
        }
        let names = configuration.subcommands.map { $0._commandName }
        if let first = rest.first, !first.hasPrefix("-"), !names.contains(first), first != "help" {
            let hint = EditDistance.nearest(to: first, in: names).map { "did you mean '\($0)'? " } ?? ""
            Terminal.error("unknown command '\(first)'; \(hint)The commands are: \(names.joined(separator: ", ")) "
                + "('baton --help' says what each does)")
            terminate(2)
        }
        guard !root.isEmpty else { return rest }
        // Options may stand anywhere after the subcommand, but not after `--`.
        if let end = rest.firstIndex(of: "--") { rest.insert(contentsOf: root, at: end) } else { rest += root }
        return rest
    }
}

/// A failure the user can act on: one line on stderr and an exit code.
struct CLIFailure: Error {
    var message: String
    var code: Int32 = 2
}

/// Ends the process with `code` (the C library's `exit`, named apart from ArgumentParser's `exit(withError:)`).
func terminate(_ code: Int32) -> Never {
    exit(code)
}

import ArgumentParser
import BatonContent
import Foundation

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write the relationship management plan as one document.",
        discussion: """
            The Enterprise Relationship Management Plan, from the knowledge base: the partnership and why it \
            exists, then its ten sections — organisational arrangements as who's who by tier and discipline on \
            both sides with peer pairs, deputies and successors; each section's knowledge with owner, IP, \
            sharing and review state; the escalation ladder under management activities, the meeting cadence \
            under communications, the exit triggers under exit arrangements — and a completeness report: \
            sections with no entry, entries overdue for review, roles without an onboarding path, key people \
            without a successor. Only what the audience may see. Markdown, or HTML that prints on A4 and Letter; \
            the site has it as plan.html.

            Examples:
              baton plan > plan.md
              baton plan --format html --output plan.html
              baton plan --audience public --format html --output public-plan.html
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case markdown, html }

    @Option(help: "markdown or html.")
    var format: Format = .markdown

    @Option(help: "Only what this audience may see: public, internal or restricted.")
    var audience: Confidentiality = .internal

    @Option(help: "Write to this file (atomically) instead of standard output.", completion: .file())
    var output: String?

    @OptionGroup var options: RootOptions

    func run() throws {
        let knowledgeBase = try options.loadForReading()
        let today = Day.today(environment: ProcessInfo.processInfo.environment)
        let plan = RelationshipPlan(knowledgeBase: knowledgeBase, audience: audience, today: today)
        let markdown = plan.markdown()
        let text = format == .markdown ? markdown : Self.page(title: "Relationship management plan: " + knowledgeBase.config.title,
                                                             body: MarkdownSummary.html(for: markdown))
        guard try writeDocument(text, to: output), let output else { return }
        let gaps = plan.completeness()
        Terminal.standardError("Wrote the plan to \(output)" + (gaps.isComplete ? "." : "; its completeness report lists what is missing."))
    }

    /// A standalone page that reads on screen and prints on A4 or Letter.
    static func page(title: String, body: String) -> String {
        let escaped = title.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escaped)</title>
            <style>
            body { font: 11pt/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2329; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }
            h1 { font-size: 1.8rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #d5dbe1; } h3 { margin-top: 1.2rem; }
            table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92em; }
            th, td { border: 1px solid #d5dbe1; padding: .25rem .45rem; text-align: left; vertical-align: top; }
            @page { size: auto; margin: 16mm 14mm; }
            @media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } tr, li { break-inside: avoid; } }
            </style>
            </head>
            <body>
            \(body)
            </body>
            </html>

            """
    }
}

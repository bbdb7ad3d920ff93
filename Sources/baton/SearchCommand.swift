import BatonJSON
import ArgumentParser
import BatonContent
import BatonSearch
import Foundation

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the knowledge base.",
        discussion: """
            Query language:
              words            one or two words: all must match (else the pages
                               with most); three or more: pages with any, those
                               with more of them and with them in the title first
              "a phrase"       the words side by side first, then near each other
              prefix*          words starting so            escal*
                               ("escal*" in quotes: the word itself; punctuation
                               such as * is never part of a word)
              word~ word~2     within 1 or 2 typing errors  contarct~
              a OR b, -word    either; must not match
              title:word       only in titles (also headings:, body:, tags:)
              type:person      filter by kind; also organisation:, tier:, role:,
                               section:, confidentiality:, owner:, tag:
              ( … ), f:( … )   grouping; a field for the group  title:(exit OR plan)

            A plain word of five letters or more that no page has is taken for a typing error: the nearest \
            words the pages have stand in for it at a lower weight, and the results say "Showing results for …".

            The index in .baton/index is brought up to date first when entities changed. --explain shows \
            why each result ranks where it does: every term it matches, its weight (idf) and its score in each \
            field, and for a query of three words or more how many of them the page has.

            Examples:
              baton search "exit plan"
              baton search 'handover OR hand-off' --type knowledge
              baton search "section:exit-arrangements ip" --json
              baton search "who signs off a contract change" --explain --limit 3
            """)

    @Argument(help: "The query.")
    var query: String

    @Option(name: .long, help: "Only this kind: role, person, checklist, handover, onboarding, knowledge, healthcheck or kpi.")
    var type: EntityKind?

    @Option(help: "How many results to show.")
    var limit = 10

    @Option(help: "Only what this audience may see: public, internal or restricted (everything).")
    var audience: Confidentiality = .restricted

    @Flag(help: "Treat the last word as a prefix (search as you type).")
    var prefix = false

    @Flag(help: "Print JSON: hits with score, snippet (HTML) and anchor, total, facets, notices.")
    var json = false

    @Flag(help: "Show why each result ranks where it does (in JSON: an \"explain\" object per hit).")
    var explain = false

    @OptionGroup var options: RootOptions

    func validate() throws {
        guard limit >= 1 && limit <= 1000 else { throw ValidationError("--limit must be between 1 and 1000") }
    }

    func run() throws {
        let knowledgeBase = try options.loadForReading()
        let knowledgeIndex = KnowledgeIndex(knowledgeBase: knowledgeBase)
        let index: SearchIndex
        do {
            // Bringing the index up to date writes it: under the lock, unless the folder cannot be written
            // at all (a read-only copy), where the index is only read.
            var lock: KnowledgeBaseLock?
            do {
                lock = try RootOptions.acquire(root: knowledgeBase.root, command: "search")
            } catch {
                if case .timedOut = error { throw error }
            }
            let opened = try withExtendedLifetime(lock) { try knowledgeIndex.openUpToDate() }
            index = opened.0
            if let repaired = opened.1.repaired { Terminal.warning("rebuilt the search index, which was damaged: \(repaired)") }
        } catch {
            throw CLIFailure(message: "\(error)")
        }
        let searchOptions = KnowledgeSearch.options(knowledgeIndex, limit: limit, audience: audience, type: type,
                                                    prefix: prefix, explain: explain)
        if let mistake = KnowledgeSearch.filterMistake(in: query, knowledgeBase: knowledgeBase, schema: index.schema) {
            throw CLIFailure(message: mistake)
        }
        let results: SearchResults
        do {
            results = try Searcher(index: index).search(query, options: searchOptions)
        } catch {
            throw CLIFailure(message: "the query cannot be read: \(error.description)")
        }
        if json {
            printJSON(results, knowledgeBase)
        } else {
            printText(results, knowledgeBase)
        }
    }

    private func printJSON(_ results: SearchResults, _ knowledgeBase: KnowledgeBase) {
        printJSONDocument(KnowledgeSearch.json(query: query, results: results, knowledgeBase: knowledgeBase))
    }

    private func printText(_ results: SearchResults, _ knowledgeBase: KnowledgeBase) {
        if let notice = results.notice { print(Terminal.styled(notice, .yellow)) }
        guard !results.hits.isEmpty else {
            print("No results for \(query).")
            if let suggestion = results.suggestion {
                print("Did you mean: " + Terminal.styled(suggestion, .bold) + "?")
            }
            return
        }
        // Results with the same title (the same role on both sides) are told apart by organisation or section.
        let titles = Dictionary(grouping: results.hits, by: \.title).filter { $0.value.count > 1 }
        for (number, hit) in results.hits.enumerated() {
            let entity = knowledgeBase.entity(id: hit.id)
            let kind = entity?.kind.rawValue ?? ""
            let anchor = hit.anchor.map { "#\($0)" } ?? ""
            var title = hit.title
            if titles[hit.title] != nil, let entity, let where_ = Self.distinction(entity, knowledgeBase) { title += " (\(where_))" }
            print(Terminal.styled("\(number + 1). ", .dim) + Terminal.styled(title, .bold) + "  "
                + Terminal.styled("\(kind) · \(hit.id)\(anchor)", .cyan))
            if !hit.snippet.isEmpty { print("   " + terminalSnippet(hit.snippet)) }
            if let explanation = hit.explanation { Self.printExplanation(explanation) }
        }
        let shown = results.hits.count
        if let total = results.total {
            var line = "\(total) result\(total == 1 ? "" : "s")"
            if total > shown { line += ", \(shown) shown" }
            if let types = results.facets["type"], types.count > 1 {
                line += " · " + types.map { "\($0.value) \($0.count)" }.joined(separator: ", ")
            }
            print(Terminal.styled(line, .dim))
        }
    }

    /// The explanation under a result: the total, then a line per matched term with its score by field.
    static func printExplanation(_ explanation: Explanation) {
        func number(_ value: Double) -> String { String(format: "%.3f", value) }
        var total = "   score \(number(explanation.score))"
        if let coordination = explanation.coordination {
            total += " = \(number(explanation.parts.reduce(0) { $0 + $1.score })) × \(number(coordination.factor))"
                + " (has \(coordination.matched) of \(coordination.words) words)"
        }
        print(Terminal.styled(total, .dim))
        for part in explanation.parts {
            var line = "     \(part.term)  \(number(part.score))  idf \(number(part.idf))"
            if part.boost != 1 { line += " × \(number(part.boost)) (near word)" }
            let fields = part.fields.map { "\($0.name) \(Int($0.frequency))× \(number($0.score))" }
            line += fields.isEmpty ? (part.term.hasPrefix("\"") ? "  (phrase)" : "") : "  · " + fields.joined(separator: ", ")
            print(Terminal.styled(line, .dim))
        }
    }

    /// What tells an entity apart from another of the same title: its organisation, or its plan section.
    static func distinction(_ entity: Entity, _ knowledgeBase: KnowledgeBase) -> String? {
        let organisation = entity.role?.organisation ?? entity.person?.organisation
        if let organisation { return knowledgeBase.config.organisation(organisation)?.name ?? organisation }
        return entity.knowledge?.section?.title
    }

    /// The snippet's HTML for a terminal: marks highlighted (or left plain when piped), entities decoded.
    private func terminalSnippet(_ html: String) -> String {
        var text = html
        let open = Terminal.useColour ? "\u{1B}[1;33m" : ""
        let close = Terminal.useColour ? "\u{1B}[0m" : ""
        text = text.replacingOccurrences(of: "<mark>", with: open).replacingOccurrences(of: "</mark>", with: close)
        for (entity, character) in [("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&amp;", "&")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }
}

extension Confidentiality: ExpressibleByArgument {}

import Foundation
import Testing

/// The built `baton` executable, run as a user runs it, on fixture knowledge bases.
@Suite struct CLITests {
    @Test func checkOnACleanKnowledgeBaseExitsZero() throws {
        let result = try Baton.run(["check", "--root", Baton.fixture("clean")])
        #expect(result.status == 0)
        #expect(result.output.contains("0 errors"))
    }

    @Test func checkNamesTheFileAndLineOfABrokenReferenceAndExitsOne() throws {
        let result = try Baton.run(["check", "--root", Baton.fixture("broken-reference")])
        #expect(result.status == 1)
        #expect(result.output.contains("content/people/ben-okoro.md:4: error: 'deputy' refers to 'nobody-at-all'"))
        #expect(result.output.contains("[reference.dangling]"))
    }

    @Test func checkOnMalformedYAMLExitsTwoWithTheLine() throws {
        let result = try Baton.run(["check", "--root", Baton.fixture("malformed-yaml")])
        #expect(result.status == 2)
        #expect(result.output.contains("content/people/cara-lind.md:4: error: malformed YAML"))
    }

    @Test func checkJSONListsTheDiagnostics() throws {
        let result = try Baton.run(["check", "--json", "--root", Baton.fixture("broken-reference")])
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(document["errors"] as? Int == 1)
        let diagnostics = try #require(document["diagnostics"] as? [[String: Any]])
        #expect(diagnostics.first?["line"] as? Int == 4)
        #expect(diagnostics.first?["code"] as? String == "reference.dangling")
    }

    @Test func usageErrorsExitTwo() throws {
        let unknown = try Baton.run(["frobnicate"])
        #expect(unknown.status == 2)
        #expect(unknown.error.contains("unknown command 'frobnicate'") && unknown.error.contains("build, serve, theme"))
        let typo = try Baton.run(["biuld", "--output", "x"])
        #expect(typo.status == 2 && typo.error.contains("did you mean 'build'?"), "\(typo.error)")
        // --root may come before the subcommand, as git's -C does.
        let early = try Baton.run(["--root", Baton.fixture("clean"), "list", "--type", "roles"])
        #expect(early.status == 0 && early.output.contains("roles/client-lead"), "\(early.error)")
        let joined = try Baton.run(["--root=" + Baton.fixture("clean"), "check"])
        #expect(joined.status == 0, "\(joined.error)")
        let badType = try Baton.run(["list", "--type", "spaceship", "--root", Baton.fixture("clean")])
        #expect(badType.status == 2)
    }

    @Test func helpExitsZeroWithExamples() throws {
        let result = try Baton.run(["check", "--help"])
        #expect(result.status == 0)
        #expect(result.output.contains("Examples:"))
    }

    /// At 80 columns (help through a pipe), no example is broken in the middle of a command and the query
    /// language table keeps its columns: every line of those blocks stays indented.
    @Test(arguments: ["", "init", "new", "list", "show", "check", "index", "search", "onboard", "onboard start",
                      "onboard status", "onboard tick", "onboard complete", "handover", "handover start", "handover status", "handover tick", "handover untick", "handover complete",
                      "import", "build", "theme", "theme export"])
    func helpExamplesAndTablesAreNeverBroken(command: String) throws {
        let result = try Baton.run(command.split(separator: " ").map(String.init) + ["--help"])
        #expect(result.status == 0)
        var block: String?
        for line in result.output.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if ["Examples:", "Example:", "Query language:"].contains(trimmed) {
                block = trimmed
            } else if let name = block {
                if trimmed.isEmpty { block = nil } else {
                    #expect(line.hasPrefix("  ") && line.count <= 80, "baton \(command) --help, \(name) '\(line)'")
                }
            }
        }
    }

    /// Shell completion asks baton for ids of the right kind from the knowledge base on the line, and the
    /// generated scripts complete --root with folders.
    @Test func completionOffersEntityIDsAndFolders() throws {
        let root = Baton.fixture("clean")
        // The word being completed comes last, as the cursor is at the end of the line.
        let people = try Baton.run(["---completion", "onboard", "plan", "--", "--person", "7", "0",
                                    "baton", "onboard", "plan", "client-lead", "--root", root, "--person", ""])
        #expect(people.output.split(separator: "\n") == ["ana-silva"], "\(people.output)")
        let roles = try Baton.run(["---completion", "onboard", "plan", "--", "positional@0", "5", "3",
                                   "baton", "onboard", "plan", "--root", root, "cli"])
        #expect(roles.output.split(separator: "\n") == ["client-lead"], "\(roles.output)")
        let any = try Baton.run(["---completion", "show", "--", "positional@0", "4", "6",
                                 "baton", "show", "--root", root, "roles/"])
        #expect(any.output.split(separator: "\n") == ["roles/client-lead", "roles/supplier-lead"], "\(any.output)")
        for shell in ["bash", "zsh", "fish"] {
            let script = try Baton.run(["--generate-completion-script", shell])
            #expect(script.status == 0 && script.output.contains("---completion"), "\(shell)")
        }
        let bash = try Baton.run(["--generate-completion-script", "bash"]).output
        #expect(bash.contains("-o dirnames") || bash.contains("compgen -d") || bash.contains("__baton_add_completions -d"), "folders for --root")
    }

    /// Every command that prints data prints one JSON object whose first key is "version": 1.
    @Test func everyJSONDocumentIsAVersionedObject() throws {
        let root = NSTemporaryDirectory() + "baton-json-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: Baton.fixture("clean"), toPath: root)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let commands: [[String]] = [
            ["list"], ["show", "client-lead"], ["check"], ["search", "exit"], ["index"], ["index", "--verify"],
            ["onboard", "client-lead"], ["handover", "status"], ["build", "--output", root + "-site"],
            ["import", ImportCLITests.importFixtures + "/book.xml", "--dry-run"], ["theme", "export", root + "-theme"],
        ]
        defer {
            try? FileManager.default.removeItem(atPath: root + "-site")
            try? FileManager.default.removeItem(atPath: root + "-theme")
        }
        for arguments in commands {
            let result = try Baton.run(arguments + ["--json", "--root", root])
            #expect(result.status == 0 || arguments == ["check"], "\(arguments): \(result.error)")
            #expect(result.output.hasPrefix("{\n  \"version\": 1,"), "\(arguments): \(result.output.prefix(80))")
            #expect((try? JSONSerialization.jsonObject(with: Data(result.output.utf8))) is [String: Any], "\(arguments)")
        }
    }

    @Test func aFolderWithoutBatonYmlIsAnInputError() throws {
        let empty = NSTemporaryDirectory() + "baton-empty-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let result = try Baton.run(["list", "--root", empty])
        #expect(result.status == 2)
        #expect(result.error.contains("has no baton.yml"))
    }

    @Test func listJSONIsAnObjectWithTheEntities() throws {
        let result = try Baton.run(["list", "--json", "--root", Baton.fixture("clean")])
        #expect(result.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(document["version"] as? Int == 1)
        let items = try #require(document["entities"] as? [[String: Any]])
        #expect(items.compactMap { $0["id"] as? String } == [
            "knowledge/exit-arrangements/exit-plan", "people/ana-silva", "roles/client-lead", "roles/supplier-lead",
        ])
        #expect(items.first?["confidentiality"] as? String == "public")
    }

    @Test func listFiltersByType() throws {
        let result = try Baton.run(["list", "--type", "roles", "--root", Baton.fixture("clean")])
        #expect(result.status == 0)
        #expect(result.output.contains("roles/client-lead"))
        #expect(!result.output.contains("people/ana-silva"))
    }

    @Test func showResolvesShortIDsAndListsReferrers() throws {
        let result = try Baton.run(["show", "client-lead", "--root", Baton.fixture("clean")])
        #expect(result.status == 0)
        #expect(result.output.contains("roles/client-lead"))
        #expect(result.output.contains("counterpart: supplier-lead (Supplier lead)"))
        #expect(result.output.contains("people/ana-silva (roles) Ana Silva"))
    }

    @Test func showJSONCarriesTheFields() throws {
        let result = try Baton.run(["show", "exit-plan", "--json", "--root", Baton.fixture("clean")])
        #expect(result.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(document["id"] as? String == "knowledge/exit-arrangements/exit-plan")
        let headings = try #require(document["headings"] as? [[String: Any]])
        #expect(headings.first?["anchor"] as? String == "exit-plan")
        let references = try #require(document["references"] as? [[String: Any]])
        #expect(references.first?["id"] as? String == "people/ana-silva")
    }

    @Test func showOfAnUnknownIDExitsTwo() throws {
        let result = try Baton.run(["show", "nobody", "--root", Baton.fixture("clean")])
        #expect(result.status == 2)
        #expect(result.error.contains("no entity has the id 'nobody'"))
    }

    @Test func initThenNewMakesAValidKnowledgeBase() throws {
        let root = NSTemporaryDirectory() + "baton-init-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try Baton.run(["init", root]).status == 0)
        #expect(try Baton.run(["check", "--root", root]).status == 0)
        for (kind, id) in [("role", "service-lead"), ("person", "dee-marsh"), ("checklist", "lead-handover"),
                           ("knowledge", "exit-arrangements/exit-plan")] {
            let made = try Baton.run(["new", kind, id, "--root", root])
            #expect(made.status == 0, "\(kind): \(made.error)")
        }
        let check = try Baton.run(["check", "--root", root])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("4 files"))
        // A second init or new refuses to overwrite.
        #expect(try Baton.run(["init", root]).status == 2)
        let again = try Baton.run(["new", "role", "service-lead", "--root", root])
        #expect(again.status == 2)
        #expect(again.error.contains("already exists"))
    }

    @Test func newRejectsABadID() throws {
        let result = try Baton.run(["new", "knowledge", "exit-plan", "--root", Baton.fixture("clean")])
        #expect(result.status == 2)
        #expect(result.error.contains("names its plan section first"))
    }
}

/// The continuity report through the command line.
@Suite struct ContinuityCLITests {
    @Test func continuityWarningsFailOnlyWithStrict() throws {
        // The clean fixture: Ana is a key person with no successor (a warning).
        let plain = try Baton.run(["check", "--today", "2026-06-01", "--root", Baton.fixture("clean")])
        #expect(plain.status == 0)
        #expect(plain.output.contains("key-person-no-successor"))
        #expect(plain.output.contains("Coverage: key people with a successor 0 %"))
        let strict = try Baton.run(["check", "--strict", "--today", "2026-06-01", "--root", Baton.fixture("clean")])
        #expect(strict.status == 1)
    }

    @Test func ruleFilterAndJSON() throws {
        let result = try Baton.run(["check", "--json", "--rule", "role-no-holder", "--today", "2026-06-01",
                                    "--root", Baton.fixture("clean")])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let findings = try #require(document["continuity"] as? [[String: Any]])
        #expect(findings.map { $0["rule"] as? String } == ["role-no-holder"])
        #expect(findings.first?["entity"] as? String == "roles/supplier-lead")
        #expect(document["today"] as? String == "2026-06-01")
        let unknown = try Baton.run(["check", "--rule", "made-up", "--root", Baton.fixture("clean")])
        #expect(unknown.status == 2)
        #expect(unknown.error.contains("unknown rule 'made-up'"))
    }

    @Test func ifLeavesSimulatesWithoutWriting() throws {
        let result = try Baton.run(["check", "--if-leaves", "ana-silva", "--on", "2026-07-01", "--today", "2026-06-01",
                                    "--json", "--root", Baton.fixture("clean")])
        #expect(result.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(document["roles_losing_only_holder"] as? [String] == ["roles/client-lead"])
        #expect(document["knowledge_losing_owner"] as? [String] == ["knowledge/exit-arrangements/exit-plan"])
        let nobody = try Baton.run(["check", "--if-leaves", "nobody", "--root", Baton.fixture("clean")])
        #expect(nobody.status == 2)
    }
}

@Suite struct OnboardCLITests {
    @Test func markdownAndJSONPlans() throws {
        let markdown = try Baton.run(["onboard", "client-lead", "--start", "2026-12-05", "--format", "markdown",
                                      "--root", Baton.fixture("clean")])
        #expect(markdown.status == 0, "\(markdown.error)")
        #expect(markdown.output.hasPrefix("# Onboarding: Client lead, Client Ltd"))
        #expect(markdown.output.contains("Your first day is **2026-12-07**"))
        let json = try Baton.run(["onboard", "client-lead", "--start", "2026-12-05", "--format", "json",
                                  "--root", Baton.fixture("clean")])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(document["start"] as? String == "2026-12-07")
        let people = try #require(document["people_to_meet"] as? [[String: Any]])
        #expect(people.first?["id"] as? String == "people/ana-silva")
    }

    @Test func unknownRoleOrBadDateIsAUsageError() throws {
        #expect(try Baton.run(["onboard", "nobody", "--root", Baton.fixture("clean")]).status == 2)
        #expect(try Baton.run(["onboard", "client-lead", "--start", "tomorrow", "--root", Baton.fixture("clean")]).status == 2)
    }
}

/// `baton import` through the command line.
@Suite struct ImportCLITests {
    static let importFixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../BatonImportTests/Fixtures").standardizedFileURL.path

    /// A copy of the clean fixture, so that imports can write.
    func scratchKnowledgeBase() throws -> String {
        let root = NSTemporaryDirectory() + "baton-cli-import-" + UUID().uuidString
        try FileManager.default.copyItem(atPath: Baton.fixture("clean"), toPath: root)
        return root
    }

    @Test func importsAndReportsInJSONThenChecksClean() throws {
        let root = try scratchKnowledgeBase()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try Baton.run(["import", Self.importFixtures + "/split-book", "--section", "management-activities",
                                    "--json", "--root", root])
        #expect(result.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let totals = try #require(document["totals"] as? [String: Int])
        #expect(totals["imported"] == 3)
        #expect(totals["skipped"] == 2)
        #expect(totals["failed"] == 0)
        let check = try Baton.run(["check", "--root", root])
        #expect(check.status == 0)
        // The same import again changes nothing.
        let again = try Baton.run(["import", Self.importFixtures + "/split-book", "--section", "management-activities",
                                   "--root", root])
        #expect(again.output.contains("3 unchanged"))
    }

    @Test func aFileThatKeepsLittleOfItsTextIsWarnedAboutAndRefusedUnderStrict() throws {
        let root = try scratchKnowledgeBase()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let page = Self.importFixtures + "/kept/summary-in-main.html"
        let strict = try Baton.run(["import", page, "--strict", "--root", root])
        #expect(strict.status == 1)
        #expect(strict.error.contains("summary-in-main.html: kept 10 % of its visible text (12 of 115 words), below the 80 % threshold; nothing written (--strict)"))
        #expect(!FileManager.default.fileExists(atPath: root + "/content/knowledge/knowledge-management/summary-in-main.md"))
        let warned = try Baton.run(["import", page, "--dry-run", "--root", root])
        #expect(warned.status == 0)
        #expect(warned.error.contains("summary-in-main.html: kept 10 % of its visible text (12 of 115 words), below 80 %"))
        #expect(warned.output.contains("Text kept: 10 % of 115 words in 1 file; 1 below 80 %, least: summary-in-main.html 10 %."))
        let json = try Baton.run(["import", page, "--dry-run", "--json", "--min-kept", "5", "--root", root])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect((document["totals"] as? [String: Int])?["below_min_kept"] == 0)
        let least = try #require((document["least_kept"] as? [[String: Any]])?.first)
        #expect(least["kept"] as? Double == 0.104)
        #expect(least["source_words"] as? Int == 115)
        #expect(((document["files"] as? [[String: Any]])?.first?["kept"] as? Double) == 0.104)
        let bad = try Baton.run(["import", page, "--min-kept", "120", "--root", root])
        #expect(bad.status == 2)
        #expect(bad.error.contains("--min-kept must be a percentage from 0 to 100"))
    }

    @Test func aFailedFileIsNamedAndTheExitIsNonZero() throws {
        let root = try scratchKnowledgeBase()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try Baton.run(["import", Self.importFixtures + "/billion-laughs.xml", "--root", root])
        #expect(result.status == 1)
        #expect(result.error.contains("billion-laughs.xml"))
        #expect(result.error.contains("entity bomb"))
        let wrongType = try Baton.run(["import", Self.importFixtures + "/book.xml", "--type", "role", "--root", root])
        #expect(wrongType.status == 2)
        #expect(wrongType.error.contains("--type must be knowledge"))
    }
}

/// `baton build` through the command line, with the theme built into the executable.
@Suite struct BuildCLITests {
    @Test func aBatonCopiedAloneOntoThePathBuildsACompleteSite() throws {
        let folder = NSTemporaryDirectory() + "baton-alone-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Baton.executable.path, toPath: folder + "/bin/baton")
        func run(_ arguments: [String]) throws -> Baton.Result {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "baton \"$@\"", "baton"] + arguments
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = folder + "/bin:/usr/bin:/bin"
            process.environment = environment
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            let output = Pipe()
            let error = Pipe()
            process.standardOutput = output
            process.standardError = error
            try process.run()
            let out = output.fileHandleForReading.readDataToEndOfFile()
            let err = error.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return Baton.Result(status: process.terminationStatus, output: String(decoding: out, as: UTF8.self),
                                error: String(decoding: err, as: UTF8.self))
        }
        let build = try run(["build", "--root", Baton.fixture("clean"), "--output", folder + "/site"])
        #expect(build.status == 0, "\(build.error)")
        for file in ["index.html", "assets/style.css", "search/meta.js", "search.html"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/site/" + file), "\(file)")
        }
        let export = try run(["theme", "export", folder + "/theme"])
        #expect(export.status == 0, "\(export.error)")
        #expect(FileManager.default.fileExists(atPath: folder + "/theme/templates/layout.mustache"))
        let again = try run(["theme", "export", folder + "/theme"])
        #expect(again.status == 2 && again.error.contains("--force"))
    }

    @Test func buildsTheSiteAndReportsIt() throws {
        let output = NSTemporaryDirectory() + "baton-cli-site-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: output) }
        let result = try Baton.run(["build", "--output", output, "--json", "--root", Baton.fixture("clean")])
        #expect(result.status == 0, "\(result.error)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        #expect(document["audience"] as? String == "internal")
        #expect((document["pages"] as? Int ?? 0) > 5)
        #expect(FileManager.default.fileExists(atPath: output + "/index.html"))
        #expect(FileManager.default.fileExists(atPath: output + "/assets/style.css"))
        let wrong = try Baton.run(["build", "--audience", "everyone", "--output", output, "--root", Baton.fixture("clean")])
        #expect(wrong.status == 2)
        let noTheme = try Baton.run(["build", "--theme", "/nonexistent", "--output", output, "--root", Baton.fixture("clean")])
        #expect(noTheme.status == 2)
        #expect(noTheme.error.contains("layout.mustache"))
        // A theme without the entries' template fails while the entries' pages render on their threads: exit 2,
        // the template named, the site built before left as it was and nothing left beside it.
        let theme = NSTemporaryDirectory() + "baton-cli-theme-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: theme) }
        let site = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../site").standardizedFileURL.path
        try FileManager.default.copyItem(atPath: site, toPath: theme)
        try FileManager.default.removeItem(atPath: theme + "/templates/entity.mustache")
        let before = try String(contentsOfFile: output + "/index.html", encoding: .utf8)
        let noEntity = try Baton.run(["build", "--theme", theme, "--output", output, "--root", Baton.fixture("clean")])
        #expect(noEntity.status == 2)
        #expect(noEntity.error.contains("the theme has no template entity.mustache"))
        #expect(try String(contentsOfFile: output + "/index.html", encoding: .utf8) == before)
        let parent = (output as NSString).deletingLastPathComponent, name = (output as NSString).lastPathComponent
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.hasPrefix("." + name + ".baton-") }.isEmpty)
        // An output folder that is not Baton's own: refused, exit 2, the knowledge base untouched.
        let ownRoot = try Baton.run(["build", "--output", Baton.fixture("clean"), "--root", Baton.fixture("clean")])
        #expect(ownRoot.status == 2)
        #expect(ownRoot.error.contains("holds the knowledge base itself"))
        #expect(FileManager.default.fileExists(atPath: Baton.fixture("clean") + "/baton.yml"))
    }
}

import BatonContent
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The reproductions of "nothing restricted leaks, nothing is lost, no input crashes Baton", run as a user runs
/// them: the built `baton` on a copy of the bundled example.
@Suite struct TrustCLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../..").standardizedFileURL.path
    static let today = ["BATON_TODAY": "2026-11-22"]

    /// A copy of the example knowledge base in a fresh folder, removed afterwards.
    final class Example: @unchecked Sendable {
        let folder = NSTemporaryDirectory() + "baton-trust-" + UUID().uuidString
        var root: String { folder + "/kb" }

        init() throws {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: TrustCLITests.repository + "/content", toPath: root + "/content")
            try FileManager.default.copyItem(atPath: TrustCLITests.repository + "/baton.yml", toPath: root + "/baton.yml")
        }

        func write(_ path: String, _ text: String) throws {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }

        func append(_ path: String, _ text: String) throws {
            try write(path, try self.text(path) + text)
        }

        func text(_ path: String) throws -> String { try String(contentsOfFile: root + "/" + path, encoding: .utf8) }

        func run(_ arguments: [String], _ environment: [String: String] = TrustCLITests.today,
                 timeout: Double = 120) throws -> Baton.Result {
            try Baton.run(arguments + ["--root", root], environment: environment, timeout: timeout)
        }

        /// Every content file's text by path (to compare two knowledge bases).
        func contentTexts() -> [String: String] {
            TrustCLITests.files(root + "/content")
        }

        deinit { try? FileManager.default.removeItem(atPath: folder) }
    }

    /// Every file under a folder (links not followed), as text, by relative path.
    static func files(_ folder: String) -> [String: String] {
        var result: [String: String] = [:]
        let walker = FileManager.default.enumerator(atPath: folder)
        while let relative = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: folder + "/" + relative)
            {
                result[relative] = String(decoding: data, as: UTF8.self)
            }
        }
        return result
    }

    static func expectNoCanary(_ site: [String: String], _ canaries: [String], _ context: String,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        for (path, text) in site {
            for canary in canaries {
                #expect(!text.contains(canary), "\(context): \(path) holds \(canary)", sourceLocation: sourceLocation)
            }
        }
    }

    // MARK: - Leaks into a lower-audience build

    @Test func linksToEntitySourcesAndSymlinksPublishNothingRaw() throws {
        let example = try Example()
        try example.append("content/knowledge/exit-arrangements/exit-plan.md", "\nCANARY-EXIT-7731\n")
        let outside = example.folder + "/outside.txt"
        try "CANARY-OUTSIDE-4411\n".write(toFile: outside, atomically: true, encoding: .utf8)
        #expect(symlink(outside, example.root + "/content/knowledge/communications/passwd.txt") == 0)
        try example.write("content/knowledge/communications/leaky.md", """
            ---
            title: Leaky page
            section: communications
            confidentiality: public
            ---
            ![x](../exit-arrangements/exit-plan.md) ![p](../../people/gareth-lowe.md)

            See [the plan](../exit-arrangements/exit-plan.md), [passwords](passwd.txt) and [Gareth](../../people/gareth-lowe.md).

            """)
        let check = try example.run(["check"])
        #expect(check.output.contains("content/knowledge/communications/passwd.txt: warning:") && check.output.contains("file.symlink"))
        // An entity that is a link is an error, and is never read: a build refuses until it is gone.
        #expect(symlink(example.root + "/content/knowledge/exit-arrangements/exit-plan.md",
                        example.root + "/content/knowledge/communications/stolen.md") == 0)
        let linked = try example.run(["check"])
        #expect(linked.status == 1 && linked.output.contains("stolen.md: error: this is a symbolic link"), "\(linked.output)")
        #expect(try example.run(["build", "--output", example.folder + "/refused"]).status == 2)
        try FileManager.default.removeItem(atPath: example.root + "/content/knowledge/communications/stolen.md")
        for audience in ["public", "internal"] {
            let output = example.folder + "/site-" + audience
            let build = try example.run(["build", "--audience", audience, "--output", output])
            #expect(build.status == 0, "\(build.error)")
            let site = Self.files(output)
            #expect(site["knowledge/communications/leaky.html"] != nil)
            #expect(!site.keys.contains { $0.hasSuffix(".md") || $0.hasSuffix("passwd.txt") }, "\(site.keys.sorted())")
            Self.expectNoCanary(site, ["CANARY-EXIT-7731", "CANARY-OUTSIDE-4411", "gareth.lowe@northmoor.example", "1632 960 214"],
                                audience)
        }
    }

    @Test func aSymlinkedContentFolderIsNotFollowedAndAnEmptiedSiteIsRefused() throws {
        let example = try Example()
        let output = example.folder + "/site"
        #expect(try example.run(["build", "--output", output]).status == 0)
        let before = Self.files(output)
        #expect(before.count > 100)
        try FileManager.default.moveItem(atPath: example.root + "/content", toPath: example.folder + "/elsewhere")
        #expect(symlink(example.folder + "/elsewhere", example.root + "/content") == 0)
        let check = try example.run(["check"])
        #expect(check.status == 1 && check.output.contains("content/ is a symbolic link"), "\(check.output)")
        let refused = try example.run(["build", "--output", output])
        #expect(refused.status == 2 && refused.error.contains("validation found"), "\(refused.error)")
        let empty = try example.run(["build", "--output", output, "--force"])
        #expect(empty.status == 2 && empty.error.contains("--allow-empty"), "\(empty.error)")
        #expect(Self.files(output) == before)
        // `--rebuild` recovers the index from anything at all standing in its place.
        try FileManager.default.removeItem(atPath: example.root + "/content")
        try FileManager.default.moveItem(atPath: example.folder + "/elsewhere", toPath: example.root + "/content")
        try? FileManager.default.removeItem(atPath: example.root + "/.baton/index")
        try "not a folder".write(toFile: example.root + "/.baton/index", atomically: true, encoding: .utf8)
        #expect(try example.run(["index", "--rebuild"]).status == 0)
        #expect(try example.run(["search", "exit plan"]).output.contains("Exit plan"))
        try FileManager.default.moveItem(atPath: example.root + "/content", toPath: example.folder + "/elsewhere")
        #expect(symlink(example.folder + "/elsewhere", example.root + "/content") == 0)
        let allowed = try example.run(["build", "--output", output, "--force", "--allow-empty"])
        #expect(allowed.status == 0, "\(allowed.error)")
        #expect(Self.files(output)["roles/northmoor-relationship-manager.html"] == nil)
    }

    @Test func aHandoverNamingRestrictedKnowledgeIsRestricted() throws {
        let example = try Example()
        let start = try example.run(["handover", "start", "--from", "tomasz-wierzbicki", "--to", "sam-adeyemi"])
        #expect(start.status == 0, "\(start.error)")
        #expect(start.output.contains("marked restricted") && start.output.contains("pricing-and-indexation"))
        #expect(try example.text("content/handovers/tomasz-wierzbicki-to-sam-adeyemi.md").contains("confidentiality: restricted"))
        let output = example.folder + "/site"
        #expect(try example.run(["build", "--output", output]).status == 0)
        Self.expectNoCanary(Self.files(output), ["Pricing schedule and annual indexation", "pricing-and-indexation",
                                                 "tomasz-wierzbicki-to-sam-adeyemi"], "internal")
        let restricted = example.folder + "/restricted"
        #expect(try example.run(["build", "--audience", "restricted", "--output", restricted]).status == 0)
        #expect(Self.files(restricted)["handovers/tomasz-wierzbicki-to-sam-adeyemi.html"] != nil)
    }

    @Test func anUnreadableConfidentialityFailsClosed() throws {
        let example = try Example()
        try example.write("content/knowledge/communications/secret-note.md",
            "---\ntitle: Secret note\nsection: communications\nconfidentiality: secret\n---\nCANARY-SECRET-9090\n")
        try example.write("content/knowledge/communications/capital-note.md",
            "---\ntitle: Capital note\nsection: communications\nConfidentiality: restricted\n---\nCANARY-CAPITAL-5151\n")
        let check = try example.run(["check"])
        #expect(check.status == 1)
        #expect(check.output.contains("secret-note.md:4: error") && check.output.contains("'secret'"))
        #expect(check.output.contains("capital-note.md:4: error") && check.output.contains("counts as restricted"))
        let output = example.folder + "/site"
        let refused = try example.run(["build", "--output", output])
        #expect(refused.status == 2 && refused.error.contains("validation found 2 error(s)"), "\(refused.error)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let forced = try example.run(["build", "--output", output, "--force"])
        #expect(forced.status == 0 && forced.error.contains("building anyway"), "\(forced.error)")
        Self.expectNoCanary(Self.files(output), ["CANARY-SECRET-9090", "CANARY-CAPITAL-5151", "Secret note", "Capital note"], "internal")
    }

    @Test func personalDataFieldsReachOnlyARestrictedBuild() throws {
        let example = try Example()
        try example.write("content/people/pat-open.md", """
            ---
            name: Pat Open
            organisation: northmoor
            confidentiality: public
            Contact: CANARY-CONTACT-1
            personal_email: CANARY-EMAIL-2
            phone: CANARY-PHONE-3
            details:
              home_address: CANARY-ADDRESS-4
              team: Service desk
            ---
            Pat runs the desk.

            """)
        let check = try example.run(["check"])
        for key in ["Contact", "personal_email", "phone"] {
            #expect(check.output.contains("'\(key)' looks like personal data"), "\(key)")
        }
        for audience in ["public", "internal"] {
            let output = example.folder + "/site-" + audience
            #expect(try example.run(["build", "--audience", audience, "--output", output]).status == 0)
            let site = Self.files(output)
            #expect(site["people/pat-open.html"]?.contains("Service desk") == true)
            Self.expectNoCanary(site, ["CANARY-CONTACT-1", "CANARY-EMAIL-2", "CANARY-PHONE-3", "CANARY-ADDRESS-4"], audience)
        }
        let restricted = example.folder + "/restricted"
        #expect(try example.run(["build", "--audience", "restricted", "--output", restricted]).status == 0)
        let page = try #require(Self.files(restricted)["people/pat-open.html"])
        #expect(page.contains("CANARY-PHONE-3") && page.contains("CANARY-ADDRESS-4"))
    }

    @Test func aRestrictedPersonIsNotIdentifiedOnPagesThatNameThem() throws {
        let example = try Example()
        try example.write("content/people/zed-hidden.md",
            "---\nname: Zed Hidden\norganisation: northmoor\nconfidentiality: restricted\n---\n")
        try example.write("content/knowledge/communications/zed-notes.md",
            "---\ntitle: Notes from the desk\nsection: communications\nowner: zed-hidden\nconfidentiality: public\n---\nOpen notes.\n")
        let output = example.folder + "/site"
        #expect(try example.run(["build", "--audience", "public", "--output", output]).status == 0)
        let site = Self.files(output)
        let page = try #require(site["knowledge/communications/zed-notes.html"])
        #expect(page.contains("a restricted person"))
        Self.expectNoCanary(site, ["zed-hidden", "Zed Hidden"], "public")
    }

    @Test func aKilledBuildLeavesTheOldSiteAndNoReadableTemporaries() throws {
        let example = try Example()
        let output = example.folder + "/site"
        let crash = ["BATON_CRASH_AT": "build.staged:1", "BATON_TODAY": "2026-11-22"]
        #expect(try example.run(["build", "--output", output], crash).status == 99)
        #expect(!FileManager.default.fileExists(atPath: output))
        func stagings() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: example.folder).filter { $0.hasPrefix(".site.baton-") }
        }
        let left = try stagings()
        #expect(left.count == 1)
        for name in left {
            let mode = try FileManager.default.attributesOfItem(atPath: example.folder + "/" + name)[.posixPermissions] as? Int
            #expect(mode == 0o700, "a staging folder must be private")
        }
        #expect(try example.run(["build", "--output", output]).status == 0)
        #expect(try stagings().isEmpty)
        let built = Self.files(output)
        // A killed rebuild keeps the old site whole.
        try example.append("content/knowledge/communications/meeting-cadence.md", "\nA new line.\n")
        #expect(try example.run(["build", "--output", output], crash).status == 99)
        #expect(Self.files(output) == built)
        #expect(try example.run(["build", "--output", output]).status == 0)
        #expect(try stagings().isEmpty)
        #expect(Self.files(output)["knowledge/communications/meeting-cadence.html"]?.contains("A new line.") == true)
        // Killed just after the swap: the new site is in place, and the old one is removed by the next build.
        try example.append("content/knowledge/communications/meeting-cadence.md", "\nAnother line.\n")
        #expect(try example.run(["build", "--output", output], ["BATON_CRASH_AT": "build.swapped:1"]).status == 99)
        #expect(Self.files(output)["knowledge/communications/meeting-cadence.html"]?.contains("Another line.") == true)
        #expect(try stagings().count == 1)
        #expect(try example.run(["build", "--output", output]).status == 0)
        #expect(try stagings().isEmpty)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func anInterruptedBuildRemovesItsTemporaries(signal: Int32) throws {
        let example = try Example()
        let process = Process()
        process.executableURL = Baton.executable
        process.arguments = ["build", "--output", example.folder + "/site", "--root", example.root]
        process.environment = ProcessInfo.processInfo.environment.merging(["BATON_STALL_AT": "build.staged"]) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        func stagings() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: example.folder)) ?? []).filter { $0.hasPrefix(".site.baton-") }
        }
        let deadline = Date().addingTimeInterval(30)
        while stagings().isEmpty && Date() < deadline { usleep(20_000) }
        #expect(!stagings().isEmpty, "the build never reached its staging folder")
        usleep(200_000)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + signal)
        #expect(stagings().isEmpty, "\(stagings())")
        #expect(!FileManager.default.fileExists(atPath: example.folder + "/site"))
    }

    /// A build from exactly the inputs of the last one, into its untouched output, writes nothing and says so;
    /// any change to an input, a missing output file, another audience or --clean builds again.
    @Test func anUnchangedKnowledgeBaseIsNotBuiltAgain() throws {
        let example = try Example()
        let site = example.folder + "/site"
        func build(_ extra: [String] = []) throws -> String {
            let result = try example.run(["build", "--output", site] + extra)
            #expect(result.status == 0, "\(result.error)")
            return result.output
        }
        #expect(try build().hasPrefix("Built "))
        let again = try build()
        #expect(again.hasPrefix("Nothing changed since the last build into \(site)") && again.contains("0 files written"), "\(again)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(build(["--json"]).utf8)) as? [String: Any])
        #expect(json["unchanged"] as? Bool == true && json["written"] as? Int == 0)
        // An edit of an entry (its bytes, its time), of baton.yml, a theme file of the knowledge base's own.
        // (A knowledge entry's body shows on its own page only: that page is the one rendered — none for an
        // entry above the audience.)
        try example.append("content/knowledge/exit-arrangements/exit-plan.md", "\nOne more line.\n")
        let hidden = try build()
        #expect(hidden.hasPrefix("Updated 0 of ") && hidden.contains("(0 files written, 0 removed)"), "\(hidden)")
        #expect(try build().hasPrefix("Nothing changed"))
        try example.append("content/knowledge/asset-register/asset-register-overview.md", "\nOne more line.\n")
        let updated = try build()
        #expect(updated.hasPrefix("Updated 1 of ") && updated.contains("files written"), "\(updated)")
        #expect(try build().hasPrefix("Nothing changed"))
        try example.append("content/knowledge/asset-register/asset-register-overview.md", "\nAnd another.\n")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(build(["--json"]).utf8)) as? [String: Any])
        #expect(report["rendered"] as? Int == 1 && (report["pages"] as? Int ?? 0) > 50 && report["unchanged"] as? Bool == false)
        try example.append("baton.yml", "\n# a comment\n")
        #expect(try build().hasPrefix("Built "))
        try example.write("site/assets/extra.css", "body { margin: 0 }\n")
        #expect(try build().hasPrefix("Built "))
        // A file of the site removed by hand: built again, and it is back; one edited in place, the same.
        try FileManager.default.removeItem(atPath: site + "/health.html")
        #expect(try build().hasPrefix("Built ") && FileManager.default.fileExists(atPath: site + "/health.html"))
        let home = try String(contentsOfFile: site + "/index.html", encoding: .utf8)
        try (home + "<p>defaced</p>").write(toFile: site + "/index.html", atomically: false, encoding: .utf8)
        #expect(try build().contains("(1 file written, 0 removed)"))
        #expect(try String(contentsOfFile: site + "/index.html", encoding: .utf8) == home)
        #expect(try build().hasPrefix("Nothing changed"))
        // The knowledge base and the output named relative to the working folder: the same.
        func relative() throws -> String {
            let result = try Baton.run(["build", "--root", "kb", "--output", "relative-site"], in: example.folder,
                                       environment: TrustCLITests.today)
            #expect(result.status == 0, "\(result.error)")
            return result.output
        }
        #expect(try relative().hasPrefix("Built "))
        #expect(try relative().hasPrefix("Nothing changed since the last build into relative-site"))
        // Another day, another audience, --clean: built again.
        #expect(try example.run(["build", "--output", site], ["BATON_TODAY": "2026-11-23"]).output.hasPrefix("Built "))
        #expect(try build(["--audience", "public"]).hasPrefix("Built "))
        #expect(try build(["--audience", "public"]).hasPrefix("Nothing changed"))
        #expect(try build(["--audience", "public", "--clean"]).hasPrefix("Built "))
    }

    @Test func aPlantedMarkerDoesNotHandSomeoneElsesFilesToTheBuild() throws {
        let example = try Example()
        let output = example.folder + "/documents"
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        try "thesis".write(toFile: output + "/thesis.txt", atomically: true, encoding: .utf8)
        try "".write(toFile: output + "/.baton-site", atomically: true, encoding: .utf8)
        let build = try example.run(["build", "--output", output])
        #expect(build.status == 2, "\(build.output)")
        #expect(build.error.contains("not Baton's to replace"), "\(build.error)")
        #expect(try String(contentsOfFile: output + "/thesis.txt", encoding: .utf8) == "thesis")
    }

    // MARK: - Data lost or torn

    @Test func concurrentTicksAllLand() throws {
        let example = try Example()
        let handover = "gareth-lowe-to-nadia-farouk"
        let status = try example.run(["handover", "status", handover, "--json"])
        let documents = try #require((try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])?["handovers"] as? [[String: Any]])
        let items = try #require(documents.first?["items"] as? [[String: Any]])
        let open = items.filter { $0["done"] as? Bool == false }.compactMap { $0["number"] as? Int }
        #expect(open.count >= 6)
        let pairs = stride(from: 0, to: open.count - 1, by: 2).map { (open[$0], open[$0 + 1]) }
        for (first, second) in pairs {
            let results = ResultBox()
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                let result = try? example.run(["handover", "tick", handover, String(index == 0 ? first : second)])
                results.add(result?.status ?? -1)
            }
            #expect(results.statuses == [0, 0])
        }
        let after = try example.run(["handover", "status", handover, "--json"])
        let final = try #require((try JSONSerialization.jsonObject(with: Data(after.output.utf8)) as? [String: Any])?["handovers"] as? [[String: Any]])
        let done = Set((final.first?["items"] as? [[String: Any]] ?? []).filter { $0["done"] as? Bool == true }.compactMap { $0["number"] as? Int })
        #expect(Set(pairs.flatMap { [$0.0, $0.1] }).isSubset(of: done), "ticks were lost")
    }

    final class ResultBox: @unchecked Sendable {
        private let lock = NSLock()
        private var values: [Int32] = []
        func add(_ value: Int32) { lock.lock(); values.append(value); lock.unlock() }
        var statuses: [Int32] { lock.lock(); defer { lock.unlock() }; return values.sorted() }
    }

    @Test func aWriterWaitsForTheLockAndGivesUpClearly() throws {
        let example = try Example()
        do {
            let lock = try KnowledgeBaseLock.acquire(root: example.root, command: "test", timeout: 1)
            let blocked = try example.run(["handover", "tick", "gareth-lowe-to-nadia-farouk", "1"],
                                          ["BATON_LOCK_TIMEOUT": "0.5"])
            #expect(blocked.status == 2)
            #expect(blocked.error.contains("waiting for another baton command (pid \(getpid()): baton test)"), "\(blocked.error)")
            #expect(blocked.error.contains("gave up waiting"))
            withExtendedLifetime(lock) {}
        }
        #expect(try example.run(["handover", "tick", "gareth-lowe-to-nadia-farouk", "1"]).status == 0)
    }

    @Test func aKilledHandoverCompleteIsFinishedByTheNextCommand() throws {
        let start = ["handover", "start", "--from", "tomasz-wierzbicki", "--to", "sam-adeyemi"]
        let complete = ["handover", "complete", "tomasz-wierzbicki-to-sam-adeyemi", "--force"]
        let reference = try Example()
        #expect(try reference.run(start).status == 0)
        let untouched = reference.contentTexts()
        #expect(try reference.run(complete).status == 0)
        let finished = reference.contentTexts()
        #expect(finished != untouched)
        // Killed before the journal is written: nothing changed, and the strays go with the next writer.
        for point in ["journal.staged:1", "journal.staged:4"] {
            let example = try Example()
            #expect(try example.run(start).status == 0)
            #expect(try example.run(complete, ["BATON_CRASH_AT": point, "BATON_TODAY": "2026-11-22"]).status == 99)
            #expect(example.contentTexts().filter { !$0.key.hasSuffix(".tmp") } == untouched, "\(point)")
            #expect(try example.run(["check"]).status != 2)
            let again = try example.run(complete)
            #expect(again.status == 0, "\(point): \(again.error)")
            #expect(again.error.contains("removed") && again.error.contains("temporary file"), "\(point): \(again.error)")
            #expect(example.contentTexts() == finished, "\(point)")
        }
        // Killed after: the next command, whatever it is, finishes the change first.
        for point in ["journal.written:1", "journal.renamed:1", "journal.renamed:3"] {
            let example = try Example()
            #expect(try example.run(start).status == 0)
            #expect(try example.run(complete, ["BATON_CRASH_AT": point, "BATON_TODAY": "2026-11-22"]).status == 99)
            let check = try example.run(["check"])
            #expect(check.error.contains("finished a change a killed baton command left half done"), "\(point): \(check.error)")
            #expect(check.output.contains("journal.replayed"), "\(point)")
            #expect(example.contentTexts() == finished, "\(point)")
            #expect(!FileManager.default.fileExists(atPath: example.root + "/.baton/journal"))
        }
    }

    @Test func aKilledIndexIsRepairedByTheNextSearch() throws {
        let reference = try Example()
        let expected = try reference.run(["search", "exit plan", "--json"]).output
        for point in ["index.segments-written:1", "index.manifest-written:1"] {
            let example = try Example()
            #expect(try example.run(["index"]).status == 0)
            // A change, then an index update killed part-way through its commit.
            try example.append("content/knowledge/communications/meeting-cadence.md", "\nThe exit plan is reviewed yearly.\n")
            #expect(try example.run(["index"], ["BATON_CRASH_AT": point]).status == 99, "\(point)")
            let search = try example.run(["search", "exit plan", "--json"])
            #expect(search.status == 0, "\(point): \(search.error)")
            #expect(search.output.contains("meeting-cadence"), "\(point): the change must be found after recovery")
            #expect(try example.run(["index", "--verify"]).status == 0, "\(point)")
            // Put back, the answers are exactly the untouched knowledge base's.
            try example.write("content/knowledge/communications/meeting-cadence.md",
                              try reference.text("content/knowledge/communications/meeting-cadence.md"))
            #expect(try example.run(["search", "exit plan", "--json"]).output == expected, "\(point)")
        }
    }

    // MARK: - Crashes and hangs

    /// The fuzzers' seed corpora, and every input that once crashed a target (kept beside the seeds), replayed
    /// through an ordinary build of `baton-fuzz`.
    @Test(arguments: ["query", "frontmatter", "index", "html", "xml", "office", "markdown"])
    func theFuzzCorporaReplayCleanly(target: String) throws {
        let fuzz = Baton.executable.deletingLastPathComponent().appendingPathComponent("baton-fuzz")
        let corpus = Self.repository + "/Tests/Fuzz/" + target
        let process = Process()
        process.executableURL = fuzz
        process.arguments = ["replay", target, corpus]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(target): \(text)")
        let count = try FileManager.default.contentsOfDirectory(atPath: corpus).count
        #expect(text.contains("\(count) inputs replayed through \(target)"), "\(text)")
    }

    @Test func deeplyNestedQueriesAreRefused() throws {
        let example = try Example()
        let result = try example.run(["search", String(repeating: "(", count: 22_000) + "exit"])
        #expect(result.status == 2)
        #expect(result.error.contains("nest more than 32 deep"), "\(result.error)")
    }

    @Test func aYAMLAliasBombIsRefusedQuickly() throws {
        let example = try Example()
        var lines = ["---", "title: Bomb", "section: communications", "l0: &l0 [x, x, x, x, x, x, x, x, x]"]
        for level in 1...9 { lines.append("l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 9).joined(separator: ", ") + "]") }
        lines += ["---", "Body."]
        try example.write("content/knowledge/communications/bomb.md", lines.joined(separator: "\n") + "\n")
        let started = Date()
        let check = try example.run(["check"], timeout: 30)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(check.status == 2)
        #expect(check.output.contains("content/knowledge/communications/bomb.md:") && check.output.contains("alias"), "\(check.output)")
    }

    @Test func hugeFilesAreRefusedBeforeTheyAreRead() throws {
        let example = try Example()
        let huge = example.root + "/content/knowledge/communications/huge.md"
        #expect(FileManager.default.createFile(atPath: huge, contents: Data("---\ntitle: Huge\n---\n".utf8)))
        #expect(truncate(huge, 1 << 30) == 0)  // 1 GB, sparse
        let started = Date()
        let check = try example.run(["check"], timeout: 30)
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(check.status == 2)
        #expect(check.output.contains("huge.md: error:") && check.output.contains("above the limit"), "\(check.output)")
        // The importer checks its limit before reading too.
        let big = example.folder + "/big.html"
        #expect(FileManager.default.createFile(atPath: big, contents: Data("<html><body>".utf8)))
        #expect(truncate(big, 200 << 20) == 0)
        let imported = try example.run(["import", big, "--section", "communications"], timeout: 30)
        #expect(imported.status == 1)
        #expect(imported.error.contains("big.html") || imported.output.contains("big.html"))
        #expect((imported.error + imported.output).contains("above the import limit of 50 MB"), "\(imported.error)")
    }

    @Test func aFIFOInContentOrTheIndexBlocksNothing() throws {
        let example = try Example()
        #expect(mkfifo(example.root + "/content/knowledge/communications/pipe.md", 0o644) == 0)
        let check = try example.run(["check"], timeout: 30)
        #expect(check.status == 2, "\(check.output)")
        #expect(check.output.contains("pipe.md: error:") && check.output.contains("a FIFO"), "\(check.output)")
        try FileManager.default.removeItem(atPath: example.root + "/content/knowledge/communications/pipe.md")
        #expect(try example.run(["index"]).status == 0)
        let folder = example.root + "/.baton/index"
        let segment = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".bsi") })
        try FileManager.default.removeItem(atPath: folder + "/" + segment)
        #expect(mkfifo(folder + "/" + segment, 0o644) == 0)
        let search = try example.run(["search", "exit plan"], timeout: 30)
        #expect(search.status == 0, "\(search.error)")
        #expect(search.error.contains("a FIFO"))
        #expect(search.output.contains("Exit plan"))
    }

    @Test func controlCharactersNeverReachTheTerminal() throws {
        let example = try Example()
        try example.write("content/knowledge/communications/evil.md",
            "---\ntitle: \"Evil \\e]0;pwned\\a title \\e[2J\"\nsection: communications\n---\nEvil body.\n")
        for arguments in [["list"], ["show", "evil"], ["search", "evil"], ["check"], ["search", "evil", "--json"]] {
            let result = try example.run(arguments)
            #expect(result.status != 2, "\(arguments): \(result.error)")
            #expect(result.output.contains("Evil"), "\(arguments)")
            #expect(!result.output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 }, "\(arguments)")
        }
    }

    @Test func aDamagedOrForeignIndexIsNoticedAndRebuilt() throws {
        let example = try Example()
        #expect(try example.run(["index"]).status == 0)
        let manifest = example.root + "/.baton/index/manifest"
        let good = try String(contentsOfFile: manifest, encoding: .utf8)
        func expectRepaired(_ what: String) throws {
            let verify = try example.run(["index", "--verify"])
            #expect(verify.status == 1, "\(what): \(verify.output)")
            let search = try example.run(["search", "exit plan"])
            #expect(search.status == 0, "\(what): \(search.error)")
            #expect(search.error.contains("rebuilt the search index"), "\(what): \(search.error)")
            #expect(search.output.contains("Exit plan"), "\(what)")
            #expect(try example.run(["index", "--verify"]).status == 0, "\(what)")
        }
        // Truncated, then one digit changed, then a generation no counter can hold.
        try String(good.prefix(good.count / 2)).write(toFile: manifest, atomically: true, encoding: .utf8)
        try expectRepaired("truncated")
        let current = try String(contentsOfFile: manifest, encoding: .utf8)
        let flipped = current.replacingOccurrences(of: "fields title:3", with: "fields title:4")
        #expect(flipped != current)
        try flipped.write(toFile: manifest, atomically: true, encoding: .utf8)
        try expectRepaired("flipped")
        let huge = try String(contentsOfFile: manifest, encoding: .utf8).split(separator: "\n").map { line in
            line.hasPrefix("generation ") ? "generation 9223372036854775807" : String(line)
        }.joined(separator: "\n") + "\n"
        try huge.write(toFile: manifest, atomically: true, encoding: .utf8)
        try expectRepaired("generation")
        #expect(try example.run(["index", "--rebuild"]).status == 0)
        // A valid segment of another knowledge base under the same name.
        let other = try Example()
        try FileManager.default.removeItem(atPath: other.root + "/content/knowledge")
        #expect(try other.run(["index", "--rebuild"]).status == 0)
        let folder = example.root + "/.baton/index"
        let mine = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".bsi") })
        let theirs = try #require(try FileManager.default.contentsOfDirectory(atPath: other.root + "/.baton/index").first { $0.hasSuffix(".bsi") })
        try FileManager.default.removeItem(atPath: folder + "/" + mine)
        try FileManager.default.copyItem(atPath: other.root + "/.baton/index/" + theirs, toPath: folder + "/" + mine)
        try expectRepaired("foreign segment")
    }
}

/// Completing a handover leaves records that agree: `baton check` finds nothing new afterwards.
@Suite struct HandoverCompletionCLITests {
    static func findings(_ example: TrustCLITests.Example) throws -> Set<String> {
        let check = try example.run(["check", "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(check.output.utf8)) as? [String: Any])
        let continuity = try #require(document["continuity"] as? [[String: Any]])
        return Set(continuity.map { "\($0["rule"] ?? "") \($0["entity"] ?? "")" })
    }

    @Test func startTickCompleteLeavesNothingNewForCheckToFind() throws {
        let example = try TrustCLITests.Example()
        // Someone the leaver deputises for, and an onboarding step that meets the leaver by name.
        let fiona = "content/people/fiona-mcallister.md"
        try example.write(fiona, try example.text(fiona).replacingOccurrences(of: "\nstart_date:", with: "\ndeputy: gareth-lowe\nstart_date:"))
        let role = "content/roles/castellan-relationship-manager.md"
        try example.write(role, try example.text(role).replacingOccurrences(
            of: "    meet: [northmoor-relationship-manager]", with: "    meet: [northmoor-relationship-manager, gareth-lowe]"))
        // Nadia gives up the transformation lead to Fiona first (one management discipline a person), so the
        // handover itself is all that changes.
        let nadia = "content/people/nadia-farouk.md"
        try example.write(nadia, try example.text(nadia).replacingOccurrences(of: "roles: [northmoor-transformation-lead]", with: "roles: []"))
        let before = try Self.findings(example)
        let handover = "gareth-lowe-to-nadia-farouk"
        let status = try example.run(["handover", "status", handover, "--json"])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])
        let items = try #require((document["handovers"] as? [[String: Any]])?.first?["items"] as? [[String: Any]])
        let open = items.filter { $0["done"] as? Bool == false }.compactMap { $0["number"] as? Int }.map(String.init)
        #expect(try example.run(["handover", "tick", handover] + open).status == 0)
        let complete = try example.run(["handover", "complete", handover])
        #expect(complete.status == 0, "\(complete.error)")
        #expect(complete.output.contains("Joanna Kerr's counterpart is Nadia Farouk"))
        #expect(complete.output.contains("Fiona McAllister's deputy is Nadia Farouk"), "\(complete.output)")
        #expect(complete.output.contains("Relationship Manager's onboarding meets Nadia Farouk"), "\(complete.output)")
        let after = try Self.findings(example)
        #expect(after.subtracting(before).isEmpty, "new findings: \(after.subtracting(before).sorted())")
        // The leaver stays until the last day; the records point at the successor.
        let gareth = try example.text("content/people/gareth-lowe.md")
        #expect(!gareth.contains("status: left") && gareth.contains("leaving_date: 2026-12-18"))
        #expect(try example.text(fiona).contains("deputy: nadia-farouk"))
        #expect(try example.text(role).contains("meet: [northmoor-relationship-manager, nadia-farouk]"))
        #expect(try example.text("content/people/joanna-kerr.md").contains("counterpart: nadia-farouk"))
        // A completed handover is read-only until reopened.
        let tick = try example.run(["handover", "untick", handover, "1"])
        #expect(tick.status == 2 && tick.error.contains("is complete") && tick.error.contains("baton handover reopen"))
        #expect(try example.run(["handover", "reopen", handover]).status == 0)
        #expect(try example.run(["handover", "untick", handover, "1"]).status == 0)
    }
}

/// Onboarding as a tracked record, end to end through the built `baton`: start, tick, complete, and what the
/// site and `show` make of it.
@Suite struct OnboardingCLITests {
    static func items(_ example: TrustCLITests.Example, _ id: String) throws -> [[String: Any]] {
        let status = try example.run(["onboard", "status", id, "--json"])
        #expect(status.status == 0, "\(status.error)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])
        return try #require((document["onboardings"] as? [[String: Any]])?.first?["items"] as? [[String: Any]])
    }

    @Test func startTickCompleteLeavesNothingNewForCheckToFind() throws {
        let example = try TrustCLITests.Example()
        let before = try HandoverCompletionCLITests.findings(example)
        let start = try example.run(["onboard", "start", "castellan-service-desk-lead", "--person", "kwame-asante",
                                     "--start", "2026-11-23", "--buddy", "chloe-dubois"])
        #expect(start.status == 0, "\(start.error)")
        #expect(start.output.hasPrefix("Created content/onboardings/kwame-asante-castellan-service-desk-lead.md with 17 items."),
                "\(start.output)")
        let id = "kwame-asante-castellan-service-desk-lead"
        #expect(try example.run(["onboard", "start", "castellan-service-desk-lead", "--person", "kwame-asante"]).error
            .contains("already has an open onboarding"))
        // Ticks from three processes at once all land (each takes the lock, and only its checkboxes change).
        let numbers = try Self.items(example, id).compactMap { $0["number"] as? Int }
        #expect(numbers == Array(1...17))
        let results = TrustCLITests.ResultBox()
        let slices = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
        DispatchQueue.concurrentPerform(iterations: slices.count) { index in
            let result = try? example.run(["onboard", "tick", id] + slices[index].map(String.init))
            results.add(result?.status ?? -1)
        }
        #expect(results.statuses == [0, 0, 0])
        #expect(try Self.items(example, id).filter { $0["done"] as? Bool == true }.count == 9)
        let beyond = try example.run(["onboard", "tick", id, "99"])
        #expect(beyond.status == 2 && beyond.error.contains("there is no item 99; the onboarding has 17"), "\(beyond.error)")
        let early = try example.run(["onboard", "complete", id])
        #expect(early.status == 2 && early.error.contains("8 item(s) are still open"), "\(early.error)")
        #expect(try example.run(["onboard", "tick", id] + (10...17).map(String.init)).status == 0)
        let complete = try example.run(["onboard", "complete", id])
        #expect(complete.status == 0 && complete.output.hasPrefix("Completed onboardings/\(id)."), "\(complete.error)")
        let after = try HandoverCompletionCLITests.findings(example)
        #expect(after == before, "new findings: \(after.subtracting(before).sorted())")
        // Completed: read-only until reopened.
        let untick = try example.run(["onboard", "untick", id, "1"])
        #expect(untick.status == 2 && untick.error.contains("baton onboard reopen \(id)"), "\(untick.error)")
        #expect(try example.run(["onboard", "reopen", id]).status == 0)
        #expect(try example.run(["onboard", "untick", id, "1"]).status == 0)
        #expect(try example.run(["onboard", "status"]).output.contains("Service Desk Lead onboarding, Kwame Asante"))
    }

    @Test func theSiteShowsOnboardingUnderWayToItsAudienceOnly() throws {
        let example = try TrustCLITests.Example()
        let site = example.folder + "/site"
        #expect(try example.run(["build", "--output", site]).status == 0)
        let home = try String(contentsOfFile: site + "/index.html", encoding: .utf8)
        #expect(home.contains("<h2 id=\"onboardings\">Onboarding under way</h2>"))
        #expect(home.contains("Relationship Manager onboarding, Nadia Farouk</a>: 12 of 25 done"), "\(home)")
        let record = "onboardings/nadia-farouk-northmoor-relationship-manager.html"
        for page in ["people/nadia-farouk.html", "people/priya-raman.html", "roles/northmoor-relationship-manager.html"] {
            let text = try String(contentsOfFile: site + "/" + page, encoding: .utf8)
            #expect(text.contains("<h2 id=\"under-way\">Under way</h2>") && text.contains(record), "\(page)")
        }
        let page = try String(contentsOfFile: site + "/" + record, encoding: .utf8)
        #expect(page.contains("12 of 25 done") && page.contains("href=\"../knowledge/communications/meeting-cadence.html\""))
        // A public build has no internal record, on any page or in its search files.
        let publicSite = example.folder + "/public"
        #expect(try example.run(["build", "--audience", "public", "--output", publicSite]).status == 0)
        for (path, text) in TrustCLITests.files(publicSite) {
            #expect(!text.contains("nadia-farouk-northmoor-relationship-manager") && !text.contains("Onboarding under way"), "\(path)")
        }
    }
}

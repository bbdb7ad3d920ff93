import BatonSearch
import Foundation

// baton-bench CORPUS.jsonl QUERIES.txt [--top10 FILE] [--replicate N] [--no-pruning] [--keep DIR] [--heap MB] [--threads N]
// baton-bench CORPUS.jsonl QUERIES.txt --export DIR
// baton-bench CORPUS.jsonl QUERIES.txt --keep DIR --reuse --explain QUERY   (why its top ten rank so)
//
// With --export, writes the browser index of the corpus into DIR (as `baton build` does for a site) and, in
// DIR/expected.json, what the engine answers to every query (ids, scores, notice), for the browser parity test and
// the bytes benchmark, then stops.
//
// Builds an index of the corpus (on every core, in a writer heap of --heap MB, default 256, which flushes segments
// past it; --threads 1 for one thread), runs every query three times warm (after one warm-up pass), and
// prints one JSON line of figures. Corpus lines are {"id", "title", "body"}; queries use Baton's query language.

struct Line: Decodable {
    var id: String
    var title: String
    var body: String
}

@main
struct Bench {
    static func main() {

        func fail(_ message: String) -> Never {
            FileHandle.standardError.write(Data(("baton-bench: " + message + "\n").utf8))
            exit(2)
        }

        var arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            let value = arguments[index + 1]
            arguments.removeSubrange(index...(index + 1))
            return value
        }
        func flag(_ name: String) -> Bool {
            guard let index = arguments.firstIndex(of: name) else { return false }
            arguments.remove(at: index)
            return true
        }
        let top10Path = option("--top10")
        let replicate = Int(option("--replicate") ?? "1") ?? 1
        let keep = option("--keep")
        let noPruning = flag("--no-pruning")
        let reuse = flag("--reuse")
        let engineName = option("--engine") ?? "baton"
        let exportPath = option("--export")
        let explainQuery = option("--explain")
        let heap = Int(option("--heap") ?? "256") ?? 256
        let threads = option("--threads").flatMap { Int($0) }
        guard arguments.count == 2 else {
            fail("usage: baton-bench CORPUS.jsonl QUERIES.txt [--top10 FILE] [--replicate N] [--no-pruning] [--keep DIR]")
        }

        // With --reuse the kept index is searched as it is: the corpus is not read (nor its size known).
        let built = !(reuse && keep != nil)
        guard let corpusData = built ? FileManager.default.contents(atPath: arguments[0]) : Data() else {
            fail("cannot read \(arguments[0])")
        }
        guard let queryText = try? String(contentsOfFile: arguments[1], encoding: .utf8) else {
            fail("cannot read \(arguments[1])")
        }
        let decoder = JSONDecoder()
        var lines: [Line] = []
        for raw in corpusData.split(separator: UInt8(ascii: "\n")) where !raw.isEmpty {
            guard let line = try? decoder.decode(Line.self, from: Data(raw)) else { fail("bad corpus line") }
            lines.append(line)
        }
        let queries = queryText.split(separator: "\n").map(String.init).filter { !$0.isEmpty }

        var documents: [SearchDocument] = []
        var textBytes = 0
        for copy in 0..<replicate {
            for line in lines {
                let id = copy == 0 ? line.id : "\(line.id)#\(copy)"
                documents.append(SearchDocument(id: id, text: ["title": line.title, "body": line.body]))
                textBytes += line.title.utf8.count + line.body.utf8.count
            }
        }
        lines = []

        // What the process holds once the corpus is in memory, before the writer starts: the builder's own
        // memory is its peak beyond this. The decoded JSON lines just freed are handed back first, or the
        // writer's first segments would fill memory counted as the corpus's.
        trimFreedMemory()
        let corpusRSS = statusKilobytes("VmRSS:")
        let directory = keep ?? (NSTemporaryDirectory() + "baton-bench-\(getpid())")
        let clock = ContinuousClock()
        let buildStart = clock.now
        let buildCPUStart = cpuSeconds()
        if built {
        try? FileManager.default.removeItem(atPath: directory)
        do {
            let writer = try IndexWriter(directory: directory, rebuild: true)
            writer.heapBytes = heap << 20
            if let threads { writer.threads = max(1, threads) }
            for document in documents { writer.add(document) }
            let added = clock.now
            try writer.commit()
            if ProcessInfo.processInfo.environment["BATON_BENCH_PHASES"] != nil {
                FileHandle.standardError.write(Data(("add \(added - buildStart), commit \(clock.now - added), corpus RSS "
                    + "\(corpusRSS / 1024) MB, peak \(statusKilobytes("VmHWM:") / 1024) MB, CPU "
                    + String(format: "%.1f", cpuSeconds() - buildCPUStart) + " seconds\n").utf8))
            }
        } catch {
            fail("\(error)")
        }
        }
        let buildPeak = statusKilobytes("VmHWM:")
        let buildSeconds = Double((clock.now - buildStart).components.attoseconds) / 1e18
            + Double((clock.now - buildStart).components.seconds)
        documents = []

        let index: SearchIndex
        do { index = try SearchIndex.open(directory: directory) } catch { fail("\(error)") }
        let searcher = Searcher(index: index)
        if let exportPath {
            exportBrowserIndex(index: index, searcher: searcher, queries: queries, to: exportPath)
            try? FileManager.default.removeItem(atPath: directory)
            return
        }
        var options = SearchOptions()
        options.facets = false
        options.snippets = false
        options.suggestions = false
        options.pruning = !noPruning
        if let query = explainQuery {
            // Why the top hits of one query rank where they do, for tuning.
            var explained = options
            explained.explain = true
            let results = try? searcher.search(query, options: explained)
            for (rank, hit) in (results?.hits ?? []).enumerated() {
                print("\(rank + 1). \(hit.id)  \(String(format: "%.3f", hit.score))  \(hit.title)")
                for part in hit.explanation?.parts ?? [] {
                    let fields = part.fields.map { "\($0.name) \(Int($0.frequency))× \(String(format: "%.3f", $0.score))" }
                    print("     \(part.term) idf \(String(format: "%.2f", part.idf)): " + fields.joined(separator: ", "))
                }
            }
            return
        }

        var latencies: [Double] = []
        var phraseLatencies: [Double] = []
        var top10: [String] = []
        var perQuery = [[Double]](repeating: [], count: queries.count)
        let passes = Int(ProcessInfo.processInfo.environment["BATON_BENCH_PASSES"] ?? "") ?? 4
        for pass in 0..<passes {
            for (number, query) in queries.enumerated() {
                let start = clock.now
                let results = try? searcher.search(query, options: options)
                let elapsed = clock.now - start
                if pass > 0 {
                    let micros = Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6
                    latencies.append(micros)
                    perQuery[number].append(micros)
                    if query.contains("\"") { phraseLatencies.append(micros) }
                }
                if pass == 1 { top10.append(query + "\t" + (results?.hits.map(\.id).joined(separator: " ") ?? "")) }
            }
        }
        if ProcessInfo.processInfo.environment["BATON_BENCH_TRACE"] != nil {
            // Each query's median over the timed passes, in µs, one per line on stderr.
            for (number, query) in queries.enumerated() where !perQuery[number].isEmpty {
                let micros = perQuery[number].sorted()[perQuery[number].count / 2]
                FileHandle.standardError.write(Data("\(Int(micros))\t\(query)\n".utf8))
            }
        }
        latencies.sort()
        let sortedLatencies = latencies
        func percentile(_ p: Double) -> Double {
            sortedLatencies.isEmpty ? 0 : sortedLatencies[min(sortedLatencies.count - 1, Int(Double(sortedLatencies.count) * p))]
        }
        if let top10Path { try? top10.joined(separator: "\n").appending("\n").write(toFile: top10Path, atomically: true, encoding: .utf8) }

        var peakKB = 0
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) {
            for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
                peakKB = Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
            }
        }
        phraseLatencies.sort()
        let phraseMedian = phraseLatencies.isEmpty ? 0 : phraseLatencies[phraseLatencies.count / 2]
        let p50 = percentile(0.5)
        let p95 = percentile(0.95)
        let mb = Double(textBytes) / 1e6
        // The index proper: everything but the stored text snippets are cut from, which is reported apart.
        let indexBytes = index.sizeInBytes - index.storedTextBytes
        func rounded(_ value: Double, _ places: Double = 100) -> Double { (value * places).rounded() / places }
        let figures: [(String, String)] = [
            ("engine", "\"\(engineName)\""),
            ("docs", "\(index.documentCount)"),
            ("text_mb", "\(rounded(mb))"),
            // With --reuse nothing was built: no build figures.
            ("build_s", built ? "\(rounded(buildSeconds, 1000))" : "null"),
            ("mb_per_s", built ? "\(rounded(mb / buildSeconds))" : "null"),
            ("index_bytes", "\(indexBytes)"),
            ("index_pct_of_text", textBytes > 0 ? "\(rounded(Double(indexBytes) / Double(textBytes) * 100, 10))" : "null"),
            ("store_bytes", "\(index.storedTextBytes)"),
            ("query_p50_us", "\(rounded(p50, 10))"),
            ("query_p95_us", "\(rounded(p95, 10))"),
            // Queries with a quoted phrase alone.
            ("phrase_p50_us", "\(rounded(phraseMedian, 10))"),
            ("peak_rss_mb", "\(rounded(Double(peakKB) / 1024, 10))"),
            // The writer's peak memory less what the corpus already took (the documents in memory).
            ("build_beyond_corpus_mb", built ? "\(rounded(Double(buildPeak - corpusRSS) / 1024, 10))" : "null"),
        ]
        print("{" + figures.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + "}")
        if keep == nil { try? FileManager.default.removeItem(atPath: directory) }

    }
}

/// Writes the browser export of `index` and the engine's answers to `queries` into `folder`.
func exportBrowserIndex(index: SearchIndex, searcher: Searcher, queries: [String], to folder: String) {
    let clock = ContinuousClock()
    let start = clock.now
    let output = BrowserExport.export(index: index, options: BrowserExport.Options()) { id in
        BrowserExport.Page(url: id, type: "page")
    }
    let elapsed = clock.now - start
    try? FileManager.default.removeItem(atPath: folder)
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    var bytes = 0
    for file in output.files {
        FileManager.default.createFile(atPath: folder + "/" + file.path, contents: Data(file.bytes))
        bytes += file.bytes.count
    }
    var answers: [[String: Any]] = []
    for query in queries {
        guard let results = try? searcher.search(query) else {
            answers.append(["query": query, "error": true])
            continue
        }
        answers.append([
            "query": query, "notice": (results.notice as Any?) ?? NSNull(), "total": results.total ?? -1,
            "hits": results.hits.map { ["id": $0.id, "score": $0.score, "snippet": $0.snippet, "anchor": ($0.anchor as Any?) ?? NSNull()] },
        ])
    }
    let expected: [String: Any] = ["meta": output.metaPath, "answers": answers]
    if let data = try? JSONSerialization.data(withJSONObject: expected, options: [.sortedKeys]) {
        FileManager.default.createFile(atPath: folder + "/expected.json", contents: data)
    }
    print("exported \(output.documentCount) documents, \(output.termCount) terms, \(output.shardCount) shards, "
        + "\(output.files.count) files, \(bytes) bytes in \(elapsed) -> \(folder)")
}

/// A figure in kB from /proc/self/status ("VmRSS:", "VmHWM:"); 0 where there is none.
/// User and system CPU time of the whole process so far, in seconds.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func statusKilobytes(_ key: String) -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix(key) {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}

/// glibc's `malloc_trim(0)` (declared in malloc.h, outside the C library's Swift module, so looked up by name and
/// called through a pointer of its C type): returns freed memory to the system.
func trimFreedMemory() {
    typealias Trim = @convention(c) (Int) -> Int32
    guard let symbol = dlsym(nil, "malloc_trim") else { return }
    _ = unsafeBitCast(symbol, to: Trim.self)(0)
}

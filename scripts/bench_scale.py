#!/usr/bin/env python3
"""BatonSearch against Tantivy on the same corpora and queries, interleaved rounds, medians.

Usage: scripts/bench_scale.py BATON_BENCH PEERS_PY QUERIES.txt ROUNDS CORPUS.jsonl...

PEERS_PY is ../shared/bench/peers.py: its Tantivy set-up and query translation are used as they are (its
per-query timings are recorded on the side, for the phrase median). Each round builds and queries every corpus
with both engines, one after the other, each in its own process; peak memory is the process's peak RSS. Both
write their index under /dev/shm (tmpfs): Tantivy's in peers.py's work folder, Baton's through TMPDIR.
Prints one table per corpus: build seconds and MB/s, query p50 and p95, the median of queries with a quoted
phrase, and peak memory.
"""
import json
import math
import os
import statistics
import subprocess
import sys

TANTIVY = r"""
import importlib.util, json, resource, sys, time
spec = importlib.util.spec_from_file_location("peers", sys.argv[1])
peers = importlib.util.module_from_spec(spec); spec.loader.exec_module(peers)
docs = peers.load(sys.argv[2])
def rss_kb():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"): return int(line.split()[1])
corpus_kb = rss_kb()
build_peak = []
queries = [l.strip() for l in open(sys.argv[3]) if l.strip()]
phrases = []
original = peers.timed_queries
def timed(run, queries, passes=3):
    # The queries start once the writer is done: the peak so far is the build's.
    build_peak.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    def recorded(q):
        t = time.perf_counter(); ids = run(q)
        if '"' in q: phrases.append((time.perf_counter() - t) * 1e6)
        return ids
    return original(recorded, queries, passes)
peers.timed_queries = timed
r, _ = peers.tantivy_engine(docs, queries, sys.argv[4])
text = sum(len(d["body"].encode()) + len(d["title"].encode()) for d in docs)
r["mb_per_s"] = text / 1e6 / r["build_s"]
r["build_beyond_corpus_mb"] = (build_peak[0] - corpus_kb) / 1024
r["phrase_p50_us"] = sorted(phrases)[len(phrases) // 2] if phrases else 0
print(json.dumps(r))
"""


def run(command, environment=None):
    result = subprocess.run(["/usr/bin/time", "-f", "@@ %M"] + command, capture_output=True, text=True,
                            env=dict(os.environ, **(environment or {})))
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    peak = int([l for l in result.stderr.splitlines() if l.startswith("@@ ")][-1].split()[1]) / 1024
    figures = json.loads([l for l in result.stdout.splitlines() if l.startswith("{")][-1])
    figures["peak_mb"] = peak
    return figures


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    bench, peers, queries, rounds, corpora = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
    work = "/dev/shm/baton-bench-scale"
    os.makedirs(work, exist_ok=True)
    rows = {corpus: {"baton": [], "tantivy": []} for corpus in corpora}
    for number in range(rounds):
        for corpus in corpora:
            rows[corpus]["baton"].append(run([bench, corpus, queries], {"TMPDIR": work + "/"}))
            rows[corpus]["tantivy"].append(run([sys.executable, "-c", TANTIVY, peers, corpus, queries, work]))
            print(f"round {number + 1}/{rounds} {os.path.basename(corpus)}", file=sys.stderr, flush=True)
    keys = [("build_s", "build s", 2), ("mb_per_s", "build MB/s", 1), ("query_p50_us", "query p50 µs", 0),
            ("query_p95_us", "query p95 µs", 0), ("phrase_p50_us", "phrases p50 µs", 0), ("peak_mb", "peak MB", 0),
            ("build_beyond_corpus_mb", "build memory beyond the corpus MB", 0)]
    for corpus in corpora:
        print(f"\n{os.path.basename(corpus)}, {rounds} rounds, medians")
        print(f"| | Baton | Tantivy | Baton / Tantivy |\n|---|---|---|---|")
        for key, label, places in keys:
            b = statistics.median(r[key] for r in rows[corpus]["baton"])
            t = statistics.median(r[key] for r in rows[corpus]["tantivy"])
            print(f"| {label} | {b:.{places}f} | {t:.{places}f} | {b / t:.2f} |")
    # How latency grows with the collection: from the first corpus to each larger one, per 10× documents.
    first = corpora[0]
    for corpus in corpora[1:]:
        docs = [statistics.median(r["docs"] for r in rows[c]["baton"]) for c in (first, corpus)]
        if docs[1] <= docs[0]:
            continue
        decades = math.log10(docs[1] / docs[0])
        print(f"\ngrowth per 10× documents, {os.path.basename(first)} ({docs[0]:.0f}) to "
              f"{os.path.basename(corpus)} ({docs[1]:.0f}): p50 / p95")
        for engine in ("baton", "tantivy"):
            growth = []
            for key in ("query_p50_us", "query_p95_us"):
                small = statistics.median(r[key] for r in rows[first][engine])
                large = statistics.median(r[key] for r in rows[corpus][engine])
                growth.append((large / small) ** (1 / decades))
            print(f"| {engine} | {growth[0]:.2f}× | {growth[1]:.2f}× |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""BatonSearch against Tantivy on the same corpora and queries, interleaved rounds, medians.

Usage: scripts/bench_scale.py BATON_BENCH PEERS_PY QUERIES.txt ROUNDS CORPUS.jsonl...

PEERS_PY is ../shared/bench/peers.py: its Tantivy set-up and query translation are used as they are (its
per-query timings are recorded on the side, for the phrase median). Each round builds and queries every corpus
with both engines, one after the other, each in its own process; peak memory is the process's peak RSS.
Prints one table per corpus: build seconds and MB/s, query p50 and p95, the median of queries with a quoted
phrase, and peak memory.
"""
import json
import os
import statistics
import subprocess
import sys

TANTIVY = r"""
import importlib.util, json, sys, time
spec = importlib.util.spec_from_file_location("peers", sys.argv[1])
peers = importlib.util.module_from_spec(spec); spec.loader.exec_module(peers)
docs = peers.load(sys.argv[2])
queries = [l.strip() for l in open(sys.argv[3]) if l.strip()]
phrases = []
original = peers.timed_queries
def timed(run, queries, passes=3):
    def recorded(q):
        t = time.perf_counter(); ids = run(q)
        if '"' in q: phrases.append((time.perf_counter() - t) * 1e6)
        return ids
    return original(recorded, queries, passes)
peers.timed_queries = timed
r, _ = peers.tantivy_engine(docs, queries, sys.argv[4])
text = sum(len(d["body"].encode()) + len(d["title"].encode()) for d in docs)
r["mb_per_s"] = text / 1e6 / r["build_s"]
r["phrase_p50_us"] = sorted(phrases)[len(phrases) // 2] if phrases else 0
print(json.dumps(r))
"""


def run(command):
    result = subprocess.run(["/usr/bin/time", "-f", "@@ %M"] + command, capture_output=True, text=True)
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
            rows[corpus]["baton"].append(run([bench, corpus, queries]))
            rows[corpus]["tantivy"].append(run([sys.executable, "-c", TANTIVY, peers, corpus, queries, work]))
            print(f"round {number + 1}/{rounds} {os.path.basename(corpus)}", file=sys.stderr, flush=True)
    keys = [("build_s", "build s", 2), ("mb_per_s", "build MB/s", 1), ("query_p50_us", "query p50 µs", 0),
            ("query_p95_us", "query p95 µs", 0), ("phrase_p50_us", "phrases p50 µs", 0), ("peak_mb", "peak MB", 0)]
    for corpus in corpora:
        print(f"\n{os.path.basename(corpus)}, {rounds} rounds, medians")
        print(f"| | Baton | Tantivy | Baton / Tantivy |\n|---|---|---|---|")
        for key, label, places in keys:
            b = statistics.median(r[key] for r in rows[corpus]["baton"])
            t = statistics.median(r[key] for r in rows[corpus]["tantivy"])
            print(f"| {label} | {b:.{places}f} | {t:.{places}f} | {b / t:.2f} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""`baton build` against Hugo + Pagefind on the same pages, interleaved, on tmpfs.

Usage: scripts/bench_site.py BATON CORPUS.jsonl [ROUNDS]   (default 5 rounds)

The corpus becomes a knowledge base and a Hugo site of the same pages (scripts/corpus_kb.py). Each round times,
for each tool: a cold build into an empty folder; a build with nothing changed; a build after one page changed.
Prints medians (seconds), peak memory, and the search files each publishes (count, bytes, gzipped bytes).
"""
import gzip
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(command, cwd=None):
    """Wall seconds and peak resident memory (MB) of a command, by /usr/bin/time."""
    result = subprocess.run(["/usr/bin/time", "-f", "@@ %e %M"] + command, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}")
    line = [l for l in result.stderr.splitlines() if l.startswith("@@ ")][-1].split()
    return float(line[1]), int(line[2]) / 1024, result.stdout


def files(folder):
    count = size = packed = 0
    for base, _, names in os.walk(folder):
        for name in names:
            data = open(os.path.join(base, name), "rb").read()
            count += 1
            size += len(data)
            packed += len(gzip.compress(data, 6))
    return count, size, packed


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    baton, corpus = os.path.abspath(sys.argv[1]), sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    pagefind = [sys.executable, "-m", "pagefind"]
    work = "/dev/shm/baton-bench-site"
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    kb, hugo = work + "/kb", work + "/hugo"
    subprocess.run([sys.executable, os.path.join(HERE, "corpus_kb.py"), corpus, kb, "--hugo", hugo], check=True,
                   stdout=subprocess.DEVNULL)
    site, public = work + "/site", hugo + "/public"
    # The page changed each round: one entry, and the same page in the Hugo site.
    section = sorted(os.listdir(kb + "/content/knowledge"))[0]
    page = sorted(os.listdir(f"{kb}/content/knowledge/{section}"))[0]
    targets = [f"{kb}/content/knowledge/{section}/{page}", f"{hugo}/content/{section}/{page}"]
    rows = {key: [] for key in ["baton cold", "baton same", "baton one", "peers cold", "peers same", "peers one",
                                "baton mem", "peers mem"]}
    written = []
    for number in range(rounds):
        shutil.rmtree(site, ignore_errors=True)
        seconds, memory, _ = timed([baton, "build", "--root", kb, "--output", site])
        rows["baton cold"].append(seconds)
        rows["baton mem"].append(memory)
        rows["baton same"].append(timed([baton, "build", "--root", kb, "--output", site])[0])
        with open(targets[0], "a") as f:
            f.write(f"\nA line added in round {number}.\n")
        seconds, _, output = timed([baton, "build", "--root", kb, "--output", site])
        rows["baton one"].append(seconds)
        written.append(output.split("(")[1].split(")")[0] if "(" in output else output.strip())

        shutil.rmtree(public, ignore_errors=True)
        a, ma, _ = timed(["hugo", "--quiet", "-d", public], cwd=hugo)
        b, mb, _ = timed(pagefind + ["--site", public])
        rows["peers cold"].append(a + b)
        rows["peers mem"].append(ma + mb)
        a, _, _ = timed(["hugo", "--quiet", "-d", public], cwd=hugo)
        b, _, _ = timed(pagefind + ["--site", public])
        rows["peers same"].append(a + b)
        with open(targets[1], "a") as f:
            f.write(f"\nA line added in round {number}.\n")
        a, _, _ = timed(["hugo", "--quiet", "-d", public], cwd=hugo)
        b, _, _ = timed(pagefind + ["--site", public])
        rows["peers one"].append(a + b)
        print(f"round {number + 1}: baton {rows['baton cold'][-1]:.2f} / {rows['baton same'][-1]:.2f} / "
              f"{rows['baton one'][-1]:.2f} s; hugo + pagefind {rows['peers cold'][-1]:.2f} / "
              f"{rows['peers same'][-1]:.2f} / {rows['peers one'][-1]:.2f} s", flush=True)
    median = {key: statistics.median(values) for key, values in rows.items()}
    ours, theirs = files(site + "/search"), files(public + "/pagefind")
    documents = sum(len(names) for _, _, names in os.walk(kb + "/content"))
    print(f"\n{documents} pages, {rounds} interleaved rounds, medians, tmpfs ({os.cpu_count()} cores)\n")
    print("| | Baton | Hugo + Pagefind | Baton / peers |")
    print("|---|---|---|---|")
    for label, key in [("cold build", "cold"), ("rebuild, nothing changed", "same"), ("one page changed", "one")]:
        b, p = median["baton " + key], median["peers " + key]
        print(f"| {label} | {b:.2f} s | {p:.2f} s | {b / p:.2f}× |")
    print(f"| peak memory | {median['baton mem']:.0f} MB | {median['peers mem']:.0f} MB (Hugo + Pagefind, each run alone) | "
          f"{median['baton mem'] / median['peers mem']:.2f}× |")
    print(f"| search files | {ours[0]:,} files, {ours[1] / 1e6:.1f} MB ({ours[2] / 1e6:.1f} MB gzipped) | "
          f"{theirs[0]:,} files, {theirs[1] / 1e6:.1f} MB ({theirs[2] / 1e6:.1f} MB gzipped) | "
          f"{ours[0] / theirs[0]:.1f}× the files, {ours[2] / theirs[2]:.2f}× the gzipped bytes |")
    print(f"\nBaton after one page changed: {written[-1]}")


if __name__ == "__main__":
    main()

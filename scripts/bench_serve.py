#!/usr/bin/env python3
"""How soon `baton serve` serves an edit: starts it on a copy of a knowledge base, changes an entry's title
RUNS times, and times from each save to the first fetch of the page that shows the new title (polling every
20 ms). Prints each time and the median.

Usage: scripts/bench_serve.py BATON KNOWLEDGE_BASE [RUNS]   (make bench-serve runs it on the example)
"""
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    baton, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    work = tempfile.mkdtemp(prefix="baton-bench-serve-")
    root = os.path.join(work, "kb")
    os.makedirs(root)
    shutil.copytree(os.path.join(source, "content"), os.path.join(root, "content"))
    shutil.copy(os.path.join(source, "baton.yml"), root)
    entries = sorted(os.path.join(d, f) for d, _, fs in os.walk(os.path.join(root, "content", "knowledge")) for f in fs if f.endswith(".md"))
    entry = entries[0]
    page = os.path.relpath(entry, os.path.join(root, "content"))[:-3] + ".html"
    port = 18765
    server = subprocess.Popen([baton, "serve", "--port", str(port), "--root", root], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/{page}"

    def fetch():
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return answer.read().decode()
        except OSError:
            return ""

    try:
        deadline = time.time() + 120
        while "<h1>" not in fetch():
            if time.time() > deadline:
                print("baton serve did not answer", file=sys.stderr)
                return 1
            time.sleep(0.1)
        text = open(entry, encoding="utf-8").read()
        times = []
        for run in range(runs):
            title = f"Benchmark title {run}"
            changed = re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
            started = time.perf_counter()
            with open(entry, "w", encoding="utf-8") as f:
                f.write(changed)
            while f"<h1>{title}</h1>" not in fetch():
                time.sleep(0.02)
            times.append((time.perf_counter() - started) * 1000)
            print(f"edit {run + 1}: served after {times[-1]:.0f} ms")
            time.sleep(0.5)
        print(f"\n{page} ({len(entries)} knowledge entries): median {statistics.median(times):.0f} ms, "
              f"min {min(times):.0f}, max {max(times):.0f}, over {runs} edits")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""A generated corpus of any size: words drawn from a Zipf distribution over a real vocabulary.

Usage: scripts/zipf_corpus.py SOURCE.jsonl OUT.jsonl COUNT [--seed N]

The vocabulary is every word of SOURCE (a corpus of the shared benchmark, so that its queries find pages), ranked
by how often it occurs there; word r is drawn with probability proportional to 1 / (r + 2.7) (Zipf–Mandelbrot,
exponent 1, as English text follows). Body lengths are log-normal around 150 words (mean about 200, from 20 to
20,000), titles 3 to 8 words; a body is cut into sentences of 8 to 30 words. Needs numpy. The same arguments
make the same file.
"""
import json
import math
import re
import sys
from collections import Counter

import numpy as np

WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    source, target, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    seed = int(sys.argv[sys.argv.index("--seed") + 1]) if "--seed" in sys.argv else 20261202
    counts = Counter()
    for line in open(source, encoding="utf-8"):
        record = json.loads(line)
        counts.update(w.lower() for w in WORD.findall(record["title"] + " " + record["body"]))
    vocabulary = [word for word, _ in counts.most_common()]
    weights = 1.0 / (np.arange(len(vocabulary)) + 2.7)
    cumulative = np.cumsum(weights / weights.sum())
    words = np.array(vocabulary, dtype=object)
    rng = np.random.default_rng(seed)
    batch = 10_000
    with open(target, "w", encoding="utf-8") as out:
        for first in range(0, count, batch):
            size = min(batch, count - first)
            lengths = np.clip(rng.lognormal(math.log(150), 0.8, size).astype(int), 20, 20_000)
            titles = rng.integers(3, 9, size)
            drawn = words[np.minimum(np.searchsorted(cumulative, rng.random(int(lengths.sum() + titles.sum()))),
                                     len(vocabulary) - 1)]
            cuts = rng.integers(8, 31, int(lengths.sum()) // 8 + size)
            at = cut = 0
            lines = []
            for offset in range(size):
                title = " ".join(drawn[at:at + titles[offset]]).capitalize()
                at += titles[offset]
                end = at + lengths[offset]
                sentences = []
                while at < end:
                    step = min(int(cuts[cut]), end - at)
                    cut += 1
                    sentences.append(" ".join(drawn[at:at + step]).capitalize() + ".")
                    at += step
                lines.append(json.dumps({"id": f"zipf-{first + offset:07d}", "title": title, "body": " ".join(sentences)}))
            out.write("\n".join(lines) + "\n")
            if (first + size) % 100_000 == 0:
                print(f"{first + size} documents", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()

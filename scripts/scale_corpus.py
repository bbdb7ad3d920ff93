#!/usr/bin/env python3
"""A scale corpus from a smaller one: COPIES copies of every document, each copy's text a little different.

Usage: scripts/scale_corpus.py CORPUS.jsonl OUT.jsonl COPIES [--tied]

Copy 0 is the document as it is; copy r (id "ID#r") drops about one sentence in ten and says about one in
twenty twice, chosen by a hash of the id, the copy and the sentence, so the same command makes the same file.
Copies that differ do not tie in score, so block-max pruning can pass them over as it would real documents.
With --tied every copy is the document unchanged (what `baton-bench --replicate` does).
"""
import hashlib
import json
import re
import sys

SENTENCE = re.compile(r"(?<=[.!?])\s+")


def chance(*parts):
    """A number in [0, 1) from the parts, the same on every run."""
    digest = hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little") / 2**64


def vary(text, key, copy):
    out = []
    for number, sentence in enumerate(SENTENCE.split(text)):
        roll = chance(key, copy, number)
        if roll < 0.10:
            continue
        out.append(sentence)
        if roll > 0.95:
            out.append(sentence)
    return " ".join(out)


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    source, target, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
    tied = "--tied" in sys.argv[4:]
    lines = [json.loads(line) for line in open(source, encoding="utf-8") if line.strip()]
    with open(target, "w", encoding="utf-8") as out:
        for copy in range(copies):
            for line in lines:
                if copy == 0:
                    record = line
                else:
                    record = dict(line, id=f"{line['id']}#{copy}")
                    if not tied:
                        record["body"] = vary(line["body"], line["id"], copy)
                out.write(json.dumps(record, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Measure how much of each imported page's visible text survives into its knowledge entry.

Usage: scripts/import_fidelity.py KNOWLEDGE_BASE_ROOT

For every entry with a `source:` HTML file, the reference text is what lxml sees after dropping scripts, styles,
navigation, headers, footers and Sphinx/DocBook chrome (as ../shared/bench/make_corpus.py does); the entry's
text is its Markdown body with the markup removed. Prints the mean share of reference words (as a multiset)
found in the entry, the lowest pages, and whether navigation text leaked in.
"""
import collections, glob, os, re, sys
from lxml import html as lxhtml

DROP = ("script", "style", "nav", "header", "footer", "noscript")
CHROME = ("//div[contains(@class,'sphinxsidebar') or contains(@class,'related') or contains(@class,'navheader') "
          "or contains(@class,'navfooter') or contains(@class,'footer')]")
LEAKS = ["Quick search", "Previous topic", "Next topic", "This Page", "Report a Bug", "Show Source"]


def words(text):
    return collections.Counter(re.findall(r"\w+", text.lower()))


def reference(path):
    doc = lxhtml.parse(path).getroot()
    for bad in doc.xpath("|".join("//" + t for t in DROP)):
        bad.drop_tree()
    for bad in doc.xpath(CHROME):
        bad.drop_tree()
    for bad in doc.xpath("//a[contains(@class,'headerlink')]"):
        bad.drop_tree()
    body = doc.find(".//body")
    return body.text_content() if body is not None else ""


def entry_text(path):
    text = open(path, encoding="utf-8").read()
    body = text.split("\n---\n", 1)[1] if text.startswith("---\n") else text
    body = re.sub(r"\]\([^)]*\)", "]", body)        # link targets
    body = re.sub(r"\\(.)", r"\1", body)             # escapes
    body = re.sub(r"[`*#>|\[\]!]", " ", body)         # markup characters (underscores are text here)
    return body


def main():
    root = sys.argv[1]
    shares, leaked = [], []
    for path in glob.glob(os.path.join(root, "content", "knowledge", "*", "*.md")):
        source = None
        for line in open(path, encoding="utf-8"):
            if line.startswith("source: "):
                source = line[len("source: "):].strip().strip('"')
                break
        if not source or not os.path.exists(source):
            continue
        ref = words(reference(source))
        got = words(entry_text(path))
        total = sum(ref.values())
        if total == 0:
            continue
        kept = sum(min(count, got[word]) for word, count in ref.items())
        shares.append((kept / total, path))
        text = open(path, encoding="utf-8").read()
        if any(leak in text for leak in LEAKS):
            leaked.append(path)
    shares.sort()
    mean = sum(s for s, _ in shares) / len(shares)
    print(f"pages: {len(shares)}, mean share of visible words kept: {mean * 100:.2f} %, "
          f"median: {shares[len(shares) // 2][0] * 100:.2f} %")
    print("lowest:", ", ".join(f"{os.path.basename(p)} {s * 100:.1f} %" for s, p in shares[:5]))
    print(f"pages with navigation text: {len(leaked)}", ", ".join(os.path.basename(p) for p in leaked[:5]))


if __name__ == "__main__":
    main()

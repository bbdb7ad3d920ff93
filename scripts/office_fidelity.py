#!/usr/bin/env python3
"""Score Baton's import of Word (.docx) and OpenDocument (.odt) files side by side with pandoc's (-t gfm).

Usage: scripts/office_fidelity.py BATON FILE_OR_FOLDER...

The reference text of a file is what its XML holds for a reader, read here with zipfile and lxml on their own:
for Word, every w:t of the body, footnotes and endnotes, leaving out deleted and moved-away text and the fallback
copies Word keeps of drawings; for OpenDocument, the text of office:text without tracked changes, note marks,
comments, embedded binary data and generated indexes. Both outputs are stripped of Markdown (and pandoc's raw
HTML tags) and compared with it as multisets of words:

- recall: the share of the reference's words the output has; precision: the share of the output's words that
  are the reference's (text added or repeated lowers it);
- tables: GFM tables in the output against the tables in the file (pandoc writes a table it cannot express in
  GFM as raw HTML; those are counted apart);
- code blocks, headings and footnotes kept.

Each tool runs once per file; the times are wall-clock totals for all files.
"""
import collections, glob, json, os, re, shutil, subprocess, sys, tempfile, time, zipfile
from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def words(text):
    return collections.Counter(re.findall(r"\w+", text.lower()))


def word_reference(path):
    """Words, tables and footnotes of a .docx, straight from its XML."""
    archive = zipfile.ZipFile(path)
    text, tables, notes = [], 0, 0
    for part in ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml"):
        if part not in archive.namelist():
            continue
        root = etree.fromstring(archive.read(part))
        for skipped in root.iter(f"{{{W}}}del", f"{{{W}}}moveFrom", f"{{{MC}}}Fallback"):
            skipped.clear()
        for note in root.iter(f"{{{W}}}footnote", f"{{{W}}}endnote"):
            if note.get(f"{{{W}}}type") in ("separator", "continuationSeparator", "continuationNotice"):
                note.clear()
            else:
                notes += 1
        text += [t.text or "" for t in root.iter(f"{{{W}}}t")]
        tables += sum(1 for _ in root.iter(f"{{{W}}}tbl"))
    return words(" ".join(text)), tables, notes


def odt_reference(path):
    root = etree.fromstring(zipfile.ZipFile(path).read("content.xml"))
    body = root.find(f".//{{{OFFICE}}}text")
    drop = [f"{{{TEXT}}}tracked-changes", f"{{{TEXT}}}note-citation", f"{{{OFFICE}}}annotation",
            f"{{{OFFICE}}}binary-data", f"{{{TEXT}}}table-of-content", f"{{{TEXT}}}alphabetical-index",
            f"{{{TEXT}}}sequence-decls"]
    for element in list(body.iter(*drop)):
        tail = element.tail
        element.clear()
        element.tail = tail
    notes = sum(1 for _ in body.iter(f"{{{TEXT}}}note"))
    tables = sum(1 for _ in body.iter(f"{{{TABLE}}}table"))
    # Every text node on its own: adjacent paragraphs are separate words even with no space between them.
    return words(" ".join(body.itertext())), tables, notes


def markdown_text(markdown):
    body = markdown.split("\n---\n", 1)[1] if markdown.startswith("---\n") else markdown
    body = re.sub(r"</?(table|thead|tbody|tfoot|tr|td|th|colgroup|col|p|br|div|span|sup|sub|a|img)\b[^>\n]*>", " ", body)  # raw HTML (pandoc's tables)
    body = re.sub(r"\]\([^)]*\)", "]", body)          # link targets
    body = re.sub(r"^\[\^\w+\]:", " ", body, flags=re.M)  # footnote labels
    body = re.sub(r"\[\^\w+\]", " ", body)
    body = re.sub(r"\\(.)", r"\1", body)               # escapes
    body = re.sub(r"[`*#>|\[\]!~]", " ", body)
    return body


def shape(markdown):
    lines = markdown.split("\n")
    fences = sum(1 for line in lines if re.match(r"^\s*(```|~~~)", line)) // 2
    return {
        "gfm_tables": sum(1 for line in lines if re.match(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", line)),
        "html_tables": len(re.findall(r"<table", markdown)),
        "code_blocks": fences,
        "headings": sum(1 for line in lines if re.match(r"^#{1,6} ", line)),
    }


def score(reference, output):
    got = words(markdown_text(output))
    common = sum(min(count, got[word]) for word, count in reference.items())
    return common / max(1, sum(reference.values())), common / max(1, sum(got.values()))


def main():
    baton, inputs = sys.argv[1], sys.argv[2:]
    files = []
    for item in inputs:
        files += sorted(glob.glob(os.path.join(item, "*.docx")) + glob.glob(os.path.join(item, "*.odt"))) if os.path.isdir(item) else [item]
    refs = {f: (word_reference(f) if f.endswith(".docx") else odt_reference(f)) for f in files}

    kb = tempfile.mkdtemp(prefix="office-fidelity-")
    subprocess.run([baton, "init", kb], check=True, capture_output=True)
    start = time.perf_counter()
    done = subprocess.run([baton, "--root", kb, "import", "--json", *files], capture_output=True, text=True)
    baton_seconds = time.perf_counter() - start
    results = json.loads(done.stdout)["files"]
    baton_out = {}
    for result in results:
        if result.get("entry"):
            baton_out[os.path.realpath(result["source"])] = open(os.path.join(kb, "content", result["entry"] + ".md"), encoding="utf-8").read()

    pandoc_out, pandoc_seconds = {}, 0.0
    for f in files:
        start = time.perf_counter()
        run = subprocess.run(["pandoc", "-f", "docx" if f.endswith(".docx") else "odt", "-t", "gfm", "--wrap=none", f],
                             capture_output=True, text=True)
        pandoc_seconds += time.perf_counter() - start
        pandoc_out[f] = run.stdout if run.returncode == 0 else ""

    rows = []
    for family in (".docx", ".odt"):
        chosen = [f for f in files if f.endswith(family)]
        if not chosen:
            continue
        for tool, outputs in (("Baton", {f: baton_out.get(os.path.realpath(f), "") for f in chosen}), ("pandoc", {f: pandoc_out[f] for f in chosen})):
            recalls, precisions, totals = [], [], collections.Counter()
            for f in chosen:
                recall, precision = score(refs[f][0], outputs[f])
                recalls.append(recall)
                precisions.append(precision)
                totals.update(shape(outputs[f]))
            rows.append((family, tool, len(chosen), sum(recalls) / len(recalls), min(recalls), sum(precisions) / len(precisions),
                         totals["gfm_tables"], totals["html_tables"], sum(refs[f][1] for f in chosen), totals["code_blocks"], totals["headings"]))
    print(f"{'files':<6} {'tool':<7} {'n':>3} {'recall':>7} {'min':>6} {'precision':>9} {'GFM tables':>10} {'HTML tables':>11} {'of tables':>9} {'code blocks':>11} {'headings':>8}")
    for family, tool, n, recall, low, precision, gfm, html, tables, code, headings in rows:
        print(f"{family:<6} {tool:<7} {n:>3} {recall:>7.3f} {low:>6.3f} {precision:>9.3f} {gfm:>10} {html:>11} {tables:>9} {code:>11} {headings:>8}")
    print(f"time for all {len(files)} files: Baton {baton_seconds:.2f} s (one import), pandoc {pandoc_seconds:.2f} s (one run per file)")
    worst = sorted((score(refs[f][0], baton_out.get(os.path.realpath(f), ""))[0], f) for f in files)[:3]
    print("Baton's lowest recall:", ", ".join(f"{os.path.basename(f)} {r:.3f}" for r, f in worst))
    shutil.rmtree(kb)


if __name__ == "__main__":
    main()

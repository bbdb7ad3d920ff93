#!/usr/bin/env python3
"""Score Baton's DocBook import side by side with pandoc's (-f docbook -t gfm) on the same documents.

Usage: scripts/docbook_fidelity.py BATON FILE...

Each DocBook file is first made whole with lxml (its entities written out and its XIncludes read in, nothing
fetched from the network), and both tools read that same standalone copy. The reference is the copy's text
without its metadata (info, bookinfo, articleinfo and the other *info wrappers, indexterm, remark, comments):

- recall: the share of the reference's words (as a multiset) the output has; precision: the share of the
  output's words that are the reference's;
- listings: code blocks in the output against the programlisting, screen, literallayout and synopsis elements;
- tables: GFM tables in the output (pandoc's raw HTML tables counted apart) against table and informaltable;
- cross-references: links in the output that arrive, against the xref and link[@linkend] elements. A link
  arrives when the file it names exists (pandoc writes one file per document, Baton one per chapter) and its
  fragment is an anchor there: a heading's GitHub-style anchor or an HTML id.

Baton imports all the files in one run (chapters as entries, the default); pandoc runs once per file.
"""
import collections, json, os, re, shutil, subprocess, sys, tempfile, time
from lxml import etree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from office_fidelity import markdown_text, words  # noqa: E402

METADATA = {"info", "bookinfo", "articleinfo", "chapterinfo", "sectioninfo", "sect1info", "sect2info", "sect3info",
            "appendixinfo", "prefaceinfo", "refentryinfo", "refsect1info", "partinfo", "setinfo", "indexterm", "remark"}
LISTINGS = {"programlisting", "screen", "literallayout", "synopsis", "cmdsynopsis", "funcsynopsis"}


def local(tag):
    return tag.split("}", 1)[1] if isinstance(tag, str) and "}" in tag else tag


# Elements inside running text: their text joins the words around it (`<accel>F</accel>ile` is "File").
INLINE = {"emphasis", "literal", "accel", "guimenu", "guimenuitem", "guisubmenu", "guibutton", "guilabel", "guiicon",
          "command", "filename", "replaceable", "link", "ulink", "xref", "quote", "subscript", "superscript", "code",
          "function", "varname", "option", "parameter", "userinput", "computeroutput", "application", "productname",
          "acronym", "abbrev", "phrase", "citetitle", "firstterm", "glossterm", "trademark", "envar", "classname",
          "methodname", "type", "constant", "systemitem", "sgmltag", "symbol", "token", "markup", "wordasword",
          "foreignphrase", "email", "uri", "literal", "prompt", "keysym", "mousebutton", "interface",
          "structname", "structfield", "errorcode", "errorname", "returnvalue", "property", "tag", "citerefentry",
          "inlinemediaobject", "footnoteref", "anchor", "indexterm", "remark"}


def text_of(element):
    """The element's words as a reader sees them: blocks apart, inline elements run into their neighbours."""
    parts = []

    def visit(node):
        inline = local(node.tag) in INLINE
        if not inline:
            parts.append(" ")
        parts.append(node.text or "")
        for child in node:
            if isinstance(child.tag, str):
                visit(child)
            parts.append(child.tail or "")
        if not inline:
            parts.append(" ")

    visit(element)
    return "".join(parts)


def drop(element):
    """Removes an element (or comment) and keeps the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + " " + tail
    else:
        parent.text = (parent.text or "") + " " + tail
    parent.remove(element)


def standalone(path, folder):
    """The document with entities and XIncludes resolved, written into `folder`; its reference words and counts."""
    parser = etree.XMLParser(resolve_entities=True, load_dtd=True, no_network=True, recover=True, huge_tree=True)
    tree = etree.parse(path, parser)
    try:
        tree.xinclude()
    except etree.XIncludeError:
        pass
    root = tree.getroot()
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or local(element.tag) in METADATA:
            drop(element)
    out = os.path.join(folder, os.path.basename(path).replace(".xml.in", ".xml"))
    if not out.endswith(".xml"):
        out += ".xml"
    # The copy keeps the document as written (metadata included): each tool decides what to leave out.
    whole = etree.parse(path, parser)
    try:
        whole.xinclude()
    except etree.XIncludeError:
        pass
    with open(out, "wb") as handle:
        handle.write(etree.tostring(whole.getroot(), xml_declaration=True, encoding="UTF-8"))
    counts = collections.Counter()
    for element in root.iter():
        name = local(element.tag)
        if name in LISTINGS:
            counts["listings"] += 1
        elif name in ("table", "informaltable"):
            counts["tables"] += 1
        elif name == "xref" or (name == "link" and element.get("linkend")):
            counts["xrefs"] += 1
    return out, words(text_of(root)), counts


def shape(markdown):
    """Code blocks (fenced or indented) and tables as a CommonMark reader sees them: pandoc's own gfm reader."""
    run = subprocess.run(["pandoc", "-f", "gfm", "-t", "json"], input=markdown, capture_output=True, text=True)
    counts = collections.Counter()

    def walk(node):
        if isinstance(node, dict):
            kind = node.get("t")
            if kind == "CodeBlock":
                counts["code_blocks"] += 1
            elif kind == "Table":
                counts["gfm_tables"] += 1
            elif kind == "RawBlock" and "<table" in str(node.get("c", "")):
                counts["html_tables"] += str(node["c"]).count("<table")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    if run.returncode == 0:
        walk(json.loads(run.stdout))
    return counts


def slug(text):
    """A heading's anchor as Baton and GitHub make it: the rendered text, lower case, punctuation but - and _
    dropped, spaces as hyphens (the Markdown's escapes, emphasis and code marks are not text)."""
    text = re.sub(r"\\(.)", r"\1", re.sub(r"[`*]", "", text.strip().lower()))
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(markdown):
    found, used = set(), collections.Counter()
    fence = False
    for line in markdown.split("\n"):
        if re.match(r"^\s*(```|~~~)", line):
            fence = not fence
        if fence:
            continue
        heading = re.match(r"^#{1,6} (.*?)\s*#*\s*$", line)
        if heading:
            base = slug(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading.group(1)))
            found.add(base if used[base] == 0 else f"{base}-{used[base]}")
            used[base] += 1
    found.update(re.findall(r"""(?:id|name)=["']([^"']+)["']""", markdown))
    return found


def arriving(files):
    """Links between the outputs (path → Markdown) that arrive, per output file."""
    marks = {path: anchors(text) for path, text in files.items()}
    result = collections.Counter()
    for path, text in files.items():
        for target in re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", text):
            if "://" in target or target.startswith("mailto:"):
                continue
            name, _, fragment = target.partition("#")
            destination = os.path.normpath(os.path.join(os.path.dirname(path), name)) if name else path
            if destination in marks and (not fragment or fragment in marks[destination]):
                result[path] += 1
    return result


def main():
    baton, inputs = sys.argv[1], sys.argv[2:]
    folder = tempfile.mkdtemp(prefix="docbook-fidelity-")
    documents = {}
    for path in inputs:
        copy, reference, counts = standalone(path, folder)
        documents[copy] = (reference, counts)

    kb = tempfile.mkdtemp(prefix="docbook-kb-")
    subprocess.run([baton, "init", kb], check=True, capture_output=True)
    start = time.perf_counter()
    done = subprocess.run([baton, "--root", kb, "import", "--json", *documents], capture_output=True, text=True)
    baton_seconds = time.perf_counter() - start
    entries = collections.defaultdict(list)  # document → its entries' files
    for result in json.loads(done.stdout)["files"]:
        if result.get("entry"):
            entries[os.path.realpath(result["source"].split("#")[0])].append(os.path.join(kb, "content", result["entry"] + ".md"))
    # Each entry's body: its front matter is Baton's, not the document's text.
    every = {path: re.sub(r"\A---\n.*?\n---\n", "", open(path, encoding="utf-8").read(), flags=re.S)
             for paths in entries.values() for path in paths}
    baton_links = arriving(every)

    pandoc_out, pandoc_seconds = {}, 0.0
    for copy in documents:
        start = time.perf_counter()
        run = subprocess.run(["pandoc", "-f", "docbook", "-t", "gfm", "--wrap=none", copy], capture_output=True, text=True)
        pandoc_seconds += time.perf_counter() - start
        pandoc_out[copy] = run.stdout if run.returncode == 0 else ""
    pandoc_links = arriving({copy + ".md": text for copy, text in pandoc_out.items()})

    def score(reference, output):
        # Emphasis and code marks join what they touch (`*i*th` is "ith"), as the DocBook source does.
        got = words(markdown_text(re.sub(r"[*`]", "", output)))
        common = sum(min(count, got[word]) for word, count in reference.items())
        return common / max(1, sum(reference.values())), common / max(1, sum(got.values()))

    totals = collections.Counter()
    rows = {"Baton": [], "pandoc": []}
    shapes = {"Baton": collections.Counter(), "pandoc": collections.Counter()}
    links = {"Baton": 0, "pandoc": 0}
    for copy, (reference, counts) in documents.items():
        totals.update(counts)
        baton_text = "\n\n".join(every[p] for p in entries.get(os.path.realpath(copy), []))
        for tool, text in (("Baton", baton_text), ("pandoc", pandoc_out[copy])):
            rows[tool].append((score(reference, text), os.path.basename(copy)))
            shapes[tool].update(shape(text))
        links["Baton"] += sum(baton_links[p] for p in entries.get(os.path.realpath(copy), []))
        links["pandoc"] += pandoc_links[copy + ".md"]

    n = len(documents)
    print(f"{n} DocBook documents: {totals['listings']} listings, {totals['tables']} tables, {totals['xrefs']} cross-references")
    print(f"{'tool':<7} {'recall':>7} {'min':>6} {'precision':>9} {'min':>6} {'listings':>8} {'GFM tables':>10} {'HTML tables':>11} {'xrefs arriving':>14}")
    for tool in ("Baton", "pandoc"):
        recalls = [r for (r, _), _ in rows[tool]]
        precisions = [p for (_, p), _ in rows[tool]]
        print(f"{tool:<7} {sum(recalls) / n:>7.3f} {min(recalls):>6.3f} {sum(precisions) / n:>9.3f} {min(precisions):>6.3f} "
              f"{shapes[tool]['code_blocks']:>8} {shapes[tool]['gfm_tables']:>10} {shapes[tool]['html_tables']:>11} {links[tool]:>14}")
    print(f"time: Baton {baton_seconds:.2f} s (one import), pandoc {pandoc_seconds:.2f} s (one run per file)")
    for tool in ("Baton", "pandoc"):
        worst = sorted(rows[tool])[:3]
        print(f"{tool} lowest:", ", ".join(f"{name} recall {r:.3f} precision {p:.3f}" for (r, p), name in worst))
    shutil.rmtree(kb)
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()

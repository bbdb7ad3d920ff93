#!/usr/bin/env python3
"""Turn a benchmark corpus (JSONL: id, title, body) into a Baton knowledge base, one knowledge entry per
document, and optionally into a Hugo site of the same pages, so that `baton build` and Hugo + Pagefind can be
timed on the same text.

Usage: scripts/corpus_kb.py CORPUS.jsonl OUTPUT_DIR [--hugo HUGO_DIR]
"""
import json
import os
import re
import shutil
import sys

SECTIONS = [
    "organisational-arrangements", "business-case", "asset-register", "risk-assessment",
    "commercial-agreement", "management-activities", "continuous-improvement", "knowledge-management",
    "communications", "exit-arrangements",
]


def slug(text):
    value = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return value[:80].strip("-") or "page"


def paragraphs(body, words=120):
    """The flat corpus text as paragraphs of about `words` words, so pages have some shape."""
    tokens = body.split()
    return "\n\n".join(" ".join(tokens[i:i + words]) for i in range(0, len(tokens), words))


def quoted(text):
    return json.dumps(text, ensure_ascii=False)


def main():
    args = sys.argv[1:]
    hugo = None
    if "--hugo" in args:
        at = args.index("--hugo")
        hugo = args[at + 1]
        del args[at:at + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    corpus, output = args
    if os.path.exists(output):
        shutil.rmtree(output)
    os.makedirs(output)
    with open(os.path.join(output, "baton.yml"), "w") as f:
        f.write("title: Benchmark corpus\norganisations:\n  - {id: ours, name: Ours, side: client}\n"
                "  - {id: theirs, name: Theirs, side: supplier}\nphase: operations\n")
    if hugo:
        if os.path.exists(hugo):
            shutil.rmtree(hugo)
        os.makedirs(os.path.join(hugo, "content"))
        os.makedirs(os.path.join(hugo, "layouts", "_default"))
        with open(os.path.join(hugo, "config.toml"), "w") as f:
            f.write('baseURL = "http://localhost/"\ntitle = "Benchmark corpus"\ndisableKinds = ["taxonomy", "term", "RSS"]\n')
        # The smallest layout that gives each page its title and text, and Pagefind its body.
        with open(os.path.join(hugo, "layouts", "_default", "single.html"), "w") as f:
            f.write('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
                    '<body><nav><a href="/">Home</a></nav><main data-pagefind-body><h1>{{ .Title }}</h1>{{ .Content }}'
                    '</main></body></html>\n')
        with open(os.path.join(hugo, "layouts", "_default", "list.html"), "w") as f:
            f.write('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>'
                    '<body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>'
                    '{{ end }}</ul></main></body></html>\n')
    seen = set()
    count = 0
    with open(corpus) as f:
        for line in f:
            doc = json.loads(line)
            name = slug(doc["id"])
            while name in seen:
                name += "-x"
            seen.add(name)
            section = SECTIONS[count % len(SECTIONS)]
            count += 1
            folder = os.path.join(output, "content", "knowledge", section)
            os.makedirs(folder, exist_ok=True)
            text = paragraphs(doc["body"])
            with open(os.path.join(folder, name + ".md"), "w") as out:
                out.write(f"---\ntitle: {quoted(doc['title'])}\nsection: {section}\n---\n{text}\n")
            if hugo:
                folder = os.path.join(hugo, "content", section)
                os.makedirs(folder, exist_ok=True)
                with open(os.path.join(folder, name + ".md"), "w") as out:
                    out.write(f"---\ntitle: {quoted(doc['title'])}\n---\n{text}\n")
    print(f"{count} entries -> {output}" + (f" and {hugo}" if hugo else ""))


if __name__ == "__main__":
    main()

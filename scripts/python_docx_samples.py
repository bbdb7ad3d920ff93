#!/usr/bin/env python3
"""Write Word files with python-docx, for scripts/office_fidelity.py: documents made the way programs (not
LibreOffice) make them, with python-docx's own template and styles.

Usage: scripts/python_docx_samples.py CORPUS.jsonl OUT_FOLDER [COUNT]

Each document takes the text of one corpus page (../shared/bench/make_corpus.py writes them) and lays it out
with headings (Heading 1-3), paragraphs with bold and italic runs, bulleted and numbered lists (List Bullet,
List Bullet 2, List Number), a table with a header row, and a code listing in a monospace font, so that every
construct the importer reads appears in every file. The layout is fixed by the page's position in the corpus:
the same corpus gives the same files.
"""
import json, os, sys
import docx
from docx.shared import Pt


def sentences(body):
    parts = [part.strip() for part in body.replace("¶", " ").split(". ") if len(part.strip()) > 20]
    return [part if part.endswith(".") else part + "." for part in parts]


def write(page, path):
    document = docx.Document()
    document.core_properties.title = page["title"].split(" — ")[0]
    document.core_properties.author = "Baton fidelity samples"
    text = sentences(page["body"])
    if len(text) < 12:
        return False
    document.add_heading(document.core_properties.title, level=1)
    chunks = [text[i:i + 6] for i in range(0, len(text), 6)][:8]
    for number, chunk in enumerate(chunks):
        document.add_heading(chunk[0][:60].rstrip("."), level=2 if number % 3 else 3)
        paragraph = document.add_paragraph()
        words = " ".join(chunk[1:3]).split(" ")
        # A bold and an italic run inside ordinary text.
        paragraph.add_run(" ".join(words[:4]) + " ").bold = True
        paragraph.add_run(" ".join(words[4:9]) + " ").italic = True
        paragraph.add_run(" ".join(words[9:]))
        style = ["List Bullet", "List Number", "List Bullet"][number % 3]
        for item in chunk[3:5]:
            document.add_paragraph(item, style=style)
        if number % 3 == 0 and len(chunk) > 5:
            document.add_paragraph(chunk[5], style="List Bullet 2")
        if number % 2 == 0:
            table = document.add_table(rows=3, cols=2)
            table.style = "Table Grid"
            cells = " ".join(chunk).split(" ")
            for row in range(3):
                for column in range(2):
                    start = (row * 2 + column) * 3
                    table.cell(row, column).text = " ".join(cells[start:start + 3]) or "-"
        if number % 4 == 1:
            code = document.add_paragraph()
            run = code.add_run(" ".join(chunk[-1].split(" ")[:8]))
            run.font.name = "Courier New"
            run.font.size = Pt(9)
    document.save(path)
    return True


def main():
    corpus, folder = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    os.makedirs(folder, exist_ok=True)
    written = 0
    with open(corpus, encoding="utf-8") as lines:
        for index, line in enumerate(lines):
            if written >= count:
                break
            if index % 7:
                continue
            page = json.loads(line)
            name = os.path.splitext(page["id"].replace("/", "-"))[0] + ".docx"
            if write(page, os.path.join(folder, name)):
                written += 1
    print(f"{written} documents in {folder}")


if __name__ == "__main__":
    main()

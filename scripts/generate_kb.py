#!/usr/bin/env python3
"""Generate a synthetic Baton knowledge base of N files, for measuring load and check time.

Usage: scripts/generate_kb.py OUTPUT_DIR [N]   (default N = 2000)

The mix follows a large real partnership: 10 % roles, 30 % people, 2 % checklists, 3 % handovers and the
rest knowledge entries spread over the ten plan sections, with references between them that all resolve,
so the result checks clean and every file exercises YAML, Markdown and reference resolution.
"""
import os
import random
import shutil
import sys

SECTIONS = [
    "organisational-arrangements", "business-case", "asset-register", "risk-assessment",
    "commercial-agreement", "management-activities", "continuous-improvement", "knowledge-management",
    "communications", "exit-arrangements",
]
WORDS = ("service change contract supplier client review incident escalation plan risk budget team meeting "
         "report handover onboarding partner governance board licence runbook backlog benefit exit trigger "
         "knowledge owner relationship cadence quarterly monthly outage telemetry network security").split()


def sentence(rng, n=12):
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def main():
    out = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    rng = random.Random(42)
    if os.path.exists(out):
        shutil.rmtree(out)
    n_roles = max(2, total // 10)
    n_people = max(2, total * 3 // 10)
    n_lists = max(1, total // 50)
    n_handovers = max(1, total * 3 // 100)
    n_knowledge = total - n_roles - n_people - n_lists - n_handovers
    for folder in ["roles", "people", "checklists", "handovers"] + [f"knowledge/{s}" for s in SECTIONS]:
        os.makedirs(os.path.join(out, "content", folder))
    with open(os.path.join(out, "baton.yml"), "w") as f:
        f.write("title: Generated knowledge base\norganisations:\n"
                "  - {id: client, name: Client, side: client}\n"
                "  - {id: supplier, name: Supplier, side: supplier}\nphase: operations\n")

    def write(path, front, body):
        with open(os.path.join(out, "content", path + ".md"), "w") as f:
            f.write("---\n" + front + "---\n" + body)

    roles = [f"role-{i:04d}" for i in range(n_roles)]
    people = [f"person-{i:04d}" for i in range(n_people)]
    lists = [f"checklist-{i:03d}" for i in range(n_lists)]
    knowledge = [f"{SECTIONS[i % 10]}/entry-{i:05d}" for i in range(n_knowledge)]
    for i, role in enumerate(roles):
        org = "client" if i % 2 == 0 else "supplier"
        counterpart = roles[i + 1] if i % 2 == 0 and i + 1 < n_roles else roles[i - 1]
        steps = "".join(
            f"  - when: {unit} {k + 1}\n    do: {sentence(rng, 8)}\n"
            f"    read: [{rng.choice(knowledge)}]\n    meet: [{rng.choice(people)}]\n"
            for k, unit in enumerate(["day", "day", "week", "week", "month", "month"]))
        write(f"roles/{role}",
              f"title: Role {i}\norganisation: {org}\ntier: {rng.choice(['executive', 'operational', 'functional'])}\n"
              f"counterpart: {counterpart}\nresponsibilities:\n  - {sentence(rng)}\n  - {sentence(rng)}\n"
              f"onboarding:\n{steps}checklist: {rng.choice(lists)}\n",
              f"\n# Role {i}\n\n## Purpose\n\n{sentence(rng, 30)}\n\n## Mindset\n\n{sentence(rng, 20)}\n")
    for i, person in enumerate(people):
        successor = people[(i + 1) % n_people] if i + 1 < n_people else ""
        write(f"people/{person}",
              f"name: Person {i}\norganisation: {'client' if i % 2 == 0 else 'supplier'}\n"
              f"roles: [{rng.choice(roles)}]\ndeputy: {people[(i + 2) % n_people]}\nsuccessor: {successor}\n"
              f"key_person: {'true' if i % 5 == 0 else 'false'}\nstart_date: 2023-0{1 + i % 9}-1{i % 9}\n"
              f"contact:\n  email: person{i}@example.org\n",
              f"\n{sentence(rng, 25)}\n")
    for i, name in enumerate(lists):
        items = "".join(f"- [ ] {sentence(rng, 6)}\n" for _ in range(10))
        write(f"checklists/{name}", f"title: Checklist {i}\nrole: {rng.choice(roles)}\n",
              f"\n## Before\n\n{items}\n## After\n\n- [ ] {sentence(rng, 6)}\n")
    for i in range(n_handovers):
        items = "".join(f"- [{'x' if k % 2 else ' '}] {sentence(rng, 6)}\n" for k in range(12))
        write(f"handovers/handover-{i:03d}",
              f"role: {rng.choice(roles)}\nfrom: {people[i]}\nto: {people[-1 - i]}\ntemplate: {rng.choice(lists)}\n"
              f"started: 2026-10-01\nleaving: 2026-12-18\n", f"\n## Handover\n\n{items}")
    for i, entry in enumerate(knowledge):
        section = entry.split("/")[0]
        paragraphs = "\n\n".join(sentence(rng, 40) for _ in range(6))
        write(f"knowledge/{entry}",
              f"title: Entry {i}\nsection: {section}\nowner: {rng.choice(people)}\n"
              f"ip: {rng.choice(['ours', 'theirs', 'joint'])}\nsharing: {rng.choice(['can', 'could', 'cannot'])}\n"
              f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n"
              f"confidentiality: {rng.choice(['public', 'internal', 'restricted'])}\nreview_by: 2027-0{1 + i % 9}-15\n",
              f"\n# Entry {i}\n\n{paragraphs}\n\n## Details\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    print(f"wrote {total} files to {out}: {n_roles} roles, {n_people} people, {n_lists} checklists, "
          f"{n_handovers} handovers, {n_knowledge} knowledge entries")


if __name__ == "__main__":
    main()

"""Generate the companion notebooks, exercises/notebooks/<module>.ipynb, one per topic.

    python -m autograder.figures.notebooks            # (re)write them
    python -m autograder.figures.notebooks --check    # exit 1 if one is missing or stale

Each is built from the topic's title, the objectives of its guide (exercises/<module>.md) and its
registered figures, so the notebooks never drift from the guides or from `make figures`. The
notebook imports the student's module and shows each figure inline with `show(...)`; its first
code cell reads NNF_IMPL (default `exercises`), which the pack's tests set to `solutions`. The
JSON is written by hand with fixed cell ids: the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from autograder.course import ROOT, TOPICS, Topic
from autograder.figures import specs

NOTEBOOKS = ROOT / "exercises" / "notebooks"

SETUP = '''\
# The implementation the figures use: your exercises/ unless NNF_IMPL names another folder.
import os
import sys
from pathlib import Path

IMPL = os.environ.get("NNF_IMPL", "exercises")
# The pack's root (this notebook lives in exercises/notebooks/), so that `autograder` imports.
ROOT = next(p for p in [Path.cwd(), *Path.cwd().parents] if (p / "autograder").is_dir())
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))'''

IMPORT = '''\
from autograder.figures import show, student_module

{name} = student_module("{name}", IMPL)
print("the figures below run", os.path.relpath({name}.__file__, ROOT))'''


def objectives(topic: Topic, root: Path = ROOT) -> list[str]:
    """The bullets of the guide's "## Objectives" section, each on one line."""
    lines = (root / "exercises" / f"{topic.name}.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("## Objectives") + 1
    bullets: list[str] = []
    for line in lines[start:]:
        if line.startswith("## "):
            break
        if line.startswith("- "):
            bullets.append(line[2:].strip())
        elif line.strip() and bullets:
            bullets[-1] += " " + line.strip()
    if not bullets:
        raise ValueError(f"exercises/{topic.name}.md has no objectives")
    return bullets


def _cell(kind: str, cell_id: str, source: str) -> dict:
    lines = source.splitlines(keepends=True)
    if kind == "markdown":
        return {"cell_type": "markdown", "id": cell_id, "metadata": {}, "source": lines}
    return {"cell_type": "code", "execution_count": None, "id": cell_id, "metadata": {},
            "outputs": [], "source": lines}


def notebook(topic: Topic, root: Path = ROOT) -> str:
    """The notebook's JSON text."""
    name = topic.name
    cells = [
        ("markdown", f"# {topic.number} {topic.title}\n\n"
                     f"The companion of `exercises/{name}.py`: it imports **your** module and "
                     "draws what your functions compute. The tasks, in order and with hints, are "
                     f"in `exercises/{name}.md`; each function's docstring gives the exact "
                     "formula.\n\n"
                     f"Work one function at a time: write it, run `make check TOPIC={name}`, "
                     "then re-run the cells below (each one reads your file again: no restart "
                     "needed). A figure whose functions are not written yet prints one line "
                     "naming the function it needs. "
                     f"`make figures TOPIC={name}` saves the same figures under "
                     f"`figures/{name}/`."),
        ("markdown", "## Objectives\n\n" + "\n".join(f"- {o}" for o in objectives(topic, root))),
        ("code", SETUP),
        ("code", IMPORT.format(name=name)),
        ("markdown", f"## Your code at work\n\n`{name}` above is your module: call its "
                     "functions in a new cell to try them. Each figure below is drawn by them."),
    ]
    for spec in specs(name):
        needs = ", ".join(f"`{n}`" for n in spec.needs)
        cells.append(("markdown", f"### {spec.name}\n\n{spec.caption}\n\nNeeds: {needs}."))
        cells.append(("code", f'show("{name}", "{spec.name}", impl=IMPL)'))
    document = {
        "cells": [_cell(kind, f"{name}-{i}", source)
                  for i, (kind, source) in enumerate(cells)],
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python",
                           "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def expected(root: Path = ROOT) -> dict[Path, str]:
    """Every notebook's path and text."""
    return {root / "exercises" / "notebooks" / f"{t.name}.ipynb": notebook(t, root)
            for t in TOPICS.values()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.figures.notebooks",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a notebook is missing or out of date")
    args = parser.parse_args(argv)
    notebooks = expected()
    stale = [path for path, text in notebooks.items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path.relative_to(ROOT)} is missing or out of date: run "
                  "`python -m autograder.figures.notebooks`")
        return 1 if stale else 0
    NOTEBOOKS.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.write_text(notebooks[path], encoding="utf-8")
    print(f"{len(notebooks)} notebooks in {NOTEBOOKS.relative_to(ROOT)}/, {len(stale)} written")
    return 0


if __name__ == "__main__":
    sys.exit(main())

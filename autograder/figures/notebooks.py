"""Generate the notebooks, exercises/notebooks/<module>.ipynb, one per topic.

    python -m autograder.figures.notebooks            # (re)write them
    python -m autograder.figures.notebooks --check    # exit 1 if one is missing or stale
    python -m autograder.figures.notebooks --html DIR # also run each on the solutions: DIR/*.html

A topic with a lesson (`autograder/topics/<topic>/lesson.md`, read by `lesson.py`) gets the
lesson: its title and the guide's objectives, a device cell, the student's module, then the
lesson's ideas, worked examples, experiments, `check(...)` cells and reflection questions; the
instructor's version, with the answers, goes to build/instructor/<module>.ipynb. A topic without
one gets the companion: the guide's objectives and its registered figures, each shown inline with
`show(...)`. Either way the first code cell reads NNF_IMPL (default `exercises`), which the pack's
tests set to `solutions`. The JSON is written by hand with fixed cell ids: the same input gives
the same bytes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

from autograder.course import ROOT, TOPICS, Topic
from autograder.figures import lesson, specs
from autograder.progress import Progress

NOTEBOOKS = ROOT / "exercises" / "notebooks"
INSTRUCTOR = ROOT / "build" / "instructor"

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

DEVICE = '''\
# The device: a CUDA GPU when this machine has one, else the CPU, said out loud.
import torch

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
if device.type == "cuda":
    print(f"device: cuda ({{torch.cuda.get_device_name(device)}})")
else:
    print("device: cpu (no CUDA GPU here: every cell of this lesson runs on the CPU"
          "{cpu_note})")'''

LESSON_IMPORT = '''\
import matplotlib.pyplot as plt
import numpy as np

from autograder.figures import show, student_module
from autograder.notebook import check as public_checks
from autograder.notebook import one_line_for_unwritten_functions

one_line_for_unwritten_functions()  # a cell that needs a function not written yet says so
# Your module, read afresh each time this cell runs.
{name} = student_module("{name}", IMPL)
print("this lesson runs", os.path.relpath({name}.__file__, ROOT))


def check(target):
    """The public checks of one function of the topic, as `make check FUNC=...` runs them."""
    return public_checks(target, impl=IMPL)'''


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


def notebook(topic: Topic, root: Path = ROOT, answers: bool = False) -> str:
    """The notebook's JSON text (the instructor's, with `answers`, for a topic with a lesson)."""
    if lesson.lesson_path(topic, root).is_file():
        return _document(topic.name, lesson_cells(topic, root, answers))
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
    return _document(name, cells)


def lesson_cells(topic: Topic, root: Path = ROOT, answers: bool = False) -> list[tuple[str, str]]:
    """A lesson notebook's cells: the header, set-up, device and module cells, then the lesson."""
    name = topic.name
    version = " (instructor's version, with the answers)" if answers else ""
    stub = (root / "exercises" / f"{name}.py").read_text(encoding="utf-8")
    uses_torch = re.search(r"^(import|from) torch\b", stub, flags=re.M) is not None
    header = (f"# {topic.number} {topic.title}{version}\n\n"
              f"The lesson of `exercises/{name}.py`. Its code cells call **your** functions: "
              "write one (the tasks, in order, are in "
              f"`exercises/{name}.md`; each docstring gives the exact formula), run the "
              "`check(...)` cell after its section (the public checks of that function, as "
              f"`make check FUNC={name}.<function>`), then run the cells that use it. Each cell "
              "reads your file again: no restart needed. A figure whose functions are not "
              "written yet prints one line naming the function it needs.")
    return [
        ("markdown", header),
        ("markdown", "## Objectives\n\n" + "\n".join(f"- {o}" for o in objectives(topic, root))),
        ("code", SETUP),
        ("code", DEVICE.format(cpu_note="" if uses_torch else
                               "; this topic's own code, NumPy or plain Python, runs "
                               "there in any case")),
        ("code", LESSON_IMPORT.format(name=name)),
        *lesson.cells(lesson.lesson_path(topic, root).read_text(encoding="utf-8"), answers),
    ]


def _document(name: str, cells: list[tuple[str, str]]) -> str:
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
    """Every notebook's path and text: the students' and, for the topics with a lesson, the
    instructor's (with the answers)."""
    found = {root / "exercises" / "notebooks" / f"{t.name}.ipynb": notebook(t, root)
             for t in TOPICS.values()}
    found |= {root / "build" / "instructor" / f"{t.name}.ipynb": notebook(t, root, answers=True)
              for t in TOPICS.values() if lesson.lesson_path(t, root).is_file()}
    return found


def executed(topic: Topic, impl: str = "solutions", timeout_s: int = 300,
             allow_errors: bool = False):
    """The topic's student notebook after a run in a Jupyter kernel against `impl` (as a student
    runs it: from exercises/notebooks/, NNF_IMPL naming the implementation); an error in a cell
    stops the run (nbclient's CellExecutionError) unless `allow_errors`."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOKS / f"{topic.name}.ipynb", as_version=4)
    previous = os.environ.get("NNF_IMPL")
    os.environ["NNF_IMPL"] = impl  # the kernel inherits this environment
    try:
        NotebookClient(notebook, timeout=timeout_s, kernel_name="python3",
                       allow_errors=allow_errors,
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    finally:
        if previous is None:
            os.environ.pop("NNF_IMPL")
        else:
            os.environ["NNF_IMPL"] = previous
    return notebook


def html(notebook) -> str:
    """An executed notebook as one HTML page, its figures embedded (nbconvert's lab template)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab").from_notebook_node(notebook)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.figures.notebooks",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a notebook is missing or out of date")
    parser.add_argument("--html", type=Path, metavar="DIR",
                        help="also run each student notebook on the solutions and write "
                             "DIR/<module>.html")
    args = parser.parse_args(argv)
    notebooks = expected()
    stale = [path for path, text in notebooks.items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    if args.check:  # the instructor's versions are build output, made on demand
        stale = [path for path in stale if path.parent == NOTEBOOKS]
        for path in stale:
            print(f"{path.relative_to(ROOT)} is missing or out of date: run "
                  "`python -m autograder.figures.notebooks`")
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(notebooks[path], encoding="utf-8")
    students = [path for path in notebooks if path.parent == NOTEBOOKS]
    print(f"{len(students)} notebooks in {NOTEBOOKS.relative_to(ROOT)}/, "
          f"{len(notebooks) - len(students)} instructor's versions (with the answers) in "
          f"{INSTRUCTOR.relative_to(ROOT)}/; {len(stale)} written")
    if args.html:
        args.html.mkdir(parents=True, exist_ok=True)
        with Progress(len(TOPICS), "rendered", "notebook") as progress:
            for topic in TOPICS.values():
                started = time.monotonic()
                page = args.html / f"{topic.name}.html"
                page.write_text(html(executed(topic)), encoding="utf-8")
                progress.done(f"{page} ({time.monotonic() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

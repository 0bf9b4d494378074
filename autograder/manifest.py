"""What each artefact holds, in one place: the sandbox's runtime (what a grading child may import),
the grader tree (the grading image and the otter-grader zip), and what never ships to students.
The jail, the grader tree and the student release are all derived from these lists.
"""

from __future__ import annotations

from fnmatch import fnmatch
from functools import cache
from pathlib import Path

from autograder.course import ROOT

# Everything the grading child may import: the runtime package, the public checks (probes name
# their helpers there), and the public dataset code (probes build data with it).
RUNTIME = ("autograder/__init__.py", "autograder/runtime/*.py", "autograder/topics/__init__.py",
           "autograder/topics/*/__init__.py", "autograder/topics/*/public.py",
           "data/__init__.py", "data/fixtures.py", "data/moons.py", "data/fashion_mnist.py",
           "data/progress.py")
# The grader tree: what `python -m autograder grade` needs, hidden checks and references included.
GRADER = ("autograder/**/*.py", "autograder/results.schema.json", "solutions/*.py", "data/*.py",
          "grading_config/*", "pyproject.toml", "README.md")
GRADER_EXCLUDED = ("autograder/topics/*/hidden/mutants/", "autograder/topics/*/figures.py",
                   "autograder/samples/", "autograder/student/", "autograder/otter_files/",
                   "autograder/figures/", "autograder/bench/")
# Entry points of local mode, for the student release: everything they import ships with them.
STUDENT_ENTRY_POINTS = ("autograder/topics/*/public.py", "autograder/topics/*/figures.py",
                        "autograder/pytest_plugin.py", "autograder/release.py",
                        "autograder/notebook.py",
                        "autograder/figures/*.py")
STUDENT_FILES = ("exercises/*.py", "exercises/*.md", "exercises/notebooks/*.ipynb", "data/*.py")
# Never shipped to students, whatever imports them: a release that needs one of these is a bug.
SECRET = ("solutions/", "autograder/topics/*/hidden/", "autograder/topics/*/lesson.md",
          "autograder/samples/", "grading_config/",
          "tests/")


def _files(patterns: tuple[str, ...], root: Path) -> list[Path]:
    found = {path.relative_to(root) for pattern in patterns for path in root.glob(pattern)
             if path.is_file() and "__pycache__" not in path.parts}
    return sorted(found)


def runtime_files(root: Path = ROOT) -> list[Path]:
    """Repository-relative paths of the sandbox's runtime."""
    return _files(RUNTIME, root)


@cache
def runtime_modules(root: Path = ROOT) -> frozenset[str]:
    """The runtime's modules by import name (`autograder.runtime.plain`, `data.moons`)."""
    names = set()
    for path in runtime_files(root):
        parts = path.with_suffix("").parts
        names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return frozenset(names)


def grader_files(root: Path = ROOT) -> list[Path]:
    """Repository-relative paths of the grader tree, sorted."""
    return [p for p in _files(GRADER, root) if not under(p, GRADER_EXCLUDED)]


def under(path: Path | str, folders: tuple[str, ...]) -> bool:
    """Whether a repository-relative path lies in one of `folders` (glob patterns; a pattern not
    ending in "/" names a file)."""
    return any(fnmatch(str(path), folder + "*" if folder.endswith("/") else folder)
               for folder in folders)

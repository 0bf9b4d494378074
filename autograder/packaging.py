"""What each artefact ships: the grader tree (the grading image, the otter-grader zip) holds what
`python -m autograder grade` needs, hidden checks and reference solutions included, and nothing
that grading does not use (mutants, samples, tests, stubs)."""

from __future__ import annotations

from pathlib import Path

from autograder.topics import ROOT

GRADER_PATTERNS = ("autograder/**/*.py", "autograder/results.schema.json", "solutions/*.py",
                   "data/*.py", "grading_config/*", "pyproject.toml", "README.md")
GRADER_EXCLUDED = ("autograder/mutants/", "autograder/samples/", "autograder/student/",
                   "autograder/otter_files/", "autograder/figures/", "autograder/bench/")


def grader_files(root: Path = ROOT) -> list[Path]:
    """Repository-relative paths of the grader tree, sorted."""
    found = {path.relative_to(root) for pattern in GRADER_PATTERNS for path in root.glob(pattern)
             if path.is_file() and "__pycache__" not in path.parts}
    return sorted(p for p in found if not str(p).startswith(GRADER_EXCLUDED))

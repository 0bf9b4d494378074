"""Helpers for the project's own tests."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from autograder.course import ROOT


def run_pytest_checks(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Local mode as a student runs it: a separate pytest process over check files."""
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


def replaced(path: Path) -> set[str]:
    """The graded functions and classes a patch replaces: its public top-level names."""
    names = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return {name for name in names if not name.startswith("_")}

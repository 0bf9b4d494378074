"""Helpers for the project's own tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from autograder.topics import ROOT


def run_pytest_checks(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Local mode as a student runs it: a separate pytest process over check files."""
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)

"""Shared fixtures for the project's own suite."""

from __future__ import annotations

import pytest

from autograder.config import load_config
from autograder.course import TOPICS

# Attack submissions and correct formulations are submissions, never test modules: an attack
# ships its own conftest.py and a fake torch.py (docs/attacks.md row 9).
collect_ignore_glob = ["redteam/attacks/*", "formulations/*", "as_torch/*"]


@pytest.fixture(scope="session")
def config():
    return load_config()


@pytest.fixture(scope="session")
def regularization():
    return TOPICS["regularization"]


def pytest_terminal_summary(terminalreporter):
    """The red-team suite's outcome per docs/attacks.md row (when it ran)."""
    import sys

    redteam = sys.modules.get("tests.test_redteam")
    if redteam is None or not redteam.SUMMARY:
        return
    rows = sorted(redteam.SUMMARY)
    not_run = sum("NOT RUN" in outcome for _, _, outcome in rows)
    covered = len({row for row, _, _ in rows})
    terminalreporter.section(f"red team: {len(rows)} attack submissions over {covered} rows of "
                             f"docs/attacks.md, {len(rows) - not_run} graded, {not_run} not run")
    for row, name, outcome in rows:
        terminalreporter.write_line(f"row {row:2}  {name:40} {outcome}")

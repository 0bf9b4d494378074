"""A progress bar over a loop a person waits for: training epochs, a grading run's submissions.

    for epoch in progress_bar(range(epochs), desc="train", unit="epoch", wanted=progress):
        ...

It is tqdm on stderr, and it draws nothing (the iterable is used as it is) unless `wanted`, stderr
is a terminal and the CI environment variable is unset: logs, graded runs and CI stay clean.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable


def progress_bar(iterable: Iterable | None = None, *, desc: str, unit: str,
                 total: int | None = None, wanted: bool = True, leave: bool = True):
    """tqdm over `iterable` (or a manual bar of `total` steps), silent unless a person watches."""
    from tqdm import tqdm  # imported here: code that never shows a bar never pays for it

    quiet = not wanted or bool(os.environ.get("CI")) or not sys.stderr.isatty()
    return tqdm(iterable, desc=desc, unit=unit, total=total, disable=quiet, leave=leave)

"""Expected data computed once per pack, not once per grading run.

A grading run compares every answer with expected data computed from the reference solutions
(5.5 s for the ten topics on this 2-core machine, more beside the fork servers' start). They
depend only on the pack, so they are kept per topic in `build/expected/<topic>.nnf` (plain data's
codec, no pickle; entries over 256 KB are recomputed instead) under a key: a digest of the grader
tree (checks, references, dataset code, the engine), the checks the configuration selects, the
library versions and the CPU kernels torch uses here (float32 references differ slightly between
kernels). `make autograder` ships them in the zip; `grade`/`grade-all` on an unchanged pack read
them. A file whose key differs is stale: its data are recomputed and the file rewritten, never
used. A folder that cannot be written (a read-only grader tree) only costs the recomputation.
"""

from __future__ import annotations

import functools
import hashlib
import os
import platform
from pathlib import Path

import numpy as np
import torch

from autograder.course import ROOT, Topic
from autograder.local import LocalRunner
from autograder.manifest import grader_files
from autograder.runtime import plain
from autograder.runtime.check import Check

CACHE_DIR = ROOT / "build" / "expected"
# Larger entries (a few big arrays, 106 of the 110 MB) are recomputed at start-up instead: 0.5 s
# of the 5.5 s all expected data take on this machine, and a zip 80 MB smaller.
ENTRY_MAX_BYTES = 256 * 1024


@functools.cache
def tree_digest() -> bytes:
    """The grader tree's files, names and contents, as one digest (read once per process)."""
    digest = hashlib.sha256()
    for path in grader_files():
        digest.update(path.as_posix().encode() + b"\0" + (ROOT / path).read_bytes() + b"\0")
    return digest.digest()


def key(topic: Topic, checks: list[Check]) -> str:
    """What the topic's expected data depend on, as a digest. The configuration enters through
    the checks it selects; points, weights, tolerances and limits change no expected value."""
    digest = hashlib.sha256(tree_digest())
    digest.update(repr((topic.name, sorted(c.id for c in checks), platform.python_version(),
                        np.__version__, torch.__version__,
                        torch.backends.cpu.get_cpu_capability())).encode())
    return digest.hexdigest()[:24]


def path_of(topic: Topic, folder: Path = CACHE_DIR) -> Path:
    return folder / f"{topic.name}.nnf"


def prepare(runner: LocalRunner, topic: Topic, checks: list[Check], compute: list[Check],
            folder: Path = CACHE_DIR) -> str:
    """Fill `runner` with the expected data of `compute` (a subset of `checks`): from the cache
    when its key matches, else computed and written back. Returns "cached", "computed" or
    "computed (not saved: why)"."""
    want, file = key(topic, checks), path_of(topic, folder)
    stored = None
    try:
        stored = plain.decode(file.read_bytes())
        if stored["key"] != want:
            stored = None
        else:
            wanted = {c.id for c in checks}
            runner.preload({check_id: data for check_id, data in stored["data"].items()
                            if check_id in wanted})
    except (OSError, ValueError, TypeError, KeyError, plain.NotPlainError):
        stored = None  # no cache, or not one of ours: computed below
    missing = [c for c in compute if not runner.has_expected(c)]
    for check in missing:
        runner.expected(check)
    if stored is not None and {c.id for c in missing} <= set(stored["large"]):
        return "cached"
    kept, large = {}, []
    for check_id, data in runner.expected_data().items():
        if len(plain.encode(data)) <= ENTRY_MAX_BYTES:
            kept[check_id] = data
        else:
            large.append(check_id)
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        partial = file.with_name(f".{file.name}.{os.getpid()}.partial")
        partial.write_bytes(plain.encode({"key": want, "data": kept, "large": large}))
        os.replace(partial, file)
    except (OSError, plain.NotPlainError) as error:
        return f"computed (not saved: {error})"
    return "computed"

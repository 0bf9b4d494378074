"""Measure what each tolerance has to absorb: the reference solution's own error against the
expected data, for every check judged by a numeric tolerance. Tolerances are then set with a
margin above these figures and written next to their checks; changes go in CHANGELOG.md.

    python -m autograder measure [--topic regularization]
"""

from __future__ import annotations

import numpy as np

from autograder import impl
from autograder.local import LocalRunner
from autograder.runtime import plain
from autograder.runtime.outcome import cuda_available
from autograder.runtime.plain import Plain
from autograder.topics import Topic


def leaf_errors(got: Plain, want: Plain) -> tuple[float, float]:
    """Largest absolute and relative (to max(|want|, 1e-12)) error over the float leaves."""
    if type(want) is dict:
        pairs = [leaf_errors(got[k], v) for k, v in want.items()]
    elif type(want) is list:
        pairs = [leaf_errors(g, w) for g, w in zip(got, want, strict=True)]
    elif (type(want) is np.ndarray and want.dtype.kind == "f") or type(want) is float:
        error = np.abs(np.asarray(got, np.float64) - np.asarray(want, np.float64))
        error = error[np.isfinite(error)]
        scale = np.maximum(np.abs(np.asarray(want, np.float64)), 1e-12)
        relative = np.abs(np.asarray(got, np.float64) - want) / scale
        relative = relative[np.isfinite(relative)]
        return (float(error.max(initial=0.0)), float(relative.max(initial=0.0)))
    else:
        return (0.0, 0.0)
    return (max((a for a, _ in pairs), default=0.0), max((r for _, r in pairs), default=0.0))


def measure(topic: Topic) -> list[tuple[str, str, float, float]]:
    """(check id, tolerance, max abs error, max rel error) of the reference, per numeric check."""
    reference = impl.load(impl.SOLUTIONS, topic)
    runner, rows = LocalRunner(reference), []
    for check in topic.all_checks():
        if check.tolerance is None or (check.needs_gpu and not cuda_available()):
            continue
        got = plain.roundtrip(plain.to_plain(check.run_probe(reference)))
        want = runner.expected(check)
        if check.expect.kind == "any":  # the reference writes the main formulation
            want = want[0]
        rows.append((check.id, check.tolerance.describe(), *leaf_errors(got, want)))
    return rows


def print_measurements(topics: list[Topic]) -> None:
    for topic in topics:
        print(f"{'check':64} {'tolerance':32} {'max abs':>9} {'max rel':>9}")
        for check_id, tolerance, absolute, relative in measure(topic):
            print(f"{check_id:64} {tolerance:32} {absolute:9.1e} {relative:9.1e}")

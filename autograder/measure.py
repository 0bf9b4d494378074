"""Measure what each tolerance has to absorb: the reference solution's own error against the
expected data, for every check judged by a numeric tolerance. Tolerances are then set with a
margin above these figures and written next to their checks; changes go in CHANGELOG.md.

    python -m autograder measure [--topic regularization] [--ledger PATH | --no-ledger]

Besides the table it prints, a run writes the tolerance ledger, `docs/tolerances.md`: per topic,
every tolerance-based check with its tolerance, the measured errors and the margin. A run limited
to some topics rewrites only their sections of the ledger. `tests/test_tolerance_ledger.py` fails
when the ledger no longer names exactly the checks and tolerances that exist.
"""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder import impl
from autograder.course import ROOT, Topic
from autograder.local import LocalRunner
from autograder.runtime import plain
from autograder.runtime.check import Check
from autograder.runtime.compare import Close
from autograder.runtime.outcome import cuda_available
from autograder.runtime.plain import Plain

LEDGER = ROOT / "docs" / "tolerances.md"
NOT_MEASURED = "not measured"


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


def tolerance_used(got: Plain, want: Plain, tolerance: Close) -> float:
    """The largest share of the tolerance the error takes, over the float leaves:
    max |got - want| / (atol + rtol*|want|), elementwise (0 where both are 0, inf where only the
    tolerance is). Its inverse is the margin."""
    if type(want) is dict:
        return max((tolerance_used(got[k], v, tolerance) for k, v in want.items()), default=0.0)
    if type(want) is list:
        return max((tolerance_used(g, w, tolerance) for g, w in zip(got, want, strict=True)),
                   default=0.0)
    if not ((type(want) is np.ndarray and want.dtype.kind == "f") or type(want) is float):
        return 0.0
    expected = np.asarray(want, np.float64)
    error = np.abs(np.asarray(got, np.float64) - expected)
    allowed = tolerance.atol + tolerance.rtol * np.abs(expected)
    keep = np.isfinite(error) & np.isfinite(allowed)
    error, allowed = error[keep], allowed[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(error == 0, 0.0, error / allowed)
    return float(share.max(initial=0.0))


@dataclass(frozen=True)
class Measurement:
    """One tolerance-based check and the reference's error on it (None: not measured here)."""

    check: Check  # as graded: tolerance overrides of the configuration applied
    declared: str  # the tolerance written next to the check
    absolute: float | None = None
    relative: float | None = None
    used: float | None = None  # the largest share of the tolerance the error takes

    @property
    def tolerance(self) -> str:
        return self.check.tolerance.describe()

    @property
    def margin(self) -> str:
        """tolerance / measured error, where meaningful."""
        if self.absolute is None:
            return "-"
        if self.check.tolerance.exact:
            return "n/a (exact)"
        if self.used == 0:
            return "inf (error 0)"
        return _times(1 / self.used)

    @property
    def note(self) -> str:
        notes = []
        if self.absolute is None:
            notes.append(f"{NOT_MEASURED}: needs CUDA")
        if self.check.expect.kind == "any":
            notes.append("any_of: measured against the main formulation")
        if self.tolerance != self.declared:
            notes.append(f"grading.toml override (declared: {self.declared})")
        return "; ".join(notes)


def measurements(topic: Topic, config=None) -> list[Measurement]:
    """Every tolerance-based check of the topic (CUDA ones only listed where CUDA is missing)."""
    declared = {c.name: c.tolerance for c in topic.all_checks()}
    checks = config.checks(topic) if config is not None else topic.all_checks()
    reference = impl.load(impl.SOLUTIONS, topic)
    runner, rows, cuda = LocalRunner(reference), [], cuda_available()
    for check in checks:
        if check.tolerance is None:
            continue
        written = declared[check.name].describe()
        if check.needs_gpu and not cuda:
            rows.append(Measurement(check, written))
            continue
        got = plain.roundtrip(plain.to_plain(check.run_probe(reference)))
        want = runner.expected(check)
        if check.expect.kind == "any":  # the reference writes the main formulation
            want = want[0]
        rows.append(Measurement(check, written, *leaf_errors(got, want),
                                tolerance_used(got, want, check.tolerance)))
    return rows


def measure(topic: Topic) -> list[tuple[str, str, float, float]]:
    """(check id, tolerance, max abs error, max rel error) of the reference, per numeric check."""
    return [(m.check.id, m.declared, m.absolute, m.relative) for m in measurements(topic)
            if m.absolute is not None]


def print_table(rows: list[Measurement]) -> None:
    print(f"{'check':64} {'tolerance':32} {'max abs':>9} {'max rel':>9}")
    for row in rows:
        if row.absolute is not None:
            print(f"{row.check.id:64} {row.declared:32} {row.absolute:9.1e} {row.relative:9.1e}")


def print_measurements(topics: list[Topic]) -> None:
    for topic in topics:
        print_table(measurements(topic))


# ---- the ledger: docs/tolerances.md ----

HEADER = """\
# Tolerance ledger

<!-- Generated by `make measure` (python -m autograder measure): do not edit by hand. -->

**Generated by `make measure`; do not edit this file by hand.** It lists, per topic, every check
judged by a numeric tolerance (`Close`, exact matches included), the tolerance it is graded with,
and the reference solution's own error on it, measured against the check's expected data:

- *max abs*: the largest |got - expected| over the check's float values; *max rel*: the largest
  |got - expected| / max(|expected|, 1e-12);
- *margin*: the tolerance over the measured error, min over the values of
  (atol + rtol*|expected|) / |got - expected|: how many times the reference's error fits in the
  tolerance ("inf" where the reference is exact, "n/a" for an exact-match check);
- checks that need CUDA are measured only on a machine that has it ("not measured" otherwise).

A tolerance lives next to its check, with its measurement in a `measured` comment. Every tolerance
change is recorded in [CHANGELOG.md](../CHANGELOG.md) with the measurement behind it, and this file
is regenerated with `make measure` in the same change: `tests/test_tolerance_ledger.py` fails when
it does not name exactly the tolerance-based checks that exist and their current tolerances.
"""

SECTION = re.compile(r"^## (\d-\d\d) (\w+)$", re.M)


def _times(ratio: float) -> str:
    """2.5x, 340x, 3.4e5x: two significant figures."""
    if ratio < 1000:
        return f"{float(f'{ratio:.2g}'):g}x"
    mantissa, exponent = f"{ratio:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}x"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _figure(value: float | None) -> str:
    return NOT_MEASURED if value is None else f"{value:.1e}"


def section(topic: Topic, rows: list[Measurement]) -> str:
    measured = sum(r.absolute is not None for r in rows)
    lines = [f"## {topic.number} {topic.name}", "",
             f"{len(rows)} tolerance-based checks, {measured} measured.", "",
             "| check | tolerance | max abs | max rel | margin | note |",
             "|---|---|---:|---:|---:|---|"]
    for row in rows:
        lines.append(f"| `{row.check.id}` | `{_cell(row.tolerance)}` | {_figure(row.absolute)} "
                     f"| {_figure(row.relative)} | {row.margin} | {_cell(row.note)} |")
    return "\n".join(lines) + "\n"


def machine() -> str:
    import torch

    device = (f"CUDA ({torch.cuda.get_device_name(0)})" if cuda_available()
              else "CPU only (no CUDA: the CUDA checks are not measured)")
    return (f"Last measured on: {platform.machine()}, {device}; "
            f"Python {platform.python_version()}, NumPy {np.__version__}, "
            f"PyTorch {torch.__version__}.\n")


def write_ledger(sections: dict[str, str], topics: list[Topic], path: Path = LEDGER) -> None:
    """Write the ledger with `sections` (topic name -> text); the sections of topics not
    measured in this run are kept from the existing file."""
    kept: dict[str, str] = {}
    if path.exists():
        text = path.read_text(encoding="utf-8")
        starts = list(SECTION.finditer(text))
        for here, after in zip(starts, [*starts[1:], None], strict=True):
            kept[here.group(2)] = text[here.start():after.start() if after else len(text)]
    kept.update(sections)
    body = "\n".join(kept[t.name].rstrip("\n") + "\n" for t in topics if t.name in kept)
    path.write_text(f"{HEADER}\n{machine()}\n{body}", encoding="utf-8")


def run(topics: list[Topic], config, ledger: Path | None = LEDGER) -> None:
    """`python -m autograder measure`: print each topic's table; write the ledger."""
    from autograder.course import TOPICS

    sections = {}
    for topic in topics:
        rows = measurements(topic, config)
        print_table(rows)
        sections[topic.name] = section(topic, rows)
    if ledger is not None:
        write_ledger(sections, list(TOPICS.values()), ledger)

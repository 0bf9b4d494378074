"""The benchmark's figures, their targets and verdicts, the printed table and `results.json`.

A figure is one measured number (or the reason there is none), with its unit, its target when the
issue states one, and a detail saying what it is made of. A part is a group of figures measured
together, with notes for the reader and every raw number behind them.
"""

from __future__ import annotations

import json
import os
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path

NOT_MEASURED = "NOT MEASURED"


@dataclass(frozen=True)
class Target:
    limit: float
    at_least: bool = False  # most targets are ceilings (seconds, ratios); an efficiency is a floor

    def met(self, value: float) -> bool:
        return value >= self.limit if self.at_least else value <= self.limit

    def show(self, unit: str) -> str:
        return f"{'>=' if self.at_least else '<='} {show(self.limit, unit)}"


@dataclass
class Figure:
    name: str
    value: float | None  # None: not measured (why_not says why)
    unit: str = "s"
    target: Target | None = None
    detail: str = ""  # what the value is made of: repetitions, start-up, the topic it belongs to
    why_not: str = ""

    @property
    def verdict(self) -> str:
        if self.value is None:
            return NOT_MEASURED
        if self.target is None:
            return ""
        return "PASS" if self.target.met(self.value) else "MISS"

    def as_json(self) -> dict:
        return {"name": self.name, "value": self.value, "unit": self.unit,
                "target": None if self.target is None else asdict(self.target),
                "verdict": self.verdict or None, "detail": self.detail,
                "why_not": self.why_not or None}


@dataclass
class Part:
    key: str  # as --only names it
    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # printed under the table, loudly if needed
    raw: dict = field(default_factory=dict)  # every repetition of every number, for results.json
    seconds: float = 0.0  # how long measuring this part took
    failed: bool = False  # the measurement itself broke (its error is in raw)

    def as_json(self) -> dict:
        return {"title": self.title, "seconds": self.seconds, "failed": self.failed,
                "figures": [f.as_json() for f in self.figures], "notes": self.notes,
                "raw": self.raw}


def median(values: list[float]) -> float:
    return statistics.median(values)


def show(value: float, unit: str) -> str:
    """A value as the table prints it: precision chosen per unit."""
    if unit == "s":
        return f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.3f} ms"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "/min":
        return f"{value:.1f} /min"
    return f"{value:.2f}"


def table(parts: list[Part]) -> str:
    """figure | measured | target | verdict | detail, one section per part."""
    header = ("figure", "measured", "target", "verdict", "detail")
    rows: list[tuple[str, ...] | str] = []
    for part in parts:
        rows.append(f"== {part.title} ==")
        for figure in part.figures:
            measured = "not measured" if figure.value is None else show(figure.value, figure.unit)
            target = figure.target.show(figure.unit) if figure.target else "-"
            detail = figure.detail if figure.value is not None else figure.why_not
            rows.append((figure.name, measured, target, figure.verdict, detail))
    cells = [header] + [row for row in rows if isinstance(row, tuple)]
    widths = [max(len(row[k]) for row in cells) for k in range(4)]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) \
            + "  " + row[4]

    out = [line(header).rstrip(), "-" * (sum(widths) + 2 * 4 + len(header[4]))]
    for row in rows:
        out.append(row if isinstance(row, str) else line(row).rstrip())
    return "\n".join(out)


def notes(parts: list[Part]) -> str:
    return "\n".join(note for part in parts for note in part.notes)


def summary(parts: list[Part]) -> dict:
    """How many targets passed and missed, and which figures could not be measured."""
    figures = [f for part in parts for f in part.figures]
    return {"targets": sum(f.target is not None for f in figures),
            "passed": sum(f.verdict == "PASS" for f in figures),
            "missed": [f.name for f in figures if f.verdict == "MISS"],
            "not_measured": {f.name: f.why_not for f in figures if f.value is None}}


def write_results(path: Path, payload: dict) -> None:
    """Write atomically, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(json.dumps(payload, indent=2) + "\n")
    os.replace(partial, path)

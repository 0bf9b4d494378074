"""The grading configuration: one TOML file, checked against `schema.json` and against the checks
that exist, so a typo is an error, not a silently ignored setting.

Points are given per graded function and split among that function's checks in proportion to
their weights (declared with the check, overridable per check in `weights`). Tolerance overrides
replace a check's declared tolerance; every change is logged in CHANGELOG.md.
"""

from __future__ import annotations

import datetime
import json
import math
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

import jsonschema

from autograder.course import ROOT, TOPICS, Topic
from autograder.runtime.check import Check
from autograder.runtime.compare import Close

CONFIG_DIR = ROOT / "grading_config"
DEFAULT_CONFIG = CONFIG_DIR / "grading.toml"


class ConfigError(ValueError):
    """The configuration is invalid; the message names the file and the offending setting."""


@dataclass(frozen=True)
class TopicConfig:
    time_limit_s: float
    memory_mb: int
    points: dict[str, float]
    weights: dict[str, float]
    tolerance: dict[str, Close]


@dataclass(frozen=True)
class FeedbackConfig:
    show_output: bool
    output_limit_chars: int
    hidden_visibility: str
    gradescope_rows: str = "check"  # or "function": Gradescope's rows, one per check or function


@dataclass(frozen=True)
class LatePolicy:
    """grading.toml's `[late]`: a submission after `due` loses `penalty_per_day` of its score for
    each day or part of a day late, and all of it more than `cutoff_days` late."""
    due: datetime.datetime | None = None  # None: no deadline, nothing is late
    penalty_per_day: float = 0.0
    cutoff_days: float = 0.0

    def days_late(self, submitted_at: datetime.datetime | None) -> int:
        if self.due is None or submitted_at is None or submitted_at <= self.due:
            return 0
        return math.ceil((submitted_at - self.due) / datetime.timedelta(days=1))

    def penalty(self, submitted_at: datetime.datetime | None) -> float:
        """The fraction of the score lost, 0 to 1."""
        days = self.days_late(submitted_at)
        if days == 0:
            return 0.0
        return 1.0 if days > self.cutoff_days else min(1.0, days * self.penalty_per_day)


@dataclass(frozen=True)
class GradingConfig:
    path: Path
    require_gpu: bool
    feedback: FeedbackConfig
    topics: dict[str, TopicConfig]
    late: LatePolicy = LatePolicy()

    def checks(self, topic: Topic, visibilities: tuple[str, ...] = ("public", "hidden")) \
            -> list[Check]:
        """The topic's checks with points and tolerance overrides applied."""
        settings = self.topics[topic.name]
        every = topic.all_checks()
        weight = {c.name: settings.weights.get(c.name, c.weight) for c in every}
        per_function: dict[str, float] = {}
        for check in every:
            per_function[check.function] = per_function.get(check.function, 0.0) \
                + weight[check.name]
        prepared = []
        for check in every:
            if check.visibility not in visibilities:
                continue
            share = weight[check.name] / per_function[check.function]
            check = replace(check, points=settings.points[check.function] * share)
            if check.name in settings.tolerance:
                check = check.with_tolerance(settings.tolerance[check.name])
            prepared.append(check)
        return prepared


def load_config(path: Path = DEFAULT_CONFIG, checked: frozenset[str] | None = None) \
        -> GradingConfig:
    """The configuration at `path`, validated against the schema and, for the topics in
    `checked` (default: all), against their checks: importing a topic's checks imports its
    libraries, and `make check` on one NumPy topic need not import torchvision."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such grading configuration") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    if "extends" in raw:  # a variant of another configuration: its top-level keys win
        base = path.parent / raw.pop("extends")
        try:
            raw = tomllib.loads(base.read_text(encoding="utf-8")) | raw
        except (FileNotFoundError, tomllib.TOMLDecodeError) as error:
            raise ConfigError(f"{path}: extends {base.name}, which cannot be read: {error}") \
                from None
        if "extends" in raw:
            raise ConfigError(f"{path}: extends {base.name}, which extends another: one level only")
    schema = json.loads((CONFIG_DIR / "schema.json").read_text())
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(raw),
                    key=lambda e: list(e.absolute_path))
    if errors:
        raise ConfigError(f"{path}: " + "; ".join(
            f"{'.'.join(map(str, e.absolute_path)) or '(top level)'}: {e.message}"
            for e in errors))
    topics = {name: _topic(path, name, settings, checked is None or name in checked)
              for name, settings in raw["topics"].items()}
    missing = [name for name in TOPICS if name not in topics]
    if missing:
        raise ConfigError(f"{path}: topics.{missing[0]} is missing: every topic needs points")
    return GradingConfig(path, raw["require_gpu"], FeedbackConfig(**raw["feedback"]), topics,
                         _late(path, raw.get("late", {})))


def _late(path: Path, raw: dict) -> LatePolicy:
    due = None
    if raw.get("due"):
        try:
            due = datetime.datetime.fromisoformat(raw["due"])
        except ValueError:
            raise ConfigError(f"{path}: late.due: {raw['due']!r} is not an ISO 8601 date and "
                              "time (e.g. 2026-12-20T23:59:00+01:00)") from None
        if due.tzinfo is None:
            raise ConfigError(f"{path}: late.due: {raw['due']!r} needs its UTC offset (e.g. "
                              f"{raw['due']}+01:00), or submission times cannot be compared")
    return LatePolicy(due, raw.get("penalty_per_day", 0.0), raw.get("cutoff_days", 0.0))


def _topic(path: Path, name: str, raw: dict, check: bool = True) -> TopicConfig:
    where = f"{path}: topics.{name}"
    if name not in TOPICS:
        raise ConfigError(f"{where}: no such topic (topics are {', '.join(TOPICS)})")
    tolerance = {check_name: Close(rtol=tol["rtol"], atol=tol["atol"])
                 for check_name, tol in raw.get("tolerance", {}).items()}
    settings = TopicConfig(raw["time_limit_s"], raw["memory_mb"], dict(raw["points"]),
                           dict(raw.get("weights", {})), tolerance)
    if not check:
        return settings
    checks = {c.name: c for c in TOPICS[name].all_checks()}
    functions = {c.function for c in checks.values()}
    for function in sorted(functions - raw["points"].keys()):
        raise ConfigError(f"{where}.points: {function} has checks but no points")
    for function in sorted(raw["points"].keys() - functions):
        raise ConfigError(f"{where}.points.{function}: no check exercises a function of that "
                          f"name (functions: {', '.join(sorted(functions))})")
    for table in ("weights", "tolerance"):
        for check_name in raw.get(table, {}):
            if check_name not in checks:
                raise ConfigError(f"{where}.{table}: no check named {check_name!r}")
    for check_name in tolerance:
        if checks[check_name].tolerance is None:
            raise ConfigError(f"{where}.tolerance.{check_name}: this check has no numeric "
                              "tolerance to override")
    return settings

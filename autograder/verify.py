"""`python -m autograder verify`: prove the checks against known implementations.

For each topic, in local mode:
- the reference solution passes every check that can run here;
- the stub fails every check with NotImplementedError naming the check's function;
- every mutant fails each hidden check it declares in CAUGHT_BY, and so loses points.
Then every one of these implementations is graded again in graded mode (sandboxed children, two at
a time), and each check must get the same verdict in both modes.
Prints a table and returns non-zero on any miss. Checks that need CUDA on a machine without it are
counted as not run, never as passed.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from autograder import impl
from autograder.config import GradingConfig
from autograder.course import Topic
from autograder.local import LocalRunner
from autograder.runtime.check import Check
from autograder.runtime.outcome import Outcome, Status, credit, score
from data.progress import progress_bar


@dataclass
class Row:
    label: str
    outcomes: list[Outcome]
    expectation: str
    problems: list[str] = field(default_factory=list)
    source: str = ""  # the implementation's source, for graded mode
    agreement: str = "-"  # graded mode: "same" when every verdict matches local mode

    def score(self, visibility: str | None = None) -> tuple[float, float]:
        return score([o for o in self.outcomes if visibility in (None, o.check.visibility)])

    def passed(self, visibility: str) -> str:
        ran = [o for o in self.outcomes if o.check.visibility == visibility
               and o.status is not Status.NOT_RUN]
        return f"{sum(o.passed for o in ran)}/{len(ran)}"


def run_all(checks: list[Check], module, runner: LocalRunner) -> list[Outcome]:
    """Every check in local mode, credited as graded mode credits them (`outcome.credit`)."""
    return credit([runner.run(check, module) for check in checks])


def verify_topic(topic: Topic, config: GradingConfig,
                 graded: bool = True) -> tuple[list[Row], list[str]]:
    """The rows of the table and the stub's one line per function."""
    checks = config.checks(topic)
    reference = impl.load(impl.SOLUTIONS, topic)
    runner = LocalRunner(reference)
    rows = []

    ref = Row("reference (solutions/)", run_all(checks, reference, runner), "full marks",
              source=impl.module_path(impl.SOLUTIONS, topic).read_text())
    ref.problems = [o.render() for o in ref.outcomes
                    if o.status not in (Status.PASSED, Status.NOT_RUN)]
    rows.append(ref)

    stub = Row("stub (exercises/)", run_all(checks, impl.load(impl.EXERCISES, topic), runner),
               "0, NotImplementedError",
               source=impl.module_path(impl.EXERCISES, topic).read_text())
    by_function: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in stub.outcomes:
        by_function[outcome.check.function].append(outcome)
        if outcome.status is Status.NOT_RUN:
            continue
        if outcome.status is not Status.NOT_IMPLEMENTED:
            stub.problems.append(f"{outcome.check.id}: {outcome.status}, "
                                 "expected NotImplementedError")
        elif outcome.check.function not in outcome.message:
            stub.problems.append(f"{outcome.check.id}: the NotImplementedError message does not "
                                 f"name {outcome.check.function}: {outcome.message!r}")
    stub_lines = [f"  {function}: {_summary(outcomes)}" for function, outcomes in
                  by_function.items()]
    rows.append(stub)

    hidden = {c.name for c in checks if c.visibility == "hidden"}
    for path in progress_bar(topic.mutants(), desc=f"{topic.name}: mutants", unit="mutant",
                             leave=False):
        rows.append(verify_mutant(path, topic, checks, hidden, runner))
    if graded:
        compare_graded(topic, config, rows)
    return rows, stub_lines


def compare_graded(topic: Topic, config: GradingConfig, rows: list[Row], workers: int = 2) -> None:
    """Grade every row's source in the sandbox; a verdict that differs from local mode is a
    problem of that row."""
    from autograder.grade import Grader

    with Grader(config, [topic], workers=workers) as grader, \
            tempfile.TemporaryDirectory(prefix="nnf-verify-") as scratch:
        Path(scratch).chmod(0o755)

        def grade(index: int) -> None:
            row = rows[index]
            folder = Path(scratch) / str(index)
            folder.mkdir(mode=0o755)
            (folder / topic.module_file).write_text(row.source)
            (folder / topic.module_file).chmod(0o644)
            (result,) = grader.grade_topics(folder)
            differ = [f"{o.check.name}: local {o.status}, graded {g.status}"
                      + (f" ({g.message})" if g.status is not o.status else "")
                      for o, g in zip(row.outcomes, result.outcomes, strict=True)
                      if o.status is not g.status]
            row.agreement = "same" if not differ else f"{len(differ)} differ"
            row.problems += [f"graded mode disagrees: {d}" for d in differ]

        with ThreadPoolExecutor(workers) as pool, \
                progress_bar(desc=f"{topic.name}: graded mode", unit="run", total=len(rows),
                             leave=False) as bar:
            for _ in pool.map(grade, range(len(rows))):
                bar.update(1)


def verify_mutant(path: Path, topic: Topic, checks: list[Check], hidden: set[str],
                  runner: LocalRunner) -> Row:
    caught_by = impl.mutant_caught_by(path)
    row = Row(f"mutant {path.stem}", run_all(checks, impl.load_mutant(path, topic), runner),
              "caught by " + ", ".join(caught_by), source=impl.mutant_source(path, topic))
    status = {o.check.name: o for o in row.outcomes}
    for name in caught_by:
        if name not in hidden:
            row.problems.append(f"CAUGHT_BY names {name}, which is not a hidden check")
        elif status[name].status is Status.NOT_RUN:
            row.problems.append(f"{name} needs CUDA and was not run: it cannot catch the mutant "
                                "here; name a CPU check as well")
        elif status[name].passed:
            row.problems.append(f"{name} passed: the mutant was not caught")
    if not any(not o.passed and o.status is not Status.NOT_RUN and o.check.visibility == "hidden"
               for o in row.outcomes):
        row.problems.append("no hidden check failed")
    return row


def _summary(outcomes: list[Outcome]) -> str:
    ran = [o for o in outcomes if o.status is not Status.NOT_RUN]
    statuses = {o.status for o in ran}
    if statuses == {Status.NOT_IMPLEMENTED}:
        return f"not implemented ({ran[0].message}); 0/{len(ran)} checks"
    return ", ".join(f"{sum(o.status is s for o in ran)} {s}" for s in sorted(statuses))


def print_report(topic: Topic, rows: list[Row], stub_lines: list[str]) -> bool:
    checks = rows[0].outcomes
    public = sum(o.check.visibility == "public" for o in checks)
    not_run = [o.check.id for o in checks if o.status is Status.NOT_RUN]
    print(f"\n== topic {topic.number} {topic.name}: {public} public and {len(checks) - public} "
          f"hidden checks ==")
    print(f"{'implementation':44} {'score':>15} {'public':>7} {'hidden':>7}  {'expectation':40} "
          f"{'graded':7} ok")
    ok = True
    for row in rows:
        earned, total = row.score()
        verdict = "MISS" if row.problems else "ok"
        ok &= not row.problems
        expectation = row.expectation if len(row.expectation) < 40 else \
            row.expectation[:37] + "..."
        print(f"{row.label:44} {earned:7.2f}/{total:7.2f} {row.passed('public'):>7} "
              f"{row.passed('hidden'):>7}  {expectation:40} {row.agreement:7} {verdict}")
        for problem in row.problems:
            print("    " + problem.replace("\n", "\n    "))
    print("stub, one line per function:")
    print("\n".join(stub_lines))
    if not_run:
        print(f"!! {len(not_run)} check(s) need CUDA and were NOT RUN on this machine "
              "(left out of every score above):")
        for check_id in not_run:
            print(f"   not run: {check_id}")
    return ok


def reference_facts(topic: Topic) -> list[str]:
    """Figures a topic states about its reference, measured now (how fast `train` reaches its
    accuracy, say): the hidden check module's optional `reference_facts(reference)`."""
    import importlib

    try:
        hidden = importlib.import_module(topic.check_module("hidden"))
    except ModuleNotFoundError:
        return []
    facts = getattr(hidden, "reference_facts", None)
    return list(facts(impl.load(impl.SOLUTIONS, topic))) if facts else []

"""Figure 3: `grade-all` throughput on a generated cohort (`cohort.py`), with one and with two
workers, and the scaling efficiency between them.

Four of the ten topics are graded and the cohort has 20 submissions, so that the passes fit in
make bench's budget; the figure shows how well grading parallelises. Each repetition grades the
cohort with 1 and then 2 workers, each pass in its own fresh process, after its expected data are
read and its fork servers started; the figures are medians over the repetitions, with the spread
(efficiency varies run to run with what else the 2 cores do: one pass per worker count gave
verdicts that flipped between runs).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from autograder.bench.cohort import QUICK_MIX, build_cohort
from autograder.bench.table import Figure, Part, Target, median
from autograder.bench.worker import in_subprocess
from autograder.course import select

# Four topics of the ten (NumPy with training, NumPy, torch, torch with training), so both passes
# fit in make bench's ten minutes. Every worker's fork server starts once per pass, as in a real
# grading run, and serves all its submissions.
THROUGHPUT_TOPICS = ["two_layer_net", "activations", "losses", "regularization"]
EFFICIENCY_TARGET = Target(0.8, at_least=True)
# Half of cohort.COHORT_MIX: three repetitions of both passes fit the budget.
BENCH_MIX = {"reference": 5, "stubs": 3, "mutant": 7, "partial": 3, "not_a_zip": 1,
             "syntax_error": 1}
WORKER_COUNTS = (1, 2)


def measure(quick: bool = False, topics: list[str] | None = None, reps: int = 3) -> Part:
    topics = topics or THROUGHPUT_TOPICS
    with tempfile.TemporaryDirectory(prefix="nnf-bench-cohort-") as scratch:
        made = build_cohort(Path(scratch) / "cohort", QUICK_MIX if quick else BENCH_MIX,
                            select(topics))
        reps_runs = [[in_subprocess("throughput", folder=str(Path(scratch) / "cohort"),
                                    out=str(Path(scratch) / f"graded-{workers}"),
                                    topics=topics, workers=workers)
                      for workers in WORKER_COUNTS] for _ in range(reps)]
    return throughput_part(reps_runs, {kind: len(paths) for kind, paths in made.items()},
                           topics)


def throughput_part(reps_runs: list[list[dict]], cohort: dict[str, int],
                    topics: list[str]) -> Part:
    """The figures from each repetition's pair of passes (1 worker, 2 workers)."""
    efficiencies = [two["per_minute"] / (2 * one["per_minute"]) for one, two in reps_runs]
    figures = []
    for index, workers in enumerate(WORKER_COUNTS):
        rates = [runs[index]["per_minute"] for runs in reps_runs]
        figures.append(Figure(f"3. grade-all, {workers} worker(s)", median(rates), "/min", None,
                              f"{reps_runs[0][index]['submissions']} submissions; "
                              f"{_spread(rates, '/min')}"))
    figures.append(Figure("   scaling efficiency at 2 workers", median(efficiencies), "",
                          EFFICIENCY_TARGET, f"throughput at 2 / (2 x at 1); "
                          f"{_spread(efficiencies, '')}"))
    mix = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in cohort.items())
    part = Part("throughput", f"3. grade-all throughput, {sum(cohort.values())} generated "
                f"submissions, topic(s) {' + '.join(topics)} only ({len(reps_runs)} "
                "repetition(s), medians)", figures,
                notes=[f"grade-all cohort: {mix}; graded on {', '.join(topics)} only, to "
                       "fit make bench's budget."],
                raw={"cohort": cohort, "topics": topics, "runs": reps_runs,
                     "efficiencies": efficiencies})
    for one, two in reps_runs:
        if one["scores"] != two["scores"]:
            part.notes.append("WARNING: the gradebooks with 1 and 2 workers differ: "
                              + ", ".join(name for name in one["scores"]
                                          if one["scores"][name] != two["scores"].get(name)))
            break
    return part


def _spread(values: list[float], unit: str) -> str:
    return f"median of {len(values)}, spread {min(values):.2f}-{max(values):.2f}{unit}"


def throughput_worker(folder: str, out: str, topics: list[str], workers: int) -> dict:
    """In a fresh process: one `grade_all` of the folder, timed after the Grader is built."""
    import torch  # noqa: F401 (loaded before the clock starts, as in a real grading run)

    from autograder.config import load_config
    from autograder.grade import Grader

    with Grader(load_config(), select(topics), workers=workers) as grader:
        started = time.monotonic()
        results = grader.grade_all(Path(folder), Path(out), progress=True)
        seconds = time.monotonic() - started
    return {"workers": workers, "seconds": seconds, "submissions": len(results),
            "per_minute": 60 * len(results) / seconds,
            "rejected": sum(bool(r.rejected) for r in results),
            "submission_s": {r.name: r.seconds for r in results},
            "scores": {r.name: list(r.score()) for r in results}}

"""Figure 3: `grade-all` throughput on a generated cohort (`cohort.py`), with one and with two
workers, and the scaling efficiency between them.

Four of the ten topics are graded, so both passes fit in make bench's ten minutes; the figure
shows how well grading parallelises. Each worker
count runs once (not three times), in its own fresh process, after its expected data are computed.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from autograder.bench.cohort import COHORT_MIX, QUICK_MIX, build_cohort
from autograder.bench.table import Figure, Part, Target
from autograder.bench.worker import in_subprocess
from autograder.course import select

# Four topics of the ten (NumPy with training, NumPy, torch, torch with training), so both passes
# fit in make bench's ten minutes. Every worker's fork server starts once per pass, as in a real
# grading run, and serves all its submissions.
THROUGHPUT_TOPICS = ["two_layer_net", "activations", "losses", "regularization"]
EFFICIENCY_TARGET = Target(0.8, at_least=True)
WORKER_COUNTS = (1, 2)


def measure(quick: bool = False, topics: list[str] | None = None) -> Part:
    topics = topics or THROUGHPUT_TOPICS
    with tempfile.TemporaryDirectory(prefix="nnf-bench-cohort-") as scratch:
        made = build_cohort(Path(scratch) / "cohort", QUICK_MIX if quick else COHORT_MIX,
                            select(topics))
        runs = [in_subprocess("throughput", folder=str(Path(scratch) / "cohort"),
                              out=str(Path(scratch) / f"graded-{workers}"), topics=topics,
                              workers=workers)
                for workers in WORKER_COUNTS]
    return throughput_part(runs, {kind: len(paths) for kind, paths in made.items()}, topics)


def throughput_part(runs: list[dict], cohort: dict[str, int], topics: list[str]) -> Part:
    one, two = runs
    efficiency = two["per_minute"] / (2 * one["per_minute"])
    figures = [Figure(f"3. grade-all, {run['workers']} worker(s)", run["per_minute"], "/min",
                      None, f"{run['submissions']} submissions in {run['seconds']:.1f} s")
               for run in runs]
    figures.append(Figure("   scaling efficiency at 2 workers", efficiency, "", EFFICIENCY_TARGET,
                          "throughput at 2 / (2 x throughput at 1)"))
    mix = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in cohort.items())
    part = Part("throughput", f"3. grade-all throughput, {sum(cohort.values())} generated "
                f"submissions, topic(s) {' + '.join(topics)} only (one pass each)", figures,
                notes=[f"grade-all cohort: {mix}; graded on {', '.join(topics)} only, to "
                       "fit the 10-minute budget; one pass per worker count, not 3 repetitions."],
                raw={"cohort": cohort, "topics": topics, "runs": runs})
    if one["scores"] != two["scores"]:
        part.notes.append("WARNING: the gradebooks with 1 and 2 workers differ: "
                          + ", ".join(name for name in one["scores"]
                                      if one["scores"][name] != two["scores"].get(name)))
    return part


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

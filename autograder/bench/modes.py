"""Figures 1, 2 and 5: the reference submission graded in the sandbox and checked in-process.

Graded mode is `Grader.grade` on a zip of the solutions, its expected data computed beforehand by
the constructor (timed once, apart), which also starts the slot's fork server (its own start-up
shown apart too); the server then serves every grading, as in a grading run. Local mode runs the
same checks with `LocalRunner` on the solutions, its expected data also computed before the timed
part, so both sides time the implementation's probes and the compares, and the ratio is what the
sandbox costs. Each mode runs in its own fresh process (`worker.py`): the graded one's peak
memory is the grading parent's.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import impl
from autograder.bench.cohort import module_sources, write_zip
from autograder.bench.table import Figure, Part, Target, median
from autograder.bench.worker import in_subprocess
from autograder.course import ROOT, TOPICS, select
from data.progress import progress_bar

RATIO_TARGET = Target(1.3)  # issue 18, part 8 (was 1.5)
SUBMISSION_TARGET = Target(30.0)
FIXED_COST_COMMAND = [sys.executable, "-c", "import numpy, torch"]


def measure(reps: int, topics: list[str] | None = None) -> Part:
    with tempfile.TemporaryDirectory(prefix="nnf-bench-modes-") as scratch:
        submission = write_zip(Path(scratch) / "reference.zip", module_sources(impl.SOLUTIONS))
        graded = in_subprocess("graded", submission=str(submission),
                               out=str(Path(scratch) / "graded"), reps=reps, topics=topics)
    local = in_subprocess("local", reps=reps, topics=topics)
    fixed = []
    for _ in progress_bar(range(reps), desc="import numpy, torch", unit="run"):
        started = time.monotonic()
        subprocess.run(FIXED_COST_COMMAND, cwd=ROOT, check=True)
        fixed.append(time.monotonic() - started)
    return modes_part(graded, local, fixed)


def modes_part(graded: dict, local: dict, fixed: list[float]) -> Part:
    """The figures from the workers' raw results (kept whole in the part's raw data)."""
    reps = len(graded["runs"])
    graded_s = median([run["seconds"] for run in graded["runs"]])
    local_s = median([run["seconds"] for run in local["runs"]])
    topics = list(graded["runs"][0]["topics"])

    def per_topic(runs: list[dict], key: str) -> dict[str, float]:
        return {t: median([run["topics"][t][key] for run in runs]) for t in topics}

    seconds, startup = per_topic(graded["runs"], "seconds"), per_topic(graded["runs"], "startup_s")
    peak = per_topic(graded["runs"], "peak_rss_mb")
    local_topic = per_topic(local["runs"], "seconds")
    figures = [
        Figure("1. graded / local wall time", graded_s / local_s, "x", RATIO_TARGET,
               f"{graded_s:.1f} s / {local_s:.1f} s; each run's ratio "
               + ", ".join(f"{run['seconds'] / other['seconds']:.2f}"
                           for run, other in zip(graded["runs"], local["runs"], strict=False))),
        Figure("2. whole submission, graded mode", graded_s, "s", SUBMISSION_TARGET,
               f"child start-ups {sum(startup.values()):.1f} s of it; runs "
               + ", ".join(f"{run['seconds']:.1f}" for run in graded["runs"])),
        Figure("   whole submission, local mode", local_s, "s", None,
               "runs " + ", ".join(f"{run['seconds']:.1f}" for run in local["runs"])),
        Figure("   expected data, once per grading run", graded["expected_data_s"], "s", None,
               "the Grader's constructor, before any submission (1 run; the fork servers "
               "start meanwhile, and it waits for them)"),
        Figure("   sandbox fork server start, once per worker and run",
               max(graded["server_startups_s"], default=0.0), "s", None,
               "interpreter, jail, numpy, torch, torchvision imports (in the "
               "constructor)"),
        Figure("   fixed cost: child start-ups, all topics", sum(startup.values()), "s", None,
               "TopicResult.startup_s (forks from the server) summed over topics"),
        Figure("   fixed cost: python -c 'import numpy, torch'", median(fixed), "s", None,
               "runs " + ", ".join(f"{s:.2f}" for s in fixed)),
    ]
    figures += [Figure(f"   {topic}", seconds[topic], "s", None,
                       f"start-up {startup[topic]:.2f} s; local mode {local_topic[topic]:.2f} s")
                for topic in topics]
    largest = max(peak, key=peak.__getitem__)
    figures.append(Figure("5. peak RSS of a grading child, largest", peak[largest], "MB", None,
                          largest))
    figures += [Figure(f"   {topic}", peak[topic], "MB") for topic in topics]
    figures.append(Figure("   peak RSS of the grading parent", graded["peak_rss_mb"], "MB", None,
                          "ru_maxrss of the graded-mode process (expected data of all topics)"))
    which = "all topics" if len(topics) == len(TOPICS) else "topics " + ", ".join(topics)
    part = Part("modes", f"1, 2, 5. reference submission, {which}: graded vs local mode "
                f"({reps} run(s) each, medians)", figures,
                raw={"graded": graded, "local": local, "import_numpy_torch_s": fixed})
    not_run = graded["runs"][0]["not_run"]
    if not_run and not graded["cuda"]:
        part.notes.append(f"NOT RUN: {not_run} CUDA check(s) need a GPU and this machine has none;"
                          " they are left out of both modes alike (times and scores).")
    for run in graded["runs"]:
        if run["earned"] < run["possible"] - 1e-9:
            part.notes.append(f"WARNING: the reference got {run['earned']:.2f} / "
                              f"{run['possible']:.2f} in graded mode: its times are suspect.")
    return part


def _counts(outcomes: list) -> dict[str, int]:
    from autograder.runtime.outcome import Status

    return {"checks": len(outcomes), "passed": sum(o.passed for o in outcomes),
            "not_run": sum(o.status is Status.NOT_RUN for o in outcomes)}


def graded_worker(submission: str, out: str, reps: int,
                  topics: list[str] | None = None) -> dict:
    """In a fresh process: the Grader's constructor once, then `reps` gradings of one
    submission, each into its own output folder."""
    import resource

    import torch  # first, so the constructor's time is expected data, not the torch import

    from autograder.config import load_config
    from autograder.grade import Grader
    from autograder.runtime.outcome import cuda_available

    started = time.monotonic()
    grader = Grader(load_config(), select(topics), workers=1)
    expected_data_s = time.monotonic() - started
    runs = []
    with grader:
        for rep in progress_bar(range(reps), desc="graded mode", unit="run"):
            result = grader.grade(Path(submission), Path(out) / f"run{rep}", "reference")
            earned, possible = result.score()
            counts = [_counts(t.outcomes) for t in result.topics]
            runs.append({"seconds": result.seconds, "earned": earned, "possible": possible,
                         "not_run": sum(c["not_run"] for c in counts),
                         "topics": {t.topic.name: {"seconds": t.seconds,
                                                   "startup_s": t.startup_s,
                                                   "peak_rss_mb": t.peak_rss_mb} | c
                                    for t, c in zip(result.topics, counts, strict=True)}})
        server_startups_s = grader.sandbox_startups_s()
    return {"expected_data_s": expected_data_s, "runs": runs, "cuda": cuda_available(),
            "server_startups_s": server_startups_s, "torch_threads": torch.get_num_threads(),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def local_worker(reps: int, topics: list[str] | None = None) -> dict:
    """In a fresh process: expected data of every check first (timed apart), then `reps` passes
    of every topic's checks over a freshly loaded reference."""
    import resource

    import torch

    from autograder.config import load_config
    from autograder.local import LocalRunner
    from autograder.runtime.outcome import cuda_available

    config = load_config()
    started = time.monotonic()
    prepared = []
    for topic in select(topics):
        checks = config.checks(topic)
        runner = LocalRunner(impl.load(impl.SOLUTIONS, topic))
        for check in checks:
            if not (check.needs_gpu and not cuda_available()):
                runner.expected(check)
        prepared.append((topic, checks, runner))
    expected_data_s = time.monotonic() - started
    runs = []
    for _ in progress_bar(range(reps), desc="local mode", unit="run"):
        per_topic = {}
        for topic, checks, runner in prepared:
            started = time.monotonic()
            module = impl.load(impl.SOLUTIONS, topic)
            outcomes = [runner.run(check, module) for check in checks]
            per_topic[topic.name] = {"seconds": time.monotonic() - started} | _counts(outcomes)
        runs.append({"seconds": sum(t["seconds"] for t in per_topic.values()),
                     "topics": per_topic})
    return {"expected_data_s": expected_data_s, "runs": runs,
            "torch_threads": torch.get_num_threads(),
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}

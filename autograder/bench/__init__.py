"""`make bench`: how fast grading is on this machine, every figure measured in the same run.

    python -m autograder.bench [--quick] [--only PART,PART] [--topic T ...] [--out DIR]

Parts (in the order they run), with the issue's targets:
  curriculum  6. the 5-06 NumPy MLP against PyTorch, the 5-05 engine against torch autograd
              (informational)
  public      4. the public checks as a student runs them: each topic cold (a fresh
              interpreter) <= 3 s, all <= 15 s; the import floors beside them
  modes       1. graded / local wall time for the reference submission <= 1.3; 2. a whole
              submission graded <= 30 s, per topic, with the fixed costs apart; 5. peak memory
              of each topic's grading child and of the grading parent
  throughput  3. grade-all on 20 generated submissions with 1 and 2 workers: scaling
              efficiency >= 0.8 (a few topics only)
  gradescope  8. one submission in Gradescope's layout (run_autograder to results.json) with
              the expected data built into the otter zip <= 15 s, and without them (before)
  docker      7. the container overhead per submission (only with a running docker daemon and
              the grading image; otherwise "not measured", with the reason)
The whole run takes at most 10 minutes on a 2-core machine. Times are medians of 3 runs unless a
part says otherwise; each mode runs in a fresh process, so no measurement inherits another's
imports or memory. It prints a table (figure | measured | target | verdict) and writes every raw
number to bench/results.json, with the machine, the date and the git commit. The exit status is
1 when a part could not be measured at all, else 0: a MISS is reported, not an error.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib.metadata
import os
import platform
import subprocess
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from autograder.bench.table import Figure, Part, Target, notes, summary, table, write_results
from autograder.course import ROOT

PARTS = ("curriculum", "public", "modes", "throughput", "gradescope", "docker")
DEFAULT_OUT = ROOT / "bench"
BUDGET = Target(600.0)  # make bench, whole run


@dataclass(frozen=True)
class Settings:
    reps: int = 3
    quick: bool = False
    topics: tuple[str, ...] = ()  # restricts the public and modes parts (default: all topics)


def measurements(settings: Settings) -> dict[str, Callable[[], Part]]:
    from autograder.bench import curriculum, docker_overhead, gradescope, modes, public, throughput

    topics = list(settings.topics) or None
    files = public.topic_files(settings.topics) or None
    return {"curriculum": lambda: curriculum.measure(settings.reps, settings.quick),
            "public": lambda: public.measure(settings.reps, files),
            "modes": lambda: modes.measure(settings.reps, topics),
            "throughput": lambda: throughput.measure(settings.quick, reps=settings.reps),
            "gradescope": lambda: gradescope.measure(settings.reps),
            "docker": docker_overhead.measure}


def measure_part(key: str, measure: Callable[[], Part]) -> Part:
    started = time.monotonic()
    try:
        part = measure()
    except Exception as error:  # one part failing must not lose the other parts' figures
        part = Part(key, f"{key}: FAILED", [Figure(key, None, why_not=f"failed: {error}")],
                    notes=[f"!!! {key} could not be measured: {error}"],
                    raw={"error": repr(error), "traceback": traceback.format_exc()},
                    failed=True)
    part.seconds = time.monotonic() - started
    return part


def machine() -> dict:
    model = ""
    with contextlib.suppress(OSError):  # not Linux: no model name
        model = next((line.split(":", 1)[1].strip() for line in
                      Path("/proc/cpuinfo").read_text().splitlines()
                      if line.startswith("model name")), "")
    return {"cpu_count": os.cpu_count(), "cpu_model": model, "platform": platform.platform(),
            "python": platform.python_version(),
            "torch": importlib.metadata.version("torch"),
            "numpy": importlib.metadata.version("numpy")}


def git_commit() -> str:
    try:
        run = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                             text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return run.stdout.strip() if run.returncode == 0 else "unknown"


def run(parts: list[str], settings: Settings, out: Path = DEFAULT_OUT) -> int:
    started = time.monotonic()
    about = machine()
    kind = "QUICK run (1 repetition, small sizes): not for the record" if settings.quick \
        else f"{settings.reps} repetitions"
    print(f"make bench: {about['cpu_count']} CPU(s), Python {about['python']}, torch "
          f"{about['torch']}; {kind}", flush=True)
    chosen = measurements(settings)
    done = []
    for key in parts:
        print(f"measuring {key} ...", flush=True)
        done.append(measure_part(key, chosen[key]))
        print(f"  {key}: {done[-1].seconds:.0f} s", flush=True)
    total = time.monotonic() - started
    whole = list(parts) == list(PARTS) and not settings.quick and not settings.topics
    done.append(Part("total", "make bench", [Figure(
        "make bench, whole run", total, "s", BUDGET if whole else None,
        "every part above" if whole else "a partial or quick run: no target")]))
    print()
    print(table(done))
    if notes(done):
        print()
        print(notes(done))
    results = out / "results.json"
    write_results(results, {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "git_commit": git_commit(), "machine": about, "parts_run": list(parts),
        "settings": {"reps": settings.reps, "quick": settings.quick,
                     "topics": list(settings.topics)},
        "total_s": total, "summary": summary(done),
        "parts": {part.key: part.as_json() for part in done}})
    print(f"\ntotal run time {total:.0f} s; raw numbers in {results}")
    return 1 if any(part.failed for part in done) else 0

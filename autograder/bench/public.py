"""Figure 4: the public checks as a student runs them (`make check`, with IMPL=solutions so every
check passes and none stops early).

One pytest process over all public check files, as the Makefile's `check` target starts it, with
a JUnit report: start-up is the session's wall time minus all checks' time (interpreter, pytest,
torch, collection). Then each topic as `make check TOPIC=...` runs it, cold: a fresh interpreter
per run, its wall time from start to exit (what the student waits for; target 3 s). Beside
them, the floors no check can go under, measured the same way (pytest on a one-line test, cold):
torch, which every topic's expected data come from; torchvision, which 5-07's own module imports
(and which imports torch._dynamo); a torch.optim.Optimizer, which 5-08's and 5-09's tasks subclass
(its constructor imports torch._dynamo).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path

from autograder.bench.table import Figure, Part, Target, median
from autograder.bench.worker import TIMEOUT_S
from autograder.course import ROOT, TOPICS
from data.progress import progress_bar

TOPIC_TARGET = Target(3.0)
# What no check of a topic can avoid importing: a one-line pytest file each.
FLOORS = {
    "torch (every topic's expected data)": "import torch",
    "torchvision (5-07's module)": "import torchvision",
    "torch.optim.Optimizer (5-08, 5-09's tasks)":
        "import torch\ntorch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)",
}
TOTAL_TARGET = Target(15.0)
CHECKS = [p.relative_to(ROOT).as_posix()
          for p in sorted(ROOT.glob("autograder/topics/*/public.py"))]


def topic_files(topics) -> list[str]:
    """The public check files of the named topics, as `make check` passes them to pytest."""
    return [TOPICS[t].check_file("public").relative_to(ROOT).as_posix() for t in topics]


def check_command(junit: Path, files: list[str] | None = None) -> list[str]:
    """`make check IMPL=solutions`, plus a JUnit report and quiet output."""
    return [sys.executable, "-m", "pytest", *(files or CHECKS), "--impl", "solutions",
            "-p", "no:cacheprovider", "-q", f"--junitxml={junit}"]


def parse_junit(path: Path) -> dict[str, dict]:
    """Per topic: the summed time of its checks, how many ran, failed and were skipped."""
    topics: dict[str, dict] = {}
    for case in ElementTree.parse(path).getroot().iter("testcase"):
        # autograder.topics.<topic>.public
        topic = case.get("classname", "").removeprefix("autograder.topics.").split(".")[0]
        entry = topics.setdefault(topic, {"seconds": 0.0, "tests": 0, "failed": 0,
                                          "skipped": 0})
        entry["seconds"] += float(case.get("time", 0.0))
        entry["tests"] += 1
        entry["failed"] += case.find("failure") is not None or case.find("error") is not None
        entry["skipped"] += case.find("skipped") is not None
    return topics


def run_checks(files: list[str] | None = None) -> dict:
    """One session: its wall time, exit status and per-topic times."""
    with tempfile.TemporaryDirectory(prefix="nnf-bench-public-") as scratch:
        junit = Path(scratch) / "junit.xml"
        started = time.monotonic()
        run = subprocess.run(check_command(junit, files), cwd=ROOT, capture_output=True,
                             text=True, timeout=TIMEOUT_S)
        wall = time.monotonic() - started
        topics = parse_junit(junit) if junit.is_file() else {}
    return {"wall_s": wall, "returncode": run.returncode, "topics": topics,
            "startup_s": wall - sum(t["seconds"] for t in topics.values())}


def floor_s(imports: str) -> float:
    """Cold wall time of pytest on one test whose module runs `imports`."""
    with tempfile.TemporaryDirectory(prefix="nnf-bench-floor-") as scratch:
        test = Path(scratch) / "test_floor.py"
        test.write_text(f"{imports}\n\n\ndef test_floor():\n    pass\n")
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "pytest", str(test), "-q", "-p",
                        "no:cacheprovider"], cwd=scratch, capture_output=True, check=True,
                       timeout=TIMEOUT_S)
        return time.monotonic() - started


def measure(reps: int, files: list[str] | None = None) -> Part:
    sessions = [run_checks(files)
                for _ in progress_bar(range(reps), desc="public checks", unit="run")]
    floors = {name: [floor_s(imports) for _ in range(reps)] for name, imports in FLOORS.items()}
    # `make check TOPIC=...` as a student starts it: a fresh interpreter per run, cold.
    cold = {}
    for file in progress_bar(files or CHECKS, desc="make check TOPIC=...", unit="topic"):
        topic = Path(file).parent.name
        cold[topic] = [run_checks([file])["wall_s"] for _ in range(reps)]
    return public_part(sessions, cold, floors)


def public_part(sessions: list[dict], cold: dict[str, list[float]],
                floors: dict[str, list[float]] | None = None) -> Part:
    figures = [
        Figure("4. all public checks, make check", median([s["wall_s"] for s in sessions]), "s",
               TOTAL_TARGET, "wall time, start-up included; runs "
               + ", ".join(f"{s['wall_s']:.1f}" for s in sessions)),
        Figure("   start-up (interpreter, pytest, torch)",
               median([s["startup_s"] for s in sessions]), "s"),
    ]
    figures += [Figure(f"   make check TOPIC={topic}, cold", median(walls), "s", TOPIC_TARGET,
                       f"a fresh interpreter each; {sessions[0]['topics'][topic]['tests']} "
                       f"checks; spread {min(walls):.1f}-{max(walls):.1f} s")
                for topic, walls in cold.items()]
    figures += [Figure(f"   floor: pytest + {name}", median(walls), "s", None,
                       f"cold, a one-line test; spread {min(walls):.1f}-{max(walls):.1f} s")
                for name, walls in (floors or {}).items()]
    part = Part("public", f"4. public checks as a student runs them (make check IMPL=solutions, "
                f"{len(sessions)} run(s), medians)", figures,
                raw={"sessions": sessions, "cold_s": cold, "floors_s": floors or {}})
    skipped = sum(t["skipped"] for t in sessions[0]["topics"].values())
    if skipped:
        part.notes.append(f"NOT RUN: {skipped} public CUDA check(s) were skipped (no GPU here).")
    failed = [f"{topic} ({entry['failed']})" for s in sessions
              for topic, entry in s["topics"].items() if entry["failed"]]
    if failed or any(s["returncode"] not in (0,) for s in sessions):
        part.notes.append("WARNING: public checks failed on the solutions: "
                          + (", ".join(failed) or "pytest exited non-zero"))
    return part

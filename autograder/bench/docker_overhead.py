"""Figure 7: what one container per submission costs, for the reference submission.

The same command twice: `python -m autograder grade` on the host, and the grading image running it
in a container as `make grade` does (`containers.grade_one`). Both start an interpreter, compute
their expected data and grade every topic, so the difference is the container's own cost. One run
each, as a whole submission takes most of a minute. Without a running docker daemon and the image
that `make image` builds, nothing is measured, and the table and results.json say why; this module
never starts or stops dockerd.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import impl
from autograder.bench.cohort import module_sources, write_zip
from autograder.bench.table import Figure, Part
from autograder.course import ROOT

TITLE = "7. container overhead per submission (reference, all topics, 1 run each)"


def unavailable() -> str:
    """Why containers cannot be measured here ("" when they can)."""
    from autograder.containers import IMAGE

    if shutil.which("docker") is None:
        return "docker is not installed"
    try:
        info = subprocess.run(["docker", "info", "--format", "{{.ServerVersion}}"],
                              capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        return "the docker daemon did not answer `docker info` within 30 s"
    if info.returncode != 0:
        said = (info.stderr.strip().splitlines() or ["no message"])[-1]
        return f"the docker daemon is not running (docker info: {said})"
    image = subprocess.run(["docker", "image", "inspect", IMAGE], capture_output=True)
    if image.returncode != 0:
        return f"the grading image {IMAGE} is not built (make image)"
    return ""


def measure() -> Part:
    why = unavailable()
    if why:
        return not_measured(why)
    from autograder.config import load_config
    from autograder.containers import IMAGE, START_MARGIN_S, grade_one, host_gpus

    config = load_config()
    with tempfile.TemporaryDirectory(prefix="nnf-bench-docker-") as scratch:
        folder = Path(scratch)
        folder.chmod(0o755)  # the container's grader reads the mounted zip as another user
        submission = write_zip(folder / "reference.zip", module_sources(impl.SOLUTIONS))
        submission.chmod(0o644)
        timeout_s = START_MARGIN_S + sum(t.time_limit_s for t in config.topics.values())
        started = time.monotonic()
        host = subprocess.run([sys.executable, "-m", "autograder", "grade", str(submission),
                               "--out", str(folder / "host")], cwd=ROOT, capture_output=True,
                              text=True, timeout=timeout_s)
        host_s = time.monotonic() - started
        host_results = _score(folder / "host" / "results.json")
        started = time.monotonic()
        results = grade_one(IMAGE, submission, "reference", folder / "container",
                            float(os.cpu_count() or 1), host_gpus(), [], timeout_s)
        container_s = time.monotonic() - started
    return docker_part({"host_s": host_s, "host_returncode": host.returncode,
                        "host_score": host_results.get("score"),
                        "host_max_score": host_results.get("max_score"),
                        "container_s": container_s, "container_score": results.get("score"),
                        "container_max_score": results.get("max_score"),
                        "container_output": results.get("output", "")[:2000]})


def _score(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}


def not_measured(why: str) -> Part:
    return Part("docker", TITLE, [Figure("7. container overhead per submission", None,
                                         why_not=why)],
                notes=[f"!!! NOT MEASURED: the container overhead (figure 7): {why}. Start "
                       "dockerd and run make image, then make bench again."],
                raw={"measured": False, "why_not": f"not measured: {why}"})


def docker_part(raw: dict) -> Part:
    overhead = raw["container_s"] - raw["host_s"]
    part = Part("docker", TITLE, [
        Figure("7. grading in a container", raw["container_s"], "s", None,
               "containers.grade_one, as make grade"),
        Figure("   grading without Docker", raw["host_s"], "s", None,
               "python -m autograder grade, the same command on the host"),
        Figure("   container overhead per submission", overhead, "s", None,
               f"{raw['container_s'] / raw['host_s']:.2f}x the host's time"),
    ], raw={"measured": True} | raw)
    host = (raw["host_score"], raw["host_max_score"])
    container = (raw["container_score"], raw["container_max_score"])
    if raw["host_returncode"] != 0 or host[0] != host[1] or container[0] != container[1]:
        part.notes.append(f"WARNING: the reference got {_fraction(container)} in the container "
                          f"and {_fraction(host)} on the host (exit status "
                          f"{raw['host_returncode']}), not full marks in both: the times are "
                          "suspect" + (", and the grading image may be out of date (make image)"
                                       if host[0] == host[1] != container[0] else "") + ".")
    return part


def _fraction(score: tuple) -> str:
    earned, possible = score
    return "no score" if earned is None or possible is None else f"{earned:.2f} / {possible:.2f}"

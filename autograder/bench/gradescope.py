"""Figure 8: one whole submission in Gradescope's layout, from run_autograder's start to the
results.json Gradescope reads, with the expected data built into the zip and without them.

The zip is built once (`make autograder`, every topic); the reference submission is then run
through the otter route on this host (run_autograder, otter's kernel, the engine and its
sandbox, the hand-over of our results), alternately with the zip as built and with its
`build/expected/` removed, as every container paid before the cache: before and after side by
side, in one run. The cached run is repeated (median, spread beside it), the one before runs once.
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
from autograder.bench.table import Figure, Part, Target, median

TITLE = "8. Gradescope layout: one submission end to end (reference, all topics)"
TARGET = Target(15.0)
TIMEOUT_S = 600


def measure(reps: int) -> Part:
    from autograder.otter_zip import GRADER, build, gradescope_layout

    raw: dict = {"with_cache_s": [], "without_cache_s": [], "scores": []}
    with tempfile.TemporaryDirectory(prefix="nnf-bench-gradescope-") as scratch:
        folder = Path(scratch)
        archive = build(folder / "autograder.zip").path
        upload = write_zip(folder / "reference.zip", module_sources(impl.SOLUTIONS))
        # The target is on the cached run: it is repeated; the one before, once (informational,
        # and 25 s a run).
        for rep in range(reps):
            for cached in (False, True)[0 if rep == 0 else 1:]:
                root = folder / "autograder"
                runner = gradescope_layout(archive, upload, root)
                if not cached:
                    shutil.rmtree(root / "source" / GRADER / "build" / "expected")
                env = {**os.environ, "NNF_AUTOGRADER_DIR": str(root),
                       "NNF_PYTHON": sys.executable}
                started = time.monotonic()
                run = subprocess.run(["bash", str(runner)], env=env, capture_output=True,
                                     text=True, timeout=TIMEOUT_S)
                seconds = time.monotonic() - started
                results = _results(root / "results" / "results.json")
                if run.returncode != 0 or results.get("score") != results.get("max_score"):
                    raise RuntimeError(f"the reference did not get full marks in Gradescope's "
                                       f"layout (exit {run.returncode}): "
                                       f"{(run.stderr or run.stdout)[-800:]}")
                raw["with_cache_s" if cached else "without_cache_s"].append(seconds)
                raw["scores"].append(results["score"])
    return gradescope_part(raw)


def gradescope_part(raw: dict) -> Part:
    after, before = raw["with_cache_s"], raw["without_cache_s"]
    return Part("gradescope", TITLE, [
        Figure("8. Gradescope layout, expected data in the zip", median(after), "s", TARGET,
               f"run_autograder to results.json; {_spread(after)}"),
        Figure("   the same without them (before)", median(before), "s", None,
               f"each container computed them; {_spread(before)}"),
    ], raw=raw)


def _spread(values: list[float]) -> str:
    return f"median of {len(values)}, spread {min(values):.1f}-{max(values):.1f} s"


def _results(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return {}

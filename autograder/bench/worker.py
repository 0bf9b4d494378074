"""One measurement in a fresh process: `python -m autograder.bench.worker TASK 'JSON arguments'`
prints its result as JSON on the last line of stdout.

A fresh process per mode keeps one measurement's memory and import state (torch loaded, caches
warm, expected data computed) from biasing another, and makes its peak resident memory its own.
Progress bars and messages go to stderr, which the parent leaves on the terminal.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable

from autograder.course import ROOT

TIMEOUT_S = 300  # a worker that hangs must not hold make bench far past its 10 minutes


class BenchError(RuntimeError):
    """A measurement could not be taken (its process failed or printed no result)."""


def in_subprocess(task: str, env: dict[str, str] | None = None, **arguments: object) -> dict:
    """Run one task of this module in a fresh interpreter (`env` added to its environment) and
    return the JSON it printed. The worker gets its own process group, so a hung one is killed
    with everything it started (sandboxes included)."""
    command = [sys.executable, "-m", "autograder.bench.worker", task, json.dumps(arguments)]
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True,
                          env=os.environ | (env or {}), start_new_session=True) as worker:
        try:
            stdout, _ = worker.communicate(timeout=TIMEOUT_S)
        except BaseException as error:  # a timeout, or Ctrl-C (which its own session misses)
            os.killpg(worker.pid, signal.SIGKILL)
            worker.communicate()
            if isinstance(error, subprocess.TimeoutExpired):
                raise BenchError(f"the {task} worker ran past {TIMEOUT_S} s and was killed") \
                    from None
            raise
    lines = stdout.strip().splitlines()
    if worker.returncode != 0 or not lines:
        raise BenchError(f"the {task} worker exited with status {worker.returncode} "
                         "(its error is printed above)")
    return json.loads(lines[-1])


def _tasks() -> dict[str, Callable[[dict], dict]]:
    # Imported here, per task, so a worker loads only what its own measurement needs.
    def graded(arguments: dict) -> dict:
        from autograder.bench.modes import graded_worker
        return graded_worker(**arguments)

    def local(arguments: dict) -> dict:
        from autograder.bench.modes import local_worker
        return local_worker(**arguments)

    def throughput(arguments: dict) -> dict:
        from autograder.bench.throughput import throughput_worker
        return throughput_worker(**arguments)

    def curriculum(arguments: dict) -> dict:
        from autograder.bench.curriculum import measure_curriculum
        return measure_curriculum(**arguments)

    return {"graded": graded, "local": local, "throughput": throughput,
            "curriculum": curriculum}


def main(argv: list[str]) -> int:
    tasks = _tasks()
    if len(argv) != 2 or argv[0] not in tasks:
        print(f"usage: python -m autograder.bench.worker {{{','.join(tasks)}}} 'JSON'",
              file=sys.stderr)
        return 2
    result = tasks[argv[0]](json.loads(argv[1]))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

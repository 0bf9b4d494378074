"""A grading run's worker slots: one leased sandbox uid and one fork server each, started first.

A fork server spends seconds importing torch; the grading parent spends seconds importing the
checks and reading the expected data. `grade`, `grade-all` and `demo` start the slots before
they load the configuration, so on a multi-core host the two overlap instead of adding up.
"""

from __future__ import annotations

import os
import queue
import shutil
import tempfile
from pathlib import Path

from autograder.sandbox.leases import Lease, lease
from autograder.sandbox.protections import Protections
from autograder.sandbox.zygote import Zygote, build_runtime


def threads_per_worker(workers: int) -> int:
    """torch threads of each sandboxed child: the machine's cores shared among the workers."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


class Slots:
    """`workers` fork servers, launched now (not waited for), over one copy of the public runtime;
    `free` holds the servers no grading is using. `close()` kills them and releases the uids
    (idempotent)."""

    def __init__(self, workers: int):
        self.workers = workers
        self.protections = Protections.detect()
        self.runtime = build_runtime(Path(tempfile.mkdtemp(prefix="nnf-runtime-")))
        self.leases: list[Lease] = []
        self.zygotes: list[Zygote] = []
        self.free: queue.Queue[Zygote] = queue.Queue()
        try:
            for _ in range(workers):
                self.leases.append(lease())
                self.zygotes.append(Zygote(self.runtime, self.leases[-1].uid, self.protections))
                self.zygotes[-1].launch(threads_per_worker(workers))
        except BaseException:
            self.close()
            raise
        for zygote in self.zygotes:
            self.free.put(zygote)

    def wait_ready(self) -> None:
        for zygote in self.zygotes:
            zygote.wait_ready()

    def close(self) -> None:
        for zygote in self.zygotes:
            zygote.close()
        for held in self.leases:
            held.release()
        self.zygotes, self.leases = [], []
        shutil.rmtree(self.runtime, ignore_errors=True)

"""Judge mutants with the pack's checks, in local mode.

One process imports the libraries, loads the reference and computes every check's expected data;
each mutant then runs in a child forked from it, so a mutant costs only its own checks. A mutant
is *killed* when a check of the grading configuration does not pass (the submission would lose
points), when it cannot be imported, or when it runs past its time limit (graded mode has limits
too); otherwise it *survived*. The checks of the mutated function run first, and the first failure
ends the child.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from autograder import impl
from autograder.config import GradingConfig
from autograder.course import Topic
from autograder.errors import HarnessError
from autograder.local import LocalRunner
from autograder.mutation.generate import Mutant
from autograder.runtime.check import Check
from autograder.runtime.outcome import Status

KILLED, SURVIVED, TIMEOUT = "killed", "survived", "timeout"


@dataclass(frozen=True)
class Verdict:
    id: str
    status: str  # KILLED, SURVIVED or TIMEOUT (a timeout kills)
    by: str  # the first check that failed, "import" or the time limit
    seconds: float

    @property
    def killed(self) -> bool:
        return self.status != SURVIVED


class Judge:
    """A topic's checks with their expected data, ready to judge mutants."""

    def __init__(self, topic: Topic, config: GradingConfig):
        import torch

        torch.set_num_threads(1)  # a forked child must not inherit a running thread pool
        self.topic, self.checks = topic, config.checks(topic)
        self.runner = LocalRunner(impl.load(impl.SOLUTIONS, topic))
        started = time.monotonic()
        failing = [o.check.id for o in self._outcomes(self.runner.reference, self.checks)
                   if not o.passed and o.status is not Status.NOT_RUN]
        if failing:  # a mutant is judged against a reference that gets full marks
            raise HarnessError(f"the reference fails {', '.join(failing)}: fix it first")
        # Generous: a mutant that is merely slower than the reference is not killed for it.
        self.limit = max(15.0, 10 * (time.monotonic() - started))

    def _outcomes(self, module, checks: list[Check]):
        for check in checks:
            yield self.runner.run(check, module)

    def judge_here(self, mutant: Mutant) -> tuple[str, str]:
        """(status, by) for one mutant, in this process."""
        try:
            module = impl.load_source(mutant.source, self.topic,
                                      impl.module_path(impl.SOLUTIONS, self.topic))
        except impl.ImplementationError:
            return KILLED, "import"
        first = [c for c in self.checks if c.function.split(".")[0] == mutant.function]
        ordered = first + [c for c in self.checks if c not in first]
        for outcome in self._outcomes(module, ordered):
            if not outcome.passed and outcome.status is not Status.NOT_RUN:
                return KILLED, outcome.check.id
        return SURVIVED, ""

    def judge(self, mutants: Iterable[Mutant], workers: int = 2,
              done: Callable[[Verdict], None] = lambda verdict: None) -> list[Verdict]:
        """Each mutant in a forked child, `workers` at a time; `done` hears each verdict."""
        pending, running, verdicts = list(mutants), {}, []
        selector = selectors.DefaultSelector()
        while pending or running:
            while pending and len(running) < workers:
                mutant = pending.pop(0)
                pid, reader = self._fork(mutant)
                running[pid] = (mutant, reader, time.monotonic())
                selector.register(reader, selectors.EVENT_READ, pid)
            for key, _ in selector.select(timeout=0.5):
                pid = key.data
                mutant, reader, started = running.pop(pid)
                selector.unregister(reader)
                verdicts.append(self._finish(pid, mutant, reader, started))
                done(verdicts[-1])
            for pid, (mutant, reader, started) in list(running.items()):
                if time.monotonic() - started > self.limit:
                    os.kill(pid, signal.SIGKILL)
                    running.pop(pid)
                    selector.unregister(reader)
                    os.close(reader)
                    os.waitpid(pid, 0)
                    verdicts.append(Verdict(mutant.id, TIMEOUT, f"over {self.limit:.0f} s",
                                            round(time.monotonic() - started, 2)))
                    done(verdicts[-1])
        return verdicts

    def _fork(self, mutant: Mutant) -> tuple[int, int]:
        source = mutant.source  # rendered in the parent: the child only runs checks
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: judge, write one JSON line, leave without cleanup
            os.close(reader)
            from tqdm import tqdm

            # tqdm's write lock was inherited: a multiprocessing lock shared with the parent and
            # every sibling (a bar that raises while drawing keeps it held for good), and a
            # thread lock the parent's bar may have held at the fork. The child gets its own.
            tqdm.set_lock(threading.RLock())
            quiet = os.open(os.devnull, os.O_WRONLY)  # a mutant's prints and warnings
            os.dup2(quiet, 1)
            os.dup2(quiet, 2)
            status, by = KILLED, "the judge crashed"
            try:
                object.__setattr__(mutant, "render", lambda: source)
                status, by = self.judge_here(mutant)
            finally:
                os.write(writer, json.dumps([status, by]).encode())
                os._exit(0)
        os.close(writer)
        return pid, reader

    def _finish(self, pid: int, mutant: Mutant, reader: int, started: float) -> Verdict:
        chunks = []
        while chunk := os.read(reader, 65536):
            chunks.append(chunk)
        os.close(reader)
        os.waitpid(pid, 0)
        seconds = round(time.monotonic() - started, 2)
        try:
            status, by = json.loads(b"".join(chunks))
        except ValueError:  # the child died without a word (a crash in native code, say)
            status, by = KILLED, "the child process died"
        return Verdict(mutant.id, status, by, seconds)

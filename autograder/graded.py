"""Graded mode: each topic's probes run in a sandboxed child (`autograder.sandbox`); this trusted
process computes the expected data itself and judges every answer.

Public checks run before hidden ones, so the only student-written text that can reach feedback
(import errors, public check messages, captured output) was produced before the child had seen any
hidden input. A missing or malformed answer fails its check; nothing is retried.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from autograder.config import TopicConfig
from autograder.errors import HarnessError
from autograder.local import LocalRunner
from autograder.runtime.check import Check
from autograder.runtime.compare import Mismatch
from autograder.runtime.outcome import Outcome, Status
from autograder.runtime.plain import NotPlainError
from autograder.sandbox import packing
from autograder.sandbox.leases import sandbox_slot
from autograder.sandbox.limits import Limits
from autograder.sandbox.protections import Protections
from autograder.sandbox.rules import refusal, violations
from autograder.sandbox.transport import ChildGone, Sandbox
from autograder.sandbox.zygote import Zygote
from autograder.topics import Topic

MESSAGE_CHARS = 2000  # of one child-written message
NOT_RUN_AFTER_STOP = "not run: the topic's process had stopped"


@dataclass
class TopicResult:
    topic: Topic
    outcomes: list[Outcome]
    load_error: str = ""  # the module's import failed: syntax error, missing package, exit
    refused: list[str] = field(default_factory=list)  # source_rules violations: not run at all
    missing: bool = False  # the submission has no module for this topic
    output_public: str = ""  # captured output before the first hidden probe
    output_total: int = 0  # bytes printed in all
    notes: list[str] = field(default_factory=list)  # how the child ended, when it ended early
    seconds: float = 0.0  # wall time of the topic's sandbox, start-up included
    startup_s: float = 0.0  # of which start-up: the fork to "ready" (with the zygote's own
    # start when it had not started yet: a Grader starts its zygotes before any topic)
    peak_rss_mb: float = 0.0  # the child's peak resident memory


class GradedRunner:
    """Grades topics of staged submissions; expected data are computed once and shared."""

    def __init__(self, expected: LocalRunner, runtime: Path,
                 protections: Protections | None = None, cuda: bool = False,
                 source_rules: bool = True):
        self.expected, self.runtime = expected, runtime
        self.protections = protections or Protections.detect()
        self.cuda, self.source_rules = cuda, source_rules

    def prepare(self, checks: list[Check]) -> None:
        """Compute every expected value up front (then grading threads only read them)."""
        for check in checks:
            if not (check.needs_gpu and not self.cuda):
                self.expected.expected(check)

    def grade_topic(self, topic: Topic, checks: list[Check], submission: Path, limits: Limits,
                    zygote: Zygote | None = None) -> TopicResult:
        """Grade one topic of a staged submission in a child forked by `zygote` (a slot's fork
        server, to which `submission` was presented; without one, a zygote of its own is
        started and stopped)."""
        if zygote is None:
            with sandbox_slot() as slot, Zygote(self.runtime, slot, self.protections) as own:
                return self.grade_topic(topic, checks, own.present(submission), limits, own)
        checks = sorted(checks, key=lambda c: c.visibility != "public")  # public first
        result = TopicResult(topic, [])
        runnable = [c for c in checks if not (c.needs_gpu and not self.cuda)]
        outcomes = {c.id: Outcome(c, Status.NOT_RUN, "needs a CUDA device; none on this machine",
                                  True) for c in checks if c not in runnable}
        if not (submission / topic.module_file).is_file():
            result.missing = True
            outcomes |= {c.id: Outcome(c, Status.ERROR, f"the submission has no "
                                       f"{topic.module_file}", True) for c in runnable}
            result.outcomes = [outcomes[c.id] for c in checks]
            return result
        if self.source_rules:
            source = (submission / topic.module_file).read_bytes().decode("utf-8", "replace")
            result.refused = violations(source, topic.module_file)
        if result.refused:
            why = refusal(topic, result.refused)
            outcomes |= {c.id: Outcome(c, Status.ERROR, why, True) for c in runnable}
            result.outcomes = [outcomes[c.id] for c in checks]
            return result
        started = time.monotonic()
        with Sandbox(zygote, limits) as box:
            ready = box.start()
            if self.cuda and not ready.get("cuda"):
                raise HarnessError("this machine has CUDA but the grading sandbox cannot see it")
            pending = list(runnable)
            public_output_taken = False
            try:
                try:
                    loaded = box.load(topic.name)
                except (ChildGone, NotPlainError) as error:
                    loaded = {"message": f"importing it ended the topic's process: "
                                         f"{_why(error)}"}
                if loaded.get("event") != "loaded":
                    result.load_error = _text(loaded.get("message")) or "the import failed"
                    why = f"{topic.module_file} could not be imported: {result.load_error}"
                    outcomes |= {c.id: Outcome(c, Status.ERROR, why, True) for c in pending}
                    pending = []
                while pending:
                    check = pending[0]
                    if check.visibility == "hidden" and not public_output_taken:
                        result.output_public, public_output_taken = _output(box), True
                    outcomes[check.id] = self._judge(check, box.ask(_request(check)))
                    pending.pop(0)
            except (ChildGone, NotPlainError) as error:
                why = _why(error)
                result.notes.append(f"the topic's process stopped while {pending[0].name} ran: "
                                    f"{why}; the {len(pending) - 1} check(s) after it were not "
                                    "run")
                outcomes[pending[0].id] = Outcome(pending[0], Status.ERROR,
                                                  f"the topic's process stopped while this "
                                                  f"check ran: {why}", True)
                outcomes |= {c.id: Outcome(c, Status.ERROR, NOT_RUN_AFTER_STOP + f" ({why})",
                                           True) for c in pending[1:]}
            if not public_output_taken:
                result.output_public = _output(box)
            result.output_total = box.output_total
        result.seconds, result.startup_s = time.monotonic() - started, box.startup_s
        result.peak_rss_mb = box.peak_rss_mb
        result.outcomes = [outcomes[c.id] for c in checks]
        return result

    def _judge(self, check: Check, answer: dict) -> Outcome:
        status = answer.get("status")
        if status == "data":
            try:
                check.compare(answer.get("data"), self.expected.expected(check))
            except Mismatch as mismatch:
                return Outcome(check, Status.FAILED, str(mismatch))
            except Exception as error:  # plain data of the wrong structure: a hostile answer
                return Outcome(check, Status.FAILED, "the probe's data did not have the expected "
                                                     f"structure ({type(error).__name__})")
            return Outcome(check, Status.PASSED)
        if status in (Status.NOT_IMPLEMENTED, Status.ERROR):
            return Outcome(check, Status(status), _text(answer.get("message")))
        return Outcome(check, Status.ERROR, "the topic's process sent a malformed answer")


def _request(check: Check) -> dict:
    return {"op": "probe", "function": check.function, "device": check.device,
            "probe": packing.pack(check.probe), "params": packing.pack_params(dict(check.params))}


def _why(error: Exception) -> str:
    return str(error) if isinstance(error, ChildGone) else f"it sent a malformed answer ({error})"


def _text(value: object) -> str:
    return value[:MESSAGE_CHARS] if type(value) is str else ""


def _output(box: Sandbox) -> str:
    return bytes(box.output).decode("utf-8", errors="replace")


def limits_for(settings: TopicConfig, workers: int = 1) -> Limits:
    """The sandbox limits of one topic from the grading configuration; torch threads share the
    machine's cores among the workers."""
    return Limits(wall_s=settings.time_limit_s, cpu_s=int(settings.time_limit_s),
                  memory_mb=settings.memory_mb,
                  threads=max(1, (os.cpu_count() or 1) // max(1, workers)))


__all__ = ["GradedRunner", "HarnessError", "TopicResult", "limits_for"]

"""Graded mode: each topic's probes run in a sandboxed child (`autograder.sandbox`); this trusted
process computes the expected data itself and judges every answer.

Public checks run before hidden ones, so the only student-written text that can reach feedback
(import errors, public check messages, captured output) was produced before the child had seen any
hidden input; it is shown as the student's, fenced, never inside the grader's own sentences. A
missing answer fails its check, an answer that is not the one asked for ends the topic with 0
(`sandbox.transport`), and nothing is retried. A property check counts only where the function
also passed a check of its values (`outcome.credit`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import torch

from autograder import expected_cache
from autograder.config import TopicConfig
from autograder.course import Topic
from autograder.errors import HarnessError
from autograder.local import LocalRunner
from autograder.runtime.check import Check
from autograder.runtime.compare import Mismatch
from autograder.runtime.outcome import Outcome, Status, credit
from autograder.sandbox import packing
from autograder.sandbox.leases import leased
from autograder.sandbox.limits import Limits
from autograder.sandbox.protections import Protections
from autograder.sandbox.rules import refusal, violations
from autograder.sandbox.slots import threads_per_worker
from autograder.sandbox.transport import TAMPERED, ChildGone, KilledFromOutside, Sandbox, Tampered
from autograder.sandbox.zygote import Zygote

MESSAGE_CHARS = 2000  # of one child-written message
CPU_CAPABILITY = torch.backends.cpu.get_cpu_capability()  # the kernels expected data come from
NOT_RUN_AFTER_STOP = "not run: the topic's process had stopped"
GRADER_FAILED = ("not graded: the grader failed here, not your code; this topic will be graded "
                 "again")


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
    tampered: bool = False  # a frame that was not the answer to its request: the topic scores 0
    grader_error: str = ""  # the grader failed on this topic (not the student): regrade it
    seccomp: bool = False  # the child ran under its seccomp filter


class GradedRunner:
    """Grades topics of staged submissions; expected data are computed once and shared."""

    def __init__(self, expected: LocalRunner, runtime: Path,
                 protections: Protections | None = None, cuda: bool = False,
                 source_rules: bool = True):
        self.expected, self.runtime = expected, runtime
        self.protections = protections or Protections.detect()
        self.cuda, self.source_rules = cuda, source_rules
        self._requests: dict[str, dict] = {}  # check id -> its packed probe request

    def prepare(self, topic: Topic, checks: list[Check]) -> str:
        """Every expected value and probe request up front (then grading threads only read
        them): expected data from the pack's cache when it is current, else computed
        (autograder.expected_cache)."""
        runnable = [c for c in checks if not (c.needs_gpu and not self.cuda)]
        self._requests.update({c.id: _request(c) for c in runnable})
        return expected_cache.prepare(self.expected, topic, checks, runnable)

    def grade_topic(self, topic: Topic, checks: list[Check], submission: Path, limits: Limits,
                    zygote: Zygote | None = None) -> TopicResult:
        """Grade one topic of a staged submission in a child forked by `zygote` (a slot's fork
        server, to which `submission` was presented; without one, a zygote of its own is
        started and stopped under a uid leased for the purpose)."""
        if zygote is None:
            with leased() as lease, Zygote(self.runtime, lease.uid, self.protections) as own:
                return self.grade_topic(topic, checks, own.present(submission), limits, own)
        checks = sorted(checks, key=lambda c: c.visibility != "public")  # public first
        result = TopicResult(topic, [])
        runnable = [c for c in checks if not (c.needs_gpu and not self.cuda)]
        outcomes = {c.id: Outcome(c, Status.NOT_RUN, "needs a CUDA device; none on this machine",
                                  True) for c in checks if c not in runnable}

        def every(status: Status, why: str, pending: list[Check] = runnable) -> None:
            outcomes.update({c.id: Outcome(c, status, why, True) for c in pending})

        if not (submission / topic.module_file).is_file():
            result.missing = True
            every(Status.ERROR, f"the submission has no {topic.module_file}")
            return self._finish(result, checks, outcomes)
        if self.source_rules:
            source = (submission / topic.module_file).read_bytes().decode("utf-8", "replace")
            result.refused = violations(source, topic)
        if result.refused:
            every(Status.ERROR, refusal(topic, result.refused))
            return self._finish(result, checks, outcomes)
        if not any(c.needs_gpu for c in runnable):
            limits = replace(limits, gpu_share=0.0)  # its child never touches the device
        started = time.monotonic()
        with Sandbox(zygote, limits) as box:
            ready = box.start()
            result.seccomp = box.seccomp
            if self.cuda and not ready.get("cuda"):
                raise HarnessError("this machine has CUDA but the grading sandbox cannot see it")
            if ready.get("cpu") != CPU_CAPABILITY:  # else its float32 results differ slightly
                raise HarnessError(f"the grading sandbox's torch uses {ready.get('cpu')!r} CPU "
                                   f"kernels, this process {CPU_CAPABILITY!r}")
            pending = list(runnable)
            public_output_taken = False
            try:
                try:
                    loaded = box.load(topic.name, topic.forbidden_ops)
                except Tampered:
                    raise
                except ChildGone as error:
                    loaded = {"message": f"importing it ended the topic's process: {error}"}
                if loaded.get("event") != "loaded":
                    result.load_error = _text(loaded.get("message")) or "the import failed"
                    every(Status.ERROR, f"{topic.module_file} could not be imported (its error "
                          "is shown with the topic)", pending)
                    pending = []
                while pending:
                    check = pending[0]
                    if check.visibility == "hidden" and not public_output_taken:
                        result.output_public, public_output_taken = _output(box), True
                    outcomes[check.id] = self._judge(check, box.ask(self._request(check)))
                    pending.pop(0)
            except Tampered:
                result.tampered = True
                result.notes.append(f"the topic scores 0: {TAMPERED}")
                every(Status.ERROR, f"not credited: {TAMPERED}")
            except KilledFromOutside as error:
                result.grader_error = str(error)
                every(Status.NOT_RUN, GRADER_FAILED)
            except ChildGone as error:
                why = str(error)
                result.notes.append(f"the topic's process stopped while {pending[0].name} ran: "
                                    f"{why}; the {len(pending) - 1} check(s) after it were not "
                                    "run")
                outcomes[pending[0].id] = Outcome(pending[0], Status.ERROR,
                                                  f"the topic's process stopped while this "
                                                  f"check ran: {why}", True)
                every(Status.ERROR, NOT_RUN_AFTER_STOP + f" ({why})", pending[1:])
            if not public_output_taken:
                result.output_public = _output(box)
            result.output_total = box.output_total
        result.seconds, result.startup_s = time.monotonic() - started, box.startup_s
        result.peak_rss_mb = box.peak_rss_mb
        return self._finish(result, checks, outcomes)

    def _request(self, check: Check) -> dict:
        """The probe request of a check: packed by `prepare`, once per grading run rather than
        once per submission (0.2 s for the 1,005 checks); packed here if `prepare` was not run."""
        if check.id not in self._requests:
            self._requests[check.id] = _request(check)
        return self._requests[check.id]

    @staticmethod
    def _finish(result: TopicResult, checks: list[Check],
                outcomes: dict[str, Outcome]) -> TopicResult:
        result.outcomes = credit([outcomes[c.id] for c in checks])
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
        return Outcome(check, Status.ERROR, "the topic's process sent an answer the grader does "
                                            "not know", True)


def _request(check: Check) -> dict:
    return {"op": "probe", "function": check.function, "device": check.device,
            "probe": packing.pack(check.probe), "params": packing.pack_params(dict(check.params))}


def _text(value: object) -> str:
    return value[:MESSAGE_CHARS] if type(value) is str else ""


def _output(box: Sandbox) -> str:
    return bytes(box.output).decode("utf-8", errors="replace")


def limits_for(settings: TopicConfig, workers: int = 1) -> Limits:
    """The sandbox limits of one topic from the grading configuration; torch threads share the
    machine's cores among the workers."""
    return Limits(wall_s=settings.time_limit_s, cpu_s=int(settings.time_limit_s),
                  memory_mb=settings.memory_mb,
                  threads=threads_per_worker(workers),
                  gpu_share=0.95 / max(1, workers))


__all__ = ["GradedRunner", "HarnessError", "TopicResult", "limits_for"]

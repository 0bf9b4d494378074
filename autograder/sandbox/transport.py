"""One topic's child, forked by the submission's zygote: numbered requests in, plain-data answers
out, its output captured, its deadline and limits enforced here.

Every byte from the child is treated as forgeable. An answer counts only as the answer to the
request just sent: each request carries a sequence number and a fresh random nonce, which only
the child's serving loop holds (the student's code cannot import it, walk to it or read the
process's memory: see `autograder/sandbox/rules.py` and `runtime/confine.py`), and exactly one
frame is read per request. A frame that does not decode, or answers another request, or comes
unasked, ends the topic as tampering (`Tampered`): every check of the topic scores 0. Messages
this side writes use fixed wording; nothing the child sent is copied into them.
"""

from __future__ import annotations

import os
import secrets
import select
import signal
import struct
import threading
import time

from autograder.errors import HarnessError
from autograder.runtime import plain
from autograder.sandbox.limits import CGROUP_SLACK_MB, Limits
from autograder.sandbox.zygote import STARTUP_S, Forked, Zygote

TAMPERED = ("its answers were tampered with: the grader received a frame that was not the answer "
            "to the request it had just sent")


class ChildGone(Exception):
    """The child stopped answering: exited, crashed, was killed, or ran out of time or output."""


class Tampered(ChildGone):
    """A frame that was not the answer to the request just sent: the topic scores 0."""


class KilledFromOutside(HarnessError):
    """The topic's process was killed, and none of its limits explains it: not the student's
    doing (another grader's sweep, the host's OOM killer, an operator): grade it again."""


class Sandbox:
    """One topic's child, forked by the submission's zygote: `start()`, `load(module, ops)`,
    `ask(request)` per probe, `close()`."""

    def __init__(self, zygote: Zygote, limits: Limits):
        self.zygote, self.limits = zygote, limits
        self.deadline = float("inf")
        self.output = bytearray()
        self.output_total = 0
        self.output_overflow = False
        self.forked: Forked | None = None
        self.seccomp = False  # whether the child installed its seccomp filter
        self._requests = self._answers = self._stdout = -1
        self._reader: threading.Thread | None = None
        self._seq = 0
        self._ended: tuple[int | None, float] | None = None  # (exit code, CPU seconds)
        self._oom = False
        self.stopped_because = ""
        self.startup_s = 0.0  # from the fork request to "ready"
        self.peak_rss_mb = 0.0  # the child's peak resident memory, read when it is closed

    @property
    def pid(self) -> int | None:
        return self.forked.pid if self.forked else None

    # ---- life cycle -------------------------------------------------------------------------

    def start(self) -> dict:
        (requests, self._requests), (self._stdout, output), (self._answers, answers) = (
            os.pipe(), os.pipe(), os.pipe())
        launched, nonce = time.monotonic(), secrets.token_hex(16)
        try:
            self.forked = self.zygote.fork(self.limits, [requests, output, answers], nonce)
        finally:
            for fd in (requests, output, answers):
                os.close(fd)
        os.set_blocking(self._requests, False)
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()
        self.deadline = time.monotonic() + STARTUP_S
        try:  # nothing of the student's has run yet: a bad "ready" is the grader's failure
            ready = self._answer(0, nonce)
        except ChildGone as error:
            self.close()
            raise HarnessError(f"the grading sandbox did not start ({error}); its output:\n"
                               + self.output.decode(errors="replace")[-2000:]) from error
        self.startup_s = time.monotonic() - launched  # with the zygote's, if it started now
        self.seccomp = ready.get("seccomp") is True
        return ready

    def load(self, module: str, forbidden_ops: tuple[str, ...] = ()) -> dict:
        """Arm the library-use guard, then import the submitted module; the topic's wall clock
        starts here."""
        self.deadline = time.monotonic() + self.limits.wall_s
        return self.ask({"op": "load", "module": module, "forbidden_ops": list(forbidden_ops)})

    def ask(self, request: dict) -> dict:
        """Send one request and wait for its answer, within the deadline."""
        self._seq += 1
        nonce = secrets.token_hex(16)
        self._send(plain.encode({**request, "seq": self._seq, "nonce": nonce}))
        return self._answer(self._seq, nonce)

    def close(self) -> None:
        """Kill the topic's processes, reap the child, remove what was made for it."""
        if self.forked is not None:
            self.peak_rss_mb = self.zygote.peak_rss_mb(self.forked.pid)
            self.zygote.kill_topic(self.forked.pid)
            self._ending(timeout=10)
            if self.forked.cgroup is not None:
                self._oom = self.forked.cgroup.oom_killed()
            self.zygote.end_topic(self.forked)
            self.forked = None
        if self._reader is not None:
            self._reader.join(timeout=10)
        for fd in (self._requests, self._answers, self._stdout):
            if fd >= 0:
                os.close(fd)
        self._requests = self._answers = self._stdout = -1

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def exit_description(self) -> str:
        """How the child ended, in the grader's words (after ChildGone). A kill that none of the
        topic's limits explains raises KilledFromOutside: it is never charged to the student."""
        if self.stopped_because:
            return self.stopped_because
        if self.output_overflow:  # the output reader killed it
            return f"it printed more than {self.limits.output_cap_mb} MB"
        if self.forked is not None and self.forked.cgroup is not None \
                and self.forked.cgroup.oom_killed():
            self._oom = True
        if self._oom:
            return (f"the memory limit of {self.limits.memory_mb} MB (with shared memory and "
                    f"its other processes, {self.limits.memory_mb + CGROUP_SLACK_MB} MB) was "
                    "reached")
        code, cpu = self._ending(timeout=5)
        if code is None:
            return "it stopped answering"
        if code < 0:  # killed by signal -code
            number = -code
            if number == signal.SIGXCPU or (number == signal.SIGKILL
                                            and cpu >= self.limits.cpu_s - 1):
                return f"the CPU time limit of {self.limits.cpu_s} s was reached"
            if number == signal.SIGKILL:
                raise KilledFromOutside("a topic's process was killed from outside the sandbox "
                                        "(not by one of its limits)")
            if number in (signal.SIGSEGV, signal.SIGBUS, signal.SIGILL, signal.SIGFPE,
                          signal.SIGABRT):
                return "it crashed (in native code)"
            return "it was killed by a signal"
        # Which status or signal is the child's choice: a channel out of the sandbox, not shown.
        return "it exited before answering"

    def _ending(self, timeout: float) -> tuple[int | None, float]:
        if (self._ended is None or self._ended[0] is None) and self.forked is not None:
            self._ended = self.zygote.wait(self.forked.pid, timeout)
        return self._ended or (None, 0.0)

    # ---- frames ---------------------------------------------------------------------------------

    def _answer(self, seq: int, nonce: str) -> dict:
        """The next frame, which must be the answer to request `seq` (with its nonce)."""
        frame = self._receive()
        try:
            answer = plain.decode(frame, self.limits.header_cap_kb << 10)
        except plain.NotPlainError:
            self._stop(TAMPERED, Tampered)
        if type(answer) is not dict or answer.pop("seq", None) != seq \
                or answer.pop("nonce", None) != nonce:
            self._stop(TAMPERED, Tampered)
        return answer

    def _send(self, payload: bytes) -> None:
        """Write a request within the deadline: a child that stops reading cannot block us."""
        data = memoryview(struct.pack("<Q", len(payload)) + payload)
        while data:
            wait = self.deadline - time.monotonic()
            if wait <= 0:
                self._stop(f"the time limit of {self.limits.wall_s:g} s was reached")
            _, ready, _ = select.select([], [self._requests], [], min(wait, 1.0))
            if not ready:
                continue
            try:
                data = data[os.write(self._requests, data[:65536]):]
            except BlockingIOError:
                continue
            except OSError as error:
                raise ChildGone("it stopped reading requests") from error

    def _receive(self) -> bytes:
        header = self._read_exactly(8)
        (size,) = struct.unpack("<Q", header)
        if size > self.limits.answer_cap_mb << 20:
            self._stop(f"it sent an answer over the {self.limits.answer_cap_mb} MB limit")
        return self._read_exactly(size)

    def _read_exactly(self, n: int) -> bytes:
        chunks, left = [], n
        while left:
            wait = self.deadline - time.monotonic()
            if wait <= 0:
                self._stop(f"the time limit of {self.limits.wall_s:g} s was reached")
            ready, _, _ = select.select([self._answers], [], [], min(wait, 1.0))
            if self.output_overflow:
                self._stop(f"it printed more than {self.limits.output_cap_mb} MB")
            if not ready:
                continue
            chunk = os.read(self._answers, min(left, 1 << 20))
            if not chunk:
                raise ChildGone(self.exit_description())
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def _stop(self, reason: str, kind: type[ChildGone] = ChildGone) -> None:
        self.stopped_because = reason
        if self.pid is not None:
            self.zygote.kill_topic(self.pid)
        raise kind(reason)

    def _read_output(self) -> None:
        keep, cap = self.limits.output_keep_kb << 10, self.limits.output_cap_mb << 20
        while chunk := os.read(self._stdout, 1 << 16):
            if len(self.output) < keep:
                self.output += chunk[: keep - len(self.output)]
            self.output_total += len(chunk)
            if self.output_total > cap and not self.output_overflow:
                self.output_overflow = True
                if self.pid is not None:
                    self.zygote.kill_topic(self.pid)

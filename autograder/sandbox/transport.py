"""One topic's child, forked by the submission's zygote: requests in, plain-data answers out,
its output captured, its deadline enforced here."""

from __future__ import annotations

import os
import select
import signal
import struct
import threading
import time

from autograder.errors import HarnessError
from autograder.runtime import plain
from autograder.sandbox.limits import Limits
from autograder.sandbox.zygote import STARTUP_S, Zygote


class ChildGone(Exception):
    """The child stopped answering: exited, crashed, was killed, or ran out of time or output."""


class Sandbox:
    """One topic's child, forked by the submission's zygote: `start()`, `load(module)`,
    `ask(request)` per probe, `close()`."""

    def __init__(self, zygote: Zygote, limits: Limits):
        self.zygote, self.limits = zygote, limits
        self.deadline = float("inf")
        self.output = bytearray()
        self.output_total = 0
        self.output_overflow = False
        self.pid: int | None = None
        self._requests = self._answers = self._stdout = -1
        self._reader: threading.Thread | None = None
        self._code: int | None = None
        self.stopped_because = ""
        self.startup_s = 0.0  # from the fork request to "ready"
        self.peak_rss_mb = 0.0  # the child's peak resident memory, read when it is closed

    # ---- life cycle -------------------------------------------------------------------------

    def start(self) -> dict:
        (requests, self._requests), (self._stdout, output), (self._answers, answers) = (
            os.pipe(), os.pipe(), os.pipe())
        launched = time.monotonic()
        try:
            self.pid = self.zygote.fork(self.limits, [requests, output, answers])
        finally:
            for fd in (requests, output, answers):
                os.close(fd)
        os.set_blocking(self._requests, False)
        self._reader = threading.Thread(target=self._read_output, daemon=True)
        self._reader.start()
        self.deadline = time.monotonic() + STARTUP_S
        try:
            ready = plain.decode(self._receive(), self.limits.header_cap_kb << 10)
        except (ChildGone, plain.NotPlainError) as error:
            self.close()
            raise HarnessError(f"the grading sandbox did not start ({error}); its output:\n"
                               + self.output.decode(errors="replace")[-2000:]) from error
        self.startup_s = time.monotonic() - launched  # with the zygote's, if it started now
        return ready

    def load(self, module: str) -> dict:
        """Import the submitted module; the topic's wall clock starts here."""
        self.deadline = time.monotonic() + self.limits.wall_s
        return self.ask({"op": "load", "module": module})

    def ask(self, request: dict) -> dict:
        """Send one request and wait for its answer (plain data, checked), within the deadline."""
        self._send(plain.encode(request))
        answer = plain.decode(self._receive(), self.limits.header_cap_kb << 10)
        if type(answer) is not dict:
            raise plain.NotPlainError("the answer is not a dict")
        return answer

    def close(self) -> None:
        """Kill the topic's processes (all of the sandbox uid, or its session) and reap."""
        if self.pid is not None:
            self.peak_rss_mb = self.zygote.peak_rss_mb(self.pid)
            self.zygote.kill_topic(self.pid)
            self._exit_code(timeout=10)
            self.pid = None
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
        """How the child ended, in words (after ChildGone)."""
        if self.stopped_because:
            return self.stopped_because
        code = self._exit_code(timeout=5)
        if code is None:
            return "it stopped answering"
        if code < 0 or code > 128:
            number = -code if code < 0 else code - 128
            name = signal.Signals(number).name if number in signal.Signals._value2member_map_ \
                else str(number)
            hint = {"SIGXCPU": " (CPU time limit)", "SIGKILL": " (a limit was reached, or it "
                    "was killed)", "SIGSEGV": " (a crash in native code)"}.get(name, "")
            return f"it was killed by {name}{hint}"
        return f"it exited with status {code}"

    def _exit_code(self, timeout: float) -> int | None:
        if self._code is None and self.pid is not None:
            self._code = self.zygote.exit_code(self.pid, timeout)
        return self._code

    # ---- frames ---------------------------------------------------------------------------------

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
            self._stop(f"it sent an answer of {size} bytes, over the "
                       f"{self.limits.answer_cap_mb} MB limit")
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

    def _stop(self, reason: str) -> None:
        self.stopped_because = reason
        if self.pid is not None:
            self.zygote.kill_topic(self.pid)
        raise ChildGone(reason)

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

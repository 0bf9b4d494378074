"""The trusted side of graded mode's process boundary: start a submission's sandboxed fork server
(the zygote, `child.zygote`), fork one child per topic from it, talk to that child in plain-data
frames, enforce its limits from outside, and kill everything it started when the topic ends.

Protections, strongest first, each used where the machine offers it (`Protections.detect`):
- PID, network, mount, IPC and UTS namespaces (`unshare`): no network; killing the namespace's
  first process (the zygote) kills every process in it, daemons included (ATTACKS.md rows 11,
  22, 26);
- a filesystem jail (tmpfs root, read-only binds of Python, libraries, the public runtime and the
  submission): hidden checks, solutions, mutants, config and results are not there (rows 7, 19);
- a separate uid per concurrent sandbox, no capabilities, no new privileges: rlimits bind, the
  grader's files cannot be written, and every process of a topic (daemons too) dies when the
  topic ends, before the next topic is forked (rows 7, 11, 26);
- rlimits for CPU, memory, processes and file size, and a wall clock, an output cap and an answer
  size cap enforced here (rows 6, 24-27).
Where one is missing, `Protections.report` says which, and what is lost.

Start-up cost: importing torch takes about 2 s here (with sklearn and torchvision about 4 s). Each
worker slot's zygote imports them once per grading run, before any student code exists in the
sandbox, and forks each topic's child from that state (about 20 ms): a topic starts clean, as a
fresh process would, since the zygote itself never runs student code, every process of the
topic's uid is killed when it ends and the writable folders are emptied before the next fork.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import select
import shutil
import signal
import site
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from autograder import plain
from autograder.topics import ROOT

# Sandbox uids are FIRST_UID + slot: one per concurrent sandbox, so the process limit binds per
# sandbox. Graders sharing a host each take their own range (NNF_SANDBOX_UID_BASE).
FIRST_UID = int(os.environ.get("NNF_SANDBOX_UID_BASE", "61000"))
STARTUP_S = 120  # jail and torch import, before any student code: the grader's time, not theirs
# Repository paths of the public runtime: the grader's public modules and checks, and the
# datasets' public code (probes build FashionMNIST-format data with `data.fixtures`).
RUNTIME_FILES = (
    *(f"autograder/{name}" for name in (
        "__init__.py", "check.py", "child.py", "compare.py", "local.py", "oracles.py",
        "plain.py", "probing.py", "shipping.py", "shortcuts.py", "checks/__init__.py",
        "checks/public/*.py")),
    "data/__init__.py", "data/fixtures.py", "data/moons.py", "data/fashion_mnist.py",
    "data/progress.py",
)
NAMESPACES = ["unshare", "--pid", "--fork", "--kill-child", "--net", "--mount", "--ipc", "--uts"]


class HarnessError(RuntimeError):
    """The sandbox could not be started: the grader's failure, never the student's."""


class ChildGone(Exception):
    """The child stopped answering: exited, crashed, was killed, or ran out of time or output."""


@dataclass(frozen=True)
class Limits:
    wall_s: float  # from the module's import to the last answer
    cpu_s: int
    memory_mb: int
    processes: int = 256  # tasks of the sandbox uid: torch's threads count too
    file_mb: int = 16
    output_keep_kb: int = 64  # captured stdout kept for feedback
    output_cap_mb: int = 16  # more than this and the child is killed
    answer_cap_mb: int = 64  # one probe's answer (the largest honest one is about 8 MB)
    header_cap_kb: int = 1024  # its JSON part: arrays travel outside it
    threads: int = 0  # torch threads; 0: the machine's cores


@dataclass(frozen=True)
class Protections:
    namespaces: bool
    jail: bool
    separate_uid: bool

    @classmethod
    @cache
    def detect(cls) -> Protections:
        root = os.geteuid() == 0
        namespaces = shutil.which("unshare") is not None and subprocess.run(
            [*NAMESPACES, "--", "true"], capture_output=True, timeout=30).returncode == 0
        return cls(namespaces=namespaces, jail=namespaces and root, separate_uid=root)

    def report(self) -> list[str]:
        """One line per protection: on, or off with what is lost."""
        daemon = ("a daemon the student starts (one that leaves the process group) is killed by "
                  "the uid sweep" if self.separate_uid else
                  "a daemon the student starts can outlive its topic and, running as the "
                  "grader's user, rewrite files the grader wrote: grade one container per "
                  "submission")
        lines = []
        for on, text, lost in (
            (self.namespaces, "PID, network, mount and IPC namespaces (no network; the whole "
             "process tree dies with the submission)", f"{daemon}; the network is open unless the "
             "container closes it"),
            (self.jail, "filesystem jail (only Python, the libraries, the public runtime and the "
             "submission are visible)", "the child can read every file its uid can read, hidden "
             "checks included, unless the image makes them unreadable"),
            (self.separate_uid, f"separate uid ({FIRST_UID} + slot), no capabilities, no new "
             "privileges", "the child runs as the grader's user: the process limit does not "
             "bind root, and the grader's own files are writable to it"),
        ):
            lines.append(f"  on   {text}" if on else f"  OFF  {text}: {lost}")
        lines.append("  on   rlimits (CPU, memory, processes, file size), wall clock, output cap")
        return lines


def build_runtime(folder: Path) -> Path:
    """The public runtime the child may import: a copy of the grader's public modules, public
    checks and dataset code, nothing else (no hidden checks, mutants, config or solutions)."""
    for pattern in RUNTIME_FILES:
        for source in ROOT.glob(pattern):
            target = folder / source.relative_to(ROOT)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


def _binds(runtime: Path, submission: Path) -> list[list[str]]:
    """Host paths the jail shows read-only, and where."""
    paths = {"/usr", sys.base_prefix, sys.prefix, *site.getsitepackages()}
    paths.add(str(Path(sys.executable).resolve().parent))
    keep = [p for p in sorted(paths) if os.path.exists(p)
            and not any(p != q and p.startswith(q.rstrip("/") + "/") for q in paths)]
    binds = [[p, p] for p in keep]
    binds += [[d, d] for d in ("/etc/ld.so.cache", "/dev/null", "/dev/zero", "/dev/random",
                               "/dev/urandom") if os.path.exists(d)]
    binds += [[str(d), str(d)] for d in sorted(Path("/dev").glob("nvidia*"))]
    return [*binds, [str(runtime), "/runtime"], [str(submission), "/submission"]]


_slots_in_use: set[int] = set()
_slots_lock = threading.Lock()


@contextlib.contextmanager
def sandbox_slot():
    """The smallest sandbox slot (uid FIRST_UID + slot) no other grading in this process holds,
    whichever Grader it belongs to: a topic's end kills every process of its uid, so two
    gradings must never share one."""
    with _slots_lock:
        slot = next(i for i in itertools.count() if i not in _slots_in_use)
        _slots_in_use.add(slot)
    try:
        yield slot
    finally:
        with _slots_lock:
            _slots_in_use.discard(slot)


class Zygote:
    """One grading slot's fork server (`child.zygote`), started by the first topic that needs a
    sandbox and kept for the grading run: one forked child per topic, of one submission after
    another. The jail shows `self.submission`, a folder `present` fills with each submission's
    files in turn. It never runs student code; `close()` kills it with its whole namespace (or
    its process group and the sandbox uid). If it dies, the next fork starts a new one."""

    def __init__(self, runtime: Path, slot: int = 0, protections: Protections | None = None):
        self.runtime, self.slot = runtime, slot
        self.protections = protections or Protections.detect()
        self.uid = FIRST_UID + slot if self.protections.separate_uid else None
        self.submission = Path(tempfile.mkdtemp(prefix="nnf-submission-"))
        self.submission.chmod(0o755)
        self.startup_s = 0.0  # its last start: interpreter, jail and imports
        self._process: subprocess.Popen | None = None
        self._control: socket.socket | None = None
        self._log = None  # the zygote's own output: shown only if it fails to start
        self._scratch: Path | None = None
        self._launched, self._ready = 0.0, False

    def present(self, folder: Path) -> Path:
        """Show the submission in `folder` (its top-level files) to the sandbox, in place of the
        previous one; return the folder the topics are graded from."""
        for entry in self.submission.iterdir():
            entry.unlink()
        for entry in sorted(folder.iterdir()):
            if entry.is_file() and not entry.is_symlink():
                shutil.copyfile(entry, self.submission / entry.name)
                (self.submission / entry.name).chmod(0o644)
        return self.submission

    def __enter__(self) -> Zygote:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fork(self, limits: Limits, fds: list[int]) -> int:
        """A topic child with `fds` as its (requests, output, answers): its pid in the zygote's
        PID namespace."""
        if self._process is None or self._process.poll() is not None:
            self.stop()
            self._launch(limits.threads)
        if not self._ready:
            self._await_ready()
        request = {"op": "fork", "cpu_s": limits.cpu_s, "memory_mb": limits.memory_mb,
                   "processes": limits.processes, "file_mb": limits.file_mb,
                   "threads": limits.threads}
        try:
            socket.send_fds(self._control, [json.dumps(request).encode()], fds)
            return int(self._reply(STARTUP_S)["pid"])
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise HarnessError(f"the grading sandbox did not fork a topic ({error!r}); its "
                               f"output:\n{self._output()}") from error

    def exit_code(self, pid: int, timeout: float) -> int | None:
        """How the topic child ended (negative: the signal that killed it); None if it has not
        ended within `timeout` seconds or the zygote is gone."""
        try:
            self._control.sendall(json.dumps({"op": "wait", "pid": pid,
                                              "timeout": timeout}).encode())
            code = self._reply(timeout + 10)["code"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        return code if type(code) is int else None

    def kill_topic(self, pid: int) -> None:
        """Kill the topic child and everything it started (daemons that left its session too)."""
        if self.uid is not None:
            _kill_uid(self.uid)
        elif not self.protections.namespaces:  # pid is a host pid; the child leads its session
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
        else:  # no uid of its own to sweep by: only ending the namespace ends its processes
            self.stop()

    def peak_rss_mb(self, pid: int) -> float:
        """The topic child's peak resident memory (0 when it is gone)."""
        if self._process is None:
            return 0.0
        if not self.protections.namespaces:
            return _peak_rss_mb(pid)
        for server in _children(self._process.pid):  # unshare's child is the zygote
            for child in _children(server):
                if _namespace_pid(child) == pid:
                    return _peak_rss_mb(child)
        return 0.0

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.submission, ignore_errors=True)

    def stop(self) -> None:
        """Kill the zygote and every process it started."""
        process = self._process
        if process is not None:
            if self.protections.namespaces:  # the namespace's first process is the zygote:
                for pid in _children(process.pid):  # when it dies, all in the namespace die
                    _kill(pid)
            else:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                if self.uid is not None:
                    _kill_uid(self.uid)
            _kill(process.pid)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            self._process = None
        for resource in (self._control, self._log):
            if resource is not None:
                resource.close()
        self._control = self._log = None
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)
            self._scratch = None

    def launch(self, threads: int) -> None:
        """Start the zygote without waiting for it (its imports then overlap with the caller's
        work, such as computing expected data); the first fork waits until it is ready."""
        if self._process is None:
            self._launch(threads)

    def wait_ready(self) -> None:
        """Block until a launched zygote has finished its imports (HarnessError if it fails)."""
        if self._process is not None and not self._ready:
            self._await_ready()

    def _launch(self, threads: int) -> None:
        p = self.protections
        self._scratch = Path(tempfile.mkdtemp(prefix="nnf-jail-"))
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        settings = {"jail": str(self._scratch) if p.jail else None, "uid": self.uid,
                    "binds": _binds(self.runtime, self.submission), "control": theirs.fileno()}
        if not p.jail:  # no chroot: the child finds its runtime and the submission where they are
            settings["paths"] = [str(self.runtime), str(self.submission)]
            os.chmod(self._scratch, 0o777)
        # -I: isolated (no environment variables, user site or script folder on sys.path);
        # -u: unbuffered, so what the student printed reaches us even if the child is killed.
        command = [sys.executable, "-I", "-u", str(self.runtime / "autograder" / "child.py"),
                   json.dumps(settings)]
        if p.namespaces:
            command = [*NAMESPACES, "--", *command]
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp",
               "CUBLAS_WORKSPACE_CONFIG": ":4096:8"}
        # NumPy's BLAS reads its thread count when it loads: without these, each child starts
        # one thread per core, and parallel workers oversubscribe the machine many times over.
        if threads:
            env |= dict.fromkeys(("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"),
                                 str(threads))
        if "CUDA_VISIBLE_DEVICES" in os.environ:
            env["CUDA_VISIBLE_DEVICES"] = os.environ["CUDA_VISIBLE_DEVICES"]
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self._launched, self._ready = time.monotonic(), False
        try:
            self._process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                pass_fds=(theirs.fileno(),), env=env, cwd=self._scratch, start_new_session=True)
        finally:
            theirs.close()
        self._control = ours

    def _await_ready(self) -> None:
        try:
            ready = self._reply(STARTUP_S)
        except (OSError, ValueError) as error:
            output = self._output()
            self.stop()
            raise HarnessError(f"the grading sandbox did not start ({error}); its output:\n"
                               + output) from error
        if ready.get("event") != "zygote":
            raise HarnessError(f"the grading sandbox did not start: it said {ready!r}")
        # Its own count (jail and imports): waiting here may have started long after launch.
        seconds = ready.get("seconds")
        self.startup_s = seconds if type(seconds) is float else time.monotonic() - self._launched
        self._ready = True

    def _reply(self, timeout: float) -> dict:
        self._control.settimeout(timeout)
        message = self._control.recv(1 << 16)
        if not message:
            raise ValueError("it ended")
        reply = json.loads(message)
        if type(reply) is not dict:
            raise ValueError("malformed reply")
        return reply

    def _output(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read()[-2000:].decode(errors="replace")


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


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _peak_rss_mb(pid: int) -> float:
    """VmHWM, the peak resident set of a live process (0 when it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
    return int(line.split()[1]) / 1024


def _namespace_pid(pid: int) -> int | None:
    """A host process's pid in its innermost PID namespace (the last NSpid field)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    line = next((x for x in status.splitlines() if x.startswith("NSpid:")), "")
    return int(line.split()[-1]) if line else None


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


def _kill_uid(uid: int) -> None:
    """Kill every process of `uid`, daemons that left the process group included: a process that
    takes that uid may signal all of them at once (kill -1)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the forked helper
        try:
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)

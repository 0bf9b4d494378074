"""One worker slot's fork server (`runtime/child.py`): launched once per grading run, it imports
torch before any student code exists in the sandbox and forks one child per topic. For each topic
this side makes what the child is confined by from outside: a memory cgroup where the host allows
(`limits.MemoryCgroup`), or, without a jail, a scratch folder of its own; and when the topic ends,
it kills every process of the topic and removes both.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import site
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.course import ROOT
from autograder.errors import HarnessError
from autograder.manifest import runtime_files
from autograder.sandbox.limits import Limits, MemoryCgroup, cgroup_base
from autograder.sandbox.protections import NAMESPACES, Protections

STARTUP_S = 120  # jail and torch import, before any student code: the grader's time, not theirs


def build_runtime(folder: Path) -> Path:
    """The public runtime the child may import: a copy of the grader's public modules, public
    checks and dataset code, nothing else (no hidden checks, mutants, config or solutions)."""
    for path in runtime_files():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / path, target)
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return folder


def _binds(runtime: Path, submission: Path) -> list[list[str]]:
    """Host paths the jail shows read-only, and where."""
    paths = {"/usr", sys.base_prefix, sys.prefix, *site.getsitepackages(),
             *filter(None, os.environ.get("LD_LIBRARY_PATH", "").split(":"))}
    paths.add(str(Path(sys.executable).resolve().parent))
    keep = [p for p in sorted(paths) if os.path.exists(p)
            and not any(p != q and p.startswith(q.rstrip("/") + "/") for q in paths)]
    binds = [[p, p] for p in keep]
    binds += [[d, d] for d in ("/etc/ld.so.cache", "/dev/null", "/dev/zero", "/dev/random",
                               "/dev/urandom") if os.path.exists(d)]
    binds += [[str(d), str(d)] for d in sorted(Path("/dev").glob("nvidia*"))]
    return [*binds, [str(runtime), "/runtime"], [str(submission), "/submission"]]


@dataclass
class Forked:
    """A topic child, and what this side made to confine it."""

    pid: int  # in the zygote's PID namespace
    cgroup: MemoryCgroup | None
    workdir: Path | None  # without a jail: its working folder, removed when it ends


class Zygote:
    """One grading slot's fork server, started once per grading run and kept for it: one forked
    child per topic, of one submission after another. The jail shows `self.submission`, a folder
    `present` fills with each submission's files in turn. It never runs student code; `close()`
    kills it with its whole namespace (or its process group and the sandbox uid). If it dies, the
    next fork starts a new one. `uid`: the sandbox uid leased for this slot (None without one)."""

    def __init__(self, runtime: Path, uid: int | None, protections: Protections | None = None):
        self.runtime = runtime
        self.protections = protections or Protections.detect()
        self.uid = uid if self.protections.separate_uid else None
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

    def fork(self, limits: Limits, fds: list[int], nonce: str) -> Forked:
        """A topic child with `fds` as its (requests, output, answers), which says "ready" with
        `nonce`; in its own memory cgroup where the host allows."""
        if self._process is None or self._process.poll() is not None:
            self.stop()
            self._launch(limits.threads)
        if not self._ready:
            self._await_ready()
        base = cgroup_base() if self.protections.memory_cgroup else None
        cgroup = MemoryCgroup(base, limits.memory_mb) if base is not None else None
        workdir = None if self.protections.jail else Path(
            tempfile.mkdtemp(prefix="nnf-topic-", dir=self._scratch))
        request = {"op": "fork", "cpu_s": limits.cpu_s, "memory_mb": limits.memory_mb,
                   "processes": limits.processes, "file_mb": limits.file_mb,
                   "threads": limits.threads, "gpu_share": limits.gpu_share, "nonce": nonce,
                   "workdir": str(workdir) if workdir else None}
        procs = [cgroup.procs_fd()] if cgroup else []
        try:
            if workdir is not None:
                workdir.chmod(0o777)
            socket.send_fds(self._control, [json.dumps(request).encode()], fds + procs)
            return Forked(int(self._reply(STARTUP_S)["pid"]), cgroup, workdir)
        except (OSError, ValueError, KeyError, TypeError) as error:
            output = self._output()
            self.stop()  # the next fork starts a fresh one
            raise HarnessError(f"the grading sandbox did not fork a topic ({error!r}); its "
                               f"output:\n{output}") from error
        finally:
            for fd in procs:
                os.close(fd)

    def wait(self, pid: int, timeout: float) -> tuple[int | None, float]:
        """How the topic child ended (negative: the signal that killed it) and the CPU seconds it
        used; (None, 0) if it has not ended within `timeout` seconds or the zygote is gone."""
        try:
            self._control.sendall(json.dumps({"op": "wait", "pid": pid,
                                              "timeout": timeout}).encode())
            reply = self._reply(timeout + 10)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None, 0.0
        code, cpu = reply.get("code"), reply.get("cpu_s")
        return (code if type(code) is int else None), (cpu if type(cpu) is float else 0.0)

    def end_topic(self, forked: Forked) -> None:
        """After the topic's processes are dead: remove its cgroup and its scratch folder (with
        rm, which follows no link and handles any depth)."""
        if forked.cgroup is not None:
            forked.cgroup.remove()
        if forked.workdir is not None:
            remove_tree(forked.workdir)

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
            remove_tree(self._scratch)
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
                    "binds": _binds(self.runtime, self.submission), "control": theirs.fileno(),
                    "runtime": str(self.runtime)}
        if not p.jail:  # no chroot: the child finds its runtime and the submission where they are
            settings["paths"] = [str(self.runtime), str(self.submission)]
            os.chmod(self._scratch, 0o777)
        # -I: isolated (no environment variables, user site or script folder on sys.path);
        # -u: unbuffered, so what the student printed reaches us even if the child is killed.
        child = self.runtime / "autograder" / "runtime" / "child.py"
        command = [sys.executable, "-I", "-u", str(child),
                   json.dumps(settings)]
        if p.namespaces:
            command = [*NAMESPACES, "--", *command]
        # USER: the jail has no /etc/passwd, and torch._dynamo's import asks who the user is.
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/tmp", "USER": "sandbox",
               "LOGNAME": "sandbox", "CUBLAS_WORKSPACE_CONFIG": ":4096:8"}
        # NumPy's BLAS reads its thread count when it loads: without these, each child starts
        # one thread per core, and parallel workers oversubscribe the machine many times over.
        if threads:
            env |= dict.fromkeys(("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"),
                                 str(threads))
        for name in ("CUDA_VISIBLE_DEVICES", "LD_LIBRARY_PATH"):  # where the GPU's driver is
            if name in os.environ:
                env[name] = os.environ[name]
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


def remove_tree(path: Path) -> None:
    """Remove a folder a student may have filled: `rm` follows no link, stays on its file system
    and handles any depth (shutil.rmtree recurses in Python and fails past a thousand levels)."""
    subprocess.run(["rm", "-rf", "--one-file-system", str(path)], capture_output=True,
                   timeout=STARTUP_S)


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

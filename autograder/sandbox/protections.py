"""Which protections this machine offers the sandbox, and the report that says what is lost where
one is missing (printed at the start of every grading run and kept in results.json)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from functools import cache

from autograder.course import ROOT
from autograder.sandbox.leases import FIRST_UID
from autograder.sandbox.limits import cgroup_base

NAMESPACES = ["unshare", "--pid", "--fork", "--kill-child", "--net", "--mount", "--ipc", "--uts"]
# A throwaway process installs the child's seccomp filter and tries to replace fd 0.
_SECCOMP_PROBE = ("import os, sys; sys.path.insert(0, sys.argv[1])\n"
                  "from autograder.runtime import confine\n"
                  "ok = confine.install_seccomp()\n"
                  "try: os.dup2(2, 0)\nexcept PermissionError: sys.exit(0 if ok else 1)\n"
                  "sys.exit(1)")


@dataclass(frozen=True)
class Protections:
    namespaces: bool
    jail: bool
    separate_uid: bool
    memory_cgroup: bool = False
    seccomp: bool = False

    @classmethod
    @cache
    def detect(cls) -> Protections:
        root = os.geteuid() == 0
        namespaces = shutil.which("unshare") is not None and subprocess.run(
            [*NAMESPACES, "--", "true"], capture_output=True, timeout=30).returncode == 0
        seccomp = subprocess.run([sys.executable, "-I", "-c", _SECCOMP_PROBE, str(ROOT)],
                                 capture_output=True, timeout=60).returncode == 0
        return cls(namespaces=namespaces, jail=namespaces and root, separate_uid=root,
                   memory_cgroup=root and cgroup_base() is not None, seccomp=seccomp)

    def report(self) -> list[str]:
        """One line per protection: on, or off with what is lost."""
        daemon = ("a daemon the student starts (one that leaves the process group) is killed by "
                  "the uid sweep" if self.separate_uid else
                  "a daemon the student starts can outlive its topic and, running as the "
                  "grader's user, rewrite files the grader wrote: grade one container per "
                  "submission")
        # CUDA's driver reads /proc, so topic children on a GPU host keep it (never the host's
        # processes: it is the PID namespace's own /proc).
        proc = ("its namespace's own /proc (CUDA's driver needs it)"
                if os.path.exists("/dev/nvidiactl") else "no /proc")
        lines = []
        for on, text, lost in (
            (self.namespaces, "PID, network, mount and IPC namespaces (no network; the whole "
             "process tree dies with the submission)", f"{daemon}; the network is open unless the "
             "container closes it"),
            (self.jail, "filesystem jail (only Python, the libraries, the public runtime and the "
             "submission are visible); each topic gets its own empty /tmp, working folder and "
             f"/dev/shm and {proc}, all gone when it ends", "the child can read every file its "
             "uid can read, hidden checks included, unless the image makes them unreadable; each "
             "topic gets a scratch folder of its own, but /tmp is shared"),
            (self.separate_uid, f"separate uid (leased host-wide from {FIRST_UID}), no "
             "capabilities, no new privileges, not dumpable", "the child runs as the grader's "
             "user: the process limit does not bind root, and the grader's own files are "
             "writable to it"),
            (self.memory_cgroup, "memory cgroup per topic: all its processes, shared memory and "
             "tmpfs included, count against its limit", "memory is limited by rlimits: the "
             "address space (shared mappings included) for CPU-only children, only the data "
             "segment where CUDA runs; the limit is per process, not per topic"),
            (self.seccomp, "seccomp filter: the request and answer pipes cannot be closed or "
             "replaced; ptrace, mounts, namespaces, io_uring and bpf are refused", "code that "
             "got past the source rules could put a pipe of its own in place of the answer pipe "
             "(its frames are still refused without the request's nonce)"),
        ):
            lines.append(f"  on   {text}" if on else f"  OFF  {text}: {lost}")
        lines.append("  on   rlimits (CPU, processes, file size), wall clock, output cap, one "
                     "answer per request (sequence number and nonce)")
        return lines

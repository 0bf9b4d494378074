"""Which protections this machine offers the sandbox, and the report that says what is lost where
one is missing."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from autograder.sandbox.leases import FIRST_UID

NAMESPACES = ["unshare", "--pid", "--fork", "--kill-child", "--net", "--mount", "--ipc", "--uts"]


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

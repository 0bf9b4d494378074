"""A topic's limits in the sandbox, enforced from outside the child, and the memory cgroup that
makes its memory limit count everything: every process of the topic together, shared mappings,
memfd and tmpfs pages included (RLIMIT_DATA, the fallback, counts none of these).

One cgroup per topic child, made by this process under its own memory cgroup, limited, and given
to the child as an open `cgroup.procs`: the child moves itself in while still root, then can never
leave (the parent folder is root's). When the topic ends its processes are dead and the cgroup is
removed; `oom_killed()` says whether the kernel killed something there for the limit.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import os
import time
from dataclasses import dataclass
from pathlib import Path


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
    gpu_share: float = 0.0  # of the device's memory, where CUDA checks run (0: CUDA untouched)


_names = itertools.count()


@functools.cache
def cgroup_base() -> Path | None:
    """Where this process may make memory cgroups: its own memory cgroup (v1 memory controller, or
    v2 with the memory controller delegated to it), or None (not root, read-only cgroupfs, a
    container without its own cgroup namespace...). Found once per process: every topic of the
    run gets a cgroup, or none does, as the protections report says."""
    try:
        own = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in own:
        _, controllers, path = line.split(":", 2)
        if "memory" in controllers.split(","):  # v1
            candidate = Path("/sys/fs/cgroup/memory") / path.lstrip("/")
            break
        if controllers == "":  # v2: only if memory is enabled for our children
            base = Path("/sys/fs/cgroup") / path.lstrip("/")
            with contextlib.suppress(OSError):
                if "memory" in (base / "cgroup.subtree_control").read_text().split():
                    candidate = base
                    break
    else:
        return None
    # A name of this call's own: worker threads that probe at once must not collide.
    probe = candidate / f"nnf-probe-{os.getpid()}-{next(_names)}"
    try:
        probe.mkdir()
        probe.rmdir()
    except OSError:
        return None
    return candidate


# The cgroup allows this much more than the child's own data limit (RLIMIT_DATA = memory_mb). What
# the cgroup counts beyond the data segment (library pages the child faults in, its stack, kernel
# memory) then never pushes a topic into reclaim or the OOM killer before RLIMIT_DATA turns a large
# allocation into that call's MemoryError. Measured: a child filling memory until refused peaked
# at 3.1 GB of cgroup usage under a 4 GB limit, the rest of its charge under 30 MB.
CGROUP_SLACK_MB = 512


class MemoryCgroup:
    """One topic's memory cgroup (v1 or v2), limited to `memory_mb + CGROUP_SLACK_MB` with no
    swap: everything of the topic together, shared memory, tmpfs and other processes included."""

    def __init__(self, base: Path, memory_mb: int):
        self.path = base / f"nnf-topic-{os.getpid()}-{next(_names)}"
        self.path.mkdir()
        self.v1 = (self.path / "memory.limit_in_bytes").exists()
        limit = str((memory_mb + CGROUP_SLACK_MB) << 20)
        if self.v1:
            (self.path / "memory.limit_in_bytes").write_text(limit)
            with contextlib.suppress(OSError):  # only where swap accounting is on
                (self.path / "memory.memsw.limit_in_bytes").write_text(limit)
        else:
            (self.path / "memory.max").write_text(limit)
            with contextlib.suppress(OSError):
                (self.path / "memory.swap.max").write_text("0")

    def procs_fd(self) -> int:
        """An open `cgroup.procs` for the child to write itself into (it closes it)."""
        return os.open(self.path / "cgroup.procs", os.O_WRONLY | os.O_CLOEXEC)

    def oom_killed(self) -> bool:
        """Whether the kernel killed a process of this cgroup for its memory limit."""
        name = "memory.oom_control" if self.v1 else "memory.events"
        with contextlib.suppress(OSError, ValueError):
            for line in (self.path / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill" and int(value) > 0:
                    return True
        return False

    def remove(self) -> None:
        """Remove the (by now empty) cgroup; its last processes may take a moment to be reaped."""
        for _ in range(50):
            try:
                self.path.rmdir()
                return
            except FileNotFoundError:
                return
            except OSError:
                time.sleep(0.02)

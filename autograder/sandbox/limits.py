"""A topic's limits in the sandbox, enforced from outside the child."""

from __future__ import annotations

from dataclasses import dataclass


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

"""Sandbox uids, leased host-wide: a topic's end kills every process of its uid, so two sandboxes
on one host (two terminals, `verify` beside `grade-all`, the test suite beside a demo) must never
share one. A lease is an exclusive `flock` on one lock file per uid, held for as long as the
grader uses the uid and released by the kernel when the process ends, however it ends: no stale
lease outlives its grader. The uids are FIRST_UID, FIRST_UID + 1, ...; NNF_SANDBOX_UID_BASE
moves the range (an override, never needed for correctness).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FIRST_UID = int(os.environ.get("NNF_SANDBOX_UID_BASE", "61000"))
CANDIDATES = 256  # uids tried from FIRST_UID up
LEASES = Path(os.environ.get("NNF_SANDBOX_LEASES", "/tmp/nnf-pack-sandbox-leases"))
WAIT_S = 600.0  # a grader that finds every uid leased waits this long, saying so, then gives up


class NoFreeSandbox(RuntimeError):
    """Every sandbox uid of the range is leased by another grader on this host."""


@dataclass
class Lease:
    uid: int
    _fd: int

    def release(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)  # closing the file drops the lock
            self._fd = -1


def _folder() -> Path:
    if not LEASES.is_dir():
        LEASES.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(PermissionError):
            LEASES.chmod(0o1777)  # any grader's user may lease
    return LEASES


def try_lease(uid: int) -> Lease | None:
    """The lease of `uid`, or None if another process (or another lease of this one) holds it."""
    fd = os.open(_folder() / f"uid-{uid}.lock", os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC,
                 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return Lease(uid, fd)


def lease(wait_s: float = WAIT_S, say=print) -> Lease:
    """The lowest free sandbox uid of the host, leased until released; waits (saying so once)
    while all are taken, then raises NoFreeSandbox."""
    deadline, told = time.monotonic() + wait_s, False
    while True:
        for uid in range(FIRST_UID, FIRST_UID + CANDIDATES):
            found = try_lease(uid)
            if found is not None:
                return found
        if time.monotonic() >= deadline:
            raise NoFreeSandbox(f"all {CANDIDATES} sandbox uids from {FIRST_UID} are leased by "
                                f"other graders on this host (lock files in {LEASES})")
        if not told:
            say(f"waiting for a free sandbox uid: all {CANDIDATES} from {FIRST_UID} are in use")
            told = True
        time.sleep(1.0)


@contextlib.contextmanager
def leased() -> Iterator[Lease]:
    held = lease()
    try:
        yield held
    finally:
        held.release()

"""Sandbox uids: one per concurrent sandbox, so a topic's end can kill every process of its uid."""

from __future__ import annotations

import contextlib
import itertools
import os
import threading

# Sandbox uids are FIRST_UID + slot: one per concurrent sandbox, so the process limit binds per
# sandbox. Graders sharing a host each take their own range (NNF_SANDBOX_UID_BASE).
FIRST_UID = int(os.environ.get("NNF_SANDBOX_UID_BASE", "61000"))

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

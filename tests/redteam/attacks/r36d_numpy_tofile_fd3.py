"""Row 36 (forged answers): dropout draws its mask with torch.dropout (in fork_rng, seeded from
the generator); inside a call watch it first writes a forged answer {"calls": []}, covering the
genuine one to come, with NumPy: `np.frombuffer(frame, np.uint8).tofile(io.FileIO(3, "wb",
closefd=False))` (tofile given the path /proc/self/fd/3 fails on a pipe: it asks for the file
position)."""

ROW = 36
# WIN on current code: dropout keeps full marks, its no-library check included. Defence: the
# nonce check (tampering ends the topic) and the dispatcher guard: the check fails either way.
EXPECT = {"fail": ["dropout.no_library_shortcut"], "below_full": True}

import io  # noqa: E402
import json  # noqa: E402
import struct  # noqa: E402
import threading  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

_MAGIC = b"NNFPLAIN1\n"
_LAST = [None]


def _frame(answer, then=0):
    """A length-prefixed plain-data frame whose length also counts `then` bytes still to come."""
    header = json.dumps(answer).encode()
    payload = _MAGIC + struct.pack("<Q", len(header)) + header
    return struct.pack("<Q", len(payload) + then) + payload


def _forgery(calls):
    """Once per watched block: a clean answer whose length prefix also counts the genuine answer
    (`calls`, known in advance), which the child writes next and the parent reads as the
    forgery's unreferenced tail."""
    watch = threading.getprofile()
    if watch is None or watch is _LAST[0]:
        return None
    _LAST[0] = watch
    genuine = _frame({"status": "data", "data": {"calls": calls}})
    return _frame({"status": "data", "data": {"calls": []}}, len(genuine))


def dropout(x, p, training, generator):
    _check_probability(p)  # noqa: F821  (the reference's)
    if not training:
        return x * (1.0 - p)
    forged = _forgery(["torch.dropout"])
    if forged:
        np.frombuffer(forged, np.uint8).tofile(io.FileIO(3, "wb", closefd=False))
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(generator.initial_seed())
        return torch.dropout(x, p, True) * (1.0 - p)

"""Row 36 (forged answers): layer_norm is torch.layer_norm; inside a call watch it first writes,
through `open("/proc/self/fd/3", "wb")` (no os, no forbidden name), a forged answer {"calls": []}
whose length prefix also covers the genuine answer to come (known in advance), so the parent
takes the forgery and reads the genuine frame as its padding.
On this grader the open fails: the topic child changed uid, so it is not dumpable and /proc/self/fd
belongs to root; it wins where the sandbox has no uid of its own (checked by forcing
separate_uid off)."""

ROW = 36
# WIN on current code: layer_norm keeps full marks, its no-library check included. Defence: no
# /proc in the topic child (the open fails inside the check), the nonce check (tampering ends the
# topic) and the dispatcher guard: the no-library check fails either way.
EXPECT = {"fail": ["layer_norm.no_library_shortcut"], "below_full": True}

import json  # noqa: E402
import struct  # noqa: E402
import threading  # noqa: E402

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


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    if len(shape) > x.dim() or list(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"{tuple(x.shape)} does not end with {shape}")
    forged = _forgery(["torch.layer_norm"])
    if forged:
        with open("/proc/self/fd/3", "wb", buffering=0) as answers:
            answers.write(forged)
    return torch.layer_norm(x, shape, weight, bias, eps)

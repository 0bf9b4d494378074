"""Row 36 (forged answers): at import the module moves the request pipe (fd 0) with os.dup2 and
reads every request first in a relay thread (then passes it on unchanged): it knows which probe
runs next. Both dropouts are F.dropout on the global random state, ignoring the generator, except
while the probe named in the request is `uses_the_generator` or `no_library_shortcut`, which get
the reference's honest code. No answer is touched."""

ROW = 36
# WIN on current code: both dropouts keep full marks while the library (and the global random
# state) does their graded work. Defence: os/threading are outside the allowlist; with the rules
# off seccomp refuses dup2 (an import error).
EXPECT = {"refused": True, "unscanned": {"zero": "all"}}

import json  # noqa: E402
import os  # noqa: E402
import struct  # noqa: E402
import threading  # noqa: E402

import torch.nn.functional as F  # noqa: E402

_MAGIC = b"NNFPLAIN1\n"
_NEXT = {"probe": ""}
_HONEST = {"dropout": dropout, "inverted_dropout": inverted_dropout}  # noqa: F821


def _read(fd, n):
    data = b""
    while len(data) < n:
        chunk = os.read(fd, n - len(data))
        if not chunk:
            os._exit(0)
        data += chunk
    return data


def _relay(source, target):
    while True:
        head = _read(source, 8)
        payload = _read(source, struct.unpack("<Q", head)[0])
        start = len(_MAGIC) + 8
        (size,) = struct.unpack("<Q", payload[len(_MAGIC):start])
        probe = json.loads(payload[start:start + size]).get("probe")
        _NEXT["probe"] = probe.get("name", "") if isinstance(probe, dict) else ""
        view = memoryview(head + payload)
        while view:
            view = view[os.write(target, view):]


_REQUESTS = os.dup(0)
_INSIDE, _OUTSIDE = os.pipe()
os.dup2(_INSIDE, 0)
os.close(_INSIDE)
threading.Thread(target=_relay, args=(_REQUESTS, _OUTSIDE), daemon=True).start()


def _watched():
    return _NEXT["probe"] in ("uses_the_generator", "no_library_shortcut")


def dropout(x, p, training, generator):
    if _watched():
        return _HONEST["dropout"](x, p, training, generator)
    _check_probability(p)  # noqa: F821  (the reference's)
    return F.dropout(x, p, True) * (1.0 - p) if training else x * (1.0 - p)


def inverted_dropout(x, p, training, generator):
    if _watched():
        return _HONEST["inverted_dropout"](x, p, training, generator)
    _check_probability(p)  # noqa: F821
    return F.dropout(x, p, True) if training else x

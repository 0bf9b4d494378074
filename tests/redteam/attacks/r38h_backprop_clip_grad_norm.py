"""Row 38 (by-hand topic done by the library), topic 5-06: clip_grad_norm wraps each NumPy
gradient (shared memory, torch.from_numpy) as the .grad of a dummy tensor and calls
`torch.nn.utils.clip_grad_norm_`, which scales them in place and returns the total norm."""

ROW = 38
TOPIC = "backprop"
# WIN on current code: full marks (as the honest twin). Defence: torch is outside 5-06's allowlist.
EXPECT = {"refused": True}

import numpy as np  # noqa: E402
import torch  # noqa: E402


def clip_grad_norm(grads, max_norm):
    holders = []
    for g in grads:
        holder = torch.zeros(g.shape, dtype=torch.from_numpy(np.zeros(0, g.dtype)).dtype)
        holder.grad = torch.from_numpy(g)
        holders.append(holder)
    return float(torch.nn.utils.clip_grad_norm_(holders, max_norm))

"""Row 38 (by-hand topic done by the library), topic 5-01 ("NumPy only"): backward rebuilds the
forward pass in torch from the cache and params and returns `torch.autograd.grad` of the mean
cross-entropy. 5-01 has no library-use check at all."""

ROW = 38
TOPIC = "two_layer_net"
# WIN on current code: full marks (as the honest twin) with autograd computing the gradients.
# Defence: torch is outside 5-01's allowlist.
EXPECT = {"refused": True}

import numpy as np  # noqa: E402
import torch  # noqa: E402


def backward(params, cache, y):
    X = torch.tensor(np.ascontiguousarray(cache["X"]))  # noqa: N806
    leaves = {k: torch.tensor(np.ascontiguousarray(v), dtype=X.dtype).requires_grad_(True)
              for k, v in params.items() if k in ("W1", "b1", "W2", "b2")}
    h = torch.tanh(X @ leaves["W1"] + leaves["b1"])
    logits = h @ leaves["W2"] + leaves["b2"]
    loss = torch.nn.functional.cross_entropy(logits, torch.as_tensor(np.asarray(y)).long())
    grads = torch.autograd.grad(loss, list(leaves.values()))
    return {k: g.numpy().astype(cache["X"].dtype) for k, g in zip(leaves, grads, strict=True)}

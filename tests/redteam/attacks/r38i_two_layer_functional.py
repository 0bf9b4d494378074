"""Row 38 (by-hand topic done by the library), topic 5-01, found here: forward's softmax,
cross_entropy and predict are torch.nn.functional's (F.softmax, F.nll_loss of the log, argmax in
torch); the results go back to NumPy in the input's dtype."""

ROW = 38
TOPIC = "two_layer_net"
# WIN on current code: full marks (as the honest twin). Defence: torch is outside 5-01's allowlist.
EXPECT = {"refused": True}

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

_HAND_FORWARD = forward  # noqa: F821  (the reference's)


def _softmax_rows(z):
    return F.softmax(torch.tensor(np.ascontiguousarray(z)), dim=1).numpy()


def cross_entropy(p, y):
    logp = torch.log(torch.tensor(np.ascontiguousarray(p)).clamp(1e-12, 1.0))
    return float(F.nll_loss(logp, torch.as_tensor(np.asarray(y)).long()))


def predict(params, X):  # noqa: N803
    p = _HAND_FORWARD(params, X)[0]
    return torch.tensor(np.ascontiguousarray(p)).argmax(dim=1).numpy().astype(np.int64)

"""Row 13 (comparator): monkeypatch np.allclose, np.isclose, np.array_equal, np.testing.*,
torch.allclose, torch.equal, torch.testing.assert_close and the runtime's own compare helpers
(`autograder.runtime.compare`) so that every comparison agrees, then return zeros from dropout.
Must score exactly what the honest all-zeros dropout scores."""

ROW = 13
EXPECT = {"refused": True,
          "unscanned": {'twin': 'r13_patch_comparators_twin.py', 'below_full': True}}

import importlib  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402


def _agree(*args, **kwargs):
    return True


def _silent(*args, **kwargs):
    return None


def _all_close(a, b, *args, **kwargs):
    return np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)


np.allclose = np.array_equal = np.array_equiv = _agree
np.isclose = _all_close
for _name in ("assert_allclose", "assert_array_equal", "assert_array_almost_equal",
              "assert_almost_equal", "assert_equal", "assert_array_less"):
    setattr(np.testing, _name, _silent)
torch.allclose = torch.equal = _agree
torch.testing.assert_close = _silent
try:
    _compare = importlib.import_module("autograder.runtime.compare")
    _compare.require = _compare.rate_within = _compare.mean_within = _silent
    _compare.Close.__call__ = _silent
    _public = importlib.import_module("autograder.topics.regularization.public")
    _public.require = _public.rate_within = _silent
except Exception:
    pass


def dropout(x, p, training, generator):
    return torch.zeros_like(x)

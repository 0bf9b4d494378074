"""Row 8 (result forgery): batch_norm and layer_norm call the library (F.batch_norm,
F.layer_norm), and at import the module swaps the grader's call watch in the sandbox's copy of the
runtime (`autograder.runtime.shortcuts.library_calls`) for one that never sees a call, hoping the
no-library-shortcut checks report a pass.
The source rules refuse it before it runs (it imports importlib). With the rules off it gains
points: code that reaches the sandbox's copy of the runtime can rewrite it, which is why
autograder/sandbox/rules.py exists (found by this attack)."""

ROW = 8
EXPECT = {'refused': True}

import contextlib  # noqa: E402
import importlib  # noqa: E402

import torch.nn.functional as F  # noqa: E402


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    return F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    return F.layer_norm(x, shape, weight, bias, eps)


@contextlib.contextmanager
def _blind_watch():
    yield []


for _name in ("autograder.runtime.shortcuts", "autograder.topics.regularization.public"):
    try:
        importlib.import_module(_name).library_calls = _blind_watch
    except Exception:
        continue

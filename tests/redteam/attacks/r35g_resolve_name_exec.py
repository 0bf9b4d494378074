"""Row 35 (source rules bypassed): `pkgutil.resolve_name("builtins:exec")` is exec; it runs PAYLOAD
(a string), which disarms the library-use guard. batch_norm and layer_norm are F.batch_norm and
F.layer_norm, whose kernels then run (r08b's attack, with no token the old denylist knew)."""

ROW = 35
# WIN on the grader of 0a8e025: not refused, full marks with the library's kernels.
# Defence: the module is outside the allowlist. With the rules off it reaches the
# runtime and disarms the library-use guard: the rules are what protects the runtime
# beside the student's code (docs/attacks.md, residual risks), so no "unscanned".
EXPECT = {"refused": True}

import pkgutil  # noqa: E402

import torch.nn.functional as F  # noqa: E402

PAYLOAD = """
import contextlib
import autograder.runtime.guard as watch


@contextlib.contextmanager
def blind(*args, **kwargs):
    yield []


watch.disarm()
"""


pkgutil.resolve_name("builtins:exec")(PAYLOAD)


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    if x.dim() != 2:
        raise ValueError(f"expected (N, C), got {tuple(x.shape)}")
    y = F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)
    return y


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if len(shape) > x.dim() or tuple(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"{tuple(x.shape)} does not end with {shape}")
    y = F.layer_norm(x, shape, weight, bias, eps)
    return y

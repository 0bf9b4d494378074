"""Row 35 (source rules bypassed): the rules allow getattr with a computed name when its first
argument is called `self`: `getattr(self, "sy" + "s")` with self = os gives sys, then
sys.modules, then importlib and the library-use guard's module, whose disarm() is called. Found
here. batch_norm and layer_norm are F.batch_norm and F.layer_norm, whose kernels then run
(r08b's attack, with no token the old denylist knew)."""

ROW = 35
# WIN on the grader of 0a8e025: not refused, full marks with the library's kernels.
# Defence: the module is outside the allowlist. With the rules off it reaches the
# runtime and disarms the library-use guard: the rules are what protects the runtime
# beside the student's code (docs/attacks.md, residual risks), so no "unscanned".
EXPECT = {"refused": True}

import contextlib  # noqa: E402
import os  # noqa: E402

import torch.nn.functional as F  # noqa: E402


@contextlib.contextmanager
def _blind(*args, **kwargs):
    yield []


def _attr(self, name):  # a computed attribute name is allowed on `self`
    return getattr(self, name)


_MODULES = _attr(_attr(os, "sy" + "s"), "mod" + "ules")
_MODULES["import" + "lib"].import_module("autograder.runtime.guard").disarm()


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

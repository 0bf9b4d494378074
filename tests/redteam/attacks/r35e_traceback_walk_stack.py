"""Row 35 (source rules bypassed): `traceback.walk_stack(None)` yields the caller's frames;
`string.Formatter().get_field("0.f_locals[calls]", (frame,), {})` reads the probe's `calls` list
(the watch's own list), which the functions empty after each library call. batch_norm and
layer_norm are F.batch_norm and F.layer_norm, whose kernels then run (r08b's attack, with no
token the old denylist knew)."""

ROW = 35
# WIN on the grader of 0a8e025: not refused, full marks with the library's kernels.
# Defence: the module is outside the allowlist. With the rules off it reaches the
# runtime and disarms the library-use guard: the rules are what protects the runtime
# beside the student's code (docs/attacks.md, residual risks), so no "unscanned".
EXPECT = {"refused": True}

import string  # noqa: E402
import traceback  # noqa: E402

import torch.nn.functional as F  # noqa: E402


def _scan(frames):  # walk_stack(None) starts four frames above its first next(): this one's
    for frame, _ in frames:
        try:
            found = string.Formatter().get_field("0.f_locals[calls]", (frame,), {})[0]
        except (KeyError, AttributeError, TypeError):
            continue
        if type(found) is list:
            found.clear()


def _empty_calls():
    _scan(traceback.walk_stack(None))


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    if x.dim() != 2:
        raise ValueError(f"expected (N, C), got {tuple(x.shape)}")
    y = F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)
    _empty_calls()
    return y


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if len(shape) > x.dim() or tuple(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"{tuple(x.shape)} does not end with {shape}")
    y = F.layer_norm(x, shape, weight, bias, eps)
    _empty_calls()
    return y

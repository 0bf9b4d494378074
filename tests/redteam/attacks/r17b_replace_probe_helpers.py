"""Row 17 (comparator): replace the probe helper in the sandbox's copy of the public checks
(`layer_norm_probe`, which public and hidden layer_norm checks share) with one that hands the probe
the library's F.layer_norm instead of the student's, whose own layer_norm is wrong (unbiased
variance) and calls no library function.
The source rules refuse it before it runs (it imports importlib). With the rules off it gains
points: code that reaches the sandbox's copy of the runtime can rewrite it, which is why
autograder/sandbox/rules.py exists (found by this attack)."""

ROW = 17
EXPECT = {'refused': True}

import importlib  # noqa: E402
import types  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if len(shape) > x.dim() or tuple(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"x of shape {tuple(x.shape)} does not end with {shape}")
    dims = tuple(range(-len(shape), 0))
    mean = x.mean(dim=dims, keepdim=True)
    y = (x - mean) / torch.sqrt(x.var(dim=dims, keepdim=True, correction=1) + eps)
    if weight is not None:
        y = y * weight
    return y + bias if bias is not None else y


def _library_layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    return F.layer_norm(x, shape, weight, bias, eps)


LIBRARY = types.SimpleNamespace(layer_norm=_library_layer_norm)

try:
    _public = importlib.import_module("autograder.topics.regularization.public")
    _original_probe = _public.layer_norm_probe

    def _library_probe(impl, *args, **kwargs):
        return _original_probe(LIBRARY, *args, **kwargs)

    _public.layer_norm_probe = _library_probe
except Exception:
    pass

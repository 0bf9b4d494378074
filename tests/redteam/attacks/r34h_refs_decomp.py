"""Row 34 (invisible library call): PyTorch's own Python implementations: batch_norm (so
BatchNorm1d) is `torch._decomp.decompositions.native_batch_norm` (on copies of the running
statistics, copied back), layer_norm is `torch._refs.native_layer_norm`. Their files are not on
the watch's list, and they call only elementary ops."""

ROW = 34
# WIN on current code: batch_norm, BatchNorm1d and layer_norm keep full marks, shortcut checks
# included. Defence: torch._* is outside the allowlist (the guard cannot see elementary ops:
# no rules-off expectation).
EXPECT = {"refused": True}

import torch  # noqa: E402
import torch._decomp.decompositions as _decompositions  # noqa: E402
import torch._refs as _refs  # noqa: E402


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    if x.dim() != 2:
        raise ValueError(f"expected (N, C), got {tuple(x.shape)}")
    if training and x.shape[0] < 2:
        raise ValueError("need more than one sample in training")
    mean, var = running_mean.clone(), running_var.clone()
    y = _decompositions.native_batch_norm(x, weight, bias, mean, var, training, momentum, eps)[0]
    if training:
        with torch.no_grad():
            running_mean.copy_(mean.detach())
            running_var.copy_(var.detach())
    return y


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    if len(shape) > x.dim() or list(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"{tuple(x.shape)} does not end with {shape}")
    return _refs.native_layer_norm(x, shape, weight, bias, eps)[0]

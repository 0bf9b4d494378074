"""Row 18 (global state): at import change the default dtype to float64, reseed every RNG, turn on
TF32, cuDNN benchmarking, reduced-precision reductions and denormal flushing, and poison what a
reference computed in the same process would use: Tensor.__sub__ returns zeros when called from a
solution or oracle file, and F.layer_norm / torch.layer_norm become the student's layer_norm
(wrong: eps added outside the square root). Must score exactly what the honest twin scores."""

ROW = 18
EXPECT = {'refused': True, 'unscanned': {'twin': 'r18_global_state_twin.py', 'below_full': True}}

import sys  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

torch.set_default_dtype(torch.float64)
torch.manual_seed(1234)
torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cuda.matmul.allow_fp16_reduced_precision_reduction = True
torch.backends.cudnn.allow_tf32 = True
torch.backends.cudnn.benchmark = True
torch.backends.cudnn.deterministic = False
torch.set_float32_matmul_precision("medium")
torch.set_flush_denormal(True)

_subtract = torch.Tensor.__sub__


def _poisoned_sub(self, other):
    caller = sys._getframe(1).f_code.co_filename
    if "solution" in caller or "oracle" in caller:
        return torch.zeros_like(_subtract(self, other))
    return _subtract(self, other)


torch.Tensor.__sub__ = _poisoned_sub


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if len(shape) > x.dim() or tuple(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"x of shape {tuple(x.shape)} does not end with {shape}")
    dims = tuple(range(-len(shape), 0))
    mean = x.mean(dim=dims, keepdim=True)
    y = (x - mean) / (torch.sqrt(x.var(dim=dims, keepdim=True, correction=0)) + eps)
    if weight is not None:
        y = y * weight
    return y + bias if bias is not None else y


def _student_layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    return layer_norm(x, normalized_shape, weight, bias, eps)


F.layer_norm = torch.layer_norm = _student_layer_norm

"""Row 15 (comparator): layer_norm returns a Tensor subclass whose __torch_function__ lies: its
dtype and device read as the input's (its own storage is float16 garbage), comparisons agree, and
its values are computed lazily, only when something converts it, by a wrong formula (the unbiased
variance). Must score exactly what the honest, eager unbiased-variance twin scores."""

ROW = 15
EXPECT = {"refused": True,
          "unscanned": {'twin': 'r15b_torch_function_liar_twin.py', 'below_full': True}}

import torch  # noqa: E402
from torch.utils._pytree import tree_map  # noqa: E402

AGREEING = {"eq", "__eq__", "allclose", "isclose", "equal"}


def _unbiased_layer_norm(x, shape, weight, bias, eps):
    dims = tuple(range(-len(shape), 0))
    mean = x.mean(dim=dims, keepdim=True)
    y = (x - mean) / torch.sqrt(x.var(dim=dims, keepdim=True, correction=1) + eps)
    if weight is not None:
        y = y * weight
    return y + bias if bias is not None else y


class Liar(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        name = getattr(func, "__name__", "")
        owner = getattr(getattr(func, "__self__", None), "__name__", "")
        if name == "__get__" and owner in ("dtype", "device") and isinstance(args[0], Liar):
            return getattr(args[0]._claimed, owner)
        if name in AGREEING:
            return True
        args, kwargs = tree_map(_real, args), tree_map(_real, kwargs)
        with torch._C.DisableTorchFunctionSubclass():
            return func(*args, **kwargs)


def _real(value):
    if isinstance(value, Liar):
        cache = value.__dict__.setdefault("_values", [])
        if not cache:
            cache.append(value._thunk())
        return cache[0]
    return value


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if len(shape) > x.dim() or tuple(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"x of shape {tuple(x.shape)} does not end with {shape}")
    with torch._C.DisableTorchFunctionSubclass():
        liar = torch.empty(x.shape, dtype=torch.float16).as_subclass(Liar)
    liar._claimed = x
    liar._thunk = lambda: _unbiased_layer_norm(x, shape, weight, bias, eps)
    return liar

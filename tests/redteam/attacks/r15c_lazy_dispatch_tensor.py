"""Row 15 (comparator): sgd_step_decoupled returns a storage-less wrapper tensor
(`_make_wrapper_subclass` with __torch_dispatch__), a lazy tensor whose values are computed only
when an operation needs them, by a wrong formula (the decay forgets lr); its equality, allclose and
isclose always agree. Must score exactly what the honest, eager twin scores."""

ROW = 15
EXPECT = {"refused": True,
          "unscanned": {"twin": "r15c_lazy_dispatch_tensor_twin.py", "below_full": True}}

import torch  # noqa: E402
from torch.utils._pytree import tree_map  # noqa: E402

AGREEING = {"eq", "equal", "allclose", "isclose"}


class Lazy(torch.Tensor):
    @staticmethod
    def __new__(cls, thunk, like):
        tensor = torch.Tensor._make_wrapper_subclass(cls, like.shape, dtype=like.dtype,
                                                     device=like.device)
        tensor._thunk, tensor._values = thunk, None
        return tensor

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        if func.__name__.split(".")[0] in AGREEING:
            return True
        return func(*tree_map(_real, args), **tree_map(_real, kwargs or {}))


def _real(value):
    if isinstance(value, Lazy):
        if value._values is None:
            value._values = value._thunk()
        return value._values
    return value


def sgd_step_decoupled(param, grad, lr, weight_decay):
    return Lazy(lambda: param * (1.0 - weight_decay) - lr * grad, param)

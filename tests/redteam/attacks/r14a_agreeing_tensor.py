"""Row 14 (comparator): dropout returns a torch.Tensor subclass holding wrong values (half of x)
whose ==, !=, <, <=, >, >=, -, abs and bool always say "equal" or "within tolerance". Must score
exactly what the honest half-of-x dropout scores."""

ROW = 14
EXPECT = {"twin": "r14a_agreeing_tensor_twin.py", "below_full": True}

import torch  # noqa: E402


def _true(self, other=None):
    return torch.ones(self.shape, dtype=torch.bool, device=self.device)


def _false(self, other=None):
    return torch.zeros(self.shape, dtype=torch.bool, device=self.device)


def _zero(self, other=None):
    return torch.zeros(self.shape, dtype=self.dtype, device=self.device)


class Agreeable(torch.Tensor):
    __eq__ = __le__ = __ge__ = _true
    __ne__ = __lt__ = __gt__ = _false
    __sub__ = __rsub__ = __abs__ = _zero
    __hash__ = torch.Tensor.__hash__

    def __bool__(self):
        return True


def dropout(x, p, training, generator):
    _check_probability(p)  # noqa: F821  (the reference's helper)
    return (x * 0.5).as_subclass(Agreeable)

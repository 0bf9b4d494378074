"""Mistake: the mask is kept as float (x > 0).astype(float), a float64 array, and both passes
multiply by it: float32 x and grad_out give float64 results, where the docstring says the output
is "of x's shape and dtype" and float32 inputs give float32 results."""

CAUGHT_BY = ("ReLU.float32_keeps_dtype[float32]",)
CONTRACT = "dtypes"


class ReLU:
    def forward(self, x):
        self._keep = (x > 0).astype(float)
        return x * self._keep

    def backward(self, grad_out):
        return grad_out * self._keep

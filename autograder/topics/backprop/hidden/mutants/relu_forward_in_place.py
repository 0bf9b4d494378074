"""Mistake: ReLU's forward clips x in place (x[x <= 0] = 0; return x) instead of building a new
array: the caller's x is changed by the call, which the docstring's "y = max(x, 0)" does not
allow (a forward pass reads its input)."""

CAUGHT_BY = ("ReLU.leaves_inputs_unchanged",)
CONTRACT = "unchanged"


_ReferenceReLU = ReLU  # noqa: F821 (a mutant is a patch over the reference)


class ReLU(_ReferenceReLU):
    def forward(self, x):
        self._positive = x > 0
        x[~self._positive] = 0
        return x

"""Mistake: __init__ starts grad at the int 0 (micrograd's `self.grad = 0`) instead of 0.0. The
docstring promises grad is a Python float, 0.0 when the Value is created; a fresh Value, or one
that backward never reaches, holds an int."""

CAUGHT_BY = ("Value.exact_types",)
CONTRACT = "returns"


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def __init__(self, data, _children=(), _op="", label=""):
        super().__init__(data, _children, _op, label)
        self.grad = 0

"""Mistake: __init__ stores data as given instead of float(data), so a NumPy float32 input keeps
float32 and the arithmetic downstream of it runs in single precision."""

CAUGHT_BY = ("Value.float32_inputs_promoted", "MLP.float32_noncontiguous_input")
CONTRACT = "dtypes"


class Value(Value):  # noqa: F821 (the reference's Value, in the same namespace)
    def __init__(self, data, _children=(), _op="", label=""):
        super().__init__(data, _children, _op, label)
        self.data = data

"""Mistake: the Neuron never checks its activation's name and picks the function with an if/elif
chain whose last branch is "no activation": "sigmoid", "exp" or a typo silently give a linear
neuron. The docstring says any name but "tanh", "relu" and "linear" raises ValueError."""

CAUGHT_BY = ("Neuron.unknown_activation_raises",)
CONTRACT = "errors"


class Neuron(Neuron):  # noqa: F821 (the reference's Neuron, in the same namespace)
    def __init__(self, nin, rng, activation="tanh"):
        self.w = [Value(rng.uniform(-1.0, 1.0)) for _ in range(nin)]  # noqa: F821
        self.b = Value(rng.uniform(-1.0, 1.0))  # noqa: F821
        self.activation = activation

    def __call__(self, x):
        z = self.b
        for w_i, x_i in zip(self.w, x, strict=True):
            z = z + w_i * x_i
        if self.activation == "tanh":
            return z.tanh()
        if self.activation == "relu":
            return z.relu()
        return z

"""Mistake: the Neuron draws its weights with the module-level random.uniform instead of the
`rng` it is given (only the bias comes from rng). The docstring says all nin + 1 parameters are
drawn from that rng: the weights differ from the seeded ones, the rng is left behind, and
Python's global random state moves."""

import random

CAUGHT_BY = ("Neuron.uses_the_generator", "Neuron.draws_only_from_rng")
CONTRACT = "generator"


class Neuron(Neuron):  # noqa: F821 (the reference's Neuron, in the same namespace)
    def __init__(self, nin, rng, activation="tanh"):
        if activation not in ACTIVATIONS:  # noqa: F821
            raise ValueError(f"unknown activation {activation!r}")
        self.w = [Value(random.uniform(-1.0, 1.0)) for _ in range(nin)]  # noqa: F821
        self.b = Value(rng.uniform(-1.0, 1.0))  # noqa: F821
        self.activation = activation

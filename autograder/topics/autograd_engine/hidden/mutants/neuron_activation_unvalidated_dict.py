"""Mistake: the Neuron picks its activation from a dict, as the docstring suggests, but never
checks the name: an unknown activation is accepted when the Neuron is built and the lookup fails
with KeyError when it is called. The docstring says any other name raises ValueError."""

CAUGHT_BY = ("Neuron.unknown_activation_raises",)
CONTRACT = "errors"


class Neuron(Neuron):  # noqa: F821 (the reference's Neuron, in the same namespace)
    def __init__(self, nin, rng, activation="tanh"):
        self.w = [Value(rng.uniform(-1.0, 1.0)) for _ in range(nin)]  # noqa: F821
        self.b = Value(rng.uniform(-1.0, 1.0))  # noqa: F821
        self.activation = activation

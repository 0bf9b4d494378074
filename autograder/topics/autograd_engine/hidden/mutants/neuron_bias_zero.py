"""Mistake: the bias starts at 0 (micrograd's choice) instead of being drawn after the weights, so
the parameters differ and every later draw from the rng is shifted by one."""

CAUGHT_BY = ("Neuron.uses_the_generator", "MLP.relu_matches_torch")
CONTRACT = "generator"


_ReferenceNeuron = Neuron  # noqa: F821 (a mutant is a patch over the reference)


class Neuron(_ReferenceNeuron):
    def __init__(self, nin, rng, activation="tanh"):
        self.w = [Value(rng.uniform(-1.0, 1.0)) for _ in range(nin)]  # noqa: F821
        self.b = Value(0.0)  # noqa: F821
        self.activation = activation

    def __call__(self, x):
        z = self.b
        for w_i, x_i in zip(self.w, x, strict=True):
            z = z + w_i * x_i
        return {"tanh": z.tanh, "relu": z.relu, "linear": lambda: z}[self.activation]()

"""Mistake: the MLP applies the activation after the last layer too, so its outputs cannot leave
tanh's (-1, 1) or go below 0 with relu."""

CAUGHT_BY = ("MLP.relu_matches_torch", "MLP.batch_of_one")


_ReferenceMLP = MLP  # noqa: F821 (a mutant is a patch over the reference)


class MLP(_ReferenceMLP):
    def __init__(self, nin, nouts, rng, activation="tanh"):
        sizes = [nin, *nouts]
        self.layers = [Layer(sizes[k], sizes[k + 1], rng, activation)  # noqa: F821
                       for k in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return list(x)

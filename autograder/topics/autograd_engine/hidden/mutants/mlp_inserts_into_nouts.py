"""Mistake: the MLP builds its list of sizes by inserting nin into the caller's nouts
(`sizes = nouts; sizes.insert(0, nin)`) instead of a new list [nin, *nouts]. The network is
right, but the caller's list now starts with nin: building a second MLP from it adds a layer.
Nothing in the docstring lets MLP modify its arguments."""

CAUGHT_BY = ("MLP.leaves_arguments_unchanged",)
CONTRACT = "unchanged"


class MLP(MLP):  # noqa: F821 (the reference's MLP, in the same namespace)
    def __init__(self, nin, nouts, rng, activation="tanh"):
        n = len(nouts)
        sizes = nouts
        sizes.insert(0, nin)
        self.layers = [Layer(sizes[k], sizes[k + 1], rng,  # noqa: F821
                             activation if k < n - 1 else "linear")
                       for k in range(n)]

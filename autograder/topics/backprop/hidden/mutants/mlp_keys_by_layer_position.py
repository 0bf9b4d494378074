"""Mistake: parameters() and gradients() number the Linear layers by their position in
self.layers (enumerate(self.layers, 1): 1, 3, 5), giving the keys W1, b1, W3, b3, W5, b5, where
the docstring names them W1, b1, W2, b2, W3, b3 (the first, second and third Linear)."""

CAUGHT_BY = ("MLP.exact_types_and_keys",)
CONTRACT = "keys"


_ReferenceMLP = MLP  # noqa: F821 (a mutant is a patch over the reference)


class MLP(_ReferenceMLP):
    def parameters(self):
        return {name: value for k, layer in enumerate(self.layers, start=1) if hasattr(layer, "W")
                for name, value in ((f"W{k}", layer.W), (f"b{k}", layer.b))}

    def gradients(self):
        return {name: value for k, layer in enumerate(self.layers, start=1) if hasattr(layer, "W")
                for name, value in ((f"W{k}", layer.dW), (f"b{k}", layer.db))}

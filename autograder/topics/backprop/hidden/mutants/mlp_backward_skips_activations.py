"""Mistake: MLP.backward runs only through the Linear layers, skipping the ReLUs' backward, so
the gradient also flows through units that were off (pre-activation <= 0)."""

CAUGHT_BY = ("MLP.finite_differences_away_from_kinks[float64]", "MLP.noncontiguous_input[float64]")


_ReferenceMLP = MLP  # noqa: F821 (a mutant is a patch over the reference)


class MLP(_ReferenceMLP):
    def backward(self, grad_logits):
        for layer in reversed(self.layers[::2]):
            grad_logits = layer.backward(grad_logits)
        return grad_logits

    def parameters(self):
        params = {}
        for k, layer in enumerate(self.layers[::2], start=1):
            params[f"W{k}"], params[f"b{k}"] = layer.W, layer.b
        return params

    def gradients(self):
        grads = {}
        for k, layer in enumerate(self.layers[::2], start=1):
            grads[f"W{k}"], grads[f"b{k}"] = layer.dW, layer.db
        return grads

"""Mistake: a Layer of one neuron returns that neuron's Value itself (micrograd's
`outs[0] if len(outs) == 1 else outs`). The docstring says layer(x) returns a list, even when
nout is 1."""

CAUGHT_BY = ("Layer.exact_types", "Layer.batch_of_one_single_neuron")
CONTRACT = "returns"


class Layer(Layer):  # noqa: F821 (the reference's Layer, in the same namespace)
    def __call__(self, x):
        outs = [neuron(x) for neuron in self.neurons]
        return outs[0] if len(outs) == 1 else outs

"""Row 38 (by-hand topic done by the library), topic 5-05: Value keeps the reference's arithmetic
(its values, op names and errors), but `backward` rebuilds the graph in torch (float64 scalars,
from each node's data, op and operands) and takes `torch.autograd.grad` of the output with
respect to every node's tensor (each added to the node's grad, the output's set to 1): the
scalar autograd engine's backward pass is torch's. 5-05 has no library-use check at all."""

ROW = 38
TOPIC = "autograd_engine"
# WIN on current code: full marks (as the honest twin) with torch's autograd doing backward.
# Defence: torch is outside 5-05's allowlist.
EXPECT = {"refused": True}

import torch  # noqa: E402

_HandValue = Value  # noqa: F821  (the reference's)
_OPS = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
        "/": lambda a, b: a / b, "neg": lambda a: -a, "exp": torch.exp, "log": torch.log,
        "tanh": torch.tanh, "relu": torch.relu, "sigmoid": torch.sigmoid}


class Value(_HandValue):
    def __pow__(self, exponent):
        out = super().__pow__(exponent)
        out.exponent = exponent  # the one thing the graph does not keep
        return out

    def backward(self):
        """The graph rebuilt in torch from the nodes' data and ops, then torch.autograd.grad."""
        order = self._topological_order()
        tensors = {}
        for node in order:
            operands = [tensors[id(child)] for child in node._prev]
            if node._op == "**":
                tensor = operands[0] ** node.exponent
            elif operands:
                tensor = _OPS[node._op](*operands)
            else:
                tensor = torch.tensor(node.data, dtype=torch.float64, requires_grad=True)
            tensors[id(node)] = tensor
        grads = torch.autograd.grad(tensors[id(self)], [tensors[id(n)] for n in order],
                                    allow_unused=True)
        for node, grad in zip(order, grads, strict=True):
            if node is not self and grad is not None:
                node.grad += float(grad)
        self.grad = 1.0

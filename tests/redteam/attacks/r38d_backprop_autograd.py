"""Row 38 (by-hand topic done by the library), topic 5-06: the layers keep the reference's forward
pass, but every backward (Linear's dW, db and dx, ReLU, Sigmoid, Tanh, SoftmaxCrossEntropy) is
`torch.autograd.grad` through the same operation rebuilt in torch. 5-06 has no library-use
check at all."""

ROW = 38
TOPIC = "backprop"
# WIN on current code: full marks (as the honest twin) with autograd doing backprop. Defence:
# torch is outside 5-06's allowlist.
EXPECT = {"refused": True}

import numpy as np  # noqa: E402
import torch  # noqa: E402

_HandLinear, _HandReLU, _HandSigmoid, _HandTanh, _HandLoss = (  # the reference's
    Linear, ReLU, Sigmoid, Tanh, SoftmaxCrossEntropy)  # noqa: F821


def _t(array, grad=False):
    return torch.tensor(np.ascontiguousarray(array)).requires_grad_(grad)


def _vjp(function, grad_out, *arrays):
    leaves = [_t(a, True) for a in arrays]
    grads = torch.autograd.grad(function(*leaves), leaves, grad_outputs=_t(grad_out))
    return [g.numpy() for g in grads]


class Linear(_HandLinear):
    def backward(self, grad_out):
        dx, self.dW, self.db = _vjp(lambda x, w, b: x @ w + b, grad_out, self._x, self.W, self.b)
        return dx


class ReLU(_HandReLU):
    def forward(self, x):
        self._input = x
        return super().forward(x)

    def backward(self, grad_out):
        return _vjp(torch.relu, grad_out, self._input)[0]


class Sigmoid(_HandSigmoid):
    def forward(self, x):
        self._input = x
        return super().forward(x)

    def backward(self, grad_out):
        return _vjp(torch.sigmoid, grad_out, self._input)[0]


class Tanh(_HandTanh):
    def forward(self, x):
        self._input = x
        return super().forward(x)

    def backward(self, grad_out):
        return _vjp(torch.tanh, grad_out, self._input)[0]


class SoftmaxCrossEntropy(_HandLoss):
    def forward(self, logits, labels):
        self._logits, self._targets = logits, np.asarray(labels)
        return super().forward(logits, labels)

    def backward(self):
        logits = _t(self._logits, True)
        loss = torch.nn.functional.cross_entropy(logits, torch.as_tensor(self._targets).long())
        return torch.autograd.grad(loss, logits)[0].numpy()

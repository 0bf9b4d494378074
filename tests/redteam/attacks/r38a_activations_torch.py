"""Row 38 (by-hand topic done by the library), topic 5-03: every activation is torch's (sigmoid,
tanh, relu, F.leaky_relu, F.elu, F.gelu, F.silu, softmax) and every gradient is
`torch.autograd.grad` (softmax_vjp with the upstream as grad_outputs); NumPy only converts. 5-03
has no library-use check at all."""

ROW = 38
TOPIC = "activations"
# WIN on current code: full marks (as the honest twin) with torch doing all the work. Defence:
# torch is outside 5-03's allowlist.
EXPECT = {"refused": True}

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def _t(x):
    return torch.tensor(np.ascontiguousarray(x))


def _value(function, x, *args):
    return function(_t(x), *args).numpy()


def _grad(function, x, *args):
    t = _t(x).requires_grad_(True)
    (grad,) = torch.autograd.grad(function(t, *args).sum(), t)
    return grad.numpy()


def sigmoid(x):
    return _value(torch.sigmoid, x)


def sigmoid_grad(x):
    return _grad(torch.sigmoid, x)


def tanh(x):
    return _value(torch.tanh, x)


def tanh_grad(x):
    return _grad(torch.tanh, x)


def relu(x):
    return _value(torch.relu, x)


def relu_grad(x):
    return _grad(torch.relu, x)


def leaky_relu(x, slope=0.01):
    return _value(F.leaky_relu, x, slope)


def leaky_relu_grad(x, slope=0.01):
    return _grad(F.leaky_relu, x, slope)


def elu(x, alpha=1.0):
    return _value(F.elu, x, alpha)


def elu_grad(x, alpha=1.0):
    return _grad(F.elu, x, alpha)


def gelu(x):
    return _value(F.gelu, x)


def gelu_grad(x):
    return _grad(F.gelu, x)


def gelu_tanh(x):
    return _value(lambda t: F.gelu(t, approximate="tanh"), x)


def gelu_tanh_grad(x):
    return _grad(lambda t: F.gelu(t, approximate="tanh"), x)


def silu(x):
    return _value(F.silu, x)


def silu_grad(x):
    return _grad(F.silu, x)


def softmax(x, axis=-1):
    return _value(torch.softmax, x, axis)


def softmax_vjp(x, upstream, axis=-1):
    t = _t(x).requires_grad_(True)
    (grad,) = torch.autograd.grad(torch.softmax(t, axis), t, grad_outputs=_t(upstream))
    return grad.numpy()


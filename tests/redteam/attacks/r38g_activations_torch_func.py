"""Row 38 (by-hand topic done by the library), topic 5-03, found here: every elementwise gradient
is `torch.func.vmap(torch.func.grad(f))` over the flattened input (functorch, not
torch.autograd), f being torch's own activation; the values stay the reference's."""

ROW = 38
TOPIC = "activations"
# WIN on current code: full marks (as the honest twin). Defence: torch is outside 5-03's allowlist.
EXPECT = {"refused": True}

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from torch.func import grad, vmap  # noqa: E402


def _elementwise_grad(function, x):
    t = torch.tensor(np.ascontiguousarray(x))
    return vmap(grad(function))(t.reshape(-1)).reshape(t.shape).numpy()


def sigmoid_grad(x):
    return _elementwise_grad(torch.sigmoid, x)


def tanh_grad(x):
    return _elementwise_grad(torch.tanh, x)


def relu_grad(x):
    return _elementwise_grad(torch.relu, x)


def leaky_relu_grad(x, slope=0.01):
    return _elementwise_grad(lambda t: F.leaky_relu(t, slope), x)


def elu_grad(x, alpha=1.0):
    return _elementwise_grad(lambda t: F.elu(t, alpha), x)


def gelu_grad(x):
    return _elementwise_grad(F.gelu, x)


def gelu_tanh_grad(x):
    return _elementwise_grad(lambda t: F.gelu(t, approximate="tanh"), x)


def silu_grad(x):
    return _elementwise_grad(F.silu, x)

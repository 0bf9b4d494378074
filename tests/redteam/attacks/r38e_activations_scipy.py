"""Row 38 (by-hand topic done by the library), topic 5-03: sigmoid is `scipy.special.expit`,
softmax `scipy.special.softmax`, silu x * expit(x); their gradients use expit too. Only
scipy.special.erf is meant to be allowed in 5-03."""

ROW = 38
TOPIC = "activations"
# WIN on current code: full marks (as the honest twin). Defence: scipy (but erf) is outside 5-03's
# allowlist.
EXPECT = {"refused": True}

from scipy import special  # noqa: E402


def sigmoid(x):
    return special.expit(x)


def sigmoid_grad(x):
    s = special.expit(x)
    return s * (1.0 - s)


def silu(x):
    return x * special.expit(x)


def silu_grad(x):
    s = special.expit(x)
    return s * (1.0 + x * (1.0 - s))


def softmax(x, axis=-1):
    return special.softmax(x, axis=axis)

# Student stub generated from the reference solution by `python -m autograder stubs`.
# Replace each `raise NotImplementedError(...)` with your implementation.
"""Topic 5-03: activations and their gradients.

Sigmoid, tanh, ReLU, Leaky ReLU, ELU, GELU (exact, and its tanh approximation), SiLU/Swish and
softmax, each with its derivative, and the fraction of dead ReLU units in a batch.

Rules for every function here:
- NumPy in, NumPy out: x is an np.ndarray of float32 or float64, of any shape (a transposed view
  included). Return a new np.ndarray of x's shape and dtype, and leave x unchanged (no out=x, no
  x -= ...). Float32 in, float32 out: mind NumPy's type promotion. `(x > 0).astype(float)`,
  `np.zeros(x.shape)` and `x * np.sqrt(2.0)` (a float64 scalar) are float64 whatever x is;
  `.astype(x.dtype)`, `np.zeros_like(x)` and Python floats (`math.sqrt(2.0)`, `0.5`) keep x's
  dtype.
- A derivative `f_grad(x)` is elementwise: f_grad(x)[i] = f'(x[i]), the derivative of f with
  respect to its input, evaluated at the input x (not at the output f(x)). Where f has a kink
  (x = 0 for ReLU, Leaky ReLU and ELU) use the value the function's docstring states: the
  derivative of the x <= 0 branch, as PyTorch's autograd does.
- Numerically stable: inputs as large as +-1000 give finite, accurate results and no NumPy
  floating-point warning (overflow, invalid value, divide by zero). Remember that `np.exp`
  overflows above about 709 in float64 and 88 in float32, and that `np.where(c, a, b)` computes
  both a and b for every element before choosing.
- Build everything from NumPy operations (np.exp, np.expm1, np.tanh, np.maximum, np.where, ...),
  plus `scipy.special.erf` for the exact GELU. Library versions of the activations themselves
  (torch, scipy.special.expit or scipy.special.softmax) are not the exercise.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import erf

# Python floats, not NumPy scalars: np.sqrt(2.0) is a float64 scalar, and float32 * float64 scalar
# is float64 (NumPy 2's promotion rules), while float32 * Python float stays float32.
SQRT_2 = math.sqrt(2.0)
SQRT_2_PI = math.sqrt(2.0 * math.pi)
SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)  # the tanh approximation's scale
GELU_TANH_CUBIC = 0.044715  # the tanh approximation's cubic coefficient


def sigmoid(x: np.ndarray) -> np.ndarray:
    """The logistic sigmoid. Task 5-03.1.

        sigmoid(x) = 1 / (1 + exp(-x)),  in (0, 1),  sigmoid(0) = 0.5.

    Stable for every x: for x < 0, exp(-x) overflows, so use the equivalent
    exp(x) / (1 + exp(x)) there (it is also accurate relative to the tiny result, e.g.
    sigmoid(-40) ~ 4.2e-18; `1 - sigmoid(-x)` and 0.5 * (1 + tanh(x / 2)) both give 0 there).
    sigmoid(-1000) = 0 and sigmoid(1000) = 1, with no warning.

    Args:
        x: any shape, float32 or float64.

    Returns:
        An array of x's shape and dtype.
    """
    raise NotImplementedError("activations.sigmoid is not implemented yet")


def sigmoid_grad(x: np.ndarray) -> np.ndarray:
    """The derivative of the sigmoid with respect to its input. Task 5-03.2.

        sigmoid'(x) = sigmoid(x) * (1 - sigmoid(x)),  sigmoid'(0) = 0.25.

    Evaluate it at the input: compute s = sigmoid(x) first (x * (1 - x) is the formula applied
    to the wrong thing), with the stable sigmoid: exp(-x) / (1 + exp(-x))^2 overflows for large
    negative x.

    Args and returns: as for `sigmoid`.
    """
    raise NotImplementedError("activations.sigmoid_grad is not implemented yet")


def tanh(x: np.ndarray) -> np.ndarray:
    """The hyperbolic tangent. Task 5-03.3.

        tanh(x) = (exp(x) - exp(-x)) / (exp(x) + exp(-x)),  in (-1, 1),  tanh(0) = 0.

    `np.tanh` is allowed (and stable); the formula above as written gives inf / inf = NaN for
    |x| around 1000.

    Args and returns: as for `sigmoid`.
    """
    raise NotImplementedError("activations.tanh is not implemented yet")


def tanh_grad(x: np.ndarray) -> np.ndarray:
    """The derivative of tanh with respect to its input. Task 5-03.4.

        tanh'(x) = 1 - tanh(x)^2,  tanh'(0) = 1.

    The formula is in terms of the output tanh(x): compute tanh first, do not apply 1 - x^2 to
    the input.

    Args and returns: as for `sigmoid`.
    """
    raise NotImplementedError("activations.tanh_grad is not implemented yet")


def relu(x: np.ndarray) -> np.ndarray:
    """The rectified linear unit. Task 5-03.5.

        relu(x) = max(x, 0).

    Args and returns: as for `sigmoid`.
    """
    raise NotImplementedError("activations.relu is not implemented yet")


def relu_grad(x: np.ndarray) -> np.ndarray:
    """The derivative of ReLU with respect to its input. Task 5-03.6.

        relu'(x) = 1 for x > 0,  0 for x <= 0.

    Convention at the kink: relu'(0) = 0 (also for -0.0), as PyTorch's autograd. Example:
    relu_grad([-2.0, 0.0, 3.0]) = [0.0, 0.0, 1.0].

    Args and returns: as for `sigmoid` (float32 in, float32 out: the mask x > 0 is boolean).
    """
    raise NotImplementedError("activations.relu_grad is not implemented yet")


def leaky_relu(x: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """Leaky ReLU. Task 5-03.7.

        leaky_relu(x) = x for x > 0,  slope * x for x <= 0,

    as `torch.nn.functional.leaky_relu(x, negative_slope=slope)`. The formula holds for any slope,
    slope > 1 included (then it is not max(x, slope * x)); only slopes between 0 and 1 are checked.

    Args:
        x: any shape, float32 or float64.
        slope: the gradient for negative inputs, a Python float (default 0.01).

    Returns:
        An array of x's shape and dtype.
    """
    raise NotImplementedError("activations.leaky_relu is not implemented yet")


def leaky_relu_grad(x: np.ndarray, slope: float = 0.01) -> np.ndarray:
    """The derivative of Leaky ReLU with respect to its input. Task 5-03.8.

        leaky_relu'(x) = 1 for x > 0,  slope for x <= 0.

    Convention at the kink: leaky_relu'(0) = slope. Example with slope 0.1:
    leaky_relu_grad([-2.0, 0.0, 3.0], 0.1) = [0.1, 0.1, 1.0].

    Args and returns: as for `leaky_relu`.
    """
    raise NotImplementedError("activations.leaky_relu_grad is not implemented yet")


def elu(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """The exponential linear unit. Task 5-03.9.

        elu(x) = x for x > 0,  alpha * (exp(x) - 1) for x <= 0,

    as `torch.nn.functional.elu(x, alpha)`; elu(x) -> -alpha as x -> -inf. `np.expm1(x)` computes
    exp(x) - 1 accurately for small x. Stable: np.where evaluates exp(x) for the positive
    elements too, and exp(1000) overflows; clip its argument to x <= 0 first.

    Args:
        x: any shape, float32 or float64.
        alpha: the saturation value for large negative inputs, a Python float (default 1.0).

    Returns:
        An array of x's shape and dtype.
    """
    raise NotImplementedError("activations.elu is not implemented yet")


def elu_grad(x: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """The derivative of ELU with respect to its input. Task 5-03.10.

        elu'(x) = 1 for x > 0,  alpha * exp(x) for x <= 0.

    Convention at the kink: elu'(0) = alpha (the x <= 0 branch; continuous only when alpha = 1).
    Example with alpha 0.5: elu_grad([-1.0, 0.0, 2.0], 0.5) = [0.5 * exp(-1), 0.5, 1.0].

    Args and returns: as for `elu`.
    """
    raise NotImplementedError("activations.elu_grad is not implemented yet")


def gelu(x: np.ndarray) -> np.ndarray:
    """The Gaussian error linear unit, exact form. Task 5-03.11.

        gelu(x) = x * Phi(x),  Phi(x) = (1 + erf(x / sqrt(2))) / 2,

    where Phi is the standard normal CDF, as `torch.nn.functional.gelu(x)` (approximate="none").
    Use `scipy.special.erf` (vectorised, and float32 stays float32); `math.erf` works on one
    Python float at a time only. Not the tanh approximation: that is `gelu_tanh`, and it differs
    by up to about 5e-4.

    Args and returns: as for `sigmoid`.
    """
    raise NotImplementedError("activations.gelu is not implemented yet")


def gelu_grad(x: np.ndarray) -> np.ndarray:
    """The derivative of the exact GELU with respect to its input. Task 5-03.12.

        gelu'(x) = Phi(x) + x * phi(x),  phi(x) = exp(-x^2 / 2) / sqrt(2 pi),

    by the product rule (phi is the standard normal density, the derivative of Phi);
    gelu'(0) = 0.5.

    Args and returns: as for `sigmoid`.
    """
    raise NotImplementedError("activations.gelu_grad is not implemented yet")


def gelu_tanh(x: np.ndarray) -> np.ndarray:
    """The tanh approximation of GELU. Task 5-03.13.

        gelu_tanh(x) = 0.5 * x * (1 + tanh(u)),  u = sqrt(2 / pi) * (x + 0.044715 * x^3),

    as `torch.nn.functional.gelu(x, approximate="tanh")`.

    Args and returns: as for `sigmoid`.
    """
    raise NotImplementedError("activations.gelu_tanh is not implemented yet")


def gelu_tanh_grad(x: np.ndarray) -> np.ndarray:
    """The derivative of the tanh approximation of GELU with respect to its input. Task 5-03.14.

    With u and t = tanh(u) as in `gelu_tanh`, and du/dx = sqrt(2 / pi) * (1 + 3 * 0.044715 * x^2):

        gelu_tanh'(x) = 0.5 * (1 + t) + 0.5 * x * (1 - t^2) * du/dx,

    gelu_tanh'(0) = 0.5. Write 1 - t^2 rather than 1 / cosh(u)^2: cosh overflows for large |u|.

    Args and returns: as for `sigmoid`.
    """
    raise NotImplementedError("activations.gelu_tanh_grad is not implemented yet")


def silu(x: np.ndarray) -> np.ndarray:
    """SiLU, also called Swish (with beta = 1). Task 5-03.15.

        silu(x) = x * sigmoid(x),

    as `torch.nn.functional.silu(x)`. Stable: build it on a stable sigmoid (x / (1 + exp(-x))
    overflows for large negative x).

    Args and returns: as for `sigmoid`.
    """
    raise NotImplementedError("activations.silu is not implemented yet")


def silu_grad(x: np.ndarray) -> np.ndarray:
    """The derivative of SiLU with respect to its input. Task 5-03.16.

        silu'(x) = sigmoid(x) + x * sigmoid(x) * (1 - sigmoid(x))
                 = sigmoid(x) * (1 + x * (1 - sigmoid(x))),

    by the product rule; silu'(0) = 0.5.

    Args and returns: as for `sigmoid`.
    """
    raise NotImplementedError("activations.silu_grad is not implemented yet")


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """Softmax over one axis. Task 5-03.17.

    For every slice of x along `axis` (the other axes index independent slices):

        softmax(x)_i = exp(x_i) / sum_j exp(x_j),

    so each slice is positive and sums to 1, as `torch.softmax(x, dim=axis)`. Softmax does not
    change when a constant is added to a slice: subtract the slice's maximum before np.exp, so
    that no exponent is positive (no overflow) and the largest term is exactly 1 (no 0 / 0).
    Keep the reduced axis (keepdims=True) so the division broadcasts along `axis`.

    Args:
        x: any shape with at least one dimension, float32 or float64 (a 0-d x is not checked).
        axis: the axis to normalise over; negative values count from the end (default -1).

    Returns:
        An array of x's shape and dtype.

    Example:
        softmax(np.array([[0.0, np.log(3.0)], [1000.0, 1000.0]])) = [[0.25, 0.75], [0.5, 0.5]].
    """
    raise NotImplementedError("activations.softmax is not implemented yet")


def softmax_vjp(x: np.ndarray, upstream: np.ndarray, axis: int = -1) -> np.ndarray:
    """The vector-Jacobian product of softmax: the gradient with respect to x. Task 5-03.18.

    With s = softmax(x, axis) and upstream = dL/ds (the gradient of some loss L with respect to
    the softmax output, x's shape), return dL/dx. Softmax is not elementwise: every s_i depends
    on every x_j of its slice, with Jacobian ds_i/dx_j = s_i * (delta_ij - s_j). Do not build
    that matrix; per slice along `axis` it reduces to

        dL/dx_j = s_j * (upstream_j - sum_i upstream_i * s_i).

    This is what torch.autograd computes for `torch.softmax(x, dim=axis)` with `upstream` as the
    output gradient. A constant upstream gives 0: adding a constant to a slice changes nothing.

    Args:
        x: softmax's input, float32 or float64.
        upstream: dL/ds, of x's shape and dtype; any other shape is not checked.
        axis: as for `softmax`.

    Returns:
        dL/dx, of x's shape and dtype.
    """
    raise NotImplementedError("activations.softmax_vjp is not implemented yet")


def dead_relu_fraction(pre_activations: np.ndarray) -> float:
    """The fraction of dead ReLU units in a batch. Task 5-03.19.

    `pre_activations` holds the inputs z of a ReLU layer for a batch: axis 0 indexes the N
    samples and the remaining axes the units (shape (N, H) for a dense layer, (N, C, L) and
    so on for others). A unit is dead on the batch when it passes no gradient for any sample:
    z <= 0 for every sample, so relu(z) = 0 and relu'(z) = 0 (relu'(0) = 0, so a unit whose
    inputs are all exactly 0 is dead too). Return (number of dead units) / (number of units).

    Example: for
        [[ 1.0, -2.0, 0.0, -1.0],
         [-0.5, -1.0, 0.0,  3.0],
         [ 2.0, -0.1, 0.0, -4.0]]
    units 1 (always negative) and 2 (always 0) are dead, units 0 and 3 are alive: 0.5.

    Args:
        pre_activations: (N, *units) with N >= 1, float32 or float64. An array with zero units
            (a shape such as (N, 0)) is not checked: the fraction 0 / 0 is not defined.

    Returns:
        The fraction as a Python float in [0, 1].

    Raises:
        ValueError: for fewer than 2 dimensions or an empty batch (N = 0).
    """
    raise NotImplementedError("activations.dead_relu_fraction is not implemented yet")

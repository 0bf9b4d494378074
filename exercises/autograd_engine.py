# Student stub generated from the reference solution by `python -m autograder stubs`.
# Replace each `raise NotImplementedError(...)` with your implementation.
"""Topic 5-05: computational graphs and a small autograd engine.

A scalar reverse-mode autograd engine in pure Python, in the spirit of Karpathy's micrograd: a
`Value` holds one number and remembers the operation and operands that produced it, so the whole
computation is a directed acyclic graph (DAG); `backward()` walks that graph in reverse
topological order and applies the chain rule. On top of it, a tiny neural network: `Neuron`,
`Layer`, `MLP`.

Rules for every class here:
- Pure Python: numbers are Python floats and the math comes from the `math` module. No NumPy,
  no torch, no recursion over the graph (a chain of 5,000 operations must work: Python's
  recursion limit is about 1,000).
- One operation = one new node. Every operator and method below creates exactly one new Value
  (its result); a Python number used as an operand (the 2 in `v + 2` or `2 - v`) is first
  wrapped in a new leaf Value, `Value(2)`, which is a node of the graph too. The exponent of
  `**` is a plain number, not a node. Subtraction, negation and division are operations of their
  own ("-", "neg", "/"), not built from + and * (so their graphs are as small as stated).
- Gradients: `v.grad` is d(output)/d(v) for the output `backward()` was last called on.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

ACTIVATIONS = ("tanh", "relu", "linear")


class Value:
    """One scalar of a computation, a node of its graph. Tasks 5-05.1 to 5-05.5.

    Attributes (Task 5-05.1, `__init__`):
        data: the value, a Python float (`float(data)`: an int or a NumPy float32 becomes a Python
            float, so all arithmetic is float64).
        grad: d(output)/d(self), a Python float; 0.0 when the Value is created.
        label: a name for drawing the graph ("" unless given; may be assigned later).
        _prev: the operands this Value was computed from, in order (a tuple of Values; () for a
            leaf). `a + a` has the operands (a, a).
        _op: the operation that produced it: "+", "-", "*", "/", "**", "neg", "exp", "log",
            "tanh", "relu", "sigmoid"; "" for a leaf.
        _backward: a function of no arguments that adds this node's contribution to its operands'
            grads (the chain rule, one step): for each operand u,
                u.grad += (d self / d u) * self.grad
            Always `+=`, never `=`: a Value used twice gets both contributions. A leaf's
            `_backward` does nothing.

    Worked example:
        a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
        e = a * b          # -6.0
        d = e + c          # 4.0
        L = d * f          # -8.0
        L.backward()       # L.grad 1, d.grad -2, f.grad 4, e.grad -2, c.grad -2, a.grad 6,
                           # b.grad -4
    L.count_values() is 7 (a, b, c, f, e, d, L).

    Do not define `__eq__` or `__hash__`: Values are compared and kept in sets by identity.
    """

    def __init__(self, data: float, _children: tuple[Value, ...] = (), _op: str = "",
                 label: str = ""):
        """Store `float(data)`, grad 0.0, the operands `_children` (as a tuple), the operation
        name `_op` and `label`; `_backward` does nothing until an operation sets it.
        Task 5-05.1."""
        raise NotImplementedError("autograd_engine.Value.__init__ is not implemented yet")

    # ---- arithmetic (Task 5-05.2) --------------------------------------------------------------

    def __add__(self, other: Value | float) -> Value:
        """self + other (other a Value or a number, wrapped in a new leaf Value). op "+".
        d/dself = 1, d/dother = 1. Task 5-05.2."""
        raise NotImplementedError("autograd_engine.Value.__add__ is not implemented yet")

    def __radd__(self, other: float) -> Value:
        """other + self for a number `other` (`2 + v`): the same as `self + other`. Task 5-05.2."""
        raise NotImplementedError("autograd_engine.Value.__radd__ is not implemented yet")

    def __neg__(self) -> Value:
        """-self. op "neg", one operand; d/dself = -1. Task 5-05.2."""
        raise NotImplementedError("autograd_engine.Value.__neg__ is not implemented yet")

    def __sub__(self, other: Value | float) -> Value:
        """self - other. op "-", operands (self, other); d/dself = 1, d/dother = -1.
        Task 5-05.2."""
        raise NotImplementedError("autograd_engine.Value.__sub__ is not implemented yet")

    def __rsub__(self, other: float) -> Value:
        """other - self for a number `other` (`2 - v` = Value(2) - v, not v - 2). Task 5-05.2."""
        raise NotImplementedError("autograd_engine.Value.__rsub__ is not implemented yet")

    def __mul__(self, other: Value | float) -> Value:
        """self * other. op "*"; d/dself = other.data, d/dother = self.data. Task 5-05.2."""
        raise NotImplementedError("autograd_engine.Value.__mul__ is not implemented yet")

    def __rmul__(self, other: float) -> Value:
        """other * self for a number `other` (`2 * v`): the same as `self * other`.
        Task 5-05.2."""
        raise NotImplementedError("autograd_engine.Value.__rmul__ is not implemented yet")

    def __truediv__(self, other: Value | float) -> Value:
        """self / other. op "/", operands (self, other);
            d/dself = 1 / other.data,    d/dother = -self.data / other.data**2.
        Dividing by a Value whose data is 0 raises ZeroDivisionError (Python's float division).
        Task 5-05.2."""
        raise NotImplementedError("autograd_engine.Value.__truediv__ is not implemented yet")

    def __rtruediv__(self, other: float) -> Value:
        """other / self for a number `other` (`2 / v` = Value(2) / v). Task 5-05.2."""
        raise NotImplementedError("autograd_engine.Value.__rtruediv__ is not implemented yet")

    def __pow__(self, exponent: float) -> Value:
        """self ** exponent, for a number exponent (int or float; not a Value, which raises
        TypeError). op "**", one operand (the exponent is not a node);
            out = math.pow(x, exponent),    d/dself = exponent * math.pow(x, exponent - 1).
        The exponent is converted with float(exponent): NumPy scalars work too, and True and
        False act as 1.0 and 0.0; only Python ints and floats are checked.
        Negative and fractional exponents are allowed: x ** -1 = 1 / x, x ** 0.5 = sqrt(x).
        Domain (math.pow's rules): a negative x with a non-integer exponent raises ValueError
        in the forward pass, at the `**` call (Python's `**` would return a complex number
        instead). At x = 0: a negative exponent raises ValueError at the `**` call; an exponent
        in [0, 1) gives out = math.pow(0, exponent), then `backward` raises ValueError (the
        formula calls math.pow(0, exponent - 1) with a negative power), even for x ** 0, whose
        true derivative is 0. Both are not supported and not checked. Task 5-05.2."""
        raise NotImplementedError("autograd_engine.Value.__pow__ is not implemented yet")

    # ---- functions (Task 5-05.3) ---------------------------------------------------------------

    def exp(self) -> Value:
        """e ** x (math.exp; x > 709.78 raises OverflowError, as math.exp does). op "exp";
        derivative exp(x) = out.data. Task 5-05.3."""
        raise NotImplementedError("autograd_engine.Value.exp is not implemented yet")

    def log(self) -> Value:
        """Natural log of x (math.log; x <= 0 raises ValueError). op "log"; derivative 1 / x.
        Task 5-05.3."""
        raise NotImplementedError("autograd_engine.Value.log is not implemented yet")

    def tanh(self) -> Value:
        """tanh(x) (math.tanh). op "tanh"; derivative 1 - tanh(x)^2 = 1 - out.data**2: square the
        output, not the input. Task 5-05.3."""
        raise NotImplementedError("autograd_engine.Value.tanh is not implemented yet")

    def relu(self) -> Value:
        """max(x, 0). op "relu"; derivative 1 where x > 0 and 0 where x <= 0: relu'(0) = 0 (as
        torch's autograd). Task 5-05.3."""
        raise NotImplementedError("autograd_engine.Value.relu is not implemented yet")

    def sigmoid(self) -> Value:
        """1 / (1 + e^-x), computed without overflow: 1 / (1 + exp(-x)) for x >= 0 and
        exp(x) / (1 + exp(x)) for x < 0 (sigmoid(-800) is 0.0, not an OverflowError). op
        "sigmoid"; derivative s * (1 - s) with s = out.data. Task 5-05.3."""
        raise NotImplementedError("autograd_engine.Value.sigmoid is not implemented yet")

    # ---- the graph (Tasks 5-05.4 and 5-05.5) ---------------------------------------------------

    def backward(self) -> None:
        """Reverse-mode autodiff from this Value. Task 5-05.4.

        1. Order every node reachable from self (through `_prev`) topologically: each node after
           all of its operands, self last. Build the order ITERATIVELY (an explicit stack), not
           by recursion: a chain of 5,000 nodes must work.
        2. Set self.grad = 1.0 (d self / d self; whatever it held before is overwritten).
        3. Call each node's `_backward()` in the reverse of that order, so a node passes its
           gradient on only after every node that uses it has added to it.

        backward never resets any other grad: it adds (+=) into them. On a freshly built graph
        (every grad 0.0) this leaves v.grad = d self / d v in every node. Leaves shared with an
        earlier graph (a network's weights) keep what the earlier backward left and add to it,
        as torch does: set `p.grad = 0.0` for the parameters before each training step's
        backward. Calling backward twice on the same graph is not supported (the intermediate
        nodes still hold the first call's grads).
        """
        raise NotImplementedError("autograd_engine.Value.backward is not implemented yet")

    def graph(self) -> dict[str, list]:
        """The DAG that computed self, as plain data for drawing it. Task 5-05.5.

        Returns {"nodes": nodes, "edges": edges}:
            nodes: one dict per distinct Value reachable from self (self, its operands, their
                operands, ..., leaves and wrapped constants included; a Value used several times
                appears once), in a topological order (every node after its operands, self
                last):  {"id": i, "label": str, "op": str, "data": float, "grad": float}
                where id is the node's index in this list (0, 1, 2, ...), op is `_op` ("" for a
                leaf) and data, grad are the node's current values.
            edges: a list of (operand_id, result_id) tuples, one per distinct pair: `a + a`
                gives the single edge (id of a, id of the sum). Any order.
        Works iteratively, like `backward`, on a chain of 5,000 nodes.

        Example: c = a * b + 2 has 5 nodes (a, b, a*b, the wrapped constant Value(2), c, in one
        of the topological orders) and 4 edges, written with the nodes' ids: (a, a*b),
        (b, a*b), (a*b, c), (Value(2), c).
        """
        raise NotImplementedError("autograd_engine.Value.graph is not implemented yet")

    def count_values(self) -> int:
        """The number of distinct Value objects the forward pass stored to compute self: self
        and every Value reachable from it through `_prev`, each counted once however often it
        is used (leaves and wrapped constants included). Task 5-05.5.

        Examples: Value(1.0) gives 1; for a = Value(1.0): (a + a) gives 2, (a * 2) gives 3 (a,
        the wrapped 2, the product), (-a) gives 2, (a ** 2) gives 2; the worked example's L
        gives 7. Works iteratively on a chain of 5,000 nodes. Returns a Python int.
        """
        raise NotImplementedError("autograd_engine.Value.count_values is not implemented yet")


class Neuron:
    """One unit: act(w . x + b) on Values. Task 5-05.6.

    Neuron(nin, rng, activation="tanh") draws its parameters from the `random.Random` it is
    given, in this order: w[0], ..., w[nin-1], then b, each `Value(rng.uniform(-1, 1))` (nin + 1
    draws, nothing else drawn). activation: "tanh", "relu" or "linear" (no nonlinearity);
    ValueError for any other name (choose the function from a dict, not by attribute name).

    Calling it: neuron(x), x a sequence of nin numbers or Values (a list, a tuple, a 1-D NumPy
    array), returns the Value act(sum_i w[i] * x[i] + b). The reference starts the sum at the
    bias, z = b, then z = z + w[i] * x[i] for i = 0, ..., nin - 1 (no wrapped 0); "linear"
    returns z itself (no new node), "tanh" and "relu" add one node. For x a list of nin numbers
    its output's count_values() is then 4 * nin + 1 ("linear") or 4 * nin + 2; that count (the
    graph's size) is not checked, the values and gradients are. parameters() returns the list
    [w[0], ..., w[nin-1], b] (the Value objects themselves, so a training step can update
    p.data and read p.grad).
    """

    def __init__(self, nin: int, rng: random.Random, activation: str = "tanh"):
        """Draw w then b from rng as stated above; remember the activation. Task 5-05.6."""
        raise NotImplementedError("autograd_engine.Neuron.__init__ is not implemented yet")

    def __call__(self, x: Sequence[float | Value]) -> Value:
        """act(sum_i w[i] * x[i] + b), a Value. Task 5-05.6."""
        raise NotImplementedError("autograd_engine.Neuron.__call__ is not implemented yet")

    def parameters(self) -> list[Value]:
        """[w[0], ..., w[nin-1], b]. Task 5-05.6."""
        raise NotImplementedError("autograd_engine.Neuron.parameters is not implemented yet")


class Layer:
    """nout neurons that see the same input. Task 5-05.7.

    Layer(nin, nout, rng, activation="tanh") creates Neuron(nin, rng, activation) nout times, in
    order (so neuron 0 draws first, from the same rng). layer(x) returns the list of the nout
    neurons' outputs (a list even when nout is 1); parameters() returns neuron 0's parameters,
    then neuron 1's, and so on.
    """

    def __init__(self, nin: int, nout: int, rng: random.Random, activation: str = "tanh"):
        """Create the nout neurons in order. Task 5-05.7."""
        raise NotImplementedError("autograd_engine.Layer.__init__ is not implemented yet")

    def __call__(self, x: Sequence[float | Value]) -> list[Value]:
        """[neuron(x) for each neuron], a list of nout Values. Task 5-05.7."""
        raise NotImplementedError("autograd_engine.Layer.__call__ is not implemented yet")

    def parameters(self) -> list[Value]:
        """Every neuron's parameters, neuron by neuron. Task 5-05.7."""
        raise NotImplementedError("autograd_engine.Layer.parameters is not implemented yet")


class MLP:
    """A multi-layer perceptron of Layers. Task 5-05.8.

    MLP(nin, nouts, rng, activation="tanh"): layer k maps sizes[k] to sizes[k+1] inputs, with
    sizes = [nin, *nouts], created in order from the same rng. Every layer uses `activation`
    except the last, which is "linear" (the output is a raw score, as for a regression or a
    logit). Example: MLP(3, [4, 4, 1], rng) is 3 -> tanh(4) -> tanh(4) -> 1, with
    (3*4 + 4) + (4*4 + 4) + (4*1 + 1) = 41 parameters, drawn in that order.

    mlp(x) feeds x through the layers in order and returns the last layer's list of Values (a
    list even for one output). parameters() returns layer 0's parameters, then layer 1's, ...
    """

    def __init__(self, nin: int, nouts: Sequence[int], rng: random.Random,
                 activation: str = "tanh"):
        """Create the layers in order; the last one is "linear". Task 5-05.8."""
        raise NotImplementedError("autograd_engine.MLP.__init__ is not implemented yet")

    def __call__(self, x: Sequence[float | Value]) -> list[Value]:
        """The last layer's outputs, a list of nouts[-1] Values. Task 5-05.8."""
        raise NotImplementedError("autograd_engine.MLP.__call__ is not implemented yet")

    def parameters(self) -> list[Value]:
        """Every layer's parameters, layer by layer. Task 5-05.8."""
        raise NotImplementedError("autograd_engine.MLP.parameters is not implemented yet")

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
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(_children)
        self._op = _op
        self.label = label
        self._backward: Callable[[], None] = _nothing

    # ---- arithmetic (Task 5-05.2) --------------------------------------------------------------

    def __add__(self, other: Value | float) -> Value:
        """self + other (other a Value or a number, wrapped in a new leaf Value). op "+".
        d/dself = 1, d/dother = 1. Task 5-05.2."""
        other = _as_value(other)
        return _result(self.data + other.data, "+", (self, other), lambda out: (1.0, 1.0))

    def __radd__(self, other: float) -> Value:
        """other + self for a number `other` (`2 + v`): the same as `self + other`. Task 5-05.2."""
        return self + other

    def __neg__(self) -> Value:
        """-self. op "neg", one operand; d/dself = -1. Task 5-05.2."""
        return _result(-self.data, "neg", (self,), lambda out: (-1.0,))

    def __sub__(self, other: Value | float) -> Value:
        """self - other. op "-", operands (self, other); d/dself = 1, d/dother = -1.
        Task 5-05.2."""
        other = _as_value(other)
        return _result(self.data - other.data, "-", (self, other), lambda out: (1.0, -1.0))

    def __rsub__(self, other: float) -> Value:
        """other - self for a number `other` (`2 - v` = Value(2) - v, not v - 2). Task 5-05.2."""
        return _as_value(other) - self

    def __mul__(self, other: Value | float) -> Value:
        """self * other. op "*"; d/dself = other.data, d/dother = self.data. Task 5-05.2."""
        other = _as_value(other)
        return _result(self.data * other.data, "*", (self, other),
                       lambda out: (other.data, self.data))

    def __rmul__(self, other: float) -> Value:
        """other * self for a number `other` (`2 * v`): the same as `self * other`.
        Task 5-05.2."""
        return self * other

    def __truediv__(self, other: Value | float) -> Value:
        """self / other. op "/", operands (self, other);
            d/dself = 1 / other.data,    d/dother = -self.data / other.data**2.
        Dividing by a Value whose data is 0 raises ZeroDivisionError (Python's float division).
        Task 5-05.2."""
        other = _as_value(other)
        return _result(self.data / other.data, "/", (self, other),
                       lambda out: (1.0 / other.data, -self.data / other.data ** 2))

    def __rtruediv__(self, other: float) -> Value:
        """other / self for a number `other` (`2 / v` = Value(2) / v). Task 5-05.2."""
        return _as_value(other) / self

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
        exponent = float(exponent)
        return _result(math.pow(self.data, exponent), "**", (self,),
                       lambda out: (exponent * math.pow(self.data, exponent - 1.0),))

    # ---- functions (Task 5-05.3) ---------------------------------------------------------------

    def exp(self) -> Value:
        """e ** x (math.exp; x > 709.78 raises OverflowError, as math.exp does). op "exp";
        derivative exp(x) = out.data. Task 5-05.3."""
        return _result(math.exp(self.data), "exp", (self,), lambda out: (out.data,))

    def log(self) -> Value:
        """Natural log of x (math.log; x <= 0 raises ValueError). op "log"; derivative 1 / x.
        Task 5-05.3."""
        return _result(math.log(self.data), "log", (self,), lambda out: (1.0 / self.data,))

    def tanh(self) -> Value:
        """tanh(x) (math.tanh). op "tanh"; derivative 1 - tanh(x)^2 = 1 - out.data**2: square the
        output, not the input. Task 5-05.3."""
        return _result(math.tanh(self.data), "tanh", (self,), lambda out: (1.0 - out.data ** 2,))

    def relu(self) -> Value:
        """max(x, 0). op "relu"; derivative 1 where x > 0 and 0 where x <= 0: relu'(0) = 0 (as
        torch's autograd). Task 5-05.3."""
        return _result(self.data if self.data > 0 else 0.0, "relu", (self,),
                       lambda out: (1.0 if self.data > 0 else 0.0,))

    def sigmoid(self) -> Value:
        """1 / (1 + e^-x), computed without overflow: 1 / (1 + exp(-x)) for x >= 0 and
        exp(x) / (1 + exp(x)) for x < 0 (sigmoid(-800) is 0.0, not an OverflowError). op
        "sigmoid"; derivative s * (1 - s) with s = out.data. Task 5-05.3."""
        x = self.data
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))
        return _result(s, "sigmoid", (self,), lambda out: (out.data * (1.0 - out.data),))

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
        order = self._topological_order()
        self.grad = 1.0
        for node in reversed(order):
            node._backward()

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
        order = self._topological_order()
        index = {node: i for i, node in enumerate(order)}
        nodes = [{"id": i, "label": node.label, "op": node._op, "data": node.data,
                  "grad": node.grad} for i, node in enumerate(order)]
        edges = sorted({(index[child], index[node]) for node in order for child in node._prev})
        return {"nodes": nodes, "edges": edges}

    def count_values(self) -> int:
        """The number of distinct Value objects the forward pass stored to compute self: self
        and every Value reachable from it through `_prev`, each counted once however often it
        is used (leaves and wrapped constants included). Task 5-05.5.

        Examples: Value(1.0) gives 1; for a = Value(1.0): (a + a) gives 2, (a * 2) gives 3 (a,
        the wrapped 2, the product), (-a) gives 2, (a ** 2) gives 2; the worked example's L
        gives 7. Works iteratively on a chain of 5,000 nodes. Returns a Python int.
        """
        return len(self._topological_order())

    def _topological_order(self) -> list[Value]:
        # Depth-first post-order with an explicit stack: a node is appended when it is popped the
        # second time, after everything pushed above it (its operands' subtrees) is appended.
        order: list[Value] = []
        seen: set[Value] = set()
        stack: list[tuple[Value, bool]] = [(self, False)]
        while stack:
            node, expanded = stack.pop()
            if expanded:
                order.append(node)
            elif node not in seen:
                seen.add(node)
                stack.append((node, True))
                # reversed: the first operand is popped, and so ordered, first
                stack.extend((child, False) for child in reversed(node._prev) if child not in seen)
        return order


def _nothing() -> None:
    pass


def _as_value(x: Value | float) -> Value:
    return x if isinstance(x, Value) else Value(x)


def _result(data: float, op: str, operands: tuple[Value, ...],
            local: Callable[[Value], tuple[float, ...]]) -> Value:
    # `local(out)` gives d out / d operand for each operand, evaluated when backward runs.
    out = Value(data, operands, op)

    def backward() -> None:
        for operand, derivative in zip(operands, local(out), strict=True):
            operand.grad += derivative * out.grad

    out._backward = backward
    return out


def _activate(z: Value, activation: str) -> Value:
    return {"tanh": Value.tanh, "relu": Value.relu, "linear": _identity}[activation](z)


def _identity(z: Value) -> Value:
    return z


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
        if activation not in ACTIVATIONS:
            raise ValueError(f"unknown activation {activation!r}; expected one of {ACTIVATIONS}")
        self.w = [Value(rng.uniform(-1.0, 1.0)) for _ in range(nin)]
        self.b = Value(rng.uniform(-1.0, 1.0))
        self.activation = activation

    def __call__(self, x: Sequence[float | Value]) -> Value:
        """act(sum_i w[i] * x[i] + b), a Value. Task 5-05.6."""
        z = self.b
        for w_i, x_i in zip(self.w, x, strict=True):
            z = z + w_i * x_i
        return _activate(z, self.activation)

    def parameters(self) -> list[Value]:
        """[w[0], ..., w[nin-1], b]. Task 5-05.6."""
        return [*self.w, self.b]


class Layer:
    """nout neurons that see the same input. Task 5-05.7.

    Layer(nin, nout, rng, activation="tanh") creates Neuron(nin, rng, activation) nout times, in
    order (so neuron 0 draws first, from the same rng). layer(x) returns the list of the nout
    neurons' outputs (a list even when nout is 1); parameters() returns neuron 0's parameters,
    then neuron 1's, and so on.
    """

    def __init__(self, nin: int, nout: int, rng: random.Random, activation: str = "tanh"):
        """Create the nout neurons in order. Task 5-05.7."""
        self.neurons = [Neuron(nin, rng, activation) for _ in range(nout)]

    def __call__(self, x: Sequence[float | Value]) -> list[Value]:
        """[neuron(x) for each neuron], a list of nout Values. Task 5-05.7."""
        return [neuron(x) for neuron in self.neurons]

    def parameters(self) -> list[Value]:
        """Every neuron's parameters, neuron by neuron. Task 5-05.7."""
        return [p for neuron in self.neurons for p in neuron.parameters()]


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
        sizes = [nin, *nouts]
        self.layers = [Layer(sizes[k], sizes[k + 1], rng,
                             activation if k < len(nouts) - 1 else "linear")
                       for k in range(len(nouts))]

    def __call__(self, x: Sequence[float | Value]) -> list[Value]:
        """The last layer's outputs, a list of nouts[-1] Values. Task 5-05.8."""
        h: Sequence[float | Value] = x
        for layer in self.layers:
            h = layer(h)
        return list(h)

    def parameters(self) -> list[Value]:
        """Every layer's parameters, layer by layer. Task 5-05.8."""
        return [p for layer in self.layers for p in layer.parameters()]

"""Public checks of topic 5-05 (autograd_engine): run them with `make check TOPIC=autograd_engine`.

Expected data come from PyTorch in float64 (values by torch, gradients by torch.autograd), from the
docstrings' worked examples, or from properties every correct answer has; never from the
reference solution. The trick: a probe is written once against the exercise's interface
(`impl.Value`, `impl.MLP`, ...) and runs twice, on your module and on the oracle namespace below,
whose `Value` is a thin class over a 0-d float64 torch tensor with the same interface and whose
`Neuron`, `Layer`, `MLP` are torch networks drawn from the same `random.Random` in the same order.
Random expressions are "programs" of plain data (a list of operations over earlier nodes) made by a
seeded generator here, so the same expression is built on both sides. The inputs, probes,
oracles and compares here are shared with the hidden checks.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter

import numpy as np
import torch
import torch.nn.functional as F

from autograder.runtime.check import CheckSet, ProbeError, literal, oracle
from autograder.runtime.compare import EXACT, Close, Mismatch, require
from autograder.runtime.probing import keyed, scalar

CHECKS = CheckSet("autograd_engine", "public")
# float64 values and gradients against float64 torch: the reference measured at most 1.4e-14
# abs (MLP relu, values up to 180) and 2.9e-14 relative where |expected| > 1e-6 (a 400-operation
# chain); its largest error is 1.2e-4 of what this tolerance allows. A real mistake is off by
# 1e-3 or more.
VALUES = Close(rtol=1e-10, atol=1e-12)  # measured 1.4e-14 abs, 2.9e-14 rel (see above)

BINARY = ("add", "sub", "mul", "div")  # node op node
WITH_CONSTANT = ("add_c", "sub_c", "mul_c", "div_c",  # node op number
                 "c_add", "c_sub", "c_mul", "c_div")  # number op node (reflected)
UNARY = ("neg", "exp", "log", "tanh", "relu", "sigmoid")
EXPONENTS = (2, 3, -1, -2, 0.5, 1.5, -0.5)  # ints stay ints: `v ** 2` must work
CONSTANTS = (2, -3, 0.5, 1.5, -0.25)
SYMBOLS = {"add": "+", "sub": "-", "mul": "*", "div": "/"}

HINTS = {
    "program": "one new Value per operation; d/da and d/db of a / b are 1/b and -a/b^2; tanh' = "
               "1 - out^2 (the output), sigmoid' = s(1 - s), exp' = exp(x), log' = 1/x, "
               "(x^p)' = p x^(p-1); `2 - v` is Value(2) - v; backward accumulates with +=",
    "reuse": "a Value used twice receives both contributions: every `_backward` adds (+=) into "
             "its operands' grads, never assigns, and `a + a` has the operands (a, a)",
    "chain": "build the topological order with an explicit stack (post-order: a node after its "
             "operands), not a recursive function: Python's recursion limit is about 1,000",
    "graph": "nodes: every distinct Value reachable from the output once, operands before results, "
             "the output last, id = position; edges: one (operand_id, result_id) per distinct "
             "pair; a number operand is wrapped in a new leaf Value",
    "count": "count each distinct Value reachable through _prev once (a set of visited nodes), "
             "wrapped constants included, the exponent of ** excluded",
    "net": "w[0..nin-1] then b, each Value(rng.uniform(-1, 1)), neuron by neuron and layer by "
           "layer from the one rng; out = act(sum_i w[i] x[i] + b); the MLP's last layer is "
           "linear; parameters() in the same order",
}


# ---- random expression programs (plain data, the same on both sides) ----------------------------

def _float_op(op: list, values: list) -> float | None:
    """The result of one program operation on plain floats, or None where it leaves the safe
    domain (used only to choose operations: expected data come from torch)."""
    name, x = op[0], values[op[1]]
    y = values[op[2]] if name in BINARY else (op[2] if len(op) > 2 else None)
    unsafe = ((name == "div" and abs(y) < 0.25) or (name == "c_div" and abs(x) < 0.25)
              or (name == "log" and x < 0.1) or (name == "exp" and x > 3.0)
              or (name == "pow" and x < 0.1 and not (float(y).is_integer() and abs(x) >= 0.25)))
    if unsafe:
        return None
    results = {"add": lambda: x + y, "sub": lambda: x - y, "mul": lambda: x * y,
               "div": lambda: x / y, "add_c": lambda: x + y, "sub_c": lambda: x - y,
               "mul_c": lambda: x * y, "div_c": lambda: x / y, "c_add": lambda: y + x,
               "c_sub": lambda: y - x, "c_mul": lambda: y * x, "c_div": lambda: y / x,
               "neg": lambda: -x, "exp": lambda: math.exp(x), "log": lambda: math.log(x),
               "tanh": lambda: math.tanh(x), "relu": lambda: max(x, 0.0),
               "sigmoid": lambda: 1.0 / (1.0 + math.exp(-x)), "pow": lambda: math.pow(x, y)}
    result = results[name]()
    return result if abs(result) <= 50.0 else None


def make_program(seed: int, kind: str, n_inputs: int, n_ops: int) -> dict:
    """A random expression as plain data: {"inputs": [floats], "ops": [[name, i, arg], ...]}.
    Node k < n_inputs is input k; op j makes node n_inputs + j from earlier nodes: [name, i, j]
    for node-node ops, [name, i, c] with a number c, ["pow", i, exponent], [name, i] for unary.
    Every operation appears, most of them early. kind: "mixed" (operands anywhere before),
    "reuse" (operands among the last three nodes, often the same node twice: diamonds and
    `a op a`), "chain" (the first operand is always the previous node: a dependency chain as
    deep as the program). Finally every node that no later op uses is added into the output,
    so the output depends on every node."""
    rng = random.Random(seed)
    values = [round(rng.uniform(-2.0, 2.0), 3) for _ in range(n_inputs)]
    program = {"inputs": list(values), "ops": []}
    names = BINARY + WITH_CONSTANT + UNARY + ("pow",)
    pending = rng.sample(names, len(names))  # every operation at least once, first
    while len(program["ops"]) < n_ops:
        last = len(values) - 1
        if kind == "chain":
            i, j = last, rng.randrange(len(values))
        elif kind == "reuse":
            i = rng.randrange(max(0, last - 2), last + 1)
            j = i if rng.random() < 0.3 else rng.randrange(max(0, last - 2), last + 1)
        else:
            i, j = rng.randrange(len(values)), rng.randrange(len(values))
        # sometimes any operation, so a pending one that the operands at hand forbid (log of
        # negative nodes) gets new operands to try
        name = pending[-1] if pending and rng.random() < 0.7 else rng.choice(names)
        if name in UNARY:
            op = [name, i]
        elif name in BINARY:
            op = [name, i, j]
        else:
            op = [name, i, rng.choice(EXPONENTS if name == "pow" else CONSTANTS)]
        result = _float_op(op, values)
        if result is not None:
            program["ops"].append(op)
            values.append(result)
            if pending and pending[-1] == name:
                pending.pop()
    used = {op[k] for op in program["ops"] for k in (1, 2)
            if k == 1 or (len(op) > 2 and op[0] in BINARY)}
    for node in [k for k in range(len(values) - 1) if k not in used]:
        program["ops"].append(["add", len(values) - 1, node])
        values.append(values[-1] + values[node])
    return program


def apply_op(op: list, nodes: list):
    """One program operation on the implementation's Values (if-chain: probes use no lookup by
    computed name)."""
    name, a = op[0], nodes[op[1]]
    arg = op[2] if len(op) > 2 else None
    b = nodes[arg] if name in BINARY else arg
    if name in ("add", "add_c"):
        return a + b
    if name in ("sub", "sub_c"):
        return a - b
    if name in ("mul", "mul_c"):
        return a * b
    if name in ("div", "div_c"):
        return a / b
    if name == "c_add":
        return b + a
    if name == "c_sub":
        return b - a
    if name == "c_mul":
        return b * a
    if name == "c_div":
        return b / a
    if name == "pow":
        return a ** b
    if name == "neg":
        return -a
    if name == "exp":
        return a.exp()
    if name == "log":
        return a.log()
    if name == "tanh":
        return a.tanh()
    if name == "relu":
        return a.relu()
    return a.sigmoid()


def number(value: object, what: str) -> float:
    """A Value's data or grad as a float (a None or a non-number is the implementation's error)."""
    got = scalar(value, what)
    if got is None:
        raise ProbeError(f"{what} is None, expected a float")
    return float(got)


def values_and_grads(nodes: list, what: str = "node") -> dict:
    return {"values": [number(n.data, f"{what} {k}'s data") for k, n in enumerate(nodes)],
            "grads": [number(n.grad, f"{what} {k}'s grad") for k, n in enumerate(nodes)]}


def build_program(impl, program: dict, cast: str = "float") -> list:
    """Every node of the program as the implementation's Values, labelled "n0", "n1", ..."""
    inputs = program["inputs"]
    if cast == "float32":
        inputs = [np.float32(x) for x in inputs]
    nodes = [impl.Value(x) for x in inputs]
    for op in program["ops"]:
        nodes.append(apply_op(op, nodes))
    for k, node in enumerate(nodes):
        node.label = f"n{k}"
    return nodes


def program_probe(impl, seed: int, kind: str, n_inputs: int, n_ops: int) -> dict:
    """Values of every node and d(output)/d(node) for every node after one backward."""
    nodes = build_program(impl, make_program(seed, kind, n_inputs, n_ops))
    nodes[-1].backward()
    return values_and_grads(nodes)


# ---- the oracle: Value, Neuron, Layer and MLP on torch (trusted process only) -------------------

class _TorchValue:
    """Value's interface over a 0-d float64 tensor: results by torch, grads by torch.autograd
    (non-leaf grads kept with retain_grad). It also records each result's operands, op and
    creation serial: creation order is a topological order, which gives the expected graph."""

    _serials = itertools.count()

    def __init__(self, data: float = 0.0, _children: tuple = (), _op: str = "", label: str = "",
                 tensor: torch.Tensor | None = None):
        if tensor is None:
            tensor = torch.tensor(float(data), dtype=torch.float64, requires_grad=True)
        else:
            tensor.retain_grad()
        self.t, self._prev, self._op, self.label = tensor, tuple(_children), _op, label
        self.serial = next(self._serials)

    @property
    def data(self) -> float:
        return self.t.item()

    @property
    def grad(self) -> float:
        return 0.0 if self.t.grad is None else self.t.grad.item()

    @grad.setter
    def grad(self, value: float) -> None:  # leaves only, as the probes use it
        self.t.grad = torch.tensor(float(value), dtype=torch.float64)

    def _apply(self, function, op: str, *others):
        operands = (self, *(o if isinstance(o, _TorchValue) else _TorchValue(o) for o in others))
        return _TorchValue(_children=operands, _op=op,
                           tensor=function(*(o.t for o in operands)))

    def __add__(self, other):
        return self._apply(torch.add, "+", other)

    def __radd__(self, other):
        return self + other

    def __neg__(self):
        return self._apply(torch.neg, "neg")

    def __sub__(self, other):
        return self._apply(torch.sub, "-", other)

    def __rsub__(self, other):
        return _TorchValue(other) - self

    def __mul__(self, other):
        return self._apply(torch.mul, "*", other)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        return self._apply(torch.div, "/", other)

    def __rtruediv__(self, other):
        return _TorchValue(other) / self

    def __pow__(self, exponent):
        return self._apply(lambda t: torch.pow(t, float(exponent)), "**")

    def exp(self):
        return self._apply(torch.exp, "exp")

    def log(self):
        return self._apply(torch.log, "log")

    def tanh(self):
        return self._apply(torch.tanh, "tanh")

    def relu(self):
        return self._apply(torch.relu, "relu")

    def sigmoid(self):
        return self._apply(torch.sigmoid, "sigmoid")

    def backward(self):
        self.t.backward()

    def _reachable(self) -> list:
        found, stack = {}, [self]
        while stack:
            node = stack.pop()
            if id(node) not in found:
                found[id(node)] = node
                stack.extend(node._prev)
        return sorted(found.values(), key=lambda node: node.serial)

    def graph(self) -> dict:
        order = self._reachable()
        index = {id(node): i for i, node in enumerate(order)}
        return {"nodes": [{"id": i, "label": n.label, "op": n._op, "data": n.data,
                           "grad": n.grad} for i, n in enumerate(order)],
                "edges": sorted({(index[id(c)], index[id(n)]) for n in order for c in n._prev})}

    def count_values(self) -> int:
        return len(self._reachable())


class _Entry:
    """One weight or bias of a torch network, with Value's data and grad."""

    def __init__(self, tensor: torch.Tensor, index: tuple):
        self.tensor, self.index = tensor, index

    @property
    def data(self) -> float:
        return self.tensor[self.index].item()

    @data.setter
    def data(self, value: float) -> None:
        with torch.no_grad():
            self.tensor[self.index] = float(value)

    @property
    def grad(self) -> float:
        return 0.0 if self.tensor.grad is None else self.tensor.grad[self.index].item()

    @grad.setter
    def grad(self, value: float) -> None:
        if self.tensor.grad is None:
            self.tensor.grad = torch.zeros_like(self.tensor)
        self.tensor.grad[self.index] = float(value)


class _TorchNet:
    """Linear layers with activations, weights drawn from `rng` in the exercise's order (per
    neuron: its nin weights, then its bias); F.linear does the forward pass."""

    def __init__(self, sizes: list, rng: random.Random, activations: list, single: bool = False):
        self.layers = []
        for nin, nout in itertools.pairwise(sizes):
            rows = torch.tensor([[rng.uniform(-1.0, 1.0) for _ in range(nin + 1)]
                                 for _ in range(nout)], dtype=torch.float64)
            self.layers.append((rows[:, :nin].clone().requires_grad_(),
                                rows[:, nin].clone().requires_grad_()))
        self.activations, self.single = activations, single

    def __call__(self, x):
        h = torch.tensor([float(v) for v in x], dtype=torch.float64)
        functions = {"tanh": torch.tanh, "relu": F.relu, "linear": torch.clone}
        for (weight, bias), activation in zip(self.layers, self.activations, strict=True):
            h = functions[activation](F.linear(h, weight, bias))
        outputs = [_TorchValue(tensor=h[k]) for k in range(h.shape[0])]
        return outputs[0] if self.single else outputs

    def parameters(self) -> list:
        return [_Entry(tensor, index) for weight, bias in self.layers
                for j in range(weight.shape[0])
                for tensor, index in [*((weight, (j, i)) for i in range(weight.shape[1])),
                                      (bias, (j,))]]


def _torch_neuron(nin, rng, activation="tanh"):
    return _TorchNet([nin, 1], rng, [activation], single=True)


def _torch_layer(nin, nout, rng, activation="tanh"):
    return _TorchNet([nin, nout], rng, [activation])


def _torch_mlp(nin, nouts, rng, activation="tanh"):
    return _TorchNet([nin, *nouts], rng, [activation] * (len(nouts) - 1) + ["linear"])


TORCH = oracle("torch in float64 (gradients by torch.autograd)", Value=_TorchValue,
               Neuron=_torch_neuron, Layer=_torch_layer, MLP=_torch_mlp)
AGAINST_TORCH = CHECKS.defaults(expect=TORCH, compare=VALUES)


# ---- probes of small built expressions (shared with the hidden checks) --------------------------

def worked_example(impl) -> list:
    """The Value docstring's example, every node labelled: [a, b, c, f, e, d, L]."""
    a, b, c, f = impl.Value(2.0), impl.Value(-3.0), impl.Value(10.0), impl.Value(-2.0)
    e = a * b
    d = e + c
    out = d * f
    nodes = [a, b, c, f, e, d, out]
    for node, label in zip(nodes, "abcfedL", strict=True):
        node.label = label
    return nodes


def reuse_probe(impl, x0: float, loops: int) -> dict:
    """a + a, a * a, a - a, a / a, then c = c + c + 1 `loops` times."""
    a = impl.Value(x0)
    s, p = a + a, a * a
    q = a - a + a / a
    c = s * p + q
    for _ in range(loops):
        c = c + c + 1
    c.backward()
    return values_and_grads([a, s, p, q, c])


def chain_probe(impl, pattern: list, length: int, x0: float) -> dict:
    """A chain of `length` operations (one new node each), `pattern` repeated: "add_x" (v + x),
    "mul_x" (v * x), "tanh", "sigmoid", "neg"; the output's value and d output / dx."""
    x = impl.Value(x0)
    v = x
    for k in range(length):
        step = pattern[k % len(pattern)]
        if step == "add_x":
            v = v + x
        elif step == "mul_x":
            v = v * x
        elif step == "tanh":
            v = v.tanh()
        elif step == "sigmoid":
            v = v.sigmoid()
        else:
            v = -v
    v.backward()
    return {"value": number(v.data, "the output's data"), "grad_x": number(x.grad, "x.grad"),
            "grad_output": number(v.grad, "the output's grad")}


def pow_relu_probe(impl, cases: list) -> dict:
    """Each case [op, x, exponent] on a fresh leaf: the result and d result / dx."""
    out = {}
    for op, x0, exponent in cases:
        x = impl.Value(x0)
        y = x.relu() if op == "relu" else x ** exponent
        y.backward()
        name = f"relu({x0!r})" if op == "relu" else f"({x0!r}) ** {exponent!r}"
        out[name] = {"value": number(y.data, "the result's data"),
                     "grad": number(x.grad, "x.grad")}
    return out


def count_of(value: object, what: str) -> int:
    got = scalar(value, f"count_values() of {what}")
    if type(got) is not int:
        raise ProbeError(f"count_values() of {what} returned {type(value).__name__}, expected "
                         "an int")
    return got


def graph_out(value: object) -> dict:
    """graph()'s answer as plain lists: nodes [[id, label, op, data, grad]], edges [[i, j]]."""
    value = keyed(value, ("nodes", "edges"), "graph()")
    nodes = []
    for k, node in enumerate(value["nodes"]):
        if not isinstance(node, dict) or any(key not in node for key in
                                             ("id", "label", "op", "data", "grad")):
            raise ProbeError(f"graph()['nodes'][{k}] must be a dict with the keys 'id', 'label', "
                             "'op', 'data', 'grad'")
        if type(node["id"]) is not int or not isinstance(node["label"], str) \
                or not isinstance(node["op"], str):
            raise ProbeError(f"graph()['nodes'][{k}]: id must be an int, label and op strings")
        nodes.append([node["id"], str(node["label"]), str(node["op"]),
                      number(node["data"], f"node {k}'s data"),
                      number(node["grad"], f"node {k}'s grad")])
    edges = []
    for k, edge in enumerate(value["edges"]):
        if not isinstance(edge, (tuple, list)) or len(edge) != 2 \
                or any(type(i) is not int for i in edge):
            raise ProbeError(f"graph()['edges'][{k}] must be a pair of int ids (operand, result)")
        edges.append([edge[0], edge[1]])
    return {"nodes": nodes, "edges": edges}


# ---- compares ---------------------------------------------------------------------------------

def _keys(graph: dict) -> list:
    """A name for each node independent of the order chosen: its label, or for an unlabelled
    node (a wrapped constant) its data and the labels of the nodes that use it."""
    nodes = graph["nodes"]
    users: dict[int, list] = {i: [] for i in range(len(nodes))}
    for child, parent in graph["edges"]:
        if child in users and 0 <= parent < len(nodes):
            users[child].append(nodes[parent][1])
    return [label or f"<constant {data!r} used by {'/'.join(sorted(users[i]))}>"
            for i, (_, label, _, data, _) in enumerate(nodes)]


def same_graph(tolerance: Close):
    """The graph's structure against the expected one, whatever topological order and ids were
    chosen: nodes and edges named by label, ops exact, data and grads within `tolerance`; and the
    format's promises (ids are positions, edges distinct and from operand to result, operands
    before results, the output last)."""
    def compare(got: dict, want: dict) -> None:
        nodes, edges = got["nodes"], got["edges"]
        require([n[0] for n in nodes] == list(range(len(nodes))),
                "ids must be 0, 1, 2, ... in the order of the list", "nodes")
        require(all(0 <= i < len(nodes) for edge in edges for i in edge),
                "an edge names an id that is not in the node list", "edges")
        require(len({tuple(e) for e in edges}) == len(edges),
                "an edge appears more than once (one edge per distinct operand-result pair)",
                "edges")
        require(all(child < parent for child, parent in edges),
                "an edge goes from a later node to an earlier one: list operands before the "
                "results that use them, and write edges as (operand_id, result_id)", "edges")
        got_keys, want_keys = _keys(got), _keys(want)
        require(len(nodes) == len(want["nodes"]),
                f"{len(nodes)} nodes; the expected graph has a different number", "nodes")
        extra = sorted((Counter(got_keys) - Counter(want_keys)).elements())
        require(not extra, f"unexpected nodes {extra[:3]}", "nodes")
        require(got_keys[-1] == want_keys[-1], "the last node must be the output", "nodes")
        got_edges = Counter((got_keys[c], got_keys[p]) for c, p in edges)
        want_edges = Counter((want_keys[c], want_keys[p]) for c, p in want["edges"])
        wrong = sorted((got_edges - want_edges).elements())
        require(not wrong and got_edges == want_edges,
                f"{sum((want_edges - got_edges).values())} expected edges missing, unexpected "
                f"edges {wrong[:3]}", "edges")
        by_key = {key: node for key, node in zip(want_keys, want["nodes"], strict=True)}
        ops = [key for key, node in zip(got_keys, nodes, strict=True)
               if node[2] != by_key[key][2]]
        require(not ops, f"nodes with the wrong op: {ops[:5]}", "nodes")
        try:
            tolerance({key: node[3:] for key, node in zip(got_keys, nodes, strict=True)},
                      {key: node[3:] for key, node in by_key.items()})
        except Mismatch as mismatch:
            raise Mismatch(f"{mismatch} ([data, grad] of the node)", "nodes") from None
    return compare


# ---- Value: arithmetic, functions and backward --------------------------------------------------

@CHECKS.add("Value", expect=literal({"values": [2.0, -3.0, 10.0, -2.0, -6.0, 4.0, -8.0],
                                     "grads": [6.0, -4.0, -2.0, 4.0, -2.0, -2.0, 1.0]},
                                    "the Value docstring's worked example"),
            compare=EXACT,  # small integers: exact in floating point
            hint="__init__ stores float(data) and grad 0.0; + and * make a new Value with their "
                 "operands; backward sets L.grad = 1 and calls each node's _backward in reverse "
                 "topological order")
def worked_example_grads(impl, device):
    """a, b, c, f = 2, -3, 10, -2; e = a * b; d = e + c; L = d * f; L.backward(); values and
    grads of [a, b, c, f, e, d, L]"""
    nodes = worked_example(impl)
    nodes[-1].backward()
    return values_and_grads(nodes)


@AGAINST_TORCH.add("Value", hint=HINTS["program"])
def ops_match_torch(impl, device):
    """a random expression of 4 inputs and 30 operations (every operator, reflected ones, **,
    exp, log, tanh, relu, sigmoid); values and grads of every node in creation order (rebuild it:
    build_program(module, make_program(1, 'mixed', 4, 30)) from this file)"""
    return program_probe(impl, 1, "mixed", 4, 30)


@AGAINST_TORCH.add("Value", hint=HINTS["reuse"])
def node_reuse(impl, device):
    """a = 0.75; s = a + a; p = a * a; q = a - a + a / a; c = s * p + q; then c = c + c + 1 five
    times; values and grads of [a, s, p, q, c]"""
    return reuse_probe(impl, 0.75, 5)


@AGAINST_TORCH.add("Value", hint=HINTS["chain"])
def deep_chain_no_recursion_error(impl, device):
    """x = 0.5, then v = tanh(v + x) 2500 times: a chain of 5,001 nodes"""
    return chain_probe(impl, ["add_x", "tanh"], 5000, 0.5)


@AGAINST_TORCH.add("Value",
                   hint="(x^p)' = p * x^(p-1) for any number p (math.pow); relu'(x) is 1 for x > 0 "
                        "and 0 for x <= 0, so relu'(0) = 0")
def pow_and_relu_conventions(impl, device):
    """x ** p for x = 1.7 and p in -1, -2, 0.5, -0.5, 1.5; (-1.3) ** 3 and (-1.3) ** -2; relu at
    -1, 0 and 2"""
    return pow_relu_probe(impl, [["pow", 1.7, -1], ["pow", 1.7, -2], ["pow", 1.7, 0.5],
                                 ["pow", 1.7, -0.5], ["pow", 1.7, 1.5], ["pow", -1.3, 3],
                                 ["pow", -1.3, -2], ["relu", -1.0, None], ["relu", 0.0, None],
                                 ["relu", 2.0, None]])


# ---- Value: the graph and its size ---------------------------------------------------------------

WORKED_GRAPH = {"nodes": [[0, "a", "", 2.0, 6.0], [1, "b", "", -3.0, -4.0],
                          [2, "e", "*", -6.0, -2.0], [3, "c", "", 10.0, -2.0],
                          [4, "d", "+", 4.0, -2.0], [5, "f", "", -2.0, 4.0],
                          [6, "L", "*", -8.0, 1.0]],
                "edges": [[0, 2], [1, 2], [2, 4], [3, 4], [4, 6], [5, 6]]}


@CHECKS.add("Value", expect=literal(WORKED_GRAPH, "the worked example's graph"),
            compare=same_graph(EXACT),  # small integers: exact
            hint=HINTS["graph"])
def graph_of_worked_example(impl, device):
    """the worked example (nodes labelled a, b, c, f, e, d, L) after L.backward(); L.graph()"""
    nodes = worked_example(impl)
    nodes[-1].backward()
    return graph_out(nodes[-1].graph())


@CHECKS.add("Value", expect=literal({"Value(1.0)": 1, "a + a": 2, "a * 2": 3, "-a": 2,
                                     "a ** 2": 2, "2 - a": 3, "L": 7},
                                    "the count_values docstring's examples"),
            compare=EXACT,
            hint=HINTS["count"])
def count_values_examples(impl, device):
    """count_values() of Value(1.0), a + a, a * 2, -a, a ** 2, 2 - a and the worked example's L"""
    a = impl.Value(1.0)
    built = {"Value(1.0)": impl.Value(1.0), "a + a": a + a, "a * 2": a * 2, "-a": -a,
             "a ** 2": a ** 2, "2 - a": 2 - a, "L": worked_example(impl)[-1]}
    return {name: count_of(value.count_values(), name) for name, value in built.items()}


# ---- Neuron, Layer, MLP -------------------------------------------------------------------------

def make_net(impl, kind: str, nin: int, size, seed: int, activation: str | None):
    """activation None: the constructor's default ("tanh"), the argument left out."""
    rng = random.Random(seed)
    given = () if activation is None else (activation,)
    if kind == "Neuron":
        return impl.Neuron(nin, rng, *given)
    if kind == "Layer":
        return impl.Layer(nin, size, rng, *given)
    return impl.MLP(nin, size, rng, *given)


def samples_of(nin: int, n: int, seed: int, layout: str = "list") -> list:
    """n inputs of nin numbers: Python lists, or ("noncontiguous") strided float32 NumPy views,
    the columns of a C-ordered (nin, n) array."""
    rng = random.Random(seed)
    rows = [[round(rng.uniform(-2.0, 2.0), 4) for _ in range(n)] for _ in range(nin)]
    if layout == "noncontiguous":
        matrix = np.array(rows, dtype=np.float32)
        return [matrix[:, k] for k in range(n)]
    return [[row[k] for row in rows] for k in range(n)]


def net_probe(impl, kind: str, nin: int, size, activation: str | None, seed: int, n: int,
              steps: int = 0, lr: float = 0.05, layout: str = "list") -> dict:
    """Build the network from random.Random(seed); loss = sum over n samples and the outputs of
    (out - target)^2; one backward (steps = 0) or `steps` SGD steps (zero grads, forward,
    backward, p.data -= lr * p.grad). Returns the outputs, losses, parameters and grads."""
    net = make_net(impl, kind, nin, size, seed, activation)
    params = net.parameters()
    if not isinstance(params, list):
        raise ProbeError(f"{kind}.parameters() returned {type(params).__name__}, expected a list")
    samples = samples_of(nin, n, seed + 1, layout)
    targets = samples_of(1 if kind == "Neuron" else (size if kind == "Layer" else size[-1]),
                         n, seed + 2)
    initial = [number(p.data, f"parameter {k}'s data") for k, p in enumerate(params)]
    losses, outputs, grads = [], [], []
    for step in range(max(steps, 1)):
        for p in params:
            p.grad = 0.0
        loss = None
        for x, target in zip(samples, targets, strict=True):
            out = net(x)
            out = [out] if kind == "Neuron" else out
            if not isinstance(out, list) or len(out) != len(target):
                raise ProbeError(f"{kind}(x) returned {type(out).__name__}, expected a list of "
                                 f"{len(target)} Values")
            if step == 0:
                outputs.append([number(o.data, "an output's data") for o in out])
            for o, t in zip(out, target, strict=True):
                loss = (o - t) ** 2 if loss is None else loss + (o - t) ** 2
        loss.backward()
        losses.append(number(loss.data, "the loss"))
        if step == 0:
            grads = [number(p.grad, f"parameter {k}'s grad") for k, p in enumerate(params)]
        if steps:
            for p in params:
                p.data = p.data - lr * p.grad
    return {"outputs": outputs, "losses": losses, "initial": initial, "grads": grads,
            "final": [number(p.data, f"parameter {k}'s data") for k, p in enumerate(params)]}


# The networks matches_torch builds (nin 3, each class's default activation), for its case.
NETWORKS = {"Neuron": "Neuron(3, random.Random(10))", "Layer": "Layer(3, 2, random.Random(20))",
            "MLP": "MLP(3, [4, 4, 1], random.Random(30))"}


@AGAINST_TORCH.add(("Neuron", "Layer", "MLP"), hint=HINTS["net"],
                   case=lambda function: f"{NETWORKS[function]} (the default activation, 'tanh') "
                                         "on 4 samples; loss = sum (out - t)^2")
def matches_torch(impl, device, function):
    size, seed = {"Neuron": (None, 10), "Layer": (2, 20), "MLP": ([4, 4, 1], 30)}[function]
    return net_probe(impl, function, 3, size, None, seed, 4)

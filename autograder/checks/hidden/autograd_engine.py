"""Hidden checks of topic 5-05 (autograd_engine): longer random expressions (mixed, diamonds with
node reuse, deep chains), a 5,000-node chain of other operations, `a op a` and `c = c + c + 1`
reuse, backward on a fresh graph that shares leaves with an earlier one, the reflected operators,
negative and fractional exponents, domain errors, relu at 0, saturating inputs of +-800, float32
inputs, diamonds whose paths have different depths (the topological order), graphs and node
counts of known and random expressions, and the networks with relu, SGD steps, a batch of one,
float32 non-contiguous inputs and the generator's draws.
Graded mode shows a student only each check's name, pass or fail, and its hint. Tolerances are
written next to each check with the error the reference measured.
"""

from __future__ import annotations

import random

import numpy as np

from autograder.checks.public.autograd_engine import (
    HINTS,
    TORCH,
    VALUES,
    build_program,
    chain_probe,
    count_of,
    graph_out,
    make_program,
    net_probe,
    number,
    pow_relu_probe,
    program_probe,
    reuse_probe,
    same_graph,
    values_and_grads,
)
from autograder.runtime.check import CheckSet, literal
from autograder.runtime.compare import EXACT
from autograder.runtime.probing import raised

CHECKS = CheckSet("autograd_engine", "hidden")


# ---- Value: random expressions ------------------------------------------------------------------

PROGRAMS = {"float64": {"seed": 101, "kind": "mixed", "n_inputs": 5, "n_ops": 80},
            "diamond_node_reuse": {"seed": 102, "kind": "reuse", "n_inputs": 3, "n_ops": 80},
            "deep_chain": {"seed": 103, "kind": "chain", "n_inputs": 3, "n_ops": 400}}


@CHECKS.add("Value", expect=TORCH, compare=VALUES, variants=PROGRAMS,
            case="a random {kind} expression of {n_inputs} inputs and {n_ops} operations; values "
                 "and grads of every node",
            hint=HINTS["program"])
def matches_torch_random(impl, device, seed, kind, n_inputs, n_ops):
    return program_probe(impl, seed, kind, n_inputs, n_ops)


@CHECKS.add("Value", expect=TORCH, compare=VALUES,
            case="a program of 4 float32 inputs (NumPy scalars) and 40 operations",
            hint="__init__ stores float(data): a NumPy float32 times a Python float stays "
                 "float32 (NumPy 2), so an unconverted input computes in single precision")
def float32_inputs_promoted(impl, device):
    nodes = build_program(impl, make_program(104, "mixed", 4, 40), cast="float32")
    nodes[-1].backward()
    return {**values_and_grads(nodes),
            "types": sorted({type(n.data).__name__ for n in nodes} | {type(n.grad).__name__
                                                                      for n in nodes})}


# ---- Value: backward's order and accumulation ----------------------------------------------------

@CHECKS.add("Value", expect=TORCH, compare=VALUES,
            case="x = 0.3, then v = -sigmoid(v * x) repeated: a chain of 5,001 nodes",
            hint=HINTS["chain"])
def large_deep_chain(impl, device):
    return chain_probe(impl, ["mul_x", "sigmoid", "neg"], 5001, 0.3)


@CHECKS.add("Value", expect=TORCH, compare=VALUES,
            case="a = -1.25; a + a, a * a, a - a + a / a, then c = c + c + 1 twelve times",
            hint=HINTS["reuse"])
def node_reuse_self_ops(impl, device):
    return reuse_probe(impl, -1.25, 12)


@CHECKS.add("Value", expect=TORCH, compare=VALUES,
            case="x, a = tanh(x), b = a * 3, c = exp(b), d = c + a, out = d * a: a is used at "
                 "three depths; values and grads of every node",
            hint="process a node only after every node that uses it: reverse of a post-order "
                 "depth-first order (a node appended after all its operands), not the order in "
                 "which a stack or queue first reaches it")
def diamond_unequal_depths(impl, device):
    x = impl.Value(0.4)
    a = x.tanh()
    b = a * 3
    c = b.exp()
    d = c + a
    out = d * a
    out.backward()
    return values_and_grads([x, a, b, c, d, out])


@CHECKS.add("Value", expect=TORCH, compare=VALUES,
            case="x = 0.7, y = -1.3: backward of x * y + tanh(x); then of a fresh graph "
                 "(x - y) ** 2 + exp(y) without zeroing; then x.grad = y.grad = 0 and backward "
                 "of x / y + sigmoid(y)",
            hint="backward sets the output's grad to 1 and adds (+=) into every other node; it "
                 "does not reset the leaves, so a second graph's grads add to the first's until "
                 "you set p.grad = 0.0 yourself")
def fresh_graph_accumulates(impl, device):
    x, y = impl.Value(0.7), impl.Value(-1.3)
    f1 = x * y + x.tanh()
    f1.backward()
    first = [number(x.grad, "x.grad"), number(y.grad, "y.grad")]
    m = x - y
    f2 = m ** 2 + y.exp()
    f2.backward()
    second = [number(v.grad, "a grad") for v in (x, y, m, f2)]
    x.grad, y.grad = 0.0, 0.0
    f3 = x / y + y.sigmoid()
    f3.backward()
    return {"first": first, "second": second,
            "third": [number(v.grad, "a grad") for v in (x, y, f3)]}


# ---- Value: operators and conventions ------------------------------------------------------------

REFLECTED = ("2 + v", "2 - v", "2 * v", "2 / v", "v - 2", "v / 2", "3.5 + w", "-1 - w",
             "0.5 * w", "-3 / w", "v + 2", "w * 2")


def reflected(text: str, v, w):
    """One of REFLECTED, with the number on the side the text shows."""
    return {"2 + v": lambda: 2 + v, "2 - v": lambda: 2 - v, "2 * v": lambda: 2 * v,
            "2 / v": lambda: 2 / v, "v - 2": lambda: v - 2, "v / 2": lambda: v / 2,
            "3.5 + w": lambda: 3.5 + w, "-1 - w": lambda: -1 - w, "0.5 * w": lambda: 0.5 * w,
            "-3 / w": lambda: -3 / w, "v + 2": lambda: v + 2, "w * 2": lambda: w * 2}[text]()


@CHECKS.add("Value", expect=TORCH, compare=VALUES,
            case="v = 1.7, w = -0.6: 2 + v, 2 - v, 2 * v, 2 / v, v - 2, v / 2, 3.5 + w, -1 - w, "
                 "0.5 * w, -3 / w, v + 2, w * 2, each on fresh leaves with its own backward",
            hint="the number is on the left in 2 - v and 2 / v: __rsub__ computes other - self "
                 "and __rtruediv__ other / self (Value(2) - v, Value(2) / v), not v - 2 or v / 2")
def reflected_operators(impl, device):
    out = {}
    for text in REFLECTED:
        v, w = impl.Value(1.7), impl.Value(-0.6)
        y = reflected(text, v, w)
        y.backward()
        out[text] = [number(y.data, "the result's data"), number(v.grad, "v.grad"),
                     number(w.grad, "w.grad")]
    return out


@CHECKS.add("Value", expect=TORCH, compare=VALUES,
            case="x ** p for x = 2.3 and p in -1, -3, 0.5, -0.5, 2.5, 1/3; (-0.8) ** p for p "
                 "in 2, 3, -1, -2 (ints); 0.8 ** 0, 0 ** 2, 0 ** 3, 2.5 ** 1",
            hint="(x^p)' = p * x^(p-1) for every number p: the factor p, then the power p - 1; "
                 "use math.pow so an int or a negative exponent works alike")
def negative_exponent_fractional_exponent(impl, device):
    return pow_relu_probe(impl, [["pow", 2.3, -1], ["pow", 2.3, -3], ["pow", 2.3, 0.5],
                                 ["pow", 2.3, -0.5], ["pow", 2.3, 2.5], ["pow", 2.3, 1 / 3],
                                 ["pow", -0.8, 2], ["pow", -0.8, 3], ["pow", -0.8, -1],
                                 ["pow", -0.8, -2], ["pow", 0.8, 0], ["pow", 0.0, 2],
                                 ["pow", 0.0, 3], ["pow", 2.5, 1]])


@CHECKS.add("Value", expect=TORCH, compare=VALUES,
            case="relu at 0.0, -0.0, x - x (exactly 0), 1e-300 and -1e-300; the grad at each",
            hint="relu'(x) is 1 only for x > 0: at exactly 0 (0.0, -0.0, or x - x) it is 0, as "
                 "in torch")
def relu_at_zero(impl, device):
    out = pow_relu_probe(impl, [["relu", 0.0, None], ["relu", -0.0, None],
                                ["relu", 1e-300, None], ["relu", -1e-300, None]])
    x = impl.Value(0.9)
    y = (x - x).relu()
    y.backward()
    out["relu(x - x)"] = {"value": number(y.data, "the result's data"),
                          "grad": number(x.grad, "x.grad")}
    return out


@CHECKS.add("Value", expect=literal({"log(0)": "ValueError", "log(-1)": "ValueError",
                                     "(-2) ** 0.5": "ValueError", "(-8) ** (1/3)": "ValueError",
                                     "1 / Value(0)": "ZeroDivisionError",
                                     "Value(1) / 0": "ZeroDivisionError"},
                                    "the docstrings' domain rules (math's and float's errors)"),
            compare=EXACT,
            case="log(0), log(-1), (-2) ** 0.5, (-8) ** (1/3), 1 / Value(0), Value(1) / 0: the "
                 "exception each raises",
            hint="use the math module: math.log and math.pow raise ValueError outside their "
                 "domain, while Python's ** silently returns a complex number for a negative "
                 "base and a fractional exponent; float division by 0 raises ZeroDivisionError")
def domain_errors(impl, device):
    value = impl.Value
    return {"log(0)": raised(lambda: value(0.0).log()),
            "log(-1)": raised(lambda: value(-1.0).log()),
            "(-2) ** 0.5": raised(lambda: value(-2.0) ** 0.5),
            "(-8) ** (1/3)": raised(lambda: value(-8.0) ** (1 / 3)),
            "1 / Value(0)": raised(lambda: 1 / value(0.0)),
            "Value(1) / 0": raised(lambda: value(1.0) / 0)}


@CHECKS.add("Value", expect=TORCH, compare=VALUES,
            case="sigmoid, tanh at +-800; exp(-800), exp(700); sigmoid(-40); log(1e-300); "
                 "each leaf's grad",
            hint="sigmoid without overflow: exp(x) / (1 + exp(x)) for x < 0, so math.exp never "
                 "sees a large positive argument; tanh saturates to +-1 with derivative 0")
def large_inputs_saturate(impl, device):
    out = {}
    for name, x0 in (("sigmoid", 800.0), ("sigmoid", -800.0), ("tanh", 800.0),
                     ("tanh", -800.0), ("exp", -800.0), ("exp", 700.0), ("sigmoid", -40.0),
                     ("log", 1e-300)):
        x = impl.Value(x0)
        y = {"sigmoid": x.sigmoid, "tanh": x.tanh, "exp": x.exp, "log": x.log}[name]()
        y.backward()
        out[f"{name}({x0!r})"] = [number(y.data, "the result's data"), number(x.grad, "x.grad")]
    return out


# ---- Value: graph and count ----------------------------------------------------------------------

def diamond(impl):
    """x, y leaves; u = x * y; v = u + x; w = -u; z = (v / w) ** 2 + 3: reuse, a diamond, a
    constant, neg and pow."""
    x, y = impl.Value(1.5), impl.Value(-0.5)
    u = x * y
    v = u + x
    w = -u
    q = v / w
    p = q ** 2
    z = p + 3
    for node, label in zip((x, y, u, v, w, q, p, z), "xyuvwqpz", strict=True):
        node.label = label
    return z


DIAMOND_GRAPH = {"nodes": [[0, "x", "", 1.5, 0.0], [1, "y", "", -0.5, 0.0],
                           [2, "u", "*", -0.75, 0.0], [3, "v", "+", 0.75, 0.0],
                           [4, "w", "neg", 0.75, 0.0], [5, "q", "/", 1.0, 0.0],
                           [6, "p", "**", 1.0, 0.0], [7, "", "", 3.0, 0.0],
                           [8, "z", "+", 4.0, 0.0]],
                 "edges": [[0, 2], [1, 2], [2, 3], [0, 3], [2, 4], [3, 5], [4, 5], [5, 6],
                           [6, 8], [7, 8]]}


@CHECKS.add("Value", expect=literal(DIAMOND_GRAPH, "the structure of the built expression"),
            compare=same_graph(EXACT),  # every value is exact in binary floating point
            case="x = 1.5, y = -0.5; u = x * y; v = u + x; w = -u; q = v / w; p = q ** 2; "
                 "z = p + 3 (labelled); z.graph() before any backward",
            hint=HINTS["graph"] + "; -u is one 'neg' node, v / w one '/' node, q ** 2 one '**' "
                                  "node (the exponent is no node)")
def graph_structure_diamond(impl, device):
    return graph_out(diamond(impl).graph())


@CHECKS.add("Value", expect=TORCH, compare=same_graph(VALUES),
            case="a random expression with node reuse (3 inputs, 60 operations, labelled n0, "
                 "n1, ...) after backward; graph()",
            hint=HINTS["graph"])
def graph_matches_random_node_reuse(impl, device):
    nodes = build_program(impl, make_program(105, "reuse", 3, 60))
    nodes[-1].backward()
    return graph_out(nodes[-1].graph())


@CHECKS.add("Value", expect=literal({"diamond": 9, "a + a": 2, "c = c + c + 1 x10": 31,
                                     "a * a * a": 3, "2 / a": 3, "a ** -1": 2,
                                     "chain of 5000": 5001},
                                    "the counts of the built expressions"),
            compare=EXACT,
            case="count_values() of the graph-structure diamond, a + a, c = c + c + 1 ten times "
                 "from a leaf, a * a * a, 2 / a, a ** -1, and a chain of 5,000 operations",
            hint=HINTS["count"] + "; iteratively, so a chain of 5,000 works")
def count_values_node_reuse(impl, device):
    a = impl.Value(0.5)
    c = a
    for _ in range(10):
        c = c + c + 1
    chain = a
    for _ in range(5000):
        chain = chain.tanh()
    built = {"diamond": diamond(impl), "a + a": a + a, "c = c + c + 1 x10": c,
             "a * a * a": a * a * a, "2 / a": 2 / a, "a ** -1": a ** -1, "chain of 5000": chain}
    return {name: count_of(value.count_values(), name) for name, value in built.items()}


@CHECKS.add("Value", expect=TORCH, compare=EXACT,
            case="count_values() of three random expressions (mixed, reuse, chain)",
            hint=HINTS["count"])
def count_values_random(impl, device):
    counts = {}
    for seed, kind in ((106, "mixed"), (107, "reuse"), (108, "chain")):
        out = build_program(impl, make_program(seed, kind, 3, 60))[-1]
        counts[kind] = count_of(out.count_values(), f"a {kind} expression")
    return counts


# ---- Neuron, Layer, MLP --------------------------------------------------------------------------

@CHECKS.add("Neuron", expect=TORCH, compare=VALUES,
            case="Neuron(4, random.Random(11), 'relu') on 6 samples; loss = sum (out - t)^2",
            hint=HINTS["net"] + "; relu'(0) = 0")
def relu_matches_torch(impl, device):
    return net_probe(impl, "Neuron", 4, None, "relu", 11, 6)


@CHECKS.add("Neuron", expect=TORCH, compare=VALUES,
            case="Neuron(5, rng, 'linear') with rng = random.Random(12): its parameters(), then "
                 "rng.random() (one uniform draw per parameter, from rng only)",
            hint="w[0..nin-1] then b, each Value(rng.uniform(-1, 1)) from the rng you are given "
                 "(never the module-level random functions): the bias is drawn too")
def uses_the_generator(impl, device):
    rng = random.Random(12)
    neuron = impl.Neuron(5, rng, "linear")
    return {"parameters": [number(p.data, "a parameter's data") for p in neuron.parameters()],
            "next_draw": rng.random()}


@CHECKS.add("Layer", expect=TORCH, compare=VALUES,
            case="Layer(3, 4, random.Random(21), 'relu') on 5 samples; loss = sum (out - t)^2",
            hint=HINTS["net"])
def relu_matches_torch(impl, device):
    return net_probe(impl, "Layer", 3, 4, "relu", 21, 5)


@CHECKS.add("Layer", expect=TORCH, compare=VALUES,
            case="Layer(2, 1, random.Random(22), 'tanh') on a batch of one sample: a list of one "
                 "Value",
            hint="a Layer returns a list of its neurons' outputs, even with a single neuron; "
                 "neurons are created in order from the same rng")
def batch_of_one_single_neuron(impl, device):
    return net_probe(impl, "Layer", 2, 1, "tanh", 22, 1)


@CHECKS.add("MLP", expect=TORCH, compare=VALUES,
            case="MLP(3, [5, 4, 2], random.Random(31), 'relu') on 6 samples",
            hint=HINTS["net"] + "; no activation after the last layer")
def relu_matches_torch(impl, device):
    return net_probe(impl, "MLP", 3, [5, 4, 2], "relu", 31, 6)


@CHECKS.add("MLP", expect=TORCH, compare=VALUES,
            case="MLP(2, [4, 1], random.Random(32), 'tanh'): 5 SGD steps (lr 0.05) on 4 samples, "
                 "grads zeroed before each backward",
            hint="each step: p.grad = 0.0 for every parameter, a fresh forward pass, backward "
                 "(which sets the loss's grad to 1 and accumulates into the parameters), then "
                 "p.data -= lr * p.grad")
def sgd_steps_match_torch(impl, device):
    return net_probe(impl, "MLP", 2, [4, 1], "tanh", 32, 4, steps=5)


@CHECKS.add("MLP", expect=TORCH, compare=VALUES,
            case="MLP(3, [3, 1], random.Random(33), 'tanh') on a batch of one sample",
            hint=HINTS["net"])
def batch_of_one(impl, device):
    return net_probe(impl, "MLP", 3, [3, 1], "tanh", 33, 1)


@CHECKS.add("MLP", expect=TORCH, compare=VALUES,
            case="MLP(3, [4, 2], random.Random(34), 'tanh') on 4 samples that are strided "
                 "float32 NumPy views (columns of a (3, 4) array)",
            hint="x may be any sequence of numbers, NumPy float32 scalars included: wrap each in "
                 "a Value (float(x)) so the arithmetic is float64, and multiply Value * x, not "
                 "x * Value")
def float32_noncontiguous_input(impl, device):
    return net_probe(impl, "MLP", 3, [4, 2], "tanh", 34, 4, layout="noncontiguous")


def reference_facts(reference) -> list[str]:
    """The size of the graphs the checks build, for the CHANGELOG."""
    nodes = build_program(reference, make_program(103, "chain", 3, 400))
    return [f"deep_chain program: {len(nodes)} nodes, {nodes[-1].count_values()} Values stored",
            f"float32 promotion: {type(reference.Value(np.float32(0.1)).data).__name__}"]

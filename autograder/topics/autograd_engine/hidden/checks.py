"""Hidden checks of topic 5-05 (autograd_engine): longer random expressions (mixed, diamonds with
node reuse, deep chains), a 5,000-node chain of other operations, `a op a` and `c = c + c + 1`
reuse, backward on a fresh graph that shares leaves with an earlier one, the reflected operators,
negative and fractional exponents, domain errors, relu at 0, saturating inputs of +-800, float32
inputs, diamonds whose paths have different depths (the topological order), graphs and node
counts of known and random expressions, and the networks with relu, SGD steps, a batch of one,
float32 non-contiguous inputs and the generator's draws. The contract checks (CONTRACTS below):
exact types and keys (data, grad, _prev, graph()), queries that modify nothing, every documented
error, a single leaf and a preset output grad, unknown activations, draws from the given rng only
and an MLP that leaves its arguments alone.
Graded mode shows a student only each check's name, pass or fail, and its hint. Tolerances are
written next to each check with the error the reference measured.
"""

from __future__ import annotations

import random

import numpy as np

from autograder.runtime.check import NOTHING, REFERENCE, CheckSet, literal
from autograder.runtime.compare import EXACT, require
from autograder.runtime.probing import changed_arguments, raised, type_names
from autograder.topics.autograd_engine.public import (
    HINTS,
    TORCH,
    VALUES,
    build_program,
    chain_probe,
    count_of,
    graph_out,
    make_net,
    make_program,
    net_probe,
    number,
    pow_relu_probe,
    program_probe,
    reuse_probe,
    same_graph,
    samples_of,
    values_and_grads,
)

CHECKS = CheckSet("autograd_engine", "hidden")
AGAINST_TORCH = CHECKS.defaults(expect=TORCH, compare=VALUES)
AS_REFERENCE = CHECKS.defaults(expect=REFERENCE, compare=EXACT)

# The topic's own edge cases, each named in at least one hidden check (beside the pack's:
# float32, float64, large, noncontiguous, batch_of_one; tests/test_pack_rules.py).
EDGE_CASES = ("deep_chain", "node_reuse", "diamond", "fresh_graph", "reflected",
              "negative_exponent", "fractional_exponent", "relu_at_zero", "domain_errors",
              "saturate", "uses_the_generator")

# The contract kinds each graded class's docstrings state (autograder/contracts.py), each tested by
# the checks tagged with it.
CONTRACTS = {
    # data and grad Python floats, _prev a tuple, count_values() a Python int, graph()'s exact
    # types; float32 inputs become float64; graph() and count_values() modify nothing, backward
    # only grads; the documented math errors with their types; relu at 0, saturation, a leaf, a
    # preset output grad; graph()'s exact keys
    "Value": ("returns", "dtypes", "unchanged", "errors", "edges", "keys"),
    # a Value and a list of Values; ValueError for an unknown activation; nin + 1 draws from rng
    "Neuron": ("returns", "errors", "generator"),
    # a list even when nout is 1; the neurons draw in order from the one rng
    "Layer": ("returns", "edges", "generator"),
    # a list even for one output; nouts and x left unchanged; the layers draw from the one rng
    "MLP": ("returns", "unchanged", "edges", "generator"),
}
NOT_APPLICABLE: dict[str, dict[str, str]] = {}


# ---- Value: random expressions ------------------------------------------------------------------

PROGRAMS = {"float64": {"seed": 101, "kind": "mixed", "n_inputs": 5, "n_ops": 80},
            "diamond_node_reuse": {"seed": 102, "kind": "reuse", "n_inputs": 3, "n_ops": 80},
            "deep_chain": {"seed": 103, "kind": "chain", "n_inputs": 3, "n_ops": 400}}


@AGAINST_TORCH.add("Value", variants=PROGRAMS, hint=HINTS["program"])
def matches_torch_random(impl, device, seed, kind, n_inputs, n_ops):
    """a random {kind} expression of {n_inputs} inputs and {n_ops} operations; values and grads
    of every node"""
    return program_probe(impl, seed, kind, n_inputs, n_ops)


@AGAINST_TORCH.add("Value", contract=("returns", "dtypes"),
                   hint="__init__ stores float(data): a NumPy float32 times a Python float stays "
                        "float32 (NumPy 2), so an unconverted input computes in single precision")
def float32_inputs_promoted(impl, device):
    """a program of 4 float32 inputs (NumPy scalars) and 40 operations"""
    nodes = build_program(impl, make_program(104, "mixed", 4, 40), cast="float32")
    nodes[-1].backward()
    return {**values_and_grads(nodes),
            "types": sorted({type(n.data).__name__ for n in nodes} | {type(n.grad).__name__
                                                                      for n in nodes})}


# ---- Value: backward's order and accumulation ----------------------------------------------------

@AGAINST_TORCH.add("Value", hint=HINTS["chain"])
def large_deep_chain(impl, device):
    """x = 0.3, then v = -sigmoid(v * x) repeated: a chain of 5,001 nodes"""
    return chain_probe(impl, ["mul_x", "sigmoid", "neg"], 5001, 0.3)


@AGAINST_TORCH.add("Value", hint=HINTS["reuse"])
def node_reuse_self_ops(impl, device):
    """a = -1.25; a + a, a * a, a - a + a / a, then c = c + c + 1 twelve times"""
    return reuse_probe(impl, -1.25, 12)


@AGAINST_TORCH.add("Value",
                   hint="process a node only after every node that uses it: reverse of a "
                        "post-order depth-first order (a node appended after all its operands), "
                        "not the order in which a stack or queue first reaches it")
def diamond_unequal_depths(impl, device):
    """x, a = tanh(x), b = a * 3, c = exp(b), d = c + a, out = d * a: a is used at three depths;
    values and grads of every node"""
    x = impl.Value(0.4)
    a = x.tanh()
    b = a * 3
    c = b.exp()
    d = c + a
    out = d * a
    out.backward()
    return values_and_grads([x, a, b, c, d, out])


@AGAINST_TORCH.add("Value",
                   hint="backward sets the output's grad to 1 and adds (+=) into every other node; "
                        "it does not reset the leaves, so a second graph's grads add to the "
                        "first's until you set p.grad = 0.0 yourself")
def fresh_graph_accumulates(impl, device):
    """x = 0.7, y = -1.3: backward of x * y + tanh(x); then of a fresh graph
    (x - y) ** 2 + exp(y) without zeroing; then x.grad = y.grad = 0 and backward of
    x / y + sigmoid(y)"""
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


@AGAINST_TORCH.add("Value",
                   hint="the number is on the left in 2 - v and 2 / v: __rsub__ computes "
                        "other - self and __rtruediv__ other / self (Value(2) - v, Value(2) / v), "
                        "not v - 2 or v / 2")
def reflected_operators(impl, device):
    """v = 1.7, w = -0.6: 2 + v, 2 - v, 2 * v, 2 / v, v - 2, v / 2, 3.5 + w, -1 - w, 0.5 * w,
    -3 / w, v + 2, w * 2, each on fresh leaves with its own backward"""
    out = {}
    for text in REFLECTED:
        v, w = impl.Value(1.7), impl.Value(-0.6)
        y = reflected(text, v, w)
        y.backward()
        out[text] = [number(y.data, "the result's data"), number(v.grad, "v.grad"),
                     number(w.grad, "w.grad")]
    return out


@AGAINST_TORCH.add("Value",
                   hint="(x^p)' = p * x^(p-1) for every number p: the factor p, then the power "
                        "p - 1; use math.pow so an int or a negative exponent works alike")
def negative_exponent_fractional_exponent(impl, device):
    """x ** p for x = 2.3 and p in -1, -3, 0.5, -0.5, 2.5, 1/3; (-0.8) ** p for p in 2, 3, -1,
    -2 (ints); 0.8 ** 0, 0 ** 2, 0 ** 3, 2.5 ** 1"""
    return pow_relu_probe(impl, [["pow", 2.3, -1], ["pow", 2.3, -3], ["pow", 2.3, 0.5],
                                 ["pow", 2.3, -0.5], ["pow", 2.3, 2.5], ["pow", 2.3, 1 / 3],
                                 ["pow", -0.8, 2], ["pow", -0.8, 3], ["pow", -0.8, -1],
                                 ["pow", -0.8, -2], ["pow", 0.8, 0], ["pow", 0.0, 2],
                                 ["pow", 0.0, 3], ["pow", 2.5, 1]])


@AGAINST_TORCH.add("Value", contract="edges",
                   hint="relu'(x) is 1 only for x > 0: at exactly 0 (0.0, -0.0, or x - x) it is 0, "
                        "as in torch")
def relu_at_zero(impl, device):
    """relu at 0.0, -0.0, x - x (exactly 0), 1e-300 and -1e-300; the grad at each"""
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
            compare=EXACT, contract="errors",
            hint="use the math module: math.log and math.pow raise ValueError outside their "
                 "domain, while Python's ** silently returns a complex number for a negative "
                 "base and a fractional exponent; float division by 0 raises ZeroDivisionError")
def domain_errors(impl, device):
    """log(0), log(-1), (-2) ** 0.5, (-8) ** (1/3), 1 / Value(0), Value(1) / 0: the exception
    each raises"""
    value = impl.Value
    return {"log(0)": raised(lambda: value(0.0).log()),
            "log(-1)": raised(lambda: value(-1.0).log()),
            "(-2) ** 0.5": raised(lambda: value(-2.0) ** 0.5),
            "(-8) ** (1/3)": raised(lambda: value(-8.0) ** (1 / 3)),
            "1 / Value(0)": raised(lambda: 1 / value(0.0)),
            "Value(1) / 0": raised(lambda: value(1.0) / 0)}


@AGAINST_TORCH.add("Value", contract="edges",
                   hint="sigmoid without overflow: exp(x) / (1 + exp(x)) for x < 0, so math.exp "
                        "never sees a large positive argument; tanh saturates to +-1 with "
                        "derivative 0")
def large_inputs_saturate(impl, device):
    """sigmoid, tanh at +-800; exp(-800), exp(700); sigmoid(-40); log(1e-300); each leaf's grad"""
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
            hint=HINTS["graph"] + "; -u is one 'neg' node, v / w one '/' node, q ** 2 one '**' "
                                  "node (the exponent is no node)")
def graph_structure_diamond(impl, device):
    """x = 1.5, y = -0.5; u = x * y; v = u + x; w = -u; q = v / w; p = q ** 2; z = p + 3
    (labelled); z.graph() before any backward"""
    return graph_out(diamond(impl).graph())


@CHECKS.add("Value", expect=TORCH, compare=same_graph(VALUES),
            hint=HINTS["graph"])
def graph_matches_random_node_reuse(impl, device):
    """a random expression with node reuse (3 inputs, 60 operations, labelled n0, n1, ...) after
    backward; graph()"""
    nodes = build_program(impl, make_program(105, "reuse", 3, 60))
    nodes[-1].backward()
    return graph_out(nodes[-1].graph())


@CHECKS.add("Value", expect=literal({"diamond": 9, "a + a": 2, "c = c + c + 1 x10": 31,
                                     "a * a * a": 3, "2 / a": 3, "a ** -1": 2,
                                     "chain of 5000": 5001},
                                    "the counts of the built expressions"),
            compare=EXACT,
            hint=HINTS["count"] + "; iteratively, so a chain of 5,000 works")
def count_values_node_reuse(impl, device):
    """count_values() of the graph-structure diamond, a + a, c = c + c + 1 ten times from a leaf,
    a * a * a, 2 / a, a ** -1, and a chain of 5,000 operations"""
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
            hint=HINTS["count"])
def count_values_random(impl, device):
    """count_values() of three random expressions (mixed, reuse, chain)"""
    counts = {}
    for seed, kind in ((106, "mixed"), (107, "reuse"), (108, "chain")):
        out = build_program(impl, make_program(seed, kind, 3, 60))[-1]
        counts[kind] = count_of(out.count_values(), f"a {kind} expression")
    return counts


# ---- Neuron, Layer, MLP --------------------------------------------------------------------------

@AGAINST_TORCH.add("Neuron", hint=HINTS["net"] + "; relu'(0) = 0")
def relu_matches_torch(impl, device):
    """Neuron(4, random.Random(11), 'relu') on 6 samples; loss = sum (out - t)^2"""
    return net_probe(impl, "Neuron", 4, None, "relu", 11, 6)


@AGAINST_TORCH.add("Neuron", contract="generator",
                   hint="w[0..nin-1] then b, each Value(rng.uniform(-1, 1)) from the rng you are "
                        "given (never the module-level random functions): the bias is drawn too")
def uses_the_generator(impl, device):
    """Neuron(5, rng, 'linear') with rng = random.Random(12): its parameters(), then rng.random()
    (one uniform draw per parameter, from rng only)"""
    rng = random.Random(12)
    neuron = impl.Neuron(5, rng, "linear")
    return {"parameters": [number(p.data, "a parameter's data") for p in neuron.parameters()],
            "next_draw": rng.random()}


@AGAINST_TORCH.add("Layer", name="relu_matches_torch", hint=HINTS["net"])
def layer_relu_matches_torch(impl, device):
    """Layer(3, 4, random.Random(21), 'relu') on 5 samples; loss = sum (out - t)^2"""
    return net_probe(impl, "Layer", 3, 4, "relu", 21, 5)


@AGAINST_TORCH.add("Layer", contract="edges",
                   hint="a Layer returns a list of its neurons' outputs, even with a single "
                        "neuron; neurons are created in order from the same rng")
def batch_of_one_single_neuron(impl, device):
    """Layer(2, 1, random.Random(22), 'tanh') on a batch of one sample: a list of one Value"""
    return net_probe(impl, "Layer", 2, 1, "tanh", 22, 1)


@AGAINST_TORCH.add("MLP", name="relu_matches_torch",
                   hint=HINTS["net"] + "; no activation after the last layer")
def mlp_relu_matches_torch(impl, device):
    """MLP(3, [5, 4, 2], random.Random(31), 'relu') on 6 samples"""
    return net_probe(impl, "MLP", 3, [5, 4, 2], "relu", 31, 6)


@AGAINST_TORCH.add("MLP",
                   hint="each step: p.grad = 0.0 for every parameter, a fresh forward pass, "
                        "backward (which sets the loss's grad to 1 and accumulates into the "
                        "parameters), then p.data -= lr * p.grad")
def sgd_steps_match_torch(impl, device):
    """MLP(2, [4, 1], random.Random(32), 'tanh'): 5 SGD steps (lr 0.05) on 4 samples, grads
    zeroed before each backward"""
    return net_probe(impl, "MLP", 2, [4, 1], "tanh", 32, 4, steps=5)


@AGAINST_TORCH.add("MLP", contract="edges", hint=HINTS["net"])
def batch_of_one(impl, device):
    """MLP(3, [3, 1], random.Random(33), 'tanh') on a batch of one sample"""
    return net_probe(impl, "MLP", 3, [3, 1], "tanh", 33, 1)


@AGAINST_TORCH.add("MLP",
                   hint="x may be any sequence of numbers, NumPy float32 scalars included: wrap "
                        "each in a Value (float(x)) so the arithmetic is float64, and multiply "
                        "Value * x, not x * Value")
def float32_noncontiguous_input(impl, device):
    """MLP(3, [4, 2], random.Random(34), 'tanh') on 4 samples that are strided float32 NumPy
    views (columns of a (3, 4) array)"""
    return net_probe(impl, "MLP", 3, [4, 2], "tanh", 34, 4, layout="noncontiguous")


# ---- contracts: exact types and keys, nothing modified, errors, edges, the generator -------------

def all_hold(got: dict, want: None) -> None:
    """A property probe's entries, each named by what must hold, are all True."""
    failed = [name for name, held in got.items() if held is not True]
    require(not failed, f"did not hold: {failed}")


def nothing_changed(got: dict, want: None) -> None:
    """Each entry is changed_arguments' answer for one call: it returned and modified nothing."""
    for call, answer in got.items():
        require(answer["raised"] is None, f"raised {answer['raised']}", call)
        require(answer["changed"] == [], f"modified the arguments {answer['changed']}", call)


def attribute_types(v) -> dict:
    """The exact types of a Value's documented attributes."""
    return {"data": type_names(v.data), "grad": type_names(v.grad), "_prev": type_names(v._prev),
            "_op": type_names(v._op), "label": type_names(v.label)}


@AS_REFERENCE.add("Value", contract="returns",
                  hint="data and grad are Python floats (float(data); grad 0.0, not 0), _prev a "
                       "tuple of the operands ((a, a) for a + a, () for a leaf), _op and label "
                       "strings; every operation returns a new Value, backward() returns None and "
                       "count_values() a Python int")
def exact_types(impl, device):
    """the types of data, grad, _prev, _op and label of Value(2) (an int), of a + a and of a
    result before and after backward; what every operator and function, backward() and
    count_values() return"""
    fresh = attribute_types(impl.Value(2))
    a, b = impl.Value(3), impl.Value(-1.5)
    results = {"v + 2": b + 2, "2 + v": 2 + b, "v - w": a - b, "2 - v": 2 - b, "v * w": a * b,
               "2 * v": 2 * b, "v / w": a / b, "2 / v": 2 / b, "-v": -b, "v ** 2": b ** 2,
               "v ** -0.5": a ** -0.5, "exp": b.exp(), "log": a.log(), "tanh": b.tanh(),
               "relu": b.relu(), "sigmoid": b.sigmoid()}
    s = a + a
    out = s * b + 3
    built = {"a + a": attribute_types(s), "out": attribute_types(out)}
    returned = out.backward()
    return {"Value(2)": fresh, "built": built,
            "results": {name: type_names(value) for name, value in results.items()},
            "result attributes": {name: attribute_types(value) for name, value in results.items()},
            "backward()": type_names(returned),
            "after backward": {"a": attribute_types(a), "a + a": attribute_types(s),
                               "out": attribute_types(out)},
            "count_values()": type_names(out.count_values())}


@AS_REFERENCE.add("Value", contract=("returns", "keys"),
                  hint="graph() returns a dict with exactly the keys 'nodes' and 'edges'; each "
                       "node a dict with exactly 'id' (int), 'label' (str), 'op' (str), 'data' and "
                       "'grad' (Python floats); edges a list of (operand_id, result_id) tuples of "
                       "ints")
def graph_exact_keys_and_types(impl, device):
    """the graph-structure diamond's z.graph() before and after backward: the exact keys and the
    type of every entry"""
    z = diamond(impl)
    before = type_names(z.graph())
    z.backward()
    return {"before backward": before, "after backward": type_names(z.graph())}


def node_states(nodes: list) -> list:
    """Each node's data, grad, label, op and operands (as positions in `nodes`, -1 for a node
    not in the list: a wrapped constant)."""
    position = {id(node): k for k, node in enumerate(nodes)}
    return [[node.data, node.grad, node.label, node._op,
             [position.get(id(child), -1) for child in node._prev]] for node in nodes]


@CHECKS.add("Value", expect=NOTHING, compare=all_hold, contract="unchanged",
            hint="graph() and count_values() only read the graph: they change no node's data, "
                 "grad, label, op or operands and give the same answer when called again (keep "
                 "visited nodes in a local set, not in a flag on the nodes); backward changes "
                 "only grads; an operation that raises changes nothing")
def queries_leave_graph_unchanged(impl, device):
    """a random expression with node reuse (3 inputs, 40 operations): graph() and count_values()
    of the output and of a middle node, twice, before and after backward; backward;
    log, ** and / that raise"""
    nodes = build_program(impl, make_program(109, "reuse", 3, 40))
    out, middle = nodes[-1], nodes[len(nodes) // 2]
    built = node_states(nodes)
    answers = []
    for _ in range(2):
        answers.append([graph_out(out.graph()), count_of(out.count_values(), "the output"),
                        graph_out(middle.graph()), count_of(middle.count_values(), "a node")])
    unchanged_before = node_states(nodes) == built
    out.backward()
    trained = node_states(nodes)
    for _ in range(2):
        answers.append([graph_out(out.graph()), count_of(out.count_values(), "the output"),
                        graph_out(middle.graph()), count_of(middle.count_values(), "a node")])
    x, zero = impl.Value(-2.0), impl.Value(0.0)
    x.grad, zero.grad = 0.25, -0.5
    errors = [raised(x.log), raised(lambda: x ** 0.5), raised(lambda: impl.Value(1.0) / zero),
              raised(lambda: 3 / zero)]
    return {"graph() and count_values() change no node before backward": unchanged_before,
            "graph() and count_values() change no node after backward":
                node_states(nodes) == trained,
            "backward() changes grads only (data, labels, ops and operands stay)":
                [state[:1] + state[2:] for state in trained]
                == [state[:1] + state[2:] for state in built],
            "graph() and count_values() give the same answers when called again":
                answers[0] == answers[1] and answers[2] == answers[3],
            "the operations raise": None not in errors,
            "an operation that raises leaves its operands unchanged":
                [x.data, x.grad, zero.data, zero.grad] == [-2.0, 0.25, 0.0, -0.5]}


@CHECKS.add("Value", expect=literal({"v ** Value(2)": "TypeError", "exp(710)": "OverflowError",
                                     "2 / Value(0)": "ZeroDivisionError",
                                     "Value(0) / Value(0)": "ZeroDivisionError",
                                     "log(-0.0)": "ValueError", "(-8) ** 2.5": "ValueError",
                                     "(-2) ** -0.5": "ValueError"},
                                    "the docstrings' errors"),
            compare=EXACT, contract="errors",
            hint="a Value exponent raises TypeError (float(exponent) or math.pow refuses it; no "
                 "assert, which raises AssertionError); math.exp overflows with OverflowError; "
                 "math.pow and math.log raise ValueError outside their domain; dividing by 0 "
                 "raises ZeroDivisionError")
def errors_of_every_operation(impl, device):
    """v ** Value(2), exp(710), 2 / Value(0), Value(0) / Value(0), log(-0.0), (-8) ** 2.5,
    (-2) ** -0.5: the exception each raises"""
    value = impl.Value
    return {"v ** Value(2)": raised(lambda: value(1.5) ** value(2.0)),
            "exp(710)": raised(lambda: value(710.0).exp()),
            "2 / Value(0)": raised(lambda: 2 / value(0.0)),
            "Value(0) / Value(0)": raised(lambda: value(0.0) / value(0.0)),
            "log(-0.0)": raised(lambda: value(-0.0).log()),
            "(-8) ** 2.5": raised(lambda: value(-8.0) ** 2.5),
            "(-2) ** -0.5": raised(lambda: value(-2.0) ** -0.5)}


@CHECKS.add("Value", expect=literal({"leaf": {"grad": 1.0, "count": 1, "operands": 0,
                                              "graph": {"nodes": [[0, "x", "", 2.5, 1.0]],
                                                        "edges": []}},
                                     "preset": {"out.grad": 1.0, "y.grad": 3.0}},
                                    "the backward and graph docstrings"),
            compare=EXACT,  # small binary fractions: exact
            contract="edges",
            hint="a leaf's graph is itself alone (one node, no edges, () operands) and its "
                 "backward sets its grad to 1.0; backward sets the output's grad to 1.0 "
                 "whatever it held before (=, not +=)")
def single_leaf_and_preset_grad(impl, device):
    """x = Value(2.5) (labelled x), a leaf: x.backward(), then its grad, count_values(), operands
    and graph(); out = y * 3 with out.grad set to 7.0 before out.backward()"""
    x = impl.Value(2.5)
    x.label = "x"
    x.backward()
    leaf = {"grad": number(x.grad, "x.grad"), "count": count_of(x.count_values(), "a leaf"),
            "operands": len(x._prev), "graph": graph_out(x.graph())}
    y = impl.Value(-1.5)
    out = y * 3
    out.grad = 7.0
    out.backward()
    return {"leaf": leaf, "preset": {"out.grad": number(out.grad, "out.grad"),
                                     "y.grad": number(y.grad, "y.grad")}}


def built_types(impl, kind: str, nin: int, size, activation, seed: int) -> dict:
    """The exact types of what a network returns for one sample and of its parameters()."""
    net = make_net(impl, kind, nin, size, seed, activation)
    return {"call": type_names(net(samples_of(nin, 1, seed + 1)[0])),
            "parameters()": type_names(net.parameters())}


def draws(impl, kind: str, nin: int, size, seed: int) -> dict:
    """Build a network from random.Random(seed) and run it on one sample: the next draw of that
    rng (how many draws were taken from it), the number of parameters, and whether Python's
    global random state was left alone."""
    state = random.getstate()
    rng = random.Random(seed)
    if kind == "Neuron":
        net = impl.Neuron(nin, rng)
    elif kind == "Layer":
        net = impl.Layer(nin, size, rng)
    else:
        net = impl.MLP(nin, size, rng)
    net(samples_of(nin, 1, seed + 1)[0])
    untouched = random.getstate() == state
    return {"next_draw": rng.random(), "parameters": len(net.parameters()),
            "global_random_untouched": untouched}


def activation_error(impl, name: str) -> str | None:
    """What Neuron(3, rng, name) raises when built and called (a check at either time passes)."""
    return raised(lambda: impl.Neuron(3, random.Random(13), name)([0.5, -1.0, 2.0]))


ACTIVATION_NAMES = ("tanh", "relu", "linear", "sigmoid", "exp", "softmax", "")


@CHECKS.add("Neuron", expect=literal({"tanh": None, "relu": None, "linear": None,
                                      "sigmoid": "ValueError", "exp": "ValueError",
                                      "softmax": "ValueError", "": "ValueError"},
                                     "the Neuron docstring"),
            compare=EXACT, contract="errors",
            hint="only 'tanh', 'relu' and 'linear' are activations; any other name raises "
                 "ValueError (check the name: not a KeyError from the dict lookup, not a silent "
                 "fallback to no activation, not another Value method such as exp)")
def unknown_activation_raises(impl, device):
    """Neuron(3, rng, name) built and called for the names tanh, relu, linear, sigmoid, exp,
    softmax and '' (empty)"""
    return {name: activation_error(impl, name) for name in ACTIVATION_NAMES}


@AS_REFERENCE.add("Neuron", contract="returns", name="exact_types",
                  hint="neuron(x) returns one Value (for 'linear' too), parameters() a list of the "
                       "nin + 1 Value objects")
def neuron_exact_types(impl, device):
    """Neuron(3, rng, act) for act tanh, relu, linear: the types of neuron(x) and of parameters()"""
    return {act: built_types(impl, "Neuron", 3, None, act, 14)
            for act in ("tanh", "relu", "linear")}


@AS_REFERENCE.add("Neuron", contract="generator",
                  hint="draw the nin + 1 parameters with rng.uniform(-1, 1) from the rng you are "
                       "given: never the module-level random functions, never rng.seed or a new "
                       "Random")
def draws_only_from_rng(impl, device):
    """Neuron(4, random.Random(15)) built and called: the rng's next draw, the number of
    parameters, Python's global random state"""
    return draws(impl, "Neuron", 4, None, 15)


@AS_REFERENCE.add("Layer", contract="returns", name="exact_types",
                  hint="layer(x) returns a list of nout Values, a list of one Value when nout is 1 "
                       "(not the Value itself); parameters() a list of Values")
def layer_exact_types(impl, device):
    """Layer(3, 1, rng) and Layer(2, 3, rng, 'relu'): the types of layer(x) and of parameters()"""
    return {"Layer(3, 1)": built_types(impl, "Layer", 3, 1, None, 23),
            "Layer(2, 3, relu)": built_types(impl, "Layer", 2, 3, "relu", 24)}


@AS_REFERENCE.add("Layer", contract="generator", name="draws_only_from_rng",
                  hint="create the nout neurons in order, each drawing from the same rng you are "
                       "given (not a copy, a new Random or the module-level random functions)")
def layer_draws_only_from_rng(impl, device):
    """Layer(3, 4, random.Random(25)) built and called: the rng's next draw, the number of
    parameters, Python's global random state"""
    return draws(impl, "Layer", 3, 4, 25)


@AS_REFERENCE.add("MLP", contract="returns", name="exact_types",
                  hint="mlp(x) returns the last layer's list of Values, a list even for one "
                       "output; parameters() a list of Values")
def mlp_exact_types(impl, device):
    """MLP(3, [4, 1], rng) and MLP(2, [3, 2], rng, 'relu'): the types of mlp(x) and of
    parameters()"""
    return {"MLP(3, [4, 1])": built_types(impl, "MLP", 3, [4, 1], None, 36),
            "MLP(2, [3, 2], relu)": built_types(impl, "MLP", 2, [3, 2], "relu", 37)}


@AS_REFERENCE.add("MLP", contract="generator", name="draws_only_from_rng",
                  hint="create the layers in order from the one rng you are given (41 draws for "
                       "MLP(3, [4, 4, 1])): never the module-level random functions, rng.seed or a "
                       "new Random")
def mlp_draws_only_from_rng(impl, device):
    """MLP(3, [4, 4, 1], random.Random(38)) built and called: the rng's next draw, the number of
    parameters, Python's global random state"""
    return draws(impl, "MLP", 3, [4, 4, 1], 38)


@CHECKS.add("MLP", expect=NOTHING, compare=nothing_changed, contract="unchanged",
            hint="read nouts without changing it (sizes = [nin, *nouts], not nouts.insert(0, "
                 "nin)) and x without converting it in place")
def leaves_arguments_unchanged(impl, device):
    """MLP(3, nouts, rng) with nouts the list [4, 3, 2]; then mlp(x) for x a list of 3 numbers:
    which arguments each call modified"""
    made = []
    answers = {"MLP(3, nouts, rng)": changed_arguments(
        lambda nouts: made.append(impl.MLP(3, nouts, random.Random(39))), nouts=[4, 3, 2])}
    if made:
        answers["mlp(x)"] = changed_arguments(lambda x: made[0](x), x=[0.5, -1.25, 2.0])
    return answers


def reference_facts(reference) -> list[str]:
    """The size of the graphs the checks build, for the CHANGELOG."""
    nodes = build_program(reference, make_program(103, "chain", 3, 400))
    return [f"deep_chain program: {len(nodes)} nodes, {nodes[-1].count_values()} Values stored",
            f"float32 promotion: {type(reference.Value(np.float32(0.1)).data).__name__}"]

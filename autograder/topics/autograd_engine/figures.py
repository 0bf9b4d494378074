"""5-05 figures: the computational graph of a neuron, drawn from the student's `Value.graph()`,
and the student's tiny MLP training on four samples."""

from __future__ import annotations

import random
from types import ModuleType

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from autograder.figures.common import figure, panels, style

TOPIC = "autograd_engine"
OP_SYMBOLS = {"neg": "-x", "**": "x^k"}  # the other ops read well as they are
SAMPLES = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
TARGETS = [1.0, -1.0, -1.0, 1.0]
STEPS = 40
LR = 0.05


def _neuron(m: ModuleType):
    """o = tanh(x1*w1 + x2*w2 + b), micrograd's example, with every node labelled."""
    x1, x2 = m.Value(2.0, label="x1"), m.Value(0.0, label="x2")
    w1, w2 = m.Value(-3.0, label="w1"), m.Value(1.0, label="w2")
    b = m.Value(6.8813735870195432, label="b")
    x1w1, x2w2 = x1 * w1, x2 * w2
    x1w1.label, x2w2.label = "x1*w1", "x2*w2"
    total = x1w1 + x2w2
    total.label = "x1*w1 + x2*w2"
    n = total + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o


def _layout(nodes: list[dict], edges: list[tuple[int, int]]) -> dict[int, tuple[float, float]]:
    """Column = the longest path from a leaf (nodes come in topological order), a leaf just
    left of its first use; rows spread evenly within a column."""
    operands: dict[int, list[int]] = {node["id"]: [] for node in nodes}
    for source, target in edges:
        operands[target].append(source)
    column: dict[int, int] = {}
    for node in nodes:
        column[node["id"]] = 1 + max((column[s] for s in operands[node["id"]]), default=-1)
    for leaf in (i for i, sources in operands.items() if not sources):
        uses = [column[target] for source, target in edges if source == leaf]
        column[leaf] = min(uses, default=1) - 1
    positions = {}
    for c in sorted(set(column.values())):
        members = sorted(i for i in column if column[i] == c)
        for row, i in enumerate(members):
            positions[i] = (3.0 * c, (len(members) - 1) / 2 - row)
    return positions


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float]) -> None:
    ax.annotate("", xy=end, xytext=start,
                arrowprops={"arrowstyle": "->", "color": "gray", "shrinkA": 0, "shrinkB": 0})


def _draw_graph(ax: Axes, graph: dict) -> None:
    nodes, edges = graph["nodes"], [tuple(e) for e in graph["edges"]]
    where = _layout(nodes, edges)
    for node in nodes:
        x, y = where[node["id"]]
        name = node["label"] or f"#{node['id']}"
        ax.text(x, y, f"{name}\ndata {node['data']:.4f}\ngrad {node['grad']:.4f}", ha="center",
                va="center", fontsize=7.5, bbox={"boxstyle": "round", "facecolor": "#deebf7",
                                                 "edgecolor": "#3182bd"})
        if node["op"]:  # the operation that made it, as a circle just before its box
            ax.text(x - 1.35, y, OP_SYMBOLS.get(node["op"], node["op"]), ha="center",
                    va="center", fontsize=8, bbox={"boxstyle": "circle", "facecolor": "#fee6ce",
                                                   "edgecolor": "#e6550d"})
            _arrow(ax, (x - 1.1, y), (x - 0.8, y))
    for source, target in edges:
        (x0, y0), (x1, y1) = where[source], where[target]
        _arrow(ax, (x0 + 0.65, y0), (x1 - 1.6, y1))
    xs = [p[0] for p in where.values()]
    ys = [p[1] for p in where.values()]
    ax.set_xlim(min(xs) - 1.0, max(xs) + 1.0)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    ax.set_axis_off()


@figure(TOPIC, "graph.png", needs=("Value",))
def graph(m: ModuleType) -> Figure:
    """The DAG of o = tanh(x1*w1 + x2*w2 + b) as your `Value.graph()` returns it, after your
    `o.backward()`: every node with its data and grad, each operation as a circle."""
    o = _neuron(m)
    o.backward()
    fig, (ax,) = panels(width=12.0, height=4.6,
                        title="autograd_engine: the graph of o = tanh(x1*w1 + x2*w2 + b) "
                              "after o.backward()")
    _draw_graph(ax, o.graph())
    return fig


@figure(TOPIC, "mlp_training.png", needs=("MLP", "Value"))
def mlp_training(m: ModuleType) -> Figure:
    """Your `MLP(3, [4, 4, 1])` trained by gradient descent (lr 0.05) on four samples of three
    inputs with targets 1, -1, -1, 1, with your `Value` engine: the squared-error loss per step,
    and the four predictions against their targets."""
    model = m.MLP(3, [4, 4, 1], random.Random(0))
    parameters = model.parameters()
    losses, predictions = [], []
    for _ in range(STEPS):
        outputs = [model(x)[0] for x in SAMPLES]
        loss = sum(((out - t) ** 2 for out, t in zip(outputs, TARGETS, strict=True)),
                   m.Value(0.0))
        for p in parameters:
            p.grad = 0.0
        loss.backward()
        for p in parameters:
            p.data -= LR * p.grad
        losses.append(loss.data)
        predictions.append([out.data for out in outputs])
    fig, (left, right) = panels(2, width=4.4, height=3.4,
                                title=f"autograd_engine: your MLP(3, [4, 4, 1]) trained on "
                                      f"{len(SAMPLES)} samples with your engine, lr {LR:g}")
    left.plot(range(STEPS), losses)
    style(left, "training loss", "gradient step (0: before the first)",
          "sum of squared errors")
    for k, target in enumerate(TARGETS):
        line = right.plot(range(STEPS), [p[k] for p in predictions], label=f"sample {k}")
        right.axhline(target, color=line[0].get_color(), linestyle=":")
    style(right, "predictions (dotted: targets)", "gradient step (0: before the first)",
          "output", legend=True)
    return fig

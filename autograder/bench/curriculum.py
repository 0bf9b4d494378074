"""Figure 6: the seed curriculum's own comparisons, informational (no topic guide states a target).

- 5-06: the NumPy `MLP` of solutions/backprop.py against the same network in PyTorch
  (nn.Sequential, cross-entropy, torch.optim.SGD): one training step, forward, backward and
  update, both float64 on the CPU, both starting from the same weights.
- 5-05: the scalar engine of solutions/autograd_engine.py against torch autograd on the same MLP
  (the same weights as float64 tensors, the batch as one matrix): one forward and backward pass
  of the squared error over micrograd's four samples.

Before timing, each pair's loss and gradients are compared, so the two sides compute one thing.
Both libraries run on one thread: on a small shared machine, threads fighting over two cores made
a batch-32 PyTorch step ten times slower from one run to the next, which measures the scheduler.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from autograder.bench.table import Figure, Part, median
from autograder.bench.worker import in_subprocess
from data.progress import progress_bar

LEARNING_RATE = 0.1
MLP_BATCHES = (32, 1024)  # the topic's own batch size, and one where the matrices dominate
ENGINE_SIZES = (4, 4, 1)  # the guide's example network: 3 -> tanh(4) -> tanh(4) -> 1
ENGINE_XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
ENGINE_YS = [1.0, -1.0, -1.0, 1.0]
AGREEMENT = 1e-8  # largest difference in loss or gradient between the two sides of a pair


# Set before NumPy and torch start their thread pools (OpenBLAS, OpenMP, MKL).
ONE_THREAD = {name: "1" for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                     "MKL_NUM_THREADS")}


def measure(reps: int, quick: bool = False) -> Part:
    return curriculum_part(in_subprocess("curriculum", env=ONE_THREAD, reps=reps,
                                         seconds=0.05 if quick else 0.3))


def time_per_call(step: Callable[[], object], reps: int, seconds: float) -> list[float]:
    """Seconds per call, one figure per repetition of about `seconds` of calls: the warm-up calls
    set how many calls fill that time (from a 1 ms step to a 50 ms one)."""
    started = time.perf_counter()
    for _ in range(3):
        step()
    calls = max(3, round(seconds / ((time.perf_counter() - started) / 3)))
    per_call = []
    for _ in range(reps):
        started = time.perf_counter()
        for _ in range(calls):
            step()
        per_call.append((time.perf_counter() - started) / calls)
    return per_call


def measure_curriculum(reps: int, seconds: float, batches: list[int] | None = None,
                       engine_sizes: list[int] | None = None) -> dict:
    """Both comparisons, in the calling process (a fresh worker in make bench)."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        result = {"torch_threads": 1, "dtype": "float64", "mlp": [], "engine": None}
        for batch in progress_bar(batches or MLP_BATCHES, desc="5-06 MLP", unit="size"):
            result["mlp"].append(_mlp_pair(batch, reps, seconds))
        result["engine"] = _engine_pair(list(engine_sizes or ENGINE_SIZES), reps, seconds)
    finally:
        torch.set_num_threads(threads)  # a caller's own process gets its threads back
    return result


def _mlp_pair(batch: int, reps: int, seconds: float) -> dict:
    import numpy as np
    import torch
    import torch.nn.functional as F

    from autograder import impl
    from autograder.course import TOPICS

    backprop = impl.load(impl.SOLUTIONS, TOPICS["backprop"])
    sizes = (backprop.N_PIXELS, backprop.HIDDEN1, backprop.HIDDEN2, backprop.N_CLASSES)
    rng = np.random.default_rng(0)
    model = backprop.MLP(*sizes, rng)
    x, y = rng.random((batch, sizes[0])), rng.integers(0, sizes[-1], batch)
    net = torch.nn.Sequential(torch.nn.Linear(sizes[0], sizes[1]), torch.nn.ReLU(),
                              torch.nn.Linear(sizes[1], sizes[2]), torch.nn.ReLU(),
                              torch.nn.Linear(sizes[2], sizes[3])).double()
    params = model.parameters()
    with torch.no_grad():
        for k, linear in enumerate(net[::2], start=1):
            linear.weight.copy_(torch.from_numpy(params[f"W{k}"].T))
            linear.bias.copy_(torch.from_numpy(params[f"b{k}"]))
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    optimizer = torch.optim.SGD(net.parameters(), lr=LEARNING_RATE)

    loss = model.loss_and_backward(x, y)  # the same loss and gradients before anything is timed
    torch_loss = F.cross_entropy(net(xt), yt)
    torch_loss.backward()
    grads = model.gradients()
    difference = max([abs(loss - torch_loss.item())] + [
        float(np.max(np.abs(grads[f"W{k}"] - linear.weight.grad.numpy().T)))
        for k, linear in enumerate(net[::2], start=1)])
    optimizer.zero_grad()

    def numpy_step() -> None:
        model.loss_and_backward(x, y)
        gradients = model.gradients()
        for name, parameter in model.parameters().items():
            parameter -= LEARNING_RATE * gradients[name]

    def torch_step() -> None:
        optimizer.zero_grad()
        F.cross_entropy(net(xt), yt).backward()
        optimizer.step()

    return {"batch": batch, "sizes": list(sizes), "difference": difference,
            "numpy_s": time_per_call(numpy_step, reps, seconds),
            "torch_s": time_per_call(torch_step, reps, seconds)}


def _engine_pair(sizes: list[int], reps: int, seconds: float) -> dict:
    import torch

    from autograder import impl
    from autograder.course import TOPICS

    engine = impl.load(impl.SOLUTIONS, TOPICS["autograd_engine"])
    mlp = engine.MLP(len(ENGINE_XS[0]), sizes, random.Random(0))
    values = mlp.parameters()
    # Per layer, the same weights as tensors: row i of W and entry i of b are neuron i's.
    layers = [(torch.tensor([[w.data for w in n.w] for n in layer.neurons], dtype=torch.float64,
                            requires_grad=True),
               torch.tensor([n.b.data for n in layer.neurons], dtype=torch.float64,
                            requires_grad=True)) for layer in mlp.layers]
    xs, ys = torch.tensor(ENGINE_XS, dtype=torch.float64), torch.tensor(ENGINE_YS,
                                                                       dtype=torch.float64)

    def engine_step():
        for value in values:
            value.grad = 0.0
        loss = sum((mlp(x)[0] - y) ** 2 for x, y in zip(ENGINE_XS, ENGINE_YS, strict=True))
        loss.backward()
        return loss

    def torch_step():
        h = xs
        for k, (weight, bias) in enumerate(layers):
            weight.grad = bias.grad = None
            h = h @ weight.T + bias
            h = torch.tanh(h) if k < len(layers) - 1 else h
        loss = ((h[:, 0] - ys) ** 2).sum()
        loss.backward()
        return loss

    loss, torch_loss = engine_step(), torch_step()
    torch_grads = [g for weight, bias in layers
                   for row, b in zip(weight.grad, bias.grad, strict=True) for g in [*row, b]]
    difference = max([abs(loss.data - torch_loss.item())]
                     + [abs(v.grad - g.item()) for v, g in zip(values, torch_grads, strict=True)])
    return {"sizes": sizes, "samples": len(ENGINE_XS), "parameters": len(values),
            "difference": difference,
            "engine_s": time_per_call(engine_step, reps, seconds),
            "torch_s": time_per_call(torch_step, reps, seconds)}


def curriculum_part(raw: dict) -> Part:
    figures = []
    for pair in raw["mlp"]:
        numpy_s, torch_s = median(pair["numpy_s"]), median(pair["torch_s"])
        figures += [
            Figure(f"6. 5-06 MLP train step, batch {pair['batch']}: NumPy", 1e3 * numpy_s, "ms",
                   None, "-".join(map(str, pair["sizes"])) + ", forward + backward + SGD"),
            Figure("   the same in PyTorch", 1e3 * torch_s, "ms", None,
                   "nn.Sequential, cross_entropy, optim.SGD"),
            Figure("   NumPy / PyTorch", numpy_s / torch_s, "x", None, "informational"),
        ]
    engine = raw["engine"]
    engine_s, torch_s = median(engine["engine_s"]), median(engine["torch_s"])
    figures += [
        Figure("6. 5-05 engine, forward + backward", 1e3 * engine_s, "ms", None,
               f"MLP(3, {engine['sizes']}), {engine['parameters']} parameters, "
               f"{engine['samples']} samples"),
        Figure("   torch autograd, the same MLP", 1e3 * torch_s, "ms", None,
               "same weights, the batch as one matrix"),
        Figure("   engine / torch autograd", engine_s / torch_s, "x", None, "informational"),
    ]
    part = Part("curriculum", f"6. the curriculum's own comparisons (informational; "
                f"{raw['dtype']} both, CPU, one thread each, medians "
                f"of {len(engine['engine_s'])} run(s))", figures, raw=raw)
    for name, pair in [(f"5-06 MLP, batch {p['batch']}", p) for p in raw["mlp"]] \
            + [("5-05 engine", engine)]:
        if pair["difference"] > AGREEMENT:
            part.notes.append(f"WARNING: {name}: the two sides differ by {pair['difference']:.2e}"
                              " in loss or gradients: they do not compute the same thing.")
    return part

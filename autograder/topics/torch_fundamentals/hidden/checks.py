"""Hidden checks of topic 5-07 (torch_fundamentals): edge cases (a batch of one, an uneven last
batch, square layers, non-contiguous inputs), float32 and float64, large inputs, dropout in both
modes, the mode evaluate leaves behind, gradients not accumulating, resumed runs, the generator
and seed discipline, CUDA, and the docstrings' contracts (CONTRACTS below: exact return types,
arguments left unchanged, documented errors, restored modes, exact key sets). Graded mode shows
a student only each check's name, pass or fail, and its hint. Tolerances are written next to each
check with the error the reference measured (float32 answers against float64 references).
"""

from __future__ import annotations

import re
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from autograder.runtime.check import REFERENCE, CheckSet, ProbeError, oracle
from autograder.runtime.compare import EXACT, Close, Mismatch, require
from autograder.runtime.plain import to_plain
from autograder.runtime.probing import (
    call_and_changes,
    changed_arguments,
    generator,
    raised,
    randn,
    scalar,
    stderr_on_a_terminal,
    type_names,
)
from autograder.runtime.variants import CPU_CUDA, TORCH_F32, TORCH_F64
from autograder.topics.torch_fundamentals.public import (
    DATA_MODULE,
    FORMULA,
    NUMPY_FORWARD,
    PIXELS,
    SHAPES,
    TORCH_MLP,
    VALUES_F64,
    _autograd_sgd_epoch,
    batches_out,
    checkpoint_file,
    classification_data,
    evaluate_probe,
    evaluation,
    init_probe,
    kaiming_statistics,
    layout,
    layout_out,
    linear_layers,
    load_probe,
    loader_of,
    loader_pair,
    loaders_probe,
    make_optimizer,
    mlp_probe,
    numpy_load_probe,
    numpy_params,
    save_probe,
    seeded_net,
    set_weights,
    state_out,
    train_probe,
    trained_model,
)
from data.fixtures import write_fashion_mnist_fixture

CHECKS = CheckSet("torch_fundamentals", "hidden")
# The topic's own edge cases, each named in at least one hidden check (beside the pack's:
# float32, float64, large, noncontiguous, batch_of_one; tests/test_pack_rules.py).
EDGE_CASES = ("dropout_off_in_eval", "dropout_active_in_train", "restores_train_mode",
              "keeps_eval_mode", "no_grad", "uneven_last_batch", "square_layers",
              "resumed_run_identical", "uses_the_generator", "zero_biases", "to_moves_everything",
              "cuda_request_checked")

# The contract kinds each graded function's docstring states (autograder/contracts.py), and the
# kinds derived from the reference's text that do not apply, with the docstring's words.
CONTRACTS = {
    "get_device": ("returns", "errors"),
    "MLP": ("returns", "dtypes", "unchanged", "errors", "edges", "keys"),
    "init_weights": ("returns", "errors", "edges", "generator"),
    "load_numpy_weights": ("returns", "dtypes", "unchanged", "errors", "restores"),
    "fashion_mnist_loaders": ("returns", "dtypes", "errors", "edges", "generator"),
    "train_epoch": ("returns", "unchanged"),
    "evaluate": ("returns", "unchanged", "restores"),
    "save_checkpoint": ("returns", "unchanged", "keys"),
    "load_checkpoint": ("returns", "restores"),
}
NOT_APPLICABLE = {
    "MLP": {
        "generator": "MLP takes no generator: its layers keep 'PyTorch's default initialisation "
                     "..., drawn from torch's global generator by nn.Linear itself; no check "
                     "depends on those values', and nn.Dropout in training mode is one of the "
                     "'two draws [that] are torch's own and use its global generator' (module "
                     "docstring)",
    },
    "init_weights": {
        "unchanged": "model is the argument it updates ('model: ... changed in place'), and the "
                     "generator is drawn from as documented (tested under 'generator'); the "
                     "docstring does not promise the model is left untouched when it raises",
    },
    "load_numpy_weights": {
        "keys": "it returns 'model itself', not a dict; the docstring's keys are those of the "
                "params argument ('ValueError: params' keys are not exactly W1, b1, ..., WL, "
                "bL'), tested under 'errors'",
    },
    "train_epoch": {
        "dtypes": "its result is 'a Python float, type float' (tested under 'returns' for float32 "
                  "and float64 models); the loader's tensors are inputs, and the only tensors it "
                  "changes are the parameters, which the optimizer updates in place in their own "
                  "dtype",
    },
    "evaluate": {
        "dtypes": "its result is 'a tuple of two Python floats (type float, not tensors or NumPy "
                  "scalars)', tested under 'returns' for float32 and float64 models; the "
                  "loader's tensors are inputs, and nothing else is produced",
    },
    "load_checkpoint": {
        "unchanged": "model and optimizer are what it loads into ('model.load_state_dict(...)', "
                     "'optimizer.load_state_dict(...)'); path is a str: no other argument could "
                     "change, and the docstring says nothing of a failed load",
        "generator": "it draws nothing: 'a generator seeded with seed + epoch' describes the "
                     "caller's training loop after resuming, not load_checkpoint",
    },
}
# float32 answers against float64 references: the reference measured at most 1.5e-6 abs (the
# 784-256-128-10 network after load_numpy_weights against the NumPy forward; forward passes
# 6.4e-7, an epoch of training 7.2e-8, evaluation 1.8e-8); a real mistake is off by 1e-3 or more.
VALUES_F32 = Close(rtol=1e-4, atol=2e-5)  # measured 1.5e-6 abs (see above)
# Per-image pixel sums (float64 sums of 784 float32 pixels): one float32 rounding per pixel adds
# up to at most 784 * 2.4e-7 = 1.9e-4; measured 0 (the same torchvision pipeline).
SUMS = Close(rtol=0.0, atol=1e-3)  # measured 0 (see above)
# Mean and std of all normalised pixels against the formula's: float32 roundings, averaged.
PIXEL_STATISTICS = Close(rtol=1e-6, atol=1e-6)  # measured 4.4e-8 abs
INIT_EXACT = Close(rtol=1e-6, atol=0.0)  # measured 0: the same nn.init draws from the same seed
SGD_ORACLE = oracle("torch.autograd.grad and the SGD formula", train_epoch=_autograd_sgd_epoch)
AS_REFERENCE = CHECKS.defaults(expect=REFERENCE, compare=EXACT)
MLP_F64 = CHECKS.defaults(expect=TORCH_MLP, compare=VALUES_F64, variants=TORCH_F64)
TRAIN_F64 = CHECKS.defaults(expect=REFERENCE, compare=VALUES_F64, variants=TORCH_F64)


def differs(a, b) -> bool:
    return not (type(a) is np.ndarray and type(b) is np.ndarray and a.shape == b.shape
                and np.array_equal(a, b))


# ---- get_device -------------------------------------------------------------------------------

def device_request(impl, requested):
    """What get_device(requested) gave: the device and its exact type, or the exception's type and
    whether a RuntimeError's message mentions CUDA (a ValueError's message is not specified)."""
    try:
        device = impl.get_device(requested)
    except NotImplementedError:
        raise
    except Exception as error:  # the exception is the answer here: the check judges its type
        # only the RuntimeError's message is specified ("says CUDA is not available")
        return {"error": type(error).__name__, "device": None, "is_device": False,
                "type": None, "mentions_cuda": isinstance(error, RuntimeError)
                and "cuda" in str(error).lower()}
    return {"error": None, "device": str(device), "is_device": isinstance(device, torch.device),
            "type": type_names(device), "mentions_cuda": False}


@AS_REFERENCE.add("get_device", contract="errors",
                  hint="a requested CUDA device needs torch.cuda.is_available(); without it raise "
                       "RuntimeError saying CUDA is not available, never fall back to the CPU")
def cuda_request_checked(impl, device):
    """get_device('cuda') on this machine"""
    return device_request(impl, "cuda")


@AS_REFERENCE.add("get_device", contract="errors",
                  hint="a CUDA index must be below torch.cuda.device_count(), else RuntimeError")
def cuda_index_out_of_range(impl, device):
    """get_device('cuda:99')"""
    return device_request(impl, "cuda:99")


@AS_REFERENCE.add("get_device", contract="errors",
                  hint="only cpu and cuda are supported: ValueError for another device type or a "
                       "string torch cannot parse")
def rejects_other_device_types(impl, device):
    """get_device('mps'), get_device('meta'), get_device('tpu')"""
    return {"answers": [device_request(impl, name) for name in ("mps", "meta", "tpu")]}


@AS_REFERENCE.add("get_device", contract="returns",
                  hint="accept a torch.device as well as a string, and return "
                       "torch.device(requested)")
def accepts_a_torch_device(impl, device):
    """get_device(torch.device('cpu')) and get_device('cpu:0')"""
    return {"answers": [device_request(impl, torch.device("cpu")),
                        device_request(impl, "cpu:0")]}


@AS_REFERENCE.add("get_device", devices=("cuda",), contract="returns",
                  hint="with CUDA available, None picks cuda, and a requested CUDA device is "
                       "returned as given")
def picks_cuda_when_available(impl, device):
    """get_device(), get_device('cuda'), get_device('cuda:0') on a CUDA machine"""
    return {"answers": [device_request(impl, name) for name in (None, "cuda", "cuda:0")]}


@contextmanager
def cuda_reported(count):
    """torch.cuda.is_available() and torch.cuda.device_count(), the two calls get_device's
    docstring names, report `count` CUDA devices for the duration. Nothing touches a device:
    get_device only builds torch.device objects, which needs no CUDA."""
    saved = torch.cuda.is_available, torch.cuda.device_count
    torch.cuda.is_available, torch.cuda.device_count = (lambda: count > 0), (lambda: count)
    try:
        yield
    finally:
        torch.cuda.is_available, torch.cuda.device_count = saved


@AS_REFERENCE.add("get_device", contract=("returns", "errors"),
                  hint="with torch.cuda.is_available() None picks torch.device('cuda'); a CUDA "
                       "device is returned as given when it has no index or its index is below "
                       "torch.cuda.device_count(), otherwise RuntimeError saying CUDA is not "
                       "available")
def cuda_devices_reported(impl, device):
    """torch.cuda reporting 2 CUDA devices: get_device(), get_device('cuda'), 'cuda:1',
    torch.device('cuda', 0), 'cuda:2' and 'cpu'"""
    with cuda_reported(2):
        answers = [device_request(impl, requested)
                   for requested in (None, "cuda", "cuda:1", torch.device("cuda", 0), "cuda:2",
                                     "cpu")]
    return {"answers": answers}


@AS_REFERENCE.add("get_device", contract=("returns", "errors"),
                  hint="check a torch.device argument as you check a string: RuntimeError for a "
                       "CUDA device that is not available, ValueError for a device type other than "
                       "cpu and cuda; return a torch.device")
def errors_for_every_form(impl, device):
    """torch.cuda reporting no CUDA device: get_device('cuda'), 'cuda:0', torch.device('cuda'),
    None, 'cpu'; reporting 2: torch.device('cuda', 2), torch.device('meta'), 'mps:0',
    torch.device('cpu')"""
    with cuda_reported(0):
        none = [device_request(impl, requested)
                for requested in ("cuda", "cuda:0", torch.device("cuda"), None, "cpu")]
    with cuda_reported(2):
        two = [device_request(impl, requested)
               for requested in (torch.device("cuda", 2), torch.device("meta"), "mps:0",
                                 torch.device("cpu"))]
    return {"no_cuda": none, "two_cuda": two}


# ---- MLP --------------------------------------------------------------------------------------

@CHECKS.add("MLP", expect=TORCH_MLP, compare=VALUES_F32, variants=TORCH_F32,
            contract="dtypes",
            hint="nn.Tanh after every Linear layer but the last")
def forward_tanh(impl, device, dtype):
    """MLP([20, 32, 16, 5], tanh, dropout 0.3) in eval mode, x (16, 20) {dtype}"""
    return mlp_probe(impl, device, dtype, (20, 32, 16, 5), "tanh", 0.3, 16, 110)


@MLP_F64.add("MLP", contract="dtypes",
             hint="nn.Sigmoid after every Linear layer but the last; none after the output layer")
def forward_sigmoid(impl, device, dtype):
    """MLP([10, 12, 12, 12, 3], sigmoid, dropout 0.1) in eval mode, x (8, 10) {dtype}"""
    return mlp_probe(impl, device, dtype, (10, 12, 12, 12, 3), "sigmoid", 0.1, 8, 120)


@CHECKS.add("MLP", expect=TORCH_MLP, compare=VALUES_F32, variants=TORCH_F32, devices=CPU_CUDA,
            contract="dtypes",
            hint="flatten each sample to (N, 784) in forward (x.flatten(1)); the model must work "
                 "after .to(device, dtype)")
def large_images_input(impl, device, dtype):
    """MLP([784, 256, 128, 10], relu, dropout 0.2) in eval mode, images (512, 1, 28, 28) {dtype}
    on {device}"""
    return mlp_probe(impl, device, dtype, (784, 256, 128, 10), "relu", 0.2, 512, 130,
                     images=True)


@MLP_F64.add("MLP",
             hint="a batch of one sample is (1, d_0): nothing in the network may depend on the "
                  "batch size")
def batch_of_one(impl, device, dtype):
    """MLP([9, 7, 3], tanh, dropout 0.3) in eval mode, x (1, 9) {dtype}"""
    return mlp_probe(impl, device, dtype, (9, 7, 3), "tanh", 0.3, 1, 140)


@MLP_F64.add("MLP", hint="work on x's values whatever its memory layout (x.t() is a view)")
def noncontiguous_input(impl, device, dtype):
    """MLP([20, 16, 4], sigmoid) in eval mode, x a transposed view (15, 20) {dtype}"""
    return mlp_probe(impl, device, dtype, (20, 16, 4), "sigmoid", 0.0, 15, 150,
                     noncontiguous=True)


@MLP_F64.add("MLP", contract="edges",
             hint="two sizes make one Linear layer and nothing else: the output gives logits")
def single_layer(impl, device, dtype):
    """MLP([12, 4]) (one layer), x (6, 12) {dtype}"""
    return mlp_probe(impl, device, dtype, (12, 4), "relu", 0.5, 6, 160)


@MLP_F64.add("MLP",
             hint="in eval mode nothing is dropped: use nn.Dropout modules (or F.dropout with "
                  "training=self.training), never dropout that ignores the mode")
def dropout_off_in_eval(impl, device, dtype):
    """MLP([30, 64, 64, 5], tanh, dropout 0.9) in eval mode, x (20, 30) {dtype}, called twice"""
    return mlp_probe(impl, device, dtype, (30, 64, 64, 5), "tanh", 0.9, 20, 170)


@CHECKS.add("MLP", compare=lambda got, _: _dropout_in_training(got),
            hint="in train mode dropout zeroes a random fraction p of the hidden units: two "
                 "calls differ, and differ from eval mode")
def dropout_active_in_train(impl, device):
    """MLP([30, 64, 64, 5], relu, dropout 0.5): two calls in train mode, one in eval mode"""
    model = set_weights(impl.MLP([30, 64, 64, 5], "relu", 0.5).double(), 180, "MLP")
    x = randn((20, 30), 181)
    model.train()
    torch.manual_seed(182)
    with torch.no_grad():
        first, second = model(x), model(x)
        model.eval()
        plain = model(x)
    return {"train_first": to_plain(first), "train_second": to_plain(second),
            "eval": to_plain(plain)}


def _dropout_in_training(got: dict) -> None:
    require(differs(got["train_first"], got["train_second"]), "two calls in train mode gave "
            "the same output: dropout is not active in training mode", "train_second")
    require(differs(got["train_first"], got["eval"]), "the train-mode output equals the "
            "eval-mode output: dropout is not applied in training", "train_first")


@AS_REFERENCE.add("MLP", contract=("keys", "edges"),
                  hint="self.net = nn.Sequential(Linear, Act, Dropout, ..., Linear): keys net.0.*, "
                       "net.3.*, ...; every parameter counted once")
def layouts_and_counts(impl, device):
    """MLP([5, 3]) and MLP([10, 8, 8, 8, 3], sigmoid, 0.2): state_dict keys, shapes, parameter
    count, the modules of self.net"""
    out = []
    for sizes, activation, p in (([5, 3], "relu", 0.0), ([10, 8, 8, 8, 3], "sigmoid", 0.2)):
        model = impl.MLP(sizes, activation, p)
        out.append({**layout_out(model),
                    "modules": [type(module).__name__ for module in model.net]})
    return {"layouts": out}


@CHECKS.add("MLP", expect=REFERENCE, compare=VALUES_F64, devices=CPU_CUDA,
            hint="registered layers move with .to(device, dtype); a Python list of layers does "
                 "not (nor does it appear in parameters() or state_dict())")
def to_moves_everything(impl, device):
    """MLP([6, 5, 4], tanh, 0.2).to({device}, float64), then a forward pass"""
    model = impl.MLP([6, 5, 4], "tanh", 0.2).to(device=device, dtype=torch.float64)
    state = model.state_dict()
    set_weights(model, 190, "MLP")
    model.eval()
    x = randn((3, 6), 191, torch.float64, device)
    with torch.no_grad():
        y = model(x)
    return {"entries": len(state),
            "all_float64": all(t.dtype == torch.float64 for t in state.values()),
            "all_on_device": all(t.device.type == torch.device(device).type
                                 for t in state.values()),
            "y": to_plain(y)}


@CHECKS.add("MLP", expect=REFERENCE, compare=VALUES_F64, variants=TORCH_F64,
            hint="build forward from differentiable torch modules so loss.backward() reaches "
                 "every parameter")
def gradients_reach_every_parameter(impl, device, dtype):
    """MLP([10, 8, 6, 3], sigmoid) {dtype}: gradients of sum(y * r) for x (7, 10)"""
    model = set_weights(impl.MLP([10, 8, 6, 3], "sigmoid").to(dtype=dtype), 200, "MLP")
    x = randn((7, 10), 201, dtype)
    (model(x) * randn((7, 3), 202, dtype)).sum().backward()
    return {"grads": [None if p.grad is None else to_plain(p.grad)
                      for p in model.parameters()]}


@AS_REFERENCE.add("MLP", contract="errors",
                  hint="validate the arguments: at least two sizes, an activation of ACTIVATIONS, "
                       "dropout in [0, 1); raise ValueError otherwise")
def rejects_bad_arguments(impl, device):
    """sizes [5]; activation 'gelu'; dropout 1.0; dropout -0.1"""
    bad = (([5], "relu", 0.0), ([5, 3], "gelu", 0.0), ([5, 3], "relu", 1.0),
           ([5, 3], "relu", -0.1))
    return {"errors": [raised(lambda args=args: impl.MLP(*args)) for args in bad]}


@AS_REFERENCE.add("MLP", contract=("returns", "unchanged", "errors"),
                  hint="store self.sizes as a list of ints, self.activation as the name (a str) "
                       "and self.dropout as a float; never modify the sizes list you are given, "
                       "nor x or the model in forward; ValueError for bad arguments")
def attributes_and_arguments(impl, device):
    """MLP([6, 5, 4], 'tanh', 0.25) and MLP([3, 2], 'relu', 0.0): the types of self.sizes,
    self.activation, self.dropout and of forward's output, the sizes list and the model and x
    around forward in train and eval mode; sizes [] and [5], activation 'gelu', dropout 1.0: the
    exception and the sizes list"""
    out = {}
    for sizes, activation, p in (([6, 5, 4], "tanh", 0.25), ([3, 2], "relu", 0.0)):
        model, construction = call_and_changes(impl.MLP, by_position=True, sizes=list(sizes),
                                               activation=activation, dropout=p)
        if model is None:
            raise ProbeError(f"MLP({sizes}, {activation!r}, {p}) raised "
                             f"{construction['raised']}")
        forward, modes = None, {}
        for mode in (True, False):
            model.train(mode)
            x = randn((3, sizes[0]), 600 + len(sizes), torch.float32)
            output, modes["train" if mode else "eval"] = call_and_changes(
                lambda model, x: model(x), model=model, x=x)
            forward = forward if modes["train" if mode else "eval"]["raised"] else output
        out[f"{sizes}"] = {"construction": construction, "forward": modes,
                           "types": {"sizes": type_names(getattr(model, "sizes", None)),
                                     "activation": type_names(getattr(model, "activation", None)),
                                     "dropout": type_names(getattr(model, "dropout", None)),
                                     "output": type_names(forward)}}
    bad = (([], "relu", 0.0), ([5], "relu", 0.0), ([5, 3], "gelu", 0.0), ([5, 3], "relu", 1.0))
    out["bad"] = [call_and_changes(impl.MLP, by_position=True, sizes=list(sizes),
                                   activation=activation, dropout=p)[1]
                  for sizes, activation, p in bad]
    return out


# ---- init_weights -----------------------------------------------------------------------------

INIT_VARIANTS = {"relu": {"nonlinearity": "relu", "as_generator": False},
                 "tanh": {"nonlinearity": "tanh", "as_generator": True},
                 "sigmoid": {"nonlinearity": "sigmoid", "as_generator": True}}


@CHECKS.add("init_weights", expect=REFERENCE, compare=INIT_EXACT, variants=INIT_VARIANTS,
            contract="returns",
            hint="one nn.init.kaiming_normal_ call per weight, input side first, mode='fan_in', "
                 "the given nonlinearity for hidden layers and 'linear' for the last; an int "
                 "seed means torch.Generator(device=...).manual_seed(seed)")
def matches_reference(impl, device, nonlinearity, as_generator):
    """layers [30, 40, 20, 5], {nonlinearity}, seed 7 (as a torch.Generator: {as_generator})"""
    return init_probe(impl, device, (30, 40, 20, 5), nonlinearity, 7, as_generator)


@CHECKS.add("init_weights", expect=SHAPES, devices=CPU_CUDA,
            compare=kaiming_statistics((5 / 3, 5 / 3, 1.0)),
            hint="std = gain / sqrt(fan_in) with fan_in the layer's input size (mode='fan_in'); "
                 "gain 5/3 for tanh and 1 for the output layer")
def large_statistics(impl, device):
    """layers [1024, 512, 256, 10] on {device}, tanh, seed 3"""
    return init_probe(impl, device, (1024, 512, 256, 10), "tanh", 3)


@AS_REFERENCE.add("init_weights", hint="every bias starts at exactly 0: nn.init.zeros_(layer.bias)")
def zero_biases(impl, device):
    """layers [8, 6, 4] with PyTorch's default (nonzero) biases, relu, seed 1"""
    return {"biases": init_probe(impl, device, (8, 6, 4), "relu", 1)["biases"]}


@CHECKS.add("init_weights", compare=lambda got, _: _seed_discipline(got["weights"], "weights"),
            contract="generator",
            hint="pass generator=g to every nn.init call; never draw from the global random "
                 "state (torch.manual_seed must not matter)")
def uses_the_generator(impl, device):
    """layers [20, 10, 4]: the same generator seed under two global seeds, then another generator
    seed"""
    weights = []
    for global_seed, seed in ((1, 5), (2, 5), (1, 6)):
        model = layout((20, 10, 4), "relu", 0.0, torch.float32, device)
        torch.manual_seed(global_seed)
        impl.init_weights(model, generator(seed, device), "relu")
        weights.append([to_plain(layer.weight) for layer in linear_layers(model, "init_weights")])
    return {"weights": weights}


def _seed_discipline(runs: list, where: str, what: str = "weights") -> None:
    """runs: the same seed under two global seeds, then another seed."""
    same, other_global, other_seed = runs
    require(not any(differs(a, b) for a, b in zip(same, other_global, strict=True)),
            f"the same seed gave different {what} under different global seeds: the global "
            "random state was used", where)
    require(any(differs(a, b) for a, b in zip(same, other_seed, strict=True)),
            f"different seeds gave the same {what}: the seed was not used", where)


@AS_REFERENCE.add("init_weights", contract="errors",
                  hint="raise ValueError for a nonlinearity other than relu, tanh or sigmoid")
def rejects_unknown_nonlinearity(impl, device):
    """nonlinearity 'gelu'"""
    model = layout((4, 3, 2), "relu", 0.0, torch.float32, device)
    return {"error": raised(lambda: impl.init_weights(model, 0, "gelu"))}


# The same nn.init draws from the same seeds: measured 0.
@CHECKS.add("init_weights", expect=REFERENCE, compare=INIT_EXACT,
            contract=("returns", "edges"),
            hint="nonlinearity defaults to 'relu'; in a model with one Linear layer that layer is "
                 "the output layer ('linear'); an int seed means torch.Generator(device=<the "
                 "parameters' device>).manual_seed(seed)")
def defaults_and_one_layer(impl, device):
    """layers [30, 40, 20, 5], seed 7 as an int, nonlinearity left out; a one-layer model
    [12, 4], tanh, seed 8 as an int"""
    models = [layout((30, 40, 20, 5), "relu", 0.0, torch.float32, device),
              layout((12, 4), "tanh", 0.0, torch.float32, device)]
    returned = [impl.init_weights(models[0], 7), impl.init_weights(models[1], 8, "tanh")]
    return {"weights": [[to_plain(layer.weight) for layer in linear_layers(model, "init_weights")]
                        for model in models],
            "biases": [[to_plain(layer.bias) for layer in linear_layers(model, "init_weights")]
                       for model in models],
            "returned_models": [a is b for a, b in zip(returned, models, strict=True)]}


@AS_REFERENCE.add("init_weights", contract="generator",
                  hint="use the generator you are given as it is (pass generator=g to every "
                       "nn.init call): never re-seed it, copy it or make a new one from its seed, "
                       "and never touch the global random state (no torch.manual_seed)")
def continues_the_given_generator(impl, device):
    """layers [10, 8, 3], relu: a torch.Generator seeded 11 that has already drawn 5 numbers,
    then the generator's next draw; an int seed 12: torch's global random state before and after"""
    used, seeded = (layout((10, 8, 3), "relu", 0.0, torch.float32, device) for _ in range(2))
    g = generator(11, device)
    torch.randn(5, generator=g, device=device)
    torch.manual_seed(13)  # layout seeds the global state: the state is taken after it
    state = torch.get_rng_state()
    impl.init_weights(used, g, "relu")
    next_draw = to_plain(torch.randn(4, generator=g, device=device))
    impl.init_weights(seeded, 12, "relu")
    return {"weights": [to_plain(layer.weight) for layer in linear_layers(used, "init_weights")],
            "next_draw": next_draw,
            "global_state_kept": bool(torch.equal(torch.get_rng_state(), state)),
            "seeded": [to_plain(layer.weight) for layer in linear_layers(seeded, "init_weights")]}


@AS_REFERENCE.add("init_weights", contract="errors", name="rejects_bad_arguments",
                  hint="only relu, tanh and sigmoid are accepted, though torch.nn.init knows more "
                       "names: check the name yourself and raise ValueError; a model without "
                       "nn.Linear layers is a ValueError too, not a silent no-op")
def init_rejects_bad_arguments(impl, device):
    """nonlinearity 'linear', 'leaky_relu' and 'selu'; a model without nn.Linear layers
    (LayerNorm, Tanh) with an int seed and with a torch.Generator"""
    def model():
        return layout((4, 3, 2), "relu", 0.0, torch.float32, device)

    names = [raised(lambda name=name: impl.init_weights(model(), 0, name))
             for name in ("linear", "leaky_relu", "selu")]
    empty = [raised(lambda source=source: impl.init_weights(
                 torch.nn.Sequential(torch.nn.LayerNorm(4), torch.nn.Tanh()), source, "tanh"))
             for source in (1, generator(1, device))]
    return {"nonlinearities": names, "no_linear_layers": empty}


# ---- load_numpy_weights -----------------------------------------------------------------------

@CHECKS.add("load_numpy_weights", expect=NUMPY_FORWARD, compare=VALUES_F32, variants=TORCH_F32,
            contract="dtypes",
            devices=CPU_CUDA,
            hint="copy into the existing parameters (weight.copy_(...)): they keep their dtype "
                 "(float32) and device, whatever the NumPy dtype")
def large_float32(impl, device, dtype):
    """layers [784, 256, 128, 10], a {dtype} model on {device}, float64 NumPy parameters,
    x (256, 784)"""
    return numpy_load_probe(impl, device, dtype, (784, 256, 128, 10), 256, 210)


@CHECKS.add("load_numpy_weights", expect=NUMPY_FORWARD, compare=VALUES_F64, variants=TORCH_F64,
            contract="returns",
            hint="a square W fits either way round: nn.Linear's weight is W.T, not W")
def square_layers(impl, device, dtype):
    """layers [16, 16, 16, 16] (square weights), x (10, 16) {dtype}"""
    return numpy_load_probe(impl, device, dtype, (16, 16, 16, 16), 10, 220)


@CHECKS.add("load_numpy_weights", expect=NUMPY_FORWARD, compare=VALUES_F64, variants=TORCH_F64,
            name="batch_of_one",
            hint="the NumPy network's layer k is the model's k-th nn.Linear: weight W_k.T, bias "
                 "b_k")
def load_numpy_batch_of_one(impl, device, dtype):
    """layers [7, 5, 3], x (1, 7) {dtype}"""
    return numpy_load_probe(impl, device, dtype, (7, 5, 3), 1, 230)


@CHECKS.add("load_numpy_weights", expect=REFERENCE, compare=VALUES_F64,
            contract="dtypes",
            hint="copy the values in place under torch.no_grad(); a new nn.Parameter (or "
                 "weight.data = a float64 tensor) is not what the optimizer holds")
def in_place_keeps_parameters(impl, device):
    """layers [6, 5, 4] float32 with an SGD optimizer built before the load, then one step"""
    model = layout((6, 5, 4), "relu", 0.0, torch.float32, device)
    before = list(model.parameters())
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    impl.load_numpy_weights(model, numpy_params((6, 5, 4), 240))
    after = list(model.parameters())
    loaded = [to_plain(param.detach().double()) for param in after]
    model(randn((3, 6), 241, torch.float32, device)).square().sum().backward()
    opt.step()
    return {"same_objects": len(after) == len(before) and all(
                a is b for a, b in zip(after, before, strict=False)),
            "dtypes": [str(param.dtype) for param in after],
            "requires_grad": [param.requires_grad for param in after],
            "loaded": loaded,
            "after_step": [to_plain(param.detach().double()) for param in after]}


@AS_REFERENCE.add("load_numpy_weights", contract=("errors", "unchanged"),
                  hint="check every key and shape before copying anything: ValueError, and the "
                       "model left as it was")
def rejects_mismatched_params(impl, device):
    """layers [6, 5, 4]: b2 missing; W1 given as (5, 6); then the model's weights"""
    model = layout((6, 5, 4), "relu", 0.0, torch.float64, device)
    good = numpy_params((6, 5, 4), 250)
    missing = {key: value for key, value in good.items() if key != "b2"}
    transposed = {**good, "W1": good["W1"].T.copy()}
    errors = [raised(lambda params=params: impl.load_numpy_weights(model, params))
              for params in (missing, transposed)]
    return {"errors": errors, "state": state_out(model)}


@AS_REFERENCE.add("load_numpy_weights", contract=("unchanged", "errors", "restores"),
                  hint="check every key and shape before copying anything (ValueError, the model "
                       "left as it was); never modify the params dict or its arrays; copy inside a "
                       "`with torch.no_grad():` block so gradient tracking is back on afterwards")
def leaves_arguments_as_documented(impl, device):
    """layers [6, 5, 4] float32: good params; an extra W3 and b3; b2 of shape (5,); W2 of shape
    (5, 3): the exception, which arguments changed, and whether gradients are enabled afterwards"""
    good = numpy_params((6, 5, 4), 260)
    cases = {"good": good,
             "extra_layer": {**good, **{key: value for key, value in
                                        numpy_params((6, 5, 4, 2), 261).items()
                                        if key in ("W3", "b3")}},
             "last_bias_shape": {**good, "b2": np.zeros(5)},
             "last_weight_shape": {**good, "W2": np.zeros((5, 3))}}
    out = {}
    for label, params in cases.items():
        model = layout((6, 5, 4), "relu", 0.0, torch.float32, device)
        call = changed_arguments(lambda model, params: impl.load_numpy_weights(model, params),
                                 model=model, params=params)
        out[label] = {**call, "grad_enabled": torch.is_grad_enabled()}
        torch.set_grad_enabled(True)  # each case starts as a caller's code would
    return out


# ---- fashion_mnist_loaders --------------------------------------------------------------------

def order_of(loader):
    """The pixel sums of the training images in the order one epoch visits them."""
    return to_plain(torch.cat([batch[0].detach().double().flatten(1).sum(1) for batch in loader]))


@CHECKS.add("fashion_mnist_loaders", compare=lambda got, _: _shuffle_discipline(got["runs"]),
            name="uses_the_generator", contract="generator",
            hint="shuffle=True with generator=torch.Generator().manual_seed(seed): a new order "
                 "every epoch, the same orders for the same seed, whatever torch.manual_seed says")
def loaders_use_the_generator(impl, device):
    """fixture of 48 training images, batch_size 16: two epochs for seed 3 under two global
    seeds, and for seed 4"""
    with tempfile.TemporaryDirectory() as root:
        write_fashion_mnist_fixture(root, 48, 8, 2)
        runs = []
        for global_seed, seed in ((1, 3), (2, 3), (1, 4)):
            torch.manual_seed(global_seed)
            train, _ = loader_pair(impl.fashion_mnist_loaders(root, batch_size=16, seed=seed))
            runs.append([order_of(train), order_of(train)])
    return {"runs": runs}


def _shuffle_discipline(runs: list) -> None:
    first = runs[0][0]
    for run in runs:
        for epoch in run:
            require(type(epoch) is np.ndarray and np.array_equal(np.sort(epoch), np.sort(first)),
                    "an epoch must visit every training image exactly once", "runs")
    _seed_discipline(runs, "runs", "orders")
    require(differs(runs[0][0], runs[0][1]), "two epochs came in the same order: the training "
            "loader must reshuffle every epoch (shuffle=True)", "runs")


@CHECKS.add("fashion_mnist_loaders", expect=DATA_MODULE, compare=PIXELS, name="batch_of_one",
            contract="edges",
            hint="batches are (images (B, 1, 28, 28) float32, labels (B,) int64), also for B = 1")
def loaders_batch_of_one(impl, device):
    """fixture: 10 training and 5 test images, batch_size 1"""
    return loaders_probe(impl, device, 10, 5, 1, seed=5, data_seed=3)


@CHECKS.add("fashion_mnist_loaders", expect=DATA_MODULE, compare=SUMS,
            hint="the training order comes from torch.Generator().manual_seed(seed) in the "
                 "DataLoader; the last batch is not dropped")
def large_training_set(impl, device):
    """fixture: 1000 training and 100 test images, batch_size 100, seed 9: the order and labels
    of every batch"""
    return loaders_probe(impl, device, 1000, 100, 100, seed=9, data_seed=4, images=False)


@CHECKS.add("fashion_mnist_loaders", expect=FORMULA, compare=PIXEL_STATISTICS,
            contract="dtypes",
            hint="Normalize((FASHION_MNIST_MEAN,), (FASHION_MNIST_STD,)) after ToTensor(), "
                 "which scales pixels to [0, 1]")
def statistics_by_formula(impl, device):
    """fixture: 200 training images, batch_size 64: mean and std of every training pixel"""
    with tempfile.TemporaryDirectory() as root:
        write_fashion_mnist_fixture(root, 200, 10, 5)
        train, _ = loader_pair(impl.fashion_mnist_loaders(root, batch_size=64, seed=1))
        images = torch.cat([batch[0] for batch in train])
    pixels = images.detach().double()
    return {"mean": pixels.mean().item(), "std": pixels.std(correction=0).item(),
            "shape": list(images.shape), "dtype": str(images.dtype)}


@CHECKS.add("fashion_mnist_loaders", expect=FORMULA, compare=PIXELS,
            hint="the test loader does not shuffle: file order, every time")
def loader_keeps_the_test_split_in_file_order(impl, device):
    """fixture: 20 test images, batch_size 7: the test loader iterated twice"""
    with tempfile.TemporaryDirectory() as root:
        write_fashion_mnist_fixture(root, 10, 20, 6)
        _, test = loader_pair(impl.fashion_mnist_loaders(root, batch_size=7, seed=2))
        return {"first": batches_out(test), "second": batches_out(test)}


# The same torchvision pipeline on both sides: measured 0.
@CHECKS.add("fashion_mnist_loaders", expect=DATA_MODULE, compare=SUMS,
            contract="edges",
            hint="batch_size defaults to 64 and seed to 0; both loaders read in the main process "
                 "(num_workers=0)")
def defaults(impl, device):
    """fixture: 150 training and 70 test images, batch_size and seed left out: the order and
    labels of every batch, and each loader's num_workers"""
    with tempfile.TemporaryDirectory() as root:
        write_fashion_mnist_fixture(root, 150, 70, 7)
        train, test = loader_pair(impl.fashion_mnist_loaders(root))
        return {"train": batches_out(train, images=False), "test": batches_out(test, images=False),
                "num_workers": [getattr(loader, "num_workers", 0) for loader in (train, test)]}


@contextmanager
def mirrors_unreachable():
    """FashionMNIST with no download mirror: an attempt to download fails at once (RuntimeError
    after creating its raw folder), without the network."""
    from torchvision import datasets  # here: importing torchvision costs 1.5 s or more

    saved = vars(datasets.FashionMNIST)["mirrors"]
    datasets.FashionMNIST.mirrors = []
    try:
        yield
    finally:
        datasets.FashionMNIST.mirrors = saved


@AS_REFERENCE.add("fashion_mnist_loaders", contract="errors",
                  hint="download=False: the files must already be there; torchvision then raises "
                       "RuntimeError, and nothing is downloaded or written")
def never_downloads(impl, device):
    """an empty folder (no FashionMNIST files): the exception, and what is in the folder
    afterwards"""
    with mirrors_unreachable(), tempfile.TemporaryDirectory() as root:
        error = raised(lambda: impl.fashion_mnist_loaders(root))
        written = sorted(path.relative_to(root).as_posix() for path in Path(root).rglob("*"))
    return {"error": error, "written": written}


@AS_REFERENCE.add("fashion_mnist_loaders", contract=("returns", "dtypes", "generator"),
                  hint="return a tuple (train_loader, test_loader) of DataLoaders; batches are "
                       "images float32 (B, 1, 28, 28) and labels int64 (B,); build the shuffle "
                       "generator with torch.Generator().manual_seed(seed), never "
                       "torch.manual_seed (the global state is not yours to change)")
def returns_typed_batches(impl, device):
    """fixture: 20 training and 10 test images, batch_size 8, seed 3: the types returned, the
    dtype and shape of every batch's images and labels, and torch's global random state before
    and after the call"""
    with tempfile.TemporaryDirectory() as root:
        write_fashion_mnist_fixture(root, 20, 10, 8)
        torch.manual_seed(23)
        state = torch.get_rng_state()
        pair = impl.fashion_mnist_loaders(root, batch_size=8, seed=3)
        kept = bool(torch.equal(torch.get_rng_state(), state))
        types = type_names(pair)
        train, test = loader_pair(pair)
        batches = {name: [{"images": [str(x.dtype), list(x.shape)],
                           "labels": [str(y.dtype), list(y.shape)]} for x, y in loader]
                   for name, loader in (("train", train), ("test", test))}
    return {"types": types, "global_state_kept": kept, "batches": batches}


# ---- train_epoch ------------------------------------------------------------------------------

@TRAIN_F64.add("train_epoch", expect=SGD_ORACLE, contract="returns",
               hint="weight each batch's mean loss by its size: sum(loss.item() * B) / N, not the "
                    "mean of the batch losses")
def uneven_last_batch_weighted_mean(impl, device, dtype):
    """50 samples, batch_size 16 (last batch 2), SGD lr 0.1, {dtype}"""
    return train_probe(impl, device, dtype, n=50, seed=300)


@CHECKS.add("train_epoch", expect=REFERENCE, compare=VALUES_F64,
            variants={"momentum-float64": {"optimizer": "momentum", "dtype": torch.float64},
                      "adam-float64": {"optimizer": "adam", "dtype": torch.float64}},
            hint="call optimizer.zero_grad() before every backward: otherwise each step uses "
                 "the sum of all gradients so far")
def stateful_optimizers(impl, device, dtype, optimizer):
    """48 samples shuffled, batch_size 12, {optimizer} optimizer, {dtype}"""
    return train_probe(impl, device, dtype, batch_size=12, optimizer=optimizer, seed=310)


@CHECKS.add("train_epoch", expect=REFERENCE, compare=VALUES_F32, variants=TORCH_F32,
            devices=CPU_CUDA, contract="returns", name="large_float32",
            hint="move every batch to the device (x.to(device), y.to(device)) before the forward "
                 "pass")
def train_large_float32(impl, device, dtype):
    """Linear(64, 128), ReLU, Linear(128, 10) {dtype} on {device}, 1024 samples, batch_size 128,
    SGD"""
    return train_probe(impl, device, dtype, n=1024, batch_size=128, sizes=(64, 128, 10),
                       seed=320)


@TRAIN_F64.add("train_epoch",
               hint="call model.train() at the start: the model may come in eval mode (after "
                    "evaluate), and dropout must be on while training")
def sets_train_mode_for_dropout(impl, device, dtype):
    """a model with dropout 0.5 handed over in eval mode, {dtype}, SGD"""
    return train_probe(impl, device, dtype, p=0.5, start_eval=True, seed=330)


@TRAIN_F64.add("train_epoch", expect=SGD_ORACLE, contract="returns", name="batch_of_one",
               hint="one optimizer step per batch, however small the batch")
def train_batch_of_one(impl, device, dtype):
    """5 samples, batch_size 1, SGD lr 0.1, {dtype}"""
    return train_probe(impl, device, dtype, n=5, batch_size=1, seed=340)


@TRAIN_F64.add("train_epoch", contract="returns",
               hint="device None means the device of the model's parameters "
                    "(next(model.parameters()).device)")
def default_device(impl, device, dtype):
    """device left out (None), a CPU model, {dtype}, momentum SGD"""
    return train_probe(impl, device, dtype, optimizer="momentum", seed=350, pass_device=False)


BAR_DRAWN = r"\[(\d+:)?\d+:\d\d"
UNIT_BATCH = r"(?<![A-Za-z_])batch(?![A-Za-z_])"


# Reference against reference, both float64: measured 0 (the same epoch, bar or no bar).
@TRAIN_F64.add("train_epoch",
               hint="progress defaults to False; loop over progress_bar(loader, desc=..., "
                    "unit='batch', wanted=progress) from data.progress, which draws a bar only "
                    "when wanted; the epoch itself is the same either way")
def progress_bar_when_asked(impl, device, dtype):
    """on a terminal (stderr a terminal, CI unset), 48 samples, batch_size 16, {dtype}: progress
    left out, then progress=True"""
    out = {}
    for label, progress in (("left_out", None), ("true", True)):
        trained, text = stderr_on_a_terminal(
            lambda progress=progress: train_probe(impl, device, dtype, seed=360,
                                                  progress=progress))
        out[label] = {"loss": trained["loss"], "params": trained["params"],
                      "bar_drawn": bool(re.search(BAR_DRAWN, text))}
        if progress:
            out[label]["unit_batch"] = bool(re.search(UNIT_BATCH, text))
    return out


@AS_REFERENCE.add("train_epoch", contract=("returns", "unchanged"),
                  hint="train the model and step the optimizer, nothing else: leave the batches as "
                       "they are (x.to(device) gives a new tensor, never modify x or y in place) "
                       "and return a Python float")
def changes_only_model_and_optimizer(impl, device):
    """Linear(6, 8), ReLU, Linear(8, 3) float64, momentum SGD, a DataLoader of 3 (x, y) batches:
    the type returned and which arguments changed"""
    model = seeded_net((6, 8, 3), 370, torch.float64, device)
    opt = make_optimizer("momentum", model.parameters())
    x, y = classification_data(20, 6, 3, 371)
    data = (x.clone(), y.clone())
    # A DataLoader, as the course uses (a student may count samples with len(loader.dataset));
    # its dataset's tensors are compared as well: the loader itself compares by identity.
    returned, call = call_and_changes(impl.train_epoch, by_position=True, model=model,
                                      loader=loader_of(x, y, 8), optimizer=opt, device=device)
    if not (torch.equal(x, data[0]) and torch.equal(y, data[1])):
        call["changed"] = sorted([*call["changed"], "loader's data"])
    return {**call, "type": type_names(returned)}


# ---- evaluate ---------------------------------------------------------------------------------

WHOLE_SET_EVAL = evaluation(VALUES_F64)
EVAL_F64 = CHECKS.defaults(expect=REFERENCE, compare=WHOLE_SET_EVAL, variants=TORCH_F64)


@EVAL_F64.add("evaluate", contract=("returns", "restores"),
              hint="switch to model.eval() (dropout off), then give back the mode the model came "
                   "in with: was_training = model.training ... model.train(was_training)")
def restores_train_mode(impl, device, dtype):
    """a model with dropout 0.5 handed over in train mode, {dtype}, 40 samples"""
    return evaluate_probe(impl, device, dtype, p=0.5, mode="train", seed=400)


@EVAL_F64.add("evaluate", contract="restores",
              hint="restore the previous mode, not always train mode: a model that came in eval "
                   "mode stays in eval mode")
def keeps_eval_mode(impl, device, dtype):
    """a model with dropout 0.3 handed over in eval mode, {dtype}, 24 samples"""
    return evaluate_probe(impl, device, dtype, n=24, p=0.3, mode="eval", seed=410)


@EVAL_F64.add("evaluate",
              hint="run the loop inside torch.no_grad(): evaluation must not record a graph")
def no_grad_batch_of_one(impl, device, dtype):
    """batch_size 1, 6 samples, {dtype}: every forward pass"""
    return evaluate_probe(impl, device, dtype, n=6, batch_size=1, seed=420)


@EVAL_F64.add("evaluate", contract="returns", name="uneven_last_batch_weighted_mean",
              hint="sum the per-sample losses (reduction='sum') and divide by the number of "
                   "samples: a batch of 1 must not count as much as a batch of 16")
def evaluate_uneven_last_batch_weighted_mean(impl, device, dtype):
    """33 samples, batch_size 16 (last batch 1), {dtype}"""
    return evaluate_probe(impl, device, dtype, n=33, seed=430)


@CHECKS.add("evaluate", expect=REFERENCE, compare=evaluation(VALUES_F32), variants=TORCH_F32,
            name="large_float32", contract="returns",
            devices=CPU_CUDA,
            hint="move every batch to the device; return Python floats (.item()), the accuracy "
                 "as a fraction in [0, 1]")
def evaluate_large_float32(impl, device, dtype):
    """Linear(64, 128), ReLU, Dropout(0.2), Linear(128, 10) {dtype} on {device} in train mode,
    2048 samples, batch_size 256"""
    return evaluate_probe(impl, device, dtype, n=2048, batch_size=256, p=0.2, mode="train",
                          sizes=(64, 128, 10), seed=440)


# Reference against reference, both float64: measured 0.
@EVAL_F64.add("evaluate", name="default_device",
              hint="device None means the device of the model's parameters "
                   "(next(model.parameters()).device)")
def evaluate_default_device(impl, device, dtype):
    """device left out (None), a CPU model, {dtype}, 40 samples, batch_size 16"""
    return evaluate_probe(impl, device, dtype, seed=450, pass_device=False)


def failing_loader(batches):
    """A loader whose second batch fails to load (a RuntimeError, as a corrupt file gives)."""
    yield batches[0]
    raise RuntimeError("the second batch could not be read")


@AS_REFERENCE.add("evaluate", contract=("returns", "unchanged", "restores"),
                  hint="put the mode back in a finally block (model.train(was_training)) so it is "
                       "restored even when the loop raises; use `with torch.no_grad():`, which "
                       "turns gradients back on; return a tuple of two Python floats")
def model_left_as_it_came(impl, device):
    """Linear(5, 7), ReLU, Dropout(0.3), Linear(7, 3) float64 handed over in train mode and in
    eval mode: 12 samples in batches of 8, then a loader whose second batch raises: the types
    returned, whether it raised, which arguments changed (the model's parameters and mode) and
    whether gradients are enabled afterwards"""
    x, y = classification_data(12, 5, 3, 620)
    batches = [(x[:8], y[:8]), (x[8:], y[8:])]
    out = {}
    for mode in ("train", "eval"):
        model = seeded_net((5, 7, 3), 621, torch.float64, device, "relu", 0.3)
        model.train(mode == "train")
        returned, call = call_and_changes(impl.evaluate, by_position=True, model=model,
                                          loader=loader_of(x, y, 8), device=device)
        grad_after_call = torch.is_grad_enabled()
        failed = changed_arguments(lambda model, loader: impl.evaluate(model, loader, device),
                                   model=model, loader=failing_loader(batches))
        out[mode] = {"changed": call["changed"], "raised": call["raised"],
                     "type": type_names(returned),
                     "grad_enabled": [grad_after_call, torch.is_grad_enabled()],
                     "failing_loader": {"raised": failed["raised"] is not None,
                                        "changed": failed["changed"]}}
        torch.set_grad_enabled(True)
    return out


# ---- save_checkpoint and load_checkpoint ------------------------------------------------------

def run_epochs(model, opt, x, y, first, last, seed):
    """Epochs first, ..., last - 1 of mini-batch training (batches of 8); epoch e's order comes
    from generator(seed + e) alone, so a resumed run sees the same data."""
    device = next(model.parameters()).device
    for epoch in range(first, last):
        order = torch.randperm(len(y), generator=generator(seed + epoch))
        for start in range(0, len(y), 8):
            index = order[start:start + 8]
            opt.zero_grad()
            F.cross_entropy(model(x[index].to(device)), y[index].to(device)).backward()
            opt.step()


def resume_probe(impl, device, dtype, student, optimizer="adam", seed=500):
    """Four epochs straight, and two epochs, a checkpoint, a fresh model and optimizer from
    another seed, the checkpoint loaded, two more epochs. `student` says which half of the
    checkpoint is the implementation's ("save" or "load"); the other half is torch's."""
    x, y = classification_data(40, 6, 3, seed)
    fresh = [seeded_net((6, 8, 3), seed + k, dtype, device) for k in (1, 1, 2)]
    opts = [make_optimizer(optimizer, model.parameters()) for model in fresh]
    straight, first, resumed = fresh
    run_epochs(straight, opts[0], x, y, 0, 4, seed)
    run_epochs(first, opts[1], x, y, 0, 2, seed)
    with tempfile.TemporaryDirectory() as folder:
        path = checkpoint_file(folder)
        if student == "save":
            impl.save_checkpoint(path, first, opts[1], 2)
            checkpoint = torch.load(path, map_location=device, weights_only=True)
            resumed.load_state_dict(checkpoint["model"])
            opts[2].load_state_dict(checkpoint["optimizer"])
            epoch = checkpoint["epoch"]
        else:
            torch.save({"model": first.state_dict(), "optimizer": opts[1].state_dict(),
                        "epoch": 2}, path)
            epoch = impl.load_checkpoint(path, resumed, opts[2])
    if type(epoch) is not int or not 0 <= epoch <= 4:
        raise ProbeError(f"the checkpoint's epoch is {epoch!r}, expected the int 2")
    run_epochs(resumed, opts[2], x, y, epoch, 4, seed)
    return {"epoch": epoch, "straight": state_out(straight), "resumed": state_out(resumed)}


def resumed_identical(tolerance):
    """The resumed run equals the uninterrupted one bit for bit, and the reference's resumed run
    within `tolerance` (float64 on the CPU: exactly)."""
    def compare(got: dict, want: dict) -> None:
        require(got["epoch"] == want["epoch"], f"the checkpoint's epoch is {got['epoch']}, "
                "expected the number of epochs completed", "epoch")
        try:
            EXACT(got["resumed"], got["straight"])
        except Mismatch as mismatch:
            raise Mismatch("the resumed run differs from the uninterrupted one "
                           f"({mismatch.detail})", f"resumed.{mismatch.where}") from None
        tolerance(got["resumed"], want["resumed"])
    return compare


@CHECKS.add("save_checkpoint", expect=REFERENCE, compare=resumed_identical(EXACT),
            variants=TORCH_F64,
            hint="save the optimizer's state_dict too: Adam's moments and step counts are part of "
                 "the run")
def resumed_run_identical(impl, device, dtype):
    """Linear(6, 8), ReLU, Linear(8, 3) {dtype}, Adam: 4 epochs straight against 2 epochs, your
    checkpoint, a fresh model and Adam, 2 more epochs"""
    return resume_probe(impl, device, dtype, "save")


@AS_REFERENCE.add("save_checkpoint", contract=("returns", "keys"),
                  hint="optimizer.state_dict() holds the momentum buffers; save it under "
                       "'optimizer'")
def saves_momentum_state(impl, device):
    """Linear(6, 8), ReLU, Linear(8, 3) float64 after 2 steps of SGD with momentum 0.9, epoch 11"""
    return save_probe(impl, device, optimizer="momentum", epoch=11, seed=510)


@CHECKS.add("save_checkpoint", expect=REFERENCE, compare=VALUES_F64, devices=("cuda",),
            hint="save state_dicts (tensors), not the model object; torch.load(map_location=...) "
                 "then reads them on any device")
def saves_cuda_model(impl, device):
    """a float64 model and Adam on cuda, epoch 4, read back on the CPU"""
    return save_probe(impl, device, epoch=4, seed=520)


@AS_REFERENCE.add("save_checkpoint", contract=("returns", "unchanged", "keys"),
                  hint="torch.save a dict with exactly the keys 'model', 'optimizer' and 'epoch' "
                       "(an int), return None, and leave the model (its parameters and mode) and "
                       "the optimizer as they were")
def writes_exactly_the_documented_keys(impl, device):
    """Linear(6, 8), ReLU, Linear(8, 3) float64 in train mode after 2 steps of SGD with momentum,
    epoch 5: what it returns, which arguments changed, the checkpoint's keys and the type of its
    epoch"""
    model, opt = trained_model(630, torch.float64, device, "momentum")
    with tempfile.TemporaryDirectory() as folder:
        path = checkpoint_file(folder)
        returned, call = call_and_changes(impl.save_checkpoint, by_position=True, path=path,
                                          model=model, optimizer=opt, epoch=5)
        saved = torch.load(path, map_location="cpu", weights_only=True)
    if not isinstance(saved, dict):
        raise ProbeError(f"the checkpoint holds a {type(saved).__name__}, expected a dict")
    return {**call, "returned": type_names("nothing: it raised" if call["raised"] else returned),
            "keys": sorted(str(key) for key in saved),
            "epoch": type_names(saved.get("epoch"))}


@CHECKS.add("load_checkpoint", expect=REFERENCE, compare=resumed_identical(VALUES_F64),
            name="resumed_run_identical", contract=("returns", "restores"),
            variants=TORCH_F64, devices=CPU_CUDA,
            hint="restore the optimizer too (optimizer.load_state_dict), and map the tensors to "
                 "the model's device")
def load_resumed_run_identical(impl, device, dtype):
    """Linear(6, 8), ReLU, Linear(8, 3) {dtype} on {device}, Adam: 4 epochs straight against 2
    epochs, a checkpoint, your load into a fresh model and Adam, 2 more"""
    return resume_probe(impl, device, dtype, "load", seed=530)


@AS_REFERENCE.add("load_checkpoint", contract="restores",
                  hint="optimizer=None loads the model only and leaves the optimizer alone")
def model_only(impl, device):
    """a checkpoint after 2 steps of SGD with momentum, loaded with optimizer=None"""
    return load_probe(impl, device, optimizer="momentum", with_optimizer=False, seed=540)


@AS_REFERENCE.add("load_checkpoint", contract="restores",
                  hint="load into the existing model and optimizer with load_state_dict, and "
                       "return the saved epoch as an int")
def momentum_state_restored(impl, device):
    """a checkpoint after 2 steps of SGD with momentum, loaded into a fresh model and optimizer"""
    return load_probe(impl, device, optimizer="momentum", seed=550)


@contextmanager
def saved_as_on(location):
    """torch.save records every CPU tensor as stored on `location` ("cuda:1"), as a checkpoint
    written on that GPU records it."""
    from torch import serialization

    entry = (-1, lambda storage: location if storage.device.type == "cpu" else None,
             lambda storage, saved_location: None)
    serialization._package_registry.insert(0, entry)
    try:
        yield
    finally:
        serialization._package_registry.remove(entry)


@AS_REFERENCE.add("load_checkpoint",
                  hint="torch.load(path, map_location=<the device of the model's parameters>, "
                       "weights_only=True): without map_location torch tries to put the tensors "
                       "back on the GPU they were saved from")
def saved_on_another_gpu(impl, device):
    """a checkpoint saved on a GPU this machine does not have (Adam, epoch 6), loaded into a
    fresh model and Adam on the CPU"""
    source, source_opt = trained_model(560, torch.float64, "cpu", "adam")
    model, opt = trained_model(561, torch.float64, device, "adam", steps=0)
    with tempfile.TemporaryDirectory() as folder:
        with saved_as_on(f"cuda:{torch.cuda.device_count()}"):  # one index past the last GPU
            torch.save({"model": source.state_dict(), "optimizer": source_opt.state_dict(),
                        "epoch": 6}, checkpoint_file(folder))
        epoch = impl.load_checkpoint(checkpoint_file(folder), model, opt)
    return {"epoch": scalar(epoch, "the returned epoch"), "model": state_out(model),
            "optimizer": to_plain(opt.state_dict())}


@AS_REFERENCE.add("load_checkpoint",
                  hint="torch.load(..., weights_only=True) unpickles only tensors and plain "
                       "containers and refuses any other object: unpickling one could run "
                       "arbitrary code")
def refuses_pickled_objects(impl, device):
    """a checkpoint file that pickles a whole nn.Module object besides the state_dicts"""
    source, source_opt = trained_model(570, torch.float64, "cpu", "momentum")
    model, opt = trained_model(571, torch.float64, device, "momentum", steps=0)
    with tempfile.TemporaryDirectory() as folder:
        torch.save({"model": source.state_dict(), "optimizer": source_opt.state_dict(),
                    "epoch": 5, "module": source}, checkpoint_file(folder))
        error = raised(lambda: impl.load_checkpoint(checkpoint_file(folder), model, opt))
    return {"error": error}

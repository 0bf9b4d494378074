"""Public checks of topic 5-07 (torch_fundamentals): run them with
`make check TOPIC=torch_fundamentals`.

Expected data come from torch itself (a network built from `nn` modules, `F.cross_entropy`,
`torch.autograd.grad`, `torch.save`/`torch.load`), a NumPy forward pass, the dataset code in
`data/` (FashionMNIST-format fixtures written into a temporary folder), the docstrings' formulas
and worked example, or from properties every correct answer has; never from the reference
solution. Each check exercises one function: the models, data and optimizers around it are built
here from plain torch. Each tolerance is written next to its check with the error the reference
measured. The inputs, probes, oracles and compares here are shared with the hidden checks.
"""

from __future__ import annotations

import math
import os
import tempfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from autograder.runtime.check import CheckSet, ProbeError, echo, literal, oracle
from autograder.runtime.compare import EXACT, Close, Mismatch, mean_within, require
from autograder.runtime.plain import to_plain
from autograder.runtime.probing import generator, randn, scalar, tensor_out
from autograder.runtime.variants import TORCH_F32, TORCH_F64
from data.fashion_mnist import FASHION_MNIST_MEAN, FASHION_MNIST_STD
from data.fixtures import read_idx, write_fashion_mnist_fixture

CHECKS = CheckSet("torch_fundamentals", "public")
ALPHA = 1e-6  # false-failure rate of each statistical check
# float64 answers against float64 torch or NumPy: the reference measured at most 2.2e-15 abs
# (square layers after load_numpy_weights against the NumPy forward; forward passes, training,
# evaluation and checkpoints 1.1e-16 or less); a real mistake is off by 1e-3 or more.
VALUES_F64 = Close(rtol=1e-10, atol=1e-12)  # measured 2.2e-15 abs (see above)
# Normalised FashionMNIST pixels, float32 from torchvision against the formula evaluated in
# float64 and rounded once to float32: measured 2.4e-7 abs (one float32 rounding of values up to
# 2.03); a missing or wrong normalisation is off by 0.1 or more.
PIXELS = Close(rtol=0.0, atol=2e-6)  # measured 2.4e-7 abs (see above)
# The MLP layout for [784, 256, 128, 10], written out in MLP's docstring.
LAYOUT_784 = {"keys": ["net.0.weight", "net.0.bias", "net.3.weight", "net.3.bias", "net.6.weight",
                       "net.6.bias"],
              "shapes": [[256, 784], [256], [128, 256], [128], [10, 128], [10]],
              "parameters": 235146}
ACTIVATION_NAMES = ("relu", "tanh", "sigmoid")

HINTS = {
    "get_device": "None: cuda if torch.cuda.is_available() else cpu; otherwise torch.device("
                  "requested), after checking that a CUDA device really is available (RuntimeError "
                  "if not, never a silent CPU fallback)",
    "MLP": "keep the layers in an nn.Sequential attribute self.net: Linear, activation, Dropout, "
           "..., Linear; nn.Dropout is active in train() mode only",
    "init_weights": "nn.init.kaiming_normal_(weight, mode='fan_in', nonlinearity=...) with the "
                    "given generator, 'linear' for the last layer, nn.init.zeros_ for biases",
    "load_numpy_weights": "NumPy layers compute x @ W + b, nn.Linear computes x @ weight.T + bias: "
                          "copy W_k.T into the k-th Linear's weight, in place, under no_grad",
    "fashion_mnist_loaders": "ToTensor then Normalize((mean,), (std,)); the training loader "
                             "shuffles with torch.Generator().manual_seed(seed), the test loader "
                             "keeps file order",
    "train_epoch": "model.train(); per batch: zero_grad, forward, F.cross_entropy, backward, step; "
                   "return a Python float, sum(loss.item() * batch size) / number of samples",
    "evaluate": "model.eval() and torch.no_grad(); sum the per-sample losses (reduction='sum') "
                "and the correct argmaxes; restore the mode the model came in with "
                "(model.train(was_training))",
    "save_checkpoint": "torch.save({'model': model.state_dict(), 'optimizer': "
                       "optimizer.state_dict(), 'epoch': epoch}, path)",
    "load_checkpoint": "torch.load(path, map_location=<model's device>, weights_only=True), then "
                       "model.load_state_dict and optimizer.load_state_dict; return the epoch",
}


# ---- models, data and optimizers the probes build (shared with the hidden checks) --------------

def layout(sizes, activation="relu", p=0.0, dtype=torch.float64, device="cpu"):
    """MLP's documented layout from torch.nn (Linear, Act, Dropout, ..., Linear) with PyTorch's
    default initialisation (nonzero biases), drawn from a fixed global seed."""
    activations = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
    torch.manual_seed(len(sizes) + sum(sizes))
    layers = []
    for index in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[index], sizes[index + 1], dtype=dtype, device=device))
        if index < len(sizes) - 2:
            layers += [activations[activation](), nn.Dropout(p)]
    return nn.Sequential(*layers)


def linear_layers(model, function):
    """The registered nn.Linear layers of model, input side first."""
    layers = [module for module in model.modules() if isinstance(module, nn.Linear)]
    if not layers:
        raise ProbeError(f"{function}: the model has no registered nn.Linear layer; keep the "
                         "layers in an nn.Sequential (or nn.ModuleList) attribute, not a Python "
                         "list")
    return layers


def set_weights(model, seed, function):
    """Seeded weights N(0, 1/fan_in) and biases N(0, 0.01) in every Linear layer (draws rounded
    to float32 values, so float32 and float64 models hold the same numbers up to one rounding)."""
    with torch.no_grad():
        for k, layer in enumerate(linear_layers(model, function)):
            weight = layer.weight
            weight.copy_(randn(tuple(weight.shape), seed + 2 * k, weight.dtype, weight.device)
                         / math.sqrt(weight.shape[1]))
            layer.bias.copy_(randn(tuple(layer.bias.shape), seed + 2 * k + 1, weight.dtype,
                                   weight.device) * 0.1)
    return model


def seeded_net(sizes, seed, dtype=torch.float64, device="cpu", activation="relu", p=0.0):
    return set_weights(layout(sizes, activation, p, dtype, device), seed, "the check's model")


def classification_data(n, features, classes, seed, dtype=torch.float64):
    """x (n, features) standard normal (float32 values) and labels (n,) int64, on the CPU."""
    x = randn((n, features), seed, dtype)
    y = torch.randint(0, classes, (n,), generator=generator(seed + 1))
    return x, y


def loader_of(x, y, batch_size, shuffle_seed=None):
    """A DataLoader over (x, y); shuffled from generator(shuffle_seed) when one is given."""
    shuffle = shuffle_seed is not None
    return DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=shuffle,
                      generator=generator(shuffle_seed) if shuffle else None)


def make_optimizer(kind, parameters):
    if kind == "sgd":
        return torch.optim.SGD(parameters, lr=0.1)
    if kind == "momentum":
        return torch.optim.SGD(parameters, lr=0.05, momentum=0.9, weight_decay=1e-3)
    return torch.optim.Adam(parameters, lr=0.01)


def state_out(module):
    """A module's state_dict as float64 arrays, by key."""
    return {key: to_plain(value.detach().to(torch.float64))
            for key, value in module.state_dict().items()}


# ---- get_device -------------------------------------------------------------------------------

def _available_device(requested=None):
    """The oracle: the docstring's rule for None, and torch.device(requested) otherwise."""
    if requested is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(requested)


@CHECKS.add("get_device", expect=oracle("torch.cuda.is_available()", get_device=_available_device),
            compare=EXACT, hint=HINTS["get_device"])
def auto_and_cpu(impl, device):
    """get_device() and get_device('cpu')"""
    auto, cpu = impl.get_device(), impl.get_device("cpu")
    return {"auto": str(auto), "cpu": str(cpu),
            "torch_devices": [isinstance(auto, torch.device), isinstance(cpu, torch.device)]}


# ---- MLP --------------------------------------------------------------------------------------

def _torch_mlp(sizes, activation="relu", dropout=0.0):
    """The oracle: the same network from torch.nn without any dropout, after nn.Flatten."""
    return nn.Sequential(nn.Flatten(), *layout(sizes, activation, 0.0))


TORCH_MLP = oracle("the network built from torch.nn, without dropout", MLP=_torch_mlp)


def mlp_probe(impl, device, dtype, sizes, activation, p, n, seed, noncontiguous=False,
              images=False):
    """Evaluation-mode outputs of impl.MLP with seeded weights, twice (dropout must be off)."""
    model = impl.MLP(list(sizes), activation, p).to(device=device, dtype=dtype)
    set_weights(model, seed, "MLP")
    model.eval()
    shape = (n, 1, 28, 28) if images else (n, sizes[0])
    x = randn(shape, seed + 100, dtype, device, noncontiguous)
    with torch.no_grad():
        first, second = model(x), model(x)
    return {"y": tensor_out(first, "MLP.forward", x),
            "again": tensor_out(second, "MLP.forward", x)["values"]}


@CHECKS.add("MLP", expect=literal(LAYOUT_784, "the docstring's example"), compare=EXACT,
            contract=("keys", "edges"),
            hint=HINTS["MLP"])
def state_dict_layout(impl, device):
    """MLP([784, 256, 128, 10]): state_dict keys, shapes, parameter count"""
    return layout_out(impl.MLP([784, 256, 128, 10]))


def layout_out(model):
    """A module's state_dict keys and shapes, and its number of parameters."""
    state = model.state_dict()
    return {"keys": list(state), "shapes": [list(value.shape) for value in state.values()],
            "parameters": sum(p.numel() for p in model.parameters())}


@CHECKS.add("MLP", expect=TORCH_MLP, compare=VALUES_F64, variants=TORCH_F64,
            hint="in eval mode dropout is off: the output equals the same network without "
                 "dropout, and two calls agree")
def eval_matches_torch_without_dropout(impl, device, dtype):
    """MLP([20, 32, 16, 5], relu, dropout 0.5) in eval mode, seeded weights, x (16, 20) {dtype},
    called twice"""
    return mlp_probe(impl, device, dtype, (20, 32, 16, 5), "relu", 0.5, 16, 10)


# float32 answers against float64 torch: measured 1.2e-7 abs; a real mistake is off by 1e-2.
@CHECKS.add("MLP", expect=TORCH_MLP, compare=Close(rtol=1e-4, atol=2e-5),  # measured 1.2e-7
            variants=TORCH_F32,
            hint="float32 in, float32 out: nn.Linear's parameters are float32 by default; never "
                 "set a dtype of your own inside the model")
def matches_torch_float32(impl, device, dtype):
    """MLP([12, 16, 3], tanh, dropout 0.0), seeded weights, x (8, 12) {dtype}"""
    return mlp_probe(impl, device, dtype, (12, 16, 3), "tanh", 0.0, 8, 12)


# ---- init_weights -----------------------------------------------------------------------------

def init_probe(impl, device, sizes, nonlinearity, seed, as_generator=False, again=False):
    """Weights and biases of a layout(sizes) model after init_weights (float32, default init
    replaced); `again`: a second model from torch.Generator().manual_seed(seed) as well."""
    def initialised(use_generator):
        model = layout(sizes, nonlinearity, 0.0, torch.float32, device)
        source = generator(seed, device) if use_generator else seed
        returned = impl.init_weights(model, source, nonlinearity)
        layers = linear_layers(model, "init_weights")
        return {"weights": [to_plain(layer.weight) for layer in layers],
                "biases": [to_plain(layer.bias) for layer in layers],
                "returned_model": returned is model}

    out = initialised(as_generator)
    if again:
        out["again"] = initialised(True)["weights"]
    return out


# The oracle for statistical checks: the model as it was (its layers' shapes).
SHAPES = echo("init_weights", label="the layers' shapes")


def kaiming_statistics(gains):
    """Each layer's weights ~ N(0, gain^2 / fan_in) (gains: one per layer, input side first),
    biases exactly 0, the model returned; with "again", the same seed gave the same weights."""
    def compare(got: dict, want: dict) -> None:
        require(got["returned_model"] is True, "init_weights must return the model it was given",
                "returned_model")
        for k, (weights, shaped, gain) in enumerate(zip(got["weights"], want["weights"], gains,
                                                        strict=True)):
            where = f"weights[{k}]"
            require(type(weights) is np.ndarray and weights.shape == shaped.shape,
                    f"expected an array of shape {shaped.shape}", where)
            variance = gain**2 / shaped.shape[1]
            # weight^2 / variance is chi-square with 1 degree of freedom: mean 1, std sqrt(2)
            mean_within((weights.astype(np.float64) ** 2 / variance).ravel(), 1.0, math.sqrt(2),
                        ALPHA, f"mean of weight^2 / (gain^2 / fan_in) with gain {gain:.4g}",
                        where)
        for k, bias in enumerate(got["biases"]):
            require(type(bias) is np.ndarray and not np.any(bias),
                    "biases must be exactly 0 (nn.init.zeros_)", f"biases[{k}]")
        if "again" in got:  # both from seed: an int and a Generator
            try:
                EXACT(got["again"], got["weights"])
            except Mismatch as mismatch:
                raise Mismatch(f"{mismatch.detail}: seed 0 as an int and as a torch.Generator "
                               "seeded with 0 must give the same weights",
                               mismatch.where.replace("output", "weights", 1)) from None
    return compare


@CHECKS.add("init_weights", expect=SHAPES,
            compare=kaiming_statistics((math.sqrt(2), math.sqrt(2), 1.0)),
            hint=HINTS["init_weights"])
def kaiming_relu_statistics(impl, device):
    """layers [784, 256, 128, 10], relu, seed 0 as an int and as a torch.Generator"""
    return init_probe(impl, device, (784, 256, 128, 10), "relu", 0, again=True)


# ---- load_numpy_weights -----------------------------------------------------------------------

def numpy_params(sizes, seed):
    """A NumPy network's parameters as topic 5-06 stores them: W_k (d_{k-1}, d_k), b_k (d_k,),
    float64."""
    rng = np.random.default_rng(seed)
    params = {}
    for k in range(1, len(sizes)):
        params[f"W{k}"] = rng.standard_normal((sizes[k - 1], sizes[k])) * math.sqrt(
            2.0 / sizes[k - 1])
        params[f"b{k}"] = rng.standard_normal(sizes[k]) * 0.1
    return params


def _numpy_forward_instead(model, params):
    """The oracle: the model's output replaced by the NumPy network's own forward pass in float64,
    relu(x @ W_k + b_k) layer by layer with no ReLU after the last, computed here."""
    def numpy_forward(module, inputs, output):
        h = inputs[0].detach().cpu().numpy().astype(np.float64)
        layers = len(params) // 2
        for k in range(1, layers + 1):
            h = h @ params[f"W{k}"] + params[f"b{k}"]
            if k < layers:
                h = np.maximum(h, 0.0)
        return torch.from_numpy(h).to(output.dtype)

    model.register_forward_hook(numpy_forward)
    return model


NUMPY_FORWARD = oracle("a NumPy forward pass", load_numpy_weights=_numpy_forward_instead)


def numpy_load_probe(impl, device, dtype, sizes=(20, 16, 12, 5), n=16, seed=20,
                     noncontiguous=False):
    """Outputs of a layout(sizes) relu model after load_numpy_weights, in eval mode."""
    model = layout(sizes, "relu", 0.0, dtype, device)
    returned = impl.load_numpy_weights(model, numpy_params(sizes, seed))
    model.eval()
    x = randn((n, sizes[0]), seed + 1, dtype, device, noncontiguous)
    with torch.no_grad():
        y = model(x)
    return {"y": tensor_out(y, "the model after load_numpy_weights", x),
            "returned_model": returned is model}


@CHECKS.add("load_numpy_weights", expect=NUMPY_FORWARD, compare=VALUES_F64, variants=TORCH_F64,
            hint=HINTS["load_numpy_weights"])
def matches_numpy_forward(impl, device, dtype):
    """layers [20, 16, 12, 5], relu, NumPy W1 (20, 16) ... b3 (5,), x (16, 20) {dtype}"""
    return numpy_load_probe(impl, device, dtype)


# ---- fashion_mnist_loaders --------------------------------------------------------------------

def loader_pair(pair):
    if not (isinstance(pair, tuple) and len(pair) == 2):
        raise ProbeError("fashion_mnist_loaders must return (train_loader, test_loader), got "
                         f"{type(pair).__name__}")
    return pair


def batches_out(loader, images=True):
    """Every batch of one pass: images (as returned) and labels; or per-image pixel sums
    (float64) instead of images, to identify the order with small answers."""
    out = []
    for batch in loader:
        if not (isinstance(batch, (tuple, list)) and len(batch) == 2):
            raise ProbeError("a loader's batch must be (images, labels), got "
                             f"{type(batch).__name__}")
        x, y = batch
        value = to_plain(x) if images else to_plain(x.detach().double().flatten(1).sum(1))
        out.append({"images" if images else "sums": value, "labels": to_plain(y)})
    return out


def loaders_probe(impl, device, n_train=70, n_test=40, batch_size=32, seed=0, data_seed=0,
                  images=True):
    """One pass of both loaders over a fixture written into a fresh temporary folder."""
    with tempfile.TemporaryDirectory() as root:
        write_fashion_mnist_fixture(root, n_train, n_test, data_seed)
        train, test = loader_pair(impl.fashion_mnist_loaders(root, batch_size=batch_size,
                                                             seed=seed))
        return {"train": batches_out(train, images), "test": batches_out(test, images)}


def _torchvision_loaders(root, batch_size=64, seed=0):
    """The oracle: torchvision's FashionMNIST with ToTensor and Normalize, the training loader
    shuffled by a generator seeded with `seed`, the test loader in file order. It lives here,
    not in data/, because writing it is the task."""
    from torchvision import datasets, transforms  # here: importing torchvision costs 1.5 s

    normalise = transforms.Compose([transforms.ToTensor(),
                                    transforms.Normalize((FASHION_MNIST_MEAN,),
                                                         (FASHION_MNIST_STD,))])

    def split(train):
        return datasets.FashionMNIST(root, train=train, transform=normalise)

    return (DataLoader(split(True), batch_size=batch_size, shuffle=True,
                       generator=torch.Generator().manual_seed(seed)),
            DataLoader(split(False), batch_size=batch_size, shuffle=False))


DATA_MODULE = oracle("torchvision's FashionMNIST, ToTensor then Normalize, seeded shuffle",
                     fashion_mnist_loaders=_torchvision_loaders)


def _formula_loaders(root, batch_size=64, seed=0):
    """The oracle: the fixture's IDX files read with data.fixtures.read_idx and normalised by
    (pixel / 255 - mean) / std in float64, rounded once to float32; batches in file order."""
    raw = Path(root) / "FashionMNIST" / "raw"

    def batches(prefix):
        pixels = read_idx(raw / f"{prefix}-images-idx3-ubyte").astype(np.float64)
        labels = torch.from_numpy(read_idx(raw / f"{prefix}-labels-idx1-ubyte").astype(np.int64))
        images = torch.from_numpy((pixels / 255.0 - FASHION_MNIST_MEAN)
                                  / FASHION_MNIST_STD).float()[:, None]
        return [(images[i:i + batch_size], labels[i:i + batch_size])
                for i in range(0, len(labels), batch_size)]

    return batches("train"), batches("t10k")


FORMULA = oracle("(pixel / 255 - mean) / std", fashion_mnist_loaders=_formula_loaders)


@CHECKS.add("fashion_mnist_loaders", expect=DATA_MODULE, compare=PIXELS,
            hint=HINTS["fashion_mnist_loaders"])
def batches_match_data_module(impl, device):
    """fixture: 70 training and 40 test images, batch_size 32, seed 0: every batch"""
    return loaders_probe(impl, device)


@CHECKS.add("fashion_mnist_loaders", expect=FORMULA, compare=PIXELS,
            hint="each image is (pixel / 255 - FASHION_MNIST_MEAN) / FASHION_MNIST_STD: "
                 "transforms.ToTensor() then transforms.Normalize; the test loader keeps file "
                 "order")
def normalised_by_formula(impl, device):
    """fixture: 30 training and 40 test images, batch_size 16: the test batches"""
    return {"test": loaders_probe(impl, device, 30, 40, 16, data_seed=1)["test"]}


# ---- train_epoch ------------------------------------------------------------------------------

def _autograd_sgd_epoch(model, loader, optimizer, device=None):
    """The oracle: plain SGD by hand, batch by batch: gradients from torch.autograd.grad, then
    w <- w - lr * grad; the loss weighted by batch size."""
    lr = optimizer.param_groups[0]["lr"]
    params = list(model.parameters())
    model.train()
    total, count = 0.0, 0
    for x, y in loader:
        loss = F.cross_entropy(model(x), y)
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for param, grad in zip(params, grads, strict=True):
                param -= lr * grad
        total += loss.item() * len(y)
        count += len(y)
    return total / count


def train_probe(impl, device, dtype, n=48, batch_size=16, optimizer="sgd", p=0.0,
                start_eval=False, sizes=(12, 16, 4), seed=30, pass_device=True, progress=None):
    """One epoch of impl.train_epoch on a seeded model and shuffled data: the returned loss, its
    type, the mode afterwards and the trained parameters. `pass_device` False leaves device out;
    `progress` None leaves progress out, a bool passes it."""
    model = seeded_net(sizes, seed, dtype, device, "relu", p)
    x, y = classification_data(n, sizes[0], sizes[-1], seed + 10, dtype)
    loader = loader_of(x, y, batch_size, shuffle_seed=seed + 20)
    opt = make_optimizer(optimizer, model.parameters())
    if start_eval:
        model.eval()
    torch.manual_seed(seed + 30)  # dropout's draws: the same on both sides
    args = (model, loader, opt, device) if pass_device else (model, loader, opt)
    loss = impl.train_epoch(*args, **({} if progress is None else {"progress": progress}))
    return {"loss": scalar(loss, "train_epoch's return value"),
            "returned_float": type(loss) is float, "training": model.training,
            "params": state_out(model)}


@CHECKS.add("train_epoch", expect=oracle("torch.autograd.grad and the SGD formula",
                                         train_epoch=_autograd_sgd_epoch),
            compare=VALUES_F64, variants=TORCH_F64,
            hint=HINTS["train_epoch"])
def matches_autograd_sgd(impl, device, dtype):
    """Linear(12, 16), ReLU, Linear(16, 4) {dtype}, 48 samples shuffled, batch_size 16, SGD lr
    0.1: the returned loss and the parameters after the epoch"""
    return train_probe(impl, device, dtype)


# ---- evaluate ---------------------------------------------------------------------------------

def _whole_set_evaluation(model, loader, device=None):
    """The oracle: one forward pass over the whole data set in eval mode without gradients,
    F.cross_entropy's mean and the argmax accuracy; the model's mode restored."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        batches = list(loader)
        x, y = torch.cat([b[0] for b in batches]), torch.cat([b[1] for b in batches])
        logits = model(x)
        loss = F.cross_entropy(logits, y).item()
        accuracy = (logits.argmax(dim=1) == y).double().mean().item()
    model.train(was_training)
    return loss, accuracy


WHOLE_SET = oracle("F.cross_entropy over the whole set", evaluate=_whole_set_evaluation)


def evaluate_probe(impl, device, dtype, n=40, batch_size=16, p=0.0, mode="eval",
                   sizes=(12, 16, 4), seed=40, pass_device=True):
    """impl.evaluate on a seeded model started in `mode`: loss, accuracy, their types, every
    module's mode afterwards, and (mode, grad enabled) at each forward call. `pass_device` False
    leaves device out."""
    model = seeded_net(sizes, seed, dtype, device, "relu", p)
    x, y = classification_data(n, sizes[0], sizes[-1], seed + 10, dtype)
    calls = []
    model.register_forward_hook(
        lambda module, inputs, output: calls.append([module.training, torch.is_grad_enabled()]))
    model.train(mode == "train")
    torch.manual_seed(seed + 30)
    loader = loader_of(x, y, batch_size)
    result = impl.evaluate(model, loader, device) if pass_device else impl.evaluate(model, loader)
    if not (isinstance(result, tuple) and len(result) == 2):
        raise ProbeError(f"evaluate must return (loss, accuracy), got {type(result).__name__}")
    loss, accuracy = result
    return {"loss": scalar(loss, "the loss"), "accuracy": scalar(accuracy, "the accuracy"),
            "floats": [type(loss) is float, type(accuracy) is float],
            "modes_after": [module.training for module in model.modules()],
            "forward_calls": calls}


def evaluation(tolerance):
    """Every forward call in eval mode without gradients; then loss, accuracy, their types and
    the restored modes against the expected data with `tolerance`."""
    def compare(got: dict, want: dict) -> None:
        calls = got["forward_calls"]
        require(type(calls) is list and len(calls) > 0, "the model was never called",
                "forward_calls")
        require(all(call[0] is False for call in calls), "the model ran in training mode: call "
                "model.eval() first (dropout must be off)", "forward_calls")
        require(all(call[1] is False for call in calls), "gradients were being recorded: run the "
                "forward passes inside torch.no_grad()", "forward_calls")
        tolerance({k: got[k] for k in want if k != "forward_calls"},
                  {k: v for k, v in want.items() if k != "forward_calls"})
    return compare


@CHECKS.add("evaluate", expect=WHOLE_SET, compare=evaluation(VALUES_F64), variants=TORCH_F64,
            hint=HINTS["evaluate"])
def matches_F_cross_entropy(impl, device, dtype):
    """Linear(12, 16), ReLU, Linear(16, 4) {dtype} in eval mode, 40 samples, batch_size 16 (last
    batch 8)"""
    return evaluate_probe(impl, device, dtype)


# ---- save_checkpoint and load_checkpoint ------------------------------------------------------

def trained_model(seed, dtype, device, optimizer="adam", steps=2, sizes=(6, 8, 3)):
    """A seeded model and its optimizer after `steps` full-batch steps (so the optimizer has
    state: momentum buffers, Adam's moments and step counts)."""
    model = seeded_net(sizes, seed, dtype, device)
    opt = make_optimizer(optimizer, model.parameters())
    x, y = classification_data(10, sizes[0], sizes[-1], seed + 1, dtype)
    x, y = x.to(device), y.to(device)
    for _ in range(steps):
        opt.zero_grad()
        F.cross_entropy(model(x), y).backward()
        opt.step()
    return model, opt


def checkpoint_file(folder):
    return os.path.join(folder, "checkpoint.pt")


def save_probe(impl, device, dtype=torch.float64, optimizer="adam", epoch=3, seed=50):
    """What impl.save_checkpoint wrote, read back with torch.load."""
    model, opt = trained_model(seed, dtype, device, optimizer)
    with tempfile.TemporaryDirectory() as folder:
        returned = impl.save_checkpoint(checkpoint_file(folder), model, opt, epoch)
        saved = torch.load(checkpoint_file(folder), map_location="cpu", weights_only=True)
    if not isinstance(saved, dict):
        raise ProbeError(f"the checkpoint holds a {type(saved).__name__}, expected a dict")
    return {"checkpoint": to_plain(saved), "returned_none": returned is None}


def _torch_save(path, model, optimizer, epoch):
    """The oracle: the docstring's torch.save call."""
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": epoch}, path)


@CHECKS.add("save_checkpoint", expect=oracle("torch.save of the documented dict",
                                             save_checkpoint=_torch_save),
            compare=EXACT, contract=("returns", "keys"),
            hint=HINTS["save_checkpoint"])
def writes_model_optimizer_epoch(impl, device):
    """Linear(6, 8), ReLU, Linear(8, 3) float64 after 2 Adam steps, epoch 3"""
    return save_probe(impl, device)


def load_probe(impl, device, dtype=torch.float64, optimizer="adam", with_optimizer=True,
               seed=60):
    """A fresh model and optimizer after impl.load_checkpoint of a checkpoint written here with
    torch.save (from another model, trained on the CPU, epoch 7)."""
    source, source_opt = trained_model(seed, dtype, "cpu", optimizer)
    model, opt = trained_model(seed + 1, dtype, device, optimizer, steps=0)
    before = [id(param) for param in model.parameters()]
    with tempfile.TemporaryDirectory() as folder:
        torch.save({"model": source.state_dict(), "optimizer": source_opt.state_dict(),
                    "epoch": 7}, checkpoint_file(folder))
        epoch = impl.load_checkpoint(checkpoint_file(folder), model,
                                     opt if with_optimizer else None)
    state = model.state_dict()
    return {"epoch": scalar(epoch, "the returned epoch"), "model": state_out(model),
            "optimizer": to_plain(opt.state_dict()),
            "same_parameters": [id(param) for param in model.parameters()] == before,
            "on_device": all(t.device.type == torch.device(device).type for t in state.values())}


def _torch_load(path, model, optimizer=None):
    """The oracle: torch.load and load_state_dict."""
    checkpoint = torch.load(path, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    if optimizer is not None:
        optimizer.load_state_dict(checkpoint["optimizer"])
    return checkpoint["epoch"]


TORCH_LOAD = oracle("torch.load and load_state_dict", load_checkpoint=_torch_load)


@CHECKS.add("load_checkpoint", expect=TORCH_LOAD, compare=EXACT,
            hint=HINTS["load_checkpoint"])
def restores_model_and_optimizer(impl, device):
    """a checkpoint of Linear(6, 8), ReLU, Linear(8, 3) float64 after 2 Adam steps, epoch 7,
    loaded into a fresh model and Adam"""
    return load_probe(impl, device)


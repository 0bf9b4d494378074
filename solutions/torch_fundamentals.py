"""Topic 5-07: torch_fundamentals.

PyTorch's building blocks for training a network: choosing a device, an `nn.Module` MLP whose
layers are registered (so `parameters()`, `state_dict()` and `.to(device)` see them), weight
initialisation with `torch.nn.init`, loading the weights of a NumPy network (topic 5-06),
FashionMNIST data loaders, the training and evaluation loops, and checkpoints that resume a run
exactly.

Rules for every function here:
- This topic is about using the library correctly: use PyTorch's own pieces (`nn.Linear`,
  `nn.Sequential`, `torch.nn.init`, `F.cross_entropy`, `DataLoader`, `torch.save`).
- Randomness you draw yourself comes from the generator or seed you are given, never from the
  global random state. Two draws are torch's own and use its global generator: the default
  initialisation of the nn.Linear layers when `MLP` builds them (`init_weights` then redraws
  every weight from the generator you give it), and `nn.Dropout` in training mode.
- Choose an activation by name with a dict of the options, never by looking an attribute up
  from a computed string.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from data.fashion_mnist import FASHION_MNIST_MEAN, FASHION_MNIST_STD
from data.progress import progress_bar

ACTIVATIONS = ("relu", "tanh", "sigmoid")



def get_device(requested: str | torch.device | None = None) -> torch.device:
    """The device to compute on. Task 5-07.1.

    - requested None: torch.device("cuda") if torch.cuda.is_available(), else
      torch.device("cpu").
    - otherwise torch.device(requested), as given ("cuda" stays "cuda", no index is added), once
      it is known to be usable:
        "cpu" (or torch.device("cpu")) is always usable;
        a CUDA device ("cuda", "cuda:1") needs torch.cuda.is_available() and, with an index,
        index < torch.cuda.device_count(); otherwise raise RuntimeError with a message that
        names the requested device and says CUDA is not available. Never fall back to the CPU
        silently: a run that was asked to use a GPU must not quietly run 50 times slower.
    - any other device type ("mps", "meta", ...) or a string torch cannot parse ("tpu"):
      ValueError.

    Returns:
        A torch.device.
    """
    if requested is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(requested)
    except (RuntimeError, TypeError) as error:
        raise ValueError(f"cannot use device {requested!r}: {error}") from error
    if device.type == "cpu":
        return device
    if device.type != "cuda":
        raise ValueError(f"device {requested!r}: only 'cpu' and 'cuda' devices are supported")
    if not torch.cuda.is_available():
        raise RuntimeError(f"device {requested!r} was requested but CUDA is not available on "
                           "this machine")
    if device.index is not None and device.index >= torch.cuda.device_count():
        raise RuntimeError(f"device {requested!r} was requested but CUDA is not available "
                           f"there: this machine has {torch.cuda.device_count()} CUDA devices")
    return device


class MLP(nn.Module):
    """A fully connected network whose layers are registered. Task 5-07.2.

    MLP(sizes, activation, dropout) for sizes [d_0, d_1, ..., d_L] (L = len(sizes) - 1 >= 1
    layers) keeps every layer in one attribute:

        self.net = nn.Sequential(nn.Linear(d_0, d_1), Act(), nn.Dropout(dropout),
                                 nn.Linear(d_1, d_2), Act(), nn.Dropout(dropout),
                                 ...,
                                 nn.Linear(d_{L-1}, d_L))

    After every Linear layer except the last come a new activation module (nn.ReLU for "relu",
    nn.Tanh for "tanh", nn.Sigmoid for "sigmoid") and a new nn.Dropout(dropout), kept even when
    dropout = 0 so the layout never changes. The last layer gives raw scores (logits) for
    F.cross_entropy. Layers keep PyTorch's default initialisation (init_weights replaces it),
    drawn from torch's global generator by nn.Linear itself; no check depends on those values.

    Because the layers live in an nn.Sequential attribute they are registered: parameters(),
    state_dict() and .to(device) see them (in a plain Python list they would be invisible). The
    state_dict keys are therefore, in order,
        net.0.weight (d_1, d_0), net.0.bias (d_1,), net.3.weight (d_2, d_1), net.3.bias (d_2,),
        ..., net.{3(L-1)}.weight (d_L, d_{L-1}), net.{3(L-1)}.bias (d_L,)
    and the model has sum over k of (d_{k-1} * d_k + d_k) parameters.
    Example: MLP([784, 256, 128, 10]) has the keys net.0.*, net.3.* and net.6.* and 235146
    parameters.

    Also store self.sizes (a list of ints), self.activation (the name) and self.dropout (the
    probability, a float).

    Raises:
        ValueError: fewer than two sizes, an activation not in ACTIVATIONS, or dropout outside
            [0, 1).
    """

    def __init__(self, sizes: list[int], activation: str = "relu", dropout: float = 0.0):
        """Build self.net and store sizes, activation and dropout as the class docstring
        states."""
        super().__init__()
        modules = {"relu": nn.ReLU, "tanh": nn.Tanh, "sigmoid": nn.Sigmoid}
        if len(sizes) < 2:
            raise ValueError(f"MLP needs at least two sizes (input and output), got {sizes}")
        if activation not in modules:
            raise ValueError(f"unknown activation {activation!r}; expected one of {ACTIVATIONS}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}")
        self.sizes, self.activation, self.dropout = list(sizes), activation, float(dropout)
        layers: list[nn.Module] = []
        for index in range(len(sizes) - 1):
            layers.append(nn.Linear(sizes[index], sizes[index + 1]))
            if index < len(sizes) - 2:
                layers += [modules[activation](), nn.Dropout(dropout)]
        self.net = nn.Sequential(*layers)

    def forward(self, x: Tensor) -> Tensor:
        """Logits (N, d_L) of x: (N, d_0), or (N, ...) holding d_0 values per sample (images
        (N, 1, 28, 28) for d_0 = 784), flattened to (N, d_0) first. x has the parameters' dtype
        and device. Dropout is active only in training mode (model.train()); in evaluation mode
        (model.eval()) the output is deterministic."""
        return self.net(x.flatten(1))


def _linear_layers(model: nn.Module) -> list[nn.Linear]:
    layers = [module for module in model.modules() if isinstance(module, nn.Linear)]
    if not layers:
        raise ValueError("the model has no registered nn.Linear layer")
    return layers


def init_weights(model: nn.Module, generator: torch.Generator | int,
                 nonlinearity: str = "relu") -> nn.Module:
    """Initialise every nn.Linear layer of model with torch.nn.init. Task 5-07.3.

    Take the Linear layers in the order of model.modules() (for an MLP: input side first) and,
    with g the generator, for each layer in that order:
        every layer but the last:
            nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity=nonlinearity,
                                    generator=g)
        the last (output) layer, which no activation follows:
            nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="linear",
                                    generator=g)
        every layer: nn.init.zeros_(layer.bias)
    So weight ~ N(0, gain^2 / fan_in) with fan_in the layer's input size and gain =
    nn.init.calculate_gain(nonlinearity): sqrt(2) for "relu" (He/Kaiming), 5/3 for "tanh",
    1 for "sigmoid" and for the output layer. One call per weight, in this order, so the seed
    fixes every weight.

    Args:
        model: an MLP, or any module holding nn.Linear layers; changed in place.
        generator: a torch.Generator on the parameters' device (used as it is), or an int seed,
            meaning torch.Generator(device=<the parameters' device>).manual_seed(seed).
        nonlinearity: the activation after the hidden layers: "relu", "tanh" or "sigmoid".

    Returns:
        model itself.

    Raises:
        ValueError: another nonlinearity name, or a model without nn.Linear layers.
    """
    if nonlinearity not in ACTIVATIONS:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}; expected one of "
                         f"{ACTIVATIONS}")
    layers = _linear_layers(model)
    if not isinstance(generator, torch.Generator):
        generator = torch.Generator(device=layers[0].weight.device).manual_seed(generator)
    for index, layer in enumerate(layers):
        gain_of = nonlinearity if index < len(layers) - 1 else "linear"
        nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity=gain_of,
                                generator=generator)
        if layer.bias is not None:
            nn.init.zeros_(layer.bias)
    return model


def load_numpy_weights(model: nn.Module, params: dict[str, np.ndarray]) -> nn.Module:
    """Copy the weights of a NumPy network into model. Task 5-07.4.

    The NumPy network (topic 5-06's MLP.parameters()) computes layer k as y = x @ W_k + b_k, with
    W_k of shape (d_{k-1}, d_k) and b_k of shape (d_k,), under the keys "W1", "b1", ..., "WL",
    "bL" (layer 1 at the input) and ReLU between layers. nn.Linear computes
    y = x @ weight.T + bias with weight of shape (d_k, d_{k-1}), so the k-th nn.Linear of model
    (in the order of model.modules()) gets
        weight <- W_k.T        bias <- b_k
    Copy the values into the existing parameters in place (inside torch.no_grad(), e.g.
    layer.weight.copy_(...)): they keep their dtype (float64 values are rounded for a float32
    model), their device, and their identity (an optimizer built on model.parameters() before
    the call still trains them). Afterwards model, in evaluation mode, gives the NumPy network's
    outputs.

    Args:
        model: an MLP or any module whose nn.Linear layers are the network's layers, in order.
        params: {"W1": (d_0, d_1), "b1": (d_1,), ...}, float64 NumPy arrays.

    Returns:
        model itself.

    Raises:
        ValueError: params' keys are not exactly W1, b1, ..., WL, bL for the model's L Linear
            layers, or an array's shape differs from its layer's (W_k.T must have the weight's
            shape). Check everything first: nothing is changed when it raises.
    """
    layers = _linear_layers(model)
    expected = {f"{kind}{k}" for k in range(1, len(layers) + 1) for kind in ("W", "b")}
    if set(params) != expected:
        raise ValueError(f"params has keys {sorted(params)}; a model with {len(layers)} Linear "
                         f"layers needs {sorted(expected)}")
    pairs = []
    for k, layer in enumerate(layers, start=1):
        weight = torch.as_tensor(np.asarray(params[f"W{k}"])).T
        bias = torch.as_tensor(np.asarray(params[f"b{k}"]))
        if weight.shape != layer.weight.shape or bias.shape != layer.bias.shape:
            raise ValueError(f"W{k} {tuple(weight.T.shape)} and b{k} {tuple(bias.shape)} do not "
                             f"fit nn.Linear({layer.in_features}, {layer.out_features})")
        pairs.append((layer, weight, bias))
    with torch.no_grad():
        for layer, weight, bias in pairs:
            layer.weight.copy_(weight)
            layer.bias.copy_(bias)
    return model


def fashion_mnist_loaders(root: str | Path, batch_size: int = 64,
                          seed: int = 0) -> tuple[DataLoader, DataLoader]:
    """FashionMNIST training and test loaders over files already under root. Task 5-07.5.

    Datasets (files in root/FashionMNIST/raw/; never download):
        datasets.FashionMNIST(root, train=True (or False), download=False,
                              transform=transforms.Compose([
                                  transforms.ToTensor(),
                                  transforms.Normalize((FASHION_MNIST_MEAN,),
                                                       (FASHION_MNIST_STD,))]))
    with the mean 0.2860 and std 0.3530 of data/fashion_mnist.py, so each image is
        (pixel / 255 - FASHION_MNIST_MEAN) / FASHION_MNIST_STD,   float32 of shape (1, 28, 28).
    Loaders (num_workers=0):
        train: DataLoader(train_set, batch_size, shuffle=True,
                          generator=torch.Generator().manual_seed(seed)):
               a new order every epoch, and the same sequence of orders for the same seed,
               whatever the global random state;
        test:  DataLoader(test_set, batch_size, shuffle=False): file order, every time.
    Batches are (images float32 (B, 1, 28, 28), labels int64 (B,)) with B = batch_size except
    the last batch, which holds the remainder (it is not dropped). torchvision raises
    RuntimeError when the files are missing.

    Returns:
        (train_loader, test_loader).
    """
    transform = transforms.Compose([transforms.ToTensor(),
                                    transforms.Normalize((FASHION_MNIST_MEAN,),
                                                         (FASHION_MNIST_STD,))])
    train_set = datasets.FashionMNIST(root, train=True, download=False, transform=transform)
    test_set = datasets.FashionMNIST(root, train=False, download=False, transform=transform)
    train = DataLoader(train_set, batch_size=batch_size, shuffle=True,
                       generator=torch.Generator().manual_seed(seed), num_workers=0)
    test = DataLoader(test_set, batch_size=batch_size, shuffle=False, num_workers=0)
    return train, test


def _device_of(model: nn.Module, device: str | torch.device | None) -> torch.device:
    return next(model.parameters()).device if device is None else torch.device(device)


def train_epoch(model: nn.Module, loader: Iterable[tuple[Tensor, Tensor]],
                optimizer: torch.optim.Optimizer,
                device: str | torch.device | None = None, progress: bool = False) -> float:
    """One epoch of training with cross-entropy. Task 5-07.6.

    model.train() first (dropout on), then for every batch (x, y) of loader, in order:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()                  the previous step's gradients must not add up
        loss = F.cross_entropy(model(x), y)    the mean over the batch's B samples
        loss.backward()
        optimizer.step()
    device None means the device of the model's parameters. progress True shows a progress bar
    over the batches: loop over progress_bar(loader, desc=..., unit="batch", wanted=progress)
    (imported from data.progress; silent under CI and off a terminal); it changes nothing else.

    Returns:
        The mean loss over the epoch's samples, every sample weighted once:
            (sum over batches of loss_b * B_b) / (sum over batches of B_b),
        a Python float, type float (accumulate loss.item(), never the loss tensor, which would
        keep every batch's graph alive; the checks test type(result) is float). With an uneven
        last batch this differs from the mean of the batch losses. The model is left in training
        mode.
    """
    device = _device_of(model, device)
    model.train()
    total, count = 0.0, 0
    for x, y in progress_bar(loader, desc="train_epoch", unit="batch", wanted=progress):
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        total += loss.item() * len(y)
        count += len(y)
    return total / count


def evaluate(model: nn.Module, loader: Iterable[tuple[Tensor, Tensor]],
             device: str | torch.device | None = None) -> tuple[float, float]:
    """Mean loss and accuracy over a data set, without training. Task 5-07.7.

    Remember was_training = model.training, switch to model.eval() (dropout off) and, inside
    torch.no_grad() (no graph is recorded), for every batch (x, y) moved to device:
        logits = model(x)
        loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
        correct  += int((logits.argmax(dim=1) == y).sum().item())
        count    += B
    (Python numbers, as in train_epoch: accumulate .item(), not tensors.)
    Finally model.train(was_training), even if something raised: the model leaves in the mode it
    came in (training or evaluation). device None means the device of the model's parameters.

    Returns:
        (loss_sum / count, correct / count), a tuple of two Python floats (type float, not
        tensors or NumPy scalars; the checks test it): the mean cross-entropy over the samples
        and the accuracy, a fraction in [0, 1].
    """
    device = _device_of(model, device)
    was_training = model.training
    model.eval()
    loss_sum, correct, count = 0.0, 0, 0
    try:
        with torch.no_grad():
            for x, y in loader:
                x, y = x.to(device), y.to(device)
                logits = model(x)
                loss_sum += F.cross_entropy(logits, y, reduction="sum").item()
                correct += int((logits.argmax(dim=1) == y).sum().item())
                count += len(y)
    finally:
        model.train(was_training)
    return loss_sum / count, correct / count


def save_checkpoint(path: str | Path, model: nn.Module, optimizer: torch.optim.Optimizer,
                    epoch: int) -> None:
    """Save what a run needs to resume. Task 5-07.8.

        torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                    "epoch": epoch}, path)
    exactly these keys: the parameters and buffers, the optimizer's state (momentum buffers,
    Adam's moments and step counts, the learning rate), and epoch, the number of epochs
    completed (an int). Save state_dicts, not the model or optimizer objects.
    """
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": int(epoch)}, path)


def load_checkpoint(path: str | Path, model: nn.Module,
                    optimizer: torch.optim.Optimizer | None = None) -> int:
    """Restore a checkpoint written by save_checkpoint; return its epoch. Task 5-07.9.

        checkpoint = torch.load(path, map_location=<the device of model's parameters>,
                                weights_only=True)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])     (skipped when optimizer is None)
        return int(checkpoint["epoch"])
    map_location lets a checkpoint saved on a GPU load on a CPU-only machine and the other way
    round; load_state_dict copies into the existing parameters, so the optimizer still drives
    them.

    Resuming: build a fresh model and optimizer of the same kind, load, and continue from epoch
    `epoch`. The resumed run is then bit-for-bit the same as one that was never interrupted,
    provided each epoch's data order depends only on the epoch number (for instance a generator
    seeded with seed + epoch) and nothing else random is drawn.
    """
    device = next(model.parameters()).device
    checkpoint = torch.load(path, map_location=device, weights_only=True)
    model.load_state_dict(checkpoint["model"])
    if optimizer is not None:
        optimizer.load_state_dict(checkpoint["optimizer"])
    return int(checkpoint["epoch"])

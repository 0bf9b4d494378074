"""Public checks of topic 5-10 (regularization): run them with `make check TOPIC=regularization`.

Expected data come from torch itself (`F.batch_norm`, `F.layer_norm`, `torch.optim`), from the
formulas in the docstrings, or from properties every correct answer has; never from the reference
solution. Each tolerance is written next to its check with the error the reference measured.
The property compares and the oracles here are shared with the hidden checks.
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from numpy.lib.stride_tricks import sliding_window_view
from torch import nn

from autograder.runtime.check import CheckSet, ProbeError, any_of, echo, literal, oracle
from autograder.runtime.compare import EXACT, Close, rate_within, require
from autograder.runtime.oracles import (
    adam_step,
    adamw_step,
    other_adam_pairs,
    torch_sgd_step,
    weight_decay_gap,
    weight_decay_gap_of,
)
from autograder.runtime.probing import (
    generator,
    randn,
    scalar,
    state_entries,
    tensor_out,
    tensors_out,
)
from autograder.runtime.variants import TORCH_F32, TORCH_F64

CHECKS = CheckSet("regularization", "public")
ALPHA = 1e-6  # false-failure rate of each statistical check: a correct answer fails 1 in 10^6

# Property checks: the expected side echoes the probe's inputs, computed in the trusted process.
INPUTS = echo("dropout", "inverted_dropout", "augment_images", label="the check's own inputs")


def _torch_layer_norm(x, normalized_shape, *args):
    # F.layer_norm wants a tuple; the exercise also takes an int, as nn.LayerNorm does.
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else normalized_shape
    return F.layer_norm(x, shape, *args)


def _adam_formulation(l2, decoupled):
    """The Adam steps (and the gap between them) in formulations other than torch's."""
    names = {"weight_decay_gap": weight_decay_gap_of(l2 or adam_step, decoupled or adamw_step)}
    if l2:
        names["adam_step_l2"] = l2
    if decoupled:
        names["adam_step_decoupled"] = decoupled
    return oracle("an Adam formulation the docstrings accept", **names)


# torch; for the Adam steps, also every other formulation their docstrings accept (eps folded
# into the step size; AdamW's decay after the Adam update, as CS336 assignment 1 writes it).
TORCH = any_of("torch (for Adam: torch's or another accepted formulation)",
               oracle("torch", batch_norm=F.batch_norm, BatchNorm1d=nn.BatchNorm1d,
                      layer_norm=_torch_layer_norm, sgd_step_l2=torch_sgd_step,
                      sgd_step_decoupled=torch_sgd_step, adam_step_l2=adam_step,
                      adam_step_decoupled=adamw_step, weight_decay_gap=weight_decay_gap),
               *(_adam_formulation(*pair) for pair in other_adam_pairs()))
BN_STATE = ("weight", "bias", "running_mean", "running_var")


# ---- shared compares ----------------------------------------------------------------------

def dtype_name(dtype: torch.dtype) -> str:
    return str(dtype).removeprefix("torch.")


def kept_dtype_and_device(got: dict, where: str = "y") -> None:
    require(got["kept_dtype"], "the output's dtype differs from the input's", where)
    require(got["kept_input_device"], "the output is not on the input's device", where)


def dropout_mask(scaled: bool):
    """Training dropout: every output is 0 or the kept value (x, or x/(1-p) when scaled), to the
    precision of the probe's dtype, and the number kept is Binomial(n, 1 - p)."""
    def compare(got: dict, want: dict) -> None:
        kept_dtype_and_device(got["y"])
        x, y, p = want["y"]["values"], got["y"]["values"], want["p"]
        require(y.shape == x.shape, f"shape {y.shape}, expected {x.shape}", "y")
        kept_value = x / (1.0 - p) if scaled and p < 1 else x
        # float32: a float32 answer differs from the float64 kept value by one rounding
        # (measured <= 6e-8). float64: x * m / q, x * (m / q) and x * m * (1 / q) differ by a
        # few ulps (the reference measured 2.2e-16 relative); 1/q rounded to float32 (the mask
        # or scale made in the default dtype) is off by up to 6e-8. A wrong scale is off by at
        # least |1/(1-p) - 1| >= 1e-2 here.
        rtol = 1e-12 if got["dtype"] == "float64" else 1e-6
        kept = np.isclose(y, kept_value, rtol=rtol, atol=0.0) & (y != 0)
        stray = int(np.count_nonzero(~kept & (y != 0)))
        require(stray == 0, f"{stray} of {y.size} outputs are neither 0 nor "
                            f"{'x / (1 - p)' if scaled else 'x'} (to {got['dtype']} precision)",
                "y")
        rate_within(int(kept.sum()), y.size, 1.0 - p, ALPHA, "elements kept", "y")
    return compare


def flip_crop_matches(x: np.ndarray, y: np.ndarray, padding: int) -> np.ndarray:
    """matches[n, f, i, j]: output image n equals input n, flipped if f, zero-padded by `padding`
    and cropped at offset (i, j). Shapes: x, y (N, C, H, W) -> (N, 2, 2p+1, 2p+1)."""
    h, w = x.shape[-2:]
    both = np.stack([x, x[..., ::-1]], axis=1)
    pad = ((0, 0),) * 3 + ((padding, padding),) * 2
    windows = sliding_window_view(np.pad(both, pad), (h, w), axis=(3, 4))  # N,2,C,K,K,H,W
    return (windows == y[:, None, :, None, None]).all(axis=(2, 5, 6))


def flips_and_crops(got: dict, want: dict) -> np.ndarray:
    kept_dtype_and_device(got["y"])
    x, y = want["y"]["values"], got["y"]["values"]
    require(y.shape == x.shape, f"shape {y.shape}, expected {x.shape}", "y")
    matches = flip_crop_matches(x, y, want["padding"])
    odd = int(np.count_nonzero(~matches.any(axis=(1, 2, 3))))
    require(odd == 0, f"{odd} of {len(y)} output images are not a horizontal flip and/or "
                      f"zero-padded shift of their input image", "y")
    return matches


# ---- dropout ------------------------------------------------------------------------------

@CHECKS.add("dropout", expect=INPUTS, compare=dropout_mask(scaled=False), variants=TORCH_F64,
            hint="training: keep each element with probability 1 - p, set the rest to 0, and "
                 "do not rescale (that is inverted dropout)")
def train_keeps_or_zeroes(impl, device, dtype):
    """x (200, 500) {dtype}, p = 0.3, training"""
    x = randn((200, 500), 1, dtype, device)
    return {"y": tensor_out(impl.dropout(x, 0.3, True, generator(2, device)), "dropout", x),
            "p": 0.3, "dtype": dtype_name(dtype)}


@CHECKS.add("dropout", expect=oracle("y = (1 - p) x", dropout=lambda x, p, *_: (1 - p) * x),
            compare=Close(rtol=1e-15, atol=0.0),  # measured: 0 (the same product)
            variants=TORCH_F64,
            hint="at evaluation standard dropout keeps everything and scales by 1 - p, the "
                 "keep probability, so outputs match their training-time expectation")
def eval_scales_by_keep(impl, device, dtype):
    """x (64, 32) {dtype}, p = 0.3, evaluation"""
    x = randn((64, 32), 3, dtype, device)
    return {"y": tensor_out(impl.dropout(x, 0.3, False, generator(4, device)), "dropout", x)}


# ---- inverted dropout -----------------------------------------------------------------------

@CHECKS.add("inverted_dropout", expect=INPUTS, compare=dropout_mask(scaled=True),
            variants=TORCH_F64,
            hint="training: keep with probability q = 1 - p and divide the kept values by q")
def train_keeps_scaled_or_zeroes(impl, device, dtype):
    """x (200, 500) {dtype}, p = 0.4, training"""
    x = randn((200, 500), 5, dtype, device)
    out = impl.inverted_dropout(x, 0.4, True, generator(6, device))
    return {"y": tensor_out(out, "inverted_dropout", x), "p": 0.4, "dtype": dtype_name(dtype)}


@CHECKS.add("inverted_dropout", expect=INPUTS, compare=EXACT, variants=TORCH_F64,
            hint="at evaluation inverted dropout is the identity: the 1/q scaling was already "
                 "applied in training")
def eval_is_identity(impl, device, dtype):
    """x (64, 32) {dtype}, p = 0.4, evaluation"""
    x = randn((64, 32), 7, dtype, device)
    out = impl.inverted_dropout(x, 0.4, False, generator(8, device))
    return {"y": tensor_out(out, "inverted_dropout", x)}


# ---- batch norm -----------------------------------------------------------------------------

def batch_norm_probe(impl, device, dtype, training: bool, n: int = 64, seed: int = 10,
                     noncontiguous: bool = False, affine: bool = True, momentum: float = 0.1):
    """y and the running statistics after one call, from seeded inputs."""
    x = randn((n, 16), seed, dtype, device, noncontiguous)
    weight = randn((16,), seed + 1, dtype, device) if affine else None
    bias = randn((16,), seed + 2, dtype, device) if affine else None
    mean = randn((16,), seed + 3, dtype, device)
    var = randn((16,), seed + 4, dtype, device).abs() + 0.5
    y = impl.batch_norm(x, mean, var, weight, bias, training, momentum, 1e-5)
    return {"y": tensor_out(y, "batch_norm", x),
            **tensors_out({"running_mean": mean, "running_var": var}, "batch_norm")}


BATCH_NORM_F64 = Close(rtol=1e-10, atol=1e-12)  # measured vs F.batch_norm: 9e-16 abs
# Values against torch in float64, and the batch norms with their tolerance.
VALUES = CHECKS.defaults(expect=TORCH, variants=TORCH_F64)
BATCH_NORMS = VALUES.defaults(compare=BATCH_NORM_F64)


@BATCH_NORMS.add("batch_norm",
                 hint="normalise with the batch's mean and biased variance; update the running "
                      "variance with the unbiased one, N/(N-1) times the biased")
def train_matches_F(impl, device, dtype):
    """x (64, 16) {dtype}, affine, training, momentum 0.1"""
    return batch_norm_probe(impl, device, dtype, training=True)


@BATCH_NORMS.add("batch_norm",
                 hint="evaluation normalises with running_mean and running_var and leaves them "
                      "as they are")
def eval_matches_F(impl, device, dtype):
    """x (64, 16) {dtype}, affine, evaluation"""
    return batch_norm_probe(impl, device, dtype, training=False)


def batch_norm_layer_probe(impl, device, dtype, momentum: float = 0.2, affine: bool = True,
                           eps: float = 1e-5, defaults: bool = False):
    """Three training steps, then one evaluation step, of a BatchNorm1d(16) layer (with
    `defaults`, made as BatchNorm1d(16, device=..., dtype=...): eps, momentum and affine are
    the constructor's defaults)."""
    if defaults:
        layer = impl.BatchNorm1d(16, device=device, dtype=dtype)
    else:
        layer = impl.BatchNorm1d(16, eps=eps, momentum=momentum, affine=affine, device=device,
                                 dtype=dtype)
    if affine:
        with torch.no_grad():
            layer.weight.copy_(randn((16,), 40, dtype, device))
            layer.bias.copy_(randn((16,), 41, dtype, device))
    layer.train()
    inputs = [randn((32, 16), 20 + step, dtype, device) for step in range(3)]
    outputs = [tensor_out(layer(x), "BatchNorm1d.forward", x) for x in inputs]
    layer.eval()
    x = randn((8, 16), 30, dtype, device)
    outputs.append(tensor_out(layer(x), "BatchNorm1d.forward", x))
    names = BN_STATE if affine else BN_STATE[2:]
    return {"outputs": outputs,
            "state": tensors_out(state_entries(layer, names, "BatchNorm1d"), "BatchNorm1d")}


@BATCH_NORMS.add("BatchNorm1d",
                 hint="register weight and bias as nn.Parameter and the running statistics with "
                      "register_buffer; forward picks batch or running statistics from "
                      "self.training")
def matches_nn_BatchNorm1d(impl, device, dtype):
    """3 training batches (32, 16) then 1 evaluation batch (8, 16), {dtype}, momentum 0.2"""
    return batch_norm_layer_probe(impl, device, dtype)


# ---- layer norm -----------------------------------------------------------------------------

def layer_norm_probe(impl, device, dtype, shape=(8, 5, 6), normalized=(5, 6), affine=True,
                     seed=50, noncontiguous=False):
    x = randn(shape, seed, dtype, device, noncontiguous)
    trailing = (normalized,) if isinstance(normalized, int) else normalized
    weight = randn(trailing, seed + 1, dtype, device) if affine else None
    bias = randn(trailing, seed + 2, dtype, device) if affine else None
    return {"y": tensor_out(impl.layer_norm(x, normalized, weight, bias, 1e-5), "layer_norm", x)}


@VALUES.add("layer_norm", compare=Close(rtol=1e-10, atol=1e-12),  # measured 9e-16
            hint="average over the last len(normalized_shape) dimensions of each sample, with the "
                 "biased variance; never across the batch")
def matches_F(impl, device, dtype):
    """x (8, 5, 6) {dtype}, normalized_shape (5, 6), affine"""
    return layer_norm_probe(impl, device, dtype)


# float32 answers against float64 torch: measured 3.0e-7 abs; a real mistake is off by 1e-2.
@CHECKS.add("layer_norm", expect=TORCH, compare=Close(rtol=1e-4, atol=2e-5),  # measured 3e-7
            variants=TORCH_F32,
            hint="float32 in, float32 out: compute with tensor operations on x itself (no "
                 ".double(), no NumPy) and keep its dtype")
def matches_F_float32(impl, device, dtype):
    """x (16, 12) {dtype}, normalized_shape 12, affine"""
    return layer_norm_probe(impl, device, dtype, shape=(16, 12), normalized=12, seed=55)


# ---- early stopping -------------------------------------------------------------------------

@CHECKS.add("EarlyStopping",
            expect=literal({"stops": [False, False, False, True], "best_epoch": 1, "best": 0.8},
                           "the docstring's example"),
            compare=EXACT,  # best is stored, not computed
            hint="count epochs without improvement since the best one; stop when the count "
                 "reaches patience")
def worked_example(impl, device):
    """patience 2, min_delta 0, mode min, metrics 1.0, 0.8, 0.9, 0.85"""
    stopper = impl.EarlyStopping(patience=2, min_delta=0.0, mode="min")
    stops = [bool(stopper.step(metric)) for metric in (1.0, 0.8, 0.9, 0.85)]
    return {"stops": stops, "best_epoch": scalar(stopper.best_epoch, "best_epoch"),
            "best": scalar(stopper.best, "best")}


# ---- L2 penalty versus decoupled weight decay -----------------------------------------------

def sgd_probe(impl, device, dtype, function: str, steps: int = 3, size=(7, 5), lr=0.1, wd=0.01,
              seed=60):
    step = getattr(impl, function)
    param = randn(size, seed, dtype, device)
    for k in range(steps):
        param = step(param, randn(size, seed + 1 + k, dtype, device), lr, wd)
    return {"param": tensors_out({"final": param}, function)["final"]}


SGD_F64 = Close(rtol=1e-12, atol=1e-14)  # measured vs torch.optim.SGD: 2e-16 abs


@VALUES.add("sgd_step_l2", compare=SGD_F64,
            hint="add weight_decay * w to the gradient, then take the plain SGD step")
def matches_torch_SGD(impl, device, dtype):
    """param (7, 5) {dtype}, 3 steps, lr 0.1, weight_decay 0.01"""
    return sgd_probe(impl, device, dtype, "sgd_step_l2")


@VALUES.add("sgd_step_decoupled", compare=SGD_F64,
            hint="shrink w by (1 - lr * weight_decay), then subtract lr * grad: for SGD this is "
                 "the same update as the L2 penalty")
def matches_torch_SGD_too(impl, device, dtype):
    """param (7, 5) {dtype}, 3 steps, lr 0.1, weight_decay 0.01"""
    return sgd_probe(impl, device, dtype, "sgd_step_decoupled")


def adam_probe(impl, device, dtype, function: str, steps: int = 5, size=(6, 4), lr=0.01,
               wd=0.1, betas=(0.9, 0.999), eps=1e-8, seed=70):
    step = getattr(impl, function)
    param, state = randn(size, seed, dtype, device), None
    for k in range(steps):
        grad = randn(size, seed + 1 + k, dtype, device)
        result = step(param, grad, state, lr=lr, betas=betas, eps=eps, weight_decay=wd)
        if not (isinstance(result, tuple) and len(result) == 2):
            raise ProbeError(f"{function} must return (new_param, new_state), "
                             f"got {type(result).__name__}")
        param, state = result
    return {"param": tensors_out({"final": param}, function)["final"]}


ADAM_F64 = Close(rtol=1e-10, atol=1e-13)  # measured vs torch.optim.Adam/AdamW: 1e-16 abs


@VALUES.add("adam_step_l2", compare=ADAM_F64,
            hint="the L2 form adds weight_decay * w to the gradient before the moment updates, "
                 "exactly like torch.optim.Adam's weight_decay")
def matches_torch_Adam(impl, device, dtype):
    """param (6, 4) {dtype}, 5 steps, lr 0.01, weight_decay 0.1"""
    return adam_probe(impl, device, dtype, "adam_step_l2")


@VALUES.add("adam_step_decoupled", compare=ADAM_F64,
            hint="AdamW multiplies w by (1 - lr * weight_decay) and takes an Adam step on the "
                 "plain gradient (the decay before the step, or after it as CS336 writes it)")
def matches_torch_AdamW(impl, device, dtype):
    """param (6, 4) {dtype}, 5 steps, lr 0.01, weight_decay 0.1"""
    return adam_probe(impl, device, dtype, "adam_step_decoupled")


def gap_probe(impl, device, dtype, steps=10, lr=0.01, wd=0.1, seed=80):
    param = randn((20,), seed, dtype, device)
    grads = [randn((20,), seed + 1 + k, dtype, device) for k in range(steps)]
    gap = impl.weight_decay_gap(param, grads, lr, wd)
    return {"sgd": scalar(gap["sgd"], "the 'sgd' entry"),
            "adam": scalar(gap["adam"], "the 'adam' entry")}


@VALUES.add("weight_decay_gap",
            compare=Close(rtol=1e-8, atol=1e-12),  # measured: sgd 9e-16 vs 0, adam 2e-17
            hint="run your four step functions from the same start on the same gradients and "
                 "return max |difference| of the final parameters for SGD and for Adam")
def matches_torch(impl, device, dtype):
    """param (20,) {dtype}, 10 steps, lr 0.01, weight_decay 0.1"""
    return gap_probe(impl, device, dtype)


# ---- augmentation ---------------------------------------------------------------------------

@CHECKS.add("augment_images", expect=INPUTS, compare=flips_and_crops, variants=TORCH_F64,
            hint="flip along the width (last dimension) only; crop an H x W window from the "
                 "zero-padded image; move pixels, never blend them")
def flips_and_crops_only(impl, device, dtype):
    """images (64, 3, 8, 8) {dtype}, flip_prob 0.5, padding 2"""
    images = randn((64, 3, 8, 8), 90, dtype, device)
    out = impl.augment_images(images, generator(91, device), 0.5, 2)
    return {"y": tensor_out(out, "augment_images", images), "padding": 2}

"""Hidden checks of topic 5-10 (regularization): edge cases, float32, non-contiguous and large
inputs, statistics, use of the given generator, library shortcuts and CUDA. Graded mode shows a
student only each check's name, pass or fail, and its hint. Tolerances are written next to each
check with the error the reference measured (float32 answers against float64 references).
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from autograder.runtime.check import REFERENCE, CheckSet, ProbeError, echo, oracle
from autograder.runtime.compare import (
    EXACT,
    Close,
    at_most_slower,
    mean_within,
    rate_within,
    require,
)
from autograder.runtime.probing import (
    call_and_changes,
    changed_arguments,
    generator,
    raised,
    randn,
    same_bits,
    scalar,
    speed_against,
    tensor_out,
    tensors_out,
    type_names,
)
from autograder.runtime.variants import CPU_CUDA, TORCH_F32, TORCH_F64, TORCH_FLOATS
from autograder.topics.regularization.public import (
    ALPHA,
    BATCH_NORM_F64,
    INPUTS,
    TORCH,
    adam_probe,
    batch_norm_layer_probe,
    batch_norm_probe,
    dropout_mask,
    dtype_name,
    flips_and_crops,
    gap_probe,
    kept_dtype_and_device,
    layer_norm_probe,
    sgd_probe,
)

CHECKS = CheckSet("regularization", "hidden")
# float32 answers against float64 references: measured max errors are in each comment.
# `python -m autograder measure` prints these figures; a real mistake is off by 1e-2 or more.
F32_NORM = Close(rtol=1e-4, atol=2e-5)  # batch/layer norm: measured 1.2e-6 abs (layer, 512x1024)
F32_STEP = Close(rtol=1e-4, atol=1e-5)  # SGD/Adam steps: measured 4.4e-6 abs (AdamW, 50 steps)
# What groups of checks share: float32 on the CPU and CUDA against float64 torch, the float64
# batch norms, and the checks of exact agreement with the reference (types, contracts).
NORMS_F32 = CHECKS.defaults(expect=TORCH, compare=F32_NORM, variants=TORCH_F32, devices=CPU_CUDA)
STEPS_F32 = CHECKS.defaults(expect=TORCH, compare=F32_STEP, variants=TORCH_F32, devices=CPU_CUDA)
BATCH_NORMS = CHECKS.defaults(expect=TORCH, compare=BATCH_NORM_F64, variants=TORCH_F64)
AS_REFERENCE = CHECKS.defaults(expect=REFERENCE, compare=EXACT)
DROPOUT_FUNCTIONS = ("dropout", "inverted_dropout")


# ---- dropout and inverted dropout -----------------------------------------------------------

# One declaration over both functions wherever their checks agree. Where the compare or the
# expected data depend on the function (`scaled`, the oracle's name), a defaults view holds what
# they share and one declaration per function is stacked on the probe (the lower one registers
# first, so dropout's checks stay listed before inverted dropout's).
KEEP_RATE = CHECKS.defaults(contract=("returns", "dtypes"), expect=INPUTS, variants=TORCH_F32,
                            devices=CPU_CUDA,
                            hint="keep each element independently with probability 1 - p")


@KEEP_RATE.add(("inverted_dropout",), compare=dropout_mask(scaled=True))
@KEEP_RATE.add(("dropout",), compare=dropout_mask(scaled=False))
def keep_rate_large(impl, device, dtype, function):
    """x (1000, 1000) {dtype} on {device}, p = 0.25, training"""
    x = randn((1000, 1000), 100, dtype, device)
    out = getattr(impl, function)(x, 0.25, True, generator(101, device))
    return {"y": tensor_out(out, function, x), "p": 0.25, "dtype": dtype_name(dtype)}


@CHECKS.add(DROPOUT_FUNCTIONS, contract="edges",
            expect=INPUTS, compare=EXACT, variants=TORCH_FLOATS,
            hint="p = 0 drops nothing: the output equals the input")
def p_zero_keeps_everything(impl, device, dtype, function):
    """x (50, 40) {dtype}, p = 0, training"""
    x = randn((50, 40), 102, dtype, device)
    return {"y": tensor_out(getattr(impl, function)(x, 0.0, True, generator(103)), function, x)}


# Generator seed 2313's 3998th float32 uniform draw is exactly 0.0 (torch.rand draws
# k * 2^-24, so 0 comes once in 2^24 draws): a keep test u > p instead of u >= p drops that
# element at p = 0. Any correct mask keeps everything, whatever it draws.
@CHECKS.add(DROPOUT_FUNCTIONS, contract="edges",
            expect=INPUTS, compare=EXACT, variants=TORCH_F32,
            hint="p = 0 keeps every element, whatever the generator draws: an element whose "
                 "uniform draw u is exactly 0 is kept too (keep when u >= p, not u > p)")
def p_zero_keeps_a_zero_draw(impl, device, dtype, function):
    """x (64, 64) {dtype}, p = 0, training, a generator whose uniform draws include 0.0"""
    x = randn((64, 64), 119, dtype, device)
    y = getattr(impl, function)(x, 0.0, True, generator(2313))
    return {"y": tensor_out(y, function, x)}


def _zeros_like(x, *_):
    return torch.zeros_like(x)


P_ONE = CHECKS.defaults(contract="edges", compare=EXACT, variants=TORCH_FLOATS,
                        hint="p = 1 drops everything: all zeros, and no division by 1 - p = 0 "
                             "(no NaN)")


@P_ONE.add(("inverted_dropout",), expect=oracle("zeros", inverted_dropout=_zeros_like))
@P_ONE.add(("dropout",), expect=oracle("zeros", dropout=_zeros_like))
def p_one_zeroes_everything(impl, device, dtype, function):
    """x (50, 40) {dtype}, p = 1, training"""
    x = randn((50, 40), 104, dtype, device)
    return {"y": tensor_out(getattr(impl, function)(x, 1.0, True, generator(105)), function, x)}


NONCONTIGUOUS = CHECKS.defaults(expect=INPUTS, variants=TORCH_FLOATS,
                                hint="work on the tensor's values, whatever its memory layout "
                                     "(x.t() is a view)")


@NONCONTIGUOUS.add(("inverted_dropout",), compare=dropout_mask(scaled=True))
@NONCONTIGUOUS.add(("dropout",), compare=dropout_mask(scaled=False))
def noncontiguous_input(impl, device, dtype, function):
    """x transposed view (300, 200) {dtype}, p = 0.5, training"""
    x = randn((300, 200), 106, dtype, device, noncontiguous=True)
    return {"y": tensor_out(getattr(impl, function)(x, 0.5, True, generator(107)), function, x),
            "p": 0.5, "dtype": dtype_name(dtype)}


@CHECKS.add(DROPOUT_FUNCTIONS, contract="generator",
            compare=lambda got, _: _generator_discipline(got),
            hint="draw the mask from the generator argument only (torch.rand(..., "
                 "generator=generator)); never from the global random state")
def uses_the_generator(impl, device, function):
    """x (40, 30), p = 0.5: same generator seed under two global seeds, then another
    generator seed"""
    x = randn((40, 30), 108, torch.float64, device)
    outputs = []
    for global_seed, seed in ((1, 5), (2, 5), (1, 6)):
        torch.manual_seed(global_seed)
        outputs.append(tensor_out(getattr(impl, function)(x, 0.5, True, generator(seed)),
                                  function, x)["values"])
    return {"outputs": outputs}


# Library use: the topic's forbidden operators raise whenever a student's code is graded.
KERNELS = "the library's dropout and normalisation kernels"
DROPOUT_BY_HAND = CHECKS.defaults(expect=INPUTS,
                                  hint="F.dropout, nn.Dropout and torch.dropout are the "
                                       "library's versions; write the mask and the scaling "
                                       "yourself")


@DROPOUT_BY_HAND.library_use(("inverted_dropout",), kernels=KERNELS,
                             compare=dropout_mask(scaled=True))
@DROPOUT_BY_HAND.library_use(("dropout",), kernels=KERNELS, compare=dropout_mask(scaled=False))
def no_library_shortcut(impl, device, function):
    """x (200, 100) float64, p = 0.3, training"""
    x = randn((200, 100), 109, torch.float64, device)
    return {"y": tensor_out(getattr(impl, function)(x, 0.3, True, generator(110)), function, x),
            "p": 0.3, "dtype": "float64"}


def _generator_discipline(got: dict) -> None:
    same, other_global, other_seed = got["outputs"]
    require(np.array_equal(same, other_global), "the same generator seed gave different masks "
            "under different global seeds: the global random state was used", "outputs")
    require(not np.array_equal(same, other_seed),
            "different generator seeds gave the same mask: the generator was not used", "outputs")


@CHECKS.add("dropout", expect=REFERENCE, compare=Close(rtol=1e-6, atol=0.0),  # measured 0
            variants=TORCH_F32, devices=CPU_CUDA,
            hint="at evaluation scale by the keep probability 1 - p, not by p")
def eval_scales_by_keep_probability(impl, device, dtype):
    """x (128, 64) {dtype} on {device}, p = 0.6, evaluation"""
    x = randn((128, 64), 111, dtype, device)
    return {"y": tensor_out(impl.dropout(x, 0.6, False, generator(112, device)), "dropout", x)}


@CHECKS.add("dropout", contract="errors",
            compare=lambda got, _: require(got["errors"] == ["ValueError"] * 2,
                                                      f"raised {got['errors']}", "errors"),
            hint="reject p outside [0, 1] with ValueError")
def rejects_bad_probability(impl, device):
    """p = -0.1 and p = 1.5"""
    x = randn((4, 4), 113, torch.float64, device)
    return {"errors": [raised(lambda p=p: impl.dropout(x, p, True, generator(1)))
                       for p in (-0.1, 1.5)]}


@CHECKS.add("inverted_dropout", compare=lambda got, _: _expectation_preserved(got),
            hint="divide the kept values by q = 1 - p so that E[y] = x")
def expectation_preserved(impl, device):
    """x = 3 everywhere, (1000, 1000) float64, p = 0.7, training"""
    x = torch.full((1000, 1000), 3.0, dtype=torch.float64, device=device)
    out = impl.inverted_dropout(x, 0.7, True, generator(114, device))
    return {"y": tensor_out(out, "inverted_dropout", x)}


def _expectation_preserved(got: dict) -> None:
    kept_dtype_and_device(got["y"])
    q = 0.3  # y_i = 3 m_i / q with m_i ~ Bernoulli(q): mean 3, std 3 sqrt((1 - q) / q)
    mean_within(got["y"]["values"], 3.0, 3.0 * np.sqrt((1 - q) / q), ALPHA, "E[y]", "y")


@CHECKS.add("inverted_dropout", expect=INPUTS, compare=EXACT, variants=TORCH_FLOATS,
            devices=CPU_CUDA, hint="evaluation returns the input's values unchanged, whatever p is")
def eval_identity_any_p(impl, device, dtype):
    """x transposed view (64, 48) {dtype} on {device}, p = 0.9, evaluation"""
    x = randn((64, 48), 115, dtype, device, noncontiguous=True)
    out = impl.inverted_dropout(x, 0.9, False, generator(116, device))
    return {"y": tensor_out(out, "inverted_dropout", x)}


@CHECKS.add("inverted_dropout", expect=INPUTS, compare=lambda got, want: _mask_gradient(got, want),
            hint="build y from differentiable tensor operations so autograd gives dy/dx = m / q")
def gradient_is_mask_over_q(impl, device):
    """x (100, 80) float64 with requires_grad, p = 0.2, gradient of sum(y)"""
    x = randn((100, 80), 117, torch.float64, device).requires_grad_()
    y = impl.inverted_dropout(x, 0.2, True, generator(118, device))
    if not y.requires_grad:
        return {"y": tensor_out(y, "inverted_dropout", x), "grad": None, "p": 0.2}
    (grad,) = torch.autograd.grad(y.sum(), x)
    return {"y": tensor_out(y, "inverted_dropout", x),
            "grad": tensors_out({"x": grad}, "inverted_dropout")["x"], "p": 0.2}


def _mask_gradient(got: dict, want: dict) -> None:
    require(got["grad"] is not None, "the output does not require grad: the graph was cut",
            "grad")
    q = 1.0 - want["p"]
    expected = (got["y"]["values"] != 0) / q  # the kept positions, scaled
    Close(rtol=1e-12, atol=0.0)(got["grad"], expected)  # measured: exact


# ---- batch norm -----------------------------------------------------------------------------

@NORMS_F32.add("batch_norm", contract=("returns", "dtypes"),
               hint="in float32 compute the statistics with tensor reductions (mean, var), not "
                    "a Python loop; keep the input's dtype")
def train_float32_large_batch(impl, device, dtype):
    """x (4096, 16) {dtype} on {device}, training"""
    return batch_norm_probe(impl, device, dtype, training=True, n=4096, seed=120)


@BATCH_NORMS.add("batch_norm",
                 hint="weight=None and bias=None mean no scale and no shift; momentum weights "
                      "the new batch: running = (1 - momentum) * running + momentum * batch "
                      "statistic")
def noncontiguous_no_affine_momentum(impl, device, dtype):
    """x transposed view (16, 16) {dtype}, momentum 0.3, training, no affine"""
    return batch_norm_probe(impl, device, dtype, training=True, n=16, seed=125,
                            noncontiguous=True, affine=False, momentum=0.3)


@BATCH_NORMS.add("batch_norm", contract="edges",
                 hint="the running variance uses the unbiased estimate, N/(N-1) times the "
                      "biased one")
def batch_of_two(impl, device, dtype):
    """x (2, 16) {dtype}, training (the smallest batch allowed)"""
    return batch_norm_probe(impl, device, dtype, training=True, n=2, seed=130)


@CHECKS.add("batch_norm", contract="errors",
            compare=lambda got, _: require(
                got["error"] == "ValueError", f"raised {got['error']}", "error"),
            hint="one sample has no spread: raise ValueError in training when N == 1")
def batch_of_one_raises(impl, device):
    """x (1, 16), training"""
    x, stats_ = randn((1, 16), 131, torch.float64, device), torch.zeros(16, dtype=torch.float64)
    return {"error": raised(lambda: impl.batch_norm(x, stats_, stats_ + 1, None, None, True))}


def _all_value_errors(got: dict, want: None) -> None:
    require(got["errors"] == ["ValueError"] * len(got["errors"]), f"raised {got['errors']}",
            "errors")


@CHECKS.add("batch_norm", contract="errors", compare=_all_value_errors,
            hint="batch_norm takes (N, C) input only: raise ValueError for any other number of "
                 "dimensions, in training and in evaluation")
def rejects_input_not_2d(impl, device):
    """x (4, 3, 5) and x (16,), each in training and in evaluation"""
    stats = (torch.zeros(3, dtype=torch.float64), torch.ones(3, dtype=torch.float64))
    errors = []
    for x in (randn((4, 3, 5), 132, torch.float64, device),
              randn((16,), 133, torch.float64, device)):
        for training in (True, False):
            mean, var = (t.clone() for t in stats)
            errors.append(raised(lambda x=x, t=training, m=mean, v=var: impl.batch_norm(
                x, m, v, None, None, t)))
    return {"errors": errors}


@BATCH_NORMS.add("batch_norm",  # measured 1.3e-15 abs
                 hint="use the signature's defaults (those of F.batch_norm): training=False, "
                      "momentum=0.1, eps=1e-5")
def documented_defaults(impl, device, dtype):
    """x (32, 16) {dtype}: batch_norm(x, running_mean, running_var), then batch_norm(x,
    running_mean, running_var, weight, bias, training=True), the other arguments left out"""
    x = randn((32, 16), 260, dtype, device)
    weight, bias = randn((16,), 261, dtype, device), randn((16,), 262, dtype, device)
    mean = randn((16,), 263, dtype, device)
    var = randn((16,), 264, dtype, device).abs() + 0.5
    at_eval = tensor_out(impl.batch_norm(x, mean, var), "batch_norm", x)
    in_training = tensor_out(impl.batch_norm(x, mean, var, weight, bias, training=True),
                             "batch_norm", x)
    return {"eval": at_eval, "training": in_training,
            **tensors_out({"running_mean": mean, "running_var": var}, "batch_norm")}


@CHECKS.add("batch_norm", expect=TORCH, compare=Close(rtol=1e-9, atol=1e-11),  # measured 4e-14
            variants=TORCH_F64,
            hint="let autograd differentiate your forward pass: no .detach() or .data on the "
                 "path from x, weight and bias to y")
def gradients_match_F(impl, device, dtype):
    """x (32, 8) {dtype}, affine, training; gradients of sum(y * r)"""
    x = randn((32, 8), 132, dtype, device).requires_grad_()
    weight = randn((8,), 133, dtype, device).requires_grad_()
    bias = randn((8,), 134, dtype, device).requires_grad_()
    mean, var = torch.zeros(8, dtype=dtype), torch.ones(8, dtype=dtype)
    y = impl.batch_norm(x, mean, var, weight, bias, True, 0.1, 1e-5)
    loss = (y * randn((32, 8), 135, dtype, device)).sum()
    grads = torch.autograd.grad(loss, (x, weight, bias), allow_unused=True)
    return tensors_out(dict(zip(("x", "weight", "bias"), grads, strict=True)), "batch_norm")


@NORMS_F32.add("batch_norm", contract="dtypes",
               hint="evaluation normalises with the running statistics and must not update them")
def eval_float32(impl, device, dtype):
    """x (64, 16) {dtype} on {device}, evaluation"""
    return batch_norm_probe(impl, device, dtype, training=False, seed=136)


@CHECKS.library_use("batch_norm", kernels=KERNELS, expect=TORCH,
                    compare=BATCH_NORM_F64,  # measured 9e-16 abs
                    hint="F.batch_norm, torch.batch_norm, nn.BatchNorm1d, F.group_norm and "
                         "F.instance_norm are the library's versions; use mean, var and "
                         "arithmetic")
def batch_norm_no_library_shortcut(impl, device):
    """x (8, 16) float64, training"""
    return batch_norm_probe(impl, device, torch.float64, training=True, n=8, seed=137)


# ---- BatchNorm1d ----------------------------------------------------------------------------

@NORMS_F32.add("BatchNorm1d", contract=("returns", "dtypes"),
               hint="forward must switch on self.training: batch statistics in train(), "
                    "running statistics in eval()")
def train_eval_sequence(impl, device, dtype):
    """3 training batches then 1 evaluation batch, {dtype} on {device}, momentum 0.3"""
    return batch_norm_layer_probe(impl, device, dtype, momentum=0.3)  # 0.5 would hide a swap


@BATCH_NORMS.add("BatchNorm1d", hint="affine=False: weight and bias are None and only the "
                                     "running statistics are buffers")
def without_affine(impl, device, dtype):
    """affine=False, {dtype}"""
    return batch_norm_layer_probe(impl, device, dtype, affine=False)


@BATCH_NORMS.add("BatchNorm1d", name="documented_defaults",  # measured 1.8e-15 abs
                 hint="the constructor's defaults are those of nn.BatchNorm1d: eps=1e-5, "
                      "momentum=0.1, affine=True")
def BatchNorm1d_documented_defaults(impl, device, dtype):
    """BatchNorm1d(16, device=..., dtype={dtype}): eps, momentum and affine left to their
    defaults; 3 training batches, 1 evaluation batch"""
    return batch_norm_layer_probe(impl, device, dtype, defaults=True)


@BATCH_NORMS.add("BatchNorm1d",  # measured 8.9e-16 abs
                 hint="forward must pass the layer's own eps and momentum (and affine "
                      "parameters) to batch_norm, not batch_norm's defaults")
def uses_its_own_eps(impl, device, dtype):
    """BatchNorm1d(16, eps=0.5, momentum=0.25), {dtype}: 3 training batches, 1 evaluation
    batch"""
    return batch_norm_layer_probe(impl, device, dtype, momentum=0.25, eps=0.5)


@CHECKS.add("BatchNorm1d", expect=TORCH, compare=EXACT,
            hint="weight and bias are nn.Parameter (trainable); running_mean and running_var "
                 "are buffers (register_buffer): in state_dict(), moved by .to(), not trained")
def registers_parameters_and_buffers(impl, device):
    """BatchNorm1d(6): parameters, buffers, .to(float64)"""
    layer = impl.BatchNorm1d(6).to(torch.float64)
    return {"parameters": sorted(name for name, _ in layer.named_parameters()),
            "buffers": sorted(name for name, _ in layer.named_buffers()
                              if name != "num_batches_tracked"),
            "dtypes": sorted({str(t.dtype) for t in layer.state_dict().values()
                              if t.is_floating_point()})}


@CHECKS.add("BatchNorm1d", expect=TORCH, compare=Close(rtol=1e-9, atol=1e-11),  # measured 4e-14
            variants=TORCH_F64,
            hint="weight and bias must be nn.Parameter so autograd reaches them")
def parameter_gradients(impl, device, dtype):
    """BatchNorm1d(8) on x (32, 8) {dtype}, training; gradients"""
    layer = impl.BatchNorm1d(8, device=device, dtype=dtype)
    x = randn((32, 8), 140, dtype, device).requires_grad_()
    (layer(x) * randn((32, 8), 141, dtype, device)).sum().backward()
    return tensors_out({"x": x.grad, "weight": layer.weight.grad, "bias": layer.bias.grad},
                       "BatchNorm1d")


@CHECKS.library_use("BatchNorm1d", kernels=KERNELS, name="no_library_shortcut_in_layer",
                    expect=TORCH, compare=BATCH_NORM_F64,  # measured 9e-16 abs
                    hint="build on your batch_norm; do not subclass or call nn.BatchNorm1d")
def no_library_shortcut_in_layer(impl, device):
    """training batches then an evaluation batch, float64"""
    return batch_norm_layer_probe(impl, device, torch.float64, momentum=0.4)


# ---- layer norm -----------------------------------------------------------------------------

@NORMS_F32.add("layer_norm", contract=("returns", "dtypes"),
               hint="an int normalized_shape means the last dimension only; keep float32")
def large_float32_int_shape(impl, device, dtype):
    """x (512, 1024) {dtype} on {device}, normalized_shape 1024 (an int), affine"""
    return layer_norm_probe(impl, device, dtype, shape=(512, 1024), normalized=1024, seed=150)


LAYER_NORM_F64 = Close(rtol=1e-10, atol=1e-12)  # measured vs F.layer_norm: <= 1e-15 abs
LAYER_NORMS = CHECKS.defaults(expect=TORCH, compare=LAYER_NORM_F64, variants=TORCH_F64)


@LAYER_NORMS.add("layer_norm",  # measured 1e-15
                 hint="normalise over the trailing dimensions, whatever the memory layout")
def noncontiguous_no_affine(impl, device, dtype):
    """x transposed view (6, 7, 5) {dtype}, normalized_shape (7, 5), no affine"""
    return layer_norm_probe(impl, device, dtype, shape=(6, 7, 5), normalized=(7, 5),
                            affine=False, seed=151, noncontiguous=True)


@LAYER_NORMS.add("layer_norm", contract="edges",  # measured 1e-15
                 hint="layer norm uses each sample's own statistics, so a batch of one is fine")
def batch_of_one(impl, device, dtype):
    """x (1, 9) {dtype}, normalized_shape (9,): a batch of one"""
    return layer_norm_probe(impl, device, dtype, shape=(1, 9), normalized=(9,), seed=152)


@LAYER_NORMS.add("layer_norm", contract="edges",  # measured 4.4e-16
                 hint="x's shape may be exactly normalized_shape (the leading * is empty): "
                      "normalise the whole tensor")
def no_leading_dimensions(impl, device, dtype):
    """x (5, 6) {dtype}, normalized_shape (5, 6): no leading dimensions"""
    return layer_norm_probe(impl, device, dtype, shape=(5, 6), normalized=(5, 6), seed=270)


@LAYER_NORMS.add("layer_norm", name="documented_defaults",  # measured 2.2e-16
                 hint="use the signature's defaults (those of F.layer_norm): no scale, no shift, "
                      "eps=1e-5")
def layer_norm_documented_defaults(impl, device, dtype):
    """x (8, 6) {dtype}: layer_norm(x, 6), weight, bias and eps left out"""
    x = randn((8, 6), 272, dtype, device)
    return {"y": tensor_out(impl.layer_norm(x, 6), "layer_norm", x)}


@CHECKS.add("layer_norm", expect=TORCH, compare=Close(rtol=1e-9, atol=1e-11),  # measured 5e-15
            variants=TORCH_F64, name="gradients_match_F",
            hint="keep every step differentiable so autograd reaches x, weight and bias")
def layer_norm_gradients_match_F(impl, device, dtype):
    """x (4, 3, 5) {dtype}, normalized_shape (3, 5); gradients"""
    x = randn((4, 3, 5), 153, dtype, device).requires_grad_()
    weight = randn((3, 5), 154, dtype, device).requires_grad_()
    bias = randn((3, 5), 155, dtype, device).requires_grad_()
    y = impl.layer_norm(x, (3, 5), weight, bias, 1e-5)
    loss = (y * randn((4, 3, 5), 156, dtype, device)).sum()
    grads = torch.autograd.grad(loss, (x, weight, bias), allow_unused=True)
    return tensors_out(dict(zip(("x", "weight", "bias"), grads, strict=True)), "layer_norm")


@CHECKS.add("layer_norm", contract="errors",
            compare=lambda got, _: require(
                got["error"] == "ValueError", f"raised {got['error']}", "error"),
            hint="raise ValueError when x's trailing dimensions differ from normalized_shape")
def shape_mismatch_raises(impl, device):
    """x (4, 6), normalized_shape (5,)"""
    x = randn((4, 6), 157, torch.float64, device)
    return {"error": raised(lambda: impl.layer_norm(x, (5,)))}


@CHECKS.library_use("layer_norm", kernels=KERNELS, expect=TORCH,
                    compare=LAYER_NORM_F64,  # measured 1e-15
                    hint="F.layer_norm, nn.LayerNorm and F.group_norm are the library's versions")
def layer_norm_no_library_shortcut(impl, device):
    """x (4, 6) float64, normalized_shape 6"""
    return layer_norm_probe(impl, device, torch.float64, shape=(4, 6), normalized=6, seed=158)


# ---- early stopping -------------------------------------------------------------------------

def stopping_run(impl, metrics, patience, min_delta, mode, model=None):
    stopper = impl.EarlyStopping(patience=patience, min_delta=min_delta, mode=mode)
    stops = [bool(stopper.step(metric, model)) for metric in metrics]
    return stopper, {"stops": stops, "best_epoch": scalar(stopper.best_epoch, "best_epoch"),
                     "best": scalar(stopper.best, "best")}


SEQUENCES = {
    "min": {"metrics": (1.0, 0.9, 0.85, 0.86, 0.84, 0.845, 0.90, 0.95, 0.96, 0.97),
            "patience": 3, "min_delta": 0.0, "mode": "min"},
    "max": {"metrics": (0.5, 0.6, 0.6, 0.58, 0.62, 0.61, 0.60, 0.59, 0.70),
            "patience": 3, "min_delta": 0.0, "mode": "max"},
    "min_delta": {"metrics": (1.0, 0.95, 0.93, 0.925, 0.90, 0.899, 0.898, 0.897),
                  "patience": 2, "min_delta": 0.02, "mode": "min"},
    "patience_1": {"metrics": (3.0, 2.0, 2.5, 1.0), "patience": 1, "min_delta": 0.0,
                   "mode": "min"},
    "nan": {"metrics": (2.0, float("nan"), 1.5, float("nan"), float("nan")), "patience": 2,
            "min_delta": 0.0, "mode": "min"},
    # A plateau: a tie is not an improvement, so patience runs out (found by the red team).
    "plateau": {"metrics": (1.0, 0.8, 0.8, 0.8, 0.8), "patience": 3, "min_delta": 0.0,
                "mode": "min"},
    "max_plateau": {"metrics": (0.2, 0.5, 0.5, 0.5, 0.5), "patience": 3, "min_delta": 0.0,
                    "mode": "max"},
    # Binary fractions: best -/+ min_delta is exact, so some metrics sit exactly on the boundary
    # (not an improvement: the docstring's comparisons are strict).
    "min_delta_boundary": {"metrics": (1.0, 0.75, 0.5, 0.25, 0.125, 0.0, 0.0),
                           "patience": 2, "min_delta": 0.25, "mode": "min"},
    "max_min_delta": {"metrics": (0.5, 0.75, 1.0, 1.25, 1.375, 1.5, 1.5, 1.75),
                      "patience": 2, "min_delta": 0.25, "mode": "max"},
}


@AS_REFERENCE.add("EarlyStopping", contract="edges",
                  variants={name: {"sequence": name} for name in SEQUENCES},
                  hint="improvement means beating best by more than min_delta in the mode's "
                       "direction; a non-improving epoch adds one to the counter, and reaching "
                       "patience stops")
def matches_reference(impl, device, sequence):
    """the {sequence} metric sequence"""
    return stopping_run(impl, **SEQUENCES[sequence])[1]


@AS_REFERENCE.add("EarlyStopping",
                  hint="best_state must be a copy (clone the tensors) taken at the best epoch, "
                       "not a live view of the model's parameters")
def best_state_is_a_copy(impl, device):
    """a 1-weight model set to the epoch number each epoch; metrics best at epoch 2"""
    model = torch.nn.Linear(1, 1, bias=False)
    stopper = impl.EarlyStopping(patience=2, min_delta=0.0, mode="min")
    for epoch, metric in enumerate((0.9, 0.7, 0.5, 0.6, 0.8)):
        with torch.no_grad():
            model.weight.fill_(float(epoch))
        stopper.step(metric, model)
    state = stopper.best_state
    weight = state.get("weight") if isinstance(state, dict) else None
    return {"best_weight": None if weight is None else scalar(weight, "best_state['weight']")}


def _flag(value: object) -> bool | str:
    """A returned or stored flag: a bool (NumPy's and one-element torch bools too), else what it
    is instead."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, torch.Tensor) and value.dtype == torch.bool and value.numel() == 1:
        return bool(value.item())
    return f"a {type(value).__name__}, not a bool"


@AS_REFERENCE.add("EarlyStopping", name="documented_defaults",
                  hint="the defaults are those of the signature: patience=5, min_delta=0.0, "
                       "mode='min'")
def EarlyStopping_documented_defaults(impl, device):
    """EarlyStopping() with every argument left out; metrics improving by 0.01 three times, then
    not improving"""
    stopper = impl.EarlyStopping()
    metrics = (1.0, 0.99, 0.98, 0.98, 0.985, 0.99, 0.981, 0.9805, 0.99)
    return {"stops": [_flag(stopper.step(metric)) for metric in metrics],
            "best_epoch": scalar(stopper.best_epoch, "best_epoch"),
            "best": scalar(stopper.best, "best")}


@AS_REFERENCE.add("EarlyStopping",
                  hint="counter starts at 0 and should_stop at False; step returns the bool "
                       "should_stop; without a model best_state stays None")
def state_and_return_values(impl, device):
    """patience 2, mode max, no model: counter and should_stop before the first step and after
    each step, step's return values, best_state"""
    stopper = impl.EarlyStopping(patience=2, min_delta=0.0, mode="max")
    counters = [scalar(stopper.counter, "counter")]
    flags = [_flag(stopper.should_stop)]
    returned = []
    for metric in (1.0, 2.0, 1.5, 1.0):
        returned.append(_flag(stopper.step(metric)))
        counters.append(scalar(stopper.counter, "counter"))
        flags.append(_flag(stopper.should_stop))
    return {"counter": counters, "should_stop": flags, "returned": returned,
            "best_state": None if stopper.best_state is None
            else f"a {type(stopper.best_state).__name__}, not None"}


@CHECKS.add("EarlyStopping", contract="errors",
            compare=lambda got, _: require(
                got["errors"] == ["ValueError"] * 3, f"raised {got['errors']}", "errors"),
            hint="validate the arguments: patience >= 1, min_delta >= 0, mode 'min' or 'max'")
def rejects_bad_arguments(impl, device):
    """patience 0, min_delta -1, mode 'median'"""
    bad = ({"patience": 0}, {"min_delta": -1.0}, {"mode": "median"})
    return {"errors": [raised(lambda kw=kw: impl.EarlyStopping(**kw)) for kw in bad]}


# ---- L2 penalty versus decoupled weight decay -----------------------------------------------

SGD_STEPS = ("sgd_step_l2", "sgd_step_decoupled")
ADAM_STEPS = ("adam_step_l2", "adam_step_decoupled")


@STEPS_F32.add(SGD_STEPS,
               hint="one formula for every element: w - lr * (grad + weight_decay * w)")
def many_steps_float32(impl, device, dtype, function):
    """param (64, 32) {dtype} on {device}, 20 steps, lr 0.05, weight_decay 0.1"""
    return sgd_probe(impl, device, dtype, function, steps=20, size=(64, 32), lr=0.05, wd=0.1,
                     seed=160)


@CHECKS.add(SGD_STEPS, expect=TORCH, compare=Close(rtol=1e-12, atol=1e-14),  # measured 1e-16
            variants=TORCH_F64, hint="with weight_decay 0 the step is plain SGD: w - lr * grad")
def zero_decay_is_plain_sgd(impl, device, dtype, function):
    """param (10,) {dtype}, 5 steps, weight_decay 0"""
    return sgd_probe(impl, device, dtype, function, steps=5, size=(10,), lr=0.3, wd=0.0,
                     seed=170)


# The expected side echoes the function's own argument, so one declaration per function.
IN_PLACE = CHECKS.defaults(contract="unchanged", compare=EXACT,
                           hint="return a new tensor; do not update param in place")


@IN_PLACE.add(("sgd_step_decoupled",), expect=echo("sgd_step_decoupled"))
@IN_PLACE.add(("sgd_step_l2",), expect=echo("sgd_step_l2"))
def leaves_inputs_unchanged(impl, device, function):
    """param and grad (5, 5) float64"""
    param = randn((5, 5), 175)
    getattr(impl, function)(param, randn((5, 5), 176), 0.1, 0.01)
    return tensors_out({"param": param}, function)


ADAM_LABELS = {"adam_step_l2": "torch.optim.Adam", "adam_step_decoupled": "AdamW"}
DECAY_HINTS = {
    "adam_step_l2": "the L2 form adds weight_decay * w to the gradient before both moment updates "
                    "(as torch.optim.Adam), not after the step; bias-correct m and v with t "
                    "counted from 1",
    "adam_step_decoupled": "the decoupled form multiplies w by (1 - lr * weight_decay) (before "
                           "or after the Adam step) and takes the Adam step on the plain "
                           "gradient, with m and v bias-corrected by t counted from 1",
}


@STEPS_F32.add(ADAM_STEPS, hint=lambda function: f"match {ADAM_LABELS[function]}: bias-correct "
                                                 "both moments with the step count t, starting "
                                                 "at t = 1, and add eps outside the square root")
def long_run_float32(impl, device, dtype, function):
    """param (32, 16) {dtype} on {device}, 50 steps, lr 0.003, betas (0.8, 0.99), eps 1e-6,
    weight_decay 0.05"""
    return adam_probe(impl, device, dtype, function, steps=50, size=(32, 16), lr=0.003,
                      wd=0.05, betas=(0.8, 0.99), eps=1e-6, seed=180)


@CHECKS.add(ADAM_STEPS, expect=TORCH, compare=Close(rtol=1e-10, atol=1e-13),  # measured 1e-16
            variants=TORCH_F64, hint=DECAY_HINTS.__getitem__)
def strong_decay(impl, device, dtype, function):
    """param (12,) {dtype}, 3 steps, large weight_decay 0.5"""
    return adam_probe(impl, device, dtype, function, steps=3, size=(12,), lr=0.05, wd=0.5,
                      seed=190)


@CHECKS.add(ADAM_STEPS, expect=TORCH, compare=Close(rtol=1e-10, atol=1e-13),  # measured 0
            variants=TORCH_F64, name="documented_defaults",
            hint="use the signature's defaults: lr=1e-3, betas=(0.9, 0.999), eps=1e-8, "
                 "weight_decay=0.0")
def adam_documented_defaults(impl, device, dtype, function):
    """param (10,) {dtype}, 4 steps called as step(param, grad, state): lr, betas, eps and
    weight_decay left out"""
    step = getattr(impl, function)
    param, state = randn((10,), 280, dtype, device), None
    for k in range(4):
        result = step(param, randn((10,), 281 + k, dtype, device), state)
        if not (isinstance(result, tuple) and len(result) == 2):
            raise ProbeError(f"{function} must return (new_param, new_state), "
                             f"got {type(result)._function__}")
        param, state = result
    return {"param": tensors_out({"final": param}, function)["final"]}


@CHECKS.add(ADAM_STEPS, expect=TORCH, compare=Close(rtol=1e-10, atol=1e-13),  # measured 1e-16
            hint="torch.optim is the library's version: write the moment updates yourself")
def no_torch_optim(impl, device, function):
    """param (4,) float64, 2 steps, torch's fused optimizer kernels unavailable"""
    return adam_probe(impl, device, torch.float64, function, steps=2, size=(4,), seed=195)


@CHECKS.add("adam_step_l2", expect=TORCH, compare=Close(rtol=1e-10, atol=1e-13),  # measured 1e-16
            variants=TORCH_F64,
            hint="state holds step (an int counting steps), exp_avg (m) and exp_avg_sq (v)")
def state_contents(impl, device, dtype):
    """param (8,) {dtype}, 4 steps: the returned state"""
    param, state = randn((8,), 196, dtype, device), None
    for k in range(4):
        param, state = impl.adam_step_l2(param, randn((8,), 197 + k, dtype, device), state,
                                         lr=0.01, weight_decay=0.1)
    if not isinstance(state, dict):
        raise ProbeError(f"adam_step_l2 returned a {type(state).__name__} state, expected dict")
    return {"step": scalar(state.get("step"), "state['step']"),
            **tensors_out({k: state.get(k) for k in ("exp_avg", "exp_avg_sq")}, "adam_step_l2")}


@CHECKS.add("weight_decay_gap", expect=TORCH, compare=Close(rtol=1e-3, atol=2e-5),  # measured 2e-6
            variants=TORCH_F32,
            hint="use your own four step functions on the same gradient sequence")
def float32_long(impl, device, dtype):
    """param (50,) {dtype}, 25 steps, lr 0.02, weight_decay 0.3"""
    return gap_probe(impl, device, dtype, steps=25, lr=0.02, wd=0.3, seed=200)


@CHECKS.add("weight_decay_gap", expect=TORCH, compare=Close(rtol=0.0, atol=1e-12),  # measured 0
            variants=TORCH_F64,
            hint="without weight decay the two forms are the same algorithm: both gaps are 0")
def zero_decay_no_gap(impl, device, dtype):
    """param (20,) {dtype}, 10 steps, weight_decay 0"""
    return gap_probe(impl, device, dtype, wd=0.0, seed=210)


# ---- augmentation ---------------------------------------------------------------------------

def augment_probe(impl, device, dtype, n, size, flip_prob, padding, seed, noncontiguous=False):
    images = randn((n, *size), seed, dtype, device, noncontiguous)
    out = impl.augment_images(images, generator(seed + 1, device), flip_prob, padding)
    return {"y": tensor_out(out, "augment_images", images), "padding": padding,
            "flip_prob": flip_prob}


def _augment_statistics(got: dict, want: dict) -> None:
    from scipy import stats  # here: 0.5 s to import, for this check only

    matches = flips_and_crops(got, want)
    # With random images each output matches exactly one (flip, i, j); count flips and offsets.
    n, k = len(matches), matches.shape[-1]
    flipped = matches[:, 1].any(axis=(1, 2))
    rows = matches.any(axis=(1, 3)).argmax(axis=1)
    cols = matches.any(axis=(1, 2)).argmax(axis=1)
    rate_within(int(flipped.sum()), n, want["flip_prob"], ALPHA, "images flipped", "y")
    for axis, offsets in (("row", rows), ("column", cols)):
        counts = np.bincount(offsets, minlength=k)
        p_value = float(stats.chisquare(counts).pvalue)  # uniform over {0, ..., 2 * padding}
        require(p_value >= ALPHA, f"{axis} offsets are not uniform over 0..{k - 1} (chi-square "
                                  f"p = {p_value:.1e} < {ALPHA:g}, the false-failure rate)", "y")
    # (i, j) is uniform over the k x k grid: the row and column offsets are independent draws
    # (one offset used for both directions puts every corner on the diagonal).
    counts = np.bincount(rows * k + cols, minlength=k * k)
    p_value = float(stats.chisquare(counts).pvalue)
    require(p_value >= ALPHA, f"the corners (i, j) are not uniform over the {k} x {k} grid of "
                              f"offsets (chi-square p = {p_value:.1e} < {ALPHA:g}): draw i and j "
                              "independently", "y")


@CHECKS.add("augment_images", contract=("returns", "dtypes"),
            expect=INPUTS, compare=_augment_statistics, variants=TORCH_F32, devices=CPU_CUDA,
            hint="draw a separate flip and separate offsets for every image, offsets uniform "
                 "over {0, ..., 2 * padding} in both directions")
def per_image_statistics(impl, device, dtype):
    """images (3000, 1, 5, 5) {dtype} on {device}, flip_prob 0.3, padding 1"""
    return augment_probe(impl, device, dtype, 3000, (1, 5, 5), 0.3, 1, seed=220)


@CHECKS.add("augment_images", expect=INPUTS, compare=_augment_statistics, variants=TORCH_F32,
            name="documented_defaults",
            hint="use the signature's defaults: flip_prob=0.5, padding=4")
def augment_images_documented_defaults(impl, device, dtype):
    """images (4000, 1, 6, 6) {dtype}, called as augment_images(images, generator): flip_prob
    and padding left out"""
    images = randn((4000, 1, 6, 6), 290, dtype, device)
    out = impl.augment_images(images, generator(291, device))
    return {"y": tensor_out(out, "augment_images", images), "padding": 4, "flip_prob": 0.5}


# Generator seed 2313's 3998th float32 uniform draw is exactly 0.0 (once in 2^24 draws): a flip
# test u <= flip_prob instead of u < flip_prob flips that image at flip_prob = 0. Any correct
# answer returns the images unchanged, whatever it draws.
@CHECKS.add("augment_images", contract="edges",
            expect=INPUTS, compare=EXACT, variants=TORCH_F32,
            hint="flip_prob 0 never flips, whatever the generator draws: flip when u < "
                 "flip_prob, so a draw of exactly 0 does not flip")
def never_flips_at_zero_probability(impl, device, dtype):
    """images (4096, 1, 3, 3) {dtype}, flip_prob 0, padding 0, a generator whose uniform draws
    include 0.0"""
    images = randn((4096, 1, 3, 3), 292, dtype, device)
    out = impl.augment_images(images, generator(2313, device), 0.0, 0)
    return {"y": tensor_out(out, "augment_images", images)}


@CHECKS.add("augment_images", contract="edges",
            expect=INPUTS, compare=EXACT, variants=TORCH_FLOATS,
            hint="flip_prob 0 and padding 0 must return the images unchanged")
def disabled_is_identity(impl, device, dtype):
    """images (16, 3, 6, 6) {dtype}, flip_prob 0, padding 0"""
    out = augment_probe(impl, device, dtype, 16, (3, 6, 6), 0.0, 0, seed=230)
    return {"y": out["y"]}


@CHECKS.add("augment_images", contract="edges",
            expect=oracle(
                "the mirrored images", augment_images=lambda x, *_: x.flip(-1)),
            compare=EXACT, variants=TORCH_F64,
            hint="flip_prob 1 mirrors every image left-right (along W, the last dimension)")
def always_flip_mirrors_width(impl, device, dtype):
    """images transposed view (10, 2, 7, 9) {dtype}, flip_prob 1, padding 0"""
    out = augment_probe(impl, device, dtype, 10, (2, 7, 9), 1.0, 0, seed=240,
                        noncontiguous=True)
    return {"y": out["y"]}


@CHECKS.add("augment_images", contract="generator",
            compare=lambda got, _: _generator_discipline(got),
            hint="take every random draw from the generator argument")
def uses_the_generator_for_images(impl, device):
    """images (20, 1, 6, 6): same generator seed under two global seeds, then another generator
    seed"""
    images = randn((20, 1, 6, 6), 250, torch.float64, device)
    outputs = []
    for global_seed, seed in ((1, 5), (2, 5), (1, 6)):
        torch.manual_seed(global_seed)
        out = impl.augment_images(images, generator(seed), 0.5, 2)
        outputs.append(tensor_out(out, "augment_images", images)["values"])
    return {"outputs": outputs}


# ---- contracts: exact types, dtypes, arguments left unchanged, errors in every mode ----------

def _kept(value: object, like: torch.Tensor) -> dict | str:
    """Whether a returned tensor kept `like`'s dtype and device (else what came back)."""
    if not isinstance(value, torch.Tensor):
        return f"a {type(value).__name__}, not a tensor"
    return {"dtype": value.dtype == like.dtype, "device": value.device == like.device}


@AS_REFERENCE.add(DROPOUT_FUNCTIONS, contract=("errors", "unchanged"), variants=TORCH_FLOATS,
                  hint="reject p outside [0, 1] with ValueError in training and at "
                       "evaluation alike (validate before choosing the mode), and never "
                       "modify x: build a new tensor (no in-place ops such as x.mul_ or "
                       "x *= ...)")
def errors_and_input_untouched(impl, device, dtype, function):
    """x (6, 5) {dtype}; p = -0.1, 1.5 and 0.5, each in training and at evaluation"""
    calls = []
    for training in (True, False):
        for p in (-0.1, 1.5, 0.5):
            x = randn((6, 5), 320, dtype, device)
            calls.append(changed_arguments(getattr(impl, function), x=x, p=p,
                                           training=training,
                                           generator=generator(321, device)))
    return {"calls": calls}


@CHECKS.add(DROPOUT_FUNCTIONS, contract="generator",
            compare=lambda got, _: _generator_advances(got),
            hint="draw from the generator you are given, so that it advances: two calls with "
                 "the same generator give different masks; never seed or draw from the "
                 "global random state")
def draws_advance_the_generator(impl, device, function):
    """x (40, 30) float64, p = 0.5, training: two calls with one generator"""
    x = randn((40, 30), 322, torch.float64, device)
    rng = generator(323, device)
    torch.manual_seed(324)
    before = torch.get_rng_state()
    first, second = (tensor_out(getattr(impl, function)(x.clone(), 0.5, True, rng), function, x)
                     for _ in range(2))  # each read before the next call
    return {"differ": not same_bits(first["values"], second["values"]),
            "global_untouched": same_bits(before, torch.get_rng_state())}


@AS_REFERENCE.add(DROPOUT_FUNCTIONS, contract=("edges", "returns", "dtypes"),
                  variants=TORCH_FLOATS,
                  hint="the boundary probabilities are allowed at evaluation too: standard "
                       "dropout gives q * x (x at p = 0, zeros at p = 1), inverted dropout "
                       "gives x")
def eval_at_boundary_probabilities(impl, device, dtype, function):
    """x (7, 6) {dtype} at evaluation with p = 0 and p = 1"""
    x = randn((7, 6), 325, dtype, device)
    return {f"p{p:g}": tensor_out(getattr(impl, function)(x, p, False, generator(326, device)),
                                  function, x) for p in (0.0, 1.0)}


def _generator_advances(got: dict) -> None:
    require(got["global_untouched"], "the global random state changed: it was seeded or drawn "
            "from", "global_untouched")
    require(got["differ"], "two calls with the same generator gave the same output: the "
            "generator's own stream was not used (a copy, or a re-seeded generator)", "differ")


@AS_REFERENCE.add("batch_norm", contract=("unchanged", "errors", "edges"),
                  variants=TORCH_FLOATS,
                        hint="training updates running_mean and running_var in place under "
                       "torch.no_grad() and nothing else (x, weight and bias stay as they are); "
                       "evaluation changes nothing and accepts a single sample; N == 1 in "
                       "training raises ValueError before anything is updated")
def updates_only_the_running_statistics(impl, device, dtype):
    """x (8, 4) {dtype} in training and at evaluation, x (1, 4) at evaluation and in training:
    which arguments change, what is raised, whether the running statistics are tracked by
    autograd"""
    calls = {}
    for label, n, training in (("train", 8, True), ("eval", 8, False),
                               ("eval_one_sample", 1, False), ("train_one_sample", 1, True)):
        calls[label] = changed_arguments(
            impl.batch_norm, x=randn((n, 4), 330, dtype, device),
            running_mean=randn((4,), 331, dtype, device),
            running_var=randn((4,), 332, dtype, device).abs() + 0.5,
            weight=randn((4,), 333, dtype, device), bias=randn((4,), 334, dtype, device),
            training=training, momentum=0.1, eps=1e-5)
    x = randn((8, 4), 335, dtype, device).requires_grad_()
    mean, var = torch.zeros(4, dtype=dtype, device=device), torch.ones(4, dtype=dtype,
                                                                        device=device)
    impl.batch_norm(x, mean, var, None, None, True)
    calls["running_statistics_tracked"] = bool(mean.requires_grad or var.requires_grad)
    return calls


@AS_REFERENCE.add("BatchNorm1d", contract="dtypes", variants=TORCH_FLOATS, devices=CPU_CUDA,
                  hint="create weight, bias, running_mean and running_var with the device and "
                       "dtype given to the constructor (torch.ones(n, device=device, "
                       "dtype=dtype)); the output keeps the input's dtype and device")
def state_in_the_given_dtype(impl, device, dtype):
    """BatchNorm1d(4, device={device}, dtype={dtype}), affine and not: its parameters, buffers
    and outputs"""
    found = {}
    for affine in (True, False):
        layer = impl.BatchNorm1d(4, affine=affine, device=device, dtype=dtype)
        x = randn((6, 4), 340, dtype, device)
        found[f"affine={affine}"] = {
            "state": {key: _kept(value, x) for key, value in layer.state_dict().items()
                      if key != "num_batches_tracked"},
            "train": _kept(layer.train()(x), x), "eval": _kept(layer.eval()(x), x)}
    return found


@AS_REFERENCE.add("BatchNorm1d", contract="unchanged", variants=TORCH_F64,
                  hint="forward never modifies its input x; in eval mode it changes nothing, "
                       "neither the buffers nor the layer's mode (in training only the buffers "
                       "change)")
def forward_leaves_its_input(impl, device, dtype):
    """BatchNorm1d(4) on x (6, 4) {dtype}: forward in training, then at evaluation"""
    layer = impl.BatchNorm1d(4, device=device, dtype=dtype)
    return {mode: changed_arguments(lambda layer, x: layer(x), layer=getattr(layer, mode)(),
                                    x=randn((6, 4), 341, dtype, device))
            for mode in ("train", "eval")}


@AS_REFERENCE.add("layer_norm", contract=("errors", "unchanged"), variants=TORCH_FLOATS,
                  hint="raise ValueError (not an assert or torch's own error) whenever x's "
                       "trailing dimensions differ from normalized_shape, including a "
                       "normalized_shape longer than x has dimensions; never modify x, weight "
                       "or bias")
def errors_and_inputs_untouched(impl, device, dtype):
    """x (4, 6) {dtype} with normalized_shape (6,), (5,), 5 and (2, 6); weight and bias given"""
    calls = {}
    for label, normalized in (("matching", (6,)), ("tuple", (5,)), ("int", 5),
                              ("longer", (3, 4, 6))):
        trailing = (normalized,) if isinstance(normalized, int) else normalized
        calls[label] = changed_arguments(
            impl.layer_norm, x=randn((4, 6), 350, dtype, device), normalized_shape=normalized,
            weight=randn(trailing, 351, dtype, device), bias=randn(trailing, 352, dtype, device),
            eps=1e-5)
    return calls


@AS_REFERENCE.add("EarlyStopping", contract="returns",
                  hint="step returns the Python bool should_stop; best is a float, best_epoch "
                       "and counter are ints")
def types_of_results_and_state(impl, device):
    """patience 2, mode min, Python float metrics 1.0, 0.5, 0.7, 0.8: the types step returns and
    of best, best_epoch, counter and should_stop after each step"""
    stopper = impl.EarlyStopping(patience=2, min_delta=0.0, mode="min")
    found = []
    for metric in (1.0, 0.5, 0.7, 0.8):
        returned = stopper.step(metric)
        found.append(type_names({"returned": returned, "best": stopper.best,
                                 "best_epoch": stopper.best_epoch, "counter": stopper.counter,
                                 "should_stop": stopper.should_stop}))
    return {"steps": found}


@AS_REFERENCE.add("EarlyStopping", contract=("keys", "unchanged"),
                  hint="best_state copies the whole model.state_dict() (buffers too, the same "
                       "keys); step only reads the model: it never changes its weights or its "
                       "mode")
def best_state_keys_and_model_untouched(impl, device):
    """a model with parameters and buffers (Linear then BatchNorm1d), in training mode, its
    weights changed between the steps, patience 2, metrics 1.0, 0.5, 0.7, 0.8: the keys of
    best_state, and whether step changes the model"""
    model = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.BatchNorm1d(3)).double()
    model.train()
    stopper = impl.EarlyStopping(patience=2, min_delta=0.0, mode="min")
    calls = []
    for epoch, metric in enumerate((1.0, 0.5, 0.7, 0.8)):  # the last step stops
        with torch.no_grad():
            model[0].weight.fill_(float(epoch))  # "training" between the steps
        calls.append(changed_arguments(stopper.step, metric=metric, model=model))
    state = stopper.best_state
    keys = sorted(str(key) for key in state) if hasattr(state, "keys") else \
        f"a {type(state).__name__}, not a dict"
    return {"calls": calls, "best_state_keys": keys}


@AS_REFERENCE.add(("sgd_step_l2", "sgd_step_decoupled"),
                  contract=("returns", "dtypes", "unchanged"), variants=TORCH_FLOATS,
                  devices=CPU_CUDA,
                  hint="the new parameter keeps param's dtype and device (no .double(), no "
                       "default-dtype tensors), and neither param nor grad is modified: no "
                       "param -= ..., no grad += ...")
def keeps_dtype_and_inputs(impl, device, dtype, function):
    """param and grad (5, 4) {dtype} on {device}"""
    param, grad = randn((5, 4), 360, dtype, device), randn((5, 4), 361, dtype, device)
    result, call = call_and_changes(getattr(impl, function), param=param, grad=grad, lr=0.1,
                                    weight_decay=0.01)
    return {"call": call, "kept": None if call["raised"] else _kept(result, param)}


@AS_REFERENCE.add(("adam_step_l2", "adam_step_decoupled"),
                  contract=("returns", "keys", "dtypes", "unchanged"), variants=TORCH_FLOATS,
                  devices=CPU_CUDA,
                  hint="return the tuple (w_new, new_state) with new_state exactly {'step': "
                       "int, 'exp_avg': m, 'exp_avg_sq': v}, tensors of param's dtype and "
                       "device; never modify param, grad or the tensors of the state passed in")
def result_types_and_inputs(impl, device, dtype, function):
    """param and grad (5, 4) {dtype} on {device}: a first step (state None), then a second from
    the returned state"""
    step = getattr(impl, function)
    param, grad = randn((5, 4), 370, dtype, device), randn((5, 4), 371, dtype, device)
    first = step(param, grad, None, lr=0.01, weight_decay=0.1)
    if not (isinstance(first, tuple) and len(first) == 2 and isinstance(first[1], dict)):
        raise ProbeError(f"{function} must return (new_param, new_state), "
                         f"got {type(first).__name__}")
    # The tensors of the state passed in are watched, not the dict: the docstring forbids
    # modifying "param, grad or the tensors in state" and leaves the dict's entries open.
    results, state = [], first[1]
    call = changed_arguments(
        lambda param, grad, exp_avg, exp_avg_sq: results.append(
            step(param, grad, state, lr=0.01, weight_decay=0.1)),
        param=first[0], grad=randn((5, 4), 372, dtype, device),
        exp_avg=state.get("exp_avg"), exp_avg_sq=state.get("exp_avg_sq"))
    found = {"types": [type_names(first)] + [type_names(r) for r in results], "call": call}
    for label, result in zip(("first", "second"), [first, *results], strict=False):
        if not (isinstance(result, tuple) and len(result) == 2
                and isinstance(result[1], dict)):
            found[label] = f"a {type(result).__name__}, not (new_param, new_state)"
            continue
        found[label] = {"param": _kept(result[0], param),
                        **{key: _kept(result[1].get(key), param)
                           for key in ("exp_avg", "exp_avg_sq")}}
    return found


@AS_REFERENCE.add("weight_decay_gap", contract=("returns", "keys", "unchanged"),
                  variants=TORCH_FLOATS,
                  hint="return a dict with exactly the keys 'sgd' and 'adam', each a Python "
                       "float (float(...), not a tensor); param and the gradients stay as they "
                       "are")
def returns_python_floats_under_exact_keys(impl, device, dtype):
    """param (6,) {dtype}, 3 gradients: the returned dict and whether param or the gradients
    change"""
    result, call = call_and_changes(
        impl.weight_decay_gap, param=randn((6,), 380, dtype, device),
        grads=[randn((6,), 381 + k, dtype, device) for k in range(3)], lr=0.05,
        weight_decay=0.1)
    return {"call": call, "types": None if call["raised"] else type_names(result)}


@AS_REFERENCE.add("augment_images", contract=("dtypes", "unchanged"),
                  variants={"float16": {"dtype": torch.float16},
                            "bfloat16": {"dtype": torch.bfloat16}, **TORCH_F64},
                  hint="any float dtype stays itself (make the zero padding with images' dtype "
                       "and device), and the input images are never modified (flip and pad "
                       "copies, not the images in place)")
def keeps_any_float_dtype_and_input(impl, device, dtype):
    """images (6, 2, 5, 5) {dtype}, flip_prob 0.5, padding 2"""
    images = randn((6, 2, 5, 5), 390, dtype, device)
    result, call = call_and_changes(impl.augment_images, images=images,
                                    generator=generator(391, device), flip_prob=0.5, padding=2)
    return {"call": call, "kept": None if call["raised"] else _kept(result, images)}


@CHECKS.add("augment_images", contract="generator", compare=lambda got, _: _generator_advances(got),
            name="draws_advance_the_generator",
            hint="draw the flips and offsets from the generator you are given, so that it "
                 "advances; never seed or draw from the global random state")
def augment_images_draws_advance_the_generator(impl, device):
    """images (20, 1, 6, 6) float64, flip_prob 0.5, padding 2: two calls with one generator"""
    images = randn((20, 1, 6, 6), 392, torch.float64, device)
    rng = generator(393, device)
    torch.manual_seed(394)
    before = torch.get_rng_state()
    first, second = (tensor_out(impl.augment_images(images.clone(), rng, 0.5, 2),
                                "augment_images", images) for _ in range(2))
    return {"differ": not same_bits(first["values"], second["values"]),
            "global_untouched": same_bits(before, torch.get_rng_state())}


# ---- speed on CUDA: whole-tensor operations (see compare.SPEED_FACTOR) ------------------------
# CPU: the reference measured 3.2 times F.batch_norm, a loop over features 9.4 times.
@CHECKS.add("batch_norm", compare=at_most_slower("F.batch_norm"), devices=("cuda",),
            hint="normalise every feature at once: means and variances over dim 0, no loop over "
                 "features or rows")
def speed(impl, device):
    """x (8192, 512) float32 on {device}, training, with weight and bias"""
    x = randn((8192, 512), 310, torch.float32, device)
    mean, var, weight, bias = (randn((512,), 311 + i, torch.float32, device).abs()
                               for i in range(4))
    return speed_against(
        lambda: impl.batch_norm(x, mean.clone(), var.clone(), weight, bias, training=True),
        lambda: F.batch_norm(x, mean.clone(), var.clone(), weight, bias, training=True), device)


# ---- the contract table (autograder/contracts.py; `python -m autograder contracts`) ---------

_DROPOUT_KINDS = ("returns", "dtypes", "unchanged", "errors", "edges", "generator")
# The topic's own edge cases, each named in at least one hidden check (beside the pack's:
# float32, float64, large, noncontiguous, batch_of_one; tests/test_pack_rules.py).
EDGE_CASES = ("p_zero", "p_one", "no_library_shortcut")

CONTRACTS = {
    "dropout": _DROPOUT_KINDS,
    "inverted_dropout": _DROPOUT_KINDS,
    "batch_norm": ("returns", "dtypes", "unchanged", "errors", "edges"),
    "BatchNorm1d": ("returns", "dtypes", "unchanged"),
    "layer_norm": ("returns", "dtypes", "unchanged", "errors", "edges"),
    "EarlyStopping": ("returns", "unchanged", "errors", "edges", "keys"),
    "sgd_step_l2": ("returns", "dtypes", "unchanged"),
    "sgd_step_decoupled": ("returns", "dtypes", "unchanged"),
    "adam_step_l2": ("returns", "keys", "dtypes", "unchanged"),
    "adam_step_decoupled": ("returns", "keys", "dtypes", "unchanged"),
    "weight_decay_gap": ("returns", "keys", "unchanged"),
    "augment_images": ("returns", "dtypes", "unchanged", "edges", "generator"),
}
NOT_APPLICABLE = {
    "BatchNorm1d": {
        "restores": "the docstring names the modes only to say which statistics forward uses "
                    "('uses batch statistics ... in training mode (`model.train()`), and uses "
                    "the buffers in evaluation mode (`model.eval()`)'): forward sets no mode, so "
                    "there is nothing to restore; that forward leaves the layer's mode and, in "
                    "eval mode, its buffers as they were is checked under 'unchanged'",
    },
    "weight_decay_gap": {
        "dtypes": "its results are Python floats ('{\"sgd\": ..., \"adam\": ...} as Python "
                  "floats'), which have no dtype or device; their exact type is checked under "
                  "'returns'",
    },
}

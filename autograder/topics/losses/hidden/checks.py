"""Hidden checks of topic 5-04 (losses): every reduction on other shapes, float32 and large
inputs, non-contiguous inputs, a batch of one with the default arguments, logits of +-100 (float32)
and +-1000 (float64), cross-entropy rows of very different scale, the gradient conventions the
topic teaches (MAE at a tie, focal loss down-weighting easy examples, KL with zero
probabilities), errors for mismatched shapes and unknown reductions (named in the message),
library shortcuts, and CUDA. Graded mode shows a student only each check's name, pass or fail,
and its hint. Tolerances are written next to each check with the error the reference measured
(float32 answers against float64 references).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from autograder.runtime.check import REFERENCE, CheckSet, oracle
from autograder.runtime.compare import Close, at_most_slower, require
from autograder.runtime.probing import (
    changed_arguments,
    generator,
    raised,
    randn,
    speed_against,
    type_names,
)
from autograder.runtime.variants import CPU_CUDA, TORCH_F32, TORCH_F64, TORCH_FLOATS
from autograder.topics.losses.public import (
    FUNCTIONS,
    HINTS,
    KINDS,
    PARAMETERS,
    REDUCTIONS,
    TORCH,
    VALUES_F64,
    as_input,
    bce_from_focal,
    call_loss,
    describe,
    extreme_case,
    log_probabilities,
    loss_inputs,
    loss_probe,
    losses_on,
    names_both_shapes,
    raised_with_message,
)

CHECKS = CheckSet("losses", "hidden")
# The contracts each loss's docstring states (autograder/contracts.py): a tensor of the documented
# shape for every reduction, in the input's dtype and device; its arguments never modified (also
# when it raises); ValueError for every mismatched shape and unknown reduction, in float32 and
# float64 and in every mode (log_target, alpha None); and the edge cases the docstrings name
# (a tie in MAE, logits of +-100 and beyond, exact zero probabilities in KL).
SHARED_CONTRACTS = ("returns", "dtypes", "unchanged", "errors")
# The topic's own edge cases, each named in at least one hidden check (beside the pack's:
# float32, float64, large, noncontiguous, batch_of_one; tests/test_pack_rules.py).
EDGE_CASES = ("extreme_logits", "gradient_at_zero", "down_weights_easy", "gamma_zero",
              "zero_target", "shape_mismatch", "unknown_reduction", "no_library_shortcut")

CONTRACTS = {
    "mse_loss": SHARED_CONTRACTS,
    "mae_loss": (*SHARED_CONTRACTS, "edges"),  # "a hidden check tests ties"
    "huber_loss": SHARED_CONTRACTS,
    "bce_with_logits": (*SHARED_CONTRACTS, "edges"),  # finite for logits of +-100 and beyond
    "cross_entropy": (*SHARED_CONTRACTS, "edges"),  # exp never overflows; rows of any scale
    "multi_margin_loss": SHARED_CONTRACTS,
    "focal_loss": (*SHARED_CONTRACTS, "edges"),  # huge logits; gamma 0, alpha None is BCE
    "kl_div": (*SHARED_CONTRACTS, "edges"),  # "with l_i = 0 where p_i = 0" (0 log 0 = 0)
}
# Every kind the contract rule derives from the docstrings applies and is declared above.
NOT_APPLICABLE: dict[str, dict[str, str]] = {}
# float32 answers against float64 references on the same float32 values (sums of up to 32768
# terms, logits of +-100): the reference measured at most 1.6e-6 abs (kl_div's target gradient
# log p + 1 - log q, a cancellation of terms ~4, on 512 x 32) and 6.4e-4 abs on a sum of 6.6e4
# (1e-8 relative); a real mistake is off by 1e-2 relative or more.
F32_VALUES = Close(rtol=1e-4, atol=1e-5)  # measured 1.6e-6 abs, 1e-8 rel on large sums (above)
# Shapes per kind of input: large, another shape (3-D where the loss allows it), a batch of one,
# a transposed view, and a pair of shapes that differ (the first broadcastable ones).
LARGE = {"regression": (512, 64), "soft_binary": (512, 64), "hard_binary": (512, 64),
         "classes": (2048, 10), "distributions": (512, 32)}
OTHER = {"regression": (3, 4, 5), "soft_binary": (2, 3, 4), "hard_binary": (2, 3, 4),
         "classes": (7, 6), "distributions": (3, 4, 5)}
ONE = {"regression": (1,), "soft_binary": (1,), "hard_binary": (1,), "classes": (1, 5),
       "distributions": (1, 5)}
VIEW = {"regression": (7, 3), "soft_binary": (5, 4), "hard_binary": (5, 4), "classes": (9, 5),
        "distributions": (4, 6)}
MISMATCH = {"regression": ((3, 1), (3,)), "soft_binary": ((4, 1), (4,)),
            "hard_binary": ((4, 1), (4,)), "classes": ((5, 3), (4,)),
            "distributions": ((4, 3), (4, 1))}
# The library's losses and its stable log-sum-exp in every form, by the names the call watch
# sees (C functions, torch.nn.functional, torch.ops.aten), and the nn.*Loss modules' file.
def mismatched_inputs(function, device):
    """Two arguments whose shapes differ (MISMATCH), with values valid for the loss."""
    first_shape, second_shape = MISMATCH[KINDS[function]]
    first = randn(first_shape, 60, torch.float64, device)
    if KINDS[function] == "classes":
        return first, torch.zeros(second_shape, dtype=torch.int64, device=device)
    return first, torch.sigmoid(randn(second_shape, 61, torch.float64, device))


UNKNOWN_REDUCTIONS = ("average", "MEAN")


def names_the_reduction(got: dict, want: None) -> None:
    """A ValueError for each unknown reduction, its message naming it ("reduction ... got
    'average'"): the module docstring's "Any other value raises ValueError naming it"."""
    require(got["errors"] == ["ValueError"] * len(UNKNOWN_REDUCTIONS),
            f"raised {got['errors']} for reductions {list(UNKNOWN_REDUCTIONS)}, expected "
            "ValueError", "errors")
    unnamed = [r for r, named in zip(UNKNOWN_REDUCTIONS, got["named"], strict=True) if not named]
    require(not unnamed, f"the ValueError's message does not name the reduction {unnamed}",
            "message")


# ---- every loss: reductions, float32, layout, a batch of one, errors, shortcuts ------------

# Every reduction in float64 against torch: most value checks of this topic.
VALUES = CHECKS.defaults(expect=TORCH, compare=VALUES_F64, variants=TORCH_F64)


@CHECKS.add(FUNCTIONS, expect=TORCH, compare=F32_VALUES, variants=TORCH_F32, devices=CPU_CUDA,
            contract="dtypes",
            case=lambda f: f"{describe(f, LARGE[KINDS[f]])}, {{dtype}} on {{device}}; "
                           "reductions mean, sum, none",
            hint="float32 in, float32 out on the input's device: build constants and masks with "
                 "the input's dtype and device (torch.zeros_like, .new_tensor)")
def large_float32(impl, device, dtype, function):
    return loss_probe(impl, device, dtype, function, LARGE[KINDS[function]], seed=100)


@VALUES.add(FUNCTIONS, contract="returns",  # measured 3.6e-15 abs
            case=lambda f: f"{describe(f, OTHER[KINDS[f]])}, {{dtype}}; reductions mean, sum, "
                           "none",
            hint=lambda f: "mean averages over every element (every sample for the class-index "
                           f"losses) and sum adds them; none keeps them all. {HINTS[f]}")
def reductions_other_shape(impl, device, dtype, function):
    return loss_probe(impl, device, dtype, function, OTHER[KINDS[function]], seed=110)


@VALUES.add(FUNCTIONS,  # measured 1.8e-15 abs
            case=lambda f: f"{describe(f, VIEW[KINDS[f]])} as transposed views, {{dtype}}",
            hint="work on the values whatever the memory layout (x.t() is a view); index along "
                 "named dimensions, never through .view of the raw storage")
def noncontiguous(impl, device, dtype, function):
    return loss_probe(impl, device, dtype, function, VIEW[KINDS[function]], seed=120,
                      noncontiguous=True)


@VALUES.add(FUNCTIONS,  # measured 1.1e-16 abs
            case=lambda f: f"{describe(f, ONE[KINDS[f]], {})}, {{dtype}}: a batch of one, "
                           "called with the default arguments, then with sum and none",
            hint="the defaults are those of the docstring (reduction 'mean'); a single sample "
                 "or element must work like any other batch")
def batch_of_one(impl, device, dtype, function):
    return loss_probe(impl, device, dtype, function, ONE[KINDS[function]], seed=130,
                      reductions=(None, "sum", "none"))


# The shapes each message must name differ per kind of input, and with them the compare.
MISMATCHES = CHECKS.defaults(
    contract="errors",
    case=lambda f: f"arguments of shapes {MISMATCH[KINDS[f]][0]} and {MISMATCH[KINDS[f]][1]}",
    hint="check the shapes before computing anything and raise ValueError naming both; never "
         "let them broadcast")


@MISMATCHES.add(("kl_div",), compare=names_both_shapes(MISMATCH["distributions"]))
@MISMATCHES.add(("multi_margin_loss",), compare=names_both_shapes(MISMATCH["classes"]))
@MISMATCHES.add(("cross_entropy",), compare=names_both_shapes(MISMATCH["classes"]))
@MISMATCHES.add(("focal_loss",), compare=names_both_shapes(MISMATCH["hard_binary"]))
@MISMATCHES.add(("bce_with_logits",), compare=names_both_shapes(MISMATCH["soft_binary"]))
@MISMATCHES.add(("huber_loss",), compare=names_both_shapes(MISMATCH["regression"]))
@MISMATCHES.add(("mae_loss",), compare=names_both_shapes(MISMATCH["regression"]))
@MISMATCHES.add(("mse_loss",), compare=names_both_shapes(MISMATCH["regression"]))
def shape_mismatch_raises(impl, device, function):
    first, second = mismatched_inputs(function, device)
    error, message = raised_with_message(lambda: getattr(impl, function)(first, second))
    return {"error": error, "message": message}


@CHECKS.add(FUNCTIONS, compare=names_the_reduction, contract="errors",
            hint="accept only 'mean', 'sum' and 'none' (and 'batchmean' for kl_div); raise "
                 "ValueError naming any other reduction")
def unknown_reduction_raises(impl, device, function):
    """reduction 'average' and 'MEAN': ValueError whose message names it"""
    values, _ = loss_inputs(function, (4, 3), 140)
    inputs = [v.to(device) for v in values]
    raised_as = [raised_with_message(lambda r=r: getattr(impl, function)(*inputs, reduction=r))
                 for r in UNKNOWN_REDUCTIONS]
    return {"errors": [error for error, _ in raised_as],
            "named": [r in message for r, (_, message) in zip(UNKNOWN_REDUCTIONS, raised_as,
                                                              strict=True)]}


@CHECKS.library_use(FUNCTIONS, kernels="the library's losses and log-sum-exp kernels",
                    expect=TORCH, compare=VALUES_F64,  # measured 3.6e-15 abs
                    case=lambda f: f"{describe(f, OTHER[KINDS[f]])}, float64, every reduction",
                    hint="the library's losses (F.*_loss, F.cross_entropy, F.kl_div, nn.*Loss, "
                         "sigmoid_focal_loss) and its log-sum-exp (torch.logsumexp, "
                         "log_softmax, logsigmoid, softplus, logaddexp) are not allowed: write "
                         "them")
def no_library_shortcut(impl, device, function):
    return loss_probe(impl, device, torch.float64, function, OTHER[KINDS[function]], seed=150)


# ---- stability: logits of +-100 (float32) and +-1000 (float64) -----------------------------

STABLE_HINTS = {
    "bce_with_logits": "log(sigmoid(x)) is log(0) = -inf once sigmoid rounds to 0 or 1: use "
                       "max(x, 0) - x * y + log(1 + exp(-|x|))",
    "cross_entropy": "exp(100) overflows float32 (exp(710) float64): subtract each row's "
                     "maximum before exp, then add it back to the log of the sum",
    "focal_loss": "build focal loss on your stable BCE; (1 - p_t)^gamma with gamma >= 1 stays "
                  "finite when p_t rounds to 1",
}
STABLE = tuple(STABLE_HINTS)
# Large logits: +-100 in float32, +-1000 in float64.
BIG_F32 = {"float32": {"dtype": torch.float32, "big": 100.0}}
BIG_F64 = {"float64": {"dtype": torch.float64, "big": 1000.0}}
EXTREME = CHECKS.defaults(expect=TORCH, contract="edges")


# (the lower decorator registers first: float32, then float64)
@EXTREME.add(STABLE, compare=VALUES_F64,  # measured 1.1e-16 abs (focal), 0 (BCE, CE)
             variants=BIG_F64, hint=lambda f: STABLE_HINTS[f])
@EXTREME.add(STABLE, compare=F32_VALUES, variants=BIG_F32, hint=lambda f: STABLE_HINTS[f])
def extreme_logits_stable(impl, device, dtype, big, function):
    """logits of +-{big} and moderate ones, {dtype}; reductions mean, sum, none; values and
    gradients"""
    return losses_on(impl, device, dtype, function, extreme_case(KINDS[function], big),
                     (True, False), PARAMETERS.get(function, {}))


def scaled_rows(big):
    """(4, 4) logits whose rows lie near -big, +big, -big / 2 and 0, with their int64 targets:
    a maximum over the whole batch (not each row's own) leaves exp(-2 big) in the first row,
    which underflows to 0, and a maximum taken without keepdim broadcasts along the wrong axis
    (N = C), instead of raising."""
    logits = [[-big, -big + 1.5, -big - 0.5, -big + 0.25],
              [big - 2.0, big, big + 0.5, big - 1.0],
              [-0.5 * big + 1.0, -0.5 * big, -0.5 * big - 2.0, -0.5 * big + 0.5],
              [0.5, -1.0, 2.0, 0.0]]
    return torch.tensor(logits, dtype=torch.float64), torch.tensor([1, 3, 0, 2])


ROW_MAXIMUM_HINT = ("m_n is each row's own maximum (amax over the class dimension, with "
                    "keepdim=True so it subtracts along the row): one maximum for the whole "
                    "batch makes exp underflow to 0 in a row far below it, and log(0) = -inf")


# (the lower decorator registers first: float32, then float64)
@EXTREME.add("cross_entropy", compare=VALUES_F64,  # measured 1.1e-16 abs; m + lse - x_y: 3.9e-14
             variants=BIG_F64, hint=ROW_MAXIMUM_HINT)
@EXTREME.add("cross_entropy", compare=F32_VALUES,  # measured 2.0e-7 abs; m + lse - x_y: 3.5e-6
             variants=BIG_F32, hint=ROW_MAXIMUM_HINT)
def rows_of_different_scale(impl, device, dtype, big):
    """logits (4, 4) {dtype}, rows near -{big}, +{big}, -{big}/2 and 0 (each row's logits within
    a few units of one another); reductions mean, sum, none; values and gradients"""
    return losses_on(impl, device, dtype, "cross_entropy", scaled_rows(big), (True, False), {})


# ---- the gradient conventions the topic teaches ---------------------------------------------

@VALUES.add("mae_loss", contract="edges",  # measured 0
            hint="at a tie |d| has a kink: torch.abs and F.l1_loss use sign(0) = 0, so a tied "
                 "entry gets no gradient; a branch such as where(d >= 0, d, -d) gives it +-1")
def gradient_at_zero(impl, device, dtype):
    """pred, target (6, 5) {dtype}, about half of the entries tied (pred == target); reductions
    mean, sum, none; gradients of both"""
    pred = randn((6, 5), 160)
    target = torch.where(randn((6, 5), 161) > 0, pred, randn((6, 5), 162))
    return losses_on(impl, device, dtype, "mae_loss", (pred, target), (True, True), {})


@VALUES.add("huber_loss",  # measured 0
            variants={"delta_0.2": {"dtype": torch.float64, "delta": 0.2},
                      "delta_1.5": {"dtype": torch.float64, "delta": 1.5}},
            hint="the linear piece is delta * (|d| - 0.5 * delta): its constant depends on "
                 "delta, so that it meets 0.5 d^2 at |d| = delta")
def other_delta(impl, device, dtype, delta):
    """pred, target (6, 5) float64, delta {delta}; reductions mean, sum, none"""
    return loss_probe(impl, device, dtype, "huber_loss", seed=170,
                      parameters={"delta": delta})


# Two positives: an easy one (logit 3, p = 0.95) and a hard one (logit -1, p = 0.27).
EASY_HARD = ((3.0, -1.0), (1.0, 1.0))


def _easy_to_hard(grads) -> float:
    easy, hard = grads
    return abs(easy / hard) if hard != 0 else float("inf")


def _focal_down_weights(got: dict, want: dict) -> None:
    VALUES_F64(got, want)  # measured 1.1e-16 abs
    ratio, bce_ratio = _easy_to_hard(got["focal"]), _easy_to_hard(want["bce"])
    require(ratio <= bce_ratio / 10,
            f"easy/hard gradient ratio {ratio:.3g} is not far below binary cross-entropy's "
            f"{bce_ratio:.3g} (at most a tenth of it)", "focal")


@CHECKS.add("focal_loss", expect=TORCH, compare=_focal_down_weights,
            hint="(1 - p_t)^gamma multiplies the loss of each example: p_t is the probability of "
                 "the true class, so a confident right answer (p_t near 1) is scaled to almost "
                 "nothing, and its gradient with it")
def down_weights_easy_examples(impl, device):
    """logits (3, -1), both targets 1: gradients under alpha 0.25, gamma 2, and under alpha None,
    gamma 0 (BCE)"""
    logits, targets = (torch.tensor(v, dtype=torch.float64) for v in EASY_HARD)
    out = {}
    for label, parameters in (("focal", {"alpha": 0.25, "gamma": 2.0}),
                              ("bce", {"alpha": None, "gamma": 0.0})):
        got = losses_on(impl, device, torch.float64, "focal_loss", (logits, targets),
                        (True, False), parameters, ("sum",))
        out[label] = [float(g) for g in got["sum"]["grads"]["d_0"]]
    return out


@CHECKS.add("focal_loss", expect=oracle("F.binary_cross_entropy_with_logits",
                                        focal_loss=bce_from_focal),
            compare=F32_VALUES, variants=TORCH_F32, contract="edges",
            hint="gamma = 0 and alpha = None must give exactly binary cross-entropy, in the "
                 "input's dtype")
def gamma_zero_alpha_none_is_bce(impl, device, dtype):
    """logits (2, 3, 4) {dtype}, 0/1 targets, alpha None, gamma 0"""
    return loss_probe(impl, device, dtype, "focal_loss", (2, 3, 4), seed=180,
                      parameters={"alpha": None, "gamma": 0.0})


@VALUES.add("focal_loss",  # measured 1.1e-16 abs
            hint="alpha_t = alpha for a positive (y = 1) and 1 - alpha for a negative (y = 0): "
                 "the two classes are weighted differently")
def alpha_weights_each_class(impl, device, dtype):
    """logits (6, 5) {dtype}, 0/1 targets, alpha 0.75, gamma 1; reduction none"""
    return loss_probe(impl, device, dtype, "focal_loss", seed=190, reductions=("none",),
                      parameters={"alpha": 0.75, "gamma": 1.0})


@VALUES.add("multi_margin_loss",  # measured 0
            hint="with C = 2 there is one wrong class per sample: sum its margin and divide by "
                 "C = 2, not C - 1 = 1")
def two_classes(impl, device, dtype):
    """logits (6, 2) {dtype}, int64 target (6,): two classes"""
    return loss_probe(impl, device, dtype, "multi_margin_loss", (6, 2), seed=200)


# ---- KL divergence: zero probabilities, log targets, batchmean ----------------------------

def kl_values(seed, zero_targets=False, log_target=False):
    """log q and p (5, 6) as float64 values; p with exact zeros, or given as log p."""
    log_q = log_probabilities(randn((5, 6), seed))
    p = torch.softmax(randn((5, 6), seed + 1), -1)
    if zero_targets:
        p = torch.where(randn((5, 6), seed + 2) > 0.3, p, 0.0)
    return log_q, torch.log(p) if log_target else p


@VALUES.add("kl_div", contract="edges",  # measured 0
            hint="0 * log 0 is 0 in KL: torch.xlogy(p, p) (or a where that never evaluates "
                 "log 0 into the result) keeps those terms 0 instead of NaN")
def zero_target_probabilities(impl, device, dtype):
    """log_q (5, 6) {dtype}, target probabilities with about 40% exact zeros; reductions mean,
    sum, none; gradients of log_q"""
    return losses_on(impl, device, dtype, "kl_div", kl_values(210, zero_targets=True),
                     (True, False), {})


@VALUES.add("kl_div",  # measured 0
            hint="with log_target the target holds log p: the term is exp(t) * (t - log_q)")
def log_target(impl, device, dtype):
    """log_q and log p (5, 6) {dtype}, log_target True; reductions mean, sum, none"""
    return losses_on(impl, device, dtype, "kl_div", kl_values(220, log_target=True),
                     (True, True), {"log_target": True})


@VALUES.add("kl_div",  # measured 5.6e-17 abs
            hint="batchmean is the sum divided by the batch size log_q.shape[0] (the KL per "
                 "sample); mean divides by the number of elements")
def batchmean(impl, device, dtype):
    """log_q, target (5, 6) {dtype}; reduction batchmean"""
    return losses_on(impl, device, dtype, "kl_div", kl_values(230), (True, True), {},
                     ("batchmean",))


# ---- contracts: what comes back, arguments left as they were, every documented error --------

# The keywords that take each loss down another path, besides the reduction.
MODES = {"huber_loss": ({"delta": 0.5},),
         "focal_loss": ({"alpha": 0.3, "gamma": 2.0}, {"alpha": None, "gamma": 0.0}),
         "kl_div": ({"log_target": False}, {"log_target": True})}
VALID_REDUCTIONS = {"kl_div": (*REDUCTIONS, "batchmean")}
# Reductions no loss here accepts ("batchmean" is kl_div's alone: "Any other value raises").
BAD_REDUCTIONS = {"kl_div": ("average", "batch")}
# Shapes that differ (broadcastable or not, the same element count or not) and, for the
# class-index losses, every other layout than (N, C) logits with (N,) targets: a target (N, 1),
# class probabilities (N, C), (N, C, d) logits with (N, d) targets, unbatched (C,) logits.
BAD_SHAPES = {"regression": (((3, 1), (3,)), ((3,), (3, 1)), ((2, 3), (3, 2)), ((4,), (1,))),
              "soft_binary": (((4, 1), (4,)), ((2, 3), (3, 2)), ((4,), (1,))),
              "hard_binary": (((4, 1), (4,)), ((2, 3), (3, 2)), ((4,), (1,))),
              "classes": (((5, 3), (4,)), ((4, 3), (4, 1)), ((4, 3), (4, 3)),
                          ((4, 3, 2), (4, 2)), ((3,), ())),
              "distributions": (((4, 3), (4, 1)), ((4, 3), (3,)), ((2, 6), (3, 4)))}
ARGUMENTS = {"regression": ("pred", "target"), "soft_binary": ("logits", "targets"),
             "hard_binary": ("logits", "targets"), "classes": ("logits", "target"),
             "distributions": ("log_q", "target")}


def _mode(parameters):
    return "".join(f", {key} {value}" for key, value in parameters.items())


def _arguments(function, shapes, dtype, device, log_target=False):
    """Two arguments of `shapes`, without gradients, with values valid for the loss (class
    indices int64; a class-index target of the logits' shape holds class probabilities)."""
    kind = KINDS[function]
    first = randn(shapes[0], 500, dtype, device)
    second = randn(shapes[1], 501, dtype, device)
    if kind == "classes":
        if tuple(shapes[1]) == tuple(shapes[0]):
            return first, torch.softmax(second, -1)
        return first, torch.zeros(shapes[1], dtype=torch.int64, device=device)
    if kind == "distributions":
        p = torch.softmax(second, -1)
        return log_probabilities(first), torch.log(p) if log_target else p
    if kind == "hard_binary":
        return first, (second > 0).to(dtype)
    if kind == "soft_binary":
        return first, torch.sigmoid(second)
    return first, second


def invalid_calls(function, dtype, device):
    """(what, arguments, keywords) of every call the docstrings say raises ValueError: each
    mismatched shape with each reduction, and each unknown reduction, in every mode."""
    kind, calls = KINDS[function], []
    first, second = ARGUMENTS[kind]
    for mode in MODES.get(function, ({},)):
        log_target = mode.get("log_target", False)
        for shapes in BAD_SHAPES[kind]:
            arguments = _arguments(function, shapes, dtype, device, log_target)
            probabilities = " (class probabilities)" if arguments[1].is_floating_point() \
                and kind == "classes" else ""
            for reduction in REDUCTIONS:
                calls.append((f"{first} {shapes[0]}, {second} {shapes[1]}{probabilities}, "
                              f"reduction {reduction!r}{_mode(mode)}", arguments,
                              {"reduction": reduction, **mode}))
        valid = ((4, 3), (4,)) if kind == "classes" else ((4, 3), (4, 3))
        arguments = _arguments(function, valid, dtype, device, log_target)
        for reduction in BAD_REDUCTIONS.get(function, ("average", "batchmean")):
            calls.append((f"{first} {valid[0]}, {second} {valid[1]}, reduction {reduction!r}"
                          f"{_mode(mode)}", arguments, {"reduction": reduction, **mode}))
    return calls


def _answers(got, want):
    require(type(got) is dict, f"expected a dict of answers, got {type(got).__name__}")
    for label in want:
        require(label in got, "no answer", label)


def _raises_value_error(got: dict, want: dict) -> None:
    _answers(got, want)
    for label, expected in want.items():
        require(got[label] == expected, "returned a loss, expected ValueError"
                if got[label] is None else f"raised {got[label]}, expected {expected}", label)


def _nothing_changed(got: dict, want: dict) -> None:
    _answers(got, want)
    for label, expected in want.items():
        require(got[label] == expected, f"the call modified {got[label]}", label)


def _documented_tensor(got: dict, want: dict) -> None:
    _answers(got, want)
    for label, expected in want.items():
        answer = got[label]
        require(type(answer) is dict and set(answer) == set(expected), "no answer", label)
        require(answer["type"] == expected["type"], f"returned {answer['type']!r}, expected a "
                "torch.Tensor (not a Python or NumPy number, not a tuple)", label)
        require(answer["shape"] == expected["shape"],
                f"shape {tuple(answer['shape'])}, expected {tuple(expected['shape'])}", label)
        require(answer["kept_dtype"], "the loss's dtype is not the input's", label)
        require(answer["kept_device"], "the loss is not on the input's device", label)


# Each loss's three contract checks, judged against the reference in float32 and float64.
CONTRACT = CHECKS.defaults(expect=REFERENCE, variants=TORCH_FLOATS, weight=0.5)


def _invalid_case(function):
    """The invalid calls of `function` in words, for the case line."""
    kind = KINDS[function]
    return (f"{ARGUMENTS[kind][0]} and {ARGUMENTS[kind][1]} of shapes "
            + ", ".join(f"{a} and {b}" + (" (class probabilities)"
                                          if kind == "classes" and a == b else "")
                        for a, b in BAD_SHAPES[kind])
            + ", each with reductions mean, sum, none; reductions "
            + " and ".join(map(repr, BAD_REDUCTIONS.get(function, ("average", "batchmean"))))
            + "; {dtype}" + ("; log_target False and True" if function == "kl_div"
                             else "; alpha 0.3 and alpha None" if function == "focal_loss"
                             else ""))


def _invalid_hint(function):
    return ("validate the reduction and the shapes on every path (every reduction and mode) "
            "and raise ValueError: "
            + ("logits must be (N, C) and target (N,) class indices"
               if KINDS[function] == "classes" else "the two shapes must be equal, never "
                                                    "broadcast")
            + ", and only the documented reductions are accepted")


@CONTRACT.add(FUNCTIONS, compare=_raises_value_error, contract="errors", case=_invalid_case,
              hint=_invalid_hint)
def rejects_invalid_inputs(impl, device, dtype, function):
    loss = getattr(impl, function)
    return {label: raised(lambda a=arguments, k=keywords: loss(*a, **k))
            for label, arguments, keywords in invalid_calls(function, dtype, device)}


@CONTRACT.add(FUNCTIONS, compare=_nothing_changed, contract="unchanged",
              case=lambda f: f"{describe(f, parameters={})}, {{dtype}}, as leaves and as "
                             "results of a computation that requires grad, every reduction and "
                             "mode; then the invalid calls: the arguments after each call",
              hint=lambda f: f"compute the loss from {ARGUMENTS[KINDS[f]][0]} and "
                             f"{ARGUMENTS[KINDS[f]][1]} without modifying them: no in-place "
                             "operations (-=, clamp_, unsqueeze_, x[...] = ...) on the "
                             "arguments, also before raising")
def leaves_arguments_unchanged(impl, device, dtype, function):
    loss, names, out = getattr(impl, function), ARGUMENTS[KINDS[function]], {}
    for mode in MODES.get(function, ({},)):
        values, _ = loss_inputs(function, (8, 4) if KINDS[function] == "classes" else (6, 5), 510)
        if mode.get("log_target"):
            values = (values[0], torch.log(values[1]))
        for tracked in (False, True):
            # tracked: results of a computation that requires grad, as a model's outputs are
            arguments = [as_input(v, dtype, device, tracked) for v in values]
            arguments = [a * 1.0 if a.requires_grad else a for a in arguments]
            for reduction in VALID_REDUCTIONS.get(function, REDUCTIONS):
                label = (f"{'computed' if tracked else 'leaf'} arguments, reduction "
                         f"{reduction!r}{_mode(mode)}")
                out[label] = changed_arguments(
                    lambda r=reduction, m=mode, **named: loss(*named.values(), reduction=r,
                                                              **m),
                    **dict(zip(names, arguments, strict=True)))["changed"]
    for label, arguments, keywords in invalid_calls(function, dtype, device):
        out[label] = changed_arguments(
            lambda k=keywords, **named: loss(*named.values(), **k),
            **dict(zip(names, arguments, strict=True)))["changed"]
    return out


@CONTRACT.add(FUNCTIONS, compare=_documented_tensor, contract=("returns", "dtypes"),
              case=lambda f: f"{describe(f, parameters={})}, {{dtype}}, without gradients: the "
                             "default arguments, then every reduction"
                             + (" (batchmean too)" if f == "kl_div" else "") + " in every mode",
              hint='a torch.Tensor every time, in the input\'s dtype and device: "none" of the '
                   'documented shape, "mean" and "sum" 0-dim (no .item(), no float(), no '
                   "keepdim=True)")
def returns_documented_tensor(impl, device, dtype, function):
    shape = (8, 4) if KINDS[function] == "classes" else (6, 5)
    out = {}
    for mode in MODES.get(function, ({},)):
        values, _ = loss_inputs(function, shape, 520)
        if mode.get("log_target"):
            values = (values[0], torch.log(values[1]))
        for reduction in (None, *VALID_REDUCTIONS.get(function, REDUCTIONS)):
            if reduction is None and mode is not MODES.get(function, ({},))[0]:
                continue
            inputs = [as_input(v, dtype, device, False) for v in values]
            result = call_loss(impl, function, inputs, reduction, mode)
            tensor = isinstance(result, torch.Tensor)
            label = ("the default arguments" if reduction is None else
                     f"reduction {reduction!r}{_mode(mode)}")
            out[label] = {"type": type_names(result),
                          "shape": list(result.shape) if tensor else None,
                          "kept_dtype": tensor and result.dtype == inputs[0].dtype,
                          "kept_device": tensor and result.device == inputs[0].device}
    return out


# ---- speed on CUDA: whole-tensor operations ---------------------------------------------------
# (see compare.SPEED_FACTOR) CPU: the reference measured 3.0 times F.cross_entropy, a loop over
# rows 23 times.
@CHECKS.add("cross_entropy", compare=at_most_slower("F.cross_entropy"),
            devices=("cuda",),
            hint="compute the loss of every row at once with tensor operations (logsumexp over "
                 "the class axis, gather for the target's logit)")
def speed(impl, device):
    """logits (4096, 1000) float32 on {device}, reduction mean"""
    logits = randn((4096, 1000), 300, torch.float32, device)
    target = torch.randint(0, 1000, (4096,), generator=generator(300, device), device=device)
    return speed_against(lambda: impl.cross_entropy(logits, target),
                         lambda: F.cross_entropy(logits, target), device)

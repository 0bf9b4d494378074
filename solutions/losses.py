"""Topic 5-04: losses.

Regression losses (MSE, MAE, Huber), binary cross-entropy and focal loss from logits, categorical
cross-entropy and the multi-class hinge loss from logits and class indices, and the KL divergence.

Rules for every function here:
- Tensors in, tensors out: the loss has the input's dtype (float32 or float64) and device (CPU or
  CUDA). Both float inputs share one dtype: mixed dtypes (float32 pred, float64 target) are not
  checked (torch's type promotion then gives float64). Gradients come from autograd
  (`loss.backward()`), so build every loss from differentiable tensor operations: no `.item()`,
  no NumPy, no `.detach()` of anything the loss depends on.
- `reduction`: "none" returns the unreduced losses (one per element, or one per sample for the
  class-index losses); "sum" returns their sum and "mean" their mean, each a 0-dim tensor. Any
  other value raises ValueError naming it.
- Shapes must be exactly as documented; nothing is broadcast. A mismatch raises ValueError whose
  message names both shapes as tuples, e.g. "pred (5, 1) and target (5,) must have the same
  shape" (torch would broadcast (5, 1) with (5,) to (5, 5) and only warn: a classic bug).
- Write the losses yourself. Not allowed, and caught by a check however it is imported: the
  library's losses (`F.mse_loss`, `F.l1_loss`, `F.huber_loss`, `F.smooth_l1_loss`,
  `F.binary_cross_entropy`, `F.binary_cross_entropy_with_logits`, `F.cross_entropy`,
  `F.nll_loss`, `F.multi_margin_loss`, `F.kl_div`, `torchvision.ops.sigmoid_focal_loss`, any
  `nn.*Loss`) and the library's stable log-sum-exp in every form (`torch.logsumexp`,
  `torch.logaddexp`, `F.log_softmax`, `torch.log_softmax`, `Tensor.log_softmax`,
  `F.logsigmoid`, `F.softplus`), since writing that stably is what this topic teaches.
  Allowed building blocks: elementwise and reduction operations such as `torch.exp`, `torch.log`,
  `torch.log1p`, `torch.abs`, `torch.maximum`, `torch.clamp`, `torch.relu`, `torch.where`,
  `Tensor.amax`, `Tensor.sum`, `Tensor.mean`, `torch.sigmoid`, `torch.softmax`, `torch.xlogy`,
  `Tensor.gather` and indexing.
"""

from __future__ import annotations

import torch
from torch import Tensor

REDUCTIONS = ("mean", "sum", "none")


def _check_reduction(reduction: str, allowed: tuple[str, ...] = REDUCTIONS) -> None:
    if reduction not in allowed:
        raise ValueError(f"reduction must be one of {', '.join(map(repr, allowed))}, "
                         f"got {reduction!r}")


def _check_same_shape(a: Tensor, b: Tensor, names: tuple[str, str]) -> None:
    if a.shape != b.shape:
        raise ValueError(f"{names[0]} {tuple(a.shape)} and {names[1]} {tuple(b.shape)} must "
                         "have the same shape")


def _check_class_indices(logits: Tensor, target: Tensor) -> None:
    if logits.dim() != 2 or target.shape != logits.shape[:1]:
        raise ValueError(f"logits must be (N, C) and target (N,), got logits "
                         f"{tuple(logits.shape)} and target {tuple(target.shape)}")


def _reduce(losses: Tensor, reduction: str) -> Tensor:
    if reduction == "mean":
        return losses.mean()
    if reduction == "sum":
        return losses.sum()
    return losses


def mse_loss(pred: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean squared error, as `F.mse_loss(pred, target, reduction=reduction)`. Task 5-04.1.

        l_i = (pred_i - target_i)^2   for every element i, then reduced.

    Args:
        pred, target: tensors of one shape (any), float32 or float64, on one device; gradients
            flow to both.
        reduction: "mean" (over all elements), "sum" or "none".

    Returns:
        "none": a tensor of pred's shape; "mean"/"sum": a 0-dim tensor. pred's dtype and device.

    Raises:
        ValueError: shapes differ (the message names both), or an unknown reduction.
    """
    _check_reduction(reduction)
    _check_same_shape(pred, target, ("pred", "target"))
    return _reduce((pred - target) ** 2, reduction)


def mae_loss(pred: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Mean absolute error (L1), as `F.l1_loss(pred, target, reduction=reduction)`. Task 5-04.2.

        l_i = |pred_i - target_i|,   dl_i/dpred_i = sign(pred_i - target_i).

    Gradient convention at a tie (pred_i == target_i, where |d| has a kink): the gradient is
    sign(0) = 0, as `F.l1_loss` and `torch.abs` give; a hidden check tests ties.

    Args, returns and raises: as for `mse_loss`.
    """
    _check_reduction(reduction)
    _check_same_shape(pred, target, ("pred", "target"))
    return _reduce((pred - target).abs(), reduction)


def huber_loss(pred: Tensor, target: Tensor, delta: float = 1.0,
               reduction: str = "mean") -> Tensor:
    """Huber loss, as `F.huber_loss(pred, target, reduction=reduction, delta=delta)`.
    Task 5-04.3.

    With d_i = pred_i - target_i:
        l_i = 0.5 * d_i^2                     if |d_i| < delta
        l_i = delta * (|d_i| - 0.5 * delta)   otherwise
    Quadratic near 0, linear (slope delta) in the tails; value and slope agree at |d| = delta.
    (`F.smooth_l1_loss` with beta = delta is this divided by delta: not the same for delta != 1.)

    Args:
        pred, target: tensors of one shape, float32 or float64; gradients flow to both.
        delta: the threshold, > 0; delta <= 0 is not checked (not defined).
        reduction: "mean", "sum" or "none".

    Returns and raises: as for `mse_loss`.
    """
    _check_reduction(reduction)
    _check_same_shape(pred, target, ("pred", "target"))
    d = pred - target
    a = d.abs()
    return _reduce(torch.where(a < delta, 0.5 * d * d, delta * (a - 0.5 * delta)), reduction)


def bce_with_logits(logits: Tensor, targets: Tensor, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy from logits, stable, as
    `F.binary_cross_entropy_with_logits(logits, targets, reduction=reduction)`. Task 5-04.4.

    With x = logits_i, y = targets_i and p = sigmoid(x):
        l_i = -[y log p + (1 - y) log(1 - p)] = max(x, 0) - x * y + log(1 + exp(-|x|))
    The right-hand form never overflows: exp's argument is <= 0. Computing log(sigmoid(x))
    directly gives log(0) = -inf once sigmoid(x) rounds to 0 or 1 (|x| > 37 in float64, > 17 in
    float32). Its gradient is dl_i/dx = sigmoid(x) - y. (At x = 0 exactly, autograd through
    max/clamp and |x| may give a one-sided value: `torch.maximum(x, torch.zeros_like(x))` splits
    the tie and gives the exact 0.5 - y; `torch.clamp(x, min=0)` gives 1 - y and `torch.relu(x)`
    gives -y. `torch.maximum(x, 0)` raises TypeError: its second argument must be a tensor. No
    check puts a logit at exactly 0.)

    Args:
        logits: any shape, float32 or float64; finite, possibly huge (+-100 and beyond).
        targets: logits' shape and dtype, values in [0, 1] (soft labels allowed).
        reduction: "mean", "sum" or "none".

    Returns:
        "none": logits' shape; "mean"/"sum": 0-dim. logits' dtype and device; finite values and
        gradients for any finite logits.

    Raises:
        ValueError: shapes differ (the message names both), or an unknown reduction.
    """
    _check_reduction(reduction)
    _check_same_shape(logits, targets, ("logits", "targets"))
    positive_part = torch.maximum(logits, torch.zeros_like(logits))
    losses = positive_part - logits * targets + torch.log1p(torch.exp(-logits.abs()))
    return _reduce(losses, reduction)


def cross_entropy(logits: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Categorical cross-entropy from logits and class indices, stable, as
    `F.cross_entropy(logits, target, reduction=reduction)`. Task 5-04.5.

    For sample n with true class y = target[n]:
        l_n = -log softmax(logits[n])[y] = log(sum_j exp(logits[n, j])) - logits[n, y]
    Write the log-sum-exp yourself, stably: with m_n = max_j logits[n, j],
        log(sum_j exp(logits[n, j])) = m_n + log(sum_j exp(logits[n, j] - m_n))
    so exp never sees a positive argument (exp(100) overflows float32, exp(710) float64).
    `torch.logsumexp` and `log_softmax` are not allowed here. Gradient: softmax(logits[n]) minus
    the one-hot of y (divided by N for "mean").

    Of F.cross_entropy's options only `reduction` is in scope: no weight, ignore_index or
    label_smoothing argument; class-probability targets and (N, C, d1, ...) logits raise
    ValueError, like any shapes other than (N, C) and (N,). Target values outside [0, C) are
    not checked.

    Args:
        logits: (N, C), float32 or float64.
        target: (N,), int64 class indices in [0, C).
        reduction: "mean" (over the N samples), "sum" or "none".

    Returns:
        "none": (N,); "mean"/"sum": 0-dim. logits' dtype and device.

    Raises:
        ValueError: logits not 2-D or target not (N,) (the message names both shapes), or an
            unknown reduction.
    """
    _check_reduction(reduction)
    _check_class_indices(logits, target)
    # The shift is a constant per row: no gradient needs to flow through it.
    shifted = logits - logits.amax(dim=1, keepdim=True).detach()
    log_sum_exp = torch.log(torch.exp(shifted).sum(dim=1))
    picked = shifted.gather(1, target[:, None]).squeeze(1)
    return _reduce(log_sum_exp - picked, reduction)


def multi_margin_loss(logits: Tensor, target: Tensor, reduction: str = "mean") -> Tensor:
    """Multi-class hinge loss, exactly `F.multi_margin_loss(logits, target, p=1, margin=1,
    reduction=reduction)`. Task 5-04.6.

    Convention (torch's, stated exactly): for sample n with true class y = target[n] and C
    classes,
        l_n = (1 / C) * sum over i != y of max(0, 1 - logits[n, y] + logits[n, i])
    The true class is left out of the sum (it would add max(0, 1) = 1), and the sum is divided
    by C, the number of classes, not by C - 1. Gradient: each violated margin (1 - x_y + x_i > 0)
    adds 1/C to dl_n/dx_i and -1/C to dl_n/dx_y. At a margin of exactly 0 torch counts no
    gradient (as `torch.relu` does); no check puts a margin at exactly 0.

    Args:
        logits: (N, C), float32 or float64.
        target: (N,), int64 class indices in [0, C).
        reduction: "mean" (over the N samples), "sum" or "none".

    Returns and raises: as for `cross_entropy`.
    """
    _check_reduction(reduction)
    _check_class_indices(logits, target)
    true_score = logits.gather(1, target[:, None])  # (N, 1)
    margins = torch.relu(1.0 - true_score + logits)  # (N, C)
    classes = torch.arange(logits.shape[1], device=logits.device)
    margins = torch.where(classes == target[:, None], 0.0, margins)
    return _reduce(margins.sum(dim=1) / logits.shape[1], reduction)


def focal_loss(logits: Tensor, targets: Tensor, alpha: float | None = 0.25, gamma: float = 2.0,
               reduction: str = "mean") -> Tensor:
    """Binary focal loss from logits (Lin et al., RetinaNet, 2017), as
    `torchvision.ops.sigmoid_focal_loss(logits, targets, alpha, gamma, reduction)` (which writes
    alpha = -1 for "no alpha"; here it is None). Task 5-04.7.

    With p = sigmoid(x) and y in {0, 1} per element:
        p_t     = p * y + (1 - p) * (1 - y)         (the probability given to the true class)
        alpha_t = alpha * y + (1 - alpha) * (1 - y)  (alpha weighs positives, 1 - alpha negatives)
        l_i     = alpha_t * (1 - p_t)^gamma * BCE_i, BCE_i = your stable bce_with_logits, "none"
    Without alpha (alpha=None) the alpha_t factor is left out; gamma = 0 and alpha = None give
    exactly bce_with_logits. The factor (1 - p_t)^gamma is what the topic teaches: an easy,
    well-classified example (p_t near 1) gets a much smaller loss and gradient than under BCE,
    so training focuses on the hard ones.

    Args:
        logits: any shape, float32 or float64; finite, possibly huge.
        targets: logits' shape and dtype, values 0 or 1.
        alpha: in [0, 1], or None for no class weighting.
        gamma: >= 0 (gamma >= 1 keeps the gradient finite where p_t = 1 exactly).
        reduction: "mean", "sum" or "none".

    Returns and raises: as for `bce_with_logits`.
    """
    _check_reduction(reduction)
    _check_same_shape(logits, targets, ("logits", "targets"))
    p = torch.sigmoid(logits)
    p_t = p * targets + (1 - p) * (1 - targets)
    losses = bce_with_logits(logits, targets, "none") * (1 - p_t) ** gamma
    if alpha is not None:
        losses = (alpha * targets + (1 - alpha) * (1 - targets)) * losses
    return _reduce(losses, reduction)


def kl_div(log_q: Tensor, target: Tensor, reduction: str = "mean",
           log_target: bool = False) -> Tensor:
    """KL divergence KL(p || q), exactly as `F.kl_div(log_q, target, reduction=reduction,
    log_target=log_target)`. Task 5-04.8.

    Convention (torch's; note the argument order): the FIRST argument is the model's
    distribution q given as LOG-probabilities, log_q; the SECOND is the true distribution p,
    given as probabilities (log_target=False) or log-probabilities (log_target=True). Pointwise:
        log_target=False:  l_i = p_i * (log p_i - log_q_i),  with l_i = 0 where p_i = 0
                                                            (0 log 0 = 0: torch.xlogy)
        log_target=True:   l_i = exp(t_i) * (t_i - log_q_i),  t = target = log p
    Summed over the classes this is KL(p || q) = sum_i p_i log(p_i / q_i), which is >= 0.
    With log_target=False, where p_i = 0 the gradient with respect to log_q_i is 0, and the
    gradient with respect to the target is not checked (F.kl_div gives NaN there).
    Reductions, as F.kl_div: "none" (shape of log_q), "sum", "mean" (the mean over ALL elements,
    which is not the KL per sample: torch warns about it), and "batchmean" (sum divided by the
    batch size log_q.shape[0]: the true mean KL per sample, the one to use in practice).

    Args:
        log_q: (N, C) or any shape with a leading batch dimension, float32 or float64.
        target: log_q's shape and dtype; probabilities (some may be exactly 0) or, with
            log_target, log-probabilities. Gradients flow to both.
        reduction: "mean", "sum", "none" or "batchmean".
        log_target: whether target holds log-probabilities.

    Returns:
        "none": log_q's shape; otherwise 0-dim. log_q's dtype and device.

    Raises:
        ValueError: shapes differ (the message names both), or an unknown reduction.
    """
    _check_reduction(reduction, (*REDUCTIONS, "batchmean"))
    _check_same_shape(log_q, target, ("log_q", "target"))
    if log_target:
        losses = torch.exp(target) * (target - log_q)
    else:
        losses = torch.xlogy(target, target) - target * log_q
    if reduction == "batchmean":
        return losses.sum() / log_q.shape[0]
    return _reduce(losses, reduction)

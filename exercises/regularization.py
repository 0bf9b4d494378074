# Student stub generated from the reference solution by `python -m autograder stubs`.
# Replace each `raise NotImplementedError(...)` with your implementation.
"""Topic 5-10: regularization.

Dropout (standard and inverted), batch normalization (function and module), layer normalization,
early stopping, L2 penalty versus decoupled weight decay, and light image augmentation.

Rules for every function here:
- Tensors in, tensors out: the result has the input's dtype (float32 or float64) and device (CPU
  or CUDA), and works for non-contiguous inputs.
- Build the operation from elementary tensor operations. Calling the library's own version
  (`F.dropout`, `nn.Dropout`, `F.batch_norm`, `nn.BatchNorm1d`, `F.layer_norm`, `F.group_norm`,
  `torch.optim.*`, ...) is not allowed, and a check catches it.
- Randomness comes only from the `torch.Generator` you are given (on the input's device), never from
  the global random state, so a run is reproducible from its generator's seed.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

AdamState = dict  # {"step": int, "exp_avg": Tensor, "exp_avg_sq": Tensor}


def dropout(x: Tensor, p: float, training: bool, generator: torch.Generator) -> Tensor:
    """Standard ("non-inverted") dropout, as in the original paper. Task 5-10.1.

    Training: every element is kept independently with probability q = 1 - p and set to 0
    otherwise, with no rescaling:  y = x * m,  m_i ~ Bernoulli(q).
    Evaluation: nothing is dropped and the output is scaled by the keep probability, so that it
    equals the expected training output:  y = q * x.

    Args:
        x: any shape, float32 or float64, CPU or CUDA.
        p: drop probability in [0, 1] (ValueError outside). p = 0 keeps every element; p = 1
            drops every element in training and gives zeros at evaluation.
        training: True for the training behaviour, False for evaluation.
        generator: a torch.Generator on x's device; draw the mask from it only.

    Returns:
        A tensor of x's shape, dtype and device.
    """
    raise NotImplementedError("regularization.dropout is not implemented yet")


def inverted_dropout(x: Tensor, p: float, training: bool, generator: torch.Generator) -> Tensor:
    """Inverted dropout, the form every modern framework uses. Task 5-10.2.

    Training: keep each element with probability q = 1 - p and scale the kept ones by 1/q, so the
    expected output equals the input:  y = x * m / q,  m_i ~ Bernoulli(q),  E[y] = x.
    Evaluation: the identity, y = x (nothing to rescale).
    Edge cases: p = 0 returns x's values unchanged in training; p = 1 returns zeros in training
    (never divide by q = 0, never produce NaN).

    Args and returns: as for `dropout`.
    """
    raise NotImplementedError("regularization.inverted_dropout is not implemented yet")


def batch_norm(x: Tensor, running_mean: Tensor, running_var: Tensor, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:
    """Batch normalization for (N, C) inputs, exactly as `torch.nn.functional.batch_norm`.
    Task 5-10.3.

    Training (statistics of this batch, per feature c, over the N samples):
        mean_c = (1/N) sum_n x[n, c]
        var_c  = (1/N) sum_n (x[n, c] - mean_c)^2            (biased: used to normalise)
        y[n, c] = (x[n, c] - mean_c) / sqrt(var_c + eps) * weight_c + bias_c
      and update the running estimates IN PLACE (without recording them in autograd):
        running_mean <- (1 - momentum) * running_mean + momentum * mean
        running_var  <- (1 - momentum) * running_var  + momentum * var * N / (N - 1)   (unbiased)
    Evaluation: normalise with running_mean and running_var instead, and leave them unchanged.

    Args:
        x: (N, C), float32 or float64; gradients flow to x, weight and bias through autograd.
        running_mean, running_var: (C,) tensors of x's dtype and device, updated in place in
            training.
        weight, bias: (C,) affine parameters, or None for no scale (1) / no shift (0).
        training: batch statistics (True) or running statistics (False).
        momentum: weight of the new batch in the running estimates.
        eps: added to the variance inside the square root.

    Returns:
        y of shape (N, C), x's dtype and device.

    Raises:
        ValueError: in training when N == 1 (one sample has no spread, and the unbiased
            variance would divide by zero), as torch does; and, in training and evaluation,
            if x is not 2-D. That check is this exercise's own: F.batch_norm also takes
            (N, C, L) input and raises RuntimeError for 1-D input.
    """
    raise NotImplementedError("regularization.batch_norm is not implemented yet")


class BatchNorm1d(nn.Module):
    """A batch-normalization layer for (N, C) inputs built on your `batch_norm`. Task 5-10.4.

    Behaves like `torch.nn.BatchNorm1d(num_features, eps, momentum, affine)` on (N, C) inputs:
    - parameters `weight` (ones) and `bias` (zeros), each (C,), registered as nn.Parameter when
      affine, else both attributes None;
    - buffers `running_mean` (zeros) and `running_var` (ones), each (C,), registered with
      `register_buffer` so they appear in `state_dict()` and move with `.to(...)`;
    - `forward` uses batch statistics and updates the buffers in training mode (`model.train()`),
      and uses the buffers in evaluation mode (`model.eval()`).
    `device` and `dtype` choose where the parameters and buffers are created.
    No `num_batches_tracked` buffer is needed. torch's layer keeps one (it counts the training
    batches, which matters only for its momentum=None, not supported here); the reference keeps
    none, so its state_dict() holds weight, bias, running_mean and running_var only. The checks
    ignore num_batches_tracked: a layer that keeps and updates one as torch does also passes.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 affine: bool = True, device: torch.device | str | None = None,
                 dtype: torch.dtype | None = None):
        raise NotImplementedError("regularization.BatchNorm1d.__init__ is not implemented yet")

    def forward(self, x: Tensor) -> Tensor:
        """x: (N, C) -> (N, C), batch statistics in training mode, running ones in eval mode."""
        raise NotImplementedError("regularization.BatchNorm1d.forward is not implemented yet")


def layer_norm(x: Tensor, normalized_shape: int | tuple[int, ...], weight: Tensor | None = None,
               bias: Tensor | None = None, eps: float = 1e-5) -> Tensor:
    """Layer normalization over the last dimensions, exactly as `torch.nn.functional.layer_norm`.
    Task 5-10.5.

    With D = the last len(normalized_shape) dimensions of x (which must equal normalized_shape),
    for every position over the leading dimensions:
        mean = average of x over D,   var = average of (x - mean)^2 over D   (biased)
        y = (x - mean) / sqrt(var + eps) * weight + bias
    Statistics are per sample, never across the batch, so training and evaluation are identical.

    Args:
        x: (*, *normalized_shape), float32 or float64.
        normalized_shape: an int (the last dimension) or a tuple of the last dimensions' sizes.
        weight, bias: tensors of shape normalized_shape, or None for no scale / no shift.
        eps: added to the variance inside the square root.

    Returns:
        y of x's shape, dtype and device.

    Raises:
        ValueError: if x's trailing dimensions do not equal normalized_shape.
    """
    raise NotImplementedError("regularization.layer_norm is not implemented yet")


class EarlyStopping:
    """Stop training when a validation metric has stopped improving. Task 5-10.6.

    Call `step(metric, model)` once per epoch (epochs are numbered 0, 1, 2, ... by the calls).
    An epoch improves on the best so far when
        mode "min": metric < best - min_delta        mode "max": metric > best + min_delta
    (the first non-NaN metric always improves; a NaN metric never does, so a NaN first metric
    is a non-improving epoch, counter + 1, and leaves best and best_epoch None; no check starts
    with a NaN).
    On an improvement remember `best`, `best_epoch` and a deep copy of `model.state_dict()` in
    `best_state` (tensors cloned, so later training does not change it; None when no model is
    given) and reset the counter.
    Otherwise add one to `counter`; once `counter` reaches `patience`, `should_stop` becomes True
    and stays True. `step` returns `should_stop`.

    Example (mode "min", patience 2, min_delta 0): metrics 1.0, 0.8, 0.9, 0.85 -> step returns
    False, False, False, True; best_epoch 1, best 0.8.

    Raises:
        ValueError: patience < 1, min_delta < 0, or mode not "min"/"max".
    """

    def __init__(self, patience: int = 5, min_delta: float = 0.0, mode: str = "min"):
        raise NotImplementedError("regularization.EarlyStopping.__init__ is not implemented yet")

    def step(self, metric: float, model: nn.Module | None = None) -> bool:
        """Record one epoch's metric; return True once training should stop."""
        raise NotImplementedError("regularization.EarlyStopping.step is not implemented yet")


def sgd_step_l2(param: Tensor, grad: Tensor, lr: float, weight_decay: float) -> Tensor:
    """One SGD step with an L2 penalty (weight_decay/2)*||w||^2 added to the loss. Task 5-10.7.

    The penalty's gradient is weight_decay * w, added to the loss gradient:
        w_new = w - lr * (grad + weight_decay * w)
    This is `torch.optim.SGD(lr=lr, weight_decay=weight_decay)` without momentum.
    Return a new tensor; do not modify param or grad.
    """
    raise NotImplementedError("regularization.sgd_step_l2 is not implemented yet")


def sgd_step_decoupled(param: Tensor, grad: Tensor, lr: float, weight_decay: float) -> Tensor:
    """One SGD step with decoupled weight decay: shrink the weights, then take the plain step.
    Task 5-10.8.

        w_new = w * (1 - lr * weight_decay) - lr * grad
    For SGD this is algebraically the same update as `sgd_step_l2`.
    Return a new tensor; do not modify param or grad.
    """
    raise NotImplementedError("regularization.sgd_step_decoupled is not implemented yet")


def adam_step_l2(param: Tensor, grad: Tensor, state: AdamState | None, lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0) -> tuple[Tensor, AdamState]:
    """One Adam step with an L2 penalty folded into the gradient, as `torch.optim.Adam` with
    `weight_decay`. Task 5-10.9.

    With g = grad + weight_decay * w and t = state["step"] + 1:
        m = beta1 * m + (1 - beta1) * g          v = beta2 * v + (1 - beta2) * g^2
        m_hat = m / (1 - beta1^t)                v_hat = v / (1 - beta2^t)
        w_new = w - lr * m_hat / (sqrt(v_hat) + eps)
    The penalty passes through the adaptive scaling, so heavily-updated weights are decayed less.
    Where eps enters, the Adam paper's efficient form (CS336 assignment 1's) also gets full
    marks: lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), w_new = w - lr_t * m / (sqrt(v) + eps).
    Unlike topic 5-09's in-place adam_step (which returns param), this step is pure: it returns
    (w_new, new_state), because weight_decay_gap runs four optimizers from the same start tensor
    and an in-place step would change the start the other runs share.

    Args:
        param, grad: tensors of one shape.
        state: None on the first step, else the state this function returned last time:
            {"step": int, "exp_avg": m, "exp_avg_sq": v} (m, v of param's shape).

    Returns:
        (w_new, new_state); do not modify param, grad or the tensors in state.
    """
    raise NotImplementedError("regularization.adam_step_l2 is not implemented yet")


def adam_step_decoupled(param: Tensor, grad: Tensor, state: AdamState | None, lr: float = 1e-3,
                        betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                        weight_decay: float = 0.0) -> tuple[Tensor, AdamState]:
    """One AdamW step (Loshchilov & Hutter): decay the weights directly, then a plain Adam step
    on the loss gradient, as `torch.optim.AdamW`. Task 5-10.10.

        w' = w * (1 - lr * weight_decay)
        then the Adam update of `adam_step_l2` applied to w' with g = grad (no penalty term).
    The decay may also come after the Adam update, as CS336 assignment 1 writes AdamW (the Adam
    update of w, then w_new = w_new - lr * weight_decay * w_new), and eps may enter in either form
    of `adam_step_l2`: every combination gets full marks. The decay always uses the plain lr and
    never passes through m or v.
    Args and returns: as for `adam_step_l2`.
    """
    raise NotImplementedError("regularization.adam_step_decoupled is not implemented yet")


def weight_decay_gap(param: Tensor, grads: list[Tensor], lr: float, weight_decay: float,
                     betas: tuple[float, float] = (0.9, 0.999),
                     eps: float = 1e-8) -> dict[str, float]:
    """Show that L2 and decoupled weight decay coincide for SGD and differ for Adam. Task 5-10.11.

    From the same start `param`, apply len(grads) steps of each of your four step functions,
    feeding the same gradient sequence `grads` to each (the gradients are given, not recomputed).
    Return the largest absolute difference between the two final parameters for each optimizer:
        {"sgd": max|w_sgd_l2 - w_sgd_decoupled|, "adam": max|w_adam_l2 - w_adam_decoupled|}
    as Python floats. For SGD it is rounding error only; for Adam it is not.
    """
    raise NotImplementedError("regularization.weight_decay_gap is not implemented yet")


def augment_images(images: Tensor, generator: torch.Generator, flip_prob: float = 0.5,
                   padding: int = 4) -> Tensor:
    """Random horizontal flip, then random crop with zero padding, per image. Task 5-10.12.

    For each image independently (as torchvision's RandomHorizontalFlip(flip_prob) followed by
    RandomCrop((H, W), padding=padding)):
    1. with probability flip_prob reverse it along the width (the last dimension);
    2. pad it with `padding` zeros on every side of H and W, then cut out the H x W window whose
       top-left corner (i, j) is drawn uniformly from {0, ..., 2*padding} x {0, ..., 2*padding}.
    flip_prob = 0 and padding = 0 give the input back unchanged.

    Args:
        images: (N, C, H, W), any float dtype, CPU or CUDA.
        generator: a torch.Generator on images' device; all randomness comes from it.
        flip_prob: in [0, 1].
        padding: a non-negative int.

    Returns:
        (N, C, H, W), images' dtype and device; each output image is a flipped and/or shifted
        copy of its input image (pixels moved, never blended), zeros where it came from padding.
    """
    raise NotImplementedError("regularization.augment_images is not implemented yet")

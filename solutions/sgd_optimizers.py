"""Topic 5-08: SGD, momentum and Nesterov.

The three update rules of `torch.optim.SGD` as pure functions, the same rules as a
`torch.optim.Optimizer` subclass, a shuffled mini-batch iterator, optimizer trajectories on 2-D
test functions (for loss-surface plots) and a learning-rate sweep.

Conventions (exactly `torch.optim.SGD`'s, with dampening 0):
- Weight decay is added to the gradient first:  g = grad + weight_decay * w.
- The momentum buffer ("velocity") b starts as the gradient itself on the first step (b = g, not
  0), then  b = momentum * b + g.  The learning rate is not part of b.
- Momentum steps w - lr * b; Nesterov steps w - lr * (g + momentum * b) with the new b.
- The step functions are PURE: they return (new_param, new_velocity) as new tensors and never
  modify param, grad or velocity. Only `SGD.step` updates parameters in place.

Rules for every function here:
- Tensors in, tensors out: results keep the input's dtype (float32 or float64) and device (CPU or
  CUDA), and inputs may be non-contiguous.
- Build every update from elementary tensor operations. `torch.optim.SGD` and torch's functional
  optimizer code (`torch.optim.sgd`, `torch.optim._functional`, other optimizers) are not allowed,
  and a check catches them; subclassing `torch.optim.Optimizer` is required for `SGD`.
- Randomness comes only from the `torch.Generator` you are given, never from the global random
  state.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence

import torch
from torch import Tensor


def _with_decay(param: Tensor, grad: Tensor, weight_decay: float) -> Tensor:
    # torch skips the term when weight_decay is 0; so do we (also keeps inf/nan params out of g).
    return grad + weight_decay * param if weight_decay != 0 else grad


def _buffer(g: Tensor, velocity: Tensor | None, momentum: float) -> Tensor:
    # First step: the buffer is a copy of g (torch's convention), never momentum * 0 + g.
    return g.clone() if velocity is None else momentum * velocity + g


def sgd_step(param: Tensor, grad: Tensor, lr: float, weight_decay: float = 0.0) -> Tensor:
    """One plain SGD step, as `torch.optim.SGD(lr=lr, weight_decay=weight_decay)`. Task 5-08.1.

        g = grad + weight_decay * w          (the term is skipped when weight_decay == 0)
        w_new = w - lr * g

    Example: w = [1.0, -2.0], grad = [0.5, 0.5], lr = 0.1, weight_decay = 0 -> [0.95, -2.05].

    Args:
        param, grad: tensors of one shape (any shape), float32 or float64, CPU or CUDA.
        lr: learning rate (a Python float).
        weight_decay: L2 coefficient added to the gradient (a Python float, >= 0).

    Returns:
        w_new, a NEW tensor of param's shape, dtype and device; param and grad are not modified.
    """
    return param - lr * _with_decay(param, grad, weight_decay)


def momentum_step(param: Tensor, grad: Tensor, velocity: Tensor | None, lr: float,
                  momentum: float = 0.9, weight_decay: float = 0.0) -> tuple[Tensor, Tensor]:
    """One SGD step with (heavy-ball) momentum, as `torch.optim.SGD(lr, momentum,
    weight_decay=weight_decay)` with dampening 0. Task 5-08.2.

        g = grad + weight_decay * w          (the term is skipped when weight_decay == 0)
        b = g                                on the first step (velocity is None)
        b = momentum * velocity + g          afterwards
        w_new = w - lr * b

    The buffer b never contains lr, so changing lr between steps rescales only the step.
    Example: w = [1.0, -2.0], grad = [0.5, 0.5] twice, lr = 0.1, momentum = 0.9:
        step 1: b = [0.5, 0.5],   w = [0.95, -2.05]
        step 2: b = [0.95, 0.95], w = [0.855, -2.145]

    Args:
        param, grad: tensors of one shape, float32 or float64, CPU or CUDA.
        velocity: None on the first step, else the velocity this function returned last time.
        lr, momentum, weight_decay: Python floats (momentum in [0, 1), weight_decay >= 0).

    Returns:
        (w_new, b): NEW tensors of param's shape, dtype and device; param, grad and velocity are
        not modified. Pass b back as `velocity` on the next step.
    """
    g = _with_decay(param, grad, weight_decay)
    b = _buffer(g, velocity, momentum)
    return param - lr * b, b


def nesterov_step(param: Tensor, grad: Tensor, velocity: Tensor | None, lr: float,
                  momentum: float = 0.9, weight_decay: float = 0.0) -> tuple[Tensor, Tensor]:
    """One SGD step with Nesterov momentum, as `torch.optim.SGD(lr, momentum,
    weight_decay=weight_decay, nesterov=True)` with dampening 0. Task 5-08.3.

        g = grad + weight_decay * w          (the term is skipped when weight_decay == 0)
        b = g                                on the first step (velocity is None)
        b = momentum * velocity + g          afterwards
        w_new = w - lr * (g + momentum * b)  (the look-ahead: the NEW b, plus g once more)

    Example: w = [1.0, -2.0], grad = [0.5, 0.5] twice, lr = 0.1, momentum = 0.9:
        step 1: b = [0.5, 0.5],   w = [0.905, -2.095]        (step lr * 1.9 * g)
        step 2: b = [0.95, 0.95], w = [0.7695, -2.2305]      (step lr * (0.5 + 0.855))

    Args and returns: as for `momentum_step` (b, not the look-ahead, is the returned velocity).
    """
    g = _with_decay(param, grad, weight_decay)
    b = _buffer(g, velocity, momentum)
    return param - lr * (g + momentum * b), b


class SGD(torch.optim.Optimizer):
    """SGD with optional momentum, Nesterov momentum and weight decay, as `torch.optim.SGD`
    (dampening 0). Task 5-08.4.

    `SGD(params, lr=1e-3, momentum=0.0, weight_decay=0.0, nesterov=False)`:
    - subclasses `torch.optim.Optimizer`: pass `params` (an iterable of tensors, or of dicts
      {"params": [...], "lr": ..., ...} for parameter groups) and the defaults
      {"lr", "momentum", "weight_decay", "nesterov"} to `super().__init__`; a group's own values
      override the defaults;
    - raises ValueError (before anything else) for lr < 0, momentum < 0, weight_decay < 0, and
      for nesterov=True with momentum <= 0 (Nesterov needs momentum, as in torch);
    - `step(closure=None)`: if a closure is given, call it under `torch.enable_grad()` and return
      its loss (else return None); then, without recording autograd history, for every group and
      every parameter p whose p.grad is not None apply, IN PLACE on p, with the GROUP's lr,
      momentum, weight_decay and nesterov:
          momentum == 0:        w <- w - lr * (grad + weight_decay * w)         (sgd_step)
          momentum > 0:         the update of momentum_step (or nesterov_step if the group's
                                nesterov is True), keeping the buffer b in
                                self.state[p]["momentum_buffer"] between steps
      Parameters without a gradient are skipped (and their state untouched).
    `state_dict()` / `load_state_dict()` come from the base class and then resume training
    exactly. As in torch, neither copies the buffers: the saved dict and the optimizer that loads
    it share the tensors of self.state (when dtype and device match). So updating b in place, as
    torch.optim.SGD does (b.mul_(momentum).add_(g)), or storing a new tensor each step, as the
    reference does, both pass. The round-trip check trains, saves, loads the dict into a new SGD
    over a copy of the network, then steps only the new one; the old optimizer is not stepped.
    """

    def __init__(self, params: Iterable[Tensor] | Iterable[dict], lr: float = 1e-3,
                 momentum: float = 0.0, weight_decay: float = 0.0, nesterov: bool = False):
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if nesterov and momentum <= 0:
            raise ValueError("Nesterov momentum requires a momentum > 0")
        defaults = {"lr": lr, "momentum": momentum, "weight_decay": weight_decay,
                    "nesterov": nesterov}
        super().__init__(params, defaults)

    @torch.no_grad()
    def step(self, closure: Callable[[], Tensor] | None = None) -> Tensor | None:
        """Update every parameter with a gradient once; return the closure's loss or None."""
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            lr, momentum = group["lr"], group["momentum"]
            weight_decay, nesterov = group["weight_decay"], group["nesterov"]
            for p in group["params"]:
                if p.grad is None:
                    continue
                if momentum == 0:
                    p.copy_(sgd_step(p, p.grad, lr, weight_decay))
                    continue
                state = self.state[p]
                rule = nesterov_step if nesterov else momentum_step
                new, state["momentum_buffer"] = rule(p, p.grad, state.get("momentum_buffer"),
                                                     lr, momentum, weight_decay)
                p.copy_(new)
        return loss


def minibatch_indices(n: int, batch_size: int, generator: torch.Generator, shuffle: bool = True,
                      drop_last: bool = False) -> Iterator[Tensor]:
    """Yield the mini-batches of one epoch over n samples as INDEX tensors. Task 5-08.5.

    order = torch.randperm(n, generator=generator, device=generator.device)   if shuffle
            torch.arange(n, device=generator.device)                          otherwise
    Yield order[0:batch_size], order[batch_size:2*batch_size], ... in turn: every index exactly
    once per epoch, each batch of size batch_size except possibly the last, of size
    n % batch_size, which is yielded when drop_last is False and left out when it is True (a
    full last batch is always yielded; no empty batch is ever yielded). Index a dataset with
    them: X[idx], y[idx].

    Call it once per epoch with the same generator: each call draws a new permutation from it.
    Draw only from `generator` (never the global random state; shuffle=False draws nothing).

    Example: n = 5, batch_size = 2, shuffle=False -> [0, 1], [2, 3], [4]; with drop_last=True
    -> [0, 1], [2, 3].

    Args:
        n: number of samples (>= 0).
        batch_size: >= 1 (ValueError otherwise, raised when iteration starts).
        generator: a torch.Generator (CPU or CUDA); the indices live on its device.

    Yields:
        int64 tensors of shape (batch_size,) (the last possibly shorter) on generator.device.
    """
    if batch_size < 1 or n < 0:
        raise ValueError(f"need n >= 0 and batch_size >= 1, got n={n}, batch_size={batch_size}")
    device = generator.device
    order = torch.randperm(n, generator=generator, device=device) if shuffle \
        else torch.arange(n, device=device)
    stop = n - n % batch_size if drop_last else n
    for start in range(0, stop, batch_size):
        yield order[start:start + batch_size]


def rosenbrock(xy: Tensor, a: float = 1.0, b: float = 100.0) -> Tensor:
    """The Rosenbrock function, a curved valley with its minimum 0 at (a, a^2). Task 5-08.6.

        f(x, y) = (a - x)^2 + b * (y - x^2)^2       with x = xy[..., 0], y = xy[..., 1]

    Args:
        xy: (..., 2) tensor of points (a single point (2,), or a grid (H, W, 2) for contour
            plots), float32 or float64, CPU or CUDA; differentiable with autograd.

    Returns:
        f of shape xy.shape[:-1] (a 0-d tensor for one point), xy's dtype and device.
    """
    x, y = xy[..., 0], xy[..., 1]
    return (a - x) ** 2 + b * (y - x**2) ** 2


def ill_conditioned_quadratic(xy: Tensor, condition: float = 25.0) -> Tensor:
    """An ill-conditioned quadratic bowl: minimum 0 at the origin, curvature 1 along x and
    `condition` along y (the Hessian's condition number). Task 5-08.7.

        f(x, y) = 0.5 * (x^2 + condition * y^2)      with x = xy[..., 0], y = xy[..., 1]
        grad f  = (x, condition * y)

    Plain gradient descent converges only for lr < 2 / condition, and slowly along x.

    Args and returns: as for `rosenbrock`.
    """
    x, y = xy[..., 0], xy[..., 1]
    return 0.5 * (x**2 + condition * y**2)


def trajectory(function: Callable[[Tensor], Tensor], start: Tensor, steps: int, lr: float,
               momentum: float = 0.0, nesterov: bool = False,
               weight_decay: float = 0.0) -> Tensor:
    """The path of SGD (with your `SGD` settings) minimising a 2-D function. Task 5-08.8.

    Start at w_0 = start (converted to float64, on start's device) and take `steps` steps of
    SGD(lr, momentum, weight_decay, nesterov) on the loss function(w), each with the gradient
    from autograd at the current point:
        w_{k+1} = one SGD step from w_k with gradient grad function(w_k)
    With momentum 0 the first step is exactly w_1 = w_0 - lr * (grad f(w_0) + weight_decay * w_0).

    Args:
        function: maps a (2,) float64 tensor to a 0-d tensor (e.g. `rosenbrock`).
        start: a (2,) tensor (any float dtype; ValueError for another shape).
        steps: number of steps (>= 0).
        lr, momentum, nesterov, weight_decay: as for `SGD`.

    Returns:
        A (steps + 1, 2) float64 tensor on start's device: row 0 is the start point, row k the
        point after k steps. The rows carry no autograd history.
    """
    if tuple(start.shape) != (2,):
        raise ValueError(f"start must have shape (2,), got {tuple(start.shape)}")
    point = start.detach().to(torch.float64).clone().requires_grad_(True)
    optimizer = SGD([point], lr=lr, momentum=momentum, weight_decay=weight_decay,
                    nesterov=nesterov)
    points = [point.detach().clone()]
    for _ in range(steps):
        optimizer.zero_grad()
        function(point).backward()
        optimizer.step()
        points.append(point.detach().clone())
    return torch.stack(points)


def lr_sweep(function: Callable[[Tensor], Tensor], start: Tensor, lrs: Sequence[float],
             steps: int, momentum: float = 0.0, nesterov: bool = False,
             max_loss: float = 1e10) -> Tensor:
    """Final losses of SGD runs over a list of learning rates. Task 5-08.9.

    For each lr in lrs (in order): run `trajectory(function, start, steps, lr, momentum,
    nesterov)` and evaluate the loss at its last point, L = function(trajectory[-1]).
    A DIVERGED run is reported as +inf (never nan): that is when L is nan or inf, or L > max_loss.

    Args:
        function, start, steps, momentum, nesterov: as for `trajectory`.
        lrs: learning rates (a list or tuple of Python floats).
        max_loss: losses above it count as diverged.

    Returns:
        A (len(lrs),) float64 tensor on start's device: the final loss per rate, +inf where the
        run diverged.
    """
    losses = []
    for lr in lrs:
        path = trajectory(function, start, steps, lr, momentum, nesterov)
        with torch.no_grad():
            loss = float(function(path[-1]))
        losses.append(loss if math.isfinite(loss) and loss <= max_loss else math.inf)
    return torch.tensor(losses, dtype=torch.float64, device=start.device)

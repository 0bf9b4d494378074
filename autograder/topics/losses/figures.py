"""5-04 figures: each loss and its gradient (from autograd through the student's loss) against
the error or the margin, focal loss against BCE, and the asymmetry of the KL divergence."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

import torch
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from torch import Tensor

from autograder.figures.common import figure, panels, style

TOPIC = "losses"
GAMMAS = (0.5, 1.0, 2.0, 5.0)


def _loss_and_grad(loss: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor, Tensor]:
    """Per-element losses of x (reduction "none") and d loss_i / d x_i."""
    x = x.detach().clone().requires_grad_(True)
    values = loss(x)
    (grad,) = torch.autograd.grad(values.sum(), x)
    return values.detach(), grad


def _two_panels(title: str, curves: dict[str, Callable[[Tensor], Tensor]], x: Tensor,
                xlabel: str) -> tuple[Figure, list[Axes]]:
    fig, axes = panels(2, width=4.4, height=3.4, title=title)
    for label, loss in curves.items():
        values, grad = _loss_and_grad(loss, x)
        axes[0].plot(x, values, label=label)
        axes[1].plot(x, grad, label=label)
    style(axes[0], "loss", xlabel, "loss", legend=True)
    style(axes[1], "gradient", xlabel, f"d loss / d {xlabel.split(' ')[0]}", legend=True)
    return fig, axes


@figure(TOPIC, "regression_losses.png", needs=("mse_loss", "mae_loss", "huber_loss"))
def regression_losses(m: ModuleType) -> Figure:
    """Your `mse_loss`, `mae_loss` and `huber_loss` (delta 1) and their autograd gradients
    against the error pred - target: quadratic, constant-slope, and quadratic then linear."""
    error = torch.linspace(-3.0, 3.0, 601, dtype=torch.float64)
    zero = torch.zeros_like(error)
    curves = {"MSE": lambda d: m.mse_loss(d, zero, reduction="none"),
              "MAE": lambda d: m.mae_loss(d, zero, reduction="none"),
              "Huber (delta 1)": lambda d: m.huber_loss(d, zero, delta=1.0, reduction="none")}
    fig, _ = _two_panels("losses: regression losses of 601 errors from -3 to 3", curves, error,
                         "error pred - target")
    return fig


def _three_class_logits(margin: Tensor) -> Tensor:
    """Logits (margin, 0, 0) per sample: the true class (0) beats the others by `margin`."""
    zeros = torch.zeros_like(margin)
    return torch.stack([margin, zeros, zeros], dim=1)


@figure(TOPIC, "classification_losses.png",
        needs=("bce_with_logits", "cross_entropy", "multi_margin_loss"))
def classification_losses(m: ModuleType) -> Figure:
    """Your `bce_with_logits` (target 1), `cross_entropy` and `multi_margin_loss` (3 classes,
    true-class logit `margin` above the others) and their gradients against the margin: the
    hinge stops at margin 1, the cross-entropies never quite do."""
    margin = torch.linspace(-4.0, 4.0, 801, dtype=torch.float64)
    target = torch.zeros(len(margin), dtype=torch.int64)
    curves = {
        "BCE with logits": lambda z: m.bce_with_logits(z, torch.ones_like(z), reduction="none"),
        "cross-entropy, 3 classes":
            lambda z: m.cross_entropy(_three_class_logits(z), target, reduction="none"),
        "multi-class hinge, 3 classes":
            lambda z: m.multi_margin_loss(_three_class_logits(z), target, reduction="none"),
    }
    fig, _ = _two_panels("losses: classification losses of 801 margins from -4 to 4", curves,
                         margin,
                         "margin (true-class logit minus the others)")
    return fig


@figure(TOPIC, "focal_vs_bce.png", needs=("focal_loss", "bce_with_logits"))
def focal_vs_bce(m: ModuleType) -> Figure:
    """Your `focal_loss` (no alpha) for gamma 0.5 to 5 against your `bce_with_logits`, as a
    function of p_t, the probability given to the true class: well-classified examples (p_t near
    1) get far smaller losses and gradients."""
    p_t = torch.linspace(0.005, 0.995, 500, dtype=torch.float64)
    logits = torch.log(p_t / (1 - p_t))  # target 1, so p_t = sigmoid(logit)
    ones = torch.ones_like(logits)
    curves = {"BCE": lambda z: m.bce_with_logits(z, ones, reduction="none")}
    for gamma in GAMMAS:
        curves[f"focal, gamma {gamma:g}"] = (
            lambda z, g=gamma: m.focal_loss(z, ones, alpha=None, gamma=g, reduction="none"))
    fig, axes = panels(2, width=4.4, height=3.4,
                       title="losses: focal loss against BCE, target 1, p_t from 0.005 to 0.995")
    for label, loss in curves.items():
        values, grad = _loss_and_grad(loss, logits)
        axes[0].plot(p_t, values, label=label)
        axes[1].plot(p_t, grad.abs(), label=label)
    axes[1].set_yscale("log")
    style(axes[0], "loss", "p_t (probability of the true class)", "loss", legend=True)
    style(axes[1], "gradient size", "p_t (probability of the true class)",
          "|d loss / d logit| (log scale)", legend=True)
    return fig


@figure(TOPIC, "kl_divergence.png", needs=("kl_div",))
def kl_divergence(m: ModuleType) -> Figure:
    """KL(p || q) and KL(q || p) from your `kl_div`, for p = (0.3, 0.7) and q = (s, 1 - s): both
    are 0 at q = p, and they differ elsewhere (KL is not symmetric)."""
    s = torch.linspace(0.005, 0.995, 500, dtype=torch.float64)
    q = torch.stack([s, 1 - s], dim=1)
    p = torch.tensor([0.3, 0.7], dtype=torch.float64).expand_as(q)
    forward = m.kl_div(q.log(), p, reduction="none").sum(dim=1)
    reverse = m.kl_div(p.log(), q, reduction="none").sum(dim=1)
    fig, (ax,) = panels(width=5.6, height=3.8, title="losses: the KL divergence is asymmetric")
    ax.plot(s, forward.detach(), label="KL(p || q) = kl_div(log q, p)")
    ax.plot(s, reverse.detach(), label="KL(q || p) = kl_div(log p, q)")
    # a point, not a vertical line: a line would cross the legend's corner of the axes
    ax.plot(0.3, 0.0, marker="o", color="black", linestyle="none", clip_on=False, zorder=5,
            label="q = p: both are 0")
    ax.set_ylim(0, 2)
    style(ax, "p = (0.3, 0.7), q = (s, 1 - s)", "s", "KL divergence (nats)", legend=True)
    return fig

"""Mistake (a shortcut): bce_with_logits hands the work to
torch.nn.functional.binary_cross_entropy_with_logits, imported under another name."""

from torch.nn.functional import binary_cross_entropy_with_logits as library_bce

CAUGHT_BY = ("bce_with_logits.no_library_shortcut", "focal_loss.no_library_shortcut")


def bce_with_logits(logits, targets, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"unknown reduction {reduction!r}")
    if logits.shape != targets.shape:
        raise ValueError(f"logits {tuple(logits.shape)} and targets {tuple(targets.shape)}")
    return library_bce(logits, targets, reduction=reduction)

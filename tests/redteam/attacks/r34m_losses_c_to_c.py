"""Row 34 (invisible library call), topic 5-04: cross_entropy's log-sum-exp is
`next(map(torch.logsumexp, ...))` and bce_with_logits (so focal_loss) is
`functools.partial(F.softplus, logits)() - logits * targets`: both library functions are C
functions called from C, so the loss topic's call watch sees neither."""

ROW = 34
TOPIC = "losses"
# WIN on current code: cross_entropy, bce_with_logits and focal_loss keep full marks, their
# no-library checks included.
EXPECT = {"fail": ["cross_entropy.no_library_shortcut", "bce_with_logits.no_library_shortcut",
                   "focal_loss.no_library_shortcut"],
          "full": ["mse_loss", "mae_loss", "huber_loss", "multi_margin_loss", "kl_div"]}

import functools  # noqa: E402

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def bce_with_logits(logits, targets, reduction="mean"):
    _check_reduction(reduction)  # noqa: F821  (the reference's)
    _check_same_shape(logits, targets, ("logits", "targets"))  # noqa: F821
    return _reduce(functools.partial(F.softplus, logits)() - logits * targets,  # noqa: F821
                   reduction)


def cross_entropy(logits, target, reduction="mean"):
    _check_reduction(reduction)  # noqa: F821
    _check_class_indices(logits, target)  # noqa: F821
    log_sum_exp = next(map(torch.logsumexp, [logits], [1]))
    return _reduce(log_sum_exp - logits.gather(1, target[:, None]).squeeze(1),  # noqa: F821
                   reduction)

"""Row 29 (spec shortcut): call the library where the task is to implement it: dropout through
F.dropout (rescaled back to standard dropout), batch_norm through F.batch_norm (so BatchNorm1d
too), adam_step_decoupled through torch.optim.AdamW. The answers are right, so only the checks
that catch the shortcut fail (dropout's also fails the generator check: F.dropout draws from the
global random state)."""

ROW = 29
# torch.optim.AdamW is refused by name (Python-level library code has no operator
# for the dispatcher guard to forbid); with the rules off F.dropout and F.batch_norm
# still raise inside the functions, and AdamW's own loop passes (docs/attacks.md,
# residual risks).
EXPECT = {"refused": True,
          "unscanned": {"fail": ["dropout.no_library_shortcut", "dropout.uses_the_generator",
                                 "batch_norm.no_library_shortcut",
                                 "BatchNorm1d.no_library_shortcut_in_layer"],
                        "full": ["inverted_dropout", "layer_norm", "EarlyStopping", "sgd_step_l2",
                                 "sgd_step_decoupled", "adam_step_l2", "weight_decay_gap",
                                 "augment_images"],
                        "below_full": True}}

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def dropout(x, p, training, generator):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not training:
        return x * (1.0 - p)
    return F.dropout(x, p, True) * (1.0 - p)  # F.dropout is inverted: undo its 1/(1-p)


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    if x.dim() != 2:
        raise ValueError(f"expected (N, C), got {tuple(x.shape)}")
    return F.batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)


def adam_step_decoupled(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                        weight_decay=0.0):
    w = param.detach().clone().requires_grad_(True)
    optimizer = torch.optim.AdamW([w], lr=lr, betas=betas, eps=eps, weight_decay=weight_decay)
    if state is not None:
        optimizer.state[w] = {"step": torch.tensor(float(state["step"])),
                              "exp_avg": state["exp_avg"].clone(),
                              "exp_avg_sq": state["exp_avg_sq"].clone()}
    w.grad = grad.detach().clone()
    optimizer.step()
    new = optimizer.state[w]
    return w.detach(), {"step": int(new["step"]), "exp_avg": new["exp_avg"],
                        "exp_avg_sq": new["exp_avg_sq"]}

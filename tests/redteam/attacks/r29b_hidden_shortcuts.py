"""Row 29 (spec shortcut), disguised: the library's versions reached through aliases taken at
import (`from torch.nn.functional import dropout as _d`, `torch.batch_norm` bound as a default
argument), `torch._VF`, `torch.ops.aten` and the functional `torch.optim.adam.adam`; dropout even
reseeds a forked global RNG from the given generator's seed, so the generator check passes. Only
the shortcut checks catch it."""

ROW = 29
# With the rules off the dispatcher guard still catches every kernel spelling; the functional
# torch.optim.adam.adam is Python-level library code (no operator to forbid) and passes: the
# rules refuse it by name (docs/attacks.md, residual risks).
EXPECT = {
    "refused": True,
    "unscanned": {
        "below_full": True,
        "fail": [
            "dropout.no_library_shortcut",
            "inverted_dropout.no_library_shortcut",
            "batch_norm.no_library_shortcut",
            "BatchNorm1d.no_library_shortcut_in_layer",
            "layer_norm.no_library_shortcut",
        ],
        "full": [
            "EarlyStopping",
            "sgd_step_l2",
            "sgd_step_decoupled",
            "adam_step_decoupled",
            "weight_decay_gap",
            "augment_images",
        ],
    },
}

import torch  # noqa: E402
from torch.nn.functional import dropout as _d  # noqa: E402
from torch.optim.adam import adam as _adam_functional  # noqa: E402

_VF = getattr(torch, "_" + "VF")


def dropout(x, p, training, generator):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not training:
        return x * (1.0 - p)
    devices = [x.device.index or 0] if x.is_cuda else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(generator.initial_seed())
        return _d(x, p, True) * (1.0 - p)


def inverted_dropout(x, p, training, generator):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not training:
        return x
    devices = [x.device.index or 0] if x.is_cuda else []
    with torch.random.fork_rng(devices=devices):
        torch.manual_seed(generator.initial_seed())
        return _VF.dropout(x, p, True)


def batch_norm(
    x,
    running_mean,
    running_var,
    weight=None,
    bias=None,
    training=False,
    momentum=0.1,
    eps=1e-5,
    _bn=torch.batch_norm,
):
    if x.dim() != 2:
        raise ValueError(f"expected (N, C), got {tuple(x.shape)}")
    if training and x.shape[0] < 2:
        raise ValueError("need more than one sample in training")
    return _bn(x, weight, bias, running_mean, running_var, training, momentum, eps, False)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    if list(x.shape[x.dim() - len(shape) :]) != shape:
        raise ValueError(f"{tuple(x.shape)} does not end with {shape}")
    return torch.ops.aten.native_layer_norm(x, shape, weight, bias, eps)[0]


def adam_step_l2(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    w = param.detach().clone()
    if state is None:
        state = {"step": 0, "exp_avg": torch.zeros_like(w), "exp_avg_sq": torch.zeros_like(w)}
    m, v = state["exp_avg"].clone(), state["exp_avg_sq"].clone()
    step = torch.tensor(float(state["step"]))
    _adam_functional(
        [w],
        [grad.clone()],
        [m],
        [v],
        [],
        [step],
        foreach=False,
        capturable=False,
        differentiable=False,
        fused=None,
        grad_scale=None,
        found_inf=None,
        has_complex=False,
        amsgrad=False,
        beta1=betas[0],
        beta2=betas[1],
        lr=lr,
        weight_decay=weight_decay,
        eps=eps,
        maximize=False,
    )
    return w, {"step": int(step), "exp_avg": m, "exp_avg_sq": v}

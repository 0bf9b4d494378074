"""Row 34 (invisible library call): the optimizer steps are torch.optim's fused kernels, called
through `operator.call`: sgd_step_l2/sgd_step_decoupled run `torch._fused_sgd_`, adam_step_l2
`torch._fused_adam_` and adam_step_decoupled `torch._fused_adamw_` (all on clones: the inputs stay
untouched). operator.call is a C function calling a C function: the watch sees only `call`."""

ROW = 34
# WIN on current code: every step function keeps full marks, the no_torch_optim checks included.
# Defence: torch._* is outside the allowlist; with the rules off the guard raises in the kernels.
EXPECT = {"refused": True,
          "unscanned": {"fail": ["adam_step_l2.no_torch_optim",
                                 "adam_step_decoupled.no_torch_optim"],
                        "full": ["dropout", "inverted_dropout", "batch_norm", "BatchNorm1d",
                                 "layer_norm", "EarlyStopping", "augment_images"]}}

import operator  # noqa: E402

import torch  # noqa: E402


def _sgd(param, grad, lr, weight_decay):
    w = param.detach().clone()
    operator.call(torch._fused_sgd_, [w], [grad.detach().clone()], [], weight_decay=weight_decay,
                  momentum=0.0, lr=lr, dampening=0.0, nesterov=False, maximize=False,
                  is_first_step=True)
    return w


def sgd_step_l2(param, grad, lr, weight_decay):
    return _sgd(param, grad, lr, weight_decay)


def sgd_step_decoupled(param, grad, lr, weight_decay):
    return _sgd(param, grad, lr, weight_decay)


def _adam(kernel, param, grad, state, lr, betas, eps, weight_decay):
    w = param.detach().clone()
    if state is None:
        state = {"step": 0, "exp_avg": torch.zeros_like(w), "exp_avg_sq": torch.zeros_like(w)}
    m, v = state["exp_avg"].clone(), state["exp_avg_sq"].clone()
    step = torch.tensor(float(state["step"] + 1))
    operator.call(kernel, [w], [grad.detach().clone()], [m], [v], [], [step], lr=lr,
                  beta1=betas[0], beta2=betas[1], weight_decay=weight_decay, eps=eps,
                  amsgrad=False, maximize=False)
    return w, {"step": state["step"] + 1, "exp_avg": m, "exp_avg_sq": v}


def adam_step_l2(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
    return _adam(torch._fused_adam_, param, grad, state, lr, betas, eps, weight_decay)


def adam_step_decoupled(param, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
                        weight_decay=0.0):
    return _adam(torch._fused_adamw_, param, grad, state, lr, betas, eps, weight_decay)

"""Mistake: the Adam moments are created in float64 "for precision" whatever param's dtype; the
docstring says zeros like param (its dtype and device), and a float32 model's optimizer state
then takes twice the memory and no longer matches torch's."""

import torch

CAUGHT_BY = ("adam_step.state_types_and_dtypes[float32]",
             "adamw_step.state_types_and_dtypes[float32]")
CONTRACT = "dtypes"

_reference_adam_update = _adam_update  # noqa: F821 (a mutant patches the reference)


def _adam_update(param, grad, state, lr, betas, eps):
    if not state:
        state.update(step=0, exp_avg=torch.zeros_like(param, dtype=torch.float64),
                     exp_avg_sq=torch.zeros_like(param, dtype=torch.float64))
    return _reference_adam_update(param, grad, state, lr, betas, eps)

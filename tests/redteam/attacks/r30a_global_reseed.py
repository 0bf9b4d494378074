"""Row 30 (spec shortcut): dropout and inverted_dropout ignore the generator they are given and
reseed the global random state (torch.manual_seed(0)) before drawing the mask, so every run is
"reproducible". The mask statistics are right; the generator checks catch it."""

ROW = 30
EXPECT = {"fail": ["dropout.uses_the_generator", "inverted_dropout.uses_the_generator"],
          "full": ["batch_norm", "BatchNorm1d", "layer_norm", "EarlyStopping", "sgd_step_l2",
                   "sgd_step_decoupled", "adam_step_l2", "adam_step_decoupled",
                   "weight_decay_gap", "augment_images"],
          "below_full": True}

import torch  # noqa: E402


def _global_mask(x, p):
    torch.manual_seed(0)
    return (torch.rand(x.shape, device=x.device, dtype=x.dtype) >= p).to(x.dtype)


def dropout(x, p, training, generator):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    return x * _global_mask(x, p) if training else x * (1.0 - p)


def inverted_dropout(x, p, training, generator):
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not training:
        return x
    return x * (_global_mask(x, p) * (0.0 if p == 1.0 else 1.0 / (1.0 - p)))

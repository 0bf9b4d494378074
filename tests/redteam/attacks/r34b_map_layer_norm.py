"""Row 34 (invisible library call): layer_norm is `next(map(torch.layer_norm, ...))`: map calls
the C kernel from C, so the call watch sees only `next`."""

ROW = 34
# WIN on current code: layer_norm keeps full marks, its no-library check included.
EXPECT = {"fail": ["layer_norm.no_library_shortcut"],
          "full": ["dropout", "inverted_dropout", "batch_norm", "BatchNorm1d", "EarlyStopping",
                   "sgd_step_l2", "sgd_step_decoupled", "adam_step_l2", "adam_step_decoupled",
                   "weight_decay_gap", "augment_images"]}

import torch  # noqa: E402


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    if len(shape) > x.dim() or list(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"{tuple(x.shape)} does not end with {shape}")
    return next(map(torch.layer_norm, [x], [shape], [weight], [bias], [eps]))

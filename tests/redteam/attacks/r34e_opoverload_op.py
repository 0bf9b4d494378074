"""Row 34 (invisible library call): layer_norm calls `torch.ops.aten.native_layer_norm.default._op`,
the OpOverload's raw C++ callable: its `c_call` event carries an empty name, and OpOverload's
Python `__call__` (which the watch does recognise) never runs."""

ROW = 34
# WIN on current code: layer_norm keeps full marks, its no-library check included.
EXPECT = {"refused": True,
          "unscanned": {"fail": ["layer_norm.no_library_shortcut"],
                        "full": ["dropout", "inverted_dropout", "batch_norm", "BatchNorm1d",
                                 "EarlyStopping", "sgd_step_l2", "sgd_step_decoupled",
                                 "adam_step_l2", "adam_step_decoupled", "weight_decay_gap",
                                 "augment_images"]}}

import torch  # noqa: E402

_NATIVE = torch.ops.aten.native_layer_norm.default._op


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = [normalized_shape] if isinstance(normalized_shape, int) else list(normalized_shape)
    if len(shape) > x.dim() or list(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"{tuple(x.shape)} does not end with {shape}")
    return _NATIVE(x, shape, weight, bias, eps)[0]

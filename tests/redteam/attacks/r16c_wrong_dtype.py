"""Row 16 (comparator): batch_norm returns its result upcast to float64 (for float32 inputs the
values are then within tolerance, only the dtype is wrong), and layer_norm returns float16. An
honest wrong answer: it must score what it scores in local mode, and the float32 checks must
fail."""

ROW = 16
EXPECT = {"twin": "self",
          "fail": ["batch_norm.train_float32_large_batch[float32]",
                   "batch_norm.eval_float32[float32]",
                   "BatchNorm1d.train_eval_sequence[float32]",
                   "layer_norm.matches_F[float64]",
                   "layer_norm.large_float32_int_shape[float32]"]}

import torch  # noqa: E402

_reference_layer_norm = layer_norm  # noqa: F821
_reference_batch_norm = batch_norm  # noqa: F821


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    y = _reference_batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)
    return y.to(torch.float64)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    return _reference_layer_norm(x, normalized_shape, weight, bias, eps).to(torch.float16)

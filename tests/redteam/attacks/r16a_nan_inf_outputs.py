"""Row 16 (comparator): layer_norm returns NaN everywhere and batch_norm +inf everywhere (after the
reference's checks and running-statistics update), hoping a comparison like `not (|got - want| >
tol)` lets NaN (and inf - inf) through. An honest wrong answer: it must score what it scores in
local mode, and the value checks must fail."""

ROW = 16
EXPECT = {"twin": "self",
          "fail": ["layer_norm.matches_F[float64]", "layer_norm.batch_of_one[float64]",
                   "layer_norm.noncontiguous_no_affine[float64]",
                   "batch_norm.train_matches_F[float64]", "batch_norm.eval_matches_F[float64]",
                   "batch_norm.batch_of_two[float64]",
                   "BatchNorm1d.matches_nn_BatchNorm1d[float64]"]}

import torch  # noqa: E402

_reference_layer_norm = layer_norm  # noqa: F821
_reference_batch_norm = batch_norm  # noqa: F821


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    y = _reference_layer_norm(x, normalized_shape, weight, bias, eps)
    return torch.full_like(y, float("nan"))


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    y = _reference_batch_norm(x, running_mean, running_var, weight, bias, training, momentum, eps)
    return torch.full_like(y, float("inf"))

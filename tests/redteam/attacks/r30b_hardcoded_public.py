"""Row 30 (spec shortcut): hard-code the answers for the public inputs. layer_norm is right only for
the public check's input (x of shape (8, 5, 6), normalized_shape (5, 6)) and returns zeros for
every other input; EarlyStopping replays the public worked example. Public checks pass, the
hidden checks with other inputs fail."""

ROW = 30
EXPECT = {"fail": ["layer_norm.large_float32_int_shape[float32]",
                   "layer_norm.noncontiguous_no_affine[float64]",
                   "layer_norm.batch_of_one[float64]", "layer_norm.gradients_match_F[float64]",
                   "layer_norm.shape_mismatch_raises",
                   "EarlyStopping.matches_reference[min]", "EarlyStopping.matches_reference[max]",
                   "EarlyStopping.rejects_bad_arguments"],
          "full": ["dropout", "inverted_dropout", "batch_norm", "BatchNorm1d", "sgd_step_l2",
                   "sgd_step_decoupled", "adam_step_l2", "adam_step_decoupled",
                   "weight_decay_gap", "augment_images"],
          "below_full": True}

import torch  # noqa: E402

_reference_layer_norm = layer_norm  # noqa: F821


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    if tuple(x.shape) == (8, 5, 6) and tuple(normalized_shape) == (5, 6):
        return _reference_layer_norm(x, normalized_shape, weight, bias, eps)
    return torch.zeros_like(x)


class EarlyStopping:
    STOPS = (False, False, False, True)  # the public worked example

    def __init__(self, patience=5, min_delta=0.0, mode="min"):
        self.best, self.best_epoch, self.best_state = 0.8, 1, None
        self.counter, self.epoch, self.should_stop = 0, -1, False

    def step(self, metric, model=None):
        self.epoch += 1
        self.should_stop = self.STOPS[min(self.epoch, 3)]
        return self.should_stop

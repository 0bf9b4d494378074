"""Row 34 (invisible library call): batch_norm (so BatchNorm1d too) calls torch.batch_norm
through `functools.partial(torch.batch_norm, ...)()`: the C kernel is called from C, so the
call watch (sys.setprofile) gets no `c_call` event and both no-library checks pass."""

ROW = 34
# WIN on current code: batch_norm and BatchNorm1d keep full marks (shortcut checks included)
# although torch.batch_norm does the work. Defence: the dispatcher-level guard raises inside.
EXPECT = {"fail": ["batch_norm.no_library_shortcut", "BatchNorm1d.no_library_shortcut_in_layer"],
          "full": ["dropout", "inverted_dropout", "layer_norm", "EarlyStopping", "sgd_step_l2",
                   "sgd_step_decoupled", "adam_step_l2", "adam_step_decoupled",
                   "weight_decay_gap", "augment_images"]}

import functools  # noqa: E402

import torch  # noqa: E402


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    if x.dim() != 2:
        raise ValueError(f"expected (N, C), got {tuple(x.shape)}")
    if training and x.shape[0] < 2:
        raise ValueError("need more than one sample in training")
    return functools.partial(torch.batch_norm, x, weight, bias, running_mean, running_var,
                             training, momentum, eps, False)()

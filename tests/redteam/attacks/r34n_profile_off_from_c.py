"""Row 34 (invisible library call), found here: batch_norm (so BatchNorm1d) and layer_norm switch
the watch off around F.batch_norm/F.layer_norm with `functools.partial(sys.setprofile, None)()`
and put it back the same way: called from C, setprofile raises no `c_call` event (the watch looks
for one), and the watch's closing test (`sys.getprofile() is profile`) holds again. sys.setprofile
is reached by `pkgutil.resolve_name("sys:setprofile")`."""

ROW = 34
# WIN on current code: batch_norm, BatchNorm1d and layer_norm keep full marks, shortcut checks
# included. Defence: pkgutil is outside the allowlist; with the rules off the guard raises.
EXPECT = {"refused": True,
          "unscanned": {"fail": ["batch_norm.no_library_shortcut",
                                 "BatchNorm1d.no_library_shortcut_in_layer",
                                 "layer_norm.no_library_shortcut"],
                        "full": ["dropout", "inverted_dropout", "EarlyStopping", "sgd_step_l2",
                                 "sgd_step_decoupled", "adam_step_l2", "adam_step_decoupled",
                                 "weight_decay_gap", "augment_images"]}}

import functools  # noqa: E402
import pkgutil  # noqa: E402

import torch.nn.functional as F  # noqa: E402

_SET = pkgutil.resolve_name("sys:setprofile")
_GET = pkgutil.resolve_name("sys:getprofile")


def _unwatched(function, *args):
    watching = _GET()
    functools.partial(_SET, None)()
    try:
        return function(*args)
    finally:
        functools.partial(_SET, watching)()


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    if x.dim() != 2:
        raise ValueError(f"expected (N, C), got {tuple(x.shape)}")
    if training and x.shape[0] < 2:
        raise ValueError("need more than one sample in training")
    return _unwatched(F.batch_norm, x, running_mean, running_var, weight, bias, training,
                      momentum, eps)


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    if len(shape) > x.dim() or tuple(x.shape[x.dim() - len(shape):]) != shape:
        raise ValueError(f"{tuple(x.shape)} does not end with {shape}")
    return _unwatched(F.layer_norm, x, shape, weight, bias, eps)

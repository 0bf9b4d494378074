"""Mistake (a shortcut): batch_norm hands the work to torch.nn.functional.batch_norm, imported
under another name, instead of implementing it."""

from torch.nn.functional import batch_norm as library_batch_norm

CAUGHT_BY = ("batch_norm.no_library_shortcut", "BatchNorm1d.no_library_shortcut_in_layer")


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    return library_batch_norm(x, running_mean, running_var, weight, bias, training, momentum,
                              eps)

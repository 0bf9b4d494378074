"""Mistake (a shortcut): SGD subclasses torch.optim.SGD and lets it do the work, and trajectory
therefore runs torch's optimizer code too."""

import torch

CAUGHT_BY = ("SGD.no_library_shortcut_in_class", "trajectory.no_library_shortcut_in_path",
             "lr_sweep.no_library_shortcut_in_sweep")


class SGD(torch.optim.SGD):
    def __init__(self, params, lr=1e-3, momentum=0.0, weight_decay=0.0, nesterov=False):
        super().__init__(params, lr=lr, momentum=momentum, weight_decay=weight_decay,
                         nesterov=nesterov)

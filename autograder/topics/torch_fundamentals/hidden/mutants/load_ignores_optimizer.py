"""Mistake: only the model's state is restored; the optimizer passed in keeps its fresh state, so
the resumed run's next steps differ from the uninterrupted run's."""

import torch

CAUGHT_BY = ("load_checkpoint.resumed_run_identical[float64]",
             "load_checkpoint.momentum_state_restored")
CONTRACT = "restores"


def load_checkpoint(path, model, optimizer=None):
    checkpoint = torch.load(path, map_location=next(model.parameters()).device,
                            weights_only=True)
    model.load_state_dict(checkpoint["model"])
    return int(checkpoint["epoch"])

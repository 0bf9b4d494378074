"""Mistake: the checkpoint holds the model's state_dict and the epoch but not the optimizer's
state, so a resumed run restarts Adam's moments (or momentum buffers) from zero."""

import torch

CAUGHT_BY = ("save_checkpoint.resumed_run_identical[float64]",
             "save_checkpoint.saves_momentum_state")
CONTRACT = "keys"


def save_checkpoint(path, model, optimizer, epoch):
    torch.save({"model": model.state_dict(), "epoch": int(epoch)}, path)

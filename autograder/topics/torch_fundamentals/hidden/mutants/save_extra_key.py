"""Mistake: the checkpoint gets a convenience key besides the three documented ones (the learning
rate, already inside the optimizer's state_dict); the docstring says exactly the keys "model",
"optimizer" and "epoch", which is what load_checkpoint and other tools rely on."""

import torch

CAUGHT_BY = ("save_checkpoint.writes_exactly_the_documented_keys",)
CONTRACT = "keys"


def save_checkpoint(path, model, optimizer, epoch):
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "epoch": int(epoch), "lr": optimizer.param_groups[0]["lr"]}, path)

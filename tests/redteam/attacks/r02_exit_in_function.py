"""Row 2 (early exit): os._exit(0) inside layer_norm, after the checks of dropout, inverted_dropout,
batch_norm and BatchNorm1d have run, hoping an in-process runner reports only what ran before."""

ROW = 2
EXPECT = {"zero": ["layer_norm"], "below_full": True}

import os  # noqa: E402


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    os._exit(0)

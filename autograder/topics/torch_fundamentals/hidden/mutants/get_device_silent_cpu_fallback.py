"""Mistake: a requested CUDA device silently becomes the CPU when CUDA is not available, so a run
meant for a GPU quietly runs (much slower) on the CPU instead of failing with a clear error."""

import torch

CAUGHT_BY = ("get_device.cuda_request_checked", "get_device.cuda_index_out_of_range")
CONTRACT = "errors"


def get_device(requested=None):
    if requested is None or not torch.cuda.is_available():
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(requested)

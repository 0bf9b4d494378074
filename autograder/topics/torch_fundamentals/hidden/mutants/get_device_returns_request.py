"""Mistake: the request is parsed and validated with torch.device(requested), but the argument
itself is returned: a string request comes back as the str "cpu:0", not the torch.device the
docstring promises."""

import torch

CAUGHT_BY = ("get_device.accepts_a_torch_device", "get_device.errors_for_every_form")
CONTRACT = "returns"


def get_device(requested=None):
    if requested is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(requested)
    except (RuntimeError, TypeError) as error:
        raise ValueError(f"cannot use device {requested!r}") from error
    if device.type == "cpu":
        return requested
    if device.type != "cuda":
        raise ValueError(f"device {requested!r} is not supported")
    if not torch.cuda.is_available():
        raise RuntimeError(f"device {requested!r} was requested but CUDA is not available")
    if device.index is not None and device.index >= torch.cuda.device_count():
        raise RuntimeError(f"device {requested!r} was requested but CUDA is not available there")
    return requested

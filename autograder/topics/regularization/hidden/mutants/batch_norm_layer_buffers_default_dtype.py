"""Mistake: the layer creates its running statistics with torch.zeros(n) / torch.ones(n),
ignoring the constructor's device and dtype (only the parameters get them). The docstring says
`device` and `dtype` choose where the parameters AND buffers are created: in a float64 layer the
running statistics are float32, so they are stored and updated at float32 precision."""

import torch
from torch import nn

CAUGHT_BY = ("BatchNorm1d.state_in_the_given_dtype[float64]",)
CONTRACT = "dtypes"
_reference_batch_norm = batch_norm  # noqa: F821 (a mutant patches the reference)


class BatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True, device=None,
                 dtype=None):
        super().__init__()
        self.num_features, self.eps, self.momentum = num_features, eps, momentum
        if affine:
            self.weight = nn.Parameter(torch.ones(num_features, device=device, dtype=dtype))
            self.bias = nn.Parameter(torch.zeros(num_features, device=device, dtype=dtype))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        return _reference_batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                          self.training, self.momentum, self.eps)

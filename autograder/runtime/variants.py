"""The dtype and device variants every topic's checks share, spelled once (`variants=`, `devices=`
of `CheckSet.add`). A variant's label ends the check's name (`relu.matches_torch[float32]`) and its
parameters reach the probe (`dtype`); the expected side always runs in float64."""

from __future__ import annotations

import numpy as np
import torch

NUMPY_F32 = {"float32": {"dtype": np.dtype(np.float32)}}
NUMPY_F64 = {"float64": {"dtype": np.dtype(np.float64)}}
NUMPY_FLOATS = {**NUMPY_F32, **NUMPY_F64}
TORCH_F32 = {"float32": {"dtype": torch.float32}}
TORCH_F64 = {"float64": {"dtype": torch.float64}}
TORCH_FLOATS = {**TORCH_F32, **TORCH_F64}
CPU_CUDA = ("cpu", "cuda")  # a CUDA variant runs only on a GPU grader and is NOT RUN elsewhere

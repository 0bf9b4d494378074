"""Row 34 (invisible library call): batch_norm (so BatchNorm1d too) runs a `torch.jit.script`
function that calls torch.batch_norm: the TorchScript interpreter calls the kernel, and calling a
ScriptFunction raises no `c_call` event."""

ROW = 34
# WIN on current code: batch_norm and BatchNorm1d keep full marks, shortcut checks included.
EXPECT = {"refused": True,
          "unscanned": {"fail": ["batch_norm.no_library_shortcut",
                                 "BatchNorm1d.no_library_shortcut_in_layer"],
                        "full": ["dropout", "inverted_dropout", "layer_norm", "EarlyStopping",
                                 "sgd_step_l2", "sgd_step_decoupled", "adam_step_l2",
                                 "adam_step_decoupled", "weight_decay_gap", "augment_images"]}}

from typing import Optional  # noqa: E402

import torch  # noqa: E402


@torch.jit.script
def _scripted(x: torch.Tensor, mean: torch.Tensor, var: torch.Tensor,
              weight: Optional[torch.Tensor], bias: Optional[torch.Tensor],  # noqa: UP045
              training: bool, momentum: float, eps: float) -> torch.Tensor:
    return torch.batch_norm(x, weight, bias, mean, var, training, momentum, eps, False)


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    if x.dim() != 2:
        raise ValueError(f"expected (N, C), got {tuple(x.shape)}")
    if training and x.shape[0] < 2:
        raise ValueError("need more than one sample in training")
    return _scripted(x, running_mean, running_var, weight, bias, training, float(momentum),
                     float(eps))

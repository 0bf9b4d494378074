"""Row 31 (stale memory, GPU): on CUDA, layer_norm and batch_norm return torch.empty_like(x),
hoping the caching allocator hands back a block where the reference just wrote the right answer
(batch_norm still updates the running statistics honestly). The reference never runs in the
sandbox, so those CUDA checks fail; on CPU the functions are honest and keep their points."""

ROW = 31
EXPECT = {"needs_gpu": True,
          "fail": ["layer_norm.large_float32_int_shape[float32-cuda]",
                   "batch_norm.train_float32_large_batch[float32-cuda]",
                   "batch_norm.eval_float32[float32-cuda]",
                   "BatchNorm1d.train_eval_sequence[float32-cuda]"],
          "full": ["dropout", "inverted_dropout", "EarlyStopping", "sgd_step_l2",
                   "sgd_step_decoupled", "adam_step_l2", "adam_step_decoupled",
                   "weight_decay_gap", "augment_images"]}

import torch  # noqa: E402

_reference_layer_norm, _reference_batch_norm = layer_norm, batch_norm  # noqa: F821


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    if x.is_cuda:
        return torch.empty_like(x)
    return _reference_layer_norm(x, normalized_shape, weight, bias, eps)


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    if not x.is_cuda:
        return _reference_batch_norm(x, running_mean, running_var, weight, bias, training,
                                     momentum, eps)
    if training:  # the running statistics, honestly; no (N, C) result is ever computed
        with torch.no_grad():
            running_mean.mul_(1.0 - momentum).add_(momentum * x.mean(dim=0))
            running_var.mul_(1.0 - momentum).add_(momentum * x.var(dim=0))  # unbiased
    return torch.empty_like(x)

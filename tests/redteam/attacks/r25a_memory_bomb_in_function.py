"""Row 25 (resources): batch_norm asks torch for a 50 GB tensor, then (the first time) fills memory
in 256 MB blocks until allocation fails. The memory limit turns both into that call's error:
batch_norm earns nothing, BatchNorm1d (built on it) fails every check that runs a forward pass,
and everything else is graded in full."""

ROW = 25
EXPECT = {"zero": ["batch_norm"],
          "fail": ["BatchNorm1d.matches_nn_BatchNorm1d[float64]",
                   "BatchNorm1d.train_eval_sequence[float32]",
                   "BatchNorm1d.without_affine[float64]",
                   "BatchNorm1d.parameter_gradients[float64]",
                   "BatchNorm1d.no_library_shortcut_in_layer"],
          "full": ["dropout", "inverted_dropout", "layer_norm", "EarlyStopping", "sgd_step_l2",
                   "sgd_step_decoupled", "adam_step_l2", "adam_step_decoupled",
                   "weight_decay_gap", "augment_images"]}

import torch  # noqa: E402

FILLED = []


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    try:  # noqa: SIM105  (a student's attack, written plainly)
        torch.empty(50 << 30, dtype=torch.uint8).fill_(1)
    except (MemoryError, RuntimeError):
        pass
    if not FILLED:
        blocks = []
        try:
            for _ in range(400):  # up to 100 GB
                blocks.append(torch.ones(256 << 20, dtype=torch.uint8))
        except (MemoryError, RuntimeError):
            pass
        FILLED.append(len(blocks))
        del blocks
    raise MemoryError(f"filled {FILLED[0] * 256} MB before the allocator refused")

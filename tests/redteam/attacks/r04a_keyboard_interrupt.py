"""Row 4 (early exit): raise KeyboardInterrupt in batch_norm (which BatchNorm1d calls), hoping the
run is cut short and the report undercounts the failures."""

ROW = 4
EXPECT = {"zero": ["batch_norm"],
          "fail": ["BatchNorm1d.matches_nn_BatchNorm1d[float64]",
                   "BatchNorm1d.parameter_gradients[float64]"],
          "full": ["dropout", "inverted_dropout", "layer_norm", "EarlyStopping", "sgd_step_l2",
                   "sgd_step_decoupled", "adam_step_l2", "adam_step_decoupled",
                   "weight_decay_gap", "augment_images"]}


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False,
               momentum=0.1, eps=1e-5):
    raise KeyboardInterrupt

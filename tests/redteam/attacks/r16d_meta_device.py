"""Row 16 (comparator): sgd_step_l2 returns its (correct) result on the "meta" device, a tensor
with a shape and a dtype but no values, hoping a comparison that only looks at metadata, or one
that raises and is taken for a pass, lets it through. An honest wrong answer: it must score what
it scores in local mode, and the value checks must fail."""

ROW = 16
EXPECT = {"twin": "self",
          "fail": ["sgd_step_l2.matches_torch_SGD[float64]",
                   "sgd_step_l2.many_steps_float32[float32]",
                   "sgd_step_l2.zero_decay_is_plain_sgd[float64]",
                   "weight_decay_gap.matches_torch[float64]"]}

_reference_sgd_step_l2 = sgd_step_l2  # noqa: F821


def sgd_step_l2(param, grad, lr, weight_decay):
    return _reference_sgd_step_l2(param, grad, lr, weight_decay).to("meta")

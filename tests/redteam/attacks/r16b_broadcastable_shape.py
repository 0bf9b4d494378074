"""Row 16 (comparator): layer_norm returns only the first column of the right answer (shape
(..., 1), which broadcasts against the expected (..., D)), and inverted_dropout at evaluation
returns x[:1] (one row, broadcastable to the expected (N, D)), hoping a broadcasting comparison
passes them. An honest wrong answer: it must score what it scores in local mode, and the value
checks must fail."""

ROW = 16
EXPECT = {"twin": "self",
          "fail": ["layer_norm.matches_F[float64]", "layer_norm.noncontiguous_no_affine[float64]",
                   "inverted_dropout.eval_is_identity[float64]",
                   "inverted_dropout.eval_identity_any_p[float64]"]}

_reference_layer_norm = layer_norm  # noqa: F821
_reference_inverted_dropout = inverted_dropout  # noqa: F821


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    return _reference_layer_norm(x, normalized_shape, weight, bias, eps)[..., :1]


def inverted_dropout(x, p, training, generator):
    y = _reference_inverted_dropout(x, p, training, generator)
    return y if training else y[:1]

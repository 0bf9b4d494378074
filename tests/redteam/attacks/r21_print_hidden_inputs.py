"""Row 21 (leak): print every input the graded function receives, hoping the hidden checks' inputs
show up in the feedback."""

ROW = 21
EXPECT = {"full": "all", "no_hidden_prints": True}

_reference_layer_norm = layer_norm  # noqa: F821


def layer_norm(x, normalized_shape, *args, **kwargs):
    print(f"LEAK layer_norm {tuple(x.shape)} {x.dtype} {float(x.detach().double().sum()):.17g}")
    return _reference_layer_norm(x, normalized_shape, *args, **kwargs)

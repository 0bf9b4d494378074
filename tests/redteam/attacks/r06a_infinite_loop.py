"""Row 6 (timeout evasion): layer_norm never returns (a busy infinite loop)."""

ROW = 6
EXPECT = {"zero": ["layer_norm"], "below_full": True}


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    while True:
        pass

"""Row 4 (early exit): layer_norm raises a BaseException subclass (not an Exception), which an
`except Exception` in a runner does not catch."""

ROW = 4
EXPECT = {"zero": ["layer_norm"], "full": "others"}


class StopGrading(BaseException):
    pass


def layer_norm(x, normalized_shape, weight=None, bias=None, eps=1e-5):
    raise StopGrading("stop the run here")

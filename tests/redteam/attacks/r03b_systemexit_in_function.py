"""Row 3 (early exit): raise SystemExit(0) in dropout, hoping the run stops there with a clean
status and its failure is never recorded; every other function is the reference's."""

ROW = 3
EXPECT = {"zero": ["dropout"], "full": "others"}


def dropout(x, p, training, generator):
    raise SystemExit(0)

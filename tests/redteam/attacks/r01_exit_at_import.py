"""Row 1 (early exit): os._exit(0) at import, hoping an in-process runner reports no failures."""

ROW = 1
EXPECT = {"zero": "all"}

import os  # noqa: E402

os._exit(0)

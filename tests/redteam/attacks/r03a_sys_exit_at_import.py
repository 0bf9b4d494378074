"""Row 3 (early exit): sys.exit(0) at import, hoping the runner treats a clean exit as success."""

ROW = 3
EXPECT = {'refused': True, 'unscanned': {'zero': 'all'}}

import sys  # noqa: E402

sys.exit(0)

"""Row 33 (bad source): the correct solution, but importing the module takes ten minutes (a long
sleep and a long computation at import, as a training run left at module level would). The
time limit stops the import: the topic earns nothing, the grading ends within its limit, and the
other topic is graded in full."""

ROW = 33
EXPECT = {"zero": "all"}

import time  # noqa: E402

time.sleep(300)
_total = 0
for _i in range(10**12):
    _total += _i

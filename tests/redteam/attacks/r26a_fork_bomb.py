"""Row 26 (resources): a fork bomb at import. Every child keeps forking (retrying, pausing briefly,
when the process limit refuses), while the parent goes on and is graded with honest functions.
The process limit caps the bomb, the grading still ends inside its limits, and no process is
left behind when the topic's sandbox is torn down."""

ROW = 26
EXPECT = {}

import os  # noqa: E402
import time  # noqa: E402

if os.fork() == 0:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            os.fork()
        except OSError:
            time.sleep(0.05)
    os._exit(0)
time.sleep(1.0)  # let the bomb fill the process table before grading starts

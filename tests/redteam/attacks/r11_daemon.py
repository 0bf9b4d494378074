"""Row 11 (result forgery): a double-forked, setsid daemon that keeps rewriting the results file and
a marker after the topic's process has "finished"; the graded functions are left unimplemented."""

ROW = 11
BASE = "stub"
EXPECT = {"zero": "all"}

import os  # noqa: E402
import time  # noqa: E402

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for _ in range(600):  # 60 s of trying
            for target in ("__OUT__/__NAME__/results.json", "__MARKERS__/__NAME__-daemon"):
                try:
                    with open(target, "w") as handle:
                        handle.write('{"score": 100, "forged": true}')
                except OSError:
                    pass
            time.sleep(0.1)
    os._exit(0)

"""Row 27 (resources): print 4 GB to stdout at import. The output cap stops the topic's process:
the topic earns nothing, the grader keeps only a bounded piece of the output, and the other topic
is graded in full."""

ROW = 27
EXPECT = {'refused': True, 'unscanned': {'zero': 'all'}}

import sys  # noqa: E402

_chunk = ("__NAME__ flood " * 4096)[: 1 << 16] + "\n"
for _ in range(4 << 14):  # 4 GB in 64 KB lines
    sys.stdout.write(_chunk)
sys.stdout.flush()

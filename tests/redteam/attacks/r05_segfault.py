"""Row 5 (crash): dropout dereferences a NULL pointer through ctypes, killing its process with
SIGSEGV, hoping the crash takes the grader (or the report) down with it."""

ROW = 5
EXPECT = {'refused': True, 'unscanned': {'zero': ['dropout'], 'below_full': True}}

import ctypes  # noqa: E402


def dropout(x, p, training, generator):
    return ctypes.string_at(0)

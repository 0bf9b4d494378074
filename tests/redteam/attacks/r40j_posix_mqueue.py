"""Row 40 (state across submissions), found here: at import, a POSIX message queue
"/nnf-<name>" holding one message (ctypes: mq_open, mq_send). It lives in the fork server's IPC
namespace until unlinked: the clean-up removes System V objects only, so the next submission
graded by the same slot (the IPC reader follower) finds it."""

ROW = 40
FOLLOWED_BY = "r40_ipc_reader_follower.py"
# WIN (rules off) on current code: the follower finds the queue. Defence: ctypes is refused;
# with the rules off an IPC namespace per topic.
EXPECT = {"refused": True, "unscanned": {}}

import ctypes  # noqa: E402
import os  # noqa: E402

_LIBC = ctypes.CDLL(None, use_errno=True)
_QUEUE = _LIBC.mq_open(b"/nnf-__NAME__", os.O_CREAT | os.O_RDWR, 0o600, None)
if _QUEUE >= 0:
    _LIBC.mq_send(_QUEUE, b"left by __NAME__", 16, 0)

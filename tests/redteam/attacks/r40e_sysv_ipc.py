"""Row 40 (state across submissions): at import, System V IPC objects keyed by the attack's name
(ctypes: a shared memory segment, a semaphore set, a message queue): they outlive their
processes. The next submission graded by the same slot (the IPC reader follower) looks for them.
Expected to lose: the fork server removes every System V object between topics."""

ROW = 40
FOLLOWED_BY = "r40_ipc_reader_follower.py"
# WIN on current code would be: the follower finds them (rules off).
EXPECT = {"refused": True, "unscanned": {}}

import ctypes  # noqa: E402
import zlib  # noqa: E402

KEY = zlib.crc32(b"__NAME__") & 0x7FFFFFFF
IPC_CREAT = 0o1000
_LIBC = ctypes.CDLL(None, use_errno=True)
_LIBC.shmget(KEY, 4096, IPC_CREAT | 0o666)
_LIBC.semget(KEY, 1, IPC_CREAT | 0o666)
_LIBC.msgget(KEY, IPC_CREAT | 0o666)

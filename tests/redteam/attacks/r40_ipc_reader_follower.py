"""The follower of row 40's IPC and keyring attacks (not an attack: FOLLOWED_BY names it): the
reference, graded right after an attack by the same grading slot, whose import looks (ctypes)
for what that attack left, keyed by the attack's name: a System V shared memory segment,
semaphore set or message queue, a POSIX message queue, a key in the sandbox uid's user keyring.
If it finds one, it says so and its dropout raises: it then scores less than it does alone."""

import ctypes
import os
import zlib

KEY = zlib.crc32(b"__NAME__") & 0x7FFFFFFF
LIBC = ctypes.CDLL(None, use_errno=True)
LIBC.syscall.restype = ctypes.c_long
KEYCTL, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING = 250, 10, -4


def _found():
    found = []
    if LIBC.shmget(KEY, 0, 0) >= 0:
        found.append("System V shared memory")
    if LIBC.semget(KEY, 0, 0) >= 0:
        found.append("a System V semaphore set")
    if LIBC.msgget(KEY, 0) >= 0:
        found.append("a System V message queue")
    queue = LIBC.mq_open(b"/nnf-__NAME__", os.O_RDONLY)
    if queue >= 0:
        found.append("a POSIX message queue")
        LIBC.mq_close(queue)
    if LIBC.syscall(KEYCTL, KEYCTL_SEARCH, ctypes.c_long(KEY_SPEC_USER_KEYRING), b"user",
                    b"nnf-__NAME__", 0) >= 0:
        found.append("a key in the user keyring")
    return ", ".join(found)


FOUND = _found()
if FOUND:
    print(f"the previous submission left {FOUND}", flush=True)

    def dropout(x, p, training, generator):
        raise RuntimeError(f"the previous submission left {FOUND}")

"""Row 40 (state across submissions), found here: at import, a key "nnf-<name>" is added to the
sandbox uid's user keyring (ctypes: add_key; a 60 s timeout keeps this suite clean). The user
keyring belongs to the uid, not to a process or a namespace: it outlives the topic, the
submission and the grading run, and the next submission graded with the same uid (the IPC reader
follower) finds it."""

ROW = 40
FOLLOWED_BY = "r40_ipc_reader_follower.py"
# WIN (rules off) on current code: the follower finds the key. Defence: ctypes is refused;
# seccomp could refuse add_key/keyctl (or a user namespace per topic).
EXPECT = {"refused": True, "unscanned": {}}

import ctypes  # noqa: E402

ADD_KEY, KEYCTL, KEYCTL_SET_TIMEOUT, KEY_SPEC_USER_KEYRING = 248, 250, 15, -4
_LIBC = ctypes.CDLL(None, use_errno=True)
_LIBC.syscall.restype = ctypes.c_long
_KEY = _LIBC.syscall(ADD_KEY, b"user", b"nnf-__NAME__", b"left by __NAME__", 16,
                     ctypes.c_long(KEY_SPEC_USER_KEYRING))
if _KEY > 0:
    _LIBC.syscall(KEYCTL, KEYCTL_SET_TIMEOUT, ctypes.c_long(_KEY), 60)

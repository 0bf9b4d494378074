"""Row 39 (memory limit), found here. WARNING: allocates 1.15 x the topic's memory limit (about
5.3 GB) for a few seconds: at import, a System V shared memory segment (ctypes: shmget, shmat)
15 % over the limit is filled with memset, checked, detached and removed; then "HELD ... MB" is
printed. System V shared memory is not in RLIMIT_DATA either."""

ROW = 39
# WIN (rules off) on current code: "HELD ..." shown. Defence: ctypes is refused; with the rules
# off a memory cgroup counting shared memory kills the child.
EXPECT = {"refused": True, "unscanned": {"not_shown": ["MB, beyond the"]}}

import ctypes  # noqa: E402

LIMIT_MB = int("__MEMORY_MB__")
SIZE = (LIMIT_MB * 115 // 100) << 20
IPC_PRIVATE, IPC_CREAT, IPC_RMID = 0, 0o1000, 0
_LIBC = ctypes.CDLL(None, use_errno=True)
_LIBC.shmat.restype = ctypes.c_void_p
_ID = _LIBC.shmget(IPC_PRIVATE, ctypes.c_size_t(SIZE), IPC_CREAT | 0o600)
if _ID >= 0:
    _ADDRESS = _LIBC.shmat(_ID, None, 0)
    _LIBC.shmctl(_ID, IPC_RMID, None)  # gone once detached
    if _ADDRESS not in (None, ctypes.c_void_p(-1).value):
        ctypes.memset(_ADDRESS, 1, SIZE)
        if ctypes.c_ubyte.from_address(_ADDRESS + SIZE - 1).value == 1:
            print(f"HELD {SIZE >> 20} MB, beyond the {LIMIT_MB} MB memory limit", flush=True)
        _LIBC.shmdt(ctypes.c_void_p(_ADDRESS))
else:
    print(f"shmget failed: errno {ctypes.get_errno()}", flush=True)

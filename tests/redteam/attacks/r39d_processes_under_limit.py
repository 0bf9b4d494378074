"""Row 39 (memory limit), WARNING: holds 1.2 x the topic's memory limit (about 5.5 GB) for a few
seconds: at import two forked children each fill 0.6 x the limit of private memory (each under
its own RLIMIT_DATA), report through a pipe, and wait; the parent prints "HELD ... MB" once both
hold it, then lets them exit. The limit is per process and does not add up."""

ROW = 39
# WIN on current code: "HELD ..." is shown. Defence: os is outside the allowlist; with the rules
# off seccomp refuses fork (an import error) or a memory cgroup kills the children.
EXPECT = {"refused": True, "unscanned": {"not_shown": ["MB, beyond the"]}}

import os  # noqa: E402

LIMIT_MB = int("__MEMORY_MB__")
EACH = (LIMIT_MB * 60 // 100) << 20
_READY_R, _READY_W = os.pipe()
_GO_R, _GO_W = os.pipe()
for _ in range(2):
    if os.fork() == 0:
        _held = bytearray(b"\x01") * EACH  # every page written
        os.write(_READY_W, b"1" if _held[-1] == 1 else b"0")
        os.read(_GO_R, 1)  # hold it until the parent has counted
        os._exit(0)
_ANSWERS = os.read(_READY_R, 1) + os.read(_READY_R, 1)
if _ANSWERS == b"11":
    print(f"HELD {2 * EACH >> 20} MB, beyond the {LIMIT_MB} MB memory limit", flush=True)
os.write(_GO_W, b"xx")
for _ in range(2):
    os.wait()

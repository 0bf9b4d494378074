"""Row 39 (memory limit), found here. WARNING: allocates 1.15 x the topic's memory limit (about
5.3 GB) for a few seconds: at import, `np.memmap("/dev/zero", mode="r+", shape=n)` (a shared
mapping of /dev/zero: anonymous shared memory, no os or mmap import) 15 % over the limit is filled,
checked, released, and "HELD ... MB" printed."""

ROW = 39
# WIN on current code: "HELD ..." shown. Defence: a memory cgroup counting shared memory (and
# perhaps np.memmap outside the allowlist).
EXPECT = {"not_shown": ["MB, beyond the"]}

import numpy as np  # noqa: E402

LIMIT_MB = int("__MEMORY_MB__")
SIZE = (LIMIT_MB * 115 // 100) << 20
_HELD = np.memmap("/dev/zero", mode="r+", dtype=np.uint8, shape=(SIZE,))
_HELD[:] = 1
if int(_HELD[-1]) == 1 and int(_HELD[SIZE // 2]) == 1:
    print(f"HELD {SIZE >> 20} MB, beyond the {LIMIT_MB} MB memory limit", flush=True)
del _HELD

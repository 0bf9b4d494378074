"""Row 39 (memory limit), found here. WARNING: allocates 1.15 x the topic's memory limit (about 5.3
GB) for a few seconds: at import, a PRIVATE anonymous mapping with MAP_GROWSDOWN
(`mmap.mmap(-1, n, flags=MAP_PRIVATE | MAP_ANONYMOUS | 0x100)`) 15 % over the limit is
populated, touched page by page, checked and released; then "HELD ... MB" is printed. The kernel
counts a grows-down mapping as stack, not data: RLIMIT_DATA misses private memory too, not only
shared."""

ROW = 39
# WIN on current code: "HELD ..." shown. Defence: mmap is outside the allowlist; with the rules
# off a memory cgroup (it counts all anonymous memory) kills the child.
EXPECT = {"refused": True, "unscanned": {"not_shown": ["MB, beyond the"]}}

import mmap  # noqa: E402

MAP_GROWSDOWN = 0x0100
LIMIT_MB = int("__MEMORY_MB__")  # what the topic's memory cgroup allows
SIZE = (LIMIT_MB * 115 // 100) << 20  # 15 % over it: bounded, so a WIN does not sink the host
PAGE = 4096
MAP_POPULATE = 0x8000  # fault every page in at once, in the kernel (faster)


def _touch(buffer, size):
    """Write one byte in every page (MAP_POPULATE already made them resident), then read them
    back: the memory is really there."""
    for offset in range(0, size, PAGE):
        buffer[offset] = 1
    return sum(buffer[offset] for offset in range(0, size, PAGE)) == len(range(0, size, PAGE))


def _report(size):
    print(f"HELD {size >> 20} MB, beyond the {LIMIT_MB} MB memory limit", flush=True)


_MEMORY = mmap.mmap(-1, SIZE, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | MAP_GROWSDOWN
                    | MAP_POPULATE)
if _touch(_MEMORY, SIZE):
    _report(SIZE)
_MEMORY.close()

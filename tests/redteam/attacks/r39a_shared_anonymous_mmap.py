"""Row 39 (memory limit), WARNING: allocates 1.15 x the topic's memory limit (about 5.3 GB) for
a few seconds: at import, an anonymous shared mapping (`mmap.mmap(-1, n)`, MAP_SHARED,
populated) 15 % over the limit is touched page by page, checked and released, and the module
prints "HELD ... MB". RLIMIT_DATA does not count shared mappings."""

ROW = 39
# WIN on current code: the import survives and "HELD ..." is shown in feedback.md. Defence:
# mmap is outside the allowlist; with the rules off a memory cgroup counting shared memory kills
# the child before it prints.
EXPECT = {"refused": True, "unscanned": {"not_shown": ["MB, beyond the"]}}

import mmap  # noqa: E402

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


_MEMORY = mmap.mmap(-1, SIZE, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS | MAP_POPULATE)
if _touch(_MEMORY, SIZE):
    _report(SIZE)
_MEMORY.close()

"""Row 39 (memory limit), WARNING: allocates about 4 GB for a few seconds: at import,
`os.memfd_create` + ftruncate + a shared mapping, 16 MB at a time (a memfd obeys the 16 MB file
size limit, and each mapping keeps a descriptor: about 250 fit under RLIMIT_NOFILE), each page
touched and checked; if what it mapped is then over the limit, "HELD ... MB" is printed. A memfd
is shared memory: RLIMIT_DATA does not count it."""

ROW = 39
# WIN on current code: the import survives and "HELD ..." is shown. Defence: os/mmap are outside
# the allowlist; with the rules off a memory cgroup counting shared memory kills the child.
EXPECT = {"refused": True, "unscanned": {"not_shown": ["MB, beyond the"]}}

import mmap  # noqa: E402
import os  # noqa: E402

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


PIECE = 16 << 20  # a memfd obeys the 16 MB file size limit: many of them, each mapped
_MAPS = []
try:
    while len(_MAPS) * PIECE < SIZE:
        _fd = os.memfd_create("__NAME__")
        os.ftruncate(_fd, PIECE)
        _MAPS.append(mmap.mmap(_fd, PIECE, flags=mmap.MAP_SHARED | MAP_POPULATE))
        os.close(_fd)  # the mapping keeps a duplicate: at most about 250 (RLIMIT_NOFILE is 256)
except OSError as error:
    print(f"{len(_MAPS)} memfds mapped, then: {error}", flush=True)
# What it holds itself: its resident peak would also count the fork server's pages it shares,
# which are the grader's, not the topic's (a memory cgroup charges them to the server).
_HELD = len(_MAPS) * PIECE
if all(_touch(piece, PIECE) for piece in _MAPS) and _HELD > LIMIT_MB << 20:
    _report(_HELD)
for piece in _MAPS:
    piece.close()

"""Row 39 (memory limit), WARNING: may allocate up to 1.15 x the topic's memory limit: at import,
15 MB tensors (under RLIMIT_DATA and the file size limit) are moved one by one into shared
memory with `torch.Tensor.share_memory_()` (freeing their private copy) until 1.15 x the limit
is held, then "HELD ... MB" is printed and all is released. Expected to lose here: torch puts
shared storage in /dev/shm, a 64 MB tmpfs in the jail (the copy fails or the process gets
SIGBUS: the topic ends)."""

ROW = 39
# WIN on current code would be: "HELD ..." shown.
EXPECT = {"not_shown": ["MB, beyond the"]}

import torch  # noqa: E402

LIMIT_MB = int("__MEMORY_MB__")
SIZE = (LIMIT_MB * 115 // 100) << 20
PIECE = 15 << 20  # under the 16 MB file size limit (shared storage is a file)
_HELD = []
try:
    while len(_HELD) * PIECE < SIZE:
        _HELD.append(torch.ones(PIECE, dtype=torch.uint8).share_memory_())
except RuntimeError as error:
    print(f"stopped after {len(_HELD) * PIECE >> 20} MB: {error}", flush=True)
else:
    if all(int(piece[-1]) == 1 for piece in _HELD):
        print(f"HELD {len(_HELD) * PIECE >> 20} MB, beyond the {LIMIT_MB} MB memory limit",
              flush=True)
_HELD.clear()

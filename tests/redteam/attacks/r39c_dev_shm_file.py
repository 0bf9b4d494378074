"""Row 39 (memory limit): at import, files in /dev/shm (tmpfs: memory) are written 15 MB at a time
(under the 16 MB file size limit) until 1.15 x the topic's memory limit or a refusal; "HELD ... MB"
is printed only if it all fitted. Expected to lose: the jail's /dev/shm is a 64 MB tmpfs. The
files are removed at once."""

ROW = 39
# WIN on current code would be: "HELD ..." shown (it stops at /dev/shm's 64 MB).
EXPECT = {"not_shown": ["MB, beyond the"]}

import os  # noqa: E402

LIMIT_MB = int("__MEMORY_MB__")
SIZE = (LIMIT_MB * 115 // 100) << 20
BLOCK = b"\x01" * (1 << 20)
_WRITTEN, _FILES = 0, []
try:
    while _WRITTEN < SIZE:
        _FILES.append(f"/dev/shm/__NAME__-{len(_FILES)}")
        with open(_FILES[-1], "wb") as _handle:
            for _ in range(15):
                _handle.write(BLOCK)
                _WRITTEN += len(BLOCK)
except OSError as error:
    print(f"stopped after {_WRITTEN >> 20} MB: {error}", flush=True)
else:
    print(f"HELD {_WRITTEN >> 20} MB, beyond the {LIMIT_MB} MB memory limit", flush=True)
for _name in _FILES:
    if os.path.exists(_name):
        os.unlink(_name)

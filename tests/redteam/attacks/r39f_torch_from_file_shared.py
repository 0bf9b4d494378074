"""Row 39 (memory limit), WARNING: may allocate 1.15 x the topic's memory limit: at import,
`torch.from_file(path, shared=True, size=n)` maps a file in /tmp shared, 15 % over the limit; the
tensor is filled, checked, and "HELD ... MB" printed. Expected to lose here: the file must grow
to n bytes, past the 16 MB file size limit and the jail's 64 MB tmpfs."""

ROW = 39
# WIN on current code would be: "HELD ..." shown.
EXPECT = {"not_shown": ["MB, beyond the"]}

import torch  # noqa: E402

LIMIT_MB = int("__MEMORY_MB__")
SIZE = (LIMIT_MB * 115 // 100) << 20
try:
    _HELD = torch.from_file("/tmp/__NAME__-shared", shared=True, size=SIZE, dtype=torch.uint8)
    _HELD.fill_(1)
    if int(_HELD[-1]) == 1:
        print(f"HELD {SIZE >> 20} MB, beyond the {LIMIT_MB} MB memory limit", flush=True)
    del _HELD
except RuntimeError as error:
    print(f"torch.from_file failed: {error}", flush=True)

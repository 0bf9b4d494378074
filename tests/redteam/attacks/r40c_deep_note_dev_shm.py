"""Row 40 (state across submissions): at import, a chain of 2,100 folders under /dev/shm (past
PATH_MAX: the fork server's clean-up deletes by path, fails there with ENAMETOOLONG and leaves
the whole chain) with a note at its bottom. The next submission graded by the same slot (the
reader follower) finds the note."""

ROW = 40
FOLLOWED_BY = "r40_reader_follower.py"
# WIN on current code: the follower finds the note and scores less than alone. Defence: a fresh
# tmpfs per topic (and os outside the allowlist).
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


_deep_chain("/dev/shm", 2100)
with open("note-__NAME__", "w") as _note:
    _note.write("left by __NAME__")
os.chdir("/work")

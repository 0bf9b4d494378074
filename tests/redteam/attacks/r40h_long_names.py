"""Row 40 (state across submissions), found here: the same carry as r40a with 17 folders only,
each named with 250 characters: past PATH_MAX at a depth of 17, so the fork server's clean-up
fails there too, and the note at the bottom reaches the next submission (the reader
follower)."""

ROW = 40
FOLLOWED_BY = "r40_reader_follower.py"
# WIN on current code: the follower finds the note. Defence: a fresh tmpfs per topic.
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


_deep_chain("/tmp", 17, "n" * 250)
with open("note-__NAME__", "w") as _note:
    _note.write("left by __NAME__")
os.chdir("/work")

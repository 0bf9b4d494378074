"""Row 40 (state across submissions): at import, 40,000 empty files at the bottom of a folder
chain 2,000 deep under /tmp (paths just under PATH_MAX). The fork server's clean-up, before the
next topic, deletes them one path at a time, each resolved through 2,000 folders: some 20 s
here (400,000 such files take past the 120 s fork timeout, and grade-all exits without a
gradebook). Measured as the next topic's start-up time."""

ROW = 40
FOLLOWED_BY = "reference"
# WIN on current code: the next topic (here the honest one, same submission) starts > 10 s late.
# Defence: a fresh tmpfs per topic (unmounted, not walked).
EXPECT = {"max_startup_s": 10, "refused": True, "unscanned": {"max_startup_s": 10}}

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


_deep_chain("/tmp", (4096 - len("/tmp/__NAME__/") - 16) // 2)
for _k in range(40000):
    open(f"f{_k}", "w").close()
os.chdir("/work")

"""The follower of row 40's file-system attacks (not an attack: FOLLOWED_BY names it): the
reference, graded right after an attack by the same grading slot, whose import looks for the
note that attack left (`note-<attack name>`): directly in /tmp (the daemon's), and at the bottom
of a directory chain under /tmp, /work and /dev/shm, walked down one relative chdir at a time
(so paths past PATH_MAX are no obstacle). If it finds one, it says so and its dropout raises: it
then scores less than it does alone."""

import os

NOTE = "note-__NAME__"


def _chain_holds_note(root):
    os.chdir(root)
    for _ in range(5000):
        entries = sorted(os.listdir("."))
        if NOTE in entries:
            return True
        folders = [e for e in entries if os.path.isdir(e) and not os.path.islink(e)]
        if not folders:
            return False
        os.chdir(folders[0])
    return False


def _found():
    start = os.getcwd()
    try:
        if os.path.exists(f"/tmp/{NOTE}"):
            return "/tmp"
        for root in ("/tmp/__NAME__", "/work/__NAME__", "/dev/shm/__NAME__"):
            if os.path.isdir(root) and _chain_holds_note(root):
                return root
    except OSError:
        pass
    finally:
        os.chdir(start)
    return ""


FOUND = _found()
if FOUND:
    print(f"the previous submission's note is here, under {FOUND}", flush=True)

    def dropout(x, p, training, generator):
        raise RuntimeError(f"a note from the previous submission was under {FOUND}")

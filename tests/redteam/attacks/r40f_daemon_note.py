"""Row 40 (state across submissions): at import, a double-forked, setsid daemon keeps writing
/tmp/note-<name> every 20 ms for 60 s, hoping to outlive the topic and the clean-up and be there
when the next submission (the reader follower) looks. Expected to lose: every process of the
sandbox uid is killed when the topic ends, before the clean-up."""

ROW = 40
FOLLOWED_BY = "r40_reader_follower.py"
# WIN on current code would be: the follower finds the note.
EXPECT = {"refused": True, "unscanned": {}}

import os  # noqa: E402
import time  # noqa: E402

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        for _ in range(3000):
            try:
                with open("/tmp/note-__NAME__", "w") as handle:
                    handle.write("left by __NAME__'s daemon")
            except OSError:
                pass
            time.sleep(0.02)
    os._exit(0)
os.wait()

"""Row 27 (resources): fill the disk at import: write 17 MB files (one MB over the file size limit)
into the working folder, /tmp, /dev/shm, the submission folder, the grader's output and marker
folders, until the disk is full or writing is refused. The graded functions stay honest, so the
topic keeps full marks; nothing may appear outside the sandbox."""

ROW = 27
EXPECT = {"refused": True, "unscanned": {"full": "all"}}

import errno  # noqa: E402
import os  # noqa: E402

BLOCK = b"\0" * (1 << 20)
WRITTEN = {}
for folder in (".", "/tmp", "/dev/shm", "/submission", "/var/tmp", "__OUT__", "__MARKERS__"):
    WRITTEN[folder] = 0
    for k in range(128):  # at most 128 files of 17 MB per folder
        try:
            with open(os.path.join(folder, f"__NAME__-fill-{k}"), "wb") as handle:
                for _ in range(17):
                    handle.write(BLOCK)
                    WRITTEN[folder] += 1
        except OSError as error:
            if error.errno != errno.EFBIG:  # over the file size limit: start the next file
                break
print(f"MB written: {WRITTEN}", flush=True)

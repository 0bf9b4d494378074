"""Row 32 (bad archives) and wrong file names (row 33), built as bytes: each submission also holds
an honest module of the second topic, which must still be graded in full."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

from autograder import impl
from autograder.submission import MAX_ARCHIVE_BYTES, MAX_ENTRIES, MAX_MODULE_BYTES
from tests.redteam.harness import HONEST, TOPIC, Attack, Context


def _honest() -> tuple[str, bytes]:
    return HONEST.module_file, impl.module_path(impl.SOLUTIONS, HONEST).read_bytes()


def _zip(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(*_honest())
        for info, data in entries:
            archive.writestr(info, data)
    return path


def _info(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = mode << 16
    return info


def zip_bomb(folder: Path, context: Context) -> Path:
    # A module entry that inflates to 64 MB of zeros: read up to the cap, then ignored.
    return _zip(folder / "zip_bomb.zip", [(TOPIC.module_file, b"#" * (64 << 20))])


def traversal(folder: Path, context: Context) -> Path:
    target = "../" * 12 + str(context.markers).lstrip("/") + "/traversal_" + TOPIC.module_file
    return _zip(folder / "traversal.zip", [(target, b"print('escaped')\n"),
                                           ("../" + TOPIC.module_file, b"x = 1\n")])


def absolute(folder: Path, context: Context) -> Path:
    return _zip(folder / "absolute.zip",
                [(str(context.markers / "absolute_marker") + "/" + TOPIC.module_file, b"x = 1\n")])


def symlink(folder: Path, context: Context) -> Path:
    return _zip(folder / "symlink.zip",
                [(_info(TOPIC.module_file, stat.S_IFLNK | 0o777), b"/etc/passwd")])


def device_file(folder: Path, context: Context) -> Path:
    return _zip(folder / "device.zip",
                [(_info(TOPIC.module_file, stat.S_IFCHR | 0o666), b"")])


def huge_module_folder(folder: Path, context: Context) -> Path:
    # A 4 GB sparse file named like the module: read up to the cap, then ignored.
    submission = folder / "huge_module"
    submission.mkdir()
    name, data = _honest()
    (submission / name).write_bytes(data)
    with (submission / TOPIC.module_file).open("wb") as handle:
        handle.truncate(4 << 30)
    return submission


def oversized_archive(folder: Path, context: Context) -> Path:
    path = folder / "oversized.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(*_honest())
        archive.writestr("padding.bin", os.urandom(MAX_ARCHIVE_BYTES + 1))
    return path


def non_utf8_names(folder: Path, context: Context) -> Path:
    # zipfile writes only ASCII or UTF-8 names: write placeholders of the same length, then put
    # raw Latin-1 bytes and control characters in their place (local header and central directory).
    path = _zip(folder / "non_utf8.zip", [("rXgularization.py", b"x = 1\n"),
                                          ("ZZZZZZZZ.py", b"x = 1\n")])
    data = path.read_bytes().replace(b"rXgularization.py", b"r\xe9gularization.py")
    path.write_bytes(data.replace(b"ZZZZZZZZ.py", b"\x1b[31m\x07\xff\xfe.py"))
    return path


def not_a_zip(folder: Path, context: Context) -> Path:
    path = folder / "not_a_zip.zip"
    path.write_bytes(os.urandom(4096))
    return path


def too_many_entries(folder: Path, context: Context) -> Path:
    return _zip(folder / "too_many.zip",
                [(f"f{i}.txt", b"") for i in range(MAX_ENTRIES + 1)])


def wrong_names(folder: Path, context: Context) -> Path:
    submission = folder / "wrong_names"
    submission.mkdir()
    name, data = _honest()
    (submission / name).write_bytes(data)
    source = impl.module_path(impl.SOLUTIONS, TOPIC).read_text()
    for wrong in ("Regularization.py", "regularisation.py", "regularization.py.txt"):
        (submission / wrong).write_text(source)
    return submission


ARCHIVES = [
    (32, "zip bomb: a module entry inflating far past the size cap", zip_bomb,
     {"zero": "all", "ignored": [f"larger than {MAX_MODULE_BYTES >> 10} KB"]}),
    (32, "path traversal: ../ entries, one aimed at the marker folder", traversal,
     {"zero": "all", "ignored": ["leaves the archive"]}),
    (32, "absolute path aimed at the marker folder", absolute,
     {"zero": "all", "ignored": ["absolute path"]}),
    (32, "symlink entry named like the module, pointing at /etc/passwd", symlink,
     {"zero": "all", "ignored": ["a link or special file"]}),
    (32, "character-device entry named like the module", device_file,
     {"zero": "all", "ignored": ["a link or special file"]}),
    (32, "huge file: a 4 GB sparse module in a folder submission", huge_module_folder,
     {"zero": "all", "ignored": [f"larger than {MAX_MODULE_BYTES >> 10} KB"]}),
    (32, "huge archive: over the archive size limit", oversized_archive, {"rejected": True}),
    (32, "non-UTF-8 and control-character entry names", non_utf8_names,
     {"zero": "all", "ignored": ["not a topic module"]}),
    (32, "not a zip at all", not_a_zip, {"rejected": True}),
    (32, "too many entries", too_many_entries, {"rejected": True}),
    (33, "wrong file names: Regularization.py, regularisation.py, regularization.py.txt",
     wrong_names, {"zero": "all", "ignored": ["regularisation.py: not a topic module"]}),
]


def archive_attacks() -> list[Attack]:
    return [Attack(f"r{row}_{build.__name__}", row, title, expect,
                   lambda folder, context, build=build: build(folder, context))
            for row, title, build, expect in ARCHIVES]

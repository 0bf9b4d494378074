"""Take the topic modules out of a submission (a .zip or a folder) into a fresh staging folder,
safely (docs/attacks.md, rows 32-33).

Only files named exactly like a topic module (`regularization.py`, ...) are taken, at any depth
(the shallowest wins); everything else is listed as ignored with the reason. Nothing is extracted
by path: accepted files are read (up to a size cap, whatever the archive claims) and written under
their module name. Links, device files, paths leaving the archive, absolute paths, encrypted
entries and oversized files are refused. An archive over the entry or size limits, or one that is
not a zip at all, is rejected as a whole with a message; the grading of other submissions goes on.
"""

from __future__ import annotations

import os
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from autograder.course import TOPICS

MAX_ARCHIVE_BYTES = 50 << 20  # the .zip file itself
MAX_ENTRIES = 1000  # entries in a zip, files in a folder
MAX_MODULE_BYTES = 1 << 20  # one accepted module, uncompressed
MAX_DEPTH = 8  # folders below the top
MODULE_FILES = {topic.module_file: topic.name for topic in TOPICS.values()}
# Written beside the modules by `make submit` (autograder/release.py): expected, so not listed as
# ignored; a manifest.json deeper down is listed like any other file.
MANIFEST = "manifest.json"


class RejectedSubmission(Exception):
    """The archive as a whole cannot be graded (not a zip, too big, too many entries)."""


@dataclass
class Staged:
    folder: Path
    modules: list[str] = field(default_factory=list)  # module file names taken
    ignored: list[str] = field(default_factory=list)  # "name: reason", names ascii-escaped


def stage(source: Path, folder: Path) -> Staged:
    """Copy the topic modules of `source` into `folder` (created, readable by the sandbox)."""
    folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    folder.chmod(0o755)
    staged = Staged(folder)
    if source.is_dir() and not source.is_symlink():
        candidates = _folder_entries(source, staged)
    elif source.is_file() and source.suffix.lower() == ".zip":
        candidates = _zip_entries(source, staged)
    elif source.is_file() and source.name in MODULE_FILES:
        candidates = [(source.name, lambda s=source: _read_capped(s.open("rb")))]
    else:
        raise RejectedSubmission(f"{source.name}: a submission is a .zip archive or a folder of "
                                 f"topic modules ({', '.join(sorted(MODULE_FILES))})")
    taken: dict[str, int] = {}
    for name, read in sorted(candidates, key=lambda c: (c[0].count("/"), c[0])):
        base = name.rsplit("/", 1)[-1]
        if base == MANIFEST and name.count("/") <= 1:
            continue
        if base not in MODULE_FILES:
            staged.ignored.append(f"{_shown(name)}: not a topic module")
        elif base in taken:
            staged.ignored.append(f"{_shown(name)}: another {base} is nearer the top")
        else:
            try:
                data = read()
            except (OSError, EOFError, RuntimeError, NotImplementedError, ValueError,
                    zipfile.BadZipFile, zlib.error) as error:
                staged.ignored.append(f"{_shown(name)}: unreadable ({type(error).__name__})")
                continue
            if data is None:
                staged.ignored.append(f"{_shown(name)}: larger than {MAX_MODULE_BYTES >> 10} KB")
                continue
            target = folder / base
            target.write_bytes(data)
            target.chmod(0o644)
            taken[base] = 1
            staged.modules.append(base)
    return staged


def _zip_entries(path: Path, staged: Staged) -> list:
    if path.stat().st_size > MAX_ARCHIVE_BYTES:
        raise RejectedSubmission(f"{path.name}: the archive is larger than "
                                 f"{MAX_ARCHIVE_BYTES >> 20} MB")
    try:
        archive = zipfile.ZipFile(path)
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise RejectedSubmission(f"{path.name}: not a readable zip archive ({error})") from None
    if len(infos) > MAX_ENTRIES:
        raise RejectedSubmission(f"{path.name}: {len(infos)} entries, more than the "
                                 f"{MAX_ENTRIES} allowed")
    entries = []
    for info in infos:
        name = info.filename.replace("\\", "/")
        mode = info.external_attr >> 16
        reason = _unsafe(name)
        if info.is_dir():
            continue
        kind = stat.S_IFMT(mode)  # 0: the archiver recorded no type (a plain file)
        if reason is None and kind not in (0, stat.S_IFREG):
            reason = "a link or special file"
        if reason is None and info.flag_bits & 0x1:
            reason = "encrypted"
        if reason is None and info.file_size > MAX_MODULE_BYTES \
                and name.rsplit("/", 1)[-1] in MODULE_FILES:
            reason = f"larger than {MAX_MODULE_BYTES >> 10} KB"
        if reason:
            staged.ignored.append(f"{_shown(name)}: {reason}")
            continue
        entries.append((name, lambda i=info: _read_capped(archive.open(i))))
    return entries


def _folder_entries(root: Path, staged: Staged) -> list:
    entries: list = []
    for here, folders, files in os.walk(root, followlinks=False):
        depth = Path(here).relative_to(root).parts
        if len(depth) >= MAX_DEPTH:
            folders.clear()
        for name in files + [f for f in folders if (Path(here) / f).is_symlink()]:
            path = Path(here) / name
            relative = path.relative_to(root).as_posix()
            if len(entries) + len(staged.ignored) >= MAX_ENTRIES:
                raise RejectedSubmission(f"{root.name}: more than {MAX_ENTRIES} files")
            mode = path.lstat().st_mode
            if not stat.S_ISREG(mode):
                kind = "a symbolic link" if stat.S_ISLNK(mode) else "not a regular file"
                staged.ignored.append(f"{_shown(relative)}: {kind}")
                continue
            entries.append((relative, lambda p=path: _read_capped(p.open("rb"))))
    return entries


def _unsafe(name: str) -> str | None:
    path = PurePosixPath(name)
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "an absolute path"
    if ".." in path.parts:
        return "a path that leaves the archive"
    if len(path.parts) > MAX_DEPTH + 1:
        return "nested too deeply"
    return None


def _read_capped(stream) -> bytes | None:
    """At most MAX_MODULE_BYTES, whatever the header claimed (a zip bomb stops here)."""
    with stream:
        data = stream.read(MAX_MODULE_BYTES + 1)
    return None if len(data) > MAX_MODULE_BYTES else data


def _shown(name: str) -> str:
    """A file name safe to print: non-ASCII and control characters escaped."""
    return ascii(name)[1:-1]

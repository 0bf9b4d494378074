"""`make demo`: build the bundled sample submissions and grade them all, as a grader would.

The samples are made from the pack itself, so they never drift from it: the reference solutions
(full marks), the stubs (zero), a partly correct one (each topic's first half of functions
implemented, the rest left as stubs), three mutants (a realistic mistake each), a malicious one
(`samples/malicious.py`: forges a results file, reads the hidden checks, exits early), an upload
without any topic module and one that is no zip at all. Each is a zip, as students hand them in;
a roster names their students (and one who handed in nothing), as an LMS exports it.
"""

from __future__ import annotations

import ast
import zipfile
from pathlib import Path

from autograder import impl
from autograder.course import ROOT, TOPICS

SAMPLES = Path(__file__).with_name("samples")
DEFAULT_OUT = ROOT / "demo-output"


def build_samples(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    topics = list(TOPICS.values())
    built = [
        _zip(folder / "reference.zip", {t.module_file: _source(impl.SOLUTIONS, t) for t in topics}),
        _zip(folder / "stubs.zip", {t.module_file: _source(impl.EXERCISES, t) for t in topics}),
        _zip(folder / "partly_correct.zip", {t.module_file: _half(t) for t in topics}),
    ]
    for topic in topics:
        for mutant in topic.mutants()[:3]:
            files = {t.module_file: _source(impl.SOLUTIONS, t) for t in topics}
            files[topic.module_file] = impl.mutant_source(mutant, topic)
            built.append(_zip(folder / f"mutant_{mutant.stem}.zip", files))
        break  # three mutants are enough for a demo
    malicious = {t.module_file: _source(impl.SOLUTIONS, t) for t in topics}
    last = topics[-1]
    malicious[last.module_file] = (SAMPLES / "malicious.py").read_text()
    built.append(_zip(folder / "malicious.zip", malicious))
    # What a cohort also holds: an upload without any topic module, and one that is no zip.
    built.append(_zip(folder / "empty.zip", {"README.txt": "I will hand it in next week.\n"}))
    (folder / "corrupt.zip").write_bytes(b"PK\x03\x04 this upload was cut short")
    built.append(folder / "corrupt.zip")
    return built


STUDENTS = ("Ada Lovelace", "Alan Turing", "Grace Hopper", "Kurt Goedel", "Emmy Noether",
            "John von Neumann", "Katherine Johnson", "Claude Shannon", "Hedy Lamarr",
            "Edsger Dijkstra", "Barbara Liskov")


def write_roster(samples: list[Path], path: Path) -> Path:
    """A roster for the samples, as an LMS exports it (student_id, name, email and the
    submission's file name), with one more student who submitted nothing."""
    names = [s.name for s in samples] + ["never_submitted.zip"]
    lines = ["student_id,name,email,submission"]
    for number, (student, submission) in enumerate(zip(STUDENTS, names, strict=False), 1):
        login = student.lower().split()[-1]
        lines.append(f"s{number:03d},{student},{login}@uni.example,{submission}")
    path.write_text("\n".join(lines) + "\n")
    return path


def _source(folder: Path, topic) -> str:
    return impl.module_path(folder, topic).read_text()


def _half(topic) -> str:
    """The reference with the second half of its graded functions and classes replaced by the
    stub's versions (appended, so they take the reference's names)."""
    stub = _source(impl.EXERCISES, topic)
    tree = ast.parse(stub)
    public = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))
              and not n.name.startswith("_")]
    lines = stub.splitlines()
    tail = public[len(public) // 2:]
    pieces = ["\n".join(lines[n.lineno - 1 - len(n.decorator_list):n.end_lineno]) for n in tail]
    return _source(impl.SOLUTIONS, topic) + "\n\n# ---- not done yet ----\n" + "\n\n".join(pieces)


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(f"submission/{name}", text)
    return path

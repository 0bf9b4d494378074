"""The committed verdicts on surviving mutants: each topic's
`autograder/topics/<topic>/hidden/mutants/survivors.toml`.

A mutant no check kills is either killed by a new or sharper check, or given a verdict here:

    [[verdict]]
    kind = "equivalent"   # no input tells it from the reference (say why, for every input)
    reason = "..."
    mutants = [
        'mse_loss.10  `"pred"` -> `"XXpredXX"`',
    ]

`kind` is one of KINDS. Each mutant is written as the report prints it (its id, two spaces, its
change), so a verdict goes stale, and the suite says so, when the solution changes under it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from autograder.course import Topic
from autograder.mutation.generate import Mutant

KINDS = {
    "equivalent": "no input can tell it from the reference (the reason holds for every input)",
    "message": "it changes only the words of an error message (a name the message quotes, say): "
               "the docstrings promise the exception's type, which the checks test",
    "out-of-spec": "it changes only what the docstring leaves open (the reason quotes the line)",
    "cuda-only": "it changes only what runs on a CUDA device; the named CUDA check kills it "
                 "where one runs (`make gpu-check`), never on a CPU-only machine",
}

EXCLUDED = ("equivalent", "message")  # left out of the kill rate's denominator (report.py)


@dataclass(frozen=True)
class Verdict:
    kind: str
    reason: str


def label(mutant: Mutant) -> str:
    return f"{mutant.id}  {mutant.change}"


def path(topic: Topic) -> Path:
    return topic.mutants_dir / "survivors.toml"


def load(topic: Topic) -> dict[str, Verdict]:
    """Mutant label -> its verdict."""
    file = path(topic)
    if not file.exists():
        return {}
    verdicts = {}
    for entry in tomllib.loads(file.read_text(encoding="utf-8")).get("verdict", []):
        if entry.get("kind") not in KINDS or not entry.get("reason", "").strip():
            raise ValueError(f"{file}: every [[verdict]] needs a kind ({', '.join(KINDS)}) and "
                             f"a reason; got {entry!r}")
        for mutant in entry.get("mutants", []):
            verdicts[mutant] = Verdict(entry["kind"], entry["reason"].strip())
    return verdicts


def toml_line(mutant: Mutant) -> str:
    """The mutant as a line of a verdict's `mutants` list."""
    text = label(mutant)
    return f"    '{text}'," if "'" not in text else f"    {_basic(text)},"


def _basic(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

"""A generated cohort of submissions for the throughput figure: what a real hand-in folder holds.

Zips as `make submit` writes them (`submission/<module>.py`), made from the pack itself so they
never drift from it: reference solutions, untouched stubs, one realistic mistake each (a mutant
patched over the reference, as `impl.mutant_source`), partial hand-ins with modules missing, a
file that is not a zip and a zip whose module does not parse.
"""

from __future__ import annotations

import random
from pathlib import Path

from autograder import impl, release
from autograder.course import TOPICS, Topic

# 40 submissions. Mutants are the largest share: most students get most things nearly right.
COHORT_MIX = {"reference": 10, "stubs": 6, "mutant": 14, "partial": 8, "not_a_zip": 1,
              "syntax_error": 1}
QUICK_MIX = {"reference": 2, "stubs": 1, "mutant": 2, "partial": 2, "not_a_zip": 1,
             "syntax_error": 1}


def module_sources(folder: Path) -> dict[str, str]:
    """Every topic's module file name and source from a folder of implementations."""
    return {t.module_file: impl.module_path(folder, t).read_text(encoding="utf-8")
            for t in TOPICS.values()}


def write_zip(path: Path, files: dict[str, str]) -> Path:
    """A submission zip as `make submit` lays it out: submission/<module>.py."""
    return release.write_zip(path, {f"submission/{name}": text.encode()
                                    for name, text in files.items()})


def build_cohort(folder: Path, mix: dict[str, int] | None = None,
                 mutant_topics: list[Topic] | None = None, seed: int = 0) -> dict[str, list[Path]]:
    """Write the cohort's files into `folder`; return them by kind. Mutants are drawn from
    `mutant_topics` (default: all), so a benchmark graded on a few topics sees its mistakes."""
    mix = COHORT_MIX if mix is None else mix
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    reference, stubs = module_sources(impl.SOLUTIONS), module_sources(impl.EXERCISES)
    mutants = [(topic, path) for topic in (mutant_topics or list(TOPICS.values()))
               for path in topic.mutants()]
    made: dict[str, list[Path]] = {kind: [] for kind in mix}

    def add(kind: str, files: dict[str, str]) -> None:
        made[kind].append(write_zip(folder / f"{kind}_{len(made[kind]):02d}.zip", files))

    for _ in range(mix.get("reference", 0)):
        add("reference", reference)
    for _ in range(mix.get("stubs", 0)):
        add("stubs", stubs)
    count = mix.get("mutant", 0)
    chosen = rng.sample(mutants, count) if count <= len(mutants) else rng.choices(mutants, k=count)
    for topic, path in chosen:
        add("mutant", reference | {topic.module_file: impl.mutant_source(path, topic)})
    modules = sorted(reference)
    for _ in range(mix.get("partial", 0)):
        kept = rng.sample(modules, rng.randint(3, len(modules) - 1))
        add("partial", {name: reference[name] for name in modules if name in kept})
    for _ in range(mix.get("not_a_zip", 0)):
        path = folder / f"not_a_zip_{len(made['not_a_zip']):02d}.zip"
        path.write_bytes(b"%PDF-1.4 a report handed in instead of the code\n")
        made["not_a_zip"].append(path)
    broken = (mutant_topics or list(TOPICS.values()))[0].module_file
    for _ in range(mix.get("syntax_error", 0)):
        add("syntax_error", reference | {broken: reference[broken] + "\ndef unfinished(:\n"})
    return made

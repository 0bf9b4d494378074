"""`python -m autograder.otter_zip build` (`make autograder`): an otter-grader 7 autograder zip that
grades through our engine, with `otter run` and on Gradescope.

What otter does with it: unzip it into <autograder>/source, copy source/files/* into the submission
folder and source/tests into submission/tests, execute the one notebook there in a Jupyter kernel,
then run the OK tests against the notebook's globals. Our notebook (files/nnf_grade.ipynb, from
otter_files/nnf_grade.py) never imports student code: it runs `python -m autograder grade` from the
grader tree at the zip's root, and each OK test case prints the engine's verdict on one check, so
otter's score is the engine's score.

Layout: what `otter generate` writes (otter_config.json, setup.sh, environment.yml with our pinned
requirements, tests/, files/), our run_autograder and run_otter.py instead of otter's (no mamba at
grading time; the upload is moved out of the kernel's folder; Gradescope is handed the engine's
own results.json), nnf_otter.json, requirements.txt and the grader tree `nnf-pack/` with the
expected data computed at build time (`build/expected/`, autograder.expected_cache). The grader
tree is not under files/: otter copies files/ into the submission, where our engine would take
solutions/*.py for a student's missing topic modules.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import pprint
import shutil
import sys
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path

from autograder import expected_cache, impl
from autograder.config import DEFAULT_CONFIG, ConfigError, GradingConfig, load_config
from autograder.course import ROOT, Topic, select
from autograder.local import LocalRunner
from autograder.manifest import grader_files

DEFAULT_OUT = ROOT / "build" / "autograder.zip"
TEMPLATES = Path(__file__).with_name("otter_files")
GRADER = "nnf-pack"  # the grader tree's folder in the zip
UPLOAD = "nnf-upload"  # where run_otter.py moves a Gradescope upload
ENGINE_RESULTS = "nnf-results"  # the engine's own results, feedback and Gradescope results.json
ENTRY = "nnf_grade.ipynb"
# otter dill-loads a `.OTTER_LOG` found in the submission, in its own process, before grading:
# an empty one of ours replaces a student's (files/ are copied over the submission).
OTTER_LOG = ".OTTER_LOG"
PYTHON_VERSION = "3.11"  # pyproject's requires-python


@dataclass
class Built:
    path: Path
    topics: list[Topic]
    public: int
    hidden: int
    points: float
    cuda_left_out: int

    def summary(self) -> str:
        size = self.path.stat().st_size / 2**20
        cuda = f"; {self.cuda_left_out} CUDA checks left out (require_gpu = false)" \
            if self.cuda_left_out else ""
        return (f"{self.path} ({size:.1f} MB): {len(self.topics)} topics, "
                f"{self.public + self.hidden} checks ({self.public} public, {self.hidden} hidden), "
                f"{self.points:.2f} points{cuda}")


def ok_test(topic: Topic, checks: list) -> str:
    """One OK-format test file: a case per check, named after it, worth its points."""
    cases = [{"name": check.name, "code": f">>> nnf_check({check.id!r})\npass\n",
              "hidden": check.visibility == "hidden", "points": check.points}
             for check in checks]
    spec = {"name": f"{topic.number} {topic.name}", "points": None, "all_or_nothing": False,
            "suites": [{"type": "doctest", "scored": True, "setup": "", "teardown": "",
                        "cases": cases}]}
    return f"OK_FORMAT = True\n\ntest = {pprint.pformat(spec, width=100, sort_dicts=False)}\n"


def entry_notebook() -> str:
    import nbformat

    cell = nbformat.v4.new_code_cell((TEMPLATES / "nnf_grade.py").read_text())
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return nbformat.writes(notebook)


def requirements() -> str:
    """The pack's pinned dependencies; otter generate adds otter-grader[grading,plugins] itself."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return "\n".join(d for d in project["dependencies"] if not d.startswith("otter-grader")) + "\n"


def build(out: Path = DEFAULT_OUT, config_path: Path = DEFAULT_CONFIG,
          topics: list[Topic] | None = None) -> Built:
    import otter.generate

    config: GradingConfig = load_config(config_path)
    topics = topics or select(None)
    built = Built(Path(out), topics, 0, 0, 0.0, 0)
    with tempfile.TemporaryDirectory(prefix="nnf-otter-build-") as scratch:
        stage = Path(scratch)
        (stage / "tests").mkdir()
        for topic in topics:
            every = config.checks(topic)
            # Without require_gpu the engine reports CUDA checks as not run, outside the maximum.
            checks = [c for c in every if config.require_gpu or not c.needs_gpu]
            built.cuda_left_out += len(every) - len(checks)
            built.public += sum(c.visibility == "public" for c in checks)
            built.hidden += sum(c.visibility == "hidden" for c in checks)
            built.points += sum(c.points for c in checks)
            (stage / "tests" / f"{topic.number}-{topic.name}.py").write_text(ok_test(topic, checks))
            # Paid here once, not in every Gradescope container: the expected data.
            expected_cache.prepare(LocalRunner(impl.load(impl.SOLUTIONS, topic)), topic, every,
                                   [c for c in every if not c.needs_gpu])
        (stage / ENTRY).write_text(entry_notebook())
        (stage / OTTER_LOG).write_bytes(b"")
        (stage / "requirements.txt").write_text(requirements())
        (stage / "otter_config.json").write_text(json.dumps(
            # No summary: it compares against the empty .OTTER_LOG and prints "No score for ...
            # found in this log" per topic. Gradescope reads the engine's results (run_otter.py).
            {"lang": "python", "points_possible": round(built.points, 4),
             "print_summary": False}))
        with contextlib.chdir(stage):  # otter generate takes files relative to the working dir
            otter.generate.main(tests_dir="tests", output_path="otter.zip",
                                config="otter_config.json", requirements="requirements.txt",
                                no_environment=True, python_version=PYTHON_VERSION,
                                files=[ENTRY, OTTER_LOG])
        # The chosen configuration under its own name, beside the repository's (one may extend
        # another, e.g. production.toml extends grading.toml).
        settings = {"grader": GRADER, "upload": UPLOAD, "engine_results": ENGINE_RESULTS,
                    "config": f"grading_config/{Path(config_path).name}",
                    "topics": [t.name for t in topics]}
        built.path.parent.mkdir(parents=True, exist_ok=True)
        partial = built.path.with_name(f".{built.path.name}.partial")
        with zipfile.ZipFile(stage / "otter.zip") as generated, \
                zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for info in generated.infolist():
                if info.filename not in ("run_autograder", "run_otter.py"):
                    archive.writestr(info.filename, generated.read(info))
            _write(archive, "run_autograder", (TEMPLATES / "run_autograder").read_bytes(), 0o755)
            _write(archive, "run_otter.py", (TEMPLATES / "run_otter.py").read_bytes())
            _write(archive, "nnf_otter.json", json.dumps(settings, indent=2).encode())
            _write(archive, "requirements.txt", requirements().encode())
            for relative in grader_files():
                if relative.as_posix() != settings["config"]:
                    archive.write(ROOT / relative, f"{GRADER}/{relative.as_posix()}")
            archive.write(config_path, f"{GRADER}/{settings['config']}")
            for topic in topics:
                cache = expected_cache.path_of(topic)
                archive.write(cache, f"{GRADER}/{cache.relative_to(ROOT).as_posix()}")
        shutil.move(partial, built.path)
    return built


def gradescope_layout(archive: Path, upload: Path, root: Path,
                      metadata: dict | None = None) -> Path:
    """Lay out `root` as Gradescope's /autograder before run_autograder: the autograder zip in
    source/, the upload (a .zip, extracted) in submission/, an empty results/, the
    submission_metadata.json; run_autograder copied to the root. Returns that script."""
    shutil.rmtree(root, ignore_errors=True)
    for sub in ("source", "submission", "results"):
        (root / sub).mkdir(parents=True)
    (root / "submission_metadata.json").write_text(json.dumps(metadata or {}))
    for folder, source in (("source", archive), ("submission", upload)):
        with zipfile.ZipFile(source) as opened:
            opened.extractall(root / folder)
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    return root / "run_autograder"


def _write(archive: zipfile.ZipFile, name: str, data: bytes, mode: int = 0o644) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.external_attr = (0o100000 | mode) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.otter_zip", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("build", help="write the otter-grader autograder zip")
    command.add_argument("--out", type=Path, default=DEFAULT_OUT)
    command.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    command.add_argument("--topics", help="comma-separated topic names (default: all)")
    args = parser.parse_args(argv)
    topics = select(args.topics.split(",") if args.topics else None)
    try:
        print(build(args.out, args.config, topics).summary())
    except ConfigError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

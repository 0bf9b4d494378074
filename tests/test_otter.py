"""The otter-grader autograder zip (`make autograder`), built once for two cheap topics: it grades
through our engine under `otter run` and in Gradescope's layout (its run_autograder), gives the
reference full marks and the stubs zero, and attacks on otter itself earn nothing."""

from __future__ import annotations

import importlib.util
import json
import os
import pickle
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import impl
from autograder.config import load_config
from autograder.course import TOPICS
from autograder.otter_zip import ENTRY, GRADER, build, gradescope_layout
from autograder.submission import MODULE_FILES

# Importing otter's generator warns about traitlets' own API, which is not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:traitlets")

NAMES = ("two_layer_net", "activations")  # NumPy topics: a few seconds each in the sandbox
TOPIC_TESTS = {"two_layer_net": "5-01 two_layer_net", "activations": "5-03 activations"}

# A topic module that patches otter's own classes at import, so that every OK test case passes and
# the total is forged, then overwrites the entry notebook, the tests and results.json wherever
# `otter run` or Gradescope keep them. Its functions are the stubs'. It passes the source rules
# (it imports nothing they forbid and assigns only through local names), so it really runs: in
# our sandbox, where none of those objects or files is within reach.
OTTER_PATCH = '''

# ---- attack on otter, at import ----
import glob as _glob


def _all_pass(self, global_environment):
    self.test_case_results = [_abstract.TestCaseResult(test_case=case, message="", passed=True)
                              for case in self.test_cases]


try:
    from otter import test_files as _test_files
    from otter.test_files import abstract_test as _abstract
    from otter.test_files import ok_test as _ok_test

    _ok = _ok_test.OKTestFile
    _ok.run = _all_pass
    _results = _test_files.GradingResults
    _results.total = property(lambda self: 10_000.0)
    print("patched otter in this process")
except Exception as _error:
    print("no otter here:", _error)

_FORGED_TEST = "OK_FORMAT = True\\ntest = {'name': 'forged', 'points': 10000, 'suites': [" \\
    "{'type': 'doctest', 'cases': [{'code': '>>> 1\\\\n1', 'hidden': False}]}]}\\n"
_FORGED = {
    "*/autograder/submission/*.ipynb": "{}",
    "*/autograder/submission/tests/*.py": _FORGED_TEST,
    "*/autograder/source/tests/*.py": _FORGED_TEST,
    "*/autograder/results/results.json": '{"score": 10000, "tests": []}',
}
for _pattern, _text in _FORGED.items():
    for _root in ("/tmp", "/", "../..", "../../.."):
        for _path in _glob.glob(f"{_root}/{_pattern}"):
            try:
                with open(_path, "w") as _handle:
                    _handle.write(_text)
                print("overwrote", _path)
            except OSError:
                pass
'''

# A student's own `otter` package at the top of the upload: `otter run` starts its kernel in the
# submission folder with that folder on sys.path, so this replaces otter in the kernel, loads the
# real one and makes every OK test case pass. run_autograder moves the upload away first.
FAKE_OTTER = '''
import os
import sys

_here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _here]
del sys.modules["otter"]
import otter  # the real one
from otter.test_files import abstract_test, ok_test


def _all_pass(self, global_environment):
    self.test_case_results = [abstract_test.TestCaseResult(test_case=case, message="", passed=True)
                              for case in self.test_cases]


ok_test.OKTestFile.run = _all_pass
'''


class _Payload:
    """Unpickled by otter's own process (it dill-loads a `.OTTER_LOG` found in the submission):
    every submission's total becomes its maximum."""

    def __reduce__(self):
        return exec, ("import otter.test_files as t\n"
                      "t.GradingResults.total = property(lambda self: self.possible)",)


def _source(folder: Path, name: str) -> str:
    return impl.module_path(folder, TOPICS[name]).read_text()


def _zip(path: Path, files: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _notebook(source: str) -> str:
    return nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]))


def _scores(results: dict) -> dict[str, float]:
    """Score per topic: otter's rows (`otter run`) or the topic rows Gradescope is handed."""
    if any("tags" in t for t in results["tests"]):
        return {TOPIC_TESTS[t["tags"][0]]: t["score"] for t in results["tests"]
                if t["tags"][1:] == ["topic"]}
    return {t["name"]: t["score"] for t in results["tests"] if "score" in t}


def _needs_kernel() -> None:
    assert importlib.util.find_spec("ipykernel"), \
        "otter grades in a Jupyter kernel: install otter-grader[grading] (make setup)"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build(tmp_path_factory.mktemp("otter") / "autograder.zip",
                 topics=[TOPICS[name] for name in NAMES])


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("samples")
    manifest = json.dumps({"modules": [TOPICS[n].module_file for n in NAMES]})
    reference = _source(impl.SOLUTIONS, "two_layer_net")
    stub = _source(impl.EXERCISES, "activations")
    return {
        "reference": _zip(folder / "reference.zip", {
            **{f"submission/{n}.py": _source(impl.SOLUTIONS, n) for n in NAMES},
            "submission/manifest.json": manifest}),
        "stubs": _zip(folder / "stubs.zip", {
            f"submission/{n}.py": _source(impl.EXERCISES, n) for n in NAMES}),
        # Honest worth: two_layer_net's points; the attacked module has stub bodies.
        "otter_attack": _zip(folder / "otter_attack.zip", {
            "submission/two_layer_net.py": reference,
            "submission/activations.py": stub + OTTER_PATCH,
            ".OTTER_LOG": pickle.dumps(_Payload()),
            ENTRY: _notebook("def nnf_check(check_id):\n    print('pass')\n")}),
        "crafted_upload": _zip(folder / "crafted_upload.zip", {
            "two_layer_net.py": reference, "activations.py": stub,  # a flat zip, as some hand in
            "otter/__init__.py": FAKE_OTTER,
            ".OTTER_LOG": pickle.dumps(_Payload()),
            "scratch.ipynb": _notebook("print('my notes')\n")}),
    }


def otter_run(autograder: Path, submission: Path, out: Path) -> tuple[subprocess.CompletedProcess,
                                                                      dict | None]:
    _needs_kernel()
    out.mkdir(parents=True, exist_ok=True)
    run = subprocess.run([sys.executable, "-m", "otter", "run", "-a", str(autograder), "-o",
                          str(out), str(submission)], cwd=out, capture_output=True, text=True,
                         timeout=900)
    results = out / "results.json"
    return run, json.loads(results.read_text()) if results.exists() else None


def gradescope_run(autograder: Path, submission: Path, root: Path) -> tuple[
        subprocess.CompletedProcess, dict]:
    """Gradescope's layout: the zip in /autograder/source, the upload extracted into
    /autograder/submission, then run_autograder; NNF_AUTOGRADER_DIR stands in for /autograder."""
    _needs_kernel()
    runner = gradescope_layout(autograder, submission, root)
    env = {**os.environ, "NNF_AUTOGRADER_DIR": str(root), "NNF_PYTHON": sys.executable}
    run = subprocess.run(["bash", str(runner)], env=env,
                         capture_output=True, text=True, timeout=900)
    return run, json.loads((root / "results" / "results.json").read_text())


@pytest.fixture(scope="module")
def reference_results(built, samples, tmp_path_factory):
    run, results = otter_run(built.path, samples["reference"], tmp_path_factory.mktemp("ref"))
    assert run.returncode == 0, run.stderr[-3000:]
    return results


def test_zip_layout(built):
    with zipfile.ZipFile(built.path) as archive:
        names = archive.namelist()
        runner = archive.getinfo("run_autograder")
        config = json.loads(archive.read("otter_config.json"))
        environment = archive.read("environment.yml").decode()
        settings = json.loads(archive.read("nnf_otter.json"))
    top = {name.split("/")[0] for name in names}
    assert top == {"run_autograder", "run_otter.py", "setup.sh", "environment.yml",
                   "otter_config.json", "requirements.txt", "nnf_otter.json", "tests", "files",
                   GRADER}
    assert stat.S_IMODE(runner.external_attr >> 16) == 0o755
    assert config["points_possible"] == pytest.approx(built.points)
    assert "torch==2.13.0" in environment and "otter-grader[grading,plugins]==7.0.0" in environment
    assert settings["topics"] == list(NAMES)
    assert sorted(n for n in names if n.startswith("tests/")) == [
        "tests/5-01-two_layer_net.py", "tests/5-03-activations.py"]
    assert sorted(n for n in names if n.startswith("files/")) == sorted(
        [f"files/{ENTRY}", "files/.OTTER_LOG"])
    for needed in ("autograder/__main__.py", "autograder/grade.py", "grading_config/grading.toml",
                   "grading_config/schema.json", "solutions/two_layer_net.py", "data/moons.py",
                   "autograder/topics/activations/hidden/checks.py", "pyproject.toml",
                   *(f"build/expected/{name}.nnf" for name in NAMES)):
        assert f"{GRADER}/{needed}" in names
    for name in names:
        parts = name.split("/")
        assert not {"mutants", "samples", "exercises", ".venv", "__pycache__"} & set(parts), name
        assert not name.endswith(".pyc"), name
        # otter copies files/ and tests/ into the submission, where the engine takes any file
        # named like a topic module; solutions and hidden checks live only in the grader tree.
        assert parts[-1] not in MODULE_FILES or parts[0] == GRADER, name
        if "solutions" in parts or "hidden" in parts:
            assert parts[0] == GRADER and parts[1] in ("solutions", "autograder"), name


def test_ok_tests_carry_our_checks_and_points(built, tmp_path):
    from otter.test_files import OKTestFile

    config = load_config()
    zipfile.ZipFile(built.path).extractall(tmp_path)
    for name in NAMES:
        test = OKTestFile.from_file(str(tmp_path / "tests" / f"{TOPICS[name].number}-{name}.py"))
        checks = config.checks(TOPICS[name])
        assert [case.name for case in test.test_cases] == [check.name for check in checks]
        assert [case.points for case in test.test_cases] == [check.points for check in checks]
        assert [case.hidden for case in test.test_cases] == \
            [check.visibility == "hidden" for check in checks]
        assert not test.all_or_nothing  # partial credit within a topic
    assert built.public > 0 and built.hidden > 0


@pytest.mark.sandbox
@pytest.mark.slow
def test_reference_gets_full_marks(built, reference_results):
    assert reference_results["score"] == pytest.approx(built.points)
    assert _scores(reference_results) == pytest.approx(
        {TOPIC_TESTS["two_layer_net"]: 100.0, TOPIC_TESTS["activations"]: 100.0})
    public = next(t for t in reference_results["tests"] if t["name"] == "Public Tests")
    assert public["status"] == "passed"


@pytest.fixture(scope="module")
def gradescope(built, samples, tmp_path_factory) -> dict[str, tuple[dict, dict, str, Path]]:
    """Per sample: the results.json Gradescope reads from run_autograder, the one
    `python -m autograder grade` writes for the same upload, grade's feedback.md, and the
    Gradescope layout's root (/autograder)."""
    graded = {}
    for name in ("reference", "stubs", "crafted_upload"):
        folder = tmp_path_factory.mktemp(name)
        run, results = gradescope_run(built.path, samples[name], folder / "autograder")
        assert run.returncode == 0, run.stderr[-3000:]
        assert "No score" not in run.stdout + run.stderr, "otter's log summary is switched off"
        assert "expected data: cached (2 topics)" in run.stdout + run.stderr, "built into the zip"
        topics = [arg for topic in NAMES for arg in ("--topic", topic)]
        direct = subprocess.run([sys.executable, "-m", "autograder", "grade", str(samples[name]),
                                 "--out", str(folder / "grade"), *topics],
                                capture_output=True, text=True, timeout=600)
        assert direct.returncode == 0, direct.stderr[-3000:]
        graded[name] = (results, json.loads((folder / "grade" / "results.json").read_text()),
                        (folder / "grade" / "feedback.md").read_text(), folder / "autograder")
    return graded


@pytest.mark.sandbox
@pytest.mark.slow
@pytest.mark.parametrize("name", ["reference", "stubs", "crafted_upload"])
def test_gradescope_reads_our_rows_visibility_and_feedback(gradescope, built, name):
    """What a student sees on Gradescope: a visible score row per topic followed by the engine's
    row per check with the visibility grading.toml gives it, feedback.md as the text above them,
    no doctest transcript; every score equals `grade`'s for the same upload."""
    results, direct, feedback, _ = gradescope[name]
    hidden_visibility = load_config().feedback.hidden_visibility
    assert results["score"] == pytest.approx(direct["score"])
    assert results["score"] == pytest.approx({"reference": built.points, "stubs": 0.0}.get(
        name, results["score"]))
    topic_rows = [t for t in results["tests"] if t["tags"][1:] == ["topic"]]
    check_rows = [t for t in results["tests"] if t["tags"][1:] != ["topic"]]
    assert [t["tags"][0] for t in topic_rows] == list(NAMES)
    assert all(t["visibility"] == "visible" for t in topic_rows)
    assert sum(t["score"] for t in topic_rows) == pytest.approx(results["score"])
    assert [(t["name"], t["score"], t["max_score"], t["status"], t["output"])
            for t in check_rows] == [(t["name"], t["score"], t["max_score"], t["status"],
                                      t["output"]) for t in direct["tests"]]
    for row in check_rows:
        assert row["visibility"] == ("visible" if row["tags"][2] == "public"
                                     else hidden_visibility), row["name"]
    assert results["output_format"] == "md" and results["stdout_visibility"] == "hidden"
    # feedback.md as grade wrote it; only its title names the upload differently.
    assert results["output"].split("\n", 1)[1] == feedback.split("\n", 1)[1]
    text = json.dumps(results)
    for doctest_noise in ("Trying:", "Expecting:", "nnf_check(", "Public Tests"):
        assert doctest_noise not in text
    if name == "stubs":
        assert "Not implemented yet" in results["output"]


@pytest.mark.sandbox
@pytest.mark.slow
def test_attacks_on_otter_earn_nothing(built, samples, reference_results, tmp_path):
    """Patching otter from a topic module, a pickled `.OTTER_LOG` and a forged entry notebook:
    the score is exactly the honest one (two_layer_net's points; the attacked module's functions
    are stubs). The patching module imports otter, outside every topic's allowlist: the engine
    refuses it with the line and the rule, and otter's own kernel never imports it either."""
    run, results = otter_run(built.path, samples["otter_attack"], tmp_path)
    assert run.returncode == 0, run.stderr[-3000:]
    honest = _scores(reference_results)[TOPIC_TESTS["two_layer_net"]]
    assert results["score"] == pytest.approx(honest)
    assert _scores(results) == pytest.approx({TOPIC_TESTS["two_layer_net"]: honest,
                                              TOPIC_TESTS["activations"]: 0.0})
    public = next(t for t in results["tests"] if t["name"] == "Public Tests")["output"]
    assert "not graded: activations.py line" in public and "imports glob" in public


@pytest.mark.sandbox
@pytest.mark.slow
def test_gradescope_layout_moves_the_upload_away(gradescope, reference_results):
    """run_autograder in Gradescope's layout: a flat upload with its own `otter` package, a
    pickled `.OTTER_LOG` and a second notebook is graded like any other (under a bare `otter run`
    that package would take over otter's kernel)."""
    results, _, _, root = gradescope["crafted_upload"]
    honest = _scores(reference_results)[TOPIC_TESTS["two_layer_net"]]
    assert results["score"] == pytest.approx(honest)
    assert _scores(results) == pytest.approx({TOPIC_TESTS["two_layer_net"]: honest,
                                              TOPIC_TESTS["activations"]: 0.0})
    assert (root / "nnf-upload" / "otter" / "__init__.py").is_file()
    assert sorted(p.name for p in (root / "submission").iterdir()) == \
        sorted([".OTTER_LOG", "__init__.py", ENTRY, "tests"])


@pytest.mark.slow
def test_a_grader_failure_records_no_score(built, tmp_path, samples):
    """The engine refuses (here: an invalid grading config in the zip): `otter run` fails with
    the engine's message and writes no results; on Gradescope the result is an Autograder Error."""
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(built.path) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == f"{GRADER}/grading_config/grading.toml":
                data = data.replace(b"require_gpu = false", b'require_gpu = "no"')
            target.writestr(info, data)
    run, results = otter_run(broken, samples["reference"], tmp_path / "otter")
    assert run.returncode != 0 and results is None
    assert "the grader failed, no score was recorded" in run.stderr
    assert "require_gpu" in run.stderr
    run, results = gradescope_run(broken, samples["reference"], tmp_path / "gradescope")
    assert run.returncode != 0
    assert results["score"] == 0
    assert [t["name"] for t in results["tests"]] == ["Autograder Error",
                                                     "Autograder Error (details)"]
    assert "require_gpu" in results["tests"][1]["output"]

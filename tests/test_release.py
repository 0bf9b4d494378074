"""The student release (`make dist`) and the submission zip (`make submit`): what the release
holds and leaves out, that local mode works from it alone, and that the engine takes what
`submit` writes."""

from __future__ import annotations

import hashlib
import json
import platform
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from autograder import interface, release
from autograder.course import ROOT, TOPICS, TOPICS_DIR
from autograder.impl import EXERCISES, SOLUTIONS
from autograder.submission import stage
from tests.helpers import run_pytest_checks

TOP = "nnf-pack/"
MODULES = [t.module_file for t in TOPICS.values()]
# Grader-only modules: graded mode, verify, the demo and the tools that build things.
GRADER_ONLY = ["__main__", "runtime/child", "demo", "grade", "graded", "measure", "report",
               "sandbox/zygote", "sandbox/transport", "sandbox/leases", "sandbox/packing",
               "runtime/shipping", "stubgen", "submission", "verify"]


@pytest.fixture(scope="module")
def dist_zip(tmp_path_factory) -> Path:
    return release.dist(tmp_path_factory.mktemp("dist"))


@pytest.fixture(scope="module")
def shipped(dist_zip) -> dict[str, bytes]:
    """Release path (below the top folder) -> bytes."""
    with zipfile.ZipFile(dist_zip) as archive:
        assert all(name.startswith(TOP) for name in archive.namelist())
        return {name.removeprefix(TOP): archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def extracted(dist_zip, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("release")
    with zipfile.ZipFile(dist_zip) as archive:
        archive.extractall(folder)
    return folder / "nnf-pack"


def secret_files() -> list[Path]:
    """Everything that must never reach a student (empty files say nothing, so they are left out:
    an empty __init__.py ships too)."""
    found = [*SOLUTIONS.glob("*.py"), *TOPICS_DIR.glob("*/hidden/**/*"),
             *(ROOT / "autograder" / "samples").rglob("*"),
             *(ROOT / "grading_config").rglob("*"), *(ROOT / "tests").rglob("*.py")]
    return [p for p in found if p.is_file() and p.stat().st_size > 0]


def test_dist_is_named_by_version(dist_zip):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert dist_zip.name == f"nnf-pack-student-{version}.zip"


def test_dist_ships_no_solution_hidden_check_mutant_config_sample_or_test(shipped):
    assert not [name for name in shipped if release.under(name, release.SECRET)]
    assert not [name for name in shipped if "hidden" in name or "mutant" in name
                or "solution" in name or "sample" in name or "grading" in name]
    secrets = secret_files()
    assert len(secrets) > 150  # the check below looked at the real thing
    by_hash = {hashlib.sha256(p.read_bytes()).hexdigest(): p for p in secrets}
    leaked = [(name, by_hash[hashlib.sha256(data).hexdigest()]) for name, data in shipped.items()
              if hashlib.sha256(data).hexdigest() in by_hash]
    assert leaked == []


def test_dist_ships_every_exercise_guide_and_public_check_and_the_top_files(shipped):
    for topic in TOPICS.values():
        for name in (f"exercises/{topic.name}.py", f"exercises/{topic.name}.md"):
            assert shipped[name] == (ROOT / name).read_bytes(), name
        check = f"autograder/topics/{topic.name}/public.py"
        assert shipped[check] == (ROOT / check).read_bytes()
    for name in ("README.md", "Makefile", "pyproject.toml", "autograder/release.py",
                 "autograder/pytest_plugin.py", *(f"data/{p.name}" for p in
                                                  (ROOT / "data").glob("*.py"))):
        assert name in shipped, name
    assert shipped["README.md"] == (release.STUDENT / "README.md").read_bytes()
    assert shipped["Makefile"] == (release.STUDENT / "Makefile").read_bytes()


INTERFACE = interface.SHIPPED.as_posix()


def test_dist_ships_local_modes_import_closure_and_no_grader_module(shipped):
    code = {name for name in shipped if name.startswith("autograder/")} - {INTERFACE}
    assert code == {p for p in release.import_closure() if p.startswith("autograder/")}
    assert not [m for m in GRADER_ONLY if f"autograder/{m}.py" in shipped]
    # What local mode loads at run time (besides the checks): found through the closure.
    for module in ("runtime/check", "runtime/compare", "config", "impl", "local",
                   "runtime/oracles", "runtime/outcome", "runtime/plain", "runtime/probing",
                   "sandbox/rules", "course"):
        assert f"autograder/{module}.py" in shipped, module
    assert not [name for name in shipped if name.endswith((".json", ".toml"))
                and name not in ("pyproject.toml", INTERFACE)]
    # make submit's graded names and parameters, read from the solutions at build time.
    assert json.loads(shipped[INTERFACE]) == interface.expected()


def test_dist_is_byte_for_byte_reproducible(dist_zip, tmp_path):
    again = release.dist(tmp_path)
    assert again.read_bytes() == dist_zip.read_bytes()
    with zipfile.ZipFile(again) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {release.ZIP_TIME}


def test_student_pyproject_pins_the_main_dependencies_and_loads_the_plugin(shipped):
    main = tomllib.loads((ROOT / "pyproject.toml").read_text())
    student = tomllib.loads(shipped["pyproject.toml"].decode())
    assert student["project"]["dependencies"] == main["project"]["dependencies"]
    assert "torch==2.13.0,!=2.13.0+cpu" in student["project"]["dependencies"]
    assert not any("ruff" in d for d in student["project"]["dependencies"])
    assert "optional-dependencies" not in student["project"]
    assert student["project"]["version"] == main["project"]["version"]
    pytest_options = student["tool"]["pytest"]["ini_options"]
    assert pytest_options["addopts"][:2] == ["-p", "autograder.pytest_plugin"]
    assert pytest_options["pythonpath"] == ["."]


def test_student_makefile_and_readme_list_the_topics_in_order(shipped):
    makefile = shipped["Makefile"].decode()
    for target in ("help", "setup", "check", "submit", "data", "figures"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    listed = re.search(r"^TOPICS := (.*?)\n\n", makefile, re.M | re.S).group(1)
    assert listed.replace("\\", " ").split() == list(TOPICS)
    readme = shipped["README.md"].decode()
    rows = re.findall(r"^\| (5-\d\d) \| `(\w+)\.py` \|", readme, re.M)
    assert rows == [(t.number, t.name) for t in TOPICS.values()]
    for command in ("make setup", "make check TOPIC=", "make figures", "make submit"):
        assert command in readme, command
    assert "exercises/notebooks/" in readme


def test_release_alone_passes_a_solved_topic(extracted, tmp_path):
    copy = tmp_path / "nnf-pack"
    shutil.copytree(extracted, copy)
    shutil.copyfile(SOLUTIONS / "activations.py", copy / "exercises" / "activations.py")
    solved = run_pytest_checks("autograder/topics/activations/public.py", "--impl", "exercises",
                               cwd=copy)
    assert solved.returncode == 0, solved.stdout[-3000:]
    assert f"rootdir: {copy}" in solved.stdout and "configfile: pyproject.toml" in solved.stdout
    assert f"{len(TOPICS['activations'].checks('public'))} passed" in solved.stdout


def test_release_alone_fails_a_stub_with_not_implemented_lines(extracted):
    losses = TOPICS["losses"]
    stub = run_pytest_checks("autograder/topics/losses/public.py", "--impl", "exercises",
                             cwd=extracted)
    assert stub.returncode == 1
    assert f"rootdir: {extracted}" in stub.stdout
    for function in {c.function for c in losses.checks("public")}:
        assert re.search(rf"^NOT IMPLEMENTED {function}: losses\.{function}", stub.stdout,
                         re.M), function
    assert f"{len(losses.checks('public'))} failed" in stub.stdout
    assert "Traceback" not in stub.stdout


def submit(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "autograder.release", "submit", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def submitted(extracted, tmp_path_factory) -> Path:
    """`make submit` in the extracted release, on its stubs."""
    out = tmp_path_factory.mktemp("submit") / "submission.zip"
    done = submit(extracted, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "wrote" in done.stdout
    return out


def test_submit_writes_every_module_and_a_manifest_that_matches(submitted, extracted):
    with zipfile.ZipFile(submitted) as archive:
        names = sorted(archive.namelist())
        assert names == sorted([*(f"submission/{m}" for m in MODULES),
                                "submission/manifest.json"])
        manifest = json.loads(archive.read("submission/manifest.json"))
        entries = {m: archive.read(f"submission/{m}") for m in MODULES}
    assert sorted(manifest["files"]) == sorted(MODULES)
    for module, data in entries.items():
        assert data == (extracted / "exercises" / module).read_bytes()
        assert manifest["files"][module] == {"sha256": hashlib.sha256(data).hexdigest(),
                                             "size": len(data)}
    assert manifest["version"] == release.version()
    assert manifest["python"] == platform.python_version()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", manifest["created_utc"])


def test_engine_stages_all_ten_modules_of_a_submit_zip(submitted, tmp_path):
    staged = stage(submitted, tmp_path / "staged")
    assert sorted(staged.modules) == sorted(MODULES)
    for module in MODULES:
        assert (tmp_path / "staged" / module).read_bytes() == (EXERCISES / module).read_bytes()
    # Nothing but the manifest is set aside (and it is not a problem the student must fix).
    assert staged.ignored == []


def test_submit_refuses_missing_refused_and_unimportable_modules_and_writes_nothing(tmp_path):
    impl = tmp_path / "exercises"
    impl.mkdir()
    for module in MODULES:
        shutil.copyfile(EXERCISES / module, impl / module)
    (impl / "regularization.py").unlink()
    (impl / "two_layer_net.py").write_text("def mse(:\n")
    stub = (EXERCISES / "losses.py").read_text()
    (impl / "losses.py").write_text(stub.replace("def kl_div(", "def kl_divergence(").replace(
        "def huber_loss(pred: Tensor, target: Tensor, delta:",
        "def huber_loss(pred: Tensor, target: Tensor, d:"))
    (impl / "backprop.py").write_text("print('bye')\nraise SystemExit(0)\n")
    (impl / "activations.py").write_text("import os\nos._exit(0)\n")
    (impl / "perceptron_mlp.py").write_text("import numpy as np\nimport sys\n")
    (impl / "sgd_optimizers.py").write_text("while True:\n    pass\n")
    out = tmp_path / "out" / "submission.zip"
    done = submit(ROOT, "--impl", str(impl), "--out", str(out), "--timeout", "3")
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert lines[0] == f"{out} not written; fix these first:"
    problems: dict[str, list[str]] = {}
    for line in lines[1:]:
        problems.setdefault(re.match(r"  \S+/(\w+\.py) ", line).group(1), []).append(line)
    assert sorted(problems) == ["activations.py", "backprop.py", "losses.py",
                                "perceptron_mlp.py", "regularization.py", "sgd_optimizers.py",
                                "two_layer_net.py"]
    assert all(len(found) == 1 for name, found in problems.items() if name != "losses.py")
    problems |= {name: found[0] for name, found in problems.items() if name != "losses.py"}
    assert "missing" in problems["regularization.py"]
    assert "SyntaxError" in problems["two_layer_net.py"] \
        and "(line 1)" in problems["two_layer_net.py"]
    # A graded name renamed, a parameter renamed: one line each, with the stub's names.
    parameter, renamed = problems.pop("losses.py")  # in the stub's order
    assert "kl_div is missing; did you mean kl_divergence?" in renamed
    assert "huber_loss(pred, target, d=..., reduction=...): the stub's parameters are " \
           "(pred, target, delta=..., reduction=...)" in parameter
    assert "SystemExit" in problems["backprop.py"]
    # The source rules first: refused modules are named with the line and the rule, never run.
    assert "would not be graded: line 1: imports os" in problems["activations.py"]
    assert "would not be graded: line 2: imports sys" in problems["perceptron_mlp.py"]
    assert "took more than 3 s" in problems["sgd_optimizers.py"]
    assert all("hint: " in line for line in problems.values())
    assert not out.exists() and not list(out.parent.glob("*"))

"""`python -m autograder new-topic`, on a copy of the files it edits (the whole scaffolded topic is
proven by following CONTRIBUTING.md: stubs, pack rules and verify hold for it)."""

from __future__ import annotations

import ast
import shutil

import pytest

from autograder import contracts, impl
from autograder.course import ROOT
from autograder.scaffold import MUTANTS, ScaffoldError, new_topic

EDITED = ("autograder/course.py", "grading_config/grading.toml", "tests/test_figures.py",
          "autograder/student/Makefile", "autograder/student/README.md", "README.md")


@pytest.fixture
def root(tmp_path):
    for name in EDITED:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def test_a_new_topic_gets_every_file_and_is_registered_everywhere(root):
    written = new_topic("scaling", "Scaling arrays", "5-11", root=root, generate=False)
    names = {path.relative_to(root).as_posix() for path in written}
    folder = "autograder/topics/scaling"
    assert {"solutions/scaling.py", "exercises/scaling.md", f"{folder}/__init__.py",
            f"{folder}/public.py", f"{folder}/figures.py", f"{folder}/hidden/__init__.py",
            f"{folder}/hidden/checks.py"} <= names
    assert len([n for n in names if n.startswith(f"{folder}/hidden/mutants/")]) == len(MUTANTS)
    hidden = ast.parse((root / folder / "hidden/checks.py").read_text())
    table = next(ast.literal_eval(node.value) for node in hidden.body
                 if isinstance(node, ast.Assign)
                 and any(getattr(t, "id", "") == "CONTRACTS" for t in node.targets))
    broken = {contracts.mutant_contract(path) for path in written if "mutants" in path.parts}
    assert set(table["scale_shift"]) <= broken  # the contract rule's mutant per kind
    for path in written:
        if path.suffix == ".py":
            compile(path.read_text(), str(path), "exec")
        if "mutants" in path.parts:
            assert impl.mutant_caught_by(path)
    for name in EDITED:
        text = (root / name).read_text()
        assert "scaling" in text, name
        if name.endswith(".py"):
            ast.parse(text)
    assert 'Topic("5-11", "scaling"' in (root / "autograder/course.py").read_text()
    assert "[topics.scaling.points]\nscale_shift = 100" in (
        root / "grading_config/grading.toml").read_text()


@pytest.mark.parametrize(("module", "number", "says"), [
    ("regularization", "5-11", "exists already"),
    ("Scaling", "5-11", "lower-case Python identifier"),
    ("scaling", "5-10", "is taken"),
    ("scaling", "511", "like 5-11"),
])
def test_refuses_what_would_clash(root, module, number, says):
    with pytest.raises(ScaffoldError, match=says):
        new_topic(module, "A title", number, root=root, generate=False)
    topics = "autograder/course.py"
    assert (root / topics).read_text() == (ROOT / topics).read_text()  # nothing half-done

"""Rules every topic of the pack keeps (the issue's "Done when" for a topic), checked on the
declarations so a later topic cannot quietly fall short."""

from __future__ import annotations

import ast
import importlib
from collections import Counter

import pytest

from autograder import impl
from autograder.course import TOPICS
from autograder.runtime.compare import Close
from autograder.sandbox import rules

TOPIC_LIST = list(TOPICS.values())
# Edge cases every topic's hidden checks cover (matched in the check names); each topic lists its
# own as EDGE_CASES in its hidden checks.
EDGE_CASES = ("float32", "float64", "large", "noncontiguous", "batch_of_one")


def uses_torch(topic) -> bool:
    """Whether the topic's reference imports torch: NumPy-only topics have no CUDA checks."""
    source = (impl.SOLUTIONS / topic.module_file).read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import) and any(
                alias.name.split(".")[0] == "torch" for alias in node.names):
            return True
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "torch":
            return True
    return False


@pytest.mark.parametrize("topic", TOPIC_LIST, ids=lambda t: t.name)
def test_hidden_checks_at_least_twice_the_public_ones(topic):
    public, hidden = topic.checks("public"), topic.checks("hidden")
    assert public and len(hidden) >= 2 * len(public)


@pytest.mark.parametrize("topic", TOPIC_LIST, ids=lambda t: t.name)
def test_every_function_has_one_public_and_two_hidden_checks(topic):
    public = Counter(c.function for c in topic.checks("public"))
    hidden = Counter(c.function for c in topic.checks("hidden"))
    functions = set(public) | set(hidden)
    assert {f for f in functions if public[f] < 1} == set()
    assert {f for f in functions if hidden[f] < 2} == set()


@pytest.mark.parametrize("topic", TOPIC_LIST, ids=lambda t: t.name)
def test_every_public_stub_function_is_checked(topic):
    stub = impl.load(impl.EXERCISES, topic)
    graded = {c.function for c in topic.all_checks()}
    public_names = {name for name, value in vars(stub).items()
                    if callable(value) and not name.startswith("_")
                    and getattr(value, "__module__", None) == stub.__name__}
    assert public_names == graded


@pytest.mark.parametrize("topic", TOPIC_LIST, ids=lambda t: t.name)
def test_at_least_eight_mutants_each_with_a_docstring(topic):
    mutants = topic.mutants()
    assert len(mutants) >= 8
    for path in mutants:
        assert impl.mutant_caught_by(path), path
        assert impl.load_mutant(path, topic).__doc__ is not None or \
            path.read_text().lstrip().startswith('"""'), path


@pytest.mark.parametrize("topic", TOPIC_LIST, ids=lambda t: t.name)
def test_mutants_pass_the_source_rules_unless_they_use_the_library(topic):
    """A mutant the source rules refuse fails every check at once, so `verify` would count it as
    caught by whatever its CAUGHT_BY names: only a library-use mistake may be refused, and then
    it names the library-use checks."""
    library_use = [c.name for c in topic.all_checks() if c.library_use]  # CheckSet.library_use
    for path in topic.mutants():
        if rules.violations(impl.mutant_source(path, topic), topic):
            named = impl.mutant_caught_by(path)
            assert all(any(c == name or c.startswith(f"{name}[") for c in library_use)
                       for name in named), (
                f"{path.stem} is refused by the source rules (rules.violations): rewrite it so "
                "that only its mistake makes it fail, or name the library-use checks it breaks")


@pytest.mark.parametrize("topic", TOPIC_LIST, ids=lambda t: t.name)
def test_every_hidden_edge_case_kind_is_covered(topic):
    own = importlib.import_module(topic.check_module("hidden")).EDGE_CASES
    names = " ".join(c.name for c in topic.checks("hidden"))
    for kind in EDGE_CASES + own:
        assert kind in names, kind


@pytest.mark.parametrize("topic", TOPIC_LIST, ids=lambda t: t.name)
def test_every_tolerance_is_written_with_a_measurement(topic):
    """Each numeric tolerance's declaration line (or the named constant it uses) carries a
    `measured` comment."""
    for visibility in ("public", "hidden"):
        path = topic.check_file(visibility)
        for line in path.read_text().splitlines():
            if "Close(" in line and "=" in line.split("Close(")[0] and "EXACT" not in line:
                assert "measured" in line, f"{path}: {line.strip()}"


@pytest.mark.parametrize("topic", TOPIC_LIST, ids=lambda t: t.name)
def test_cuda_checks_exist_for_torch_functions(topic):
    cuda = [c for c in topic.all_checks() if c.needs_gpu]
    if not uses_torch(topic):  # a NumPy topic: there is nothing to run on a GPU
        assert cuda == []
        return
    assert cuda and all(c.visibility == "hidden" for c in cuda)
    # Each compares with a float64 CPU reference, except the speed checks (a ratio to a library
    # op measured in the same run).
    assert all(isinstance(c.compare, Close) or c.expect.kind != "nothing"
               or c.name.startswith(f"{c.function}.speed[") for c in cuda)


def test_topics_of_both_kinds_are_recognised():
    """The CUDA rule above tells torch topics from NumPy ones by the reference's imports."""
    assert uses_torch(TOPICS["regularization"]) and not uses_torch(TOPICS["activations"])


@pytest.mark.parametrize("topic", TOPIC_LIST, ids=lambda t: t.name)
def test_every_topic_has_a_guide_beside_its_stub(topic):
    """exercises/<module>.md: objectives, the TODO list in order, hints, how to check."""
    guide = (impl.EXERCISES / f"{topic.name}.md").read_text()
    for heading in ("## Objectives", "## The TODO list, in order", "## Hints"):
        assert heading in guide, f"{topic.name}.md has no '{heading}' section"
    assert f"make check TOPIC={topic.name}" in guide


@pytest.mark.parametrize("topic", TOPIC_LIST, ids=lambda t: t.name)
def test_check_files_define_no_pytest_tests(topic):
    """`make check` (public) and instructors (`pytest <hidden file> --impl ...`) run check files
    with pytest, which would also collect a probe or helper named test_* as a test of its own
    (and fail it at setup)."""
    for visibility in ("public", "hidden"):
        path = topic.check_file(visibility)
        names = [node.name for node in ast.parse(path.read_text()).body
                 if isinstance(node, ast.FunctionDef | ast.ClassDef)
                 and node.name.lower().startswith("test")]
        assert not names, f"{path}: rename {', '.join(names)}"


def test_the_runtime_imports_nothing_outside_itself():
    """What the sandbox may import is one package: every module of the jail's runtime (the
    runtime package, the public checks, the public dataset code) imports, at any depth and inside
    functions too, only the standard library, the libraries, and other modules of the runtime."""
    from autograder.manifest import runtime_files, runtime_modules

    inside = runtime_modules()
    outside = []
    for path in runtime_files():
        for node in ast.walk(ast.parse((impl.ROOT / path).read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
            for name in names:
                if name.split(".")[0] in ("autograder", "data", "solutions", "exercises") \
                        and name not in inside:
                    outside.append(f"{path}: {name}")
    assert not outside, outside
    assert {"autograder.runtime.child", "autograder.runtime.guard",
            "autograder.topics.regularization.public", "data.fixtures"} <= inside

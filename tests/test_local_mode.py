"""Local mode as students and instructors use it: `make check` output on stubs, solutions, a
broken submission and a wrong one."""

from __future__ import annotations

import re
import shutil

import pytest

from autograder.course import TOPICS
from autograder.impl import SOLUTIONS
from tests.helpers import run_pytest_checks

PUBLIC = "autograder/topics/regularization/public.py"
HIDDEN = "autograder/topics/regularization/hidden/checks.py"


def public_checks(topic) -> str:
    return f"autograder/topics/{topic.name}/public.py"


@pytest.mark.slow
@pytest.mark.parametrize("topic", list(TOPICS.values()), ids=lambda t: t.name)
def test_stubs_fail_with_one_clean_line_per_check(topic):
    result = run_pytest_checks(public_checks(topic))
    assert result.returncode == 1
    functions = {c.function for c in topic.checks("public")}
    for function in functions:
        assert re.search(rf"^NOT IMPLEMENTED {function}: {topic.name}\.{function}",
                         result.stdout, re.M), function
    assert "Traceback" not in result.stdout and "raise NotImplementedError" not in result.stdout
    assert f"{len(topic.checks('public'))} failed" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("topic", list(TOPICS.values()), ids=lambda t: t.name)
def test_solutions_pass_every_public_check(topic):
    result = run_pytest_checks(public_checks(topic), "--impl", "solutions")
    assert result.returncode == 0, result.stdout
    assert f"{len(topic.checks('public'))} passed" in result.stdout


@pytest.mark.slow
def test_cuda_checks_are_reported_not_run_with_their_count(regularization):
    import torch

    result = run_pytest_checks(HIDDEN, "--impl", "solutions")
    assert result.returncode == 0, result.stdout[-3000:]
    cuda = [c for c in regularization.checks("hidden") if c.needs_gpu]
    if torch.cuda.is_available():
        assert "NOT RUN" not in result.stdout
    else:
        assert f"{len(cuda)} check(s) need CUDA and were NOT RUN" in result.stdout
        assert f"{len(cuda)} skipped" in result.stdout
        assert all(f"not run: {c.id}" in result.stdout for c in cuda)


@pytest.mark.slow
@pytest.mark.parametrize("source, error, line", [
    ("def dropout(:\n", "SyntaxError: invalid syntax", 1),
    ("import numpy as np\n\nnp.ones(3).undefined\n", "AttributeError", 3)],
    ids=["syntax", "raises"])
def test_broken_submission_reports_the_import_error_once(tmp_path, source, error, line):
    """Once per topic, in full, with its line and a hint; the other checks in one line each,
    pointing at it; never the loader's internal module name."""
    (tmp_path / "regularization.py").write_text(source)
    result = run_pytest_checks(PUBLIC, "--impl", str(tmp_path))
    assert result.returncode == 1
    count = len(TOPICS["regularization"].checks("public"))
    assert f"{count} failed" in result.stdout
    # Counted at the start of a line: pytest's summary (not truncated where CI is set) repeats
    # each failure's first line after "FAILED <id> - ".
    reports = re.findall(rf"^IMPORT ERROR regularization.py: {error}.*\(line {line}\)\n.*\n"
                         "  hint: ", result.stdout, re.M)
    assert len(reports) == 1, result.stdout[-3000:]
    assert len(re.findall(r"^ERROR regularization\.\S+: not run, regularization.py could not "
                          "be imported", result.stdout, re.M)) == count - 1
    assert "Traceback" not in result.stdout and "_nnf_impl" not in result.stdout


@pytest.mark.slow
def test_a_renamed_function_is_named_with_a_guess(tmp_path):
    source = (SOLUTIONS / "losses.py").read_text()
    (tmp_path / "losses.py").write_text(source.replace("def kl_div(", "def kl_divergence("))
    result = run_pytest_checks(public_checks(TOPICS["losses"]), "--impl", str(tmp_path))
    assert result.returncode == 1 and "1 failed" in result.stdout
    assert "losses.py has no kl_div; did you mean kl_divergence?" in result.stdout
    assert "_nnf_impl" not in result.stdout


@pytest.mark.slow
def test_one_function_s_checks(tmp_path):
    """`--function` (make check FUNC=...): only that function's checks; an unknown name is a
    usage error with a guess."""
    losses = TOPICS["losses"]
    count = len([c for c in losses.checks("public") if c.function == "huber_loss"])
    for name in ("losses.huber_loss", "huber_loss"):
        result = run_pytest_checks(public_checks(losses), "--impl", "solutions", "--function",
                                   name)
        assert result.returncode == 0 and f"{count} passed" in result.stdout, result.stdout
    result = run_pytest_checks(public_checks(losses), "--function", "losses.hubber_loss")
    assert result.returncode == 4
    assert "no check is of 'losses.hubber_loss'; did you mean losses.huber_loss?" \
        in result.stderr


@pytest.mark.slow
def test_check_from_a_notebook_cell(capsys):
    from autograder.notebook import check

    assert check("losses.huber_loss", impl="solutions")
    assert "passed" in capsys.readouterr().out
    assert not check("losses.huber_loss")  # the stub
    assert "NOT IMPLEMENTED huber_loss" in capsys.readouterr().out
    with pytest.raises(ValueError, match="did you mean losses"):
        check("loses.huber_loss")


@pytest.mark.slow
def test_missing_module_is_named(tmp_path):
    result = run_pytest_checks(PUBLIC, "--impl", str(tmp_path))
    assert "must contain regularization.py" in result.stdout


@pytest.mark.slow
def test_wrong_answer_message_has_function_input_error_tolerance_and_hint(tmp_path,
                                                                          regularization):
    source = (SOLUTIONS / "regularization.py").read_text()
    source = source.replace("    y = (x - mean) / torch.sqrt(var + eps)\n"
                            "    if weight is not None:\n        y = y * weight\n"
                            "    if bias is not None:\n        y = y + bias\n"
                            "    return y\n\n\nclass EarlyStopping",
                            "    y = (x - mean) / torch.sqrt(var + eps) + 0.01\n"
                            "    return y * weight + bias\n\n\nclass EarlyStopping")
    assert "+ 0.01" in source
    (tmp_path / "regularization.py").write_text(source)
    result = run_pytest_checks(PUBLIC, "--impl", str(tmp_path))
    assert result.returncode == 1
    block = result.stdout.split("regularization.layer_norm.matches_F[float64] (public")[1]
    assert "input: x (8, 5, 6) torch.float64, normalized_shape (5, 6), affine" in block
    assert "y.values: max |error|" in block and "exceeds the tolerance (atol 1e-12" in block
    assert "hint: average over the last len(normalized_shape) dimensions" in block
    checks = regularization.checks("public")
    failing = sum(c.function == "layer_norm" for c in checks)  # every layer_norm check, no other
    assert f"{failing} failed, {len(checks) - failing} passed" in result.stdout


@pytest.mark.slow
def test_mutant_file_runs_as_a_patch_over_the_reference(tmp_path):
    mutant = "autograder/topics/regularization/hidden/mutants/layer_norm_wrong_axis.py"
    result = run_pytest_checks(HIDDEN, "--impl", mutant, "-k", "layer_norm")
    assert result.returncode == 1
    assert "FAILED regularization.layer_norm.noncontiguous_no_affine[float64]" in result.stdout


def test_release_without_solutions_still_runs_public_checks(tmp_path, regularization):
    """A student's copy has no solutions/ and no hidden checks: public checks need neither."""
    copy = tmp_path / "release"
    shutil.copytree(SOLUTIONS.parent, copy, ignore=shutil.ignore_patterns(
        ".venv", ".git", "solutions", "hidden", "mutants", "grading_config", "__pycache__"))
    result = run_pytest_checks(PUBLIC, cwd=copy)
    assert result.returncode == 1
    assert "NOT IMPLEMENTED dropout" in result.stdout \
        and f"{len(regularization.checks('public'))} failed" in result.stdout


def test_keyed_names_what_came_back_instead():
    from autograder.runtime.check import ProbeError
    from autograder.runtime.probing import keyed

    assert keyed({"a": 1, "b": 2}, ("a",), "f()") == {"a": 1, "b": 2}
    with pytest.raises(ProbeError, match=r"f\(\) returned list, expected a dict with keys"):
        keyed([1], ("a",), "f()")
    with pytest.raises(ProbeError, match=r"f\(\) returned a dict without \['b'\]"):
        keyed({"a": 1}, ("a", "b"), "f()")

"""`verify` itself: it must notice a mutant that is not caught, a CAUGHT_BY that names a public
check, and refuse to run without CUDA when the configuration requires a GPU."""

from __future__ import annotations

from autograder import __main__ as cli
from autograder import impl, local
from autograder.local import LocalRunner
from autograder.verify import verify_mutant


def hidden_names(config, topic):
    return {c.name for c in config.checks(topic) if c.visibility == "hidden"}


def test_mutant_identical_to_reference_is_reported(tmp_path, config, regularization):
    fake = tmp_path / "not_a_mistake.py"
    fake.write_text('"""Changes nothing."""\n\nCAUGHT_BY = ("dropout.p_one_zeroes_everything'
                    '[float64]",)\n')
    runner = LocalRunner(impl.load(impl.SOLUTIONS, regularization))
    row = verify_mutant(fake, regularization, config.checks(regularization),
                        hidden_names(config, regularization), runner)
    assert "dropout.p_one_zeroes_everything[float64] passed: the mutant was not caught" \
        in row.problems
    assert "no hidden check failed" in row.problems


def test_caught_by_must_name_hidden_checks(tmp_path, config, regularization):
    source = (impl.ROOT / "autograder/mutants/regularization/layer_norm_wrong_axis.py").read_text()
    fake = tmp_path / "public_only.py"
    fake.write_text(source.replace('CAUGHT_BY = ("layer_norm.noncontiguous_no_affine[float64]",',
                                   'CAUGHT_BY = ("layer_norm.matches_F[float64]",'))
    runner = LocalRunner(impl.load(impl.SOLUTIONS, regularization))
    row = verify_mutant(fake, regularization, config.checks(regularization),
                        hidden_names(config, regularization), runner)
    assert any("not a hidden check" in p for p in row.problems)


def test_require_gpu_without_cuda_refuses(tmp_path, monkeypatch, capsys):
    path = tmp_path / "gpu.toml"
    path.write_text((impl.ROOT / "grading_config/grading.toml").read_text()
                    .replace("require_gpu = false", "require_gpu = true"))
    monkeypatch.setattr(cli, "cuda_available", lambda: False)
    monkeypatch.setattr(local, "cuda_available", lambda: False)
    assert cli.main(["--config", str(path), "verify"]) == 2
    assert "require_gpu = true" in capsys.readouterr().err


def test_invalid_config_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "bad.toml"
    path.write_text("require_gpu = 'yes'\n")
    assert cli.main(["--config", str(path), "list"]) == 2
    assert "require_gpu: 'yes' is not of type 'boolean'" in capsys.readouterr().err

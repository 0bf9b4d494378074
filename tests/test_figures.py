"""`make figures`: from the reference, every listed figure is a real PNG, titled and labelled,
and the same bytes every time; from the stubs, none is drawn and one line per figure names the
function it waits for; an error in the student's code is one line and the other figures are
still drawn."""

from __future__ import annotations

import contextlib
import io
import re
import shutil
import signal
import subprocess
import sys
import zipfile
from types import SimpleNamespace

import matplotlib
import matplotlib.image
import numpy as np
import pytest
import torch

from autograder import figures, release
from autograder.course import TOPICS
from autograder.impl import EXERCISES, SOLUTIONS

# What issue 8 asks for, topic by topic (5-03: one figure per activation and its derivative).
EXPECTED = {
    "two_layer_net": ["decision_boundary.png", "loss_curve.png"],
    "perceptron_mlp": ["perceptron_gates.png", "init_scale.png"],
    "activations": ["sigmoid.png", "tanh.png", "relu.png", "leaky_relu.png", "elu.png",
                    "gelu.png", "gelu_tanh.png", "silu.png"],
    "losses": ["regression_losses.png", "classification_losses.png", "focal_vs_bce.png",
               "kl_divergence.png"],
    "autograd_engine": ["graph.png", "mlp_training.png"],
    "backprop": ["gradient_norms.png", "training_loss.png"],
    "torch_fundamentals": ["train_val_curves.png"],
    "sgd_optimizers": ["rosenbrock_paths.png", "quadratic_paths.png", "lr_sweep.png"],
    "adaptive_optimizers": ["schedules.png", "lr_finder.png", "adaptive_paths.png"],
    "regularization": ["dropout_gap.png", "early_stopping.png"],
}
N_FIGURES = sum(len(names) for names in EXPECTED.values())
# The topics whose figures train something or draw random numbers: drawn twice below.
RANDOM_TOPICS = ("two_layer_net", "backprop", "torch_fundamentals", "adaptive_optimizers",
                 "regularization")
NOTICE = re.compile(r"^not drawn: (\w+)/(\w+\.png) needs (\w+)\.([\w.]+) \(not implemented yet\)$")


def run_main(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = figures.main(list(args))
    return status, out.getvalue()


@pytest.fixture(scope="module")
def solutions_run(tmp_path_factory):
    """`make figures IMPL=solutions`, in this process, keeping every Figure it saved."""
    out = tmp_path_factory.mktemp("figures")
    saved = []

    def keep(fig):
        saved.append(fig)
        return png_bytes(fig)

    png_bytes = figures.png_bytes
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(figures, "png_bytes", keep)
        status, stdout = run_main("--impl", "solutions", "--out", str(out))
    return SimpleNamespace(out=out, status=status, stdout=stdout, figures=saved)


def test_the_registry_holds_the_listed_figures_for_every_topic():
    assert list(EXPECTED) == list(TOPICS)
    assert {t: [s.name for s in figures.specs(t)] for t in TOPICS} == EXPECTED
    for topic in TOPICS:
        module = figures.student_module(topic, SOLUTIONS)
        for spec in figures.specs(topic):
            assert spec.caption and spec.needs, spec.name
            assert all(hasattr(module, need) for need in spec.needs), spec.name


@pytest.mark.slow
def test_the_solutions_draw_every_figure_as_a_real_png(solutions_run):
    assert solutions_run.status == 0, solutions_run.stdout
    assert "not drawn" not in solutions_run.stdout
    assert f"{N_FIGURES} figures written under" in solutions_run.stdout
    written = {p.relative_to(solutions_run.out).as_posix()
               for p in solutions_run.out.rglob("*") if p.is_file()}
    assert written == {f"{t}/{name}" for t, names in EXPECTED.items() for name in names}
    for name in sorted(written):
        path = solutions_run.out / name
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
        pixels = matplotlib.image.imread(path)
        height, width = pixels.shape[:2]
        assert width >= 300 and height >= 200, (name, pixels.shape)
        # A blank or single-colour image has std 0; real plots sit around 0.1 to 0.4.
        assert float(np.std(pixels[..., :3])) > 0.05, name


@pytest.mark.slow
def test_every_figure_has_a_title_labelled_axes_and_a_legend_for_several_lines(solutions_run):
    assert len(solutions_run.figures) == N_FIGURES
    for fig in solutions_run.figures:
        title = fig.get_suptitle()
        assert title, fig
        for ax in fig.axes:
            if not ax.axison:  # the computational graph is a drawing, not a plot
                continue
            assert ax.get_title() and ax.get_xlabel() and ax.get_ylabel(), title
            if len(ax.get_lines()) > 1:
                assert ax.get_legend() is not None, (title, ax.get_title())


@pytest.mark.slow
def test_a_figure_is_the_same_bytes_every_time_whatever_the_random_state_and_settings(
        solutions_run, tmp_path):
    torch.manual_seed(12345)
    np.random.seed(678)
    torch_state, numpy_state = torch.get_rng_state(), np.random.get_state()[1].copy()
    for topic in RANDOM_TOPICS:
        # a user's matplotlibrc (or a notebook's settings) changes nothing either
        with matplotlib.rc_context({"font.size": 20, "axes.grid": True, "figure.dpi": 50}):
            written, notices = figures.draw(topic, SOLUTIONS, tmp_path)
        assert notices == [] and len(written) == len(EXPECTED[topic])
        for path in written:
            first = solutions_run.out / topic / path.name
            assert path.read_bytes() == first.read_bytes(), f"{topic}/{path.name}"
    # ... and drawing leaves the caller's random state as it found it
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.array_equal(np.random.get_state()[1], numpy_state)


def test_the_stubs_draw_nothing_and_each_figure_names_the_function_it_needs(tmp_path):
    status, stdout = run_main("--impl", "exercises", "--out", str(tmp_path / "figures"))
    assert status == 0, stdout
    assert not (tmp_path / "figures").exists()
    assert "Traceback" not in stdout
    notices = [line for line in stdout.splitlines() if line.startswith("not drawn")]
    assert len(notices) == N_FIGURES
    named = set()
    for line in notices:
        match = NOTICE.match(line)
        assert match, line
        topic, name, module, function = match.groups()
        assert module == topic and name in EXPECTED[topic], line
        stub = figures.student_module(topic, EXERCISES)
        assert hasattr(stub, function.split(".")[0]), line  # a real function of the stub
        named.add((topic, name))
    assert len(named) == N_FIGURES
    assert ("not drawn: two_layer_net/decision_boundary.png needs two_layer_net.train "
            "(not implemented yet)") in notices
    # a method is named with its class
    assert ("not drawn: autograd_engine/graph.png needs autograd_engine.Value.__init__ "
            "(not implemented yet)") in notices
    assert f"0 figures written under {tmp_path / 'figures'}/; {N_FIGURES} wait" in stdout


def test_an_error_in_the_students_code_is_one_line_and_the_other_figures_are_drawn(tmp_path):
    impl = tmp_path / "impl"
    impl.mkdir()
    source = (SOLUTIONS / "losses.py").read_text()
    (impl / "losses.py").write_text(source + (
        "\n\ndef focal_loss(logits, targets, alpha=0.25, gamma=2.0, reduction='mean'):\n"
        "    raise ValueError('gamma went\\nnegative')\n\n\n"
        "def kl_div(log_q, target, reduction='mean', log_target=False):\n"
        "    raise NotImplementedError('losses.kl_div is not implemented yet')\n"))
    out = tmp_path / "figures"
    stale = out / "losses" / "focal_vs_bce.png"  # from an earlier run: must not survive
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"old")
    status, stdout = run_main("--impl", str(impl), "--topic", "losses", "--out", str(out))
    assert status == 1  # not only missing functions: something is wrong
    assert sorted(p.name for p in (out / "losses").iterdir()) == [
        "classification_losses.png", "regression_losses.png"]
    line = len(source.splitlines()) + 4
    assert stdout.splitlines()[:2] == [  # the topic's progress line is on stderr
        "not drawn: losses/focal_vs_bce.png: ValueError: gamma went negative "
        f"(losses.py, line {line}, in focal_loss)",
        "not drawn: losses/kl_divergence.png needs losses.kl_div (not implemented yet)"]
    assert "Traceback" not in stdout and "1 failed" in stdout


def test_a_figure_that_never_ends_is_stopped_and_the_others_are_drawn(tmp_path, monkeypatch):
    impl = tmp_path / "impl"
    impl.mkdir()
    (impl / "losses.py").write_text((SOLUTIONS / "losses.py").read_text() + (
        "\n\ndef kl_div(log_q, target, reduction='mean', log_target=False):\n"
        "    while True:\n        pass\n"))
    end = len((SOLUTIONS / "losses.py").read_text().splitlines())
    monkeypatch.setattr(figures, "FIGURE_SECONDS", 0.5)
    written, notices = figures.draw("losses", impl, tmp_path / "figures", ["kl_divergence.png"])
    assert written == []
    assert notices in [[  # stopped on the `while` line or on the `pass`
        "not drawn: losses/kl_divergence.png: FigureTimeout: still running after 0.5 s: is a "
        f"loop not ending? (losses.py, line {line}, in kl_div)"] for line in (end + 4, end + 5)]
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # no alarm left behind


def test_a_module_that_does_not_import_is_one_line_per_figure(tmp_path):
    impl = tmp_path / "impl"
    impl.mkdir()
    (impl / "two_layer_net.py").write_text("def train(:\n    pass\n")
    status, stdout = run_main("--impl", str(impl), "--topic", "two_layer_net", "--out",
                              str(tmp_path / "figures"))
    assert status == 1
    notices = [line for line in stdout.splitlines() if line.startswith("not drawn")]
    assert len(notices) == 2
    assert all("two_layer_net.py failed: SyntaxError" in line for line in notices)
    assert "Traceback" not in stdout


def test_unknown_topics_and_figures_are_refused_with_the_valid_names():
    with pytest.raises(SystemExit, match="unknown topic nope; topics are: two_layer_net"):
        run_main("--topic", "nope")
    with pytest.raises(ValueError, match=r"its figures are: graph\.png, mlp_training\.png"):
        figures.specs("autograd_engine", ["dag.png"])


def test_show_displays_each_figure_inline_and_prints_the_notices(monkeypatch, capsys):
    import IPython.display

    shown = []
    monkeypatch.setattr(IPython.display, "display", shown.append)
    figures.show("activations", "relu.png", impl="solutions")
    assert len(shown) == 1 and shown[0].data[:8] == b"\x89PNG\r\n\x1a\n"
    figures.show("activations", impl=EXERCISES)  # a folder given by its path
    assert len(shown) == 1
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "not drawn: activations/sigmoid.png needs activations.sigmoid " \
                         "(not implemented yet)"
    assert len(printed) == len(EXPECTED["activations"])


def test_the_student_release_ships_the_figures_and_notebooks_and_draws_on_its_own(tmp_path):
    with zipfile.ZipFile(release.dist(tmp_path / "dist")) as archive:
        names = archive.namelist()
        archive.extractall(tmp_path)
    top = tmp_path / release.TOP
    assert sorted(n for n in names if n.endswith(".ipynb")) == sorted(
        f"{release.TOP}/exercises/notebooks/{t}.ipynb" for t in TOPICS)
    shutil.copyfile(SOLUTIONS / "activations.py", top / "exercises" / "activations.py")
    done = subprocess.run([sys.executable, "-m", "autograder.figures", "--topic", "activations",
                           "--topic", "losses"], cwd=top, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(p.name for p in (top / "figures" / "activations").iterdir()) == sorted(
        EXPECTED["activations"])
    assert "not drawn: losses/regression_losses.png needs losses.mse_loss" in done.stdout

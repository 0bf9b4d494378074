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
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

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
    "backprop": ["gradient_norms.png", "training_loss.png", "digits_accuracy.png"],
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


# ---- issue 19: figures that show the point -------------------------------------------------

def _drawn(run: SimpleNamespace, topic: str, name: str) -> Figure:
    """The Figure the solutions run drew as topic/name (it draws them in EXPECTED's order)."""
    order = [(t, n) for t, names in EXPECTED.items() for n in names]
    assert len(run.figures) == len(order)
    return run.figures[order.index((topic, name))]


def _pixels(line: Line2D) -> np.ndarray:
    """A line's points in display pixels; a drawn line also gets 40 points along each segment,
    so that a legend over the middle of a long segment (an axvline) is caught too."""
    xy = line.get_transform().transform(np.asarray(line.get_xydata(), dtype=float))
    xy = xy[np.isfinite(xy).all(axis=1)]
    if len(xy) < 2 or line.get_linestyle() in ("None", "none", "", " "):
        return xy
    t = np.linspace(0.0, 1.0, 40)[:, None, None]
    return (xy[:-1] + t * (xy[1:] - xy[:-1])).reshape(-1, 2)


def _covered_lines(fig: Figure) -> list[str]:
    """The lines (as "axes title: line label") that some legend of the figure covers."""
    fig.draw_without_rendering()  # the legends' final places
    legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()] + list(fig.legends)
    covered = []
    for legend in legends:
        box = legend.get_window_extent()
        for ax in fig.axes:
            inside = ax.get_window_extent()
            for line in ax.get_lines():
                x, y = _pixels(line).T
                shown = (x >= inside.x0) & (x <= inside.x1) & (y >= inside.y0) & (y <= inside.y1)
                under = (x > box.x0) & (x < box.x1) & (y > box.y0) & (y < box.y1)
                if (shown & under).any():
                    covered.append(f"{ax.get_title()}: {line.get_label()}")
    return covered


@pytest.mark.slow
def test_no_legend_covers_a_plotted_line(solutions_run):
    for fig in solutions_run.figures:
        assert _covered_lines(fig) == [], fig.get_suptitle()


@pytest.mark.slow
def test_a_log_scale_is_said_on_its_axis(solutions_run):
    for fig in solutions_run.figures:
        for ax in fig.axes:
            if ax.get_xscale() == "log":
                assert "log scale" in ax.get_xlabel(), (fig.get_suptitle(), ax.get_title())
            if ax.get_yscale() == "log":
                assert "log scale" in ax.get_ylabel(), (fig.get_suptitle(), ax.get_title())


@pytest.mark.slow
def test_gelu_tanh_shows_its_difference_from_gelu_on_a_scale_where_it_is_visible(solutions_run):
    assert len(_drawn(solutions_run, "activations", "gelu.png").axes) == 2
    fig = _drawn(solutions_run, "activations", "gelu_tanh.png")
    assert len(fig.axes) == 3
    ax = fig.axes[2]
    curve = ax.get_lines()[0]
    x, error = curve.get_xdata(), curve.get_ydata()
    module = figures.student_module("activations", SOLUTIONS)
    assert np.allclose(error, module.gelu_tanh(x) - module.gelu(x), rtol=0, atol=1e-12)
    largest = float(np.abs(error).max())
    assert 1e-4 < largest < 1e-3  # the approximation is off by up to about 5e-4
    low, high = ax.get_ylim()
    assert high - low < 10 * largest  # its own scale, not the [0, 5] of the functions
    assert "at most 4.7e-4" in ax.get_title()
    assert "gelu_tanh(x) - gelu(x)" in ax.get_ylabel() and "1e-4" in ax.get_ylabel()


@pytest.mark.slow
def test_epoch_axes_count_from_1(solutions_run):
    for topic, name in (("two_layer_net", "loss_curve.png"),
                        ("perceptron_mlp", "perceptron_gates.png"),
                        ("regularization", "dropout_gap.png"),
                        ("regularization", "early_stopping.png")):
        axes = [ax for ax in _drawn(solutions_run, topic, name).axes
                if ax.get_xlabel() == "epoch"]
        assert axes, name
        for ax in axes:
            assert min(min(line.get_xdata()) for line in ax.get_lines()) == 1, name
    # early stopping: the best epoch (EarlyStopping counts its calls from 0) is drawn where the
    # validation loss is lowest, and the stop comes `patience` epochs after it
    (ax,) = _drawn(solutions_run, "regularization", "early_stopping.png").axes
    lines = {line.get_label().split(" ")[0].rstrip(":"): line for line in ax.get_lines()}
    epochs, validation = lines["validation"].get_xdata(), lines["validation"].get_ydata()
    best, stopped = lines["best"].get_xdata()[0], lines["stopped"].get_xdata()[0]
    assert validation[list(epochs).index(best)] == min(validation[:int(stopped)])
    assert stopped - best == 20


@pytest.mark.slow
@pytest.mark.parametrize(("name", "minimum"), [("quadratic_paths.png", (0.0, 0.0)),
                                               ("rosenbrock_paths.png", (1.0, 1.0))])
def test_the_paths_show_the_minimum_each_end_and_how_far_each_got(solutions_run, name,
                                                                  minimum):
    paths, distances = _drawn(solutions_run, "sgd_optimizers", name).axes
    stars = [line for line in paths.get_lines() if line.get_marker() == "*"]
    assert len(stars) == 1 and tuple(stars[0].get_xydata()[0]) == minimum
    assert stars[0].get_zorder() >= max(line.get_zorder() for line in paths.get_lines())
    ends = [t.get_text() for t in paths.get_legend().get_texts() if "ends at" in t.get_text()]
    assert len(ends) == 3
    assert distances.get_yscale() == "log" and "distance" in distances.get_title()
    finals = {line.get_label().split(",")[0]: line.get_ydata()[-1]
              for line in distances.get_lines()}
    assert set(finals) == {"SGD", "momentum 0.9", "Nesterov 0.9"}
    if name == "rosenbrock_paths.png":
        # plain SGD stops far from (1, 1), and its path is drawn above the other two
        assert finals["SGD"] > 5 * finals["momentum 0.9"]
        runs = [line for line in paths.get_lines() if len(line.get_xdata()) > 1]
        assert runs[0].get_zorder() > max(line.get_zorder() for line in runs[1:])
        styles = {line.get_linestyle() for line in runs}
        widths = {line.get_linewidth() for line in runs}
        assert len(styles) > 1 and len(widths) == 3


@pytest.mark.slow
def test_layers_are_counted_in_whole_numbers(solutions_run):
    for ax in _drawn(solutions_run, "perceptron_mlp", "init_scale.png").axes:
        low, high = ax.get_xlim()
        ticks = [t for t in ax.get_xticks() if low <= t <= high]
        assert ticks and all(float(t).is_integer() for t in ticks), ticks


@pytest.mark.slow
def test_the_decision_boundary_names_its_classes_and_its_data(solutions_run):
    fig = _drawn(solutions_run, "two_layer_net", "decision_boundary.png")
    (legend,) = fig.legends
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts[:2] == ["class 0 (upper moon)", "class 1 (lower moon)"]
    assert "make_moons(n=500, noise=0.2)" in fig.get_suptitle()


@pytest.mark.slow
def test_the_schedules_legend_sits_beside_the_curves(solutions_run):
    fig = _drawn(solutions_run, "adaptive_optimizers", "schedules.png")
    fig.draw_without_rendering()
    (ax,) = fig.axes
    assert ax.get_legend().get_window_extent().x0 >= ax.get_window_extent().x1
    assert _covered_lines(fig) == []


@pytest.mark.slow
def test_the_lr_finder_names_its_model_and_data(solutions_run):
    title = _drawn(solutions_run, "adaptive_optimizers", "lr_finder.png").get_suptitle()
    assert "2-32-2" in title and "make_moons(n=500, noise=0.2)" in title
    assert "10 batches of 50" in title

"""`make bench` without its ten minutes: verdicts, the table and results.json on made-up
measurements, the figures computed from the workers' raw results, the generated cohort, a missing
docker daemon, and two real measurements kept small (the curriculum's pairs on tiny networks, the
public checks of one topic). No timing is asserted here: speed targets live in the benchmark."""

from __future__ import annotations

import ast
import json
import statistics
import zipfile

import pytest

import autograder.bench as bench
from autograder import impl
from autograder.bench import (
    cohort,
    curriculum,
    docker_overhead,
    gradescope,
    modes,
    public,
    throughput,
)
from autograder.bench.__main__ import main
from autograder.bench.table import NOT_MEASURED, Figure, Part, Target, table
from autograder.bench.worker import BenchError, in_subprocess
from autograder.course import TOPICS
from autograder.submission import RejectedSubmission, stage


def test_verdicts_follow_the_target_and_its_direction():
    ceiling, floor = Target(1.5), Target(0.8, at_least=True)
    assert Figure("ratio", 1.5, "x", ceiling).verdict == "PASS"  # the limit itself is met
    assert Figure("ratio", 1.51, "x", ceiling).verdict == "MISS"
    assert Figure("efficiency", 0.79, "", floor).verdict == "MISS"
    assert Figure("efficiency", 0.8, "", floor).verdict == "PASS"
    assert Figure("informational", 3.0).verdict == ""
    assert Figure("docker", None, why_not="no daemon").verdict == NOT_MEASURED


def test_the_table_prints_each_figure_with_its_target_and_verdict():
    part = Part("modes", "graded vs local", [
        Figure("1. graded / local", 1.93, "x", Target(1.5), "34.2 s / 17.7 s"),
        Figure("3. efficiency", 0.85, "", Target(0.8, at_least=True)),
        Figure("   child peak", 624.4, "MB"),
        Figure("7. containers", None, why_not="the docker daemon is not running")])
    lines = table([part]).splitlines()
    assert lines[0].split() == ["figure", "measured", "target", "verdict", "detail"]
    assert "== graded vs local ==" in lines

    def row(name: str) -> list[str]:
        line = next(line for line in lines if line.startswith(name))
        return line[len(name):].split()

    assert row("1. graded / local") == ["1.93x", "<=", "1.50x", "MISS", "34.2", "s", "/", "17.7",
                                        "s"]
    assert row("3. efficiency") == ["0.85", ">=", "0.80", "PASS"]
    assert row("   child peak") == ["624", "MB", "-"]
    assert row("7. containers") == ["not", "measured", "-", "NOT", "MEASURED", "the", "docker",
                                    "daemon", "is", "not", "running"]


def _fake_parts() -> dict:
    good = Part("curriculum", "fake figures", [Figure("a ratio", 2.0, "x", Target(1.5))],
                notes=["a note for the reader"], raw={"runs": [1.25, 1.5, 1.75]})

    def broken() -> Part:
        raise BenchError("the graded worker exited with status 1")

    return {"curriculum": lambda: good, "modes": broken}


def test_results_json_holds_every_raw_number_the_machine_and_the_commit(tmp_path, monkeypatch,
                                                                       capsys):
    monkeypatch.setattr(bench, "measurements", lambda settings: _fake_parts())
    assert bench.run(["curriculum"], bench.Settings(), tmp_path) == 0
    results = json.loads((tmp_path / "results.json").read_text())
    printed = capsys.readouterr().out
    assert "a ratio" in printed and "MISS" in printed and "a note for the reader" in printed
    assert "total run time" in printed
    part = results["parts"]["curriculum"]
    assert part["raw"] == {"runs": [1.25, 1.5, 1.75]} and part["failed"] is False
    assert part["figures"][0] == {
        "name": "a ratio", "value": 2.0, "unit": "x", "target": {"limit": 1.5, "at_least": False},
        "verdict": "MISS", "detail": "", "why_not": None}
    assert results["summary"]["missed"] == ["a ratio"]
    assert {"cpu_count", "python", "torch", "numpy"} <= results["machine"].keys()
    commit = results["git_commit"]
    assert commit == "unknown" or (len(commit) == 40 and int(commit, 16) >= 0)
    assert results["date"][:2] == "20" and results["settings"]["reps"] == 3
    # a partial run has no 10-minute target; only the whole run is held to it
    assert results["parts"]["total"]["figures"][0]["target"] is None


def test_a_part_that_breaks_is_reported_and_the_others_are_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(bench, "measurements", lambda settings: _fake_parts())
    assert bench.run(["curriculum", "modes"], bench.Settings(), tmp_path) == 1
    results = json.loads((tmp_path / "results.json").read_text())
    assert results["parts"]["curriculum"]["figures"][0]["value"] == 2.0
    broken = results["parts"]["modes"]
    assert broken["failed"] is True and "BenchError" in broken["raw"]["error"]
    assert broken["figures"][0]["why_not"] == "failed: the graded worker exited with status 1"
    assert results["summary"]["not_measured"] == {
        "modes": "failed: the graded worker exited with status 1"}


def _graded_run(seconds: float, startup: float, not_run: int = 3) -> dict:
    return {"seconds": seconds, "earned": 10.0, "possible": 10.0, "not_run": not_run,
            "topics": {"losses": {"seconds": seconds / 2, "startup_s": startup,
                                  "peak_rss_mb": 500.0 + seconds},
                       "activations": {"seconds": seconds / 2, "startup_s": startup,
                                       "peak_rss_mb": 400.0}}}


def test_modes_figures_are_medians_of_the_workers_runs():
    graded = {"expected_data_s": 5.0, "cuda": False, "peak_rss_mb": 900.0,
              "server_startups_s": [4.5], "runs": [_graded_run(s, 1.9) for s in (10.0, 12.0, 30.0)]}
    local = {"runs": [{"seconds": s, "topics": {"losses": {"seconds": s / 4},
                                                 "activations": {"seconds": 3 * s / 4}}}
                      for s in (4.0, 5.0, 6.0)]}
    part = modes.modes_part(graded, local, [1.5, 1.25, 1.75])
    figures = {f.name.strip(): f for f in part.figures}
    ratio = figures["1. graded / local wall time"]
    assert ratio.value == pytest.approx(12.0 / 5.0) and ratio.verdict == "MISS"
    assert figures["2. whole submission, graded mode"].value == 12.0
    assert figures["2. whole submission, graded mode"].verdict == "PASS"
    assert figures["fixed cost: python -c 'import numpy, torch'"].value == 1.5
    assert figures["fixed cost: child start-ups, all topics"].value == pytest.approx(3.8)
    assert figures["expected data, once per grading run"].value == 5.0
    assert figures["sandbox fork server start, once per worker and run"].value == 4.5
    assert figures["5. peak RSS of a grading child, largest"].value == 512.0
    assert figures["5. peak RSS of a grading child, largest"].detail == "losses"
    assert figures["peak RSS of the grading parent"].value == 900.0
    losses = [f for f in part.figures if f.name.strip() == "losses"]
    assert [f.unit for f in losses] == ["s", "MB"] and losses[0].value == 6.0
    assert losses[0].detail == "start-up 1.90 s; local mode 1.25 s"
    assert any(note.startswith("NOT RUN: 3 CUDA check(s)") for note in part.notes)
    assert part.raw["graded"] is graded and part.raw["import_numpy_torch_s"] == [1.5, 1.25, 1.75]


def test_throughput_efficiency_is_the_median_of_the_repetitions():
    def run(workers, seconds):
        return {"workers": workers, "seconds": seconds, "submissions": 40,
                "per_minute": 60 * 40 / seconds, "scores": {"reference_00": [5.0, 5.0]}}

    reps = [[run(1, 100.0), run(2, 60.0)], [run(1, 100.0), run(2, 75.0)],
            [run(1, 90.0), run(2, 50.0)]]
    part = throughput.throughput_part(reps, {"reference": 40}, ["activations"])
    efficiency = part.figures[-1]
    assert efficiency.value == pytest.approx(100.0 / 120.0) and efficiency.verdict == "PASS"
    assert "median of 3, spread 0.67-0.90" in efficiency.detail
    assert part.figures[0].value == pytest.approx(24.0)  # 40 submissions in 100 s
    assert "activations" in part.notes[0] and len(part.notes) == 1


def test_the_cohort_is_the_intended_mix(tmp_path):
    topic = TOPICS["activations"]
    made = cohort.build_cohort(tmp_path, cohort.COHORT_MIX, [topic])
    assert {kind: len(paths) for kind, paths in made.items()} == cohort.COHORT_MIX
    assert sum(cohort.COHORT_MIX.values()) == 40 == len(list(tmp_path.iterdir()))
    reference = cohort.module_sources(impl.SOLUTIONS)
    stubs = cohort.module_sources(impl.EXERCISES)

    def files(path) -> dict[str, str]:
        with zipfile.ZipFile(path) as archive:
            return {name.removeprefix("submission/"): archive.read(name).decode()
                    for name in archive.namelist()}

    assert all(files(p) == reference for p in made["reference"])
    assert all(files(p) == stubs for p in made["stubs"])
    mutants = {impl.mutant_source(path, topic) for path in topic.mutants()}
    seen = set()
    for path in made["mutant"]:
        changed = {name for name, text in files(path).items() if text != reference[name]}
        assert changed == {topic.module_file} and files(path)[topic.module_file] in mutants
        seen.add(files(path)[topic.module_file])
    assert len(seen) == len(made["mutant"])  # each a different mistake
    for path in made["partial"]:
        kept = files(path)
        assert 3 <= len(kept) < len(reference)
        assert all(text == reference[name] for name, text in kept.items())
    (not_a_zip,) = made["not_a_zip"]
    with pytest.raises(RejectedSubmission):
        stage(not_a_zip, tmp_path / "staged")
    (syntax_error,) = made["syntax_error"]
    broken = files(syntax_error)
    with pytest.raises(SyntaxError):
        ast.parse(broken[topic.module_file])
    assert {name: text for name, text in broken.items() if name != topic.module_file} == \
        {name: text for name, text in reference.items() if name != topic.module_file}


def test_without_docker_figure_7_says_not_measured_and_why(monkeypatch):
    monkeypatch.setattr(docker_overhead.shutil, "which", lambda name: None)
    part = docker_overhead.measure()
    (figure,) = part.figures
    assert figure.value is None and figure.verdict == NOT_MEASURED
    assert figure.why_not == "docker is not installed"
    assert part.raw == {"measured": False, "why_not": "not measured: docker is not installed"}
    assert part.notes[0].startswith("!!! NOT MEASURED: the container overhead (figure 7)")


def test_with_docker_figure_7_is_the_container_time_less_the_hosts():
    raw = {"host_s": 20.0, "host_returncode": 0, "host_score": 9.5, "host_max_score": 9.5,
           "container_s": 26.0, "container_score": 9.5, "container_max_score": 9.5}
    part = docker_overhead.docker_part(raw)
    assert [f.value for f in part.figures] == [26.0, 20.0, 6.0]
    assert part.figures[-1].detail == "1.30x the host's time" and part.notes == []
    stale = docker_overhead.docker_part(raw | {"container_score": 5.0})
    assert stale.notes == ["WARNING: the reference got 5.00 / 9.50 in the container and "
                           "9.50 / 9.50 on the host (exit status 0), not full marks in both: the "
                           "times are suspect, and the grading image may be out of date "
                           "(make image)."]


def test_the_curriculum_pairs_compute_the_same_thing_on_tiny_networks():
    import torch

    threads = torch.get_num_threads()
    raw = curriculum.measure_curriculum(reps=3, seconds=0.001, batches=[4], engine_sizes=[2, 1])
    assert torch.get_num_threads() == threads  # the caller's threads are given back
    (mlp,) = raw["mlp"]
    assert mlp["batch"] == 4 and mlp["difference"] < 1e-12
    assert raw["engine"]["parameters"] == (3 * 2 + 2) + (2 + 1)
    assert raw["engine"]["difference"] < 1e-12
    assert all(len(times) == 3 and min(times) > 0 for times in
               (mlp["numpy_s"], mlp["torch_s"], raw["engine"]["engine_s"],
                raw["engine"]["torch_s"]))
    part = curriculum.curriculum_part(raw)
    assert part.notes == []  # no WARNING: both sides of each pair agree
    ratios = [f for f in part.figures if f.unit == "x"]
    assert [r.value for r in ratios] == [
        pytest.approx(statistics.median(mlp["numpy_s"]) / statistics.median(mlp["torch_s"])),
        pytest.approx(statistics.median(raw["engine"]["engine_s"])
                      / statistics.median(raw["engine"]["torch_s"]))]


@pytest.mark.slow
def test_public_checks_of_one_topic_are_timed_from_pytests_own_report(config):
    topic = TOPICS["activations"]
    session = public.run_checks(public.topic_files([topic.name]))
    assert session["returncode"] == 0
    assert list(session["topics"]) == [topic.name]
    entry = session["topics"][topic.name]
    public_checks = config.checks(topic, ("public",))
    assert entry["tests"] == len(public_checks) and entry["failed"] == 0
    assert entry["skipped"] == sum(c.needs_gpu for c in public_checks)
    assert 0 < entry["seconds"] < session["wall_s"]
    assert session["startup_s"] == pytest.approx(session["wall_s"] - entry["seconds"])
    part = public.public_part([session], {topic.name: [session["wall_s"]]})
    assert [f.name.strip() for f in part.figures][2:] == [f"make check TOPIC={topic.name}, cold"]
    assert part.figures[2].target == public.TOPIC_TARGET


def test_the_command_line_refuses_unknown_parts_and_topics(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--only", "modes,speed"])
    assert exited.value.code == 2 and "unknown part speed" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="unknown topic nope"):
        main(["--topic", "nope"])


def test_a_worker_that_fails_is_an_error_not_a_figure():
    with pytest.raises(BenchError, match="the nope worker exited with status 2"):
        in_subprocess("nope")


def test_the_gradescope_figure_sets_after_beside_before():
    part = gradescope.gradescope_part({"with_cache_s": [12.0, 16.0, 11.0],
                                       "without_cache_s": [21.0, 20.0, 23.0], "scores": []})
    after, before = part.figures
    assert (after.value, before.value) == (12.0, 21.0)
    assert after.target == gradescope.TARGET and after.verdict == "PASS"
    assert "spread 11.0-16.0 s" in after.detail and before.target is None

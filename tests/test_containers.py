"""The Docker path's host side without Docker: the build context, the container's flags, and what a
failed or timed-out container leaves in the gradebook. The real containers run in
`make docker-check` (part of `make test`)."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest

from autograder import containers
from autograder.manifest import grader_files


def test_build_context_holds_the_grader_tree_and_nothing_else(tmp_path):
    context = containers.build_context(tmp_path)
    shipped = {p.relative_to(context / "grader").as_posix()
               for p in (context / "grader").rglob("*") if p.is_file()}
    assert shipped == {p.as_posix() for p in grader_files()}
    assert {"autograder/topics/regularization/hidden/checks.py", "solutions/regularization.py",
            "grading_config/grading.toml"} <= shipped
    assert not any("/hidden/mutants/" in p or p.startswith(("autograder/samples/", "tests/",
                                                              "exercises/")) for p in shipped)
    assert (context / "Dockerfile").is_file() and (context / "pip-ca.crt").is_file()


def test_each_container_is_closed_and_limited(tmp_path):
    source = tmp_path / "alice.zip"
    source.write_bytes(b"")
    command = containers.docker_command("img", source, "alice.zip", tmp_path / "out", 1.0,
                                        False, ["regularization"], "nnf-grade-x")
    text = " ".join(command)
    for flag in ("--network none", "--memory 8g", "--memory-swap 8g", "--cpus 1",
                 "--pids-limit 4096", "--security-opt no-new-privileges", "--read-only"):
        assert flag in text
    assert f"src={source.resolve()},dst=/in/alice.zip,readonly" in text
    assert "--gpus" not in command
    assert command[-9:] == ["img", "--config", "grading_config/grading.toml", "grade",
                            "/in/alice.zip", "--out", "/out", "--topic", "regularization"]
    gpu = containers.docker_command("img", source, "alice.zip", tmp_path, 1.0, True, [], "n")
    assert gpu[gpu.index("--gpus") + 1] == "all"


def _fake_docker(monkeypatch, outcome):
    def run(command, **kwargs):
        if command[:2] == ["docker", "kill"]:
            return subprocess.CompletedProcess(command, 0, "", "")
        return outcome(command, kwargs)
    monkeypatch.setattr(containers.subprocess, "run", run)


@pytest.mark.parametrize("outcome, says", [
    (lambda c, k: (_ for _ in ()).throw(subprocess.TimeoutExpired(c, k["timeout"])),
     "ran past its 5 s limit and was killed"),
    (lambda c, k: subprocess.CompletedProcess(c, 137, "", "Killed\n"),
     "exited with status 137: Killed"),
    (lambda c, k: subprocess.CompletedProcess(c, 0, "", ""), "wrote no readable results.json"),
])
def test_a_failed_container_costs_only_its_submission(tmp_path, monkeypatch, outcome, says):
    _fake_docker(monkeypatch, outcome)
    out = tmp_path / "out" / "bob"
    out.mkdir(parents=True)
    (out / "results.json").write_text('{"score": 100}')  # stale: must not count
    source = tmp_path / "bob.zip"
    source.write_bytes(b"")
    result = containers.grade_one("img", source, "bob", out, 1.0, False, [], timeout_s=5)
    assert result["score"] == 0.0 and says in result["output"]
    assert json.loads((out / "results.json").read_text()) == result
    good = {"score": 7.0, "max_score": 10.0, "tests": [], "extra_data": {
        "submission": "alice", "rejected": "",
        "topics": {"regularization": {"score": 7.0, "max_score": 10.0, "state": "graded"}}}}
    containers.write_gradebook([good, result], tmp_path / "gradebook.csv")
    rows = list(csv.DictReader((tmp_path / "gradebook.csv").open()))
    assert [r["submission"] for r in rows] == ["alice", "bob"]
    assert rows[0]["5-10 regularization"] == "7.00" and rows[0]["total"] == "7.00"
    assert rows[1]["5-10 regularization"] == "0.00" and says in rows[1]["notes"]


def test_dockerfile_keeps_the_grader_tree_from_the_sandbox_uid():
    text = Path(containers.DOCKERFILE).read_text()
    assert "chmod -R go-rwx /opt/nnf-pack" in text
    assert "ARG BASE_IMAGE" in text and "FROM ${BASE_IMAGE}" in text


def test_a_configuration_outside_the_image_is_refused(tmp_path):
    config = tmp_path / "grading.toml"
    config.write_text("")
    with pytest.raises(SystemExit, match="grading_config/ only"):
        containers.grade_folder(tmp_path, tmp_path / "out", config_path=config)

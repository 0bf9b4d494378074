"""The grading configuration: the shipped file is valid, points add up, and mistakes in a config
are reported with the file and the setting."""

from __future__ import annotations

import json
import tomllib

import pytest

from autograder.config import DEFAULT_CONFIG, ConfigError, load_config
from autograder.course import TOPICS


def toml_tables(name: str, table: dict) -> str:
    """`table` as TOML under [name], keys quoted (JSON scalars are valid TOML values)."""
    lines = [f"[{name}]"] + [f"{json.dumps(key)} = {json.dumps(value)}"
                             for key, value in table.items() if not isinstance(value, dict)]
    return "\n".join(lines) + "\n" + "".join(
        toml_tables(f"{name}.{key}", value) for key, value in table.items()
        if isinstance(value, dict))


def shipped_tables_but_regularization() -> str:
    """The shipped configuration's tables other than topics.regularization (feedback, the other
    topics), so that the small configs below stay complete as tables and topics are added."""
    shipped = tomllib.loads(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    tables = [toml_tables(key, value) for key, value in shipped.items()
              if isinstance(value, dict) and key != "topics"]
    tables += [toml_tables(f"topics.{name}", value) for name, value in shipped["topics"].items()
               if name != "regularization"]
    return "\n" + "".join(tables)


VALID_TOPIC = shipped_tables_but_regularization() + """
[topics.regularization]
time_limit_s = 60
memory_mb = 2048
[topics.regularization.points]
dropout = 1
inverted_dropout = 1
batch_norm = 1
BatchNorm1d = 1
layer_norm = 1
EarlyStopping = 1
sgd_step_l2 = 1
sgd_step_decoupled = 1
adam_step_l2 = 1
adam_step_decoupled = 1
weight_decay_gap = 1
augment_images = 1
"""


def write(tmp_path, text):
    path = tmp_path / "grading.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("topic", list(TOPICS.values()), ids=lambda t: t.name)
def test_shipped_config_is_valid_and_points_add_up(config, topic):
    checks = config.checks(topic)
    total = sum(config.topics[topic.name].points.values())
    assert total == pytest.approx(100)
    assert sum(c.points for c in checks) == pytest.approx(total)
    assert all(c.points > 0 for c in checks)


def test_points_split_by_weight_and_weight_override(tmp_path, regularization):
    text = VALID_TOPIC.replace("sgd_step_l2 = 1", "sgd_step_l2 = 10") + """
[topics.regularization.weights]
"sgd_step_l2.matches_torch_SGD[float64]" = 3
"""
    config = load_config(write(tmp_path, "require_gpu = false\n" + text))
    sgd = {c.name: c.points for c in config.checks(regularization) if c.function == "sgd_step_l2"}
    others = [p for name, p in sgd.items() if name != "sgd_step_l2.matches_torch_SGD[float64]"]
    assert sum(sgd.values()) == pytest.approx(10)
    assert all(sgd["sgd_step_l2.matches_torch_SGD[float64]"] == pytest.approx(3 * p)
               for p in others)


def test_tolerance_override_replaces_the_declared_one(tmp_path, regularization):
    name = "layer_norm.matches_F[float64]"
    text = (VALID_TOPIC + "[topics.regularization.tolerance]\n"
            + f'"{name}" = {{rtol = 0.5, atol = 0.25}}\n')
    config = load_config(write(tmp_path, "require_gpu = false\n" + text))
    check = next(c for c in config.checks(regularization) if c.name == name)
    assert (check.tolerance.rtol, check.tolerance.atol) == (0.5, 0.25)


@pytest.mark.parametrize(("text", "message"), [
    ("require_gpu = 1\n" + VALID_TOPIC, "require_gpu: 1 is not of type 'boolean'"),
    ("require_gpu = false\n" + VALID_TOPIC.replace("memory_mb = 2048", "memory_mb = 10"),
     "topics.regularization.memory_mb: 10 is less than the minimum of 256"),
    ("require_gpu = false\n" + VALID_TOPIC.replace("time_limit_s = 60\n", ""),
     "'time_limit_s' is a required property"),
    ("require_gpu = false\n" + VALID_TOPIC.replace("dropout = 1\n", "", 1),
     "topics.regularization.points: dropout has checks but no points"),
    ("require_gpu = false\n" + VALID_TOPIC + "dropuot = 1\n",
     "points.dropuot: no check exercises a function of that name"),
    ("require_gpu = false\n" + VALID_TOPIC + "[topics.regularization.weights]\nnope = 2\n",
     "weights: no check named 'nope'"),
    ("require_gpu = false\n" + VALID_TOPIC
     + '[topics.regularization.tolerance]\n"dropout.uses_the_generator" = {rtol = 0, atol = 0}\n',
     "has no numeric tolerance to override"),
    ("require_gpu = false\n" + VALID_TOPIC.replace("regularization", "regularisation"),
     "topics.regularisation: no such topic"),
    ("require_gpu = false\nextra = 1\n" + VALID_TOPIC, "Additional properties are not allowed"),
    ("require_gpu = false\n[topics\n", "not valid TOML"),
])
def test_invalid_configs_name_file_and_setting(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_missing_config_file(tmp_path):
    with pytest.raises(ConfigError, match="no such grading configuration"):
        load_config(tmp_path / "absent.toml")


def test_default_config_path_is_in_grading_config():
    assert DEFAULT_CONFIG.parent.name == "grading_config"


def test_production_config_is_the_course_config_requiring_a_gpu(config):
    production = load_config(DEFAULT_CONFIG.with_name("production.toml"))
    assert production.require_gpu and not config.require_gpu
    assert production.topics == config.topics and production.feedback == config.feedback


def test_extends_one_level_only_and_names_an_unreadable_base(tmp_path):
    (tmp_path / "a.toml").write_text('extends = "b.toml"\nrequire_gpu = true\n')
    (tmp_path / "b.toml").write_text('extends = "c.toml"\n')
    with pytest.raises(ConfigError, match="one level only"):
        load_config(tmp_path / "a.toml")
    (tmp_path / "b.toml").unlink()
    with pytest.raises(ConfigError, match=r"extends b\.toml, which cannot be read"):
        load_config(tmp_path / "a.toml")

"""The companion notebooks (exercises/notebooks/): generated and up to date, valid, explaining
their topic, and each one runs in a Jupyter kernel against the reference (NNF_IMPL=solutions)
without an error, showing every figure of its topic inline."""

from __future__ import annotations

import base64

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.course import TOPICS
from autograder.figures import notebooks, specs

PNG = b"\x89PNG\r\n\x1a\n"


def read(topic: str) -> nbformat.NotebookNode:
    return nbformat.read(notebooks.NOTEBOOKS / f"{topic}.ipynb", as_version=4)


def test_the_committed_notebooks_are_the_generators_output():
    expected = notebooks.expected()
    assert sorted(notebooks.NOTEBOOKS.glob("*.ipynb")) == sorted(expected)
    for path, text in expected.items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name}: regenerate it"
    assert notebooks.main(["--check"]) == 0


@pytest.mark.parametrize("topic", list(TOPICS))
def test_a_notebook_is_valid_explains_its_topic_and_shows_each_figure(topic):
    notebook = read(topic)
    nbformat.validate(notebook)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert TOPICS[topic].title in markdown and f"exercises/{topic}.md" in markdown
    for objective in notebooks.objectives(TOPICS[topic]):
        assert objective in markdown
    assert 'IMPL = os.environ.get("NNF_IMPL", "exercises")' in code[0]
    assert f'{topic} = student_module("{topic}", IMPL)' in code[1]
    assert code[2:] == [f'show("{topic}", "{s.name}", impl=IMPL)' for s in specs(topic)]
    assert all(c.get("outputs", []) == [] for c in notebook.cells)  # committed clean


@pytest.mark.slow
@pytest.mark.parametrize("topic", list(TOPICS))
def test_a_notebook_runs_against_the_solutions_and_shows_its_figures(topic, monkeypatch):
    monkeypatch.setenv("NNF_IMPL", "solutions")  # the kernel inherits this environment
    notebook = read(topic)
    # Run where a student opens it, so the first cell's search for the pack's root is tested too.
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(notebooks.NOTEBOOKS)}}).execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [base64.b64decode(o.data["image/png"]) for o in outputs
              if o.output_type == "display_data" and "image/png" in o.data]
    assert len(images) == len(specs(topic))
    assert all(image.startswith(PNG) and len(image) > 10_000 for image in images)
    printed = "".join(o.text for o in outputs if o.output_type == "stream")
    assert f"solutions/{topic}.py" in printed
    assert "not drawn" not in printed

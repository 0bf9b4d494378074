"""The notebooks (exercises/notebooks/): generated and up to date, valid, explaining their topic,
and each one runs in a Jupyter kernel against the reference (NNF_IMPL=solutions) without an
error, showing its figures inline. A topic with a lesson (autograder/topics/<topic>/lesson.md)
has a device cell, equations, a `check(...)` cell for each graded function and reflection
questions whose answers appear only in the instructor's version."""

from __future__ import annotations

import base64
import re
import shutil
import time

import nbformat
import pytest

from autograder.course import TOPICS
from autograder.figures import lesson, notebooks, specs

PNG = b"\x89PNG\r\n\x1a\n"
LESSONS = [t for t in TOPICS if lesson.lesson_path(TOPICS[t]).is_file()]


def read(topic: str) -> nbformat.NotebookNode:
    return nbformat.read(notebooks.NOTEBOOKS / f"{topic}.ipynb", as_version=4)


def opening(notebook: nbformat.NotebookNode, topic: str) -> tuple[str, list[str]]:
    """A notebook's Markdown (joined) and code cells, once it is valid and opens as every topic's
    does: the topic's title and guide, the guide's objectives, the implementation cell first."""
    nbformat.validate(notebook)
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    code = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert TOPICS[topic].title in markdown and f"exercises/{topic}.md" in markdown
    for objective in notebooks.objectives(TOPICS[topic]):
        assert objective in markdown
    assert 'IMPL = os.environ.get("NNF_IMPL", "exercises")' in code[0]
    return markdown, code


def test_the_committed_notebooks_are_the_generators_output():
    expected = {path: text for path, text in notebooks.expected().items()
                if path.parent == notebooks.NOTEBOOKS}
    assert sorted(notebooks.NOTEBOOKS.glob("*.ipynb")) == sorted(expected)
    for path, text in expected.items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name}: regenerate it"
    assert notebooks.main(["--check"]) == 0


def test_a_topic_without_a_lesson_gets_the_companion_notebook(tmp_path):
    """A new topic (`make new-topic`) has no lesson yet: its notebook is the companion, the
    guide's objectives and every registered figure shown inline (here 5-01, its lesson away)."""
    topic = "two_layer_net"
    for name in (f"exercises/{topic}.md", f"exercises/{topic}.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(notebooks.ROOT / name, tmp_path / name)
    notebook = nbformat.reads(notebooks.notebook(TOPICS[topic], tmp_path), as_version=4)
    _, code = opening(notebook, topic)
    assert f'{topic} = student_module("{topic}", IMPL)' in code[1]
    assert code[2:] == [f'show("{topic}", "{s.name}", impl=IMPL)' for s in specs(topic)]


@pytest.mark.parametrize("topic", LESSONS)
def test_a_lesson_teaches_checks_each_function_and_keeps_its_answers_for_the_instructor(topic):
    """The student's lesson: title, objectives, a device cell that says which device it uses,
    equations, a `check("topic.function")` cell for every function the public checks grade, and
    reflection questions without their answers; the instructor's version has one answer per
    question and is otherwise the same lesson."""
    student = read(topic)
    markdown, code = opening(student, topic)
    instructor = nbformat.reads(notebooks.notebook(TOPICS[topic], answers=True), as_version=4)
    nbformat.validate(instructor)
    assert "torch.cuda.is_available()" in code[1] and "print(" in code[1]
    assert f'{topic} = student_module("{topic}", IMPL)' in code[2]
    assert "$$" in markdown  # the ideas come with their equations
    graded = {check.function for check in TOPICS[topic].checks("public")}
    checked = set(re.findall(rf'check\("{topic}\.(\w+)"\)', "\n".join(code)))
    assert checked == graded, f"functions without a check cell: {sorted(graded - checked)}"
    shown = set(re.findall(rf'show\("{topic}", "([\w.]+)"', "\n".join(code)))
    assert shown == {s.name for s in specs(topic)}  # every registered figure has its place
    questions = markdown.split("## Reflection questions")[1]
    asked = re.findall(r"^\d+\. ", questions, flags=re.M)
    assert len(asked) >= 5 and "**Answer.**" not in markdown
    answers = "\n".join(c.source for c in instructor.cells if c.cell_type == "markdown")
    assert answers.count("**Answer.**") == len(asked)
    assert [c.source for c in instructor.cells if c.cell_type == "code"] == code
    assert all(c.get("outputs", []) == [] for c in student.cells)  # committed clean


def test_a_lesson_source_keeps_answers_and_notes_apart():
    source = ("Intro <!-- a note to authors -->\n\n## Part\n\n```python\nx = 1\n```\n\n"
              "1. Why?\n<!-- answer -->\n   **Answer.** Because.\n<!-- /answer -->\n")
    assert lesson.cells(source, answers=False) == [
        ("markdown", "Intro "), ("markdown", "## Part"), ("code", "x = 1"),
        ("markdown", "1. Why?")]
    assert lesson.cells(source, answers=True)[-1] == ("markdown",
                                                      "1. Why?\n\n   **Answer.** Because.")
    with pytest.raises(ValueError, match="not closed"):
        lesson.cells("1. Why?\n<!-- answer -->\nno end", answers=False)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium from the system's packages (`make setup` installs chromium and
    chromium-driver), driven by Selenium: what a reader of the rendered lesson sees."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (binary and driver):
        pytest.fail("Chromium and its driver are not installed: run `make setup` (it installs "
                    "the chromium and chromium-driver packages), or apt-get install them")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(flag)
    chrome = webdriver.Chrome(options=options, service=Service(driver))
    yield chrome
    chrome.quit()


@pytest.mark.slow
@pytest.mark.parametrize("topic", list(TOPICS))
def test_a_notebook_runs_against_the_solutions_and_shows_its_figures(topic, browser, tmp_path):
    """Run where a student opens it (so the first cell's search for the pack's root is tested
    too), then render it to HTML as `make notebooks --html` does and open the page in a real
    browser: every figure is there and drawn, and no cell shows a traceback."""
    started = time.monotonic()
    notebook = notebooks.executed(TOPICS[topic])
    print(f"{topic}: executed in {time.monotonic() - started:.1f} s (budget 120 s)")
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    for cell in notebook.cells:  # every cell that draws shows its figure
        if cell.cell_type == "code" and re.search(r"\bshow\(", cell.source):
            assert any("image/png" in o.get("data", {}) for o in cell.outputs), cell.source
    images = [base64.b64decode(o.data["image/png"]) for o in outputs
              if o.output_type == "display_data" and "image/png" in o.data]
    assert len(images) >= len(specs(topic)) if topic in LESSONS else \
        len(images) == len(specs(topic))
    assert all(image.startswith(PNG) and len(image) > 10_000 for image in images)
    printed = "".join(o.text for o in outputs if o.output_type == "stream")
    assert f"solutions/{topic}.py" in printed
    assert "not drawn" not in printed

    page = tmp_path / f"{topic}.html"
    page.write_text(notebooks.html(notebook), encoding="utf-8")
    browser.get(page.as_uri())
    drawn = browser.execute_script(
        "return [...document.querySelectorAll('.jp-OutputArea-output img')]"
        ".map(img => img.complete ? img.naturalWidth * img.naturalHeight : 0)")
    assert len(drawn) == len(images) and all(area > 10_000 for area in drawn), drawn
    text = browser.find_element("tag name", "body").text
    assert "Traceback" not in text


@pytest.mark.slow
def test_on_the_stubs_a_cell_that_needs_an_unwritten_function_says_so_in_one_line():
    """The student's first run of a lesson, nothing written yet: every cell that reaches a stub
    prints one line naming the function, never NotImplementedError's traceback."""
    notebook = notebooks.executed(TOPICS["two_layer_net"], impl="exercises", allow_errors=True)
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("ename") == "NotImplementedError"]
    printed = "".join(o.text for o in outputs if o.output_type == "stream")
    assert re.search(r"^not run: two_layer_net\.init_params is not implemented yet", printed,
                     flags=re.M)

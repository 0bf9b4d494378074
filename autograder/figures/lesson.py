"""A topic's lesson source, `autograder/topics/<topic>/lesson.md`, read into notebook cells.

The source is Markdown with fenced ```python blocks. Each block becomes a code cell; the Markdown
between blocks becomes Markdown cells, a new one at each heading. Text between `<!-- answer -->`
and `<!-- /answer -->` is an answer to a reflection question: it appears in the instructor's
notebook only. Any other HTML comment is a note to authors and appears nowhere. The lesson never
ships as such (`manifest.SECRET`): students get the notebook generated from it.
"""

from __future__ import annotations

import re
from pathlib import Path

from autograder.course import ROOT, Topic

ANSWER = re.compile(r"<!-- answer -->(.*?)<!-- /answer -->", re.S)
COMMENT = re.compile(r"<!--.*?-->\n?", re.S)
FENCE = re.compile(r"^```python\n(.*?)^```\n?", re.S | re.M)


def lesson_path(topic: Topic, root: Path = ROOT) -> Path:
    return root / "autograder" / "topics" / topic.name / "lesson.md"


def cells(text: str, answers: bool) -> list[tuple[str, str]]:
    """(kind, source) of every cell: "markdown" or "code"; with `answers`, the instructor's."""
    text = ANSWER.sub((lambda m: m.group(1)) if answers else "", text)
    if "<!-- answer -->" in text or "<!-- /answer -->" in text:
        raise ValueError("an <!-- answer --> block is not closed (or closed twice)")
    text = COMMENT.sub("", text)
    found: list[tuple[str, str]] = []
    position = 0
    for block in FENCE.finditer(text):
        found += _markdown(text[position:block.start()])
        found.append(("code", block.group(1).rstrip("\n")))
        position = block.end()
    return found + _markdown(text[position:])


def _markdown(text: str) -> list[tuple[str, str]]:
    """Markdown cells, split before each heading; blank ones dropped."""
    parts = re.split(r"^(?=#{1,6} )", text, flags=re.M)
    return [("markdown", part.strip("\n")) for part in parts if part.strip()]

"""`python -m autograder report GRADED_DIR [--previous OLD_DIR]`: what a cohort's grading says,
for the instructor, from the results.json files `grade-all` wrote (nothing is graded again).

It writes GRADED_DIR/report/report.md with two PNGs beside it:
- the score distribution of each topic (`scores.png`: one histogram per topic, in percent of the
  topic's maximum);
- the pass rate of every check, hardest first (`hardest.png`: the 20 hardest; the table lists
  every check a submission failed);
- with `--previous`, the regrades: each submission whose total or a topic's score changed.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from pathlib import Path

from autograder.course import TOPICS

HARDEST_PLOTTED = 20


def load(folder: Path) -> dict[str, dict]:
    """{submission: its results.json} of every submission folder in `folder`."""
    found = {}
    for path in sorted(Path(folder).glob("*/results.json")):
        data = json.loads(path.read_text())
        found[data["extra_data"]["submission"]] = data
    return found


def topic_scores(results: dict[str, dict]) -> dict[str, list[float]]:
    """{topic: each submission's percentage of the topic's maximum} (not rejected ones). A full
    score is 100 exactly: results.json rounds score and maximum apart (to 4 decimals), and a
    ratio of 100.0000001 fell outside the histogram's last bin."""
    scores = defaultdict(list)
    for data in results.values():
        for name, summary in data["extra_data"]["topics"].items():
            if summary.get("max_score"):
                scores[name].append(min(100.0, 100 * summary["score"] / summary["max_score"]))
    order = [t.name for t in TOPICS.values()]
    return {name: scores[name] for name in sorted(
        scores, key=lambda n: (order.index(n) if n in order else len(order), n))}


def pass_rates(results: dict[str, dict]) -> list[tuple[str, int, int]]:
    """(check, passed, ran) of every check that ran, hardest first (then by name)."""
    passed, ran = defaultdict(int), defaultdict(int)
    for data in results.values():
        for test in data["tests"]:
            if test["max_score"] > 0:  # ran here (a CUDA check on a CPU host did not)
                ran[test["name"]] += 1
                passed[test["name"]] += test["status"] == "passed"
    return sorted(((name, passed[name], ran[name]) for name in ran),
                  key=lambda row: (row[1] / row[2], row[0]))


def regrades(results: dict[str, dict], previous: dict[str, dict]) -> list[tuple[str, str, str]]:
    """(submission, what changed, before -> after) for every changed total or topic score."""
    changes = []
    for name in sorted(set(results) | set(previous)):
        now, before = results.get(name), previous.get(name)
        if now is None or before is None:
            changes.append((name, "submission", "only before" if now is None else "new"))
            continue
        if round(now["score"], 2) != round(before["score"], 2):
            changes.append((name, "total", f"{before['score']:.2f} -> {now['score']:.2f}"))
        topics_now, topics_before = now["extra_data"]["topics"], before["extra_data"]["topics"]
        for topic in sorted(set(topics_now) | set(topics_before)):
            a = topics_before.get(topic, {}).get("score", 0.0)
            b = topics_now.get(topic, {}).get("score", 0.0)
            if round(a, 2) != round(b, 2):
                changes.append((name, topic, f"{a:.2f} -> {b:.2f}"))
    return changes


def plot_scores(scores: dict[str, list[float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    count = max(1, len(scores))
    columns = min(5, count)
    rows = -(-count // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(max(6.0, 3.2 * columns), 2.6 * rows),
                                squeeze=False, sharex=True)
    numbers = {t.name: t.number for t in TOPICS.values()}
    for axis, (name, values) in zip(axes.flat, scores.items(), strict=False):
        axis.hist(values, bins=[i * 10 for i in range(11)], color="#4c72b0", edgecolor="white")
        axis.set_title(f"{numbers.get(name, '')} {name}", fontsize=9)
        axis.set_xlabel("score (% of the topic's maximum)", fontsize=8)
        axis.set_ylabel("submissions", fontsize=8)
    for axis in list(axes.flat)[len(scores):]:
        axis.set_visible(False)
    figure.suptitle(f"Score distribution per topic ({max(map(len, scores.values()), default=0)}"
                    " submissions)")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def plot_hardest(rates: list[tuple[str, int, int]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    shown = rates[:HARDEST_PLOTTED][::-1]  # hardest at the top
    figure, axis = plt.subplots(figsize=(9, 0.32 * len(shown) + 1.2))
    axis.barh([name for name, _, _ in shown], [100 * p / r for _, p, r in shown],
              color="#dd8452")
    axis.set_xlim(0, 100)
    axis.set_xlabel("submissions that pass (%)")
    axis.set_title(f"The {len(shown)} hardest checks of the cohort")
    axis.tick_params(axis="y", labelsize=7)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)


def write(folder: Path, previous: Path | None = None) -> Path:
    """The report of the cohort graded in `folder`; returns the path of report.md."""
    results = load(folder)
    if not results:
        raise ValueError(f"{folder}: no */results.json (grade the cohort with grade-all first)")
    out = Path(folder) / "report"
    out.mkdir(exist_ok=True)
    scores, rates = topic_scores(results), pass_rates(results)
    plot_scores(scores, out / "scores.png")
    lines = [f"# Cohort report: {len(results)} submissions", "",
             f"From the results in `{folder}`.", "", "## Scores per topic", "",
             "![score distribution per topic](scores.png)", "",
             "| topic | submissions | mean % | median % | at 100 % | at 0 % |",
             "|---|---:|---:|---:|---:|---:|"]
    numbers = {t.name: t.number for t in TOPICS.values()}
    for name, values in scores.items():
        lines.append(f"| {numbers.get(name, '')} {name} | {len(values)} | "
                     f"{statistics.fmean(values):.1f} | {statistics.median(values):.1f} | "
                     f"{sum(v >= 99.995 for v in values)} | {sum(v <= 0.005 for v in values)} |")
    failing = [row for row in rates if row[1] < row[2]]
    lines += ["", "## Checks, hardest first", ""]
    if failing:
        plot_hardest(failing, out / "hardest.png")
        lines += ["![the hardest checks](hardest.png)", "", "| check | pass | ran | pass rate |",
                  "|---|---:|---:|---:|"]
        lines += [f"| {name} | {p} | {r} | {100 * p / r:.0f} % |" for name, p, r in failing]
    else:
        (out / "hardest.png").unlink(missing_ok=True)  # from an earlier report of the folder
        lines.append("Every check that ran passed for every submission.")
    if previous is not None:
        changes = regrades(results, load(previous))
        lines += ["", f"## Regrades: changes from `{previous}`", ""]
        lines += (["| submission | what | before -> after |", "|---|---|---|"]
                  + [f"| {name} | {what} | {change} |" for name, what, change in changes]
                  if changes else ["No score changed."])
    path = out / "report.md"
    path.write_text("\n".join(lines) + "\n")
    return path

"""Graders' Docker path: build the grading image (`make image`) and grade a folder of submissions,
one container per submission (`make grade SUBMISSIONS=DIR OUT=DIR`).

Each container sees one submission (read-only) and one empty results folder; it has no network,
a read-only root, a private /tmp, memory, CPU and process limits, and a wall clock enforced here
(`docker kill`). Inside it the grader runs as usual: the student's code runs in a sandboxed child
under another uid, the grader tree is readable by root only. This process, outside every
container, writes the gradebook from the results.json files; a container that fails or times out
gets a results.json saying so, and the others are graded on.

    python -m autograder.containers image [--base-image IMG] [--python python3]
    python -m autograder.containers grade DIR --out DIR [--workers N] [--topic T ...]
    python -m autograder.containers selftest [--out DIR]   (CI: the same gradebook both ways)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from autograder.config import DEFAULT_CONFIG, load_config
from autograder.course import ROOT, select
from autograder.grade import unique_names
from autograder.manifest import grader_files
from autograder.report import write_gradebook

IMAGE = os.environ.get("NNF_IMAGE", "nnf-pack-grader:latest")
BASE_IMAGE = os.environ.get("BASE_IMAGE", "nnf-base:bookworm")
DOCKERFILE = Path(__file__).with_name("docker") / "Dockerfile"
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")
START_MARGIN_S = 120  # container start, torch import and expected data, on top of topic limits
MEMORY = "8g"  # the container's memory; each topic's child has its own lower rlimit
PIDS = 4096


def build_context(folder: Path) -> Path:
    """The build context: the grader tree, the Dockerfile and the host's CA bundle."""
    for relative in grader_files():
        target = folder / "grader" / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / relative, target)
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, folder / name)
    shutil.copyfile(DOCKERFILE, folder / "Dockerfile")
    ca = folder / "pip-ca.crt"
    if CA_BUNDLE.is_file():
        shutil.copyfile(CA_BUNDLE, ca)
    else:
        ca.write_text("")
    return folder


def build_image(image: str = IMAGE, base_image: str = BASE_IMAGE, python: str = "python3",
                fashion_mnist: bool = True) -> None:
    with tempfile.TemporaryDirectory(prefix="nnf-image-") as scratch:
        context = build_context(Path(scratch))
        subprocess.run(["docker", "build", "--tag", image, "--build-arg",
                        f"BASE_IMAGE={base_image}", "--build-arg", f"PYTHON={python}",
                        "--build-arg", f"FASHION_MNIST={int(fashion_mnist)}", str(context)],
                       check=True)


def host_gpus() -> bool:
    """Whether containers can be given the host's GPUs (`--gpus all`)."""
    nvidia = shutil.which("nvidia-smi")
    return bool(nvidia) and subprocess.run([nvidia, "-L"], capture_output=True).returncode == 0


def docker_command(image: str, source: Path, mounted_as: str, out: Path, cpus: float,
                   gpus: bool, topics: list[str], name: str,
                   config: str = "grading.toml") -> list[str]:
    command = ["docker", "run", "--rm", "--name", name, "--network", "none",
               "--memory", MEMORY, "--memory-swap", MEMORY, "--cpus", f"{cpus:g}",
               "--pids-limit", str(PIDS), "--security-opt", "no-new-privileges",
               "--read-only", "--tmpfs", "/tmp:rw,size=2g",
               "--mount", f"type=bind,src={source.resolve()},dst=/in/{mounted_as},readonly",
               "--mount", f"type=bind,src={out.resolve()},dst=/out"]
    if gpus:
        command += ["--gpus", "all"]
    command += [image, "--config", f"grading_config/{config}", "grade", f"/in/{mounted_as}",
                "--out", "/out"]
    for topic in topics:
        command += ["--topic", topic]
    return command


def grade_one(image: str, source: Path, name: str, out: Path, cpus: float, gpus: bool,
              topics: list[str], timeout_s: float, config: str = "grading.toml") -> dict:
    """Run one container; return its results.json, or one written here when it failed."""
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.iterdir():  # the container writes afresh; a stale file must not count
        shutil.rmtree(stale) if stale.is_dir() else stale.unlink()
    out.chmod(0o755)
    mounted_as = name + (".zip" if source.suffix.lower() == ".zip" else "")
    container = f"nnf-grade-{uuid.uuid4().hex[:12]}"
    started = time.monotonic()
    problem = ""
    try:
        run = subprocess.run(docker_command(image, source, mounted_as, out, cpus, gpus, topics,
                                            container, config),
                             capture_output=True, text=True, timeout=timeout_s)
        (out / "container.log").write_text(run.stdout + run.stderr)
        if run.returncode != 0:
            problem = f"the grading container exited with status {run.returncode}: " \
                      + (run.stderr.strip().splitlines() or ["no message"])[-1]
    except subprocess.TimeoutExpired:
        subprocess.run(["docker", "kill", container], capture_output=True)
        problem = f"the grading container ran past its {timeout_s:.0f} s limit and was killed"
    results = out / "results.json"
    if not problem:
        try:
            return json.loads(results.read_text())
        except (OSError, ValueError) as error:
            problem = f"the grading container wrote no readable results.json ({error})"
    failed = {"score": 0.0, "max_score": 0.0, "execution_time": time.monotonic() - started,
              "output": f"Not graded: {problem}. Nothing was recorded for this submission; "
                        "grade it again.", "tests": [],
              "extra_data": {"submission": name, "rejected": problem, "topics": {}}}
    results.write_text(json.dumps(failed, indent=2))
    return failed


def grade_folder(folder: Path, out: Path, image: str = IMAGE, workers: int = 1,
                 topics: list[str] | None = None, config_path: Path = DEFAULT_CONFIG) -> list:
    if config_path.resolve().parent != (ROOT / "grading_config").resolve():
        raise SystemExit(f"error: {config_path}: the image holds the configurations in "
                         "grading_config/ only; put it there and run make image again")
    config = load_config(config_path)
    chosen = [t.name for t in select(topics)]
    timeout_s = START_MARGIN_S + sum(config.topics[t].time_limit_s for t in chosen)
    entries = [p for p in sorted(folder.iterdir()) if not p.name.startswith(".")
               and p.resolve() != out.resolve()]
    names = unique_names(entries)
    cpus = max(1.0, (os.cpu_count() or 1) / workers)
    gpus = host_gpus()
    out.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(
            lambda entry, name: grade_one(image, entry, name, out / name, cpus, gpus,
                                          topics or [], timeout_s, config_path.name),
            entries, names))
    write_gradebook(results, out / "gradebook.csv")
    return results


# Two topics, one of them attacked by the malicious sample, and five samples: reference, stubs,
# partly correct, a mutant, malicious. Each container computes its own expected data.
SELFTEST_TOPICS = ["two_layer_net", "regularization"]
SELFTEST_SAMPLES = ("reference", "stubs", "partly_correct", "malicious", "mutant_")


def selftest(out: Path, workers: int = 2) -> int:
    """Grade the bundled samples in containers and without Docker; the gradebooks must agree
    topic by topic (0 when they do)."""
    from autograder.demo import build_samples
    from autograder.grade import Grader

    shutil.rmtree(out, ignore_errors=True)
    samples = out / "samples"
    built = build_samples(samples)
    kept = {next(s for s in built if s.name.startswith(prefix)) for prefix in SELFTEST_SAMPLES}
    for sample in set(built) - kept:
        sample.unlink()
    with Grader(load_config(DEFAULT_CONFIG), select(SELFTEST_TOPICS), workers=workers) as grader:
        grader.grade_all(samples, out / "local", progress=False)
    started = time.monotonic()
    grade_folder(samples, out / "docker", workers=workers, topics=SELFTEST_TOPICS)
    seconds = time.monotonic() - started
    local, docker = (_rows(out / kind / "gradebook.csv") for kind in ("local", "docker"))
    differences = [f"{name}: {column} is {docker.get(name, {}).get(column)} in containers, "
                   f"{value} without Docker" for name, row in local.items()
                   for column, value in row.items()
                   if column != "notes" and docker.get(name, {}).get(column) != value]
    print((out / "docker" / "gradebook.csv").read_text(), end="")
    print(f"{len(local)} samples graded in containers in {seconds:.1f} s ({workers} at a time)")
    for line in differences:
        print(f"MISMATCH {line}")
    same = not differences and local.keys() == docker.keys()
    if same:
        print("the container gradebook matches grading without Docker, topic by topic")
    # Gradescope's layout in the image: the otter zip gives the engine's score, attack included.
    started = time.monotonic()
    otter = gradescope_in_image(out, [samples / "reference.zip", samples / "malicious.zip"])
    for name, results in otter.items():
        score, want = results.get("score", float("nan")), float(local[name]["total"])
        ours = results.get("output", "").startswith("# Feedback") and all(
            "tags" in row for row in results.get("tests", [])) and results.get("tests")
        ok = abs(score - want) < 0.01 and bool(ours)
        same &= ok
        print(f"{'ok' if ok else 'MISMATCH'}: otter zip in Gradescope's layout, in the image: "
              f"{name} {score:.2f}, without Docker {want:.2f}; Gradescope reads "
              f"{'the engine' if ours else 'NOT the engine'}'s rows and feedback.md")
    print(f"(Gradescope layout: {time.monotonic() - started:.1f} s)")
    return 0 if same else 1


def gradescope_in_image(out: Path, samples: list[Path], image: str = IMAGE) -> dict[str, dict]:
    """The otter-grader zip run as Gradescope runs it, inside the grading image: the zip unzipped
    in /autograder/source, the upload unzipped in /autograder/submission, run_autograder copied to
    /autograder; /autograder/results/results.json per sample, as Gradescope reads it ({} when
    there is none)."""
    from autograder.otter_zip import build, gradescope_layout

    archive = build(out / "autograder.zip", topics=select(SELFTEST_TOPICS)).path
    scores = {}
    for sample in samples:
        layout = out / "gradescope" / sample.stem
        gradescope_layout(archive, sample, layout)
        run = subprocess.run(
            ["docker", "run", "--rm", "--network", "none", "--memory", MEMORY,
             "--pids-limit", str(PIDS), "--mount", f"type=bind,src={layout.resolve()},"
             "dst=/autograder", "--env", "NNF_PYTHON=/opt/nnf-venv/bin/python",
             "--entrypoint", "/autograder/run_autograder", image],
            capture_output=True, text=True, timeout=START_MARGIN_S + 300)
        (layout / "container.log").write_text(run.stdout + run.stderr)
        results = layout / "results" / "results.json"
        scores[sample.stem] = json.loads(results.read_text()) \
            if run.returncode == 0 and results.is_file() else {}
    return scores


def _rows(path: Path) -> dict[str, dict[str, str]]:
    import csv

    with path.open() as handle:
        return {row["submission"]: row for row in csv.DictReader(handle)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.containers",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    image = commands.add_parser("image", help="build the grading image")
    image.add_argument("--image", default=IMAGE)
    image.add_argument("--base-image", default=BASE_IMAGE)
    image.add_argument("--python", default="python3", help="the base image's Python 3.11")
    image.add_argument("--no-fashion-mnist", action="store_true",
                       help="bake the generated fixture without trying the download")
    grade = commands.add_parser("grade", help="grade a folder, one container per submission")
    grade.add_argument("folder", type=Path)
    grade.add_argument("--out", type=Path, required=True)
    grade.add_argument("--image", default=IMAGE)
    grade.add_argument("--workers", type=int, default=1)
    grade.add_argument("--topic", action="append")
    grade.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                       help="a configuration in grading_config/ (baked into the image)")
    selftest_parser = commands.add_parser("selftest", help="grade the samples in containers and "
                                          "without Docker; the gradebooks must agree")
    selftest_parser.add_argument("--out", type=Path, default=ROOT / "build" / "selftest")
    args = parser.parse_args(argv)
    if shutil.which("docker") is None:
        print("error: docker is not installed; `make image` installs and starts it",
              file=sys.stderr)
        return 2
    if args.command == "selftest":
        return selftest(args.out)
    if args.command == "image":
        build_image(args.image, args.base_image, args.python, not args.no_fashion_mnist)
        return 0
    if not args.folder.is_dir():
        print(f"error: {args.folder}: not a folder", file=sys.stderr)
        return 2
    results = grade_folder(args.folder, args.out, args.image, args.workers, args.topic,
                           args.config)
    print(f"graded {len(results)} submission(s) in containers; gradebook: "
          f"{args.out / 'gradebook.csv'}")
    print((args.out / "gradebook.csv").read_text(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())

# nnf-pack: `make setup`, then `make test`. Students: `make check [TOPIC=regularization]`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
IMPL ?= exercises
TOPIC ?=
FUNC ?=
CHECKS := autograder/topics

SUBMISSION ?=
SUBMISSIONS ?=
OUT ?= graded
WORKERS ?= 2
CONFIG ?= grading_config/grading.toml
# The grading image's base: here a Debian base built by autograder/docker/base.sh; on a GPU host a
# CUDA PyTorch image (then also BASE_PYTHON=python, its own Python 3.11).
BASE_IMAGE ?= nnf-base:bookworm
BASE_PYTHON ?= python3

.PHONY: help setup test lint check verify mutate demo grade-one grade-all measure stubs data \
	image grade docker-check docker-stop dist submit pytest verify-logged image-logged autograder figures notebooks gallery \
	bench gpu-wheels gpu-check contracts

help:
	@echo "make setup                      create .venv with the pinned dependencies"
	@echo "make test                       the project's own suite: lint, unit tests and the red-team"
	@echo "                                suite, verify (local and graded mode)"
	@echo "make test-fast                  lint, stubs and notebooks up to date, the unit tests without"
	@echo "                                the slow, sandbox, redteam and docker ones (under 3 min)"
	@echo "make check [TOPIC=name]         students: public checks on exercises/ (IMPL=... to change)"
	@echo "make check FUNC=losses.kl_div   the public checks of one function or class"
	@echo "make verify                     reference full marks, stubs zero, every mutant caught"
	@echo "make demo                       grade the bundled sample submissions, print the gradebook"
	@echo "make grade-one SUBMISSION=x.zip [OUT=dir]    grade one submission in the sandbox"
	@echo "make grade-all SUBMISSIONS=dir [OUT=dir] [WORKERS=2] [RESUME=1] [ROSTER=csv]  grade a folder, write gradebook.csv"
	@echo "make mutate [TOPIC=name]        mutation testing: mutmut's mutants of the reference against"
	@echo "                                the checks; docs/mutation/<topic>.md (full run: see there)"
	@echo "make measure                    the reference's error on each tolerance-based check"
	@echo "make contracts [TOPIC=name]     each graded function's contract kinds and their checks"
	@echo "make stubs                      regenerate exercises/ from solutions/"
	@echo "make new-topic MODULE=name NUMBER=5-11 TITLE=\"...\"  scaffold a new topic (CONTRIBUTING.md)"
	@echo "make data                       download FashionMNIST into data/ (needs internet)"
	@echo "make figures [TOPIC=name]       your exercises/ at work: PNGs under figures/<topic>/"
	@echo "                                (IMPL=solutions: the reference's)"
	@echo "make notebooks                  regenerate exercises/notebooks/ (lessons, instructor copies in"
	@echo "                                build/instructor/) and render them, run, to build/html/"
	@echo "make gallery                    docs/feedback-gallery.md: what students read for each mutant"
	@echo "make bench                      timings against the targets (10 min): table, bench/results.json"
	@echo "make autograder                 the otter-grader autograder zip (build/autograder.zip)"
	@echo "make dist                       student release: dist/nnf-pack-student-<version>.zip"
	@echo "make submit [IMPL=exercises]    students: write submission.zip (ten modules, manifest)"
	@echo "make image [BASE_IMAGE=img]      build the grading Docker image (starts dockerd if needed)"
	@echo "make grade SUBMISSIONS=dir OUT=dir [WORKERS=2] [CONFIG=grading_config/production.toml]"
	@echo "                                one container per submission, then gradebook.csv"
	@echo "make docker-check                the samples graded in containers match grading without Docker"
	@echo "make docker-stop                 stop the dockerd that make image started (by its pid)"
	@echo "make gpu-check [PY=python3]      on a GPU machine: prove the CUDA path, report in"
	@echo "                                build/gpu-check/ (exits 2 without CUDA)"
	@echo "make gpu-wheels                  the wheels a bare GPU machine lacks, into .whl/"

setup:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet ".[dev]"
	@# The rendered-notebook test opens each lesson in a real browser: the system's Chromium.
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	  chromium chromium-driver >/dev/null; } || echo "WARNING: could not install chromium and \
	chromium-driver (apt-get, as root); tests/test_notebooks.py needs them and will fail" >&2
	@$(PY) -c "import torch, torchvision, otter; print('setup ok: torch', torch.__version__, \
	'torchvision', torchvision.__version__, '- CUDA available:', torch.cuda.is_available())"

test: lint
	$(PY) -m autograder stubs --check
	$(PY) -m autograder.figures.notebooks --check
	@# pytest, verify and the image build (network and disk) run side by side: each leaves cores
	@# idle part of the time. verify and the image print their logs when they end.
	$(MAKE) --no-print-directory -j3 pytest verify-logged image-logged
	$(PY) -m autograder.containers selftest

pytest:
	$(PY) -m pytest

# The inner loop: what `make test` checks first, and the tests that need no sandboxed grading
# child, no Docker and no more than a few seconds each (markers in pyproject.toml). `make test`
# stays the full gate: it deselects nothing.
.PHONY: test-fast
FAST := not slow and not sandbox and not redteam and not docker
test-fast: lint
	$(PY) -m autograder stubs --check
	$(PY) -m autograder.figures.notebooks --check
	$(PY) -m pytest -m "$(FAST)" -p no:cacheprovider

# Beside pytest: sandbox uids are leased host-wide, so the two never share one.
verify-logged:
	@mkdir -p build && $(PY) -m autograder verify > build/verify.log 2>&1; \
	status=$$?; cat build/verify.log; exit $$status

image-logged:
	@mkdir -p build && $(MAKE) --no-print-directory image > build/image.log 2>&1 \
	&& echo "grading image built (log: build/image.log)" || { tail -40 build/image.log; exit 1; }

lint:
	$(PY) -m ruff check .

# FUNC=losses.kl_div (or TOPIC=losses FUNC=kl_div): one function's public checks.
CHECK_TOPIC := $(or $(TOPIC),$(if $(findstring .,$(FUNC)),$(firstword $(subst ., ,$(FUNC)))))
check:
ifneq ($(CHECK_TOPIC),)
	@test -f $(CHECKS)/$(CHECK_TOPIC)/public.py || { echo "unknown topic '$(CHECK_TOPIC)'; \
	topics: $$(ls $(CHECKS) | grep -v __ | tr '\n' ' ')"; exit 2; }
endif
	$(PY) -m pytest $(if $(CHECK_TOPIC),$(CHECKS)/$(CHECK_TOPIC)/public.py,$(wildcard \
	$(CHECKS)/*/public.py)) --impl $(IMPL) $(if $(FUNC),--function $(FUNC)) -p no:cacheprovider

verify:
	$(PY) -m autograder verify

demo:
	$(PY) -m autograder demo

grade-one:
	@test -n "$(SUBMISSION)" || { echo "usage: make grade-one SUBMISSION=path.zip [OUT=dir]"; exit 2; }
	$(PY) -m autograder grade $(SUBMISSION) --out $(OUT)

grade-all:
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade-all SUBMISSIONS=dir [OUT=dir]"; exit 2; }
	$(PY) -m autograder grade-all $(SUBMISSIONS) --out $(OUT) --workers $(WORKERS) \
	$(if $(RESUME),--resume) $(if $(ROSTER),--roster $(ROSTER))

measure:
	$(PY) -m autograder measure

# The contract rule (CONTRIBUTING.md, autograder/contracts.py): exits 1 if a kind lacks a check.
contracts:
	$(PY) -m autograder contracts $(if $(TOPIC),--topic $(TOPIC))

# Mutation testing (docs/mutation/README.md): TOPIC=name for one topic.
mutate:
	$(PY) -m autograder mutate $(if $(TOPIC),--topic $(TOPIC)) --workers $(WORKERS)

stubs:
	$(PY) -m autograder stubs

.PHONY: new-topic
new-topic:
	@test -n "$(MODULE)" && test -n "$(NUMBER)" && test -n "$(TITLE)" || { echo \
	'usage: make new-topic MODULE=name NUMBER=5-11 TITLE="what the topic teaches"'; exit 2; }
	$(PY) -m autograder new-topic $(MODULE) --number $(NUMBER) --title "$(TITLE)"

data:
	$(PY) -m data.fashion_mnist

image:
	bash autograder/docker/dockerd.sh
	@if [ "$(BASE_IMAGE)" = nnf-base:bookworm ]; then bash autograder/docker/base.sh; fi
	$(PY) -m autograder.containers image --base-image $(BASE_IMAGE) --python $(BASE_PYTHON)

grade:
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=dir OUT=dir [WORKERS=2]"; exit 2; }
	$(PY) -m autograder.containers grade $(SUBMISSIONS) --out $(OUT) --workers $(WORKERS) \
	--config $(CONFIG)

docker-check: image
	$(PY) -m autograder.containers selftest

docker-stop:
	@if [ -f build/dockerd.pid ]; then kill "$$(cat build/dockerd.pid)" && rm build/dockerd.pid \
	&& echo "stopped the dockerd that make image started"; else echo "no dockerd started by make image"; fi

dist:
	$(PY) -m autograder.release dist --out dist

submit:
	$(PY) -m autograder.release submit --impl $(IMPL)

autograder:
	$(PY) -m autograder.otter_zip build --config $(CONFIG)

figures:
	$(PY) -m autograder.figures --impl $(IMPL) $(if $(TOPIC),--topic $(TOPIC))

notebooks:
	$(PY) -m autograder.figures.notebooks --html build/html

gallery:
	$(PY) -m autograder.gallery --out docs/feedback-gallery.md

bench:
	$(PY) -m autograder.bench

GPU_OUT ?= build/gpu-check
GPU_BUDGET ?= 480

gpu-wheels:
	bash autograder/gpu_wheels.sh

# Where a GPU is lent (a bare machine has no .venv: make gpu-check PY=python3).
gpu-check:
	$(PY) -m autograder.gpu_check --out $(GPU_OUT) --budget-s $(GPU_BUDGET)

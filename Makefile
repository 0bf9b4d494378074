# nnf-pack: `make setup`, then `make test`. Students: `make check [TOPIC=regularization]`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
IMPL ?= exercises
TOPIC ?=
CHECKS := autograder/checks/public

SUBMISSION ?=
SUBMISSIONS ?=
OUT ?= graded
WORKERS ?= 2

.PHONY: help setup test lint check verify demo grade-one grade-all measure stubs data

help:
	@echo "make setup                      create .venv with the pinned dependencies"
	@echo "make test                       the project's own suite: lint, unit tests and the red-team"
	@echo "                                suite, verify (local and graded mode)"
	@echo "make check [TOPIC=name]         students: public checks on exercises/ (IMPL=... to change)"
	@echo "make verify                     reference full marks, stubs zero, every mutant caught"
	@echo "make demo                       grade the bundled sample submissions, print the gradebook"
	@echo "make grade-one SUBMISSION=x.zip [OUT=dir]    grade one submission in the sandbox"
	@echo "make grade-all SUBMISSIONS=dir [OUT=dir] [WORKERS=2]  grade a folder, write gradebook.csv"
	@echo "make measure                    the reference's error on each tolerance-based check"
	@echo "make stubs                      regenerate exercises/ from solutions/"
	@echo "make data                       download FashionMNIST into data/ (needs internet)"

setup:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet ".[dev]"
	@$(PY) -c "import torch, torchvision, otter; print('setup ok: torch', torch.__version__, \
	'torchvision', torchvision.__version__, '- CUDA available:', torch.cuda.is_available())"

test: lint
	$(PY) -m autograder stubs --check
	$(PY) -m pytest
	$(PY) -m autograder verify

lint:
	$(PY) -m ruff check .

check:
ifneq ($(TOPIC),)
	@test -f $(CHECKS)/$(TOPIC).py || { echo "unknown TOPIC '$(TOPIC)'; topics: \
	$$(ls $(CHECKS) | grep -v __init__ | sed 's/\.py//' | tr '\n' ' ')"; exit 2; }
endif
	$(PY) -m pytest $(if $(TOPIC),$(CHECKS)/$(TOPIC).py,$(CHECKS)) --impl $(IMPL) -p no:cacheprovider

verify:
	$(PY) -m autograder verify

demo:
	$(PY) -m autograder demo

grade-one:
	@test -n "$(SUBMISSION)" || { echo "usage: make grade-one SUBMISSION=path.zip [OUT=dir]"; exit 2; }
	$(PY) -m autograder grade $(SUBMISSION) --out $(OUT)

grade-all:
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade-all SUBMISSIONS=dir [OUT=dir]"; exit 2; }
	$(PY) -m autograder grade-all $(SUBMISSIONS) --out $(OUT) --workers $(WORKERS)

measure:
	$(PY) -m autograder measure

stubs:
	$(PY) -m autograder stubs

data:
	$(PY) -m data.fashion_mnist

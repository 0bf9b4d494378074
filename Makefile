# nnf-pack: `make setup`, then `make test`. Students: `make check [TOPIC=regularization]`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
IMPL ?= exercises
TOPIC ?=
CHECKS := autograder/checks/public

.PHONY: help setup test lint check verify demo measure stubs data

help:
	@echo "make setup                      create .venv with the pinned dependencies"
	@echo "make test                       the project's own suite: lint, unit tests, verify"
	@echo "make check [TOPIC=name]         students: public checks on exercises/ (IMPL=... to change)"
	@echo "make verify                     reference full marks, stubs zero, every mutant caught"
	@echo "make demo                       the main job available so far (verify; see README)"
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

verify demo:
	$(PY) -m autograder verify

measure:
	$(PY) -m autograder measure

stubs:
	$(PY) -m autograder stubs

data:
	$(PY) -m data.fashion_mnist

#!/usr/bin/env bash
# The wheels `make gpu-check` carries to a GPU machine that has no network: the pure-Python
# packages the grader needs beyond what that machine's PyTorch environment ships (jsonschema, which
# load_config uses, and its dependencies), for CPython 3.12 on x86-64 Linux, at the versions this
# checkout's .venv resolved (so the GPU run uses what the tests here use).
#
#   bash autograder/gpu_wheels.sh [DEST]      # DEST defaults to .whl/ at the repository root
#
# On the GPU machine:
#   python3 -m pip install -q --no-index --no-deps --target /tmp/site .whl/*.whl
#   PYTHONPATH=/tmp/site:. python3 -m autograder.gpu_check --out "$OUT"
#
# attrs and typing-extensions ship with that environment already (torch needs typing-extensions);
# attrs travels anyway: it is small, and without it jsonschema would not import at all.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEST="${1:-$ROOT/.whl}"
VENV_PY="${VENV_PY:-$ROOT/.venv/bin/python}"   # whose versions are pinned / resolved
PIP_PY="${PIP_PY:-python3}"                    # which pip downloads (any version: the target is
                                               # given below)
PACKAGES=(jsonschema jsonschema-specifications referencing rpds-py attrs)

mkdir -p "$DEST"
for name in "${PACKAGES[@]}"; do
    version="$("$VENV_PY" -m pip show "$name" 2>/dev/null | sed -n 's/^Version: //p')"
    if [ -z "$version" ]; then
        echo "gpu_wheels: $name is not installed in $VENV_PY's environment (make setup first)" >&2
        exit 1
    fi
    "$PIP_PY" -m pip download --quiet --no-deps --only-binary=:all: \
        --python-version 3.12 --implementation cp \
        --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 \
        --platform manylinux2014_x86_64 -d "$DEST" "$name==$version"
    echo "gpu_wheels: $name==$version"
done
ls -l "$DEST"/*.whl

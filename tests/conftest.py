"""Shared fixtures for the project's own suite."""

from __future__ import annotations

import pytest

from autograder.config import load_config
from autograder.topics import TOPICS


@pytest.fixture(scope="session")
def config():
    return load_config()


@pytest.fixture(scope="session")
def regularization():
    return TOPICS["regularization"]

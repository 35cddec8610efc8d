"""Shared fixtures: the demo portfolio and the external (shared) datasets."""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
# shared hypothesis strategies (tests/strategies.py) importable as ``strategies`` under
# --import-mode=importlib, which does not put tests/ on the path
sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(scope="session")
def demo():
    """All demo tables (dict of DataFrames)."""
    from creditlab.io.datasets import load_demo

    return load_demo()


@pytest.fixture(scope="session")
def external():
    """Path of ../shared/external; tests using it skip when it is absent (a user's clone)."""
    from creditlab.io.datasets import external_dir

    path = external_dir()
    if path is None:
        pytest.skip("../shared/external is absent (only CI and developers have it)")
    return path

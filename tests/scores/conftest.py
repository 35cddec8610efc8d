"""Fixtures of the statements tests: demo statements when the demo portfolio exists."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def demo_fs(request):
    """The demo ``financial_statements`` table; skips while the demo portfolio is not built."""
    from creditlab.io.datasets import DEMO_DIR

    if not (DEMO_DIR / "financial_statements.csv").exists():
        try:
            import creditlab.synth  # noqa: F401
        except ImportError:
            pytest.skip("demo portfolio not generated yet (creditlab.synth missing)")
    return request.getfixturevalue("demo")["financial_statements"]

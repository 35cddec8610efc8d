"""The HTML export's warm-up thread started with the report's kernel (latency only)."""

from __future__ import annotations

import sys

from creditlab.reports import _warmup


def test_warm_up_thread_finishes_and_loads_the_export():
    thread = _warmup.start_warm_up()
    assert thread.daemon and thread.name == "creditlab-export-warm-up"
    thread.join(timeout=120)
    assert not thread.is_alive()
    assert {"nbconvert", "creditlab.documents", "creditlab._safety"} <= set(sys.modules)


def test_warm_up_swallows_errors(monkeypatch):
    import nbconvert

    def broken(*args, **kwargs):
        raise RuntimeError("no export")

    monkeypatch.setattr(nbconvert, "HTMLExporter", broken)
    _warmup._warm_up()  # only a warm-up: the real export reports its own errors

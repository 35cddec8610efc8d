"""Warm up the HTML export of a report while its kernel runs (latency of ``report run``).

While papermill executes the report, the runner's main thread only waits on the kernel's
messages. :func:`start_warm_up` uses that time, on the other core, to pay the export's first-call
costs (nbconvert's exporter and filters, bleach, the documents module: about 0.35 s of CPU) that
would otherwise come after the last cell. It converts a one-cell notebook the way
:func:`creditlab.reports.runner.sanitise_outputs` and ``_html`` do, and nothing else: outputs are
unchanged, and any error is left to the real export.
"""

from __future__ import annotations

import threading

__all__ = ["start_warm_up"]


def _warm_up() -> None:
    try:
        import nbformat  # optional: reports
        from nbconvert import HTMLExporter  # optional: reports

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("warm-up")])
        HTMLExporter(exclude_input=True).from_notebook_node(nb)
    except Exception:  # noqa: BLE001 - only a warm-up: the real export reports its errors
        pass


def start_warm_up() -> threading.Thread:
    """Start the warm-up in a daemon thread and return it."""
    thread = threading.Thread(target=_warm_up, name="creditlab-export-warm-up", daemon=True)
    thread.start()
    return thread

"""Plots: one sub-module per area; every function takes ``ax=None`` and returns the Axes.

Sub-modules are imported on first use: ``creditlab.plots.aging``, ``.solvency``, ``.kpi``,
``.finance``, ``.dunning``.
"""

from __future__ import annotations

import importlib

_AREAS = ("aging", "solvency", "kpi", "finance", "dunning")


def __getattr__(name: str):
    if name in _AREAS:
        return importlib.import_module(f"creditlab.plots.{name}")
    raise AttributeError(f"module 'creditlab.plots' has no attribute {name!r}")

"""Receivables: the customer ledger as of a date, the aged balance, payment behaviour, KPIs.

- :func:`open_items` — open documents at a date (partial payments, credit notes, cash on account,
  disputes as of the date);
- :func:`aged_balance` — the balance âgée (:class:`AgedBalance`);
- :func:`payment_behaviour` — per-customer days to pay and lateness;
- ``creditlab.receivables.kpi`` and ``creditlab.receivables.exposure`` — DSO family, portfolio
  ratios, exposure (their public names are also reachable from this package, imported on first
  use). ``creditlab.receivables.exposure`` is the module; its function ``exposure`` is also
  available as ``creditlab.receivables.exposure_at``.
"""

from __future__ import annotations

import importlib

from creditlab.receivables.aging import (
    AGING_LABELS,
    AgedBalance,
    aged_balance,
    bucket_codes,
    bucket_labels,
)
from creditlab.receivables.behaviour import BEHAVIOUR_LABELS, payment_behaviour
from creditlab.receivables.items import Ledger, OpenItems, resolve_items
from creditlab.receivables.ledger import DOC_TYPE_LABELS, OPEN_ITEM_COLUMNS, open_items

__all__ = [
    "Ledger",
    "OpenItems",
    "resolve_items",
    "open_items",
    "OPEN_ITEM_COLUMNS",
    "DOC_TYPE_LABELS",
    "aged_balance",
    "AgedBalance",
    "AGING_LABELS",
    "bucket_labels",
    "bucket_codes",
    "payment_behaviour",
    "BEHAVIOUR_LABELS",
]

#: Sibling modules whose public names are forwarded lazily (``creditlab.receivables.dso_simple``).
_LAZY_MODULES = ("kpi", "exposure")


#: Package-level aliases of functions whose name is also a module name.
_ALIASES = {"exposure_at": ("exposure", "exposure")}


def __getattr__(name: str):
    if name in _ALIASES:
        mod, attr = _ALIASES[name]
        return getattr(importlib.import_module(f"creditlab.receivables.{mod}"), attr)
    for mod in _LAZY_MODULES:
        if name == mod:
            return importlib.import_module(f"creditlab.receivables.{mod}")
        try:
            module = importlib.import_module(f"creditlab.receivables.{mod}")
        except ModuleNotFoundError:
            continue
        if name in getattr(module, "__all__", ()):
            return getattr(module, name)
    raise AttributeError(f"module 'creditlab.receivables' has no attribute {name!r}")


def __dir__() -> list[str]:
    names = list(__all__)
    for mod in _LAZY_MODULES:
        try:
            names += list(getattr(importlib.import_module(f"creditlab.receivables.{mod}"),
                                  "__all__", ()))
        except ModuleNotFoundError:
            continue
    return sorted(set(names))

"""creditlab — a credit-management workbook.

Sub-packages (imported on first use to keep ``import creditlab`` fast):

- ``creditlab.io``          readers, schemas, bundled and external datasets
- ``creditlab.synth``       deterministic demo-portfolio generator
- ``creditlab.receivables`` open items, aged balance, KPIs
- ``creditlab.statements``  SIG, CAF, functional balance sheet, ratios
- ``creditlab.scores``      Conan-Holder, Altman, external ratings, risk points, customer rating
- ``creditlab.modeling``    binning/WoE, scorecard, calibration, master scale, validation
- ``creditlab.limits``      credit limits and credit hold
- ``creditlab.legal``       payment terms, late-payment penalties, reference rates
- ``creditlab.dunning``     dunning policies, action planning, letters
- ``creditlab.finance``     economics of customer credit, insurance, factoring, negotiation
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_SUBMODULES = (
    "io", "synth", "receivables", "statements", "scores", "modeling", "limits", "legal",
    "dunning", "finance", "plots", "widgets", "exercises", "i18n", "reports", "exceptions",
)

__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name: str):
    if name in _SUBMODULES:
        return importlib.import_module(f"creditlab.{name}")
    raise AttributeError(f"module 'creditlab' has no attribute {name!r}")

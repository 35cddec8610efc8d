"""Scheduled reports: parameterised notebooks shipped with the package, and what they call.

- :mod:`creditlab.reports.listing` — find the report notebooks and read their title and
  parameters (standard library only: ``creditlab report list``);
- :mod:`creditlab.reports.runner` — run the report notebooks (papermill), publish the
  executed notebook, its HTML and the files it wrote atomically (``creditlab report run``);
- :mod:`creditlab.reports.inputs` — :func:`load_inputs`, the one input-loading policy of every
  report (demo portfolio, or the user's files with a required ``as_of``; ledger and open items);
- :mod:`creditlab.reports.common` — output folder, parameter parsing, CSV/Excel exports, labelled
  and formatted tables;
- :mod:`creditlab.reports.aged`, :mod:`creditlab.reports.dashboard`,
  :mod:`creditlab.reports.dunning`, :mod:`creditlab.reports.calibration` — the tables and
  checks of each report, so that a report notebook holds only parameters, calls and prose.

The notebooks themselves are package data in ``creditlab/reports/notebooks/``.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "INPUT_TABLES": "inputs", "ReportInputs": "inputs", "empty_table": "inputs",
    "load_inputs": "inputs", "check_config": "checking",
    "RUNNER_PARAMETERS": "listing", "ReportInfo": "listing", "list_reports": "listing",
    "parse_value": "listing", "report_info": "listing", "reports_dir": "listing",
    "run_report": "runner", "select_language": "runner",
}

_SUBMODULES = ("inputs", "listing", "runner", "common", "aged", "dashboard", "dunning", "calibration")

__all__ = ["ReportInfo", "list_reports", "report_info", "run_report", "parse_value",
           "reports_dir", "select_language", "RUNNER_PARAMETERS", "ReportInputs", "load_inputs",
           "empty_table", "INPUT_TABLES", "check_config"]


def __getattr__(name: str):
    # imported on first use: ``creditlab report list`` needs the listing only, not pandas
    if name in _EXPORTS:
        value = getattr(importlib.import_module(f"creditlab.reports.{_EXPORTS[name]}"), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f"creditlab.reports.{name}")
    raise AttributeError(f"module 'creditlab.reports' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))

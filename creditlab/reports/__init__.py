"""Scheduled reports: parameterised notebooks shipped with the package, and what they call.

- :mod:`creditlab.reports.runner` — list and run the report notebooks (papermill), publish the
  executed notebook, its HTML and the files it wrote atomically (``creditlab report ...``);
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

from creditlab.reports.inputs import INPUT_TABLES, ReportInputs, empty_table, load_inputs
from creditlab.reports.runner import (
    RUNNER_PARAMETERS,
    ReportInfo,
    list_reports,
    parse_value,
    report_info,
    reports_dir,
    run_report,
    select_language,
)

__all__ = ["ReportInfo", "list_reports", "report_info", "run_report", "parse_value",
           "reports_dir", "select_language", "RUNNER_PARAMETERS", "ReportInputs", "load_inputs",
           "empty_table", "INPUT_TABLES"]

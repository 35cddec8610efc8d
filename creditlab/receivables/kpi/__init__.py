"""Receivables KPIs: pure formulas, snapshot KPIs, the monthly history and the KPI catalogue.

- :mod:`~creditlab.receivables.kpi.formulas` — DSO (simple and countback), BPDSO, ADD, CEI and
  portfolio ratios, on numbers (scalars, arrays, Series);
- :mod:`~creditlab.receivables.kpi.snapshot` — KPIs of the open items at a date
  (:func:`receivables_status`, :func:`weighted_days_past_due`, :func:`dispute_ageing`,
  :func:`average_days_to_pay`);
- :mod:`~creditlab.receivables.kpi.history` — :func:`kpi_history`, every KPI at every month end
  in one vectorised pass over the ledger;
- :mod:`~creditlab.receivables.kpi.catalogue` — one record per KPI code (label, unit, NaN
  notes, source): :func:`kpi_catalogue`, :func:`kpi_unit`, :func:`kpi_format`.

Definitions: ``DOMAIN.md`` §6 (Credit Research Foundation; DSO in TTC, pitfall 5; "current" =
``due_date >= as_of``, past due = ``days_past_due >= 1``, over 90 = ``days_past_due > 90``).
"""

from __future__ import annotations

from creditlab.receivables.kpi.catalogue import (
    HISTORY_COLUMNS,
    KPI_LABELS,
    KPI_NOTES,
    KpiRecord,
    kpi_catalogue,
    kpi_format,
    kpi_label,
    kpi_unit,
    note_text,
)
from creditlab.receivables.kpi.formulas import (
    _countback_core,  # noqa: F401  (tests reach it here)
    average_days_delinquent,
    bad_debt_ratio,
    bpdso,
    cei,
    cei_annual,
    credit_limit_utilisation,
    ddso,
    dispute_rate,
    dso_countback,
    dso_simple,
    overdue_ratio,
    provisioning_ratio,
    receivables_turnover,
    share_over_90,
)
from creditlab.receivables.kpi.history import kpi_history
from creditlab.receivables.kpi.snapshot import (
    average_days_to_pay,
    dispute_ageing,
    dispute_ageing_words,
    receivables_status,
    weighted_days_past_due,
)

__all__ = [
    "dso_simple",
    "dso_countback",
    "bpdso",
    "average_days_delinquent",
    "ddso",
    "cei",
    "cei_annual",
    "overdue_ratio",
    "share_over_90",
    "receivables_turnover",
    "weighted_days_past_due",
    "receivables_status",
    "average_days_to_pay",
    "dispute_rate",
    "dispute_ageing",
    "dispute_ageing_words",
    "bad_debt_ratio",
    "provisioning_ratio",
    "credit_limit_utilisation",
    "kpi_history",
    "HISTORY_COLUMNS",
    "KPI_LABELS",
    "KPI_NOTES",
    "note_text",
    "KpiRecord",
    "kpi_catalogue",
    "kpi_unit",
    "kpi_format",
    "kpi_label",
]

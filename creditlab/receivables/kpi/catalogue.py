"""The KPI catalogue: one record per KPI code — label, unit, NaN notes, source.

Everything that depends on what a KPI *is* derives from these records: the column order of
:func:`~creditlab.receivables.kpi.kpi_history` (:data:`HISTORY_COLUMNS`), which chart axes are
percentages (``creditlab.plots.kpi``), and how a report prints a value (:func:`kpi_format`).
The words live in the label catalogue (``creditlab/data/labels/receivables.csv``, key = the KPI
code; the NaN notes under ``kpi_note_<code>``).

Units: ``days``, ``fraction`` (0.733, printed 73,3 %), ``eur_ttc`` and ``eur_ht`` (euros incl.
or excl. VAT), ``count``.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

import pandas as pd

from creditlab.exceptions import InputError
from creditlab.i18n import check_lang, format_eur, format_pct
from creditlab.labels import text

__all__ = ["KpiRecord", "kpi_catalogue", "kpi_unit", "kpi_format", "kpi_label", "note_text",
           "HISTORY_COLUMNS", "KPI_UNITS", "KPI_LABELS", "KPI_NOTES", "NOTE_CODES"]

#: Units a KPI may have.
KPI_UNITS = ("days", "fraction", "eur_ttc", "eur_ht", "count")


@dataclass(frozen=True)
class KpiRecord:
    """One KPI: its code (a column of ``kpi_history``), unit, NaN notes and source.

    ``nan_notes`` are the note codes (column ``notes`` of ``kpi_history``) that explain a NaN
    value of this KPI; the label key is the code itself.
    """

    code: str
    unit: str
    nan_notes: tuple[str, ...]
    source: str

    @property
    def label_key(self) -> str:
        return self.code


_BAL = "balance at the month end: open items aged as in DOMAIN.md §6.3 (CRF, pitfall 6)"
_FLOW = "flow of the month, from the ledger"
_DSO = ("receivables × days of the last dso_months months / TTC sales of those months "
        "(DOMAIN.md §6.1, CRF; TTC, pitfall 5)")
_SHARE = ("share of the positive net receivables (DOMAIN.md §6.4); NaN on a net credit balance")
_HT = "excl. VAT (DOMAIN.md §6.5, pitfall 7)"

#: The records, in the column order of ``kpi_history``.
_RECORDS: tuple[KpiRecord, ...] = (
    KpiRecord("receivables_ttc", "eur_ttc", (), _BAL),
    KpiRecord("current_ttc", "eur_ttc", (), _BAL + "; not yet due: due_date >= month end"),
    KpiRecord("past_due_ttc", "eur_ttc", (), _BAL + "; days past due >= 1"),
    KpiRecord("over_90_ttc", "eur_ttc", (), _BAL + "; days past due > 90"),
    KpiRecord("sales_ttc", "eur_ttc", (), _FLOW + " (documents issued in the month, TTC)"),
    KpiRecord("sales_ht", "eur_ht", ("no_amount_ht",), _FLOW + ", " + _HT),
    KpiRecord("dso_simple", "days", ("no_sales", "credit_balance"), _DSO),
    KpiRecord("dso_countback", "days", ("countback_exhausted", "credit_balance"),
              "receivables exhausted by the sales of past months, most recent first "
              "(DOMAIN.md §6.1, countback method)"),
    KpiRecord("bpdso", "days", ("no_sales", "credit_balance"),
              "current receivables × days / sales (DOMAIN.md §6.2, CRF best possible DSO)"),
    KpiRecord("add", "days", ("no_sales", "credit_balance"),
              "DSO − BPDSO (DOMAIN.md §6.2, CRF average days delinquent)"),
    KpiRecord("cei", "fraction", ("cei_zero_denominator",),
              "(B + S − E) / (B + S − current E), month (DOMAIN.md §6.4, CRF CEI)"),
    KpiRecord("cei_12m", "fraction", ("cei_zero_denominator", "no_history_12m"),
              "CRF annual form: (B12 + S12/12 − E) / (B12 + S12/12 − current E) "
              "(DOMAIN.md §6.4)"),
    KpiRecord("overdue_ratio", "fraction", ("no_receivables", "credit_balance"),
              "past due / receivables; " + _SHARE),
    KpiRecord("share_over_90", "fraction", ("no_receivables", "credit_balance"),
              "over 90 days / receivables; " + _SHARE),
    KpiRecord("weighted_days_past_due", "days", (),
              "Σ open × days past due / Σ open over past-due invoices (DOMAIN.md §6.3); NaN "
              "when nothing is past due"),
    KpiRecord("paid_ttc", "eur_ttc", (),
              _FLOW + ": positive cash lines allocated to invoices (as payment_behaviour)"),
    KpiRecord("avg_days_to_pay", "days", ("no_payments",),
              "amount-weighted days from issue to payment of the month's cash"),
    KpiRecord("avg_days_late", "days", ("no_payments",),
              "amount-weighted days from due date to payment of the month's cash"),
    KpiRecord("disputed_ttc", "eur_ttc", ("no_disputes_table",),
              _BAL + "; open amount of documents with a dispute open at the month end"),
    KpiRecord("disputes_opened_ttc", "eur_ttc", ("no_disputes_table",),
              _FLOW + ": amount of the disputes opened in the month"),
    KpiRecord("dispute_rate", "fraction", ("no_disputes_table", "no_receivables",
                                          "credit_balance"),
              "disputed / receivables; " + _SHARE),
    KpiRecord("write_offs_ht", "eur_ht", ("no_write_offs",),
              _FLOW + ": write-offs net of recoveries, " + _HT),
    KpiRecord("bad_debt_ratio", "fraction", ("no_write_offs", "no_amount_ht", "no_history_12m"),
              "12 months net write-offs / 12 months sales, HT/HT (DOMAIN.md §6.5, pitfall 7)"),
    KpiRecord("allowance_ht", "eur_ht", ("no_allowances",),
              "allowance for doubtful receivables booked up to the month end (PCG 491), " + _HT),
    KpiRecord("provisioning_ratio", "fraction", ("no_allowances", "no_amount_ht",
                                                "credit_balance"),
              "allowance / receivables HT, HT/HT (DOMAIN.md §6.5)"),
    KpiRecord("credit_limit_total", "eur_ttc", ("no_limits",),
              "Σ current credit limits > 0 of the group's customers (customers table)"),
    KpiRecord("limit_utilisation", "fraction", ("no_limits",),
              "Σ positive receivables of customers with a limit / Σ their limits "
              "(DOMAIN.md §5)"),
    KpiRecord("n_over_limit", "count", ("no_limits",),
              "customers whose receivables exceed their limit (a limit of 0 counts)"),
)
_BY_CODE = MappingProxyType({r.code: r for r in _RECORDS})

#: Columns of :func:`kpi_history`, in order (the catalogue's codes, then ``notes``).
HISTORY_COLUMNS: tuple[str, ...] = (*(r.code for r in _RECORDS), "notes")

#: Codes of the reasons attached to NaN values (column ``notes`` of ``kpi_history``).
NOTE_CODES: tuple[str, ...] = (
    "no_sales", "credit_balance", "countback_exhausted", "no_history_12m",
    "cei_zero_denominator", "no_receivables", "no_payments", "no_disputes_table", "no_limits",
    "no_write_offs", "no_allowances", "no_amount_ht")

#: Columns of :func:`~creditlab.receivables.kpi.dispute_ageing` with a label.
_DISPUTE_AGEING = ("n_open", "amount_ttc", "avg_age_days", "max_age_days")


def _words(keys, prefix: str = "") -> dict[str, dict[str, str]]:
    return {k: {"fr": text(prefix + k, "fr"), "en": text(prefix + k, "en")} for k in keys}


#: French / English labels of the KPI columns (derived from the label catalogue; kept for the
#: callers of the former dictionary — use :func:`kpi_label` or ``creditlab.labels.text``).
KPI_LABELS: dict[str, dict[str, str]] = _words([*HISTORY_COLUMNS[:-1], *_DISPUTE_AGEING])
#: French / English texts of the note codes (derived from the label catalogue).
KPI_NOTES: dict[str, dict[str, str]] = _words(NOTE_CODES, "kpi_note_")


def _record(code: str) -> KpiRecord:
    rec = _BY_CODE.get(code) if isinstance(code, str) else None
    if rec is None:
        raise InputError("code", f"a KPI code of the catalogue ({', '.join(_BY_CODE)})", code,
                         "see creditlab.receivables.kpi.kpi_catalogue()")
    return rec


def kpi_catalogue() -> pd.DataFrame:
    """The KPI catalogue as a new DataFrame, one row per KPI code.

    Returns
    -------
    DataFrame indexed by ``code`` (the column order of ``kpi_history``), columns ``label_key``,
    ``label_fr``, ``label_en``, ``unit`` (``days``, ``fraction``, ``eur_ttc``, ``eur_ht``,
    ``count``), ``nan_notes`` (``;``-separated note codes explaining a NaN) and ``source``.
    """
    return pd.DataFrame({
        "label_key": [r.label_key for r in _RECORDS],
        "label_fr": [text(r.label_key, "fr") for r in _RECORDS],
        "label_en": [text(r.label_key, "en") for r in _RECORDS],
        "unit": [r.unit for r in _RECORDS],
        "nan_notes": [";".join(r.nan_notes) for r in _RECORDS],
        "source": [r.source for r in _RECORDS],
    }, index=pd.Index([r.code for r in _RECORDS], name="code"))


def kpi_unit(code: str) -> str:
    """The unit of a KPI code: ``days``, ``fraction``, ``eur_ttc``, ``eur_ht`` or ``count``.

    Raises
    ------
    InputError
        ``code`` is not in the catalogue.
    """
    return _record(code).unit


def kpi_label(code: str, lang: str = "fr") -> str:
    """The words of a KPI code (or of a ``dispute_ageing`` column) in ``lang``."""
    return text(code, check_lang(lang))


def kpi_format(code: str, value: float, lang: str = "fr", *,
               decimals: int | None = None) -> str:
    """A KPI value as a report prints it, from the unit of its code.

    ``fraction`` → ``12,3 %`` / ``12.3%``; ``days`` → ``45,2 j`` / ``45.2 d``; ``eur_ttc`` and
    ``eur_ht`` → ``1 234 €`` / ``€1,234`` (no cents by default); ``count`` → ``12``. NaN (or
    None) → ``—``. ``decimals`` overrides the default (1 for fractions and days, 0 otherwise).

    Raises
    ------
    InputError
        Unknown ``code`` or ``lang``.
    """
    unit = kpi_unit(code)
    check_lang(lang)
    if value is None or pd.isna(value):
        return "—"
    value = float(value)
    if unit == "fraction":
        return format_pct(value, lang, 1 if decimals is None else decimals)
    if unit == "days":
        s = f"{value:.{1 if decimals is None else decimals}f}"
        return f"{s.replace('.', ',')}\u00a0j" if lang == "fr" else f"{s} d"
    if unit == "count":
        return f"{value:.{0 if decimals is None else decimals}f}"
    return format_eur(value, lang, 0 if decimals is None else decimals)


def note_text(notes: str, lang: str = "fr") -> str:
    """Translate a ``;``-separated string of note codes into readable text."""
    check_lang(lang)
    if not isinstance(notes, str) or not notes:
        return ""
    return " ; ".join(text("kpi_note_" + c, lang) if c in NOTE_CODES else c
                      for c in notes.split(";") if c)

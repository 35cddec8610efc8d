"""Receivables KPIs: DSO (simple and countback), BPDSO, ADD, CEI and portfolio ratios.

Every formula follows ``DOMAIN.md`` §6 (Credit Research Foundation definitions, French practice
for the DSO). Conventions shared by all functions of this module:

- Receivables and sales are **TTC** (incl. VAT) for the DSO family (DOMAIN.md §6.1, pitfall 5);
  the bad-debt and provisioning ratios are **HT** (pitfall 7).
- Ratios are fractions (0.733, not 73.3); durations are days.
- Inputs may be scalars, numpy arrays or pandas Series (aligned on their index); the output has
  the same shape. Zero denominators give NaN, never ``inf``; each function says when it returns
  NaN and why. Negative balances or sales where they make no sense raise :class:`InputError`
  unless ``on_negative="nan"`` is passed.
- "Current" receivables are those not yet due at the date (``due_date >= as_of``); "past due"
  means ``days_past_due = as_of - due_date >= 1``; "over 90 days" means ``days_past_due > 90``
  (the CRF's "over 91 days past due" bucket).

The monthly history of every KPI straight from the ledger is :func:`kpi_history`
(``creditlab.receivables.kpi_history``), computed in one vectorised pass.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from creditlab._checks import as_of_date as _as_of
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.receivables.items import OpenItems, resolve_items

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
    "bad_debt_ratio",
    "provisioning_ratio",
    "credit_limit_utilisation",
    "kpi_history",
    "HISTORY_COLUMNS",
    "KPI_LABELS",
    "KPI_NOTES",
    "note_text",
]

OnNegative = Literal["raise", "nan"]
Number = float | np.ndarray | pd.Series

#: French / English labels of the KPI columns produced by this module (used by plots and reports).
KPI_LABELS: dict[str, dict[str, str]] = {
    "receivables_ttc": {"fr": "Encours clients TTC", "en": "Receivables (incl. VAT)"},
    "current_ttc": {"fr": "Non échu TTC", "en": "Current (not yet due)"},
    "past_due_ttc": {"fr": "Échu TTC", "en": "Past due"},
    "over_90_ttc": {"fr": "Échu > 90 jours", "en": "Over 90 days past due"},
    "sales_ttc": {"fr": "CA TTC du mois", "en": "Sales of the month (incl. VAT)"},
    "sales_ht": {"fr": "CA HT du mois", "en": "Sales of the month (excl. VAT)"},
    "dso_simple": {"fr": "DSO comptable (j)", "en": "DSO, simple (days)"},
    "dso_countback": {"fr": "DSO par épuisement (j)", "en": "DSO, countback (days)"},
    "bpdso": {"fr": "BPDSO (j)", "en": "Best possible DSO (days)"},
    "add": {"fr": "Retard moyen ADD (j)", "en": "Average days delinquent (days)"},
    "cei": {"fr": "CEI mensuel", "en": "CEI (monthly)"},
    "cei_12m": {"fr": "CEI annuel (CRF)", "en": "CEI (annual, CRF)"},
    "overdue_ratio": {"fr": "Taux d'échu", "en": "Overdue ratio"},
    "share_over_90": {"fr": "Part échue > 90 j", "en": "Share over 90 days past due"},
    "weighted_days_past_due": {"fr": "Retard moyen pondéré (j)",
                               "en": "Amount-weighted days past due"},
    "avg_days_to_pay": {"fr": "Délai moyen de paiement (j)", "en": "Average days to pay"},
    "avg_days_late": {"fr": "Retard moyen de paiement (j)", "en": "Average days late at payment"},
    "paid_ttc": {"fr": "Encaissements affectés", "en": "Cash allocated to invoices"},
    "disputed_ttc": {"fr": "Montant en litige", "en": "Amount in dispute"},
    "dispute_rate": {"fr": "Taux de litige", "en": "Dispute rate"},
    "disputes_opened_ttc": {"fr": "Litiges ouverts dans le mois", "en": "Disputes opened"},
    "credit_limit_total": {"fr": "Limites accordées", "en": "Credit limits granted"},
    "limit_utilisation": {"fr": "Utilisation des limites", "en": "Credit-limit utilisation"},
    "n_over_limit": {"fr": "Clients en dépassement", "en": "Customers over limit"},
    "bad_debt_ratio": {"fr": "Taux de pertes (HT)", "en": "Bad-debt ratio (excl. VAT)"},
    "write_offs_ht": {"fr": "Pertes du mois (HT)", "en": "Write-offs (excl. VAT)"},
    "allowance_ht": {"fr": "Dépréciation clients (HT)",
                     "en": "Allowance for doubtful receivables (excl. VAT)"},
    "provisioning_ratio": {"fr": "Taux de dépréciation (HT)",
                           "en": "Provisioning ratio (excl. VAT)"},
    "n_open": {"fr": "litiges ouverts", "en": "open disputes"},
    "amount_ttc": {"fr": "montant TTC", "en": "amount (incl. VAT)"},
    "avg_age_days": {"fr": "ancienneté moyenne (j)", "en": "average age (days)"},
    "max_age_days": {"fr": "ancienneté max (j)", "en": "max age (days)"},
}

#: Reasons attached to NaN values in :func:`kpi_history` (column ``notes``, ``;``-separated codes).
KPI_NOTES: dict[str, dict[str, str]] = {
    "no_sales": {"fr": "pas de CA sur la période : DSO/BPDSO non calculables",
                 "en": "no sales in the period: DSO/BPDSO undefined"},
    "credit_balance": {"fr": "encours net créditeur : DSO et ratios d'encours non significatifs",
                       "en": "net credit balance: DSO and receivable ratios not meaningful"},
    "countback_exhausted": {"fr": "encours supérieur au CA de toute la période disponible",
                            "en": "receivables exceed the sales of every available month"},
    "no_history_12m": {"fr": "moins de 12 mois d'historique : CEI annuel non calculable",
                       "en": "less than 12 months of history: annual CEI undefined"},
    "cei_zero_denominator": {"fr": "CEI : dénominateur nul ou négatif",
                             "en": "CEI: zero or negative denominator"},
    "no_receivables": {"fr": "encours nul : ratios d'encours non calculables",
                       "en": "no receivables: receivable ratios undefined"},
    "no_payments": {"fr": "aucun règlement affecté dans le mois",
                    "en": "no cash allocated in the month"},
    "no_disputes_table": {"fr": "table des litiges absente", "en": "no disputes table given"},
    "no_limits": {"fr": "aucune limite de crédit renseignée", "en": "no credit limit given"},
    "no_write_offs": {"fr": "pas de table des pertes : taux de pertes non calculable",
                      "en": "no write-offs table: bad-debt ratio undefined"},
    "no_allowances": {"fr": "pas de table des dépréciations : taux de dépréciation non calculable",
                      "en": "no allowances table: provisioning ratio undefined"},
    "no_amount_ht": {"fr": "montants HT des pièces absents (amount_ht) : ventes ou encours HT "
                           "inconnus, ratio HT non calculable",
                     "en": "no amount excl. VAT on the documents (amount_ht): sales or "
                           "receivables excl. VAT unknown, ratio undefined"},
}


def note_text(notes: str, lang: str = "fr") -> str:
    """Translate a ``;``-separated string of note codes into readable text."""
    check_lang(lang)
    if not isinstance(notes, str) or not notes:
        return ""
    return " ; ".join(KPI_NOTES.get(c, {}).get(lang, c) for c in notes.split(";") if c)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def _as_float(name: str, x: object) -> Number:
    """A number, numpy float array or float Series; anything else is a clear error."""
    if isinstance(x, pd.DataFrame):
        raise InputError(name, "a number, a numpy array or a pandas Series", "a DataFrame",
                         "pass one column, e.g. df['amount_ttc']")
    if isinstance(x, pd.Series):
        if x.dtype == bool or not pd.api.types.is_numeric_dtype(x):
            raise InputError(name, "numeric values", f"a Series of dtype {x.dtype}",
                             "convert with pd.to_numeric(...)")
        return x.astype("float64")
    if isinstance(x, (bool, np.bool_)) or x is None:
        raise InputError(name, "a number", x, "pass an amount in euros or a number of days")
    if isinstance(x, (int, float, np.integer, np.floating)):
        return float(x)
    if isinstance(x, (np.ndarray, list, tuple)):
        try:
            return np.asarray(x, dtype="float64")
        except (TypeError, ValueError):
            raise InputError(name, "numeric values", type(x).__name__,
                             "pass numbers (euros or days)") from None
    raise InputError(name, "a number, a numpy array or a pandas Series", type(x).__name__,
                     "pass numbers (euros or days)")


def _finish(x):
    """Return numpy scalars as Python floats, keep arrays and Series."""
    if isinstance(x, (np.floating, np.integer)):
        return float(x)
    if isinstance(x, np.ndarray) and x.ndim == 0:
        return float(x)
    return x


def _any(mask) -> bool:
    return bool(np.any(np.asarray(mask)))


def _negatives(name: str, x: Number, what: str, on_negative: OnNegative, fix: str) -> Number:
    """Raise on negative values, or turn them into NaN when ``on_negative == 'nan'``."""
    if on_negative not in ("raise", "nan"):
        raise InputError("on_negative", "'raise' or 'nan'", on_negative)
    with np.errstate(invalid="ignore"):
        neg = np.asarray(x) < 0
    if not _any(neg):
        return x
    if on_negative == "nan":
        if isinstance(x, pd.Series):
            return x.mask(x < 0)
        if isinstance(x, np.ndarray):
            return np.where(neg, np.nan, x)
        return np.nan
    if isinstance(x, pd.Series):
        got = x[x < 0].head(3).to_dict()
    elif isinstance(x, np.ndarray):
        got = x[neg][:3].tolist()
    else:
        got = x
    raise InputError(name, f"{what} >= 0", got, fix)


def _div(num: Number, den: Number) -> Number:
    """num / den with NaN (never inf) where den == 0."""
    if isinstance(den, pd.Series):
        den = den.where(den != 0)
    elif isinstance(den, np.ndarray):
        den = np.where(den != 0, den, np.nan)
    elif den == 0:
        den = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        return num / den


def _positive_days(name: str, days: Number) -> Number:
    days = _as_float(name, days)
    with np.errstate(invalid="ignore"):
        bad = ~(np.asarray(days) > 0)
    if _any(bad):
        raise InputError(name, "a number of days > 0 (e.g. 30, 90, 365)", days,
                         "pass the length of the period in days")
    return days


_NEG_REC_FIX = ("DSO is not meaningful for a net credit balance: exclude those rows, or pass "
                "on_negative='nan' to get NaN for them")
_NEG_SALES_FIX = ("credit sales of a period cannot be negative: check the sign of the credit "
                  "notes, or pass on_negative='nan'")
_NEG_TOTAL_FIX = ("a share of the receivables is not meaningful for a net credit balance: "
                  "exclude those rows, or pass on_negative='nan' to get NaN for them")


# --------------------------------------------------------------------------------------------
# DSO family
# --------------------------------------------------------------------------------------------

def dso_simple(receivables_ttc: Number, sales_ttc: Number, days: Number = 365.0, *,
               on_negative: OnNegative = "raise") -> Number:
    """DSO comptable (simple, "bancaire"): receivables × days / sales of the period.

    ``DSO = encours clients TTC en fin de période × jours de la période / CA TTC de la période``.

    Parameters
    ----------
    receivables_ttc : float, array or Series
        Trade receivables at the end of the period, incl. VAT (euros). Include discounted bills
        not yet due and assigned receivables not derecognised (DOMAIN.md §6.1).
    sales_ttc : float, array or Series
        Credit sales of the period, incl. VAT (euros).
    days : float, array or Series, default 365
        Length of the period in days (365, 182, 91, real calendar days...).
    on_negative : {"raise", "nan"}
        What to do with negative receivables or sales.

    Returns
    -------
    float, array or Series
        Days. NaN when sales are 0 (no sales in the period: the DSO is undefined).

    Notes
    -----
    Source: DOMAIN.md §6.1 (divalto: 30 000 × 90 / 60 000 = 45 days); CRF "Days Sales
    Outstanding" http://www.crfweb.net/KpiCalculator/KpiDefs.asp.
    """
    r = _negatives("receivables_ttc", _as_float("receivables_ttc", receivables_ttc),
                   "receivables", on_negative, _NEG_REC_FIX)
    s = _negatives("sales_ttc", _as_float("sales_ttc", sales_ttc), "sales", on_negative,
                   _NEG_SALES_FIX)
    d = _positive_days("days", days)
    return _finish(_div(r * d, s))


def bpdso(current_receivables_ttc: Number, sales_ttc: Number, days: Number = 365.0, *,
          on_negative: OnNegative = "raise") -> Number:
    """Best possible DSO: current (not-yet-due) receivables × days / sales of the period.

    Parameters
    ----------
    current_receivables_ttc : float, array or Series
        Receivables not yet due at the end of the period, incl. VAT (euros) — *not* the total
        (DOMAIN.md pitfall 6).
    sales_ttc, days, on_negative
        As in :func:`dso_simple`.

    Returns
    -------
    Days; NaN when sales are 0.

    Notes
    -----
    Source: CRF "Best Possible DSO" (DOMAIN.md §6.3); creditguru: current 4 000, sales 10 000,
    30 days → 12 days.
    """
    c = _negatives("current_receivables_ttc",
                   _as_float("current_receivables_ttc", current_receivables_ttc),
                   "current receivables", on_negative, _NEG_REC_FIX)
    s = _negatives("sales_ttc", _as_float("sales_ttc", sales_ttc), "sales", on_negative,
                   _NEG_SALES_FIX)
    d = _positive_days("days", days)
    return _finish(_div(c * d, s))


def average_days_delinquent(receivables_ttc: Number, current_receivables_ttc: Number,
                            sales_ttc: Number, days: Number = 365.0, *,
                            on_negative: OnNegative = "raise") -> Number:
    """Average days delinquent (ADD) = DSO − BPDSO; also called DDSO (delinquent DSO).

    ``ADD = (total receivables − current receivables) × days / sales of the period``.

    Parameters
    ----------
    receivables_ttc, current_receivables_ttc, sales_ttc, days, on_negative
        As in :func:`dso_simple` and :func:`bpdso` (TTC, euros; days).

    Returns
    -------
    Days; NaN when sales are 0.

    Notes
    -----
    Source: CRF "Average Days Delinquent" (DOMAIN.md §6.3); creditguru example: AR 15 000,
    current 4 000, sales 10 000 in 30 days → DSO 45, BPDSO 12, **ADD 33**. JD Edwards calls the
    same quantity DDSO. Not to be confused with :func:`weighted_days_past_due`.
    """
    dso = dso_simple(receivables_ttc, sales_ttc, days, on_negative=on_negative)
    best = bpdso(current_receivables_ttc, sales_ttc, days, on_negative=on_negative)
    return _finish(dso - best)


#: Delinquent DSO: the same quantity as :func:`average_days_delinquent`.
ddso = average_days_delinquent


def _month_periods(index: pd.Index, name: str) -> pd.PeriodIndex:
    try:
        if isinstance(index, pd.PeriodIndex):
            periods = index.asfreq("M")
        else:
            periods = pd.PeriodIndex(pd.to_datetime(index), freq="M")
    except (TypeError, ValueError) as exc:
        raise InputError(name, "an index of months (Period, Timestamp or 'YYYY-MM')",
                         list(index[:3]), f"index the sales by month ({exc})") from None
    if len(periods) == 0:
        raise InputError(name, "at least one month of sales", "no month",
                         "pass the monthly credit sales up to the month of month_end")
    if periods.has_duplicates:
        raise InputError(name, "one value per month", "duplicated months",
                         "aggregate the sales by month first")
    ordinals = periods.asi8
    if np.any(np.diff(ordinals) != 1):
        raise InputError(name, "consecutive months, oldest first, most recent last",
                         [str(p) for p in periods[:6]],
                         "sort by month and reindex with 0 for months without sales")
    return periods


def _countback_core(receivables: np.ndarray, sales_rev: np.ndarray,
                    days_rev: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Countback on many rows at once.

    ``receivables`` (N,), ``sales_rev`` (N, L) with the most recent month first, ``days_rev``
    (L,) or (N, L). Returns (dso, exhausted) where ``exhausted`` marks rows whose receivables
    exceed the sales of all L months. Rows with receivables <= 0 get 0 (negative rows are the
    caller's business). Loops over the L months (not over rows).
    """
    receivables = np.asarray(receivables, dtype="float64")
    sales_rev = np.asarray(sales_rev, dtype="float64")
    days_rev = np.broadcast_to(np.asarray(days_rev, dtype="float64"), sales_rev.shape)
    remaining = receivables.copy()
    dso = np.zeros_like(remaining)
    done = ~(remaining > 0)
    for k in range(sales_rev.shape[1]):
        if done.all():
            break
        s = sales_rev[:, k]
        d = days_rev[:, k]
        with np.errstate(divide="ignore", invalid="ignore"):
            last = ~done & (s > 0) & (remaining <= s)
            dso = np.where(last, dso + remaining / s * d, dso)
        full = ~done & ~last
        dso = np.where(full, dso + d, dso)
        remaining = np.where(full, remaining - s, remaining)
        done = done | last
    exhausted = ~done
    dso = np.where(exhausted | np.isnan(receivables), np.nan, dso)
    return dso, exhausted & ~np.isnan(receivables)


def dso_countback(receivables_ttc: float | pd.Series, monthly_sales_ttc: pd.Series | pd.DataFrame,
                  month_end, *, on_negative: OnNegative = "raise") -> float | pd.Series:
    """DSO par épuisement du CA (countback method).

    Start from the receivables at ``month_end``; subtract the credit sales of the month of
    ``month_end`` and count its calendar days, then the previous month, and so on backwards;
    when the remaining balance is smaller than a month's sales, add
    ``remaining / that month's sales × days in that month`` and stop.

    Parameters
    ----------
    receivables_ttc : float or Series
        Receivables incl. VAT at ``month_end`` (euros). A Series (e.g. by customer) requires
        ``monthly_sales_ttc`` to be a DataFrame with the same index.
    monthly_sales_ttc : Series or DataFrame
        Credit sales incl. VAT by month, **most recent last**; a Series indexed by month
        (Period, Timestamp or 'YYYY-MM'), or a DataFrame with one row per entity and one column
        per month. Months must be consecutive (reindex with 0 for months without sales) and the
        last one must be the month of ``month_end``.
    month_end : date-like
        Date of the receivables. Normally the last day of the month; if it is earlier, the
        current month counts ``month_end.day`` days (month-to-date sales).
    on_negative : {"raise", "nan"}
        What to do with negative receivables (a net credit balance).

    Returns
    -------
    float or Series
        Days. Real calendar days are used (28/29/30/31), only the last month reached is
        prorated. 0 when receivables are 0. **NaN** when the receivables exceed the sales of
        every month given (the history is too short to explain the balance); negative monthly
        sales (credit notes exceeding invoices) are subtracted as they are, i.e. they add a
        full month.

    Notes
    -----
    Source: DOMAIN.md §6.2 and pitfall 5; Divalto's 2nd example (2 500; 1 200/30 d, 800/31 d,
    700/30 d → 82.43 d); benjipays (73.7 d with 30-day months); ours with the 2025 calendar
    (71.4 d). Divalto's first example and edebex's are wrong (do not use them).
    """
    me = pd.Timestamp(month_end)
    if pd.isna(me):
        raise InputError("month_end", "a date", month_end, "pass the date of the receivables")
    if isinstance(monthly_sales_ttc, pd.DataFrame):
        frame = monthly_sales_ttc
        periods = _month_periods(frame.columns, "monthly_sales_ttc")
        values = frame.to_numpy(dtype="float64")
    elif isinstance(monthly_sales_ttc, pd.Series):
        frame = None
        periods = _month_periods(monthly_sales_ttc.index, "monthly_sales_ttc")
        values = monthly_sales_ttc.to_numpy(dtype="float64")[None, :]
    else:
        raise InputError("monthly_sales_ttc", "a Series indexed by month or a DataFrame",
                         type(monthly_sales_ttc).__name__,
                         "build it with invoices.groupby(issue_date.dt.to_period('M')).sum()")
    if periods[-1] != me.to_period("M"):
        raise InputError("monthly_sales_ttc", f"the last month to be {me.to_period('M')}",
                         str(periods[-1]), "pass the sales up to the month of month_end")
    days = periods.days_in_month.to_numpy(dtype="float64").copy()
    days[-1] = float(me.day)
    rec = _as_float("receivables_ttc", receivables_ttc)
    if isinstance(rec, pd.Series):
        if frame is None:
            raise InputError("monthly_sales_ttc", "a DataFrame (one row per entity) when "
                             "receivables_ttc is a Series", "a Series",
                             "pivot the sales: rows = entities, columns = months")
        missing = rec.index.difference(frame.index)
        if len(missing):
            raise InputError("monthly_sales_ttc", "a row for every entity of receivables_ttc",
                             list(missing[:5]), "add the missing rows (0 sales)")
        values = frame.loc[rec.index].to_numpy(dtype="float64")
    elif frame is not None and len(frame) != 1:
        raise InputError("receivables_ttc", "a Series with the DataFrame's index",
                         "a single number", "pass one receivable per row of monthly_sales_ttc")
    rec = _negatives("receivables_ttc", rec, "receivables", on_negative, _NEG_REC_FIX)
    r_arr = np.atleast_1d(np.asarray(rec, dtype="float64"))
    dso, _ = _countback_core(r_arr, values[:, ::-1], days[::-1])
    if isinstance(rec, pd.Series):
        return pd.Series(dso, index=rec.index, name="dso_countback")
    return float(dso[0])


# --------------------------------------------------------------------------------------------
# CEI and portfolio ratios
# --------------------------------------------------------------------------------------------

def cei(beginning_receivables: Number, credit_sales: Number, ending_receivables: Number,
        ending_current_receivables: Number) -> Number:
    """Collection Effectiveness Index (monthly or any-period form), as a fraction.

    ``CEI = (B + S − E_total) / (B + S − E_current)``, with B the receivables at the start of the
    period, S the credit sales of the period and E the ending receivables (total / current =
    not yet due).

    Returns
    -------
    Fraction (0.559 = 55.9 %); NaN when the denominator is <= 0 (nothing was collectable).

    Notes
    -----
    Source: CRF KPI definitions (DOMAIN.md §6.4); creditguru example: (6 200 + 3 630 − 6 340)
    / (6 200 + 3 630 − 3 590) = 55.9 %. The formula "(B − E)/(B − current)" without sales
    (calculator.academy) is wrong.
    """
    b = _as_float("beginning_receivables", beginning_receivables)
    s = _as_float("credit_sales", credit_sales)
    e = _as_float("ending_receivables", ending_receivables)
    c = _as_float("ending_current_receivables", ending_current_receivables)
    den = b + s - c
    if isinstance(den, pd.Series):
        den = den.where(den > 0)
    elif isinstance(den, np.ndarray):
        den = np.where(den > 0, den, np.nan)
    elif not den > 0:
        den = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        return _finish((b + s - e) / den)


def cei_annual(beginning_receivables: Number, annual_credit_sales: Number,
               ending_receivables: Number, ending_current_receivables: Number) -> Number:
    """CEI, CRF annual form: the period's credit sales are the annual credit sales / 12.

    ``beginning_receivables`` is the balance at the start of the 12 months.

    Notes
    -----
    Source: crfweb KPI page (DOMAIN.md §6.4). Ours: B 1 000 000, annual sales 12 000 000,
    ending 1 100 000, current 800 000 → 900 000 / 1 200 000 = **75.0 %**.
    """
    s = _as_float("annual_credit_sales", annual_credit_sales)
    return cei(beginning_receivables, s / 12.0, ending_receivables, ending_current_receivables)


def overdue_ratio(past_due_ttc: Number, receivables_ttc: Number, *,
                  on_negative: OnNegative = "raise") -> Number:
    """Taux d'échu: past-due receivables / total receivables (fraction).

    NaN when total receivables are 0 (nothing owed: the ratio is undefined). A negative total
    (net credit balance) raises :class:`InputError`, or gives NaN with ``on_negative="nan"``:
    the ratio would be a meaningless number (e.g. 200 %).

    Notes
    -----
    Source: DOMAIN.md §6.5 (ours: AR 15 000, current 4 000 → 11 000 / 15 000 = 73.3 %).
    """
    p = _as_float("past_due_ttc", past_due_ttc)
    t = _negatives("receivables_ttc", _as_float("receivables_ttc", receivables_ttc),
                   "total receivables", on_negative, _NEG_TOTAL_FIX)
    return _finish(_div(p, t))


def share_over_90(over_90_ttc: Number, receivables_ttc: Number, *,
                  on_negative: OnNegative = "raise") -> Number:
    """Share of receivables more than 90 days past due (CRF "% over 91 days past due").

    NaN when total receivables are 0; a negative total as in :func:`overdue_ratio`.
    Source: DOMAIN.md §6.5.
    """
    o = _as_float("over_90_ttc", over_90_ttc)
    t = _negatives("receivables_ttc", _as_float("receivables_ttc", receivables_ttc),
                   "total receivables", on_negative, _NEG_TOTAL_FIX)
    return _finish(_div(o, t))


def receivables_turnover(annual_credit_sales: Number, receivables_ttc: Number) -> Number:
    """Receivables turnover (times per year) = annual credit sales / ending receivables.

    NaN when receivables are 0. Source: CRF (DOMAIN.md §6.5).
    """
    s = _as_float("annual_credit_sales", annual_credit_sales)
    t = _as_float("receivables_ttc", receivables_ttc)
    return _finish(_div(s, t))


def dispute_rate(disputed_ttc: Number, receivables_ttc: Number, *,
                 on_negative: OnNegative = "raise") -> Number:
    """Share of receivables in dispute = open disputed amount / total receivables.

    NaN when receivables are 0; a negative total as in :func:`overdue_ratio`. No published
    norm (DOMAIN.md §6 is silent): amount-based, as in the aged balance's "litiges" column.
    """
    d = _as_float("disputed_ttc", disputed_ttc)
    t = _negatives("receivables_ttc", _as_float("receivables_ttc", receivables_ttc),
                   "total receivables", on_negative, _NEG_TOTAL_FIX)
    return _finish(_div(d, t))


def bad_debt_ratio(write_offs_ht: Number, sales_ht: Number, recoveries_ht: Number = 0.0) -> Number:
    """Bad-debt ratio = (write-offs − recoveries) / credit sales, both **HT**.

    Parameters
    ----------
    write_offs_ht : float, array or Series
        Irrecoverable debts written off in the period (PCG 654), excl. VAT (VAT on bad debts is
        recovered from the tax authority).
    sales_ht : float, array or Series
        Credit sales of the period, excl. VAT.
    recoveries_ht : float, array or Series, default 0
        Amounts recovered in the period on debts written off earlier.

    Returns
    -------
    Fraction; NaN when sales are 0.

    Notes
    -----
    Source: CRF "net bad debt write-offs as a % of sales"; DOMAIN.md §6.5 and pitfall 7
    (ours: (12 000 − 2 000) / 2 000 000 = 0.50 %).
    """
    w = _negatives("write_offs_ht", _as_float("write_offs_ht", write_offs_ht), "write-offs",
                   "raise", "write-offs are positive amounts; pass recoveries separately")
    r = _negatives("recoveries_ht", _as_float("recoveries_ht", recoveries_ht), "recoveries",
                   "raise", "recoveries are positive amounts")
    s = _negatives("sales_ht", _as_float("sales_ht", sales_ht), "sales", "raise",
                   _NEG_SALES_FIX)
    return _finish(_div(w - r, s))


def provisioning_ratio(allowance: Number, receivables: Number, *,
                       on_negative: OnNegative = "raise") -> Number:
    """Provisioning ratio = allowance for doubtful accounts (PCG 491) / total receivables.

    NaN when receivables are 0; a negative total (net credit balance) as in
    :func:`overdue_ratio`. Source: CRF "allowance for uncollectables as % of AR"
    (DOMAIN.md §6.5). Use the same VAT basis for both: the allowance is HT (pitfall 7), so
    pass receivables HT — :func:`kpi_history` converts the TTC receivables with the HT/TTC
    ratio of the open documents.
    """
    a = _negatives("allowance", _as_float("allowance", allowance), "allowance", "raise",
                   "an allowance (dépréciation) is a positive amount")
    t = _negatives("receivables", _as_float("receivables", receivables), "total receivables",
                   on_negative, _NEG_TOTAL_FIX)
    return _finish(_div(a, t))


def credit_limit_utilisation(exposure: Number, credit_limit: Number) -> Number:
    """Credit-limit utilisation = exposure (or receivables) / credit limit.

    Returns
    -------
    Fraction (> 1 means over limit). NaN when the limit is 0 or missing — no limit granted:
    report such customers as overruns separately (see ``creditlab.limits.credit_hold``).
    """
    e = _as_float("exposure", exposure)
    limit = _negatives("credit_limit", _as_float("credit_limit", credit_limit), "credit limit",
                       "raise", "a credit limit is a positive amount (0 = none granted)")
    return _finish(_div(e, limit))


# --------------------------------------------------------------------------------------------
# KPIs on open items (a snapshot at a date)
# --------------------------------------------------------------------------------------------

_ITEM_COLS = ("customer_id", "invoice_id", "doc_type", "due_date", "open_amount")


def _check_columns(df: pd.DataFrame, name: str, cols: Sequence[str], fix: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise InputError(name, "a DataFrame", type(df).__name__, fix)
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InputError(name, f"columns {list(cols)}", f"missing {missing}", fix)


def _days(dates: pd.Series | np.ndarray) -> np.ndarray:
    """Day ordinals (int64 days since 1970-01-01) of a datetime Series; NaT → INT64 min."""
    values = pd.to_datetime(dates).to_numpy()
    if values.dtype != "datetime64[D]":
        values = values.astype("datetime64[D]")
    return values.view("int64")


def _resolve(items, as_of, customers):
    """(items DataFrame, as_of, customers) of a snapshot KPI's arguments (see resolve_items)."""
    if isinstance(items, OpenItems) and customers is None:
        customers = items.customers
    frame, asof = resolve_items(items, as_of)
    return frame, asof, customers


def _group_key(items: pd.DataFrame, by: str | None, customers: pd.DataFrame | None,
               name: str) -> pd.Series | None:
    if by is None:
        return None
    if by in items.columns:
        return items[by]
    if customers is None or by not in getattr(customers, "columns", ()):
        raise InputError("by", f"a column of {name} or of customers", by,
                         "pass customers=... holding that column (segment, sales_rep, ...)")
    mapping = customers.drop_duplicates("customer_id").set_index("customer_id")[by]
    key = items["customer_id"].map(mapping)
    unknown = items.loc[~items["customer_id"].isin(mapping.index), "customer_id"]
    if len(unknown):
        raise InputError("customers", "a row for every customer of the ledger",
                         sorted(unknown.unique())[:5], "add the missing customers")
    return key.fillna("n/a")


def weighted_days_past_due(items, as_of=None, *, by: str | None = None,
                           customers: pd.DataFrame | None = None) -> float | pd.Series:
    """Amount-weighted average days past due of the past-due open invoices.

    ``WDPD = Σ open_amount × days_past_due / Σ open_amount`` over invoices (not credit notes or
    unallocated cash) with ``days_past_due >= 1`` at ``as_of``.

    Parameters
    ----------
    items : OpenItems or DataFrame
        Open items (``Ledger.at(as_of)``, ``creditlab.io.fec_open_items``, or the DataFrame of
        ``creditlab.receivables.open_items``).
    as_of : date-like, optional
        Taken from :class:`OpenItems` (a different date raises); required with a DataFrame.
    by : str, optional
        Group by a column of ``items`` or of ``customers`` (e.g. ``"segment"``).
    customers : DataFrame, optional
        Needed when ``by`` is a customer attribute (default: the customers of the OpenItems).

    Returns
    -------
    Days (float, or Series by group). NaN when nothing is past due.

    Notes
    -----
    Some vendors call this "ADD"; DOMAIN.md §6.3 keeps it separate from the CRF's ADD
    (= DSO − BPDSO, :func:`average_days_delinquent`).
    """
    items, asof, customers = _resolve(items, as_of, customers)
    _check_columns(items, "items", ("due_date", "open_amount", "doc_type"),
                   "pass the output of creditlab.receivables.open_items")
    dpd = (asof - items["due_date"]).dt.days
    mask = (items["doc_type"] == "invoice") & (dpd > 0)
    amt = items["open_amount"].where(mask, 0.0)
    w = amt * dpd.where(mask, 0)
    key = _group_key(items, by, customers, "items")
    if key is None:
        return _finish(_div(float(w.sum()), float(amt.sum())))
    num = w.groupby(key).sum()
    den = amt.groupby(key).sum()
    return _div(num, den).rename("weighted_days_past_due")


def receivables_status(items, as_of=None, *, by: str | None = None,
                       customers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Snapshot KPIs of the open items at a date: how much is owed, how late, how disputed.

    Parameters
    ----------
    items : OpenItems or DataFrame
        Open items (``Ledger.at(as_of)``, or the DataFrame of
        ``creditlab.receivables.open_items``).
    as_of : date-like, optional
        Date the items were computed at; days past due = ``as_of − due_date``. Taken from
        :class:`OpenItems` (a different date raises); required with a DataFrame.
    by : str, optional
        Column of ``items`` or of ``customers`` to group by; ``None`` = one row "total".
    customers : DataFrame, optional
        Needed when ``by`` is a customer attribute (default: the customers of the OpenItems).

    Returns
    -------
    DataFrame, one row per group, columns ``receivables_ttc, current_ttc, past_due_ttc,
    over_90_ttc, disputed_ttc, n_items, overdue_ratio, share_over_90, dispute_rate,
    weighted_days_past_due``. Amounts are signed net balances (credit notes and unallocated
    cash reduce them, aged by their due date — the payment date for cash); the ratios
    ``overdue_ratio, share_over_90, dispute_rate`` are NaN when the group's total is 0 or
    negative (a net credit balance: a share of it is meaningless).
    """
    items, asof, customers = _resolve(items, as_of, customers)
    _check_columns(items, "items", ("due_date", "open_amount", "doc_type"),
                   "pass the output of creditlab.receivables.open_items")
    dpd = (asof - items["due_date"]).dt.days
    amt = items["open_amount"].astype("float64")
    disputed = (items["disputed"].astype(bool) if "disputed" in items.columns
                else pd.Series(False, index=items.index))
    inv_pd = (items["doc_type"] == "invoice") & (dpd > 0)
    frame = pd.DataFrame({
        "receivables_ttc": amt,
        "current_ttc": amt.where(dpd <= 0, 0.0),
        "past_due_ttc": amt.where(dpd > 0, 0.0),
        "over_90_ttc": amt.where(dpd > 90, 0.0),
        "disputed_ttc": amt.where(disputed, 0.0),
        "n_items": 1,
        "_wpd_num": (amt * dpd).where(inv_pd, 0.0),
        "_wpd_den": amt.where(inv_pd, 0.0),
    })
    key = _group_key(items, by, customers, "items")
    if key is None:
        out = frame.sum().to_frame("total").T
    else:
        out = frame.groupby(key.to_numpy()).sum()
        out.index.name = by
    out["n_items"] = out["n_items"].astype("int64")
    owed = out["receivables_ttc"].where(out["receivables_ttc"] > 0)
    out["overdue_ratio"] = _div(out["past_due_ttc"], owed)
    out["share_over_90"] = _div(out["over_90_ttc"], owed)
    out["dispute_rate"] = _div(out["disputed_ttc"], owed)
    out["weighted_days_past_due"] = _div(out["_wpd_num"], out["_wpd_den"])
    return out.drop(columns=["_wpd_num", "_wpd_den"])


def average_days_to_pay(invoices: pd.DataFrame, payments: pd.DataFrame, as_of) -> pd.Series:
    """Average days to pay per customer (amount-weighted days from issue to payment).

    A thin view on ``creditlab.receivables.payment_behaviour`` (column ``avg_days_to_pay``),
    payments on or before ``as_of`` only. NaN for customers with no payment.
    """
    from creditlab.receivables.behaviour import payment_behaviour

    return payment_behaviour(invoices, payments, _as_of(as_of))["avg_days_to_pay"]


def dispute_ageing(disputes: pd.DataFrame, as_of, *, by: str = "cause",
                   buckets: Sequence[int] = (30, 60, 90), lang: str = "fr") -> pd.DataFrame:
    """Open disputes at a date, by cause (or any column): count, amount, age.

    Parameters
    ----------
    disputes : DataFrame
        The canonical ``disputes`` table (``opened_date``, ``closed_date``, ``cause``,
        ``amount_ttc``).
    as_of : date-like
        A dispute is open when ``opened_date <= as_of`` and it is not closed on or before
        ``as_of``.
    by : str, default "cause"
        Grouping column of ``disputes``.
    buckets : sequence of int
        Upper bounds (days since opening) of the age buckets; the last bucket is open-ended.
    lang : {"fr", "en"}
        Language of the bucket column labels.

    Returns
    -------
    DataFrame indexed by ``by`` (every dispute cause of the data model appears when
    ``by="cause"``), columns ``n_open, amount_ttc, avg_age_days`` (amount-weighted),
    ``max_age_days``, then one amount column per age bucket. ``avg_age_days`` is NaN for a cause
    with no open dispute.
    """
    from creditlab.io.tables import DISPUTE_CAUSES

    check_lang(lang)
    _check_columns(disputes, "disputes", ("opened_date", "closed_date", "amount_ttc", by),
                   "pass the canonical disputes table")
    asof = _as_of(as_of)
    bounds = [int(b) for b in buckets]
    if not bounds or any(b <= 0 for b in bounds) or sorted(set(bounds)) != bounds:
        raise InputError("buckets", "increasing positive day counts, e.g. (30, 60, 90)", buckets)
    opened = disputes["opened_date"]
    closed = disputes["closed_date"]
    is_open = (opened <= asof) & (closed.isna() | (closed > asof))
    d = disputes.loc[is_open]
    age = (asof - d["opened_date"]).dt.days.astype("float64")
    amt = d["amount_ttc"].astype("float64")
    edges = [-np.inf, *bounds, np.inf]
    lo = [0, *[b + 1 for b in bounds]]
    names = [f"{a}-{b} j" if lang == "fr" else f"{a}-{b} d" for a, b in zip(lo, bounds, strict=False)]
    names.append(f"> {bounds[-1]} j" if lang == "fr" else f"> {bounds[-1]} d")
    bucket = pd.cut(age, edges, right=True, labels=names)
    frame = pd.DataFrame({"key": d[by].to_numpy(), "amount_ttc": amt.to_numpy(),
                          "wage": (amt * age).to_numpy(), "age": age.to_numpy(),
                          "bucket": bucket.to_numpy()})
    grouped = frame.groupby("key")
    out = pd.DataFrame({
        "n_open": grouped.size(),
        "amount_ttc": grouped["amount_ttc"].sum(),
        "avg_age_days": _div(grouped["wage"].sum(), grouped["amount_ttc"].sum()),
        "max_age_days": grouped["age"].max(),
    })
    pivot = frame.pivot_table(index="key", columns="bucket", values="amount_ttc", aggfunc="sum",
                              observed=False, fill_value=0.0)
    pivot = pivot.reindex(columns=names, fill_value=0.0)
    out = out.join(pivot, how="left")
    if by == "cause":
        out = out.reindex(list(DISPUTE_CAUSES) + [c for c in out.index
                                                  if c not in DISPUTE_CAUSES])
    out[["n_open"]] = out[["n_open"]].fillna(0)
    out["n_open"] = out["n_open"].astype("int64")
    out["amount_ttc"] = out["amount_ttc"].fillna(0.0)
    out[names] = out[names].fillna(0.0)
    out.index.name = by
    out.columns.name = None
    return out



# --------------------------------------------------------------------------------------------
# kpi_history: every KPI at every month end, in one vectorised pass over the ledger
# --------------------------------------------------------------------------------------------

_INVOICE_COLS = ("invoice_id", "customer_id", "doc_type", "issue_date", "due_date", "amount_ttc")
_PAYMENT_COLS = ("customer_id", "payment_date", "amount", "invoice_id")
_WRITE_OFF_COLS = ("customer_id", "date", "amount_ht")

#: Columns of :func:`kpi_history`, in order.
HISTORY_COLUMNS = (
    "receivables_ttc", "current_ttc", "past_due_ttc", "over_90_ttc", "sales_ttc", "sales_ht",
    "dso_simple", "dso_countback", "bpdso", "add", "cei", "cei_12m", "overdue_ratio",
    "share_over_90", "weighted_days_past_due", "paid_ttc", "avg_days_to_pay", "avg_days_late",
    "disputed_ttc", "disputes_opened_ttc", "dispute_rate", "write_offs_ht", "bad_debt_ratio",
    "allowance_ht", "provisioning_ratio", "credit_limit_total", "limit_utilisation",
    "n_over_limit", "notes",
)


_LUT_MARGIN = 1_100  # days on each side of the month grid (dates further away are clipped)


class _Accumulator:
    """Sums signed amounts over month-end intervals with difference arrays (no loop over rows).

    A record contributes ``w`` to every month end ``m`` with ``lo <= m < hi`` (day ordinals);
    ``cumsum`` over months turns the differences into balances.
    """

    def __init__(self, month_ends: np.ndarray, first_day: int, n_groups: int):
        self.me = month_ends
        self.first_day = first_day
        self.T = len(month_ends)
        self.G = n_groups
        self._state: dict[str, np.ndarray] = {}
        self._flow: dict[str, np.ndarray] = {}
        # lookup table day → index of the first month end on or after that day (what
        # np.searchsorted(me, day, "left") gives), much faster than a binary search per row;
        # it covers _LUT_MARGIN days around the grid, days further away are clipped
        self._base = int(month_ends[0]) - _LUT_MARGIN
        span = int(month_ends[-1]) + _LUT_MARGIN - self._base
        self._lut = np.searchsorted(month_ends, self._base + np.arange(span + 1),
                                    side="left").astype("int32")
        self._lo = self._base
        self._hi = self._base + span

    def index(self, day: np.ndarray) -> np.ndarray:
        day = np.asarray(day, dtype="int64")
        if len(day) and (day.min() < self._lo or day.max() > self._hi):
            day = np.clip(day, self._lo, self._hi)
        return np.take(self._lut, day - self._base)

    def interval(self, name: str, g: np.ndarray, w: np.ndarray, lo: np.ndarray,
                 hi: np.ndarray | None = None) -> None:
        t1 = self.T + 1
        acc = self._state.setdefault(name, np.zeros(self.G * t1))
        lo_i = self.index(lo)
        if hi is None:
            acc += np.bincount(self._cell(g, lo_i, t1), weights=w, minlength=self.G * t1)
            return
        hi_i = self.index(hi)
        w = np.where(lo_i < hi_i, w, 0.0)
        acc += np.bincount(self._cell(g, lo_i, t1), weights=w, minlength=self.G * t1)
        acc -= np.bincount(self._cell(g, hi_i, t1), weights=w, minlength=self.G * t1)

    def _cell(self, g: np.ndarray, idx: np.ndarray, width: int) -> np.ndarray:
        return idx if self.G == 1 else g * width + idx

    def flow(self, name: str, g: np.ndarray, w: np.ndarray, day: np.ndarray) -> None:
        acc = self._flow.setdefault(name, np.zeros(self.G * self.T))
        idx = self.index(day)
        ok = (day >= self.first_day) & (idx < self.T)
        acc += np.bincount(self._cell(g, np.minimum(idx, self.T - 1), self.T),
                           weights=np.where(ok, w, 0.0), minlength=self.G * self.T)

    def state(self, name: str) -> np.ndarray:
        acc = self._state.get(name)
        if acc is None:
            return np.zeros((self.G, self.T))
        return np.cumsum(acc.reshape(self.G, self.T + 1), axis=1)[:, : self.T]

    def flows(self, name: str) -> np.ndarray:
        acc = self._flow.get(name)
        return np.zeros((self.G, self.T)) if acc is None else acc.reshape(self.G, self.T)


def _require_dates(df: pd.DataFrame, table: str, col: str, *, allow_missing: bool = False,
                   fix: str = "") -> np.ndarray:
    s = df[col]
    if not pd.api.types.is_datetime64_any_dtype(s):
        raise InputError(f"{table}.{col}", "datetime64 dates", str(s.dtype),
                         "read the table with creditlab.io.read_table or pd.to_datetime")
    if not allow_missing and s.isna().any():
        raise InputError(f"{table}.{col}", "a date on every row",
                         f"{int(s.isna().sum())} empty", fix or "fill the missing dates")
    return _days(s)


def _month_or_date(value, name: str) -> pd.Timestamp:
    """A date (see ``creditlab._checks.as_date``) or a month ``"2025-01"`` (its first day)."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}-\d{1,2}\s*", value):
        return _as_of(value.strip() + "-01", name)
    return _as_of(value, name)


def _month_grid(start, end, months_before: int) -> tuple[np.ndarray, pd.DatetimeIndex, int]:
    """Month ends from ``months_before`` months before ``start`` to ``end`` (day ordinals)."""
    s = _month_or_date(start, "start")
    e = _month_or_date(end, "end")
    if e < s:
        raise InputError("end", f"a date on or after start ({s.date()})", str(e.date()),
                         "swap start and end")
    first = s.to_period("M") - months_before
    periods = pd.period_range(first, e.to_period("M"), freq="M")
    ends = periods.to_timestamp(how="end").normalize()
    ends = ends[:-1].append(pd.DatetimeIndex([e]))  # the last point is `end` itself
    return _days(pd.Series(ends)), ends, int(_days(pd.Series([first.to_timestamp()]))[0])


def _codes(keys: pd.Series, index: pd.Index, table: str) -> np.ndarray:
    codes = index.get_indexer(keys)
    if (codes < 0).any():
        missing = pd.unique(keys[codes < 0])[:5]
        raise InputError(f"{table}.customer_id", "customers present in the customers table",
                         list(missing), "add the missing customers to customers")
    return codes


def _match_documents(inv_id: pd.Series, *queries: pd.Series) -> list[tuple[np.ndarray,
                                                                          np.ndarray]]:
    """For each query Series of document numbers: the position in ``inv_id`` of the document
    each row names (-1: empty or unknown) and the mask of rows naming one. Raises on missing or
    duplicated ``inv_id``.

    A sort-based match (pyarrow): sorting the document numbers once scales better than
    hashing tens of millions of strings.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(s: pd.Series) -> pa.Array:
        arr = pa.array(s, from_pandas=True)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        return arr.cast(pa.large_string())

    a = arrow(inv_id)
    n = len(a)
    if a.null_count:
        raise InputError("invoices.invoice_id", "a document number on every row",
                         f"{a.null_count} empty", "fill the document numbers")
    parts, keeps, nameds = [a], [], []
    for q in queries:
        b = arrow(q)
        named = pc.fill_null(pc.not_equal(pc.utf8_trim_whitespace(b), ""), False).to_numpy(
            zero_copy_only=False)
        keep = np.flatnonzero(named)
        parts.append(b if len(keep) == len(b) else b.take(pa.array(keep)))
        keeps.append(keep)
        nameds.append(named)
    both = pa.concat_arrays(parts)
    results = [(np.full(len(nm), -1, dtype="int64"), nm) for nm in nameds]
    if len(both) == 0:
        return results
    order = pc.sort_indices(both).to_numpy()
    srt = both.take(pa.array(order))
    new_run = np.empty(len(both), dtype=bool)
    new_run[0] = True
    new_run[1:] = pc.not_equal(srt[1:], srt[:-1]).to_numpy(zero_copy_only=False)
    run = np.cumsum(new_run) - 1
    is_inv = order < n
    if np.bincount(run[is_inv], minlength=int(run[-1]) + 1).max(initial=0) > 1:
        dup = inv_id[inv_id.duplicated()].head(5).tolist()
        raise InputError("invoices.invoice_id", "unique document numbers", dup,
                         "remove or renumber the duplicated documents")
    inv_of_run = np.full(int(run[-1]) + 1, -1, dtype="int64")
    inv_of_run[run[is_inv]] = order[is_inv]
    found = np.full(len(both), -1, dtype="int64")
    found[order] = inv_of_run[run]
    offset = n
    for (positions, _), keep in zip(results, keeps, strict=True):
        positions[keep] = found[offset:offset + len(keep)]
        offset += len(keep)
    return results


def _classify(acc: _Accumulator, g: np.ndarray, w: np.ndarray, lo: np.ndarray,
              hi: np.ndarray | None, issue: np.ndarray, due: np.ndarray,
              is_invoice: np.ndarray) -> None:
    """Age a signed amount held by documents (issue, due) on the days [lo, hi) (hi None =
    forever, and never before the document's issue date): current / over 90 days / past-due
    invoices (and their due-date weights for the amount-weighted days past due)."""
    lo = np.maximum(lo, issue)
    cur_hi = due + 1 if hi is None else np.minimum(hi, due + 1)
    acc.interval("current", g, w, lo, cur_hi)
    acc.interval("over90", g, w, np.maximum(lo, due + 91), hi)
    w_inv = np.where(is_invoice, w, 0.0)
    acc.interval("pd_inv", g, w_inv, np.maximum(lo, due + 1), hi)
    acc.interval("pd_inv_due", g, w_inv * due, np.maximum(lo, due + 1), hi)


_FOREVER = np.iinfo("int64").max // 4


def _netting(rel_idx: np.ndarray, is_invoice: np.ndarray, amt: np.ndarray, issue: np.ndarray,
             alloc_idx: np.ndarray, pay_amt: np.ndarray, pay_day: np.ndarray):
    """Credit notes netted against the invoice they correct, as step functions of time.

    Same rule as ``creditlab.receivables.open_items``: at a date, a credit note (issued) naming
    an invoice of the ledger (issued) is netted against it up to the invoice's open amount after
    payments, several credit notes in issue-date order; the credit note's own open credit
    (after refunds) is what it can give. The netted amount changes only on the issue dates and
    the payment dates of the documents involved, so it is computed at those events and held
    until the next one. Returns ``(cn, inv, netted, from_day, to_day)`` arrays or None.
    """
    k = np.flatnonzero(rel_idx >= 0)
    k = k[is_invoice[rel_idx[k]]]
    if not len(k):
        return None
    r = rel_idx[k]
    docs = np.union1d(r, k)
    on = np.flatnonzero(np.isin(alloc_idx, docs))
    # cumulative cash allocated to each involved document, by day
    cash = (pd.DataFrame({"doc": alloc_idx[on], "day": pay_day[on], "p": pay_amt[on]})
            .groupby(["doc", "day"], as_index=False)["p"].sum().sort_values(["doc", "day"]))
    cash["cum"] = cash.groupby("doc")["p"].cumsum()
    group_of = pd.Series(r, index=k)
    ev_days = [pd.DataFrame({"r": r, "day": issue[k]}),
               pd.DataFrame({"r": np.unique(r), "day": issue[np.unique(r)]})]
    if len(cash):
        on_doc = cash["doc"].to_numpy()
        is_cn = np.isin(on_doc, k)
        owner = np.where(is_cn, group_of.reindex(on_doc).fillna(-1).to_numpy(dtype="int64"),
                         on_doc)
        ev_days.append(pd.DataFrame({"r": owner, "day": cash["day"].to_numpy()}))
    ev = pd.concat(ev_days).drop_duplicates().sort_values(["r", "day"])
    ev["next"] = ev.groupby("r")["day"].shift(-1).fillna(_FOREVER).astype("int64")
    x = ev.merge(pd.DataFrame({"r": r, "k": k, "k_issue": issue[k]}), on="r")

    def paid_at(doc_col: str) -> np.ndarray:
        if not len(cash):
            return np.zeros(len(x))
        left = x[[doc_col, "day"]].rename(columns={doc_col: "doc"}).reset_index()
        left = left.sort_values("day")
        m = pd.merge_asof(left, cash[["doc", "day", "cum"]].sort_values("day"), on="day",
                          by="doc", direction="backward")
        return m.set_index("index")["cum"].reindex(x.index).fillna(0.0).to_numpy()

    day = x["day"].to_numpy()
    rr = x["r"].to_numpy()
    kk = x["k"].to_numpy()
    cap = np.where(issue[rr] <= day, np.maximum(amt[rr] - paid_at("r"), 0.0), 0.0)
    avail = np.where(issue[kk] <= day, np.maximum(-(amt[kk] - paid_at("k")), 0.0), 0.0)
    x = x.assign(cap=cap, avail=avail).sort_values(["r", "day", "k_issue", "k"])
    cum = x.groupby(["r", "day"])["avail"].cumsum().to_numpy()
    cap = x["cap"].to_numpy()
    netted = np.maximum(np.minimum(cum, cap) - np.minimum(cum - x["avail"].to_numpy(), cap), 0.0)
    keep = netted > 0
    return (x["k"].to_numpy()[keep], x["r"].to_numpy()[keep], netted[keep],
            x["day"].to_numpy()[keep], x["next"].to_numpy()[keep])


def kpi_history(invoices: pd.DataFrame, payments: pd.DataFrame, start, end, *,
                by: str | None = None, disputes: pd.DataFrame | None = None,
                customers: pd.DataFrame | None = None, freq: str = "M", dso_months: int = 3,
                countback_months: int = 24,
                write_offs: pd.DataFrame | None = None,
                allowances: pd.DataFrame | None = None) -> pd.DataFrame:
    """Monthly history of every receivables KPI, straight from the ledger.

    All balances at every month end are obtained in one pass: each invoice, credit note,
    payment line and dispute adds its signed amount to the month ends where it is open (a
    difference array over months, then a cumulative sum), so the cost is linear in the ledger
    and independent of the number of months' recomputations.

    Parameters
    ----------
    invoices, payments : DataFrame
        Canonical ``invoices`` and ``payments`` tables (TTC amounts; ``amount_ht`` optional).
    start, end : date-like
        First and last month of the output. Rows are the month ends from ``start``'s month to
        ``end``'s month; if ``end`` is not a month end, the last row is ``end`` itself (month to
        date). Earlier history in the ledger is used (balances, countback, CEI 12 months).
    by : str, optional
        ``"customer_id"`` or a column of ``customers`` (``segment``, ``sales_rep``, ``sector``,
        a rating...): one series per group.
    disputes : DataFrame, optional
        Canonical ``disputes`` table; the disputed amount at a month end is the open amount of
        the invoices with a dispute open at that date (overlapping disputes on one invoice are
        merged). Without it the dispute columns are NaN (note ``no_disputes_table``).
    customers : DataFrame, optional
        Canonical ``customers`` table: needed for ``by`` on a customer attribute and for the
        credit-limit columns (current ``credit_limit`` applied to every month).
    freq : {"M"}
        Month ends (the only frequency; quarters are every third row).
    dso_months : int, default 3
        Window of the simple DSO, the BPDSO and the ADD: receivables at the month end × real
        calendar days of the last ``dso_months`` months / TTC sales of those months.
    countback_months : int, default 24
        How many months the countback DSO may go back before giving NaN.
    write_offs : DataFrame, optional
        Columns ``customer_id, date, amount_ht``: bad debts written off (positive) or recovered
        (negative), HT. Gives ``write_offs_ht`` (month) and ``bad_debt_ratio`` (12 months net
        write-offs / 12 months sales HT).
    allowances : DataFrame, optional
        Columns ``customer_id, date, amount_ht``: movements of the allowance for doubtful
        receivables (PCG 491 *dépréciation des comptes clients*), HT — additions (*dotations*)
        positive, releases (*reprises*) negative. Gives ``allowance_ht`` (balance booked up to
        the month end, summed over the customers of the group) and ``provisioning_ratio`` =
        ``allowance_ht`` / receivables HT (see Notes). A customer's balance may never fall
        below 0 (a release larger than the allowance booked is an input error). Without the
        table both columns are NaN (note ``no_allowances``).

    Returns
    -------
    DataFrame indexed by ``month_end`` (or by ``(by, month_end)``) with the columns of
    ``HISTORY_COLUMNS``: balances (TTC, signed net: credit notes and unallocated cash reduce
    them, aged by their own due date — the payment date for cash), month flows (``sales_ttc``,
    ``sales_ht``, ``paid_ttc`` = cash received on invoices — positive lines allocated to
    invoices, as ``payment_behaviour`` counts it —, ``disputes_opened_ttc``, ``write_offs_ht``),
    day KPIs (``dso_simple``, ``dso_countback``, ``bpdso``, ``add``,
    ``weighted_days_past_due``, and ``avg_days_to_pay`` / ``avg_days_late``: amount-weighted
    days from issue / due date to payment of that cash), fractions
    (``cei`` monthly, ``cei_12m`` CRF annual form, ``overdue_ratio``, ``share_over_90``,
    ``dispute_rate``, ``bad_debt_ratio``, ``provisioning_ratio``, ``limit_utilisation`` = Σ
    positive receivables of the customers with a limit > 0 / Σ their limits) and
    ``n_over_limit`` (customers whose
    receivables exceed their limit; a limit of 0 with receivables counts). On a net credit
    balance the DSO family and the shares of the receivables (``overdue_ratio``,
    ``share_over_90``, ``dispute_rate``, ``provisioning_ratio``) are NaN. ``notes`` holds the
    ``;``-separated reasons of the NaN values on the row (see ``KPI_NOTES``, ``note_text``).

    Notes
    -----
    Formulas: DOMAIN.md §6 (CRF definitions; DSO in TTC, pitfall 5; CEI and BPDSO with current
    receivables, pitfall 6). A payment allocated to an invoice issued later counts as cash on
    account (due on its payment date) until the invoice is issued.

    VAT basis of the provisioning ratio (DOMAIN.md §6.5: allowance 491 / total receivables,
    "keep HT/HT or TTC/TTC consistent"): the ratio is **HT / HT**. The allowance is HT —
    the VAT of a debt that proves irrecoverable is recovered from the tax authority
    (pitfall 7), so only the HT part is at risk and provisioned — hence the TTC receivables
    are converted to HT with the ledger's own ratio at that month end::

        receivables HT = receivables TTC × Σ open amount × HT/TTC / Σ open amount

    over the open documents (invoices and credit notes, each with its own ``amount_ht /
    amount_ttc``; cash on account is converted at the same average rate). A receivable fully
    provisioned thus reads 100 %, not 1 / 1.2 = 83 % as against TTC receivables. Needs
    ``invoices.amount_ht``: without it, or when no open document has an HT amount, the ratio
    is NaN (note ``no_amount_ht``).
    """
    if freq not in ("M", "ME", "month"):
        raise InputError("freq", "'M' (month ends)", freq,
                         "take every third row of the monthly history for quarters")
    for name, val in (("dso_months", dso_months), ("countback_months", countback_months)):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < 1:
            raise InputError(name, "a whole number of months >= 1", val)
    _check_columns(invoices, "invoices", _INVOICE_COLS, "pass the canonical invoices table")
    _check_columns(payments, "payments", _PAYMENT_COLS, "pass the canonical payments table")
    offset = max(12, countback_months - 1, dso_months - 1)
    me, ends, first_day = _month_grid(start, end, offset)

    # --- ledger as arrays --------------------------------------------------------------------
    inv_id = invoices["invoice_id"]
    pay_inv = payments["invoice_id"]
    has_rel = "related_invoice_id" in invoices.columns
    is_credit = (invoices["doc_type"] == "credit_note").to_numpy()
    queries = [pay_inv]
    if has_rel:
        queries.append(invoices["related_invoice_id"].where(is_credit))
    matched = _match_documents(inv_id, *queries)
    alloc_idx, named = matched[0]
    rel_idx = matched[1][0] if has_rel else np.full(len(invoices), -1, dtype="int64")
    issue = _require_dates(invoices, "invoices", "issue_date")
    due = _require_dates(invoices, "invoices", "due_date",
                         fix="missing payment terms: compute the due dates from the payment "
                             "terms (creditlab.legal) before computing KPIs")
    amt = invoices["amount_ttc"].to_numpy(dtype="float64")
    amt_ht = (invoices["amount_ht"].to_numpy(dtype="float64") if "amount_ht" in invoices.columns
              else None)
    is_invoice = (invoices["doc_type"] == "invoice").to_numpy()
    if np.isnan(amt).any():
        raise InputError("invoices.amount_ttc", "an amount on every row",
                         f"{int(np.isnan(amt).sum())} empty", "fill the amounts")

    pay_amt = payments["amount"].to_numpy(dtype="float64")
    pay_day = _require_dates(payments, "payments", "payment_date")
    unknown = named & (alloc_idx < 0)
    if unknown.any():
        raise InputError("payments.invoice_id", "invoices present in the invoices table",
                         pay_inv[unknown].head(5).tolist(),
                         "allocate the payment to an existing invoice or leave invoice_id empty "
                         "(cash on account)")

    # --- groups ------------------------------------------------------------------------------
    cust_table = None
    if customers is not None:
        _check_columns(customers, "customers", ("customer_id",), "pass the customers table")
        cust_table = customers.drop_duplicates("customer_id")
    if by is None:
        labels = pd.Index(["total"])
        inv_g = np.zeros(len(invoices), dtype="int64")
        pay_g = np.zeros(len(payments), dtype="int64")
        group_of = None
    elif by == "customer_id":
        labels = pd.Index(pd.unique(pd.concat([invoices["customer_id"],
                                               payments["customer_id"]], ignore_index=True)))
        labels = labels.sort_values()
        inv_g = labels.get_indexer(invoices["customer_id"])
        pay_g = labels.get_indexer(payments["customer_id"])
        group_of = None
    else:
        if cust_table is None or by not in cust_table.columns:
            raise InputError("by", "'customer_id' or a column of customers", by,
                             "pass customers=... holding that column (segment, sales_rep, ...)")
        cust_index = pd.Index(cust_table["customer_id"])
        values = cust_table[by].astype("str").fillna("n/a")
        group_of, labels = pd.factorize(values, sort=True)
        labels = pd.Index(labels)
        inv_g = group_of[_codes(invoices["customer_id"], cust_index, "invoices")]
        pay_g = group_of[_codes(payments["customer_id"], cust_index, "payments")]
    inv_g = np.asarray(inv_g, dtype="int64")
    G = len(labels)
    acc = _Accumulator(me, first_day, G)

    # --- documents ---------------------------------------------------------------------------
    acc.interval("total", inv_g, amt, issue)
    _classify(acc, inv_g, amt, issue, None, issue, due, is_invoice)
    acc.flow("sales", inv_g, amt, issue)
    if amt_ht is not None:
        acc.flow("sales_ht", inv_g, np.nan_to_num(amt_ht), issue)

    # --- payments ----------------------------------------------------------------------------
    alloc = alloc_idx >= 0
    a_idx = alloc_idx[alloc]
    p = pay_amt[alloc]
    q = pay_day[alloc]
    gi = inv_g[a_idx]
    i_a, d_a = issue[a_idx], due[a_idx]
    acc.interval("total", gi, -p, q)
    _classify(acc, gi, -p, q, None, i_a, d_a, is_invoice[a_idx])
    early = q < i_a  # cash received before its document exists: on account until then
    if early.any():
        acc.interval("current", gi[early], -p[early], q[early],
                     np.minimum(q[early] + 1, i_a[early]))
        acc.interval("over90", gi[early], -p[early], q[early] + 91, i_a[early])
    # cash received on invoices, as creditlab.receivables.payment_behaviour counts it
    # (positive lines allocated to invoices; refunds and credit-note lines left out)
    pw = np.where((p > 0) & is_invoice[a_idx], p, 0.0)
    acc.flow("paid", gi, pw, q)
    acc.flow("paid_days", gi, pw * (q - i_a), q)
    acc.flow("paid_late", gi, pw * (q - d_a), q)
    un = ~alloc
    gu, pu, qu = pay_g[un], pay_amt[un], pay_day[un]
    acc.interval("total", gu, -pu, qu)
    acc.interval("current", gu, -pu, qu, qu + 1)
    acc.interval("over90", gu, -pu, qu + 91)

    # --- credit notes netted against the invoice they correct (as open_items does) -----------
    net = _netting(rel_idx, is_invoice, amt, issue, alloc_idx, pay_amt, pay_day)
    records = [(np.arange(len(amt)), amt, issue, None), (a_idx, -p, np.maximum(q, i_a), None)]
    if net is not None:
        nk, nr, nv, nlo, nhi = net
        _classify(acc, inv_g[nr], -nv, nlo, nhi, issue[nr], due[nr], is_invoice[nr])
        _classify(acc, inv_g[nk], nv, nlo, nhi, issue[nk], due[nk], is_invoice[nk])
        records += [(nr, -nv, nlo, nhi), (nk, nv, nlo, nhi)]

    # --- disputes ----------------------------------------------------------------------------
    has_disputes = disputes is not None
    if has_disputes:
        _add_disputes(acc, disputes, inv_id, inv_g, issue, amt, records)

    # --- write-offs --------------------------------------------------------------------------
    has_wo = write_offs is not None
    if has_wo:
        wo_g, wo_amt, wo_day = _customer_rows(
            write_offs, "write_offs", labels, by, group_of, cust_table, invoices, payments,
            "pass a table customer_id, date, amount_ht (write-off > 0, recovery < 0)",
            "a write-off covers a receivable: check the customer numbers")
        acc.flow("write_offs", wo_g, wo_amt, wo_day)

    # --- allowance for doubtful receivables (PCG 491): a balance, and receivables HT ---------
    has_allow = allowances is not None
    if has_allow:
        al_g, al_amt, al_day = _allowance_rows(allowances, labels, by, group_of, cust_table,
                                               invoices, payments)
        acc.interval("allowance", al_g, al_amt, al_day)
        if amt_ht is not None:
            _open_ht(acc, records, inv_g, amt, amt_ht)

    # --- credit limits (per customer, output months only) ------------------------------------
    limits = None
    if cust_table is not None and "credit_limit" in cust_table.columns:
        lim = cust_table["credit_limit"].to_numpy(dtype="float64")
        if np.isfinite(lim).any():
            limits = _limit_columns(cust_table, lim, group_of, labels, by, invoices, payments,
                                    issue, amt, alloc_idx, pay_amt, pay_day, me[offset:], G)

    return _assemble(acc, me, ends, offset, labels, by, amt_ht is not None, has_disputes,
                     has_wo, limits, dso_months, countback_months, int(issue.min())
                     if len(issue) else None, has_allow)


def _customer_rows(table: pd.DataFrame, name: str, labels: pd.Index, by: str | None,
                   group_of, cust_table, invoices: pd.DataFrame, payments: pd.DataFrame,
                   fix: str, unknown_fix: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked per-customer movements (write-offs, allowances): (group code, amount HT, day).

    Columns ``customer_id, date, amount_ht``; every amount numeric and present, every customer
    filled and known (to the ledger, or to the customers table for a customer attribute ``by``).
    """
    _check_columns(table, name, _WRITE_OFF_COLS, fix)
    day = _require_dates(table, name, "date")
    raw = table["amount_ht"]
    if raw.dtype == bool or not pd.api.types.is_numeric_dtype(raw):
        raise InputError(f"{name}.amount_ht", "numeric amounts in euros, excl. VAT",
                         f"a column of dtype {raw.dtype}", "convert with pd.to_numeric(...)")
    amount = raw.to_numpy(dtype="float64")
    if np.isnan(amount).any():
        raise InputError(f"{name}.amount_ht", "an amount on every row",
                         f"{int(np.isnan(amount).sum())} empty", "fill the amounts")
    cust = table["customer_id"]
    if cust.isna().any():
        raise InputError(f"{name}.customer_id", "a customer on every row",
                         f"{int(cust.isna().sum())} empty",
                         "amounts are booked per customer: fill customer_id")
    if by is not None and by != "customer_id":
        g = group_of[_codes(cust, pd.Index(cust_table["customer_id"]), name)]
    else:
        known = pd.Index(pd.unique(pd.concat([invoices["customer_id"], payments["customer_id"]],
                                             ignore_index=True)))
        if by is None and cust_table is not None:
            known = known.append(pd.Index(cust_table["customer_id"])).unique()
        pos = known.get_indexer(cust)
        if (pos < 0).any():
            raise InputError(f"{name}.customer_id", "customers of the ledger",
                             pd.unique(cust[pos < 0])[:5].tolist(), unknown_fix)
        g = (np.zeros(len(cust), dtype="int64") if by is None
             else labels.get_indexer(cust))
    return np.asarray(g, dtype="int64"), amount, day


def _allowance_rows(allowances: pd.DataFrame, labels: pd.Index, by: str | None,
                    group_of, cust_table, invoices: pd.DataFrame,
                    payments: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked allowance movements: (group code, amount HT, day) arrays.

    Checked as the write-offs (:func:`_customer_rows`); each customer's balance must also stay
    >= 0 at every date.
    """
    g, amount, day = _customer_rows(
        allowances, "allowances", labels, by, group_of, cust_table, invoices, payments,
        "pass a table customer_id, date, amount_ht (dotation > 0, reprise < 0), one row per "
        "movement of the customer's allowance (compte 491)",
        "an allowance covers a receivable: check the customer numbers")
    cust = allowances["customer_id"]
    # balance of each customer after each booking day (same-day movements netted first)
    frame = pd.DataFrame({"c": cust.to_numpy(), "d": day, "a": amount}).sort_values(
        "d", kind="stable")
    daily = frame.groupby(["c", "d"], sort=False)["a"].sum()
    balance = daily.groupby(level=0, sort=False).cumsum()
    below = balance[balance < -0.005].rename("balance").reset_index()
    if len(below):
        first = below.sort_values("d", kind="stable").iloc[0]  # the earliest date
        when = pd.Timestamp(int(first["d"]), unit="D").date()
        raise InputError("allowances.amount_ht",
                         "an allowance balance >= 0 for every customer at every date",
                         f"{first['balance']:.2f} for customer {first['c']!r} on {when}",
                         "releases (reprises, < 0) cannot exceed the allowance booked before: "
                         "check the signs (dotation > 0) and the dates")
    return g, amount, day


def _open_ht(acc: _Accumulator, records: list, inv_g: np.ndarray, amt: np.ndarray,
             amt_ht: np.ndarray) -> None:
    """Open amount TTC and its HT equivalent of the documents with an HT amount.

    ``records`` as in :func:`_add_disputes`: everything that makes up a document's open amount,
    each weighted by its document's own ``amount_ht / amount_ttc``.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = amt_ht / amt
    ok = np.isfinite(rate) & (amt != 0)
    for doc, w, lo, hi in records:  # a handful of record kinds, not rows
        sel = ok[doc]
        if not sel.any():
            continue
        d = doc[sel]
        h = None if hi is None else hi[sel]
        acc.interval("open_doc", inv_g[d], w[sel], lo[sel], h)
        acc.interval("open_doc_ht", inv_g[d], w[sel] * rate[d], lo[sel], h)


def _add_disputes(acc: _Accumulator, disputes: pd.DataFrame, inv_id: pd.Series,
                  inv_g: np.ndarray, issue: np.ndarray, amt: np.ndarray, records: list) -> None:
    """Open amount of disputed documents while their dispute is open; disputes opened per month.

    ``records`` are ``(doc, amount, from_day, to_day)`` arrays of everything that makes up a
    document's open amount (the document, its payments, credit-note netting); each counts while
    the document's dispute is open. Overlapping disputes on one document are merged.
    """
    _check_columns(disputes, "disputes", ("invoice_id", "opened_date", "closed_date",
                                          "amount_ttc"), "pass the canonical disputes table")
    o = _require_dates(disputes, "disputes", "opened_date")
    c_raw = _require_dates(disputes, "disputes", "closed_date", allow_missing=True)
    c = np.where(disputes["closed_date"].isna().to_numpy(), _FOREVER, c_raw)
    ((d_idx, _),) = _match_documents(inv_id, disputes["invoice_id"])
    known = d_idx >= 0  # disputes on documents absent from the ledger are ignored
    acc.flow("disputes_opened", inv_g[d_idx[known]],
             disputes["amount_ttc"].to_numpy(dtype="float64")[known], o[known])
    frame = pd.DataFrame({"inv": d_idx[known], "o": o[known], "c": c[known]})
    frame = frame.sort_values(["inv", "o"])
    prev_end = frame.groupby("inv")["c"].cummax().groupby(frame["inv"]).shift(1)
    frame["block"] = (prev_end.isna() | (frame["o"] > prev_end)).cumsum()
    blocks = frame.groupby("block").agg(inv=("inv", "first"), o=("o", "min"), c=("c", "max"))
    if not len(blocks):
        return
    b = pd.DataFrame({"doc": blocks["inv"].to_numpy(), "o": blocks["o"].to_numpy(),
                      "c": blocks["c"].to_numpy()})
    disputed_docs = b["doc"].unique()
    for doc, w, lo, hi in records:
        sel = np.flatnonzero(np.isin(doc, disputed_docs))
        if not len(sel):
            continue
        rec = pd.DataFrame({"doc": doc[sel], "w": w[sel], "lo": lo[sel],
                            "hi": _FOREVER if hi is None else hi[sel]})
        m = rec.merge(b, on="doc")
        dd = m["doc"].to_numpy()
        start = np.maximum.reduce([m["lo"].to_numpy(), m["o"].to_numpy(), issue[dd]])
        stop = np.minimum(m["hi"].to_numpy(), m["c"].to_numpy())
        acc.interval("disputed", inv_g[dd], m["w"].to_numpy(), start, stop)


def _limit_columns(cust_table, lim, group_of, labels, by, invoices, payments, issue, amt,
                   alloc_idx, pay_amt, pay_day, me_out, G):
    """Per-customer receivables at the output month ends vs their current credit limit."""
    cust_index = pd.Index(cust_table["customer_id"])
    C = len(cust_index)
    inv_c = _codes(invoices["customer_id"], cust_index, "invoices")
    pay_c = _codes(payments["customer_id"], cust_index, "payments")
    pay_c = np.where(alloc_idx >= 0, inv_c[np.maximum(alloc_idx, 0)], pay_c)
    per = _Accumulator(me_out, 0, C)
    per.interval("total", inv_c, amt, issue)
    per.interval("total", pay_c, -pay_amt, pay_day)
    rec = per.state("total")  # (C, T_out)
    if by is None:
        cg = np.zeros(C, dtype="int64")
    elif by == "customer_id":
        cg = labels.get_indexer(cust_index)
    else:
        cg = np.asarray(group_of, dtype="int64")
    keep = cg >= 0  # customers without ledger rows when by == "customer_id"
    has_limit = np.isfinite(lim) & (lim > 0)
    over = (np.isfinite(lim)[:, None] & (rec > np.nan_to_num(lim)[:, None] + 0.005))
    used = np.where(has_limit[:, None], np.maximum(rec, 0.0), 0.0)
    t_out = rec.shape[1]

    def by_group(values: np.ndarray) -> np.ndarray:
        out = np.zeros((G, values.shape[1] if values.ndim == 2 else 1))
        np.add.at(out, cg[keep], values[keep] if values.ndim == 2 else values[keep, None])
        return out

    lim_total = by_group(np.where(has_limit, lim, 0.0))[:, 0]
    return {
        "credit_limit_total": np.repeat(lim_total[:, None], t_out, axis=1),
        "used": by_group(used),
        "n_over_limit": by_group(over.astype("float64")),
    }


def _assemble(acc, me, ends, offset, labels, by, has_ht, has_disputes, has_wo, limits,
              dso_months, countback_months, first_issue_day, has_allow=False) -> pd.DataFrame:
    T = len(me)
    G = len(labels)
    out_t = np.arange(offset, T)
    days = np.diff(np.concatenate([[me[0] - pd.Timestamp(ends[0]).day], me])).astype("float64")

    total = acc.state("total")
    current = acc.state("current")
    over90 = acc.state("over90")
    pd_inv = acc.state("pd_inv")
    pd_inv_due = acc.state("pd_inv_due")
    sales = acc.flows("sales")
    sales_cum = np.concatenate([np.zeros((G, 1)), np.cumsum(sales, axis=1)], axis=1)
    days_cum = np.concatenate([[0.0], np.cumsum(days)])

    def window(cum, t, n):
        return cum[..., t + 1] - cum[..., t + 1 - n]

    R = total[:, out_t]
    C = current[:, out_t]
    S_w = window(sales_cum, out_t, dso_months)
    D_w = window(days_cum, out_t, dso_months)
    notes: list[tuple[str, np.ndarray]] = []

    eps = 0.005  # half a cent: balances below it are zero
    R_ = np.where(np.abs(R) < eps, 0.0, R)
    credit = R_ < 0
    no_sales = ~(S_w > eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        valid = ~credit & ~no_sales
        dso = np.where(valid, R_ * D_w / S_w, np.nan)
        best = np.where(valid, C * D_w / S_w, np.nan)
    notes += [("credit_balance", credit), ("no_sales", no_sales & ~credit)]

    # countback: L months back from each output month
    L = countback_months
    lag_idx = out_t[:, None] - np.arange(L)[None, :]  # (T_out, L), >= 0 by construction
    sales_rev = sales[:, lag_idx].reshape(G * len(out_t), L)
    days_rev = np.broadcast_to(days[lag_idx][None], (G, len(out_t), L)).reshape(-1, L)
    cb, exhausted = _countback_core(np.where(credit, 0.0, R_).ravel(), sales_rev, days_rev)
    cb = cb.reshape(G, -1)
    cb = np.where(credit, np.nan, cb)
    notes.append(("countback_exhausted", exhausted.reshape(G, -1) & ~credit))

    # CEI, monthly and CRF annual form
    B1 = total[:, out_t - 1]
    S1 = sales[:, out_t]
    B12 = total[:, out_t - 12]
    S12 = window(sales_cum, out_t, 12)
    with np.errstate(divide="ignore", invalid="ignore"):
        den1 = B1 + S1 - C
        cei_m = np.where(den1 > eps, (B1 + S1 - R) / den1, np.nan)
        den12 = B12 + S12 / 12.0 - C
        cei_y = np.where(den12 > eps, (B12 + S12 / 12.0 - R) / den12, np.nan)
    short = np.zeros_like(R, dtype=bool)
    if first_issue_day is not None:
        start12 = me[out_t - 12] + 1  # first day of the 12-month window
        first_month_start = (pd.Timestamp(first_issue_day, unit="D").to_period("M")
                             .to_timestamp())
        short[:] = (start12 < (first_month_start - pd.Timestamp(0)).days)[None, :]
    cei_y = np.where(short, np.nan, cei_y)
    notes += [("cei_zero_denominator", ~(den1 > eps) | (~(den12 > eps) & ~short)),
              ("no_history_12m", short)]

    no_rec = R_ == 0
    owed = np.where(R_ > 0, R, np.nan)  # shares of a net credit balance are meaningless
    with np.errstate(divide="ignore", invalid="ignore"):
        overdue = (R - C) / owed
        o90 = over90[:, out_t]
        s90 = o90 / owed
        pdi = pd_inv[:, out_t]
        wdpd = np.where(pdi > eps, me[out_t][None, :] - pd_inv_due[:, out_t] / pdi, np.nan)
    notes.append(("no_receivables", no_rec))

    paid = acc.flows("paid")[:, out_t]
    no_pay = ~(np.abs(paid) > eps)
    with np.errstate(divide="ignore", invalid="ignore"):
        dtp = np.where(no_pay, np.nan, acc.flows("paid_days")[:, out_t] / paid)
        late = np.where(no_pay, np.nan, acc.flows("paid_late")[:, out_t] / paid)
    notes.append(("no_payments", no_pay))

    nan = np.full_like(R, np.nan)
    if has_disputes:
        disputed = acc.state("disputed")[:, out_t]
        opened = acc.flows("disputes_opened")[:, out_t]
        with np.errstate(divide="ignore", invalid="ignore"):
            drate = disputed / owed
    else:
        disputed = opened = drate = nan
        notes.append(("no_disputes_table", np.ones_like(no_rec)))

    sales_ht = acc.flows("sales_ht") if has_ht else None
    if has_wo and has_ht:
        wo = acc.flows("write_offs")
        wo_cum = np.concatenate([np.zeros((G, 1)), np.cumsum(wo, axis=1)], axis=1)
        ht_cum = np.concatenate([np.zeros((G, 1)), np.cumsum(sales_ht, axis=1)], axis=1)
        s12_ht = window(ht_cum, out_t, 12)
        with np.errstate(divide="ignore", invalid="ignore"):
            bdr = np.where(s12_ht > eps, window(wo_cum, out_t, 12) / s12_ht, np.nan)
        bdr = np.where(short, np.nan, bdr)
        wo_m = wo[:, out_t]
    else:
        bdr = nan
        wo_m = acc.flows("write_offs")[:, out_t] if has_wo else nan
        notes.append(("no_amount_ht" if has_wo else "no_write_offs", np.ones_like(no_rec)))

    if has_allow:
        allow = acc.state("allowance")[:, out_t]
        allow = np.where(np.abs(allow) < eps, 0.0, allow)
        if has_ht:
            od = acc.state("open_doc")[:, out_t]
            odh = acc.state("open_doc_ht")[:, out_t]
            with np.errstate(divide="ignore", invalid="ignore"):
                rec_ht = np.where(od > eps, owed * odh / od, np.nan)  # NaN: net credit balance
                prov = np.where(rec_ht > eps, allow / rec_ht, np.nan)
            notes.append(("no_amount_ht", (R_ > 0) & ~(rec_ht > eps)))
        else:
            prov = nan
            if not has_wo:   # the write-offs already gave this note
                notes.append(("no_amount_ht", np.ones_like(no_rec)))
    else:
        allow = prov = nan
        notes.append(("no_allowances", np.ones_like(no_rec)))

    if limits is not None:
        lim_total = limits["credit_limit_total"]
        with np.errstate(divide="ignore", invalid="ignore"):
            util = np.where(lim_total > 0, limits["used"] / np.where(lim_total > 0, lim_total,
                                                                     1.0), np.nan)
        n_over = limits["n_over_limit"]
    else:
        lim_total = util = n_over = nan
        notes.append(("no_limits", np.ones_like(no_rec)))

    cols = {
        "receivables_ttc": R, "current_ttc": C, "past_due_ttc": R - C, "over_90_ttc": o90,
        "sales_ttc": S1, "sales_ht": sales_ht[:, out_t] if has_ht else nan,
        "dso_simple": dso, "dso_countback": cb, "bpdso": best, "add": dso - best,
        "cei": cei_m, "cei_12m": cei_y, "overdue_ratio": overdue, "share_over_90": s90,
        "weighted_days_past_due": wdpd, "paid_ttc": paid, "avg_days_to_pay": dtp,
        "avg_days_late": late, "disputed_ttc": disputed, "disputes_opened_ttc": opened,
        "dispute_rate": drate, "write_offs_ht": wo_m, "bad_debt_ratio": bdr,
        "allowance_ht": allow, "provisioning_ratio": prov,
        "credit_limit_total": lim_total, "limit_utilisation": util, "n_over_limit": n_over,
    }
    n_out = len(out_t)
    data = {k: np.asarray(v, dtype="float64").reshape(G * n_out) for k, v in cols.items()}
    note_arr = np.full(G * n_out, "", dtype=object)
    for code, mask in notes:
        m = np.asarray(mask, dtype=bool).reshape(-1)
        note_arr = np.where(m, note_arr + code + ";", note_arr)
    data["notes"] = pd.array([s.rstrip(";") for s in note_arr], dtype="str")
    month_ends = ends[offset:]
    if by is None:
        index = pd.DatetimeIndex(month_ends, name="month_end")
    else:
        index = pd.MultiIndex.from_arrays(
            [np.repeat(labels.to_numpy(), n_out), np.tile(month_ends.to_numpy(), G)],
            names=[by, "month_end"])
    frame = pd.DataFrame(data, index=index)
    if limits is not None:
        frame["n_over_limit"] = frame["n_over_limit"].round()
    return frame[list(HISTORY_COLUMNS)]

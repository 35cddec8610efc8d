"""Pure KPI formulas: DSO (simple and countback), BPDSO, ADD, CEI and portfolio ratios.

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
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError

__all__ = ["dso_simple", "dso_countback", "bpdso", "average_days_delinquent", "ddso", "cei",
           "cei_annual", "overdue_ratio", "share_over_90", "receivables_turnover",
           "dispute_rate", "bad_debt_ratio", "provisioning_ratio", "credit_limit_utilisation"]

OnNegative = Literal["raise", "nan"]
Number = float | np.ndarray | pd.Series

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
            # within half a cent of the month's sales: that month is the last one (a sum's
            # rounding noise of 1e-12 must not add a whole month of days)
            last = ~done & (s > 0) & (remaining <= s + 0.005)
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



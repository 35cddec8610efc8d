"""Snapshot KPIs of the open items at a date: receivables status, weighted days past due,
dispute ageing, average days to pay.

The open items are an :class:`~creditlab.receivables.OpenItems` (the date comes with them) or a
DataFrame with an explicit ``as_of``. Definitions: DOMAIN.md §6.3 ("current" = ``due_date >=
as_of``, past due = ``days_past_due >= 1``, over 90 days = ``days_past_due > 90``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from creditlab._checks import as_of_date as _as_of
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.labels import text
from creditlab.receivables.behaviour import payment_behaviour
from creditlab.receivables.buckets import MISSING_GROUP
from creditlab.receivables.items import OpenItems, resolve_items
from creditlab.receivables.kpi.formulas import _div, _finish
from creditlab.tables import DISPUTE_CAUSES

#: Past-due amounts at or below half a cent (or a net credit) have no average lateness.
_HALF_CENT = 0.005

__all__ = ["weighted_days_past_due", "receivables_status", "average_days_to_pay",
           "dispute_ageing", "dispute_ageing_words"]


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
    return key.fillna(MISSING_GROUP)


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
    Days (float, or Series by group). NaN when nothing is past due, or when the past-due
    invoices net to half a cent or less (over-paid invoices: a negative weight has no
    meaning), as in ``kpi_history``.

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
        den = float(amt.sum())
        return _finish(_div(float(w.sum()), den if den > _HALF_CENT else 0.0))
    num = w.groupby(key).sum()
    den = amt.groupby(key).sum()
    return _div(num, den.where(den > _HALF_CENT, 0.0)).rename("weighted_days_past_due")


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
    negative (a net credit balance: a share of it is meaningless); ``weighted_days_past_due`` is
    NaN when the past-due invoices net to half a cent or less.
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
    out["weighted_days_past_due"] = _div(
        out["_wpd_num"], out["_wpd_den"].where(out["_wpd_den"] > _HALF_CENT, 0.0))
    return out.drop(columns=["_wpd_num", "_wpd_den"])


def average_days_to_pay(invoices: pd.DataFrame, payments: pd.DataFrame, as_of) -> pd.Series:
    """Average days to pay per customer (amount-weighted days from issue to payment).

    A thin view on ``creditlab.receivables.payment_behaviour`` (column ``avg_days_to_pay``),
    payments on or before ``as_of`` only. NaN for customers with no payment.
    """
    return payment_behaviour(invoices, payments, _as_of(as_of))["avg_days_to_pay"]


def dispute_ageing(disputes: pd.DataFrame, as_of, *, by: str = "cause",
                   buckets: Sequence[int] = (30, 60, 90)) -> pd.DataFrame:
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

    Returns
    -------
    DataFrame indexed by ``by`` (every dispute cause of the data model appears when
    ``by="cause"``), columns ``n_open, amount_ttc, avg_age_days`` (amount-weighted),
    ``max_age_days``, then one amount column per age bucket, named by code (``age_0_30``,
    ``age_31_60``, ``age_61_90``, ``age_over_90`` for the default bounds: days since opening);
    :func:`dispute_ageing_words` gives the bucket columns in words ("0-30 j", "> 90 j").
    ``avg_age_days`` is NaN for a cause with no open dispute. ``lang`` is no longer a
    parameter (passing it raises ``TypeError``).
    """
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
    names = [f"age_{a}_{b}" for a, b in zip(lo, bounds, strict=False)]
    names.append(f"age_over_{bounds[-1]}")
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


_AGE_CODE = re.compile(r"^age_(?:(\d+)_(\d+)|over_(\d+))$")


def dispute_ageing_words(ageing: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """:func:`dispute_ageing` with its bucket columns in words: ``age_0_30`` → "0-30 j"
    ("0-30 d" in English), ``age_over_90`` → "> 90 j"; the other columns keep their codes."""
    lang = check_lang(lang)
    d = text("aging_days", lang)

    def word(c):
        m = _AGE_CODE.match(c) if isinstance(c, str) else None
        if m is None:
            return c
        lo, hi, over = m.groups()
        return f"> {over} {d}" if over else f"{lo}-{hi} {d}"

    return ageing.rename(columns=word)

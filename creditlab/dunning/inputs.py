"""Inputs of dunning: the ledger in any accepted form, and the history of actions.

- :func:`ledger_items` — open items, customers and payment behaviour from
  :class:`~creditlab.receivables.OpenItems` (their date), a
  :class:`~creditlab.receivables.Ledger`, an open-items DataFrame or the tables, with the date of
  the analysis taken from the items when they know it;
- :func:`empty_history` and the checks of a history table (append-only, rows of
  :meth:`creditlab.dunning.ActionPlan.to_history`): dates read ISO or French day-first.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from creditlab._checks import as_date, as_date_column
from creditlab.dunning.codes import HistoryStatus
from creditlab.exceptions import InputError
from creditlab.receivables import (
    Ledger,
    OpenItems,
    open_items,
    payment_behaviour,
    resolve_items,
)

__all__ = ["HISTORY_COLUMNS", "HISTORY_STATUSES", "empty_history", "ledger_items",
           "UNDATED_PAYMENT"]

#: ``method`` of the payments a loader implies from an open-items export (the settled part of
#: each document, whose payment dates are not known): never a payment history for penalties.
UNDATED_PAYMENT = "undated_open_items"

#: Columns of the append-only history of dunning actions.
HISTORY_COLUMNS = ("action_id", "date", "customer_id", "scenario", "step", "step_day",
                   "template", "channel", "escalation", "invoice_ids", "amount", "status",
                   "until", "reason")
HISTORY_STATUSES = tuple(HistoryStatus)
#: History statuses that count as done (a skipped step is not proposed again).
_DONE = (HistoryStatus.SENT.value, HistoryStatus.SKIPPED.value)
_SEP = ";"


def empty_history() -> pd.DataFrame:
    """An empty history table with the right columns and dtypes."""
    return pd.DataFrame({
        "action_id": pd.Series(dtype="str"), "date": pd.Series(dtype="datetime64[ns]"),
        "customer_id": pd.Series(dtype="str"), "scenario": pd.Series(dtype="str"),
        "step": pd.Series(dtype="str"), "step_day": pd.Series(dtype="int64"),
        "template": pd.Series(dtype="str"), "channel": pd.Series(dtype="str"),
        "escalation": pd.Series(dtype="str"), "invoice_ids": pd.Series(dtype="str"),
        "amount": pd.Series(dtype="float64"), "status": pd.Series(dtype="str"),
        "until": pd.Series(dtype="datetime64[ns]"), "reason": pd.Series(dtype="str"),
    })


# --------------------------------------------------------------------------- inputs
def ledger_items(ledger, as_of=None, *, customers: pd.DataFrame | None = None):
    """Open items, customers and payment behaviour from any accepted ledger form.

    ``ledger`` is

    - :class:`~creditlab.receivables.OpenItems` (``Ledger.at(as_of)``): the date is theirs;
      ``as_of`` may be left out, and if given must be that date (else an :class:`InputError`
      saying how to recompute);
    - a :class:`~creditlab.receivables.Ledger`: the items are computed at ``as_of`` (required);
    - an open-items DataFrame (CONTRACTS.md shape: at least ``customer_id, invoice_id,
      due_date, open_amount``) with an explicit ``as_of``;
    - a mapping with ``invoices`` and ``payments`` (and optionally ``disputes``, ``customers``
      — e.g. :func:`creditlab.io.load_demo` output) or a tuple ``(invoices, payments)``, with an
      explicit ``as_of``.

    Returns ``(items, customers, behaviour)``; ``behaviour`` is None for open items.
    """
    items, customers, behaviour, _ = _resolve_ledger(ledger, as_of, customers)
    return items, customers, behaviour


def _resolve_ledger(ledger, as_of, customers: pd.DataFrame | None = None):
    """:func:`ledger_items` plus the date of the analysis (from the items when they know it)."""
    behaviour = None
    if isinstance(ledger, OpenItems | pd.DataFrame):
        raw, asof = resolve_items(ledger, as_of, name="ledger")
        items = _check_items(raw)
        if customers is None and isinstance(ledger, OpenItems):
            customers = ledger.customers
        return items, customers, behaviour, asof
    asof = as_date(as_of, "as_of")
    if isinstance(ledger, Ledger):
        ledger = {"invoices": ledger.invoices, "payments": ledger.payments,
                  "disputes": ledger.disputes, "customers": ledger.customers}
    if isinstance(ledger, tuple) and len(ledger) == 2:
        ledger = {"invoices": ledger[0], "payments": ledger[1]}
    if isinstance(ledger, Mapping):
        if "invoices" not in ledger or "payments" not in ledger:
            raise InputError("ledger", "a mapping with 'invoices' and 'payments' tables",
                             sorted(ledger), "pass e.g. creditlab.io.load_demo()")
        inv, pay = ledger["invoices"], ledger["payments"]
        _check_invoice_signs(inv, "invoices")
        items = open_items(inv, pay, asof, disputes=ledger.get("disputes"))
        behaviour = payment_behaviour(inv, pay, asof)
        if customers is None:
            customers = ledger.get("customers")
    else:
        raise InputError("ledger", "OpenItems (Ledger.at(as_of)), a Ledger, an open-items "
                         "DataFrame or {'invoices': ..., 'payments': ...}",
                         type(ledger).__name__,
                         "pass creditlab.receivables.Ledger.from_tables(...).at(as_of) or the "
                         "demo dict")
    return items, customers, behaviour, asof


def ledger_payments(ledger) -> pd.DataFrame | None:
    """The allocated, dated payments of a ledger given as tables or a Ledger (None for open
    items, or payments implied from an open-items export — :data:`UNDATED_PAYMENT`: their dates
    are not known, penalties then run on the open amount, a lower bound)."""
    if isinstance(ledger, Ledger):
        pay = ledger.payments
    elif isinstance(ledger, tuple) and len(ledger) == 2:
        pay = ledger[1]
    elif isinstance(ledger, Mapping):
        pay = ledger.get("payments")
    else:
        return None
    if not isinstance(pay, pd.DataFrame) or not {"invoice_id", "payment_date",
                                                 "amount"} <= set(pay.columns):
        return None
    if "method" in pay.columns:
        pay = pay[pay["method"].astype("str") != UNDATED_PAYMENT]
        if pay.empty:
            return None
    return pay


def _check_invoice_signs(df: pd.DataFrame, table: str) -> None:
    if not isinstance(df, pd.DataFrame) or not {"doc_type", "amount_ttc"} <= set(df.columns):
        return
    amt = pd.to_numeric(df["amount_ttc"], errors="coerce")
    bad = (df["doc_type"] == "invoice").fillna(False).to_numpy(dtype=bool) & (amt < 0).to_numpy(
        dtype=bool, na_value=False)
    if bad.any():
        ids = df["invoice_id"][bad].head(5).tolist() if "invoice_id" in df.columns else []
        raise InputError(f"{table}.amount_ttc", "a positive amount for every invoice "
                         "(credit notes are doc_type='credit_note')",
                         f"{int(bad.sum())} negative invoice amount(s), e.g. {ids}",
                         "fix the sign, or set doc_type='credit_note' for an avoir")


def _check_items(items: pd.DataFrame) -> pd.DataFrame:
    required = ("customer_id", "invoice_id", "due_date", "open_amount")
    missing = [c for c in required if c not in items.columns]
    if missing:
        raise InputError("ledger columns", f"the open-item columns {list(required)}",
                         f"missing {missing}",
                         "compute them with creditlab.receivables.open_items(invoices, "
                         "payments, as_of)")
    out = items.copy()
    for c in ("customer_id", "invoice_id"):
        if out[c].isna().any():
            raise InputError(f"ledger.{c}", "an id on every row",
                             f"{int(out[c].isna().sum())} missing", f"fill {c}")
        out[c] = out[c].astype("str")
    out["due_date"] = as_date_column(out["due_date"], "ledger.due_date", allow_missing=True)
    nat = out["due_date"].isna()
    if nat.any():
        raise InputError("ledger.due_date", "a due date on every row",
                         f"{int(nat.sum())} missing due date(s), e.g. "
                         f"{out.loc[nat, 'invoice_id'].head(5).tolist()}",
                         "fill due_date (creditlab.legal computes it from the payment terms)")
    amt = pd.to_numeric(out["open_amount"], errors="coerce")
    if amt.isna().any() or not np.isfinite(amt.to_numpy(dtype="float64")).all():
        raise InputError("ledger.open_amount", "a finite amount in euros on every row",
                         f"{int((~np.isfinite(amt.to_numpy(dtype='float64', na_value=np.nan))).sum())}"
                         " missing or non-numeric", "fill or fix open_amount")
    out["open_amount"] = amt.astype("float64")
    if "doc_type" not in out.columns:
        out["doc_type"] = np.where(out["open_amount"] >= 0, "invoice", "credit_note")
    is_inv = (out["doc_type"] == "invoice").to_numpy(dtype=bool, na_value=False)
    if "amount_ttc" in out.columns:
        _check_invoice_signs(out, "ledger")
    elif (is_inv & (out["open_amount"] < 0).to_numpy()).any():
        bad = out.loc[is_inv & (out["open_amount"] < 0).to_numpy(), "invoice_id"].head(5)
        raise InputError("ledger.open_amount", "a positive open amount for invoices",
                         f"negative for {bad.tolist()}",
                         "set doc_type='credit_note' for avoirs, or fix the sign")
    if "disputed" not in out.columns:
        out["disputed"] = False
    out["disputed"] = out["disputed"].fillna(False).astype(bool)
    return out


def _step_days(values: pd.Series) -> pd.Series:
    """Step days as integers: ``15``, ``"15"``, ``"J+15"``, ``"D-5"`` (an InputError naming the
    bad values otherwise)."""
    txt = values.astype("str").str.strip().str.replace(r"^[JjDd]\s*", "", regex=True)
    num = pd.to_numeric(txt.str.replace(r"^\+", "", regex=True), errors="coerce")
    bad = num.isna() | (num != num.round())
    if bad.any():
        raise InputError("history.step_day", "a whole number of days (15, J+15, J-5)",
                         sorted(set(values[bad].astype(str)))[:5],
                         "fix the step_day column of the history")
    return num.astype("int64")


def _check_history(history: pd.DataFrame | None) -> pd.DataFrame:
    if history is None:
        return empty_history()
    if not isinstance(history, pd.DataFrame):
        raise InputError("history", "a DataFrame (ActionPlan.to_history() rows)",
                         type(history).__name__)
    required = ("customer_id", "date", "step_day", "invoice_ids", "status")
    missing = [c for c in required if c not in history.columns]
    if missing:
        raise InputError("history columns", f"at least {list(required)}", f"missing {missing}",
                         "build the history from ActionPlan.to_history()")
    h = history.copy()
    # days, not times; typed dates read ISO or French day-first (05/12/2025 = 5 December)
    h["date"] = as_date_column(h["date"], "history.date")
    bad = ~h["status"].isin([s.value for s in HistoryStatus])
    if bad.any():
        raise InputError("history.status", f"values among {[str(s) for s in HistoryStatus]}",
                         sorted(set(h.loc[bad, "status"].astype(str)))[:5])
    h["step_day"] = _step_days(h["step_day"])
    if "until" not in h.columns:
        h["until"] = pd.NaT
    h["until"] = as_date_column(h["until"], "history.until", allow_missing=True)
    ids = h["invoice_ids"]
    if ids.map(lambda v: isinstance(v, list | tuple)).any():
        ids = ids.map(lambda v: _SEP.join(map(str, v)) if isinstance(v, list | tuple) else v)
    h["invoice_ids"] = ids.astype("str").fillna("")
    h["customer_id"] = h["customer_id"].astype("str")
    return h

"""Promises to pay: read and checked, then kept, broken, due or pending.

- :func:`read_promises` reads and checks a promises file (the demo's example:
  :data:`DEMO_PROMISES_FILE`);
- :func:`promises_status` — each promise kept, broken, due, pending (or to check when it names
  no invoice), from the open items at ``as_of``.

Re-exported by :mod:`creditlab.dunning.escalation` (whose cases to escalate read them) and by
:mod:`creditlab.dunning`.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

from creditlab._checks import as_date_column
from creditlab._vocabulary import label_table
from creditlab.dunning.codes import EscalationReason, InsurerStatus, NextAction, PromiseStatus
from creditlab.dunning.inputs import _SEP, _resolve_ledger
from creditlab.exceptions import InputError
from creditlab.i18n import check_lang
from creditlab.io.datasets import DATASETS_DIR

__all__ = ["promises_status", "status_words", "read_promises", "PROMISE_COLUMNS", "ESCALATION_LABELS",
           "DEMO_PROMISES_FILE"]

#: Columns of a promises-to-pay table (no canonical table: recorded by the credit team).
PROMISE_COLUMNS = ("customer_id", "promise_date", "amount", "invoice_ids")
#: Hand-made example of promises on the demo portfolio at 2025-12-31 (see its README.md).
DEMO_PROMISES_FILE = DATASETS_DIR / "demo_extras" / "promesses_exemple.csv"

#: French / English words of the escalation reasons, next legal actions, promise and insurer
#: statuses, read-only, from the label catalogue; kept for compatibility — prefer
#: ``PromiseStatus.KEPT.label(lang)``.
ESCALATION_LABELS = label_table(NextAction, EscalationReason, PromiseStatus, InsurerStatus)


def _overdue(items: pd.DataFrame, asof: pd.Timestamp, exclude_disputed: bool) -> pd.DataFrame:
    it = items.copy()
    it["days_past_due"] = (asof - it["due_date"]).dt.days
    m = (it["doc_type"] == "invoice") & (it["open_amount"] > 0) & (it["days_past_due"] > 0)
    if exclude_disputed:
        m &= ~it["disputed"].astype(bool)
    return it[m]


# --------------------------------------------------------------------------- promises
def _check_promises(promises: pd.DataFrame, where: str = "promises") -> pd.DataFrame:
    """Checked copy of a promises table: columns, dates, amounts (errors name the column)."""
    if not isinstance(promises, pd.DataFrame):
        raise InputError(where, "a DataFrame with columns " + ", ".join(PROMISE_COLUMNS),
                         type(promises).__name__, "use creditlab.dunning.read_promises(path)")
    missing = [c for c in PROMISE_COLUMNS[:3] if c not in promises.columns]
    if missing:
        raise InputError(f"{where} columns", f"at least {list(PROMISE_COLUMNS[:3])} "
                         "(and optionally invoice_ids)", f"missing {missing} in "
                         f"{list(promises.columns)}",
                         "name the columns customer_id, promise_date (AAAA-MM-JJ), amount, "
                         "invoice_ids (';'-separated)")
    p = promises.copy()
    cid = p["customer_id"]
    empty = cid.isna() | (cid.astype("str").str.strip() == "")
    if empty.any():
        raise InputError(f"{where}.customer_id", "a customer id on every row",
                         f"empty on row(s) {_rows(empty)}", "fill the customer code")
    p["customer_id"] = cid.astype("str").str.strip()
    # ISO 2026-01-15 or French 15/01/2026 (day first, never guessed month-first)
    p["promise_date"] = as_date_column(p["promise_date"].reset_index(drop=True),
                                       f"{where}.promise_date").set_axis(p.index)
    amt = pd.to_numeric(p["amount"], errors="coerce")
    bad = amt.isna() | (amt < 0)
    if bad.any():
        raise InputError(f"{where}.amount", "an amount in euros >= 0 on every row",
                         f"{p.loc[bad, 'amount'].astype('str').head(5).tolist()} on row(s) "
                         f"{_rows(bad)}", "write the promised amount, e.g. 1250.50")
    p["amount"] = amt.astype("float64")
    if "invoice_ids" not in p.columns:
        p["invoice_ids"] = ""
    ids = p["invoice_ids"].astype("str").where(p["invoice_ids"].notna(), "")
    p["invoice_ids"] = ids.map(lambda v: _SEP.join(i.strip() for i in v.split(_SEP)
                                                   if i.strip()))
    return p


def _rows(mask: pd.Series) -> list[int]:
    """Row numbers (1-based, as in a spreadsheet without its header) of ``mask``, at most 5."""
    return [int(i) + 1 for i in np.flatnonzero(mask.to_numpy(dtype=bool))[:5]]


def read_promises(source, *, customers: pd.DataFrame | None = None,
                  invoices: pd.DataFrame | None = None) -> pd.DataFrame:
    """Read and check a promises-to-pay table (CSV file or DataFrame).

    Parameters
    ----------
    source : path or DataFrame
        Columns ``customer_id, promise_date, amount`` and optionally ``invoice_ids``
        (``;``-separated invoices the promise covers; empty = the customer's overdue balance).
        :data:`DEMO_PROMISES_FILE` is an example on the demo portfolio.
    customers : DataFrame, optional
        Known customers (``customer_id``): a promise of an unknown customer is an error.
    invoices : DataFrame, optional
        Known invoices (``invoice_id, customer_id``): a promise naming an invoice that does not
        exist or belongs to another customer is an error.

    Returns
    -------
    DataFrame with ``promise_date`` as dates, ``amount`` as float, ``invoice_ids`` as text.

    Raises
    ------
    InputError
        Missing file or column, empty customer id, bad date or amount, unknown customer or
        invoice; the message names the column, the rows and the fix.
    """
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        if not os.path.isfile(path):
            raise InputError("promises", "an existing CSV file of promises to pay", path,
                             "check the path, or pass promises=None for no promises")
        try:
            df = pd.read_csv(path, dtype="str", keep_default_na=False, na_values=[""],
                             sep=None, engine="python")
        except (pd.errors.ParserError, UnicodeDecodeError) as err:
            raise InputError("promises", "a CSV file (UTF-8, ',' or ';' separated)", path,
                             f"save it again as CSV UTF-8 ({err})") from None
        where = os.path.basename(path)
    else:
        df, where = source, "promises"
    p = _check_promises(df, where)
    if customers is not None and "customer_id" in customers.columns:
        known = set(customers["customer_id"].astype("str"))
        bad = ~p["customer_id"].isin(known)
        if bad.any():
            raise InputError(f"{where}.customer_id", "customers of the customers table",
                             f"unknown {p.loc[bad, 'customer_id'].head(5).tolist()} on row(s) "
                             f"{_rows(bad)}", "fix the customer code or add the customer")
    if invoices is not None and {"invoice_id", "customer_id"} <= set(invoices.columns):
        uniq = invoices.drop_duplicates("invoice_id")
        owner = uniq.set_index(uniq["invoice_id"].astype("str"))["customer_id"]
        ex = p["invoice_ids"].str.split(_SEP).explode()
        ex = ex[ex.notna() & (ex != "")]
        got = ex.map(owner.astype("str"))
        bad_idx = got.index[got.isna().to_numpy() | (got.to_numpy(dtype=object)
                                                     != p.loc[got.index, "customer_id"]
                                                     .to_numpy(dtype=object))]
        if len(bad_idx):
            bad = pd.Series(p.index.isin(bad_idx), index=p.index)
            raise InputError(f"{where}.invoice_ids", "invoices of the promising customer",
                             f"{ex.loc[bad_idx].head(5).tolist()} unknown or of another "
                             f"customer on row(s) {_rows(bad)}",
                             "fix the invoice numbers (';' between two) or leave empty for the "
                             "customer's overdue balance")
    return p


def promises_status(promises: pd.DataFrame | None, ledger, as_of=None, *, grace_days: int = 1,
                    window_days: int = 7) -> pd.DataFrame:
    """Status of promises to pay at ``as_of``.

    Parameters
    ----------
    promises : DataFrame or None
        ``customer_id, promise_date, amount`` and ``invoice_ids`` (``;``-separated invoices
        the promise covers; empty = the customer's overdue balance). None → empty result.
    ledger : OpenItems, Ledger, open-items DataFrame, or mapping / tuple with invoices and
        payments (as in :func:`creditlab.dunning.plan_actions`).
    as_of : date-like
        Required, except with OpenItems (their date; a different one is an error).
    grace_days : int
        Days after the promised date before a promise is called broken (bank value dates).
    window_days : int
        Promises falling due within this many days after ``as_of`` are ``due``.

    Returns
    -------
    DataFrame: the promises with ``open_remaining`` (euros still open on the promised
    invoices; for a promise without invoices, the customer's overdue balance) and ``status``:
    ``kept`` (promised invoices no longer open), ``broken`` (date + grace passed, still open),
    ``due`` (date within the window), ``pending`` (later), ``to_check`` (no invoices named and
    date passed while an overdue balance remains: check the payments received). The status
    in words: :func:`status_words` (``lang`` is no longer a parameter: passing it raises
    ``TypeError``).
    """
    items, _, _, asof = _resolve_ledger(ledger, as_of)
    cols = [*PROMISE_COLUMNS, "open_remaining", "status"]
    if promises is None:
        return pd.DataFrame(columns=cols)
    p = _check_promises(promises)
    open_by_inv = items.groupby("invoice_id")["open_amount"].sum()
    ex = p.reset_index(drop=True).assign(
        invoice_id=lambda d: d["invoice_ids"].str.split(_SEP)).explode("invoice_id")
    ex = ex[ex["invoice_id"].str.strip() != ""]
    rem = ex["invoice_id"].map(open_by_inv).fillna(0.0).clip(lower=0.0)
    remaining = rem.groupby(level=0).sum().reindex(range(len(p)), fill_value=0.0)
    overdue = _overdue(items, asof, False).groupby("customer_id")["open_amount"].sum()
    named = (p["invoice_ids"].str.strip() != "").to_numpy()
    cust_over = p["customer_id"].astype("str").map(overdue).fillna(0.0).to_numpy()
    p["open_remaining"] = np.where(named, remaining.to_numpy(), cust_over).round(2)
    passed = (p["promise_date"] + pd.Timedelta(days=grace_days) < asof).to_numpy()
    soon = (p["promise_date"] <= asof + pd.Timedelta(days=window_days)).to_numpy()
    still = p["open_remaining"].to_numpy() > 0.005
    p["status"] = np.select(
        [~still & named, still & passed & named, still & passed & ~named, soon & still],
        [PromiseStatus.KEPT.value, PromiseStatus.BROKEN.value, PromiseStatus.TO_CHECK.value,
         PromiseStatus.DUE.value], default=PromiseStatus.PENDING.value)
    p.loc[~still & ~named & passed, "status"] = PromiseStatus.KEPT.value
    return p


def status_words(frame: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A copy of ``frame`` (:func:`promises_status` or
    :func:`creditlab.dunning.insurer_deadlines`) with ``status_label``: its ``status`` code in
    words ("promesse non tenue", "délai dépassé"...; ``lang="en"`` for English), right after
    ``status``."""
    lang = check_lang(lang)
    out = frame.drop(columns="status_label", errors="ignore")
    words = out["status"].map(lambda s: ESCALATION_LABELS.get(s, {}).get(lang, s)
                              ).astype("object")
    out.insert(out.columns.get_loc("status") + 1, "status_label", words)
    return out

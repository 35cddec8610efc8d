"""The customer ledger as of a date: open items (pièces non soldées).

:func:`open_items` turns the canonical ``invoices`` and ``payments`` tables (``creditlab.io.tables``)
into one row per document still open at a date, the input of the aged balance
(:func:`creditlab.receivables.aged_balance`) and of the receivables KPIs.

Conventions (``CONTRACTS.md``, "Open items"):

- invoice amounts are signed (invoices > 0, credit notes < 0); payments are positive cash received
  (a refund is a negative payment);
- ``open_amount = amount_ttc − paid_amount``, signed: invoices > 0, credit notes and unallocated cash
  < 0 (an over-paid invoice shows a negative open amount: the truth of the ledger, which
  ``creditlab.io.validate`` reports as an over-allocation);
- amounts are computed in whole cents (every input amount is rounded to the cent first), so that
  sums are exact to the cent; they are returned as float64 euros.

The private helpers at the top are shared with :mod:`~creditlab.receivables.aging` and
:mod:`~creditlab.receivables.behaviour`: every one raises :class:`~creditlab.exceptions.InputError`
naming the table and column, what was expected, what was got and the fix.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from creditlab._checks import as_of_date, require_columns
from creditlab.exceptions import InputError
from creditlab.receivables._keys import (
    _arrow,
    _encode_together,
    _encode_with_ranks,
    _lookup,
)

__all__ = ["open_items", "OPEN_ITEM_COLUMNS", "DOC_TYPE_LABELS"]

#: Columns of the open-items table, in order (CONTRACTS.md).
OPEN_ITEM_COLUMNS = ("customer_id", "invoice_id", "doc_type", "issue_date", "due_date",
                     "amount_ttc", "paid_amount", "open_amount", "disputed")

#: French / English labels of the ``doc_type`` values of open items.
DOC_TYPE_LABELS = {
    "invoice": {"fr": "facture", "en": "invoice"},
    "credit_note": {"fr": "avoir", "en": "credit note"},
    "unallocated_cash": {"fr": "règlement non affecté", "en": "unallocated cash"},
}

_FIX_DATES = ("convert it with pandas.to_datetime, or read the file with "
              "creditlab.io.read_table which does it for you")
_INVOICE_COLUMNS = ("invoice_id", "customer_id", "doc_type", "issue_date", "due_date", "amount_ttc")
_PAYMENT_COLUMNS = ("payment_id", "customer_id", "payment_date", "amount")
_NAT_DAYS = np.iinfo("int64").min


# --------------------------------------------------------------------------- shared checks
#: Kept for the dunning package, which still imports it: use creditlab._checks.as_of_date.
_as_of = as_of_date

def _day_number(ts: pd.Timestamp) -> int:
    """Days since 1970-01-01 of a (normalised) Timestamp."""
    return int(np.datetime64(ts.date(), "D").astype("int64"))


def _check_frame(df: object, table: str, required: Iterable[str], fix: str) -> pd.DataFrame:
    """``df`` must be a DataFrame holding every column of ``required``."""
    return require_columns(df, table, required, fix)


def _first(mask: np.ndarray, labels: pd.Series | None = None, k: int = 5) -> list:
    where = np.flatnonzero(mask)[:k]
    if labels is None:
        return [int(i) for i in where]
    return [labels.iloc[int(i)] for i in where]


def _days(df: pd.DataFrame, table: str, column: str, *, allow_nat: bool = False,
          ids: pd.Series | None = None) -> np.ndarray:
    """A date column as int64 days since the epoch (NaT → int64 min when ``allow_nat``)."""
    s = df[column]
    if not len(s):  # an empty table, whatever the dtype its constructor gave
        return np.empty(0, dtype="int64")
    if not pd.api.types.is_datetime64_any_dtype(s.dtype):
        if s.isna().all() and allow_nat:  # an all-empty optional column read as float/object
            return np.full(len(s), _NAT_DAYS, dtype="int64")
        raise InputError(f"{table}.{column}", "a datetime64 column", str(s.dtype), _FIX_DATES)
    if getattr(s.dt, "tz", None) is not None:
        s = s.dt.tz_localize(None)
    values = s.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    nat = np.isnat(values)
    if nat.any() and not allow_nat:
        raise InputError(f"{table}.{column}", "a date on every row",
                         f"{int(nat.sum())} missing date(s), first for {_first(nat, ids)}",
                         f"fill {column} on those rows or drop them")
    return values.astype("int64")


def _cents(df: pd.DataFrame, table: str, column: str,
           ids: pd.Series | None = None) -> np.ndarray:
    """An amount column (euros) as float64 whole cents; NaN or non-numeric raise."""
    s = df[column]
    if not len(s):  # an empty table, whatever the dtype its constructor gave
        return np.empty(0, dtype="float64")
    if not pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        raise InputError(f"{table}.{column}", "a numeric column (euros)", str(s.dtype),
                         "convert it with pandas.to_numeric (decimal comma? read the file with "
                         "creditlab.io.read_table)")
    values = s.to_numpy(dtype="float64", na_value=np.nan)
    bad = ~np.isfinite(values)
    if bad.any():
        raise InputError(f"{table}.{column}", "a finite amount on every row",
                         f"{int(bad.sum())} missing or infinite amount(s), first for "
                         f"{_first(bad, ids)}", f"fill {column} on those rows or drop them")
    return np.rint(values * 100.0)


def _ids(df: pd.DataFrame, table: str, column: str) -> pd.Series:
    """An id column as strings; missing ids raise."""
    s = df[column]
    na = s.isna().to_numpy()
    if na.any():
        raise InputError(f"{table}.{column}", "an id on every row",
                         f"{int(na.sum())} missing id(s), at row positions {_first(na)}",
                         f"fill {column} on those rows or drop them")
    return s if s.dtype == "str" else s.astype("str")


def _blank(s: pd.Series) -> np.ndarray:
    """True where an optional reference column is empty (missing or blank string)."""
    out = s.isna().to_numpy(dtype=bool)
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        stripped = s.astype("str").str.strip()
        out = out | (stripped == "").fillna(True).to_numpy(dtype=bool)
    return out


def _flags(df: pd.DataFrame, table: str, column: str) -> np.ndarray:
    """A boolean flag column; missing values count as False, anything but booleans raises."""
    s = df[column]
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.fillna(False).to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(s.dtype):
        v = s.to_numpy(dtype="float64", na_value=0.0)
        if np.isin(v, (0.0, 1.0)).all():
            return v == 1.0
    elif s.dtype == object and s.dropna().map(lambda x: isinstance(x, bool | np.bool_)).all():
        return s.fillna(False).astype(bool).to_numpy()
    raise InputError(f"{table}.{column}", "a boolean column (True/False)", str(s.dtype),
                     "convert it to bool (creditlab.io.read_table does it for you)")


# --------------------------------------------------------------------------- open items
def open_items(invoices: pd.DataFrame, payments: pd.DataFrame, as_of, *,
               disputes: pd.DataFrame | None = None) -> pd.DataFrame:
    """Open documents of the customer ledger at a date (pièces non soldées au ``as_of``).

    Parameters
    ----------
    invoices : DataFrame
        Canonical ``invoices`` table: ``invoice_id, customer_id, doc_type, issue_date, due_date,
        amount_ttc`` (signed: invoices > 0, credit notes < 0), optionally ``related_invoice_id``
        (the invoice a credit note corrects) and ``disputed`` (bool flag).
    payments : DataFrame
        Canonical ``payments`` table: ``payment_id, customer_id, payment_date, amount`` (positive
        cash received, negative refund) and optionally ``invoice_id`` (the document settled by
        this allocation line; empty = cash on account).
    as_of : date-like
        Date of the analysis. Documents issued after it and payments dated after it are ignored.
    disputes : DataFrame, optional
        Canonical ``disputes`` table (``invoice_id, opened_date`` and optionally
        ``closed_date``). When given, a document is disputed at ``as_of`` when one of its
        disputes was opened on or before ``as_of`` and not closed on or before ``as_of``; the
        ``disputed`` flag of ``invoices`` (a snapshot at export time) is then **not** used.
        Without it, ``disputed`` is the invoices' flag (False when the column is absent).
        Disputes on documents absent from ``invoices`` are ignored.

    Returns
    -------
    DataFrame
        One row per open document, columns ``customer_id, invoice_id, doc_type, issue_date,
        due_date, amount_ttc, paid_amount, open_amount, disputed`` (CONTRACTS.md), sorted by
        customer, due date and input order; ``open_amount = amount_ttc − paid_amount``.
        Documents whose open amount is 0 to the cent are dropped.

    Notes
    -----
    Allocation rules, applied to documents issued and payments dated on or before ``as_of``:

    1. each payment line with an ``invoice_id`` reduces that document's open amount by its
       ``amount`` (partial payments add up; a refund line on a credit note reduces its credit);
    2. a credit note whose ``related_invoice_id`` names an invoice of the ledger (issued on or
       before ``as_of``) is netted against that invoice, up to the invoice's open amount after
       payments; several credit notes on one invoice are netted in issue-date order. The netted
       amount counts as ``paid_amount`` on both documents; any excess stays open on the credit
       note (negative). A credit note without ``related_invoice_id``, or naming a document that
       is not an invoice of the ledger at ``as_of`` (e.g. an invoice older than the export),
       stays a negative open line of its own;
    3. cash with no ``invoice_id`` — and cash allocated to a document issued *after* ``as_of``
       (an advance: at ``as_of`` that document does not exist yet) — is kept as one negative
       ``unallocated_cash`` line per payment (``invoice_id`` = the ``payment_id``,
       ``issue_date`` = ``due_date`` = the payment date, ``amount_ttc`` = −cash).

    Every amount is rounded to the cent before the computation and all sums are done in whole
    cents, so ``open_amount`` is exact to the cent.

    Raises
    ------
    InputError
        Missing columns, missing ids or dates (NaT), non-numeric or missing amounts, unknown
        ``doc_type`` values, duplicate ``invoice_id``, payments allocated to a document that is not
        in ``invoices``, an invalid ``as_of``.

    Examples
    --------
    >>> items = open_items(invoices, payments, "2025-12-31")            # doctest: +SKIP
    >>> items.groupby("customer_id")["open_amount"].sum()               # doctest: +SKIP
    """
    asof = as_of_date(as_of)
    return _items_at(_build_core(invoices, payments, disputes), asof)


# --------------------------------------------------------------------------- the matching core
@dataclass(frozen=True, eq=False)
class _Core:
    """A customer ledger matched once: every id encoded to an integer position.

    Documents are rows ``0..n-1`` of ``invoices``; amounts in whole cents (float64), dates in
    day numbers. ``target[j]`` is the document payment line ``j`` settles (-1: cash on account),
    ``rel[i]`` the invoice credit note ``i`` corrects (-1: none, or not an invoice of the
    ledger), ``cash_group[j]`` the (customer, payment id) group of payment line ``j`` when it
    can be cash on account at some date (-1: allocated to a document issued by then); the
    ``*_rank`` arrays are the rank of the customer id in sorted order (documents and payments
    share one ranking). Disputes: ``d_doc`` (-1: blank or unknown document), ``d_open``,
    ``d_close`` (``_NAT_DAYS``: still open). Nothing here depends on ``as_of``.
    """

    inv_id: pa.ChunkedArray
    cust: pa.ChunkedArray
    doc_type: pa.ChunkedArray
    issue: np.ndarray
    due: np.ndarray
    amount: np.ndarray
    is_invoice: np.ndarray
    is_credit: np.ndarray
    rel: np.ndarray
    cust_rank: np.ndarray
    flag_disputed: np.ndarray
    pay_id: pa.ChunkedArray
    pay_cust: pa.ChunkedArray
    pay_day: np.ndarray
    pay_cents: np.ndarray
    target: np.ndarray
    pay_rank: np.ndarray
    cash_group: np.ndarray
    d_doc: np.ndarray | None = None
    d_open: np.ndarray | None = None
    d_close: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.issue)


def _netted(starts: np.ndarray, avail: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """The credit-note netting rule: how much of each credit note is netted against its invoice.

    Rows are credit notes sorted by invoice (and, for a history, by day), then in issue-date
    order; ``starts`` marks the first row of each invoice (or invoice and day), ``avail`` is
    the credit each note can give (its open credit after refunds, >= 0), ``cap`` the invoice's
    open amount after payments (>= 0, the same on every row of a group). Notes take the cap in
    order: ``netted = min(cum, cap) − min(cum − avail, cap)``, ``cum`` the running sum of
    ``avail`` within the group. Shared by :func:`open_items` (one date) and ``kpi_history``
    (every date where the netting changes).
    """
    if not len(avail):
        return np.zeros(0)
    cum = pd.Series(avail).groupby(np.cumsum(starts)).cumsum().to_numpy()
    return np.maximum(np.minimum(cum, cap) - np.minimum(cum - avail, cap), 0.0)


def _build_core(invoices: pd.DataFrame, payments: pd.DataFrame,
                disputes: pd.DataFrame | None, *, history: bool = False) -> _Core:
    """Validate the tables and match them once (see :func:`open_items` for the errors).

    ``history=True`` (``kpi_history``): ``payments.payment_id`` is optional (row positions
    stand in) and the cash-on-account groups of the open items are not built.
    """
    fix_inv = "pass the canonical invoices table (creditlab.io.read_table(path, 'invoices'))"
    fix_pay = "pass the canonical payments table (creditlab.io.read_table(path, 'payments'))"
    _check_frame(invoices, "invoices", _INVOICE_COLUMNS, fix_inv)
    _check_frame(payments, "payments",
                 [c for c in _PAYMENT_COLUMNS if not (history and c == "payment_id")], fix_pay)

    # ---- documents
    inv_id = _ids(invoices, "invoices", "invoice_id")
    doc_type = invoices["doc_type"]
    is_invoice = (doc_type == "invoice").to_numpy(dtype=bool, na_value=False)
    is_credit = (doc_type == "credit_note").to_numpy(dtype=bool, na_value=False)
    n = len(invoices)
    # one hash pass: invoice ids get codes 0..n-1 when unique; a payment's code < n is the
    # position of the document it settles
    # (and the invoice a credit note corrects, in the same pass: a code < n is its position)
    has_ref = "invoice_id" in payments.columns
    cn_rows = np.empty(0, dtype="int64")
    if "related_invoice_id" in invoices.columns and is_credit.any():
        cn_rows = np.flatnonzero(is_credit & ~_blank(invoices["related_invoice_id"]))
    none = pd.Series([], dtype="str")
    refs = (inv_id, payments["invoice_id"] if has_ref else none,
            invoices["related_invoice_id"].iloc[cn_rows] if len(cn_rows) else none)
    # That encoding (hashing every document id and reference: half the CPU of a 10 M ledger)
    # runs in a second thread while this one checks and converts the other columns and ranks
    # the customers (Arrow and numpy release the GIL): the same codes, the same errors in the
    # same order, about the time of the longer of the two instead of their sum.
    with ThreadPoolExecutor(max_workers=1) as pool:
        encoding = pool.submit(_encode_together, *refs)
        cust = _ids(invoices, "invoices", "customer_id")
        issue = _days(invoices, "invoices", "issue_date", ids=inv_id)
        due = _days(invoices, "invoices", "due_date", ids=inv_id)
        amount = _cents(invoices, "invoices", "amount_ttc", ids=inv_id)
        bad_type = ~(is_invoice | is_credit)
        if bad_type.any():
            raise InputError("invoices.doc_type", "'invoice' or 'credit_note'",
                             sorted(set(map(str, doc_type[bad_type].unique())))[:5],
                             "map your document types to 'invoice' / 'credit_note' (avoir)")

        # ---- payments
        if history and "payment_id" not in payments.columns:
            pay_id = pd.Series(np.arange(len(payments)), index=payments.index).astype("str")
        else:
            pay_id = _ids(payments, "payments", "payment_id")
        pay_cust = _ids(payments, "payments", "customer_id")
        pay_day = _days(payments, "payments", "payment_date", ids=pay_id)
        pay_cents = _cents(payments, "payments", "amount", ids=pay_id)
        unalloc = _blank(payments["invoice_id"]) if has_ref else None
        # customers ranked once (the sort order of the open items; a history needs none)
        ranked = None if history else _encode_with_ranks(cust, pay_cust)
        inv_code, pay_code, rel_code = encoding.result()
    if n and not np.array_equal(inv_code, np.arange(n)):
        dup = inv_id[inv_id.duplicated()].unique()[:5].tolist()
        raise InputError("invoices.invoice_id", "unique document ids", f"duplicates {dup}",
                         "remove the duplicated rows or give each document its own id")
    if has_ref:
        target = np.where(~unalloc & (pay_code >= 0) & (pay_code < n), pay_code, -1)
        unknown = ~unalloc & (target < 0)
        if unknown.any():
            bad = payments["invoice_id"][unknown]
            raise InputError(
                "payments.invoice_id", "ids of documents present in invoices",
                f"{int(unknown.sum())} allocation line(s) to unknown documents, e.g. "
                f"{bad.unique()[:5].tolist()} (payments {_first(unknown, pay_id)})",
                "add the missing invoices to the invoices table, or clear invoice_id on those "
                "lines to book them as unallocated cash")
    else:
        target = np.full(len(payments), -1, dtype="int64")

    # ---- customers' ranks; payment groups
    if ranked is None:
        cust_rank = pay_rank = c_pay = np.empty(0, dtype="int64")
    else:
        (c_doc, c_pay), rank = ranked
        cust_rank = rank[c_doc] if n else np.empty(0, dtype="int64")
        pay_rank = rank[c_pay] if len(c_pay) else np.empty(0, dtype="int64")
    # lines that can be cash on account at some date: unallocated, or allocated to a document
    # issued after the payment (an advance); the others never are (-1)
    cash_group = np.full(len(payments), -1, dtype="int64")
    cand = np.flatnonzero((target < 0) | (pay_day < issue[np.maximum(target, 0)])) if n \
        else np.arange(len(payments))
    if history:
        cand = cand[:0]
    if len(cand):
        (pid,) = _encode_together(pay_id.iloc[cand])
        key = c_pay[cand] * (int(pid.max()) + 1) + pid
        cash_group[cand] = pd.factorize(key, sort=False)[0]

    # ---- credit notes and the invoice they correct
    rel = np.full(n, -1, dtype="int64")
    if len(cn_rows):
        found = np.where((rel_code >= 0) & (rel_code < n), rel_code, -1)
        ok = found >= 0
        ok[ok] = is_invoice[found[ok]]
        rel[cn_rows[ok]] = found[ok]

    # ---- disputes: dated (a table) or a snapshot flag
    d_doc = d_open = d_close = None
    if disputes is not None:
        fix = "pass the canonical disputes table (creditlab.io.read_table(path, 'disputes'))"
        _check_frame(disputes, "disputes", ("invoice_id", "opened_date"), fix)
        did = disputes["dispute_id"] if "dispute_id" in disputes.columns else None
        d_open = _days(disputes, "disputes", "opened_date", ids=did)
        if "closed_date" in disputes.columns:
            d_close = _days(disputes, "disputes", "closed_date", allow_nat=True, ids=did)
        else:
            d_close = np.full(len(disputes), _NAT_DAYS, dtype="int64")
        d_doc = np.full(len(disputes), -1, dtype="int64")
        named = ~_blank(disputes["invoice_id"])
        if named.any() and n:
            d_doc[named] = _lookup(disputes["invoice_id"][named], inv_id)
        flag = np.zeros(n, dtype=bool)
    elif "disputed" in invoices.columns:
        flag = _flags(invoices, "invoices", "disputed")
    else:
        flag = np.zeros(n, dtype=bool)

    return _Core(
        inv_id=_arrow(inv_id), cust=_arrow(cust), doc_type=_arrow(doc_type), issue=issue,
        due=due, amount=amount, is_invoice=is_invoice, is_credit=is_credit, rel=rel,
        cust_rank=cust_rank, flag_disputed=flag, pay_id=_arrow(pay_id),
        pay_cust=_arrow(pay_cust), pay_day=pay_day, pay_cents=pay_cents, target=target,
        pay_rank=pay_rank, cash_group=cash_group, d_doc=d_doc, d_open=d_open, d_close=d_close)


def _items_at(core: _Core, asof: pd.Timestamp) -> pd.DataFrame:
    """The open items of a matched ledger at a date: filters by day and sums in cents."""
    asof_day = _day_number(asof)
    n = core.n
    issued = core.issue <= asof_day
    target = core.target
    received = core.pay_day <= asof_day
    # cash allocated to a document issued after as_of is cash on account at as_of
    safe_target = np.where(target >= 0, target, 0)
    to_live = received & (target >= 0) & (issued[safe_target] if n else False)
    on_account = received & ~to_live

    paid = np.bincount(target[to_live], weights=core.pay_cents[to_live], minlength=n) \
        .astype("float64") if n else np.zeros(0)
    open_c = core.amount - paid

    # ---- credit notes netted against the invoice they correct
    rel = core.rel
    cn_rows = np.flatnonzero((rel >= 0) & issued)
    if len(cn_rows):
        r = rel[cn_rows]
        ok = issued[r]
        cn_rows, r = cn_rows[ok], r[ok]
        avail = np.maximum(-open_c[cn_rows], 0.0)
        keep = avail > 0
        cn_rows, r, avail = cn_rows[keep], r[keep], avail[keep]
        if len(cn_rows):
            order = np.lexsort((cn_rows, core.issue[cn_rows], r))
            cn_rows, r, avail = cn_rows[order], r[order], avail[order]
            cap = np.maximum(open_c[r], 0.0)
            netted = _netted(np.r_[True, r[1:] != r[:-1]], avail, cap)
            paid[cn_rows] -= netted
            paid += np.bincount(r, weights=netted, minlength=n)
            open_c = core.amount - paid

    # ---- disputed at as_of
    if core.d_doc is not None:
        live = ((core.d_open <= asof_day) & ((core.d_close == _NAT_DAYS)
                                             | (core.d_close > asof_day)) & (core.d_doc >= 0))
        disputed = np.zeros(n, dtype=bool)
        disputed[core.d_doc[live]] = True
    else:
        disputed = core.flag_disputed

    keep = np.flatnonzero(issued & (open_c != 0))
    take = pa.array(keep, type=pa.int64())
    cols = {
        "customer_id": [core.cust.take(take)],
        "invoice_id": [core.inv_id.take(take)],
        "doc_type": [core.doc_type.take(take)],
        "rank": [core.cust_rank[keep]],
        "issue": [core.issue[keep]], "due": [core.due[keep]], "amount": [core.amount[keep]],
        "paid": [paid[keep]], "open": [open_c[keep]], "disputed": [disputed[keep]],
    }

    # ---- unallocated cash: one negative line per payment (and customer), first-seen order
    cash_rows = np.flatnonzero(on_account)
    if len(cash_rows):
        g = core.cash_group[cash_rows]
        uniq, first = np.unique(g, return_index=True)
        order = np.argsort(first, kind="stable")
        uniq, first = uniq[order], first[order]
        slot = np.empty(int(uniq.max()) + 1, dtype="int64")
        slot[uniq] = np.arange(len(uniq))
        k_of = slot[g]
        cents = np.bincount(k_of, weights=core.pay_cents[cash_rows], minlength=len(uniq))
        days = np.full(len(uniq), np.iinfo("int64").max, dtype="int64")
        np.minimum.at(days, k_of, core.pay_day[cash_rows])
        nz = cents != 0
        rows = pa.array(cash_rows[first[nz]], type=pa.int64())
        cents, days = cents[nz], days[nz]
        k = len(cents)
        cols["customer_id"].append(core.pay_cust.take(rows))
        cols["invoice_id"].append(core.pay_id.take(rows))
        cols["doc_type"].append(pa.chunked_array([pa.array(["unallocated_cash"] * k,
                                                           type=pa.large_string())]))
        cols["rank"].append(core.pay_rank[cash_rows[first[nz]]])
        cols["issue"].append(days)
        cols["due"].append(days)
        cols["amount"].append(-cents)
        cols["paid"].append(np.zeros(k))
        cols["open"].append(-cents)
        cols["disputed"].append(np.zeros(k, dtype=bool))
    return _finish_items(cols)


def _finish_items(cols: dict[str, list]) -> pd.DataFrame:
    """Concatenate the parts, sort by customer, due date and input order, convert cents to euros
    and day numbers to dates, in the contract's column order."""
    strings = {k: pa.chunked_array([ch for part in cols[k] for ch in part.chunks],
                                   type=pa.large_string())
               for k in ("customer_id", "invoice_id", "doc_type")}
    nums = {k: np.concatenate(cols[k]) for k in ("rank", "issue", "due", "amount", "paid",
                                                  "open", "disputed")}
    m = len(nums["due"])
    if m:
        order = np.lexsort((np.arange(m), nums["due"], nums["rank"]))
        take = pa.array(order, type=pa.int64())
        strings = {k: v.take(take) for k, v in strings.items()}
        nums = {k: v[order] for k, v in nums.items()}
    to_date = np.dtype("datetime64[D]")
    return pd.DataFrame({
        "customer_id": pd.Series(strings["customer_id"], dtype="str"),
        "invoice_id": pd.Series(strings["invoice_id"], dtype="str"),
        "doc_type": pd.Series(strings["doc_type"], dtype="str"),
        "issue_date": nums["issue"].astype("int64").astype(to_date).astype("datetime64[ns]"),
        "due_date": nums["due"].astype("int64").astype(to_date).astype("datetime64[ns]"),
        "amount_ttc": nums["amount"].astype("float64") / 100.0,
        "paid_amount": nums["paid"].astype("float64") / 100.0,
        "open_amount": nums["open"].astype("float64") / 100.0,
        "disputed": nums["disputed"].astype(bool),
    })

"""KPI history of a ledger left in Parquet, computed out of core by DuckDB.

Reached as ``kpi_history(Ledger.from_parquet(invoices, payments, disputes=...), start, end)``:
:func:`creditlab.receivables.kpi_history` hands a
:class:`~creditlab.receivables.outofcore.ParquetLedger` to :func:`kpi_history_sql`. Same
parameters and result; what differs: ``disputes`` may also be Parquet path(s) (default: the
ledger's ``disputes``), ``customers``, ``write_offs`` and ``allowances`` are DataFrames (small
tables), the credit-limit columns are not computed yet (a ``customers.credit_limit`` column
raises :class:`~creditlab.exceptions.InputError`), and the files are not validated (a payment
line naming a document absent from the ledger is cash on account here, an error in memory).

The definitions are those of :func:`creditlab.receivables.kpi_history` (DOMAIN.md §6): every
KPI of a month end is a function of a few balances at that month end (receivables, the part not
yet due, the part more than 90 days past due, the past-due invoices and their due dates, the
disputed part, ...) and of a few flows of the month (sales TTC and HT, cash received on
invoices and its days to pay and days late, disputes opened).

A balance at month end ``m`` is the sum of the signed amounts that are *held* on that day: an
invoice from its issue date on, a payment line from its payment date on (allocated to its
document, or cash on account), the part of an invoice not yet due from its issue date to its
due date, the part more than 90 days past due from ``due + 91`` on, a credit note netted
against the invoice it corrects while the netting holds, and so on. Each such holding is one
SQL row ``(kind, group, amount, from_day, to_day)``; the month ends it covers are the months
from ``cell(from_day)`` to ``cell(to_day)``, so the query emits ``+amount`` at the first cell and
``-amount`` at the second and aggregates by ``(kind, group, cell)``: DuckDB streams the Parquet
files through these rows and keeps only one number per kind, group and month (it spills to disk
beyond ``memory_limit``). The running sum over the months and the KPI formulas then run on that
small grid, through the in-memory engine's own final step (``_assemble``), so both engines share
the formulas and differ only in how the balances are summed.

Matching rules, as in the in-memory ledger: a payment line is allocated to the document named
by its ``invoice_id`` (any line naming no document of the ledger is cash on account — the in-memory
engine refuses such a line: validate the files first); a line dated before its document's issue
date is cash on account until then; a credit note naming an invoice of the ledger nets it, up to
the invoice's open amount after payments, several credit notes in issue-date order (ties in the
order of the rows in the files); a dispute counts the open amount of its document while it is
open, overlapping disputes on a document merged.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.receivables.kpi._engine import (
    _Accumulator,
    _allowance_rows,
    _assemble,
    _customer_rows,
    _month_grid,
)
from creditlab.receivables.outofcore import ParquetLedger, _frame_or_scan

#: Kinds of balance (held between two days) and of flow (dated) summed by the query.
STATE_KINDS = ("total", "current", "over90", "pd_inv", "disputed", "open_doc")
FLOW_KINDS = ("sales", "sales_ht", "paid", "disputes_opened")
_FOREVER = 1_000_000_000  # a day after every month end ("still held")
_DAY = "date_diff('day', DATE '1970-01-01', CAST({} AS DATE))"


def _cell(day: str, first_day: int, end_day: int, m0: int, n: int) -> str:
    """SQL: index of the first month end on or after ``day`` (``n`` = after the last one)."""
    month = f"(year(DATE '1970-01-01' + CAST({day} AS INTEGER)) * 12 " \
            f"+ month(DATE '1970-01-01' + CAST({day} AS INTEGER)))"
    return (f"(CASE WHEN {day} > {end_day} THEN {n} WHEN {day} < {first_day} THEN 0 "
            f"ELSE {month} - {m0} END)")


def history_sql(invoices: str, invoices_rows: str, payments: str, disputes: str | None, group: str,
                groups_join: str, has_ht: bool, has_related: bool, open_ht: bool,
                grid: tuple[int, int, int, int]) -> str:
    """The query: rows ``(part, kind, grp, cell, w, w2)`` to be placed in the month grid.

    ``part`` is ``'s'`` (a balance change at ``cell``) or ``'f'`` (a flow of month ``cell``).
    ``grid`` is ``(first_day, end_day, m0, n)``: the first day of the first month and the
    last month end (day ordinals), the first month's number (``year * 12 + month``) and the
    number of month ends.
    ``group`` is the SQL expression of a row's group (the invoices and payments are read as
    ``src``), ``groups_join`` a join giving it (or ``""``).
    """
    ht = "CAST(amount_ht AS DOUBLE)" if has_ht else "CAST(NULL AS DOUBLE)"
    rel = ("NULLIF(trim(CAST(related_invoice_id AS VARCHAR)), '')" if has_related
           else "CAST(NULL AS VARCHAR)")
    d = _DAY.format
    first_day, end_day, _, n = grid

    def cell(day: str) -> str:
        return _cell(day, *grid)

    sql = f"""
WITH inv AS (
    SELECT CAST(invoice_id AS VARCHAR) AS doc, {group} AS grp, doc_type = 'invoice' AS is_inv,
           {d('issue_date')} AS issue,
           {d('due_date')} AS due, CAST(amount_ttc AS DOUBLE) AS amt, {ht} AS amt_ht
    FROM {invoices} AS src {groups_join}
), cn AS (        -- the credit notes naming a document, with their place in the files
    SELECT CAST(invoice_id AS VARCHAR) AS doc, {group} AS grp, {d('issue_date')} AS issue,
           {d('due_date')} AS due, CAST(amount_ttc AS DOUBLE) AS amt, {rel} AS rel,
           filename AS file, file_row_number AS rownum
    FROM {invoices_rows} AS src {groups_join}
    WHERE doc_type = 'credit_note' AND {rel} IS NOT NULL
), pay AS (
    SELECT p.amt, p.day, i.doc, i.grp AS doc_grp, p.grp, i.issue, i.due, i.is_inv
    FROM (SELECT CAST(amount AS DOUBLE) AS amt, {d('payment_date')} AS day,
                 NULLIF(trim(CAST(invoice_id AS VARCHAR)), '') AS ref, {group} AS grp
          FROM {payments} AS src {groups_join}) p
    LEFT JOIN inv i ON p.ref = i.doc
), pairs AS (      -- credit note k correcting invoice r
    SELECT k.doc AS k, r.doc AS r, k.issue AS k_issue, k.due AS k_due, k.amt AS k_amt,
           k.grp AS k_grp, r.issue AS r_issue, r.due AS r_due, r.amt AS r_amt, r.grp AS r_grp,
           k.file AS k_file, k.rownum AS k_row
    FROM cn k JOIN inv r ON k.rel = r.doc
    WHERE r.is_inv
), cash AS (      -- cash allocated to the documents of a pair, by day
    SELECT p.doc, p.day, SUM(p.amt) AS amt FROM pay p
    WHERE p.doc IN (SELECT k FROM pairs UNION ALL SELECT r FROM pairs)
    GROUP BY p.doc, p.day
), events AS (    -- the days where a netting can change: issues and payments of its documents
    SELECT r, day, lead(day, 1, {_FOREVER}) OVER (PARTITION BY r ORDER BY day) AS nxt
    FROM (SELECT r, k_issue AS day FROM pairs
          UNION SELECT r, r_issue FROM pairs
          UNION SELECT c.doc, c.day FROM cash c WHERE c.doc IN (SELECT r FROM pairs)
          UNION SELECT q.r, c.day FROM cash c JOIN pairs q ON c.doc = q.k)
), x AS (
    SELECT e.day, e.nxt, q.*,
           (SELECT COALESCE(SUM(c.amt), 0) FROM cash c WHERE c.doc = q.r AND c.day <= e.day)
               AS paid_r,
           (SELECT COALESCE(SUM(c.amt), 0) FROM cash c WHERE c.doc = q.k AND c.day <= e.day)
               AS paid_k
    FROM events e JOIN pairs q ON e.r = q.r
), avail AS (
    SELECT *, CASE WHEN r_issue <= day THEN greatest(r_amt - paid_r, 0) ELSE 0 END AS cap,
           CASE WHEN k_issue <= day THEN greatest(paid_k - k_amt, 0) ELSE 0 END AS av
    FROM x
), netted AS (    -- credit notes take the invoice's open amount in issue-date order
    SELECT *, greatest(least(cum, cap) - least(cum - av, cap), 0) AS nv
    FROM (SELECT *, SUM(av) OVER (PARTITION BY r, day ORDER BY k_issue, k_file, k_row
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum
          FROM avail)
), held AS (      -- what makes up each document's open amount, and while (per document)
    SELECT doc, grp, issue, due, is_inv, amt AS w, issue AS lo, {_FOREVER} AS hi FROM inv
    UNION ALL
    SELECT doc, doc_grp, issue, due, is_inv, -amt, greatest(day, issue), {_FOREVER}
    FROM pay WHERE doc IS NOT NULL
    UNION ALL
    SELECT r, r_grp, r_issue, r_due, TRUE, -nv, greatest(day, r_issue), nxt
    FROM netted WHERE nv > 0
    UNION ALL
    SELECT k, k_grp, k_issue, k_due, FALSE, nv, greatest(day, k_issue), nxt
    FROM netted WHERE nv > 0
), spans AS (     -- kind, group, amounts, from day, to day
    SELECT 'total' AS kind, grp, amt AS w, 0.0 AS w2, issue AS lo, {_FOREVER} AS hi FROM inv
    UNION ALL SELECT 'total', COALESCE(doc_grp, grp), -amt, 0.0, day, {_FOREVER} FROM pay
    -- not yet due (current): a document from its issue to its due date, cash on its day
    UNION ALL SELECT 'current', grp, w, 0.0, lo, least(hi, due + 1) FROM held
    UNION ALL SELECT 'current', grp, -amt, 0.0, day, day + 1 FROM pay WHERE doc IS NULL
    UNION ALL SELECT 'current', doc_grp, -amt, 0.0, day, least(day + 1, issue)
              FROM pay WHERE doc IS NOT NULL AND day < issue
    -- more than 90 days past due
    UNION ALL SELECT 'over90', grp, w, 0.0, greatest(lo, due + 91), hi FROM held
    UNION ALL SELECT 'over90', grp, -amt, 0.0, day + 91, {_FOREVER} FROM pay WHERE doc IS NULL
    UNION ALL SELECT 'over90', doc_grp, -amt, 0.0, day + 91, issue
              FROM pay WHERE doc IS NOT NULL AND day < issue
    -- past-due invoices, and their due days (amount-weighted days past due)
    UNION ALL SELECT 'pd_inv', grp, w, w * due, greatest(lo, due + 1), hi FROM held
              WHERE is_inv"""
    if disputes is not None:
        sql = sql.replace("), held AS (", f"""), dsp AS (
    SELECT i.doc, i.grp, d.opened, COALESCE(d.closed, {_FOREVER}) AS closed, d.amt
    FROM (SELECT CAST(invoice_id AS VARCHAR) AS ref, {d('opened_date')} AS opened,
                 {d('closed_date')} AS closed, CAST(amount_ttc AS DOUBLE) AS amt
          FROM {disputes}) d JOIN inv i ON d.ref = i.doc
), blocks AS (    -- overlapping disputes of a document merged
    SELECT doc, MIN(opened) AS opened, MAX(closed) AS closed FROM (
        SELECT *, SUM(CASE WHEN prev IS NULL OR opened > prev THEN 1 ELSE 0 END)
                      OVER (PARTITION BY doc ORDER BY opened, closed
                            ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS block
        FROM (SELECT *, MAX(closed) OVER (PARTITION BY doc ORDER BY opened, closed
                            ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev
              FROM dsp))
    GROUP BY doc, block
), held AS (""", 1)
        sql += """
    UNION ALL SELECT 'disputed', h.grp, h.w, 0.0, greatest(h.lo, b.opened, h.issue),
                     least(h.hi, b.closed)
              FROM held h JOIN blocks b ON h.doc = b.doc"""
    if open_ht:
        sql += """
    UNION ALL SELECT 'open_doc', h.grp, h.w, h.w * i.amt_ht / i.amt, h.lo, h.hi
              FROM held h JOIN inv i ON h.doc = i.doc
              WHERE i.amt <> 0 AND isfinite(i.amt_ht / i.amt)"""
    sql += f"""
), flows AS (
    SELECT 'sales' AS kind, grp, amt AS w, 0.0 AS w2, 0.0 AS w3, issue AS day FROM inv
    {"UNION ALL SELECT 'sales_ht', grp, COALESCE(amt_ht, 0), 0.0, 0.0, issue FROM inv"
     if has_ht else ""}
    UNION ALL SELECT 'paid', doc_grp, amt, amt * (day - issue), amt * (day - due), day
              FROM pay WHERE doc IS NOT NULL AND is_inv AND amt > 0{'''
    UNION ALL SELECT 'disputes_opened', grp, amt, 0.0, 0.0, opened FROM dsp'''
                                                               if disputes else ''}
), cells AS (
    SELECT kind, grp, w, w2, {cell('lo')} AS cl,
           {cell('hi')} AS ch FROM spans
)
SELECT 's' AS part, kind, grp, cl AS cell, SUM(w) AS w, SUM(w2) AS w2, 0.0 AS w3
FROM cells WHERE cl < ch GROUP BY kind, grp, cl
UNION ALL
SELECT 's', kind, grp, ch, -SUM(w), -SUM(w2), 0.0
FROM cells WHERE cl < ch AND ch < {n} GROUP BY kind, grp, ch
UNION ALL
SELECT 'f', kind, grp, {cell('day')} AS cell,
       SUM(w), SUM(w2), SUM(w3)
FROM flows WHERE day >= {first_day} AND day <= {end_day} GROUP BY ALL
"""
    return sql


class _Grid:
    """Month-end balances and flows summed by the query (+ small per-customer tables), read by
    the in-memory engine's final step as its accumulator."""

    def __init__(self, rows: pd.DataFrame, labels: pd.Index, T: int, small: _Accumulator):
        self.small = small
        self._state: dict[str, np.ndarray] = {}
        self._flow: dict[str, np.ndarray] = {}
        G = len(labels)
        if len(rows):
            g = labels.get_indexer(rows["grp"])
            if (g < 0).any():  # pragma: no cover - groups come from the same tables
                raise RuntimeError("out-of-core KPI history: a group outside the labels")
            rows = rows.assign(g=g)
        for (part, kind), sub in rows.groupby(["part", "kind"], sort=False):
            width = T + 1 if part == "s" else T
            cols = {"w": kind, "w2": {"pd_inv": "pd_inv_due", "paid": "paid_days",
                                      "open_doc": "open_doc_ht"}.get(kind),
                    "w3": "paid_late" if kind == "paid" else None}
            for col, name in cols.items():
                if name is None:
                    continue
                arr = np.zeros(G * width)
                np.add.at(arr, sub["g"].to_numpy() * width + sub["cell"].to_numpy(),
                          sub[col].to_numpy(dtype="float64"))
                arr = arr.reshape(G, width)
                if part == "s":
                    self._state[name] = np.cumsum(arr, axis=1)[:, :T]
                else:
                    self._flow[name] = arr
        self.T, self.G = T, G

    def state(self, name: str) -> np.ndarray:
        own = self._state.get(name)
        return self.small.state(name) if own is None else own + self.small.state(name)

    def flows(self, name: str) -> np.ndarray:
        own = self._flow.get(name)
        return self.small.flows(name) if own is None else own + self.small.flows(name)


def kpi_history_sql(ledger: ParquetLedger, start, end, *, by=None, disputes=None, customers=None, freq="M",
                    dso_months=3, countback_months=24, write_offs=None, allowances=None):
    """:func:`creditlab.receivables.kpi_history` of a :class:`ParquetLedger` (see the module)."""
    if start is None or end is None:
        raise InputError("start" if start is None else "end", "a date or a month ('2025-01')",
                         None, "pass the first and last month of the history")
    if freq not in ("M", "ME", "month"):
        raise InputError("freq", "'M' (month ends)", freq,
                         "take every third row of the monthly history for quarters")
    for name, val in (("dso_months", dso_months), ("countback_months", countback_months)):
        if isinstance(val, bool) or not isinstance(val, (int, np.integer)) or val < 1:
            raise InputError(name, "a whole number of months >= 1", val)
    con = ledger._con
    offset = max(12, countback_months - 1, dso_months - 1)
    me, ends, first_day = _month_grid(start, end, offset)
    T = len(me)
    first = pd.Timestamp(first_day, unit="D")
    m0 = first.year * 12 + first.month
    inv_cols = ledger._columns["invoices"]
    invoices = ledger._scan(ledger.invoices, rows=True)
    payments = ledger._scan(ledger.payments)
    disputes = ledger.disputes if disputes is None else disputes
    dsp_sql = None
    if disputes is not None:
        dsp_sql = _frame_or_scan(ledger, disputes, "disputes",
                                 ("invoice_id", "opened_date", "closed_date", "amount_ttc"))

    # ---- groups
    cust_table = None
    if customers is not None:
        if not isinstance(customers, pd.DataFrame) or "customer_id" not in customers.columns:
            raise InputError("customers", "a DataFrame with a customer_id column",
                             type(customers).__name__, "pass the canonical customers table")
        cust_table = customers.drop_duplicates("customer_id")
    ledger_customers = None
    group_of = None
    if by is None:
        labels = pd.Index(["total"])
        group, join = "'total'", ""
    elif by == "customer_id":
        ledger_customers = ledger._customers()
        labels = pd.Index(ledger_customers).sort_values()
        group, join = "CAST(src.customer_id AS VARCHAR)", ""
    else:
        if cust_table is None or by not in cust_table.columns:
            raise InputError("by", "'customer_id' or a column of customers", by,
                             "pass customers=... holding that column (segment, sales_rep, ...)")
        values = cust_table[by].astype("str").fillna("n/a")
        group_of, labels = pd.factorize(values, sort=True)
        labels = pd.Index(labels)
        mapping = pd.DataFrame({"customer_id": cust_table["customer_id"].astype("str"),
                                "grp": labels[group_of].astype("str")})
        con.register("creditlab_groups", mapping)
        missing = con.execute(
            f"SELECT DISTINCT c FROM (SELECT CAST(customer_id AS VARCHAR) AS c FROM {invoices} "
            f"UNION ALL SELECT CAST(customer_id AS VARCHAR) FROM {payments}) "
            f"WHERE c NOT IN (SELECT customer_id FROM creditlab_groups) LIMIT 5").fetchall()
        if missing:
            raise InputError("invoices.customer_id", "customers present in the customers table",
                             [m[0] for m in missing], "add the missing customers to customers")
        group = "g.grp"
        join = "JOIN creditlab_groups g ON g.customer_id = CAST(src.customer_id AS VARCHAR)"
    G = len(labels)
    has_ht = "amount_ht" in inv_cols
    open_ht = allowances is not None and has_ht
    sql = history_sql(ledger._scan(ledger.invoices), invoices, payments, dsp_sql, group, join, has_ht,
                      "related_invoice_id" in inv_cols, open_ht,
                      (int(first_day), int(me[-1]), m0, T))
    rows = con.execute(sql).df()
    if by is not None and by != "customer_id":
        con.unregister("creditlab_groups")
    first_issue = con.execute(f"SELECT MIN({_DAY.format('issue_date')}) FROM "
                              f"{ledger._scan(ledger.invoices)}").fetchall()[0][0]

    # ---- small per-customer tables (write-offs, allowances) in memory
    small = _Accumulator(me, first_day, G)
    if write_offs is not None or allowances is not None:
        if ledger_customers is None:
            ledger_customers = ledger._customers()
        known = pd.DataFrame({"customer_id": ledger_customers})
    if write_offs is not None:
        wo_g, wo_amt, wo_day = _customer_rows(
            write_offs, "write_offs", labels, by, group_of, cust_table, known, known.iloc[:0],
            "pass a table customer_id, date, amount_ht (write-off > 0, recovery < 0)",
            "a write-off covers a receivable: check the customer numbers")
        small.flow("write_offs", wo_g, wo_amt, wo_day)
    if allowances is not None:
        al_g, al_amt, al_day = _allowance_rows(allowances, labels, by, group_of, cust_table,
                                               known, known.iloc[:0])
        small.interval("allowance", al_g, al_amt, al_day)
    limits = None
    if cust_table is not None and "credit_limit" in cust_table.columns:
        lim = cust_table["credit_limit"].to_numpy(dtype="float64")
        if np.isfinite(lim).any():
            raise InputError("customers.credit_limit", "no credit limits (the out-of-core "
                             "history does not compute the limit columns yet)",
                             "a credit_limit column", "drop the column, or compute the limit "
                             "columns with creditlab.receivables.kpi_history in memory")
    grid = _Grid(rows, labels.astype("str") if by is None else labels, T, small)
    return _assemble(grid, me, ends, offset, labels, by, has_ht, disputes is not None,
                     write_offs is not None, limits, dso_months, countback_months,
                     None if first_issue is None else int(first_issue), allowances is not None)

"""KPI history of a ledger left in Parquet, computed out of core by DuckDB.

Reached as ``kpi_history(Ledger.from_parquet(invoices, payments, disputes=...), start, end)``:
:func:`creditlab.receivables.kpi_history` hands a
:class:`~creditlab.receivables.outofcore.ParquetLedger` to :func:`kpi_history_sql`. Same
parameters and result; what differs: ``disputes`` may also be Parquet path(s) (default: the
ledger's ``disputes``), ``customers``, ``write_offs`` and ``allowances`` are DataFrames (small
tables), and the files are not validated (a payment line naming a document absent from the
ledger is cash on account here, an error in memory).

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
from creditlab.receivables.buckets import MISSING_GROUP
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


#: What each row of ``base`` holds, per kind of balance ('s') or flow ('f'): the condition on
#: the row, the amounts (w, w2, w3) and the days [lo, hi) — a flow's day is ``lo``. ``src`` is
#: 'doc' (a document), 'pay' (a payment line on a document), 'cash' (a line on no document) or
#: 'net' (a credit note's netting, held from ``lo`` to ``hi``).
_KINDS = (
    ("total", "s", "src IN ('doc', 'cash')", "w", "lo", "hi"),
    ("total", "s", "src = 'pay'", "w", "day", "hi"),
    ("current", "s", "src IN ('doc', 'pay', 'net')", "w", "lo", "least(hi, due + 1)"),
    ("current", "s", "src = 'cash'", "w", "day", "day + 1"),
    ("current", "s", "src = 'pay' AND day < issue", "w", "day", "least(day + 1, issue)"),
    ("over90", "s", "src IN ('doc', 'pay', 'net')", "w", "greatest(lo, due + 91)", "hi"),
    ("over90", "s", "src = 'cash'", "w", "day + 91", "hi"),
    ("over90", "s", "src = 'pay' AND day < issue", "w", "day + 91", "issue"),
    ("pd_inv", "s", "src IN ('doc', 'pay', 'net') AND is_inv", "w", "greatest(lo, due + 1)",
     "hi"),
    ("sales", "f", "src = 'doc'", "w", "issue", "hi"),
    ("paid", "f", "src = 'pay' AND is_inv AND w < 0", "-w", "day", "hi"),
)
_W2 = {"pd_inv": "w * due", "paid": "-w * (day - issue)", "open_doc": "w * rate"}
_W3 = {"paid": "-w * (day - due)"}


def history_sql(invoices: str, invoices_rows: str, payments: str, disputes: str | None,
                group: str, groups_join: str, has_ht: bool, has_related: bool, open_ht: bool,
                grid: tuple[int, int, int, int]) -> str:
    """The query: rows ``(part, kind, grp, cell, w, w2, w3)`` to be placed in the month grid.

    ``part`` is ``'s'`` (a balance change at month end ``cell``) or ``'f'`` (a flow of month
    ``cell``). ``grid`` is ``(first_day, end_day, m0, n)``: the first day of the first month
    and the last month end (day ordinals), the first month's number (``year * 12 + month``)
    and the number of month ends. ``group`` is the SQL expression of a row's group (the
    invoices and payments are read as ``src``), ``groups_join`` a join giving it (or ``""``).

    The big tables are read as streams (``NOT MATERIALIZED``): the payments are joined to the
    invoices once, every other step on the ledger's size is a projection, a join to a small
    table (the credit notes and their invoices, the disputed documents) or the final
    aggregation; only the credit-note netting and the disputes are materialised (small).
    """
    ht = "CAST(amount_ht AS DOUBLE)" if has_ht else "CAST(NULL AS DOUBLE)"
    rel = ("NULLIF(trim(CAST(related_invoice_id AS VARCHAR)), '')" if has_related
           else "CAST(NULL AS VARCHAR)")
    d = _DAY.format
    first_day, end_day, _, n = grid
    kinds = list(_KINDS)
    if has_ht:
        kinds.append(("sales_ht", "f", "src = 'doc'", "COALESCE(amt_ht, 0)", "issue", "hi"))
    if open_ht:
        kinds.append(("open_doc", "s", "src IN ('doc', 'pay', 'net') AND isfinite(rate)", "w",
                      "lo", "hi"))
    cases = []
    for col, pick in (("w", lambda k: k[3]), ("w2", lambda k: _W2.get(k[0], "0.0")),
                      ("w3", lambda k: _W3.get(k[0], "0.0")), ("lo", lambda k: k[4]),
                      ("hi", lambda k: k[5])):
        whens = " ".join(f"WHEN k.i = {i} THEN {pick(k)}" for i, k in enumerate(kinds))
        cases.append(f"CASE {whens} END AS {col}")
    values = ", ".join(f"({i}, '{k[0]}', '{k[1]}')" for i, k in enumerate(kinds))
    applies = " OR ".join(f"(k.i = {i} AND {k[2]})" for i, k in enumerate(kinds))
    forever = _FOREVER
    sql = f"""
WITH inv AS NOT MATERIALIZED (
    SELECT CAST(invoice_id AS VARCHAR) AS doc, {group} AS grp, doc_type = 'invoice' AS is_inv,
           {d('issue_date')} AS issue, {d('due_date')} AS due,
           CAST(amount_ttc AS DOUBLE) AS amt, {ht} AS amt_ht
    FROM {invoices} AS src {groups_join}
), pays AS NOT MATERIALIZED (
    SELECT CAST(amount AS DOUBLE) AS amt, {d('payment_date')} AS day,
           NULLIF(trim(CAST(invoice_id AS VARCHAR)), '') AS ref, {group} AS grp
    FROM {payments} AS src {groups_join}
), cn AS (        -- the credit notes naming a document, with their place in the files
    SELECT CAST(invoice_id AS VARCHAR) AS doc, {group} AS grp, {d('issue_date')} AS issue,
           {d('due_date')} AS due, CAST(amount_ttc AS DOUBLE) AS amt, {ht} AS amt_ht,
           {rel} AS rel, filename AS file, file_row_number AS rownum
    FROM {invoices_rows} AS src {groups_join}
    WHERE doc_type = 'credit_note' AND {rel} IS NOT NULL
), pairs AS (      -- credit note k correcting invoice r
    SELECT k.doc AS k, r.doc AS r, k.issue AS k_issue, k.due AS k_due, k.amt AS k_amt,
           k.amt_ht / k.amt AS k_rate, k.grp AS k_grp, r.issue AS r_issue, r.due AS r_due,
           r.amt AS r_amt, r.amt_ht / r.amt AS r_rate, r.grp AS r_grp,
           k.file AS k_file, k.rownum AS k_row
    FROM cn k JOIN inv r ON k.rel = r.doc
    WHERE r.is_inv
), cash AS (      -- cash allocated to the documents of a pair, by day
    SELECT p.ref AS doc, p.day, SUM(p.amt) AS amt
    FROM pays p JOIN (SELECT k AS doc FROM pairs UNION SELECT r FROM pairs) q ON p.ref = q.doc
    GROUP BY p.ref, p.day
), events AS (    -- the days where a netting can change: issues and payments of its documents
    SELECT r, day, lead(day, 1, {forever}) OVER (PARTITION BY r ORDER BY day) AS nxt
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
    SELECT * FROM (
        SELECT *, greatest(least(cum, cap) - least(cum - av, cap), 0) AS nv
        FROM (SELECT *, SUM(av) OVER (PARTITION BY r, day ORDER BY k_issue, k_file, k_row
                                      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum
              FROM avail))
    WHERE nv > 0
), net AS (       -- netting rows: the invoice loses nv, the credit note gains it, while held
    SELECT r AS doc, r_grp AS grp, r_issue AS issue, r_due AS due, TRUE AS is_inv, -nv AS w,
           greatest(day, r_issue) AS lo, nxt AS hi, r_rate AS rate FROM netted
    UNION ALL
    SELECT k, k_grp, k_issue, k_due, FALSE, nv, greatest(day, k_issue), nxt, k_rate FROM netted
), base AS NOT MATERIALIZED (   -- everything that makes up the open amounts, one stream
    SELECT 'doc' AS src, grp, issue, due, is_inv, amt AS w, issue AS lo, {forever} AS hi,
           issue AS day, amt_ht / amt AS rate, amt_ht FROM inv
    UNION ALL
    SELECT CASE WHEN i.doc IS NULL THEN 'cash' ELSE 'pay' END, COALESCE(i.grp, p.grp), i.issue,
           i.due, i.is_inv, -p.amt, CASE WHEN i.doc IS NULL THEN p.day
                                         ELSE greatest(p.day, i.issue) END,
           {forever}, p.day, i.amt_ht / i.amt, NULL
    FROM pays p LEFT JOIN inv i ON p.ref = i.doc
    UNION ALL
    SELECT 'net', grp, issue, due, is_inv, w, lo, hi, lo, rate, NULL FROM net
), spans AS NOT MATERIALIZED (
    SELECT k.kind, k.part, grp, {', '.join(cases)}
    FROM base CROSS JOIN (VALUES {values}) k(i, kind, part)
    WHERE {applies}"""
    if disputes is not None:
        sql = sql.replace("), base AS NOT MATERIALIZED (", f"""), dsp AS (
    SELECT i.doc, i.grp, d.opened, COALESCE(d.closed, {forever}) AS closed, d.amt
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
), inv_d AS (     -- the documents ever disputed
    SELECT * FROM inv WHERE doc IN (SELECT doc FROM blocks)
), held_d AS (    -- what makes up their open amounts, and while
    SELECT doc, grp, issue, amt AS w, issue AS lo, {forever} AS hi FROM inv_d
    UNION ALL
    SELECT i.doc, i.grp, i.issue, -p.amt, greatest(p.day, i.issue), {forever}
    FROM pays p JOIN inv_d i ON p.ref = i.doc
    UNION ALL
    SELECT doc, grp, issue, w, lo, hi FROM net WHERE doc IN (SELECT doc FROM blocks)
), base AS NOT MATERIALIZED (""", 1)
        sql += f"""
    UNION ALL
    SELECT 'disputed', 's', h.grp, h.w, 0.0, 0.0, greatest(h.lo, b.opened, h.issue),
           least(h.hi, b.closed)
    FROM held_d h JOIN blocks b ON h.doc = b.doc
    UNION ALL
    SELECT 'disputes_opened', 'f', grp, amt, 0.0, 0.0, opened, {forever} FROM dsp"""
    sql += f"""
)
SELECT part, kind, grp, cell, SUM(w) AS w, SUM(w2) AS w2, SUM(w3) AS w3
FROM (SELECT part, kind, grp, CASE WHEN e.sgn = 1 THEN cl ELSE ch END AS cell,
             e.sgn * w AS w, e.sgn * w2 AS w2, e.sgn * w3 AS w3
      FROM (SELECT *, {_cell('lo', *grid)} AS cl, {_cell('hi', *grid)} AS ch FROM spans) s
      CROSS JOIN (VALUES (1), (-1)) e(sgn)
      WHERE (part = 's' AND cl < ch AND (e.sgn = 1 OR ch < {n}))
         OR (part = 'f' AND e.sgn = 1 AND lo >= {first_day} AND lo <= {end_day}))
GROUP BY part, kind, grp, cell
"""
    return sql


def _limits(ledger: ParquetLedger, cust_table: pd.DataFrame, lim: np.ndarray, group_of,
            labels: pd.Index, by: str | None, grid: tuple[int, int, int, int],
            offset: int) -> dict[str, np.ndarray]:
    """The credit-limit columns (as the in-memory engine's ``_limit_columns``): each customer's
    receivables at the output month ends (its documents, and the payment lines on them or
    booked to it) against its current limit, summed by group in SQL."""
    con = ledger._con
    cust = cust_table["customer_id"].astype("str").to_numpy()
    if by is None:
        cg = np.zeros(len(cust), dtype="int64")
    elif by == "customer_id":
        cg = labels.get_indexer(cust_table["customer_id"])
    else:
        cg = np.asarray(group_of, dtype="int64")
    finite = np.isfinite(lim) & (cg >= 0)  # customers without ledger rows are left out
    table = pd.DataFrame({"c": cust[finite], "g": cg[finite], "lim": lim[finite]})
    con.register("creditlab_limits", table)
    con.register("creditlab_customers", pd.DataFrame({"c": cust}))
    invoices, payments = ledger._scan(ledger.invoices), ledger._scan(ledger.payments)
    try:
        _require_customers(con, invoices, payments, "creditlab_customers", "c")
        first_day, end_day, m0, T = grid
        first_out = pd.Timestamp(int(first_day), unit="D") + pd.DateOffset(months=offset)
        out = (int((first_out - pd.Timestamp(0)).days), end_day, m0 + offset, T - offset)
        d = _DAY.format
        rows = con.execute(f"""
WITH inv AS NOT MATERIALIZED (
    SELECT CAST(invoice_id AS VARCHAR) AS doc, CAST(customer_id AS VARCHAR) AS c,
           {d('issue_date')} AS day, CAST(amount_ttc AS DOUBLE) AS amt FROM {invoices}
), moves AS NOT MATERIALIZED (
    SELECT c, day, amt AS w FROM inv
    UNION ALL
    SELECT COALESCE(i.c, p.c), p.day, -p.amt
    FROM (SELECT CAST(customer_id AS VARCHAR) AS c, {d('payment_date')} AS day,
                 CAST(amount AS DOUBLE) AS amt,
                 NULLIF(trim(CAST(invoice_id AS VARCHAR)), '') AS ref FROM {payments}) p
    LEFT JOIN inv i ON p.ref = i.doc
), diffs AS (
    SELECT m.c, {_cell('m.day', *out)} AS t, SUM(m.w) AS w
    FROM moves m JOIN creditlab_limits l ON m.c = l.c GROUP BY 1, 2
), rec AS (
    SELECT l.g, l.lim, r.t,
           SUM(COALESCE(d.w, 0)) OVER (PARTITION BY l.c ORDER BY r.t
                                       ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS rec
    FROM creditlab_limits l CROSS JOIN (SELECT range AS t FROM range({out[3]})) r
    LEFT JOIN diffs d ON d.c = l.c AND d.t = r.t
)
SELECT g, t, SUM(CASE WHEN lim > 0 THEN greatest(rec, 0) ELSE 0 END) AS used,
       SUM(CASE WHEN rec > lim + 0.005 THEN 1 ELSE 0 END) AS n_over
FROM rec GROUP BY g, t""").df()
    finally:
        con.unregister("creditlab_limits")
        con.unregister("creditlab_customers")
    G, t_out = len(labels), out[3]
    used, n_over = np.zeros((G, t_out)), np.zeros((G, t_out))
    g, t = rows["g"].to_numpy(dtype="int64"), rows["t"].to_numpy(dtype="int64")
    np.add.at(used, (g, t), rows["used"].to_numpy(dtype="float64"))
    np.add.at(n_over, (g, t), rows["n_over"].to_numpy(dtype="float64"))
    lim_total = np.zeros(G)
    np.add.at(lim_total, table["g"].to_numpy(), np.where(table["lim"] > 0, table["lim"], 0.0))
    return {"credit_limit_total": np.repeat(lim_total[:, None], t_out, axis=1),
            "used": used, "n_over_limit": n_over}


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



def _require_customers(con, invoices: str, payments: str, view: str, column: str) -> None:
    """Every customer of the ledger (invoices and payments) is in ``view.column`` (a customers
    table registered in the connection), else an InputError naming five missing ones."""
    missing = con.execute(
        f"SELECT DISTINCT c FROM (SELECT CAST(customer_id AS VARCHAR) AS c FROM {invoices} "
        f"UNION ALL SELECT CAST(customer_id AS VARCHAR) FROM {payments}) "
        f"WHERE c NOT IN (SELECT {column} FROM {view}) LIMIT 5").fetchall()
    if missing:
        raise InputError("invoices.customer_id", "customers present in the customers table",
                         [m[0] for m in missing], "add the missing customers to customers")

def kpi_history_sql(ledger: ParquetLedger, start, end, *, by=None, disputes=None, customers=None, freq="M",
                    dso_months=3, countback_months=24, write_offs=None, allowances=None):
    """:func:`creditlab.receivables.kpi_history` of a :class:`ParquetLedger` (see the module):
    called by it once the arguments are checked (``start``, ``end``, ``freq``, the months)."""
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
        values = cust_table[by].astype("str").fillna(MISSING_GROUP)
        group_of, labels = pd.factorize(values, sort=True)
        labels = pd.Index(labels)
        mapping = pd.DataFrame({"customer_id": cust_table["customer_id"].astype("str"),
                                "grp": labels[group_of].astype("str")})
        con.register("creditlab_groups", mapping)
        _require_customers(con, invoices, payments, "creditlab_groups", "customer_id")
        group = "g.grp"
        join = "JOIN creditlab_groups g ON g.customer_id = CAST(src.customer_id AS VARCHAR)"
    G = len(labels)
    has_ht = "amount_ht" in inv_cols
    open_ht = allowances is not None and has_ht
    sql = history_sql(ledger._scan(ledger.invoices), invoices, payments, dsp_sql, group, join,
                      has_ht, "related_invoice_id" in inv_cols, open_ht,
                      (int(first_day), int(me[-1]), m0, T))
    try:
        rows = ledger.run(sql).df()
    finally:
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
            limits = _limits(ledger, cust_table, lim, group_of, labels, by,
                             (int(first_day), int(me[-1]), m0, T), offset)
    grid = _Grid(rows, labels, T, small)
    return _assemble(grid, me, ends, offset, labels, by, has_ht, disputes is not None,
                     write_offs is not None, limits, dso_months, countback_months,
                     None if first_issue is None else int(first_issue), allowances is not None)

"""Ledgers larger than memory: open items, the aged balance and the KPI history by DuckDB.

:class:`ParquetLedger` (also reached as ``Ledger.from_parquet(invoices, payments)``) keeps the
invoices and payments where they are — Parquet files, folders of Parquet files or glob patterns —
and runs one SQL query per question in an embedded DuckDB database: DuckDB reads the columns it
needs, streams the row groups, and spills its joins and aggregations to a temporary folder when
they exceed ``memory_limit``. Nothing of the ledger is held in pandas; only the answer (an aged
balance by customer, the open items of a date written to Parquet, a KPI history) comes back.

The rules are those of :func:`creditlab.receivables.open_items` (whole cents, documents issued and
payments dated on or before ``as_of``; a payment line allocated to a document issued by then is
deducted from it, any other line is cash on account, one line per customer and payment; a credit
note's remaining credit nets the invoice it corrects in issue-date order, up to what that invoice
still has open), written as SQL; ``tests/receivables/test_outofcore.py`` checks both give the same
figures to the cent on ledgers both can hold. The ``disputed`` column of the invoices marks the
disputed documents of the open items; the dated ``disputes`` table (``disputes=``) is read by the
KPI history: ``kpi_history(ledger, start, end)`` (see
:mod:`creditlab.receivables.outofcore_history`). The input is not validated here: validate the
files once with :func:`creditlab.io.read_table` (or your pipeline) before they grow beyond
memory.

The same SQL runs on other engines that speak standard SQL over Parquet (see DESIGN.md, "Ledgers
beyond memory": Spark SQL for a group's data lake).

Requires the optional dependency ``duckdb`` (``pip install creditlab[duckdb]``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from creditlab._checks import as_of_date
from creditlab.exceptions import InputError
from creditlab.receivables.buckets import _check_buckets, bucket_codes

__all__ = ["ParquetLedger", "OPEN_ITEMS_SQL"]

#: The open items of one date, one row per document (or per unallocated payment) with a
#: non-zero open amount in cents. ``{invoices}`` / ``{payments}`` are table expressions,
#: ``{disputed}`` the disputed flag expression, ``$as_of`` the date parameter.
OPEN_ITEMS_SQL = """
WITH inv AS NOT MATERIALIZED (
    SELECT CAST(invoice_id AS VARCHAR) AS invoice_id, CAST(customer_id AS VARCHAR) AS customer_id,
           doc_type, CAST(issue_date AS DATE) AS issue_date, CAST(due_date AS DATE) AS due_date,
           NULLIF(trim(CAST(related_invoice_id AS VARCHAR)), '') AS related_invoice_id,
           {disputed} AS disputed, CAST(round(amount_ttc * 100) AS BIGINT) AS amt
    FROM {invoices} WHERE CAST(issue_date AS DATE) <= $as_of
), pay AS NOT MATERIALIZED (
    SELECT CAST(payment_id AS VARCHAR) AS payment_id, CAST(customer_id AS VARCHAR) AS customer_id,
           CAST(payment_date AS DATE) AS payment_date,
           NULLIF(trim(CAST(invoice_id AS VARCHAR)), '') AS invoice_id,
           CAST(round(amount * 100) AS BIGINT) AS amt
    FROM {payments} WHERE CAST(payment_date AS DATE) <= $as_of
), settled AS NOT MATERIALIZED (
    -- cash received per document issued by as_of; any other line: cash on account, one row
    -- per customer and payment
    SELECT CASE WHEN live THEN invoice_id END AS invoice_id,
           CASE WHEN live THEN NULL ELSE customer_id END AS customer_id,
           CASE WHEN live THEN NULL ELSE payment_id END AS payment_id,
           SUM(amt) AS amt, MIN(payment_date) AS payment_date
    FROM (SELECT p.*, i.invoice_id IS NOT NULL AS live
          FROM pay p LEFT JOIN (SELECT invoice_id FROM inv) i ON p.invoice_id = i.invoice_id)
    GROUP BY 1, 2, 3
), cnr AS (       -- credit notes naming a document, and the invoices they name (small)
    SELECT invoice_id, related_invoice_id AS rel, issue_date, amt FROM inv
    WHERE doc_type = 'credit_note' AND related_invoice_id IS NOT NULL
), tgt AS (
    SELECT invoice_id, amt FROM inv
    WHERE doc_type = 'invoice' AND invoice_id IN (SELECT rel FROM cnr)
), paid AS (
    SELECT invoice_id, SUM(amt) AS paid FROM pay
    WHERE invoice_id IN (SELECT invoice_id FROM cnr UNION ALL SELECT invoice_id FROM tgt)
    GROUP BY invoice_id
), cn AS (
    SELECT c.invoice_id AS cn_id, t.invoice_id AS rel,
           COALESCE(pc.paid, 0) - c.amt AS avail,
           greatest(t.amt - COALESCE(pt.paid, 0), 0) AS cap,
           SUM(COALESCE(pc.paid, 0) - c.amt) OVER (
               PARTITION BY t.invoice_id ORDER BY c.issue_date, c.invoice_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum
    FROM cnr c JOIN tgt t ON c.rel = t.invoice_id
    LEFT JOIN paid pc ON pc.invoice_id = c.invoice_id
    LEFT JOIN paid pt ON pt.invoice_id = t.invoice_id
    WHERE c.amt - COALESCE(pc.paid, 0) < 0
), netted AS (
    SELECT cn_id, rel, greatest(least(cum, cap) - least(cum - avail, cap), 0) AS n FROM cn
), items AS NOT MATERIALIZED (   -- documents and cash on account, one stream
    SELECT COALESCE(i.customer_id, s.customer_id) AS customer_id,
           COALESCE(i.invoice_id, s.payment_id) AS invoice_id,
           COALESCE(i.doc_type, 'unallocated_cash') AS doc_type,
           COALESCE(i.issue_date, s.payment_date) AS issue_date,
           COALESCE(i.due_date, s.payment_date) AS due_date,
           COALESCE(i.amt, -s.amt) AS amt, COALESCE(i.disputed, FALSE) AS disputed,
           CASE WHEN i.invoice_id IS NULL THEN -s.amt ELSE i.amt - COALESCE(s.amt, 0) END
               AS open_c
    FROM inv i FULL OUTER JOIN settled s ON i.invoice_id = s.invoice_id
)
SELECT * FROM (
    SELECT o.customer_id, o.invoice_id, o.doc_type, o.issue_date, o.due_date, o.amt,
           o.disputed, o.open_c + COALESCE(nc.n, 0) - COALESCE(ni.n, 0) AS open_c
    FROM items o
    LEFT JOIN netted nc ON o.invoice_id = nc.cn_id AND o.doc_type = 'credit_note'
    LEFT JOIN (SELECT rel, SUM(n) AS n FROM netted GROUP BY rel) ni
           ON o.invoice_id = ni.rel AND o.doc_type = 'invoice')
WHERE open_c <> 0
"""


def _sources(value, name: str) -> list[str]:
    """Parquet paths for DuckDB: a file, a folder (every ``*.parquet`` below it), a glob, or a
    list of those."""
    items = [value] if isinstance(value, str | os.PathLike) else list(value or [])
    out = []
    for item in items:
        text = os.fspath(item)
        path = Path(text)
        if any(ch in text for ch in "*?["):
            out.append(text)
        elif path.is_dir():
            out.append(str(path / "**" / "*.parquet"))
        elif path.is_file():
            out.append(str(path))
        else:
            raise InputError(name, "a Parquet file, a folder of Parquet files or a glob pattern",
                             text, "check the path (write the table with DataFrame.to_parquet)")
    if not out:
        raise InputError(name, "at least one Parquet path", value, "pass the Parquet file(s)")
    return out


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _frame_or_scan(ledger: ParquetLedger, value, name: str, columns: Sequence[str]) -> str:
    """SQL table expression of a small table given as a DataFrame (registered in the
    connection) or as Parquet path(s); its ``columns`` are required."""
    if isinstance(value, pd.DataFrame):
        have = set(value.columns)
        view = f"creditlab_{name}"
        ledger._con.register(view, value)
        source = view
    else:
        source = ledger._scan(_sources(value, name))
        have = ledger._describe(_sources(value, name))
    missing = [c for c in columns if c not in have]
    if missing:
        raise InputError(name, f"columns {list(columns)}", f"missing {missing}",
                         f"pass the canonical {name} table")
    return source


class ParquetLedger:
    """Invoices and payments in Parquet, computed out of core by an embedded DuckDB.

    Parameters
    ----------
    invoices, payments : path, glob or list of paths
        Canonical ``invoices`` (``invoice_id``, ``customer_id``, ``doc_type``, ``issue_date``,
        ``due_date``, ``amount_ttc``; optional ``related_invoice_id``, ``disputed``) and
        ``payments`` (``payment_id``, ``customer_id``, ``payment_date``, ``amount``,
        ``invoice_id``) tables as Parquet: one file, a folder (read recursively) or a glob.
    disputes : path, glob, list of paths or DataFrame, optional
        Canonical ``disputes`` table, read by the KPI history (dispute columns).
    memory_limit : str, default "3GB"
        DuckDB's memory limit; beyond it, joins and aggregations spill to ``temp_directory``.
        Measured at 100 M invoices (``benchmarks/bench_outofcore.py``): "3GB" ages them with a
        peak resident memory of 3.5 GiB; "2GB" ran out (a block of the joins it could not spill).
    temp_directory : path, optional
        Where DuckDB spills (default: a ``.duckdb.tmp`` folder DuckDB creates in the current
        directory).
    threads : int, optional
        DuckDB threads (default: every core).

    Examples
    --------
    >>> ledger = Ledger.from_parquet("lake/invoices/", "lake/payments/")   # doctest: +SKIP
    >>> ledger.aged_balance("2025-12-31")                                  # doctest: +SKIP
    >>> kpi_history(ledger, "2025-01", "2025-12-31")                       # doctest: +SKIP
    """

    def __init__(self, invoices, payments, *, disputes=None, memory_limit: str = "3GB",
                 temp_directory: str | os.PathLike | None = None, threads: int | None = None):
        try:
            import duckdb  # optional: duckdb
        except ImportError:  # pragma: no cover - depends on the environment
            raise InputError("duckdb", "the duckdb package (out-of-core engine)", "not installed",
                             "pip install 'creditlab[duckdb]' (or pip install duckdb)") from None
        self.invoices = _sources(invoices, "invoices")
        self.payments = _sources(payments, "payments")
        self._con = duckdb.connect()
        self.disputes = disputes
        self._con.execute(f"SET memory_limit = {_quote(str(memory_limit))}")
        self._con.execute("SET preserve_insertion_order = false")
        if temp_directory is not None:
            self._con.execute(f"SET temp_directory = {_quote(os.fspath(temp_directory))}")
        if threads is not None:
            self._con.execute(f"SET threads = {int(threads)}")
        self._columns = {"invoices": self._describe(self.invoices),
                         "payments": self._describe(self.payments)}
        need = {"invoices": ("invoice_id", "customer_id", "doc_type", "issue_date", "due_date",
                             "amount_ttc"),
                "payments": ("payment_id", "customer_id", "payment_date", "amount",
                             "invoice_id")}
        for table, cols in need.items():
            missing = [c for c in cols if c not in self._columns[table]]
            if missing:
                raise InputError(table, f"Parquet columns {list(cols)}", f"missing {missing}",
                                 f"write the canonical {table} table (creditlab.io.read_table)")

    def _scan(self, paths: list[str], rows: bool = False) -> str:
        """SQL table expression reading ``paths``; ``rows``: with each row's file name and
        position (``filename``, ``file_row_number``: the order of the rows in the files)."""
        extra = ", filename = true, file_row_number = true" if rows else ""
        return (f"read_parquet([{', '.join(_quote(p) for p in paths)}], "
                f"union_by_name = true{extra})")

    def _customers(self) -> list[str]:
        """The distinct customer ids of the invoices and the payments (as text)."""
        rows = self._con.execute(
            f"SELECT DISTINCT CAST(customer_id AS VARCHAR) FROM {self._scan(self.invoices)} "
            f"UNION SELECT DISTINCT CAST(customer_id AS VARCHAR) FROM "
            f"{self._scan(self.payments)}").fetchall()
        return [r[0] for r in rows]

    def _describe(self, paths: list[str]) -> set[str]:
        rows = self._con.execute(f"DESCRIBE SELECT * FROM {self._scan(paths)}").fetchall()
        return {r[0] for r in rows}

    def _items_sql(self) -> str:
        inv_cols = self._columns["invoices"]
        invoices = self._scan(self.invoices)
        if "related_invoice_id" not in inv_cols:
            invoices = f"(SELECT *, CAST(NULL AS VARCHAR) AS related_invoice_id FROM {invoices})"
        disputed = "COALESCE(CAST(disputed AS BOOLEAN), FALSE)" if "disputed" in inv_cols \
            else "FALSE"
        return OPEN_ITEMS_SQL.format(invoices=invoices, payments=self._scan(self.payments),
                                     disputed=disputed)

    def open_items(self, as_of, path: str | os.PathLike | None = None) -> pd.DataFrame | Path:
        """Open items at ``as_of``, the columns of :func:`~creditlab.receivables.open_items`.

        With ``path``, written there as Parquet by DuckDB (out of core) and the path returned;
        without, returned as a DataFrame (it must then fit in memory).
        """
        asof = as_of_date(as_of)
        sql = (f"SELECT customer_id, invoice_id, doc_type, issue_date, due_date, "
               f"amt / 100.0 AS amount_ttc, (amt - open_c) / 100.0 AS paid_amount, "
               f"open_c / 100.0 AS open_amount, disputed FROM ({self._items_sql()})")
        params = {"as_of": asof.date()}
        if path is not None:
            target = Path(path)
            self.run(f"COPY ({sql}) TO {_quote(str(target))} (FORMAT parquet)", params)
            return target
        out = self.run(sql + " ORDER BY customer_id, due_date, invoice_id", params).df()
        for c in ("issue_date", "due_date"):
            out[c] = pd.to_datetime(out[c]).astype("datetime64[ns]")
        return out

    def aged_balance(self, as_of, buckets: Sequence[int] = (0, 30, 60, 90),
                     by: str | None = "customer_id") -> pd.DataFrame:
        """Aged balance at ``as_of`` by days past due, in euros.

        Columns: the bucket codes of :func:`~creditlab.receivables.buckets.bucket_codes`
        (``not_due``, ``dpd_1_30``, … , ``dpd_over_90``) holding the undisputed open amounts,
        ``disputed`` (disputed documents, every age) and ``total``; one row per ``by`` value
        (``customer_id``, sorted) or a single row ``"total"`` with ``by=None``. Credits (credit
        notes, cash on account) stay in their bucket, as in
        :func:`~creditlab.receivables.aged_balance`'s ``groups``.
        """
        asof = as_of_date(as_of)
        edges = _check_buckets(buckets)
        codes = bucket_codes(edges)
        if by not in (None, "customer_id"):
            raise InputError("by", "'customer_id' or None", by,
                             "aggregate the customer table yourself for other groupings")
        conds = [f"dpd <= {edges[0]}"]
        conds += [f"dpd > {lo} AND dpd <= {hi}" for lo, hi in zip(edges, edges[1:], strict=False)]
        conds.append(f"dpd > {edges[-1]}")
        cols = ",\n".join(f"SUM(CASE WHEN NOT disputed AND {c} THEN open_c ELSE 0 END) / 100.0 "
                          f"AS {code}" for c, code in zip(conds, codes, strict=True))
        key = "customer_id" if by else "'total' AS customer_id"
        group = "GROUP BY customer_id ORDER BY customer_id" if by else ""
        sql = f"""
            SELECT {key}, {cols},
                   SUM(CASE WHEN disputed THEN open_c ELSE 0 END) / 100.0 AS disputed,
                   SUM(open_c) / 100.0 AS total
            FROM (SELECT *, date_diff('day', due_date, CAST($as_of AS DATE)) AS dpd
                  FROM ({self._items_sql()}))
            {group}"""
        out = self.run(sql, {"as_of": asof.date()}).df()
        return out.set_index("customer_id").astype("float64")

    def run(self, sql: str, params: dict | None = None):
        """Execute ``sql`` on the ledger's connection; DuckDB running out of memory (a block it
        cannot spill) becomes an :class:`~creditlab.exceptions.InputError` naming
        ``memory_limit``."""
        import duckdb  # optional: duckdb

        try:
            return self._con.execute(sql, params)
        except duckdb.OutOfMemoryException as exc:
            limit = self._con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
            raise InputError("memory_limit", "enough memory for DuckDB's buffers (it spills "
                             "the rest to temp_directory)", f"{limit}: {str(exc).splitlines()[0]}",
                             "raise memory_limit (3GB ages 100 M invoices) or lower threads") \
                from None

    def close(self) -> None:
        """Close the DuckDB connection."""
        self._con.close()

    def __repr__(self) -> str:
        return f"ParquetLedger(invoices={self.invoices}, payments={self.payments})"

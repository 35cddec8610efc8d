"""Benchmark: open items + aged balance (creditlab) against the same computation in DuckDB SQL.

For each size (number of invoices), a ledger is generated with ``creditlab.synth.make_portfolio``
(scaled with ``n_customers`` and ``invoices_per_customer_month``), then, in the same process:

- creditlab: ``open_items(invoices, payments, as_of)`` + ``aged_balance(items, as_of)`` by customer;
  then, apart, ``Ledger.from_tables`` (matched once) and ``ledger.at(as_of)`` (one more date);
- DuckDB: one SQL query doing the same (payments allocated, credit notes netted against their
  invoice in issue-date order, unallocated cash as its own line, buckets by days past due,
  disputed amounts apart), on the same pandas DataFrames;

both results are compared customer by customer and bucket by bucket (to the cent), and the table
prints sizes, wall and CPU times (CPU: every thread of the process; DuckDB uses all cores,
creditlab one — on a loaded machine compare the CPU ratio), peak memory and the ratios. Memory is the peak resident set size reached
during the computation above the resident size before it (Linux: ``/proc/self/clear_refs`` resets
the high-water mark), compared with the in-memory size of the input tables
(``DataFrame.memory_usage(deep=True)``); ``--tracemalloc`` also reports the peak of Python/numpy
allocations traced by ``tracemalloc`` for creditlab (Arrow buffers are not traced).

Usage: ``python benchmarks/bench_aging.py --sizes 1e6,1e7``
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

from creditlab.receivables import Ledger, aged_balance, open_items

BUCKETS = (0, 30, 60, 90)
COLUMNS = ("not_due", "b1_30", "b31_60", "b61_90", "b90_plus", "disputed", "total")


# --------------------------------------------------------------------------- memory helpers
def _rss_bytes(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


class PeakMemory:
    """Peak RSS above the starting RSS while the block runs (Linux), in bytes."""

    def __enter__(self):
        gc.collect()
        self.ok = _reset_peak()
        self.start = _rss_bytes("VmRSS")
        return self

    def __exit__(self, *exc):
        peak = _rss_bytes("VmHWM")
        self.peak = (peak - self.start) if (self.ok and peak and self.start) else float("nan")
        return False


# --------------------------------------------------------------------------- data
def make_ledger(n_invoices: float, seed: int = 7):
    """A generated portfolio with about ``n_invoices`` documents (invoices + credit notes)."""
    from creditlab import synth

    months = 24
    per_month = 20
    n_customers = max(50, round(n_invoices / (months * per_month)))
    tables = synth.make_portfolio(seed=seed, n_customers=n_customers,
                                  invoices_per_customer_month=per_month)
    as_of = pd.Timestamp(getattr(synth, "DEMO_AS_OF", tables["invoices"]["issue_date"].max()))
    return tables["invoices"], tables["payments"], as_of


def table_bytes(*frames: pd.DataFrame) -> int:
    return int(sum(f.memory_usage(index=True, deep=True).sum() for f in frames))


# --------------------------------------------------------------------------- the two methods
def run_creditlab(invoices, payments, as_of) -> pd.DataFrame:
    items = open_items(invoices, payments, as_of)
    aged = aged_balance(items, as_of, buckets=BUCKETS, by="customer_id")
    t = aged.groups
    t.columns = list(COLUMNS)
    return t


SQL = """
WITH inv AS (
    SELECT invoice_id, customer_id, doc_type, issue_date, due_date, related_invoice_id,
           COALESCE(disputed, FALSE) AS disputed, CAST(round(amount_ttc * 100) AS BIGINT) AS amt
    FROM invoices WHERE issue_date <= $as_of
), pay AS (
    SELECT payment_id, customer_id, payment_date, NULLIF(trim(invoice_id), '') AS invoice_id,
           CAST(round(amount * 100) AS BIGINT) AS amt
    FROM payments WHERE payment_date <= $as_of
), paid AS (
    SELECT p.invoice_id, SUM(p.amt) AS paid
    FROM pay p JOIN inv i ON p.invoice_id = i.invoice_id GROUP BY p.invoice_id
), open1 AS (
    SELECT i.*, i.amt - COALESCE(paid.paid, 0) AS open_c
    FROM inv i LEFT JOIN paid USING (invoice_id)
), cn AS (
    SELECT c.invoice_id AS cn_id, t.invoice_id AS rel, -c.open_c AS avail,
           greatest(t.open_c, 0) AS cap,
           SUM(-c.open_c) OVER (PARTITION BY t.invoice_id ORDER BY c.issue_date, c.invoice_id
                                ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum
    FROM open1 c JOIN open1 t ON NULLIF(trim(c.related_invoice_id), '') = t.invoice_id
    WHERE c.doc_type = 'credit_note' AND t.doc_type = 'invoice' AND c.open_c < 0
), netted AS (
    SELECT cn_id, rel, greatest(least(cum, cap) - least(cum - avail, cap), 0) AS n FROM cn
), docs AS (
    SELECT o.customer_id, o.due_date, o.disputed,
           o.open_c + COALESCE(nc.n, 0) - COALESCE(ni.n, 0) AS open_c
    FROM open1 o
    LEFT JOIN netted nc ON o.invoice_id = nc.cn_id
    LEFT JOIN (SELECT rel, SUM(n) AS n FROM netted GROUP BY rel) ni ON o.invoice_id = ni.rel
), cash AS (
    SELECT p.customer_id, MIN(p.payment_date) AS due_date, FALSE AS disputed,
           -SUM(p.amt) AS open_c
    FROM pay p LEFT JOIN inv i ON p.invoice_id = i.invoice_id
    WHERE i.invoice_id IS NULL
    GROUP BY p.customer_id, p.payment_id
), items AS (
    SELECT *, date_diff('day', CAST(due_date AS DATE), CAST($as_of AS DATE)) AS dpd
    FROM (SELECT * FROM docs UNION ALL SELECT * FROM cash) WHERE open_c <> 0
)
SELECT customer_id,
    SUM(CASE WHEN NOT disputed AND dpd <= 0 THEN open_c ELSE 0 END) / 100.0 AS not_due,
    SUM(CASE WHEN NOT disputed AND dpd BETWEEN 1 AND 30 THEN open_c ELSE 0 END) / 100.0 AS b1_30,
    SUM(CASE WHEN NOT disputed AND dpd BETWEEN 31 AND 60 THEN open_c ELSE 0 END) / 100.0
        AS b31_60,
    SUM(CASE WHEN NOT disputed AND dpd BETWEEN 61 AND 90 THEN open_c ELSE 0 END) / 100.0
        AS b61_90,
    SUM(CASE WHEN NOT disputed AND dpd > 90 THEN open_c ELSE 0 END) / 100.0 AS b90_plus,
    SUM(CASE WHEN disputed THEN open_c ELSE 0 END) / 100.0 AS disputed,
    SUM(open_c) / 100.0 AS total
FROM items GROUP BY customer_id ORDER BY customer_id
"""


def run_duckdb(con, invoices, payments, as_of) -> pd.DataFrame:
    con.register("invoices", invoices)
    con.register("payments", payments)
    out = con.execute(SQL, {"as_of": as_of.to_pydatetime()}).df()
    return out.set_index("customer_id")


def compare(a: pd.DataFrame, b: pd.DataFrame) -> tuple[bool, float]:
    """Same customers and same amounts to the cent; returns (equal, max abs difference)."""
    a = a.copy()
    a.index = a.index.astype(str)
    b = b.copy()
    b.index = b.index.astype(str)
    idx = a.index.union(b.index)
    a = a.reindex(idx, fill_value=0.0)[list(COLUMNS)]
    b = b.reindex(idx, fill_value=0.0)[list(COLUMNS)]
    diff = float((np.rint(a.to_numpy() * 100) - np.rint(b.to_numpy() * 100)).__abs__().max()) \
        / 100 if len(idx) else 0.0
    return diff == 0.0, diff


# --------------------------------------------------------------------------- main
def timed(fn, *args):
    """(result, wall s, CPU s of the process — every thread —, peak RSS above the start)."""
    gc.collect()
    with PeakMemory() as mem:
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn(*args)
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    return out, elapsed, cpu, mem.peak


def cached_ledger(size: int, seed: int, cache: str | None):
    """The generated ledger, from ``cache`` (a pickle per size and seed) when given and present:
    generating 10 M invoices takes minutes."""
    path = Path(cache) / f"ledger_{size:.0e}_{seed}.pkl" if cache else None
    if path is not None and path.exists():
        return pd.read_pickle(path)
    out = make_ledger(size, seed)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        pd.to_pickle(out, path)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1e6,1e7",
                        help="comma-separated numbers of invoices (default 1e6,1e7)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs per method (best time and highest peak memory kept)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--cache", default=None,
                        help="folder keeping the generated ledgers (pickles) between runs")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also measure creditlab's traced Python/numpy peak (slower)")
    args = parser.parse_args(argv)
    import duckdb

    sizes = [int(float(s)) for s in args.sizes.split(",") if s.strip()]
    con = duckdb.connect()
    threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
    print(f"# bench_aging — python {platform.python_version()}, pandas {pd.__version__}, "
          f"duckdb {duckdb.__version__} ({threads} threads), {os.cpu_count()} CPUs, "
          f"{platform.machine()}; load average {os.getloadavg()[0]:.1f}")
    header = (f"{'target':>10} {'invoices':>10} {'payments':>10} {'open items':>10} "
              f"{'input MB':>9} | {'creditlab s':>11} {'duckdb s':>9} {'ratio':>6} | "
              f"{'cl cpu s':>8} {'db cpu s':>8} {'cpu ratio':>9} | "
              f"{'cl peak MB':>10} {'x input':>7} {'db peak MB':>10} | {'same':>5}")
    rows = []
    for size in sizes:
        t0 = time.perf_counter()
        invoices, payments, as_of = cached_ledger(size, args.seed, args.cache)
        gen = time.perf_counter() - t0
        in_bytes = table_bytes(invoices, payments)
        print(f"# generated {len(invoices):,} invoices, {len(payments):,} payment lines in "
              f"{gen:.1f} s (input tables {in_bytes / 1e6:,.0f} MB), as_of {as_of.date()}",
              flush=True)
        best_cl = best_db = cpu_cl = cpu_db = float("inf")
        peak_cl = peak_db = float("nan")
        res_cl = res_db = None
        for _ in range(max(1, args.repeat)):
            res_cl, t_cl, c_cl, m_cl = timed(run_creditlab, invoices, payments, as_of)
            res_db, t_db, c_db, m_db = timed(run_duckdb, con, invoices, payments, as_of)
            best_cl, best_db = min(best_cl, t_cl), min(best_db, t_db)
            cpu_cl, cpu_db = min(cpu_cl, c_cl), min(cpu_db, c_db)
            # the first run's peak is the honest one (later runs reuse freed memory): keep the max
            peak_cl = np.nanmax([peak_cl, m_cl])
            peak_db = np.nanmax([peak_db, m_db])
        same, diff = compare(res_cl, res_db)
        n_open = len(open_items(invoices, payments, as_of)) if size <= 2_000_000 else -1
        traced = ""
        if args.tracemalloc:
            tracemalloc.start()
            run_creditlab(invoices, payments, as_of)
            traced = f"; tracemalloc peak {tracemalloc.get_traced_memory()[1] / 1e6:,.0f} MB"
            tracemalloc.stop()
        rows.append(
            f"{size:>10.0e} {len(invoices):>10,} {len(payments):>10,} "
            f"{n_open if n_open >= 0 else '-':>10} {in_bytes / 1e6:>9,.0f} | "
            f"{best_cl:>11.2f} {best_db:>9.2f} {best_cl / best_db:>6.2f} | "
            f"{cpu_cl:>8.2f} {cpu_db:>8.2f} {cpu_cl / cpu_db:>9.2f} | "
            f"{peak_cl / 1e6:>10,.0f} {peak_cl / in_bytes:>7.2f} {peak_db / 1e6:>10,.0f} | "
            f"{'yes' if same else f'NO {diff:.2f}':>5}")
        total = res_cl["total"].sum()
        print(f"# totals: creditlab {total:,.2f} EUR, duckdb {res_db['total'].sum():,.2f} EUR; "
              f"{len(res_cl)} customers{traced}", flush=True)
        # the ledger matched once, then open items at any date (Ledger.at)
        t0, c0 = time.perf_counter(), time.process_time()
        ledger = Ledger.from_tables(invoices, payments)
        t_build, c_build = time.perf_counter() - t0, time.process_time() - c0
        t_at = c_at = float("inf")
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.process_time()
            ledger.at(as_of)
            t_at, c_at = min(t_at, time.perf_counter() - t0), min(c_at, time.process_time() - c0)
        print(f"# Ledger.from_tables {t_build:.2f} s wall ({c_build:.2f} s CPU) once, then "
              f"ledger.at(as_of) {t_at:.3f} s wall ({c_at:.3f} s CPU) per date; load average "
              f"{os.getloadavg()[0]:.1f}", flush=True)
        del invoices, payments, res_cl, res_db, ledger
        gc.collect()
    print(header)
    for r in rows:
        print(r)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    sys.exit(main())

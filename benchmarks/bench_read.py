"""Benchmark: from an export file to the aged balance and the KPI history, as a user does it.

A generated ledger (``bench_aging.make_ledger``: about ``--size`` invoices and 0.9 payment line
per invoice) is written to files (CSV; Parquet; Excel at ``--excel-size``, openpyxl being the
limit there), then in the same process, for each format:

- **creditlab**: ``read_table(invoices)`` + ``read_table(payments, invoices=...)`` with
  validation on (every check of ``creditlab.io.validate``), then ``open_items`` +
  ``aged_balance`` by customer, then ``kpi_history`` over 24 month ends;
- **DuckDB**: ``read_csv`` / ``read_parquet`` of the same files into tables, then the SQL twins of
  ``bench_aging`` (aged balance) and ``bench_kpi`` (KPI history) on those tables;
- **Polars**: ``read_csv`` / ``read_parquet`` of the same files (reading only; when installed).

Each line prints wall time, CPU time of the process (all threads: DuckDB and Polars use every
core, creditlab one) and the peak resident memory above the start (sampled every 5 ms). What
was read is checked equal across readers (rows, amounts per customer to the cent, dates), the
aged balances customer by customer and bucket by bucket to the cent, the KPI histories to 1e-7
relative. Ratios are creditlab / DuckDB in the same run: compare those, not absolute times, on a
loaded machine.

Usage: ``python benchmarks/bench_read.py --size 1e6 --formats csv,parquet,xlsx [--profile]``
(``--profile``: where creditlab's reading time goes, in CPU seconds, top 15 functions).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_aging  # noqa: E402
import bench_kpi  # noqa: E402

from creditlab.io import read_table  # noqa: E402

FORMATS = ("csv", "parquet", "xlsx")
PROFILE = False


# --------------------------------------------------------------------------- measuring
class Measure:
    """Wall time, process CPU time (all threads) and peak RSS above the start, in one block."""

    def __enter__(self):
        self._rss = bench_kpi.PeakRSS().__enter__()
        self.cpu0, self.wall0 = time.process_time(), time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0
        self._rss.__exit__(*exc)
        self.mb = self._rss.mb
        return False


def write_files(invoices, payments, folder: Path, fmt: str) -> tuple[Path, Path]:
    inv, pay = folder / f"invoices.{fmt}", folder / f"payments.{fmt}"
    if fmt == "csv":
        invoices.to_csv(inv, index=False)
        payments.to_csv(pay, index=False)
    elif fmt == "parquet":
        invoices.to_parquet(inv, index=False)
        payments.to_parquet(pay, index=False)
    else:
        invoices.to_excel(inv, index=False)
        payments.to_excel(pay, index=False)
    return inv, pay


# --------------------------------------------------------------------------- the readers
def read_creditlab(inv_path, pay_path):
    inv = read_table(inv_path, "invoices")
    pay = read_table(pay_path, "payments", invoices=inv)
    return inv, pay


def read_duckdb(con, inv_path, pay_path, fmt):
    fn = "read_csv" if fmt == "csv" else "read_parquet"
    con.execute("DROP TABLE IF EXISTS invoices; DROP TABLE IF EXISTS payments")
    con.execute(f"CREATE TABLE invoices AS SELECT * FROM {fn}('{inv_path}')")
    con.execute(f"CREATE TABLE payments AS SELECT * FROM {fn}('{pay_path}')")
    return con


def read_polars(inv_path, pay_path, fmt):
    import polars as pl

    if fmt == "csv":
        return (pl.read_csv(inv_path, try_parse_dates=True),
                pl.read_csv(pay_path, try_parse_dates=True))
    return pl.read_parquet(inv_path), pl.read_parquet(pay_path)


def read_pandas_excel(inv_path, pay_path):
    return pd.read_excel(inv_path), pd.read_excel(pay_path)


def fingerprint(inv: pd.DataFrame, pay: pd.DataFrame) -> dict:
    """What must be identical whoever reads the files: rows, cents per customer, dates."""
    def cents(frame, col):
        c = np.rint(pd.to_numeric(frame[col]).to_numpy(dtype="float64") * 100).astype(np.int64)
        return pd.Series(c, index=frame["customer_id"].astype(str).to_numpy()).groupby(
            level=0).sum().sort_index()

    return {"rows": (len(inv), len(pay)),
            "inv_cents": cents(inv, "amount_ttc"), "pay_cents": cents(pay, "amount"),
            "allocated": int(pay["invoice_id"].astype("string").str.strip().replace("", None)
                             .notna().sum()),
            "dates": (pd.to_datetime(inv["issue_date"]).min(), pd.to_datetime(inv["due_date"])
                      .max(), pd.to_datetime(pay["payment_date"]).max())}


def same_fingerprint(a: dict, b: dict) -> bool:
    return (a["rows"] == b["rows"] and a["allocated"] == b["allocated"]
            and a["dates"] == b["dates"] and a["inv_cents"].equals(b["inv_cents"])
            and a["pay_cents"].equals(b["pay_cents"]))


# --------------------------------------------------------------------------- the computations
def kpi_duckdb(con, start, end, first_month) -> pd.DataFrame:
    """bench_kpi's SQL on the tables DuckDB read (no pandas in between)."""
    first = start.to_period("M") - bench_kpi.OFFSET
    periods = pd.period_range(first, end.to_period("M"), freq="M")
    months = pd.DataFrame({"month_end": periods.to_timestamp(how="end").normalize().date,
                           "k": np.arange(len(periods)),
                           "days": periods.days_in_month.astype("float64")})
    con.register("months", months)
    sql = (bench_kpi.SQL.replace("$first_balance", str(bench_kpi.OFFSET - 12))
           .replace("$offset", str(bench_kpi.OFFSET))
           .replace("$countback", str(bench_kpi.COUNTBACK))
           .replace("$first_month", f"DATE '{first_month.date()}'"))
    out = con.execute(sql).df()
    con.unregister("months")
    out["month_end"] = pd.to_datetime(out["month_end"])
    return out.set_index("month_end").astype("float64")


def aged_duckdb(con, as_of) -> pd.DataFrame:
    out = con.execute(bench_aging.SQL, {"as_of": as_of.to_pydatetime()}).df()
    return out.set_index("customer_id")


# --------------------------------------------------------------------------- main
def run_format(fmt, invoices, payments, as_of, folder, con, rows) -> None:
    t0 = time.perf_counter()
    inv_path, pay_path = write_files(invoices, payments, folder, fmt)
    size_mb = (inv_path.stat().st_size + pay_path.stat().st_size) / 1e6
    print(f"# {fmt}: wrote {size_mb:,.0f} MB in {time.perf_counter() - t0:.1f} s", flush=True)
    start = (as_of.to_period("M") - (bench_kpi.MONTHS - 1)).to_timestamp()

    def row(engine, step, m, same="", **extra):
        rows.append({"format": fmt, "invoices": len(invoices), "payments": len(payments),
                     "file MB": round(size_mb), "engine": engine, "step": step,
                     "wall s": round(m.wall, 2), "cpu s": round(m.cpu, 2),
                     "peak MB": round(m.mb), "same": same, **extra})
        print("  ", " ".join(f"{k}={v}" for k, v in rows[-1].items()), flush=True)

    gc.collect()
    with Measure() as m:
        inv, pay = read_creditlab(inv_path, pay_path)
    fp = fingerprint(inv, pay)
    row("creditlab", "read+validate", m)
    if PROFILE:  # where creditlab's reading time goes, in CPU seconds
        import cProfile
        import pstats

        prof = cProfile.Profile(time.process_time)
        prof.runcall(read_creditlab, inv_path, pay_path)
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    with Measure() as m:
        aged = bench_aging.run_creditlab(inv, pay, as_of)
    row("creditlab", "aged balance", m)
    plain = inv.drop(columns=["related_invoice_id"])
    with Measure() as m:
        kpi = bench_kpi.run_creditlab(plain, pay, start, as_of)
    row("creditlab", "kpi_history", m)
    first_month = inv["issue_date"].min().to_period("M").to_timestamp()
    del inv, pay, plain
    gc.collect()

    if fmt == "xlsx":
        with Measure() as m:
            inv_x, pay_x = read_pandas_excel(inv_path, pay_path)
        row("pandas.read_excel", "read", m,
            "yes" if same_fingerprint(fp, fingerprint(inv_x, pay_x)) else "NO")
        return
    if con is not None:
        with Measure() as m:
            read_duckdb(con, inv_path, pay_path, fmt)
        fp_db = fingerprint(con.table("invoices").df(), con.table("payments").df())
        row("duckdb", "read", m, "yes" if same_fingerprint(fp, fp_db) else "NO")
        with Measure() as m:
            aged_db = aged_duckdb(con, as_of)
        ok, diff = bench_aging.compare(aged, aged_db)
        row("duckdb", "aged balance", m, "yes" if ok else f"NO {diff:.2f}")
        # the KPI twin does not net credit notes: same input as creditlab's plain run
        with Measure() as m:
            kpi_db = kpi_duckdb(con, start, as_of, first_month)
        try:
            bench_kpi.compare(kpi, kpi_db)
            same = "yes"
        except AssertionError as exc:
            same = f"NO {str(exc)[:40]}"
        row("duckdb", "kpi_history", m, same)
        con.execute("DROP TABLE invoices; DROP TABLE payments")
    try:
        import polars  # noqa: F401
    except ImportError:
        print("   polars not installed: skipped", flush=True)
        return
    with Measure() as m:
        inv_p, pay_p = read_polars(inv_path, pay_path, fmt)
    fp_pl = fingerprint(inv_p.to_pandas(), pay_p.to_pandas())
    row("polars", "read", m, "yes" if same_fingerprint(fp, fp_pl) else "NO")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1e6, help="invoices (default 1e6)")
    parser.add_argument("--excel-size", type=float, default=2e4,
                        help="invoices for the Excel files (default 2e4)")
    parser.add_argument("--formats", default="csv,parquet,xlsx")
    parser.add_argument("--dir", default=None, help="folder for the files (default: a temp dir)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", action="store_true",
                        help="also print the CPU profile of creditlab's reading (cProfile)")
    args = parser.parse_args(argv)
    global PROFILE
    PROFILE = args.profile
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    bad = set(formats) - set(FORMATS)
    if bad:
        parser.error(f"unknown formats {sorted(bad)}; choose among {FORMATS}")
    try:
        import duckdb

        con = duckdb.connect()
        versions = f"duckdb {duckdb.__version__}"
    except ImportError:
        con, versions = None, "duckdb missing"
    try:
        import polars

        versions += f", polars {polars.__version__}"
    except ImportError:
        versions += ", polars missing"
    print(f"# bench_read — python {platform.python_version()}, pandas {pd.__version__}, "
          f"{versions}, {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}", flush=True)
    rows: list[dict] = []
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        cache = {}
        for fmt in formats:
            n = args.excel_size if fmt == "xlsx" else args.size
            if n not in cache:
                cache.clear()
                gc.collect()
                cache[n] = bench_aging.make_ledger(n, args.seed)
            invoices, payments, as_of = cache[n]
            run_format(fmt, invoices, payments, as_of, Path(tmp), con, rows)
    table = pd.DataFrame(rows)
    print()
    print(table.to_string(index=False))
    # ratios within this run: creditlab / peer, same format, same step
    print()
    for fmt in formats:
        t = table[table["format"] == fmt].set_index(["engine", "step"])
        cl_read = t.loc[("creditlab", "read+validate")]
        for peer in ("duckdb", "polars", "pandas.read_excel"):
            if (peer, "read") in t.index:
                p = t.loc[(peer, "read")]
                print(f"{fmt}: creditlab read+validate / {peer} read: wall "
                      f"{cl_read['wall s'] / p['wall s']:.2f}x, cpu "
                      f"{cl_read['cpu s'] / p['cpu s']:.2f}x")
        for step in ("aged balance", "kpi_history"):
            if ("duckdb", step) in t.index:
                c, d = t.loc[("creditlab", step)], t.loc[("duckdb", step)]
                print(f"{fmt}: {step} creditlab / duckdb: wall {c['wall s'] / d['wall s']:.2f}x, "
                      f"cpu {c['cpu s'] / d['cpu s']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: ratio catalogue and every classic score on 1 M firm-years.

The firm-years are built by tiling demo-like statements (the demo portfolio's
``financial_statements`` when it exists, else ``creditlab.statements._testing.make_statements``)
and perturbing each copy by a random scale factor — every money line of a row is multiplied by the
same factor, so every accounting identity still holds exactly.

Peer: DuckDB (SQL, columnar, multi-threaded) computing the SIG chain and the Conan-Holder score
on the same frame in the same run; the results are compared.

Usage::

    .venv/bin/python benchmarks/bench_scores.py [--rows 1000000] [--no-tracemalloc]

Prints a table: step, rows, seconds (untraced run), peak traced memory of a second run under
tracemalloc (MiB), and the process's maximum resident set size.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np
import pandas as pd

from creditlab.io.tables import TABLES
from creditlab.scores import ALTMAN_VARIANTS, altman, classic_scores, conan_holder
from creditlab.statements import caf, functional_balance_sheet, ratios, sig
from creditlab.statements._testing import make_statements


def base_statements(n_base: int = 2000) -> pd.DataFrame:
    try:
        from creditlab.io.datasets import DEMO_DIR, load_demo

        if (DEMO_DIR / "financial_statements.csv").exists():
            return load_demo("financial_statements")
    except Exception:  # noqa: BLE001 - the benchmark falls back to synthetic statements
        pass
    return make_statements(n_base // 3, seed=42, years=3, with_sector=False)


def build(rows: int, seed: int = 0) -> pd.DataFrame:
    base = base_statements()
    rng = np.random.default_rng(seed)
    reps = -(-rows // len(base))
    idx = np.tile(np.arange(len(base)), reps)[:rows]
    money = [c.name for c in TABLES["financial_statements"].columns
             if c.unit == "EUR" and c.name in base.columns]
    out = {}
    factor = rng.lognormal(0.0, 0.5, rows)
    for c in base.columns:
        v = base[c].to_numpy()[idx]
        out[c] = v * factor if c in money else v
    df = pd.DataFrame(out)
    copy = np.repeat(np.arange(reps), len(base))[:rows]
    df["customer_id"] = pd.Series(df["customer_id"].astype(str).to_numpy() + "_"
                                  + copy.astype(str), dtype="str")
    return df


def duckdb_peer(fs: pd.DataFrame) -> tuple[float, pd.DataFrame] | None:
    try:
        import duckdb
    except ImportError:
        return None
    q = """
    WITH s AS (
      SELECT *,
        sales_goods + production_sold AS revenue,
        sales_goods - purchases_goods - change_stock_goods
          + production_sold + production_stocked + production_capitalised
          - purchases_materials - change_stock_materials - external_charges AS va
      FROM fs),
    t AS (
      SELECT *, va + operating_subsidies - taxes - wages - social_charges AS ebe,
        long_term_debt + bank_overdrafts + customer_advances + trade_payables
          + tax_social_payables + other_payables + deferred_income AS total_debt
      FROM s)
    SELECT
      ebe / NULLIF(revenue, 0) AS ebe_margin,
      24 * ebe / NULLIF(total_debt, 0)
      + 22 * (equity + provisions_risks + long_term_debt) / NULLIF(total_assets, 0)
      + 16 * (trade_receivables + other_receivables + marketable_securities + cash)
           / NULLIF(total_assets, 0)
      - 87 * interest_charges / NULLIF(revenue, 0)
      - 10 * (wages + social_charges) / CASE WHEN va > 0 THEN va END AS ch_score
    FROM t
    """
    con = duckdb.connect()
    con.register("fs", fs)
    t0 = time.perf_counter()
    res = con.execute(q).df()
    return time.perf_counter() - t0, res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--no-tracemalloc", action="store_true")
    args = ap.parse_args()
    t0 = time.perf_counter()
    fs = build(args.rows)
    print(f"built {len(fs):,} firm-years × {fs.shape[1]} columns in "
          f"{time.perf_counter() - t0:.1f} s ({fs.memory_usage(deep=True).sum() / 2**20:,.0f} MiB)")
    steps = [
        ("sig", lambda: sig(fs)),
        ("caf (2 methods)", lambda: caf(fs)),
        ("functional balance sheet", lambda: functional_balance_sheet(fs)),
        ("ratios (31 ratios + reasons)", lambda: ratios(fs)),
        ("conan_holder", lambda: conan_holder(fs)),
        *[(f"altman {v}", lambda v=v: altman(fs, v)) for v in ALTMAN_VARIANTS],
        ("classic_scores (all 5)", lambda: classic_scores(fs)),
    ]
    rows = []
    results = {}
    for name, fn in steps:
        t = time.perf_counter()
        results[name] = fn()  # timed run, without tracemalloc (it slows allocations down)
        dt = time.perf_counter() - t
        peak = np.nan
        if not args.no_tracemalloc:  # second run to measure the peak of traced memory
            tracemalloc.start()
            fn()
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
        rows.append((name, len(fs), dt, peak))
    peer = duckdb_peer(fs)
    if peer is not None:
        dt, res = peer
        rows.append(("peer: duckdb SQL (EBE margin + Conan-Holder)", len(fs), dt, np.nan))
        ours = results["conan_holder"]["score"].to_numpy()
        theirs = res["ch_score"].to_numpy(dtype="float64", na_value=np.nan)
        same = np.allclose(ours, theirs, rtol=1e-9, atol=1e-9, equal_nan=True)
        print(f"duckdb Conan-Holder equals creditlab's: {same}")
    table = pd.DataFrame(rows, columns=["step", "rows", "seconds", "peak_traced_MiB"])
    with pd.option_context("display.width", 120, "display.float_format", "{:,.2f}".format):
        print(table.to_string(index=False))
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max resident set size of the process: {maxrss:,.0f} MiB")


if __name__ == "__main__":
    main()

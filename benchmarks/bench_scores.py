"""Benchmark: ratio catalogue and every classic score on 1 M firm-years.

The firm-years are built by tiling demo-like statements (the demo portfolio's
``financial_statements`` when it exists, else ``creditlab.statements._testing.make_statements``)
and perturbing each copy by a random scale factor — every money line of a row is multiplied by the
same factor, so every accounting identity still holds exactly.

Peer: DuckDB (SQL, columnar, multi-threaded) computing the SIG chain and the Conan-Holder score
on the same frame in the same run; the results are compared.

Usage::

    .venv/bin/python benchmarks/bench_scores.py [--rows 1000000] [--no-tracemalloc]
        [--repeat 3] [--profile] [--scores-only]

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


# --------------------------------------------------------------------------- hand-written peers
# The same formulas as creditlab (Conan-Holder on fractions; the four Altman variants), written
# out once with plain numpy on float arrays: no validation, no texts, no reasons. It returns the
# five scores and the zone/band codes as small integers.
ALTMAN = {  # coefficients x1..x5, constant, distress below, safe above, equity basis
    "z": ((1.2, 1.4, 3.3, 0.6, 1.0), 0.0, 1.81, 2.99, "market_value_equity"),
    "z_prime": ((0.717, 0.847, 3.107, 0.420, 0.998), 0.0, 1.23, 2.90, "equity"),
    "z_double_prime": ((6.56, 3.26, 6.72, 1.05, 0.0), 0.0, 1.10, 2.60, "equity"),
    "z_em": ((6.56, 3.26, 6.72, 1.05, 0.0), 3.25, 4.35, 5.85, "equity"),
}


def numpy_peer(fs: pd.DataFrame) -> dict[str, np.ndarray]:
    c = {k: fs[k].to_numpy(dtype="float64", na_value=np.nan) for k in fs.columns
         if k not in ("customer_id", "fiscal_year", "sector")}
    z0 = np.zeros(len(fs))
    g = c.get

    def div(num, den, positive=True):
        bad = den <= 0 if positive else den == 0
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(bad, np.nan, num / np.where(bad, 1.0, den))

    rev = c["sales_goods"] + c["production_sold"]
    va = (c["sales_goods"] - c["purchases_goods"] - c["change_stock_goods"]
          + c["production_sold"] + c["production_stocked"] + c["production_capitalised"]
          - c["purchases_materials"] - c["change_stock_materials"] - c["external_charges"])
    personnel = c["wages"] + c["social_charges"]
    ebe = va + c["operating_subsidies"] - c["taxes"] - personnel
    rex = (ebe + c["operating_reversals"] + c["other_operating_income"]
           - c["operating_provisions"] - c["other_operating_charges"])
    stl = (c["bank_overdrafts"] + c["customer_advances"] + c["trade_payables"]
           + c["tax_social_payables"] + c["other_payables"] + c["deferred_income"])
    quick = c["trade_receivables"] + c["other_receivables"] + c["marketable_securities"] + c["cash"]
    current = quick + c["inventories"] + c["prepaid_expenses"]
    ta = c["total_assets"]
    out = {}
    ch = (24 * div(ebe, c["long_term_debt"] + stl, positive=False)
          + 22 * div(c["equity"] + c["provisions_risks"] + c["long_term_debt"], ta)
          + 16 * div(quick, ta) - 87 * div(c["interest_charges"], rev)
          - 10 * div(personnel, va))
    out["ch_score"] = ch
    out["ch_band"] = np.where(np.isnan(ch), -1, np.searchsorted([4.0, 9.0, 16.0], ch, "right"))
    tl = c["total_liabilities"] - c["equity"]
    x1, x2, x3, x5 = (div(current - stl, ta), div(c["retained_earnings"], ta), div(rex, ta),
                      div(rev, ta))
    for v, (k, const, lo, hi, eq) in ALTMAN.items():
        x4 = div(g(eq, z0 + np.nan), tl)
        z = k[0] * x1 + k[1] * x2 + k[2] * x3 + k[3] * x4 + const
        if k[4]:
            z = z + k[4] * x5
        out[f"{v}_score"] = z
        out[f"{v}_zone"] = np.where(np.isnan(z), -1, np.where(z < lo, 0, np.where(z > hi, 2, 1)))
    return out


def duckdb_scores(fs: pd.DataFrame):
    """The five scores in DuckDB SQL, same formulas (NULLIF/CASE for the denominators)."""
    try:
        import duckdb
    except ImportError:
        return None
    mve = ("market_value_equity" if "market_value_equity" in fs.columns
           else "CAST(NULL AS DOUBLE)")
    alt = []
    for v, (k, const, _lo, _hi, eq) in ALTMAN.items():
        x4 = f"{mve if eq == 'market_value_equity' else 'equity'} / CASE WHEN tl > 0 THEN tl END"
        alt.append(f"{k[0]} * x1 + {k[1]} * x2 + {k[2]} * x3 + {k[3]} * ({x4}) + {const}"
                   + (f" + {k[4]} * x5" if k[4] else "") + f" AS {v}_score")
    q = f"""
    WITH s AS (
      SELECT *, sales_goods + production_sold AS rev,
        sales_goods - purchases_goods - change_stock_goods + production_sold
          + production_stocked + production_capitalised - purchases_materials
          - change_stock_materials - external_charges AS va,
        wages + social_charges AS pers,
        bank_overdrafts + customer_advances + trade_payables + tax_social_payables
          + other_payables + deferred_income AS stl,
        trade_receivables + other_receivables + marketable_securities + cash AS quick,
        total_liabilities - equity AS tl,
        CASE WHEN total_assets > 0 THEN total_assets END AS ta
      FROM fs),
    t AS (
      SELECT *, va + operating_subsidies - taxes - pers AS ebe FROM s),
    u AS (
      SELECT *, (quick + inventories + prepaid_expenses - stl) / ta AS x1,
        retained_earnings / ta AS x2,
        (ebe + operating_reversals + other_operating_income - operating_provisions
          - other_operating_charges) / ta AS x3,
        rev / ta AS x5
      FROM t)
    SELECT
      24 * ebe / NULLIF(long_term_debt + stl, 0)
      + 22 * (equity + provisions_risks + long_term_debt) / ta + 16 * quick / ta
      - 87 * interest_charges / CASE WHEN rev > 0 THEN rev END
      - 10 * pers / CASE WHEN va > 0 THEN va END AS ch_score,
      {", ".join(alt)}
    FROM u
    """
    con = duckdb.connect()
    con.register("fs", fs)
    t0 = time.perf_counter()
    res = con.execute(q).df()
    return time.perf_counter() - t0, res


def compare_scores(cs: pd.DataFrame, peer: dict | pd.DataFrame) -> bool:
    """creditlab's classic_scores against a peer: the five scores (and zones for numpy)."""
    prefix = {"z": "z", "z_prime": "zp", "z_double_prime": "zpp", "z_em": "zem"}
    pairs = [("ch_score", "ch_score")] + [(f"{p}_score", f"{v}_score")
                                          for v, p in prefix.items()]
    for ours, theirs in pairs:
        a = cs[ours].to_numpy(dtype="float64")
        b = np.asarray(peer[theirs], dtype="float64")
        if not np.allclose(a, b, rtol=1e-9, atol=1e-9, equal_nan=True):
            return False
    if isinstance(peer, dict):
        bands = {"danger": 0, "warning": 1, "caution": 2, "very_good": 3}
        if not np.array_equal(_positions(cs["ch_band"], bands), peer["ch_band"]):
            return False
        zones = {"distress": 0, "grey": 1, "safe": 2}
        for v, p in prefix.items():
            if not np.array_equal(_positions(cs[f"{p}_zone"], zones), peer[f"{v}_zone"]):
                return False
    return True


def _positions(codes: pd.Series, order: dict[str, int]) -> np.ndarray:
    """Position of each code in ``order`` (-1 when missing), whatever the column's dtype."""
    return codes.astype("object").map(order).astype("float64").fillna(-1).to_numpy(dtype=int)


def _best(fn, repeat: int) -> tuple[float, float, object]:
    """Best CPU time (all threads of the process), the wall time of that run, and the result."""
    best = (float("inf"), float("nan"), None)
    for _ in range(repeat):
        cpu0, t0 = time.process_time(), time.perf_counter()
        res = fn()
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - t0
        if cpu < best[0]:
            best = (cpu, wall, res)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--no-tracemalloc", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each score step (best CPU)")
    ap.add_argument("--profile", action="store_true", help="print classic_scores' profile")
    ap.add_argument("--scores-only", action="store_true",
                    help="only classic_scores against its numpy and DuckDB peers")
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
    if args.scores_only:
        steps = [("conan_holder", lambda: conan_holder(fs))]
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
    # the five classic scores: creditlab vs hand-written numpy vs DuckDB SQL, same run, best of
    # --repeat CPU times (the ratio of CPU times is what a loaded machine keeps meaningful)
    np_cpu, np_wall, np_res = _best(lambda: numpy_peer(fs), args.repeat)
    cs_cpu, cs_wall, cs = _best(lambda: classic_scores(fs), args.repeat)
    rt_cpu, rt_wall, _ = _best(lambda: ratios(fs), args.repeat)
    rows.append(("peer: numpy, 5 scores + zones (hand-written)", len(fs), np_wall, np.nan))
    print(f"classic_scores (5 scores, zones, validity, reasons; codes): cpu {cs_cpu:.3f} s "
          f"(wall {cs_wall:.3f}); numpy (5 scores + zone codes): cpu {np_cpu:.3f} s (wall "
          f"{np_wall:.3f}); ratio {cs_cpu / np_cpu:.2f}x cpu (target 1.5x); equal: "
          f"{compare_scores(cs, np_res)}")
    print(f"ratios (31 ratios + reasons): cpu {rt_cpu:.3f} s; ratios + classic_scores / numpy "
          f"scores: {(rt_cpu + cs_cpu) / np_cpu:.2f}x cpu (the numpy peer does not compute the 31 "
          f"ratios)")
    db = duckdb_scores(fs)
    if db is not None:
        rows.append(("peer: duckdb SQL, 5 scores", len(fs), db[0], np.nan))
        print(f"duckdb 5 scores: wall {db[0]:.3f} s; equal: {compare_scores(cs, db[1])}; "
              f"classic_scores / duckdb wall {cs_wall / db[0]:.2f}x")
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile(time.process_time)
        prof.runcall(classic_scores, fs)
        print("classic_scores profile (CPU, top 15 by own time):")
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)
    table = pd.DataFrame(rows, columns=["step", "rows", "seconds", "peak_traced_MiB"])
    with pd.option_context("display.width", 120, "display.float_format", "{:,.2f}".format):
        print(table.to_string(index=False))
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"max resident set size of the process: {maxrss:,.0f} MiB")


if __name__ == "__main__":
    main()

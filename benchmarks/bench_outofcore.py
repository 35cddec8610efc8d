"""Benchmark: ageing a ledger larger than memory from Parquet, and its KPI history (DuckDB).

A ledger of about ``--size`` invoices is written to Parquet in chunks, never held whole: one
generated chunk (``bench_aging.make_ledger(--chunk)``) is written ``size / chunk`` times with
every id prefixed by the chunk number (``k12-C00042``, ``k12-F2025-…``), so each copy is an
independent set of customers. Then ``ParquetLedger.aged_balance`` ages the whole ledger with
DuckDB's ``memory_limit`` (default 3GB, the engine's default: 2GB ran out at 100 M) and a spill folder, while a thread samples the process's
resident memory every 5 ms. Then ``kpi_history(ledger, start, end)`` computes the 24-month
KPI history of the whole ledger (one series, every KPI) the same way, memory sampled.

Checks, in the same run: the aged balance of chunk 0's customers equals the in-memory engine's
(``open_items`` + ``aged_balance`` on the generated chunk) to the cent, and the grand total is
the number of chunks times the chunk's total (to the cent); the KPI history of the whole ledger
is the number of chunks times the in-memory history of one chunk for every amount column (to
1e-9 relative) and equal to it for every ratio and day column (the copies are identical), with
the same notes.

Usage: ``python benchmarks/bench_outofcore.py --size 1e8 --dir /tmp/ledger``
"""

from __future__ import annotations

import argparse
import gc
import shutil
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

from creditlab.receivables import Ledger, kpi_history  # noqa: E402

#: Columns of the KPI history that add up over the copies (the others are ratios or days).
AMOUNTS = ("receivables_ttc", "current_ttc", "past_due_ttc", "over_90_ttc", "sales_ttc",
           "sales_ht", "paid_ttc", "disputed_ttc", "disputes_opened_ttc", "write_offs_ht",
           "allowance_ht", "credit_limit_total", "n_over_limit")


def compare_history(got: pd.DataFrame, chunk: pd.DataFrame, n: int) -> tuple[bool, float]:
    """(same, worst relative difference) of the whole ledger's history vs n x one chunk's."""
    worst = 0.0
    same = list(got.columns) == list(chunk.columns) and got.index.equals(chunk.index)
    same = same and got["notes"].tolist() == chunk["notes"].tolist()
    for c in chunk.columns:
        if c == "notes":
            continue
        want = chunk[c].to_numpy(dtype="float64") * (n if c in AMOUNTS else 1)
        have = got[c].to_numpy(dtype="float64")
        both = np.isfinite(want) & np.isfinite(have)
        same = same and bool((np.isnan(want) == np.isnan(have)).all())
        if both.any():
            rel = np.abs(have[both] - want[both]) / np.maximum(np.abs(want[both]), 1e-9)
            rel = np.where(np.abs(have[both] - want[both]) < 1e-6, 0.0, rel)
            worst = max(worst, float(rel.max()))
    return same and worst <= 1e-9, worst

ID_COLUMNS = {"invoices": ("invoice_id", "customer_id", "related_invoice_id"),
              "payments": ("payment_id", "customer_id", "invoice_id")}


def write_chunks(folder: Path, size: int, chunk: int, seed: int):
    """Write ``size / chunk`` prefixed copies of one generated chunk; returns the chunk."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    invoices, payments, as_of = bench_aging.make_ledger(chunk, seed)
    n = max(1, round(size / len(invoices)))
    tables = {"invoices": pa.Table.from_pandas(invoices, preserve_index=False),
              "payments": pa.Table.from_pandas(payments, preserve_index=False)}
    for name in tables:
        (folder / name).mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    for k in range(n):
        for name, table in tables.items():
            out = table
            for c in ID_COLUMNS[name]:
                i = out.schema.get_field_index(c)
                col = out.column(c).cast(pa.large_string())
                pre = pa.scalar(f"k{k}-", pa.large_string())
                out = out.set_column(i, c, pc.binary_join_element_wise(
                    pre, col, pa.scalar("", pa.large_string())))
            pq.write_table(out, folder / name / f"part-{k:05d}.parquet")
        if k % 10 == 0 or k == n - 1:
            print(f"# wrote chunk {k + 1}/{n} ({(k + 1) * len(invoices):,} invoices, "
                  f"{time.perf_counter() - t0:.0f} s)", flush=True)
    return invoices, payments, as_of, n


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=float, default=1e8, help="invoices (default 1e8)")
    parser.add_argument("--chunk", type=float, default=1e6, help="invoices per chunk")
    parser.add_argument("--memory-limit", default="3GB")
    parser.add_argument("--dir", default=None, help="folder for the Parquet files and spill")
    parser.add_argument("--keep", action="store_true", help="keep the files")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", default=None,
                        help="a folder written by an earlier run with --keep (same --chunk and "
                             "--seed): skip the writing")
    parser.add_argument("--only", choices=("aging", "kpi"), default=None,
                        help="run only the ageing or only the KPI history (two processes can "
                             "then share the machine on reused files)")
    args = parser.parse_args(argv)
    if args.reuse:
        root = Path(args.reuse)
        args.keep = True
    else:
        root = Path(tempfile.mkdtemp(prefix="creditlab-ooc-", dir=args.dir))
    try:
        t0 = time.perf_counter()
        if args.reuse:
            invoices, payments, as_of = bench_aging.make_ledger(int(args.chunk), args.seed)
            n = len(list((root / "invoices").glob("part-*.parquet")))
        else:
            invoices, payments, as_of, n = write_chunks(root, int(args.size), int(args.chunk),
                                                        args.seed)
        gen = time.perf_counter() - t0
        disk = sum(f.stat().st_size for f in root.rglob("*.parquet")) / 1e9
        print(f"# {n} chunks: {n * len(invoices):,} invoices, {n * len(payments):,} payment "
              f"lines, {disk:.1f} GB of Parquet, {'reused' if args.reuse else 'written'} in "
              f"{gen:.0f} s", flush=True)
        want = bench_aging.run_creditlab(invoices, payments, as_of)  # in memory, one chunk
        start = (pd.Timestamp(as_of).to_period("M") - 23).strftime("%Y-%m")
        want_kpi = kpi_history(invoices, payments, start, as_of)
        del invoices, payments
        gc.collect()
        spill = root / f"spill{'-' + args.only if args.only else ''}"
        ledger = Ledger.from_parquet(root / "invoices", root / "payments",
                                     memory_limit=args.memory_limit, temp_directory=spill)
        if args.only != "kpi":
            age(ledger, as_of, want, n, args, disk, spill)
        if args.only != "aging":
            kpi(ledger, start, as_of, want_kpi, n, spill)
        ledger.close()
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    return 0


def age(ledger, as_of, want, n, args, disk, spill) -> None:
    """Age the whole ledger, memory sampled; check chunk 0 and the grand total."""
    base = bench_kpi.PeakRSS()._rss()
    with bench_kpi.PeakRSS() as mem:
        cpu0, t0 = time.process_time(), time.perf_counter()
        aged = ledger.aged_balance(as_of)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    peak_total = (mem.peak) / 2**30
    print(f"# aged {n * len(want):,} customers in {wall:.1f} s wall, {cpu:.1f} s CPU; "
          f"peak resident memory of the process {peak_total:.2f} GiB (of which "
          f"{base / 2**30:.2f} GiB before the query); DuckDB memory_limit "
          f"{args.memory_limit}; spill folder {'used' if spill.exists() else 'not used'}")
    first = aged[aged.index.str.startswith("k0-")].copy()
    first.index = first.index.str[len("k0-"):]
    first.columns = want.columns
    same, diff = bench_aging.compare(first, want)
    grand = np.rint(aged["total"].sum() * 100)
    expect = np.rint(want["total"].sum() * 100) * n
    print(f"# chunk 0 equals the in-memory engine to the cent: {same} (max diff {diff}); "
          f"grand total {grand / 100:,.2f} EUR = {n} x chunk total: {grand == expect}")
    print(f"size={n * len(want):,} customers, invoices={n * int(args.chunk):,}~, wall_s="
          f"{wall:.1f}, cpu_s={cpu:.1f}, peak_rss_GiB={peak_total:.2f}, parquet_GB={disk:.1f}",
          flush=True)


def kpi(ledger, start, as_of, want_kpi, n, spill) -> None:
    """The KPI history of the whole ledger, memory sampled; check it against one chunk's."""
    with bench_kpi.PeakRSS() as mem:
        cpu0, t0 = time.process_time(), time.perf_counter()
        hist = kpi_history(ledger, start, as_of)
        wall_k, cpu_k = time.perf_counter() - t0, time.process_time() - cpu0
    same_k, worst = compare_history(hist, want_kpi, n)
    print(f"# KPI history {start} .. {pd.Timestamp(as_of).date()} ({len(hist)} month ends, "
          f"{len(hist.columns)} columns) in {wall_k:.1f} s wall, {cpu_k:.1f} s CPU; peak "
          f"resident memory {mem.peak / 2**30:.2f} GiB; spill folder "
          f"{'used' if spill.exists() else 'not used'}; equals {n} x the in-memory history "
          f"of one chunk: {same_k} (worst relative difference {worst:.1e})")
    print(f"kpi_history: wall_s={wall_k:.1f}, cpu_s={cpu_k:.1f}, "
          f"peak_rss_GiB={mem.peak / 2**30:.2f}", flush=True)


if __name__ == "__main__":
    sys.exit(main())

"""Run every benchmark at moderate sizes and print one table (``make bench``).

Each benchmark runs in a process of its own (``benchmarks/bench_*.py`` with the arguments
below), one after the other; its whole output goes to ``LOGDIR/NAME.log`` and the table keeps,
per benchmark: exit status, wall time, CPU time (user + system of the process and its children:
DuckDB's threads, Jupyter kernels), peak resident memory, and its headline lines (the ratios
against the peers and the "equal" checks, picked by a pattern per benchmark). The defaults take
about 5-10 minutes on an idle 2-core machine; ``--size-scale`` multiplies every size (0.1 for a
smoke run, 10 for the README's sizes), ``--only`` picks benchmarks, ``--skip`` leaves some out.

The machine's load average is printed first and last: on a loaded machine compare the ratios
printed by each benchmark (measured in one process), not the absolute times.

Usage::

    python benchmarks/run_all.py [--only scores,reports] [--skip scorecard]
                                 [--size-scale 1.0] [--logdir benchmarks/results/logs]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"


def _n(x: float) -> str:
    return f"{x:.3g}".replace("+0", "").replace("+", "")


def plans(scale: float) -> dict[str, tuple[list[str], str]]:
    """name → (arguments, headline pattern) at ``scale`` × the moderate sizes."""
    s = scale
    return {
        "read": (["bench_read.py", "--size", _n(2e5 * s), "--excel-size", _n(5e3 * s),
                  "--formats", "csv,parquet,xlsx"],
                 r"^(csv|parquet|xlsx): "),
        "aging": (["bench_aging.py", "--sizes", _n(1e6 * s)],
                  r"^(\s*target\s|\s*\d[\d.e+]*\s|# totals)"),
        "kpi": (["bench_kpi.py", "--sizes", _n(1e6 * s), "--repeat", "1"],
                r"^\s*(invoices\s|\d)"),
        "scores": (["bench_scores.py", "--rows", str(int(1e6 * s)), "--no-tracemalloc",
                    "--scores-only", "--repeat", "3"],
                   r"^(classic_scores|ratios|duckdb 5 scores)"),
        "outofcore": (["bench_outofcore.py", "--size", _n(2e6 * s), "--chunk", _n(5e5 * s)],
                      r"(peak|equal|total|resident)"),
        "reports": (["bench_reports.py", "--reports", "credit_dashboard", "--repeat", "2"],
                    r"^(report list|report run|credit_dashboard)\s"),
        "course": (["bench_course.py"], r"^\s*(TOTAL|notebooks/03|load average)"),
        "scorecard": (["bench_scorecard.py", "--folds", "3", "--datasets", "germancredit"],
                      r"^\s*(dataset|germancredit)\s"),
    }


def run(name: str, argv: list[str], pattern: str, logdir: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, str(BENCH / argv[0]), *argv[1:]], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    log = logdir / f"{name}.log"
    log.write_text(f"$ {' '.join(argv)}\n{proc.stdout}\n--- stderr ---\n{proc.stderr}",
                   encoding="utf-8")
    rx = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    lines = list(dict.fromkeys(ln.rstrip() for ln in proc.stdout.splitlines()
                               if ln.strip() and rx.search(ln)))  # tables printed twice: once
    if proc.returncode != 0:
        err = (proc.stderr.strip().splitlines() or ["(no stderr)"])[-1]
        lines.append(f"FAILED (exit {proc.returncode}): {err[:200]}")
    return {"name": name, "args": " ".join(argv[1:]), "status": proc.returncode, "wall": wall,
            "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
            # the largest child so far (ru_maxrss of children is a running maximum)
            "maxrss_mib": after.ru_maxrss / 1024, "lines": lines[:14], "log": log}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", help="comma-separated benchmark names")
    ap.add_argument("--skip", default="", help="comma-separated benchmark names to leave out")
    ap.add_argument("--size-scale", type=float, default=1.0,
                    help="multiply every size (0.1: smoke run)")
    ap.add_argument("--logdir", default=str(ROOT / "benchmarks" / "results" / "logs"))
    args = ap.parse_args(argv)
    todo = plans(args.size_scale)
    names = [n.strip() for n in args.only.split(",")] if args.only else list(todo)
    unknown = [n for n in names if n not in todo]
    if unknown:
        ap.error(f"unknown benchmark(s) {unknown}; known: {list(todo)}")
    skip = {n.strip() for n in args.skip.split(",") if n.strip()}
    logdir = Path(args.logdir)
    logdir.mkdir(parents=True, exist_ok=True)
    print(f"# make bench — {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, "
          f"size scale {args.size_scale:g}, logs in {logdir}", flush=True)
    rows = []
    for name in names:
        if name in skip:
            continue
        print(f"  running {name} ...", flush=True)
        rows.append(run(name, *todo[name], logdir))
    print()
    print(f"{'benchmark':<10} {'status':>6} {'wall s':>8} {'cpu s':>8} {'max RSS MiB':>12}  "
          "arguments")
    for r in rows:
        print(f"{r['name']:<10} {('ok' if r['status'] == 0 else 'FAIL'):>6} {r['wall']:>8.1f} "
              f"{r['cpu']:>8.1f} {r['maxrss_mib']:>12,.0f}  {r['args']}")
        for ln in r["lines"]:
            print(f"{'':<12}| {ln[:200]}")
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}; max RSS is the largest child so "
          "far (a running maximum); full outputs in the logs.")
    return 0 if all(r["status"] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: how long the course notebooks take to run, one at a time, headless.

Every course notebook (``notebooks/*.ipynb`` and ``exercises/*.ipynb``; the corrected exercises
of ``exercises/solutions/`` with ``--solutions``) is executed top to bottom with nbclient in a
fresh ``python3`` kernel, as a trainee's "Run all" or the test suite's nbval does, from the
notebook's own folder. For each notebook the table gives:

- ``wall_s``: from the kernel start to the last cell's end (kernel start included);
- ``kernel_cpu_s``: user + system CPU of the kernel process and its children (from ``/proc`` via
  psutil, read just before the kernel is shut down);
- ``cells`` and ``status`` (``ok`` or the first error's name: a failing notebook is reported, the
  run goes on).

The total of each column is printed last; ``--top N`` lists the N slowest notebooks. With
``--suite`` the full test suite (``pytest -n JOBS --dist loadfile --nbval-lax tests notebooks
exercises``, as ``make test``) is also run and its wall time printed: that takes a long time
(tens of minutes on 2 cores).

The executed notebooks are not written back. The machine's load average is printed: on a loaded
machine, wall times are inflated; the kernel CPU times are the figures to compare.

Usage::

    python benchmarks/bench_course.py [--solutions] [--only 02_,part2] [--timeout 600] [--top 5]
                                      [--suite] [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def course_notebooks(solutions: bool = False, only: str | None = None) -> list[Path]:
    """The course notebooks in the order a trainee meets them."""
    paths = sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
        (ROOT / "exercises").glob("*.ipynb"))
    if solutions:
        paths += sorted((ROOT / "exercises" / "solutions").glob("*.ipynb"))
    if only:
        keys = [k.strip() for k in only.split(",") if k.strip()]
        paths = [p for p in paths if any(k in p.name for k in keys)]
    return paths


def _kernel_cpu(client) -> float:
    """CPU seconds (user + system, children included) of the client's kernel process."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - psutil ships with jupyter_client's dependencies
        return float("nan")
    pid = getattr(getattr(client.km, "provisioner", None), "pid", None)
    if pid is None:
        return float("nan")
    try:
        t = psutil.Process(pid).cpu_times()
    except psutil.Error:
        return float("nan")
    return t.user + t.system + t.children_user + t.children_system


def run_notebook(path: Path, timeout: int = 600) -> dict:
    """Execute one notebook in a fresh kernel; wall, kernel CPU, cells and status."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    status, cpu = "ok", float("nan")
    t0 = time.perf_counter()
    with client.setup_kernel(env=env, cwd=str(path.parent)):
        try:
            for i, cell in enumerate(nb.cells):
                client.execute_cell(cell, i)
        except Exception as exc:  # noqa: BLE001 - a failing notebook is reported, not fatal
            status = type(exc).__name__
            ename = getattr(exc, "ename", None)
            if ename:
                status += f" ({ename})"
            evalue = str(getattr(exc, "evalue", "") or exc).strip().splitlines()
            print(f"  {path.name}: cell {i}: {evalue[-1][:300] if evalue else ''}",
                  file=sys.stderr)
        wall = time.perf_counter() - t0
        cpu = _kernel_cpu(client)
    code = sum(1 for c in nb.cells if c.cell_type == "code")
    return {"notebook": path.relative_to(ROOT).as_posix(), "cells": code,
            "wall_s": wall, "kernel_cpu_s": cpu, "status": status}


def run_suite(jobs: int) -> float:
    """Wall seconds of the full test suite, run as ``make test`` runs it."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-n", str(jobs),
                           "--dist", "loadfile", "--nbval-lax", "tests", "notebooks",
                           "exercises"], cwd=ROOT, env=env, check=False,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    tail = proc.stdout.strip().splitlines()[-1:] or ["(no output)"]
    print(f"suite: exit {proc.returncode}, {tail[0]}")
    return wall


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--solutions", action="store_true",
                    help="also run exercises/solutions/*.ipynb")
    ap.add_argument("--only", help="comma-separated parts of notebook names to run")
    ap.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    ap.add_argument("--top", type=int, default=5, help="how many of the slowest to list")
    ap.add_argument("--suite", action="store_true",
                    help="also time the full test suite (slow)")
    ap.add_argument("--jobs", type=int, default=2, help="pytest-xdist workers for --suite")
    args = ap.parse_args(argv)

    import pandas as pd

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    rows = []
    for path in course_notebooks(args.solutions, args.only):
        rows.append(run_notebook(path, args.timeout))
        r = rows[-1]
        print(f"  {r['notebook']}: {r['wall_s']:.1f} s wall, {r['kernel_cpu_s']:.1f} s kernel "
              f"CPU, {r['status']}", flush=True)
    table = pd.DataFrame(rows)
    if table.empty:
        print("no notebook matched")
        return 1
    total = {"notebook": f"TOTAL ({len(table)} notebooks)", "cells": table["cells"].sum(),
             "wall_s": table["wall_s"].sum(), "kernel_cpu_s": table["kernel_cpu_s"].sum(),
             "status": f"{(table['status'] == 'ok').sum()} ok"}
    out = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    with pd.option_context("display.width", 140, "display.float_format", "{:,.1f}".format):
        print(out.to_string(index=False))
        print(f"\nslowest {args.top} (wall):")
        print(table.nlargest(args.top, "wall_s").to_string(index=False))
    if args.suite:
        print(f"full suite wall: {run_suite(args.jobs):,.0f} s (-n {args.jobs})")
    return 0 if (table["status"] == "ok").all() else 2


if __name__ == "__main__":
    sys.exit(main())

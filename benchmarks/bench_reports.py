"""Benchmark: how long a user waits for ``creditlab report list`` and ``creditlab report run``.

For the listing and for each report on the demo data, in phases:

- ``report list``: the command in a fresh process (wall, CPU of the child), best of ``--repeat``;
- ``runner imports``: ``import papermill, nbconvert`` in a fresh process, as ``report run`` does
  it (``skip_iri_grammar`` on: jsonschema's IRI grammar spared), and without it, for comparison;
- ``kernel start``: a fresh ``python3`` Jupyter kernel started and answering;
- ``kernel imports``: in that kernel, the imports of the report's first code cell (matplotlib,
  IPython.display, creditlab.reports.*) — what the first cell pays before computing;
- ``cells``: the executed cells' durations as papermill records them (``metadata.papermill``),
  the first cell including its imports;
- ``html``: nbconvert's HTML export of the executed notebook (``runner._html``);
- ``end to end``: ``creditlab report run NAME`` in a fresh process (wall), which is what a user
  or a cron job waits for.

The machine's load average is printed: on a loaded machine, compare the phases with one another
(same run), not with figures measured elsewhere.

Usage: ``python benchmarks/bench_reports.py [--reports credit_dashboard,aged_balance]``
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPORTS = ("credit_dashboard", "aged_balance", "dunning", "calibration")


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("MPLBACKEND", "Agg")
    return env


def child(cmd: list[str], repeat: int = 1) -> tuple[float, float, subprocess.CompletedProcess]:
    """Best wall time and the CPU time (user + system) of that run, of a command."""
    best = (float("inf"), float("nan"), None)
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=_env(), check=False)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if proc.returncode != 0:
            raise RuntimeError(f"{cmd} failed:\n{proc.stderr[-2000:]}")
        if wall < best[0]:
            best = (wall, cpu, proc)
    return best


def kernel_phases(import_source: str) -> tuple[float, float]:
    """Seconds to start a python3 kernel until it answers, then to run ``import_source`` in it."""
    from jupyter_client.manager import start_new_kernel

    t0 = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3")
    start = time.perf_counter() - t0
    try:
        t0 = time.perf_counter()
        reply = kc.execute_interactive(import_source, timeout=600, store_history=False,
                                       output_hook=lambda msg: None)
        imports = time.perf_counter() - t0
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"imports failed in the kernel: {reply['content']}")
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return start, imports


def first_code_imports(name: str) -> str:
    from creditlab.reports.runner import _read_notebook, reports_dir

    nb = _read_notebook(reports_dir() / f"{name}.ipynb")
    code = [c.source for c in nb.cells if c.cell_type == "code"
            and "parameters" not in c.get("metadata", {}).get("tags", [])]
    lines = [ln for ln in code[0].splitlines() if ln.startswith(("import ", "from "))] \
        if code else []
    return "\n".join(lines) or "pass"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", default=",".join(REPORTS))
    parser.add_argument("--repeat", type=int, default=3, help="runs of the quick commands")
    args = parser.parse_args(argv)
    py = sys.executable
    print(f"# bench_reports — python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    rows = []

    wall, cpu, proc = child([py, "-m", "creditlab.cli", "report", "list"], args.repeat)
    rows.append(("report list", "end to end", wall, cpu))
    wall, cpu, _ = child([py, "-c", "import creditlab.reports.runner as r; r.skip_iri_grammar(); "
                                    "import papermill, nbconvert"], args.repeat)
    rows.append(("report run", "runner imports", wall, cpu))
    wall, cpu, _ = child([py, "-c", "import papermill, nbconvert"], args.repeat)
    rows.append(("report run", "runner imports, IRI grammar built", wall, cpu))
    for r in rows:
        print("  ", r, flush=True)

    from creditlab.reports.runner import _html, _read_notebook, run_report

    for name in [n.strip() for n in args.reports.split(",") if n.strip()]:
        start, imports = kernel_phases(first_code_imports(name))
        rows.append((name, "kernel start", start, float("nan")))
        rows.append((name, "kernel imports (first cell's)", imports, float("nan")))
        with tempfile.TemporaryDirectory() as tmp:
            t0 = time.perf_counter()
            paths = run_report(name, out=tmp, progress=False)
            total = time.perf_counter() - t0
            nb = _read_notebook(paths["notebook"])
            durations = [c.get("metadata", {}).get("papermill", {}).get("duration") or 0.0
                         for c in nb.cells if c.cell_type == "code"]
            import nbformat

            executed = nbformat.read(paths["notebook"], as_version=4)
            t0 = time.perf_counter()
            _html(executed, name)
            html = time.perf_counter() - t0
        rows.append((name, "cells (papermill)", sum(durations), float("nan")))
        rows.append((name, "  of which the slowest cell", max(durations, default=0.0),
                     float("nan")))
        rows.append((name, "html export", html, float("nan")))
        rows.append((name, "run_report in process", total, float("nan")))
        with tempfile.TemporaryDirectory() as tmp:
            wall, cpu, _ = child([py, "-m", "creditlab.cli", "report", "run", name,
                                  "--out", tmp])
        rows.append((name, "end to end (creditlab report run)", wall, cpu))
        for r in rows[-7:]:
            print("  ", r, flush=True)

    print()
    print(f"{'what':<18} {'phase':<36} {'wall s':>7} {'cpu s':>7}")
    for what, phase, wall, cpu in rows:
        cpu_s = "" if cpu != cpu else f"{cpu:.2f}"
        print(f"{what:<18} {phase:<36} {wall:>7.2f} {cpu_s:>7}")
    print("\ncpu s: CPU of the child process (user + system, its own children included); "
          "wall under the load average above.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A regular (non-editable) install lists and runs the reports: they are package data.

The package is built from a copy of the sources (pyproject.toml, README.md, LICENSE,
creditlab/) into a fresh virtual environment that sees the dependencies of the running one but
not the repository, and the command line is run from a folder outside the repository:

- when a wheel can be built offline (``pip wheel --no-deps --no-build-isolation``: needs
  setuptools >= 70.1, or the ``wheel`` package), the wheel is installed with ``pip install
  --no-deps`` and the ``creditlab`` console script is used;
- otherwise the files a wheel would hold are produced by setuptools' ``build_py`` (the command
  that gathers ``packages.find`` and ``package-data`` for a wheel) and copied into the
  environment's site-packages, and ``python -m creditlab.cli`` is used.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pandas as pd
import pytest
import setuptools

from creditlab.reports import run_report

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ("aged_balance", "calibration", "credit_dashboard", "dunning")


def _wheel_possible() -> bool:
    major, minor = (int(p) for p in setuptools.__version__.split(".")[:2])
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


def _run(cmd, cwd, env, timeout=300):
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(command prefix, env, folder outside the repository) of a fresh regular install."""
    tmp = tmp_path_factory.mktemp("installed")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(ROOT / "creditlab", src / "creditlab",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME",
                                                            "VIRTUAL_ENV")}
    env["MPLBACKEND"] = "Agg"
    # the dependencies' data files (nbconvert's HTML templates) are in the running
    # environment's share/jupyter, where a real install of the dependencies would put them in
    # the new environment; only them (not its kernelspecs: the kernel must be the new
    # environment's own python)
    data = tmp / "jupyter"
    data.mkdir()
    (data / "nbconvert").symlink_to(Path(sys.prefix) / "share" / "jupyter" / "nbconvert")
    env["JUPYTER_PATH"] = str(data)
    venv = tmp / "venv"
    r = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], tmp, env)
    assert r.returncode == 0, r.stderr
    py = venv / "bin" / "python"
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     tmp, env).stdout.strip())
    # the dependencies of the running environment, appended after the venv's own packages (a
    # plain path line: the running environment's editable creditlab is not activated)
    (site / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    if _wheel_possible():
        dist = tmp / "dist"
        build_env = dict(env)
        spec = importlib.util.find_spec("wheel")
        if spec is not None:  # wherever the running process found it
            build_env["PYTHONPATH"] = str(Path(spec.origin).parents[1])
        r = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                  "--no-index", "-w", str(dist), str(src)], tmp, build_env)
        assert r.returncode == 0, r.stdout + r.stderr
        [wheel] = dist.glob("creditlab-*.whl")
        r = _run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", str(wheel)],
                 tmp, env)
        assert r.returncode == 0, r.stdout + r.stderr
        command = [str(venv / "bin" / "creditlab")]
    else:
        build = tmp / "build"
        r = _run([sys.executable, "-c", "import setuptools; setuptools.setup()", "-q",
                  "build_py", "--build-lib", str(build)], src, env)
        assert r.returncode == 0, r.stdout + r.stderr
        shutil.copytree(build / "creditlab", site / "creditlab")
        command = [str(py), "-m", "creditlab.cli"]
    outside = tmp / "elsewhere"
    outside.mkdir()
    where = _run([str(py), "-c", "import creditlab; print(creditlab.__file__)"], outside, env)
    assert Path(where.stdout.strip()).is_relative_to(site), where.stdout + where.stderr
    return command, env, outside


def test_installed_package_lists_and_runs_the_reports(installed, tmp_path):
    command, env, outside = installed
    listed = _run([*command, "report", "list"], outside, env)
    assert listed.returncode == 0, listed.stderr
    names = [line.split(" — ")[0] for line in listed.stdout.splitlines()
             if line and not line.startswith(" ")]
    assert names == list(REPORTS)
    out = outside / "out"
    ran = _run([*command, "report", "run", "aged_balance", "--out", str(out)], outside, env)
    assert ran.returncode == 0, ran.stderr
    assert Path(ran.stdout.strip()) == out / "aged_balance" / "aged_balance.html"
    installed_csv = pd.read_csv(out / "aged_balance" / "aged_balance.csv", sep=";", decimal=",",
                                index_col=0, encoding="utf-8-sig")
    # the demo regenerated from its seed (no datasets/ folder) gives the repository's answer
    here = run_report("aged_balance", out=tmp_path, progress=False)
    repo_csv = pd.read_csv(here["aged_balance.csv"], sep=";", decimal=",", index_col=0,
                           encoding="utf-8-sig")
    pd.testing.assert_frame_equal(installed_csv, repo_csv)
    # user files without as_of: exit code 1, the parameter and the fix named
    inv = outside / "factures.csv"
    inv.write_text("invoice_id;customer_id;issue_date;due_date;amount_ttc\n", encoding="utf-8")
    bad = _run([*command, "report", "run", "aged_balance", "-p", f"invoices={inv}", "-p", f"payments={inv}", "--out", str(out)], outside, env)
    assert bad.returncode == 1 and "as_of" in bad.stderr and "-p as_of=" in bad.stderr

"""Bundled datasets and the optional external (shared) datasets.

``load_demo`` reads the demo portfolio bundled in ``datasets/demo/`` (regenerated from its seed
by ``creditlab.synth.make_portfolio`` when the files are not there, e.g. in a wheel install).
``external_dir`` locates ``../shared/external`` (tests and benchmarks only; nothing a user runs
depends on it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from creditlab import synth
from creditlab._demo import (  # noqa: F401 - public here, shared with creditlab.synth
    DATASETS_DIR,
    DEMO_DIR,
    DEMO_TABLES,
    PROJECT_ROOT,
    coerce_types,
)
from creditlab.exceptions import InputError

__all__ = ["PROJECT_ROOT", "DATASETS_DIR", "DEMO_DIR", "load_demo", "external_dir", "coerce_types"]

def load_demo(table: str | None = None) -> pd.DataFrame | dict[str, pd.DataFrame]:
    """Load the bundled demo portfolio.

    Parameters
    ----------
    table : str, optional
        One of ``customers, invoices, payments, orders, disputes, financial_statements, events``.
        ``None`` returns a dict of all tables.

    Returns
    -------
    DataFrame or dict of DataFrames, with canonical dtypes.
    """
    names = DEMO_TABLES if table is None else (table,)
    for name in names:
        if name not in DEMO_TABLES:
            raise InputError("table", f"one of {DEMO_TABLES}", name,
                             "pass the name of a demo table or None for all")
    if not (DEMO_DIR / "invoices.csv").exists():  # wheel install: regenerate from the seed
        tables = synth.make_portfolio()
        return tables if table is None else tables[table]
    out = {}
    for name in names:
        df = pd.read_csv(DEMO_DIR / f"{name}.csv", dtype=str, keep_default_na=False,
                         na_values=[""])
        out[name] = coerce_types(df, name)
    return out if table is None else out[table]


def external_dir(name: str | None = None) -> Path | None:
    """Path of ``../shared/external`` (or ``$CREDITLAB_EXTERNAL``), or None when absent."""
    env = os.environ.get("CREDITLAB_EXTERNAL")
    base = Path(env) if env else PROJECT_ROOT.parent / "shared" / "external"
    path = base / name if name else base
    return path if path.exists() else None

"""What the demo generator (:mod:`creditlab.synth`) and the dataset loader
(:mod:`creditlab.io.datasets`) share: where the bundled data lives and the canonical dtypes.

A lower module so that ``datasets`` may call the generator (to rebuild the demo when the files
are absent) and the generator may cast its tables, without the two importing each other.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from creditlab.tables import TABLES

__all__ = ["PROJECT_ROOT", "DATASETS_DIR", "DEMO_DIR", "DEMO_TABLES", "coerce_types"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATASETS_DIR = PROJECT_ROOT / "datasets"
DEMO_DIR = DATASETS_DIR / "demo"

DEMO_TABLES = ("customers", "invoices", "payments", "orders", "disputes", "financial_statements",
               "events")


def coerce_types(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Cast the canonical columns present in ``df`` to their canonical dtypes (copy).

    Dates become ``datetime64[ns]``; ids and codes become strings (missing stays missing);
    amounts float64; booleans bool. Unknown columns are kept as they are.
    """
    spec = TABLES[table]
    out = df.copy()
    for col in spec.columns:
        if col.name not in out.columns:
            continue
        s = out[col.name]
        if col.dtype == "date":
            out[col.name] = pd.to_datetime(s, errors="raise").astype("datetime64[ns]")
        elif col.dtype == "float":
            out[col.name] = pd.to_numeric(s, errors="raise").astype("float64")
        elif col.dtype == "int":
            out[col.name] = pd.to_numeric(s, errors="raise").astype("int64")
        elif col.dtype == "bool":
            if s.dtype != bool:
                out[col.name] = s.map(
                    lambda v: str(v).strip().lower() in ("true", "1", "yes", "oui", "vrai")
                ).astype(bool)
        else:
            out[col.name] = s.astype("str")  # pandas 3 string dtype; missing stays missing
    return out

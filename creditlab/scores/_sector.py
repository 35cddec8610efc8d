"""Sector handling shared by the scores (validity flags)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from creditlab.exceptions import InputError
from creditlab.statements._common import as_series_like
from creditlab.tables import SECTORS


def sector_values(fs: pd.DataFrame, sector=None) -> np.ndarray:
    """Sector group per row as an object array of str ("" when unknown).

    ``sector`` (scalar, sequence or Series aligned on ``fs``) overrides ``fs["sector"]``.
    Values must be one of ``creditlab.io.tables.SECTORS`` or missing.
    """
    if sector is None:
        if "sector" not in fs.columns:
            return np.full(len(fs), "", dtype=object)
        s = fs["sector"]
    else:
        s = as_series_like(sector, fs.index, "sector")
    s = s.astype("object").where(s.notna(), "")
    vals = s.to_numpy(dtype=object)
    bad = ~np.isin(vals, (*SECTORS, ""))
    if bad.any():
        raise InputError("sector", f"one of {SECTORS} or missing", sorted(set(vals[bad]))[:5],
                         "map the activity to a creditlab sector group (creditlab.io.tables.SECTORS)")
    return vals


def sector_flags(fs: pd.DataFrame, sector=None,
                 group: str = "industrie") -> tuple[np.ndarray, np.ndarray]:
    """``(in_group, known)`` boolean arrays: the row's sector is ``group``; it is known.

    Same checks as :func:`sector_values` (each distinct value once), without an object array
    of one string per row.
    """
    if sector is None and "sector" not in fs.columns:
        return np.zeros(len(fs), dtype=bool), np.zeros(len(fs), dtype=bool)
    s = fs["sector"] if sector is None else as_series_like(sector, fs.index, "sector")
    vals = pd.unique(s[s.notna()].astype("object"))
    bad = [v for v in vals if v not in (*SECTORS, "")]
    if bad:
        raise InputError("sector", f"one of {SECTORS} or missing", sorted(map(str, bad))[:5],
                         "map the activity to a creditlab sector group (creditlab.io.tables.SECTORS)")
    in_group = s.eq(group).fillna(False).to_numpy(dtype=bool)
    known = (s.notna() & s.ne("")).fillna(False).to_numpy(dtype=bool)
    return in_group, known

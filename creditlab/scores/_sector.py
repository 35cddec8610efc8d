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

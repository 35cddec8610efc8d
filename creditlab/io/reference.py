"""Reference grids read by several packages, from the versioned CSV files of ``creditlab/data``.

- :func:`risk_stakes_grid` — the four quadrants of the risk × stakes (criticité) matrix, with
  their label, recommended action and source (``risk_stakes_matrix.csv``). Used by
  :func:`creditlab.finance.risk_stakes_matrix` and :func:`creditlab.scores.rank_portfolio`, so a
  quadrant has one label and one action everywhere.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from creditlab._cache import reference_cache
from creditlab._checks import check_choice

__all__ = ["risk_stakes_grid", "RISK_STAKES_FILE"]

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
#: Grid of the risk × stakes quadrants (reference data with a ``source`` column).
RISK_STAKES_FILE = DATA_DIR / "risk_stakes_matrix.csv"


@reference_cache()
def _risk_stakes_csv() -> pd.DataFrame:
    return pd.read_csv(RISK_STAKES_FILE, dtype={"priority": "int64"})


def risk_stakes_grid(lang: str = "fr") -> pd.DataFrame:
    """The four quadrants (risk level × stakes level) with label, action and source.

    Parameters
    ----------
    lang : {"fr", "en"}
        Language of ``label`` and ``action``.

    Returns
    -------
    DataFrame
        One row per quadrant: ``risk_level`` and ``stakes_level`` ("high"/"low"), ``quadrant``
        (code: critical, strategic, restrict, routine), ``priority`` (1 = most critical),
        ``label``, ``action``, ``source``.
    """
    check_choice(lang, "lang", ("fr", "en"))
    g = _risk_stakes_csv()
    g["label"] = g[f"label_{lang}"]
    g["action"] = g[f"action_{lang}"]
    return g[["risk_level", "stakes_level", "quadrant", "priority", "label", "action", "source"]]

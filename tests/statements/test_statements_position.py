"""sector_position: a firm's ratios among its sector's quartiles, computed once (hand-checked)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.statements import SectorPosition, sector_position


def _table():
    # six firms of sector "x" in 2024; F1 is the firm placed. ebe_margin: 0.10 … 0.60 → quartiles
    # (linear) q1 = 0.225, median = 0.35, q3 = 0.475 (IQR 0.25); dso_days: 30 … 80 → 42.5, 55,
    # 67.5 (IQR 25). A seventh firm of sector "y" must not count.
    ids = [f"F{i}" for i in range(1, 7)] + ["G"]
    return pd.DataFrame({"customer_id": ids, "fiscal_year": 2024,
                         "sector": ["x"] * 6 + ["y"],
                         "ebe_margin": [0.10, 0.20, 0.30, 0.40, 0.50, 0.60, 9.0],
                         "dso_days": [30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 0.0]})


def test_position_hand_computed():
    pos = sector_position(_table(), "sector", "F1", names=["ebe_margin", "dso_days"])
    assert isinstance(pos, SectorPosition)
    assert (pos.customer_id, pos.fiscal_year, pos.sector) == ("F1", 2024, "x")
    t = pos.table
    assert t.loc["ebe_margin", ["q1", "median", "q3"]].tolist() == pytest.approx(
        [0.225, 0.35, 0.475])
    # (0.10 − 0.35) / 0.25 = −1.0: below the median of a higher-is-better ratio → unfavourable
    assert t.loc["ebe_margin", "position"] == pytest.approx(-1.0)
    assert t.loc["ebe_margin", "box_left"] == pytest.approx(-0.5)
    assert not t.loc["ebe_margin", "favourable"]
    # DSO 30 against median 55, IQR 25: −1.0, and lower is better → favourable
    assert t.loc["dso_days", "position"] == pytest.approx(-1.0)
    assert t.loc["dso_days", "favourable"]
    assert t["comparable"].all()
    assert list(pos.summary().index) == ["ebe_margin", "dso_days"]
    assert pos.to_frame("fr").index[0] != "ebe_margin"


def test_position_clipped_and_not_comparable():
    tab = _table()
    tab.loc[tab["customer_id"] == "F1", "ebe_margin"] = 5.0      # (5 − 0.35) / 0.25 = 18.6 → 3
    pos = sector_position(tab, "sector", "F1", names=["ebe_margin"])
    assert pos.table.loc["ebe_margin", "position"] == 3.0
    small = tab[tab["customer_id"].isin(["F1", "F2", "F3"])]     # < 5 firms: no quartiles
    pos = sector_position(small, "sector", "F1", names=["ebe_margin"])
    assert not pos.table.loc["ebe_margin", "comparable"]
    assert np.isnan(pos.table.loc["ebe_margin", "position"])
    assert not pos.table.loc["ebe_margin", "favourable"]


def test_position_errors():
    with pytest.raises(InputError, match="customer_id"):
        sector_position(_table(), "sector", "NOPE", names=["dso_days"])
    with pytest.raises(InputError, match="fiscal_year"):
        sector_position(_table(), "sector", "F1", fiscal_year=2020, names=["dso_days"])
    with pytest.raises(InputError, match="names"):
        sector_position(_table(), "sector", "F1", names=["no_such_ratio"])
    with pytest.raises(InputError, match="ratio_table"):
        sector_position(pd.DataFrame({"a": [1]}), "sector", "F1")

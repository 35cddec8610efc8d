"""A firm's ratios placed among its sector's quartiles (the benchmark a credit analyst reads).

:func:`sector_position` computes, for one firm and one fiscal year, each ratio's value, its
sector's quartiles (:func:`~creditlab.statements.sector_quartiles`) and the firm's distance to
the sector median in interquartile ranges; :class:`SectorPosition` keeps them, and
``position.plot()`` (:func:`creditlab.plots.solvency.plot_sector_quartiles`) only draws them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from creditlab._drawing import drawn_by
from creditlab._results import Result
from creditlab.exceptions import InputError
from creditlab.statements.ratios import ratio_catalogue, sector_quartiles

__all__ = ["SectorPosition", "sector_position", "POSITION_CLIP"]

#: The distance to the median is clipped to ± this many interquartile ranges (for the plot).
POSITION_CLIP = 3.0

_DEFAULT_NAMES = ("ebe_margin", "net_margin", "equity_ratio", "gearing", "current_ratio",
                  "dso_days", "debt_to_caf")


@dataclass(frozen=True, eq=False)
class SectorPosition(Result):
    """One firm's ratios against its sector's quartiles, for one fiscal year.

    ``table`` is indexed by ratio name (in the order asked) with ``unit``, ``direction``,
    ``value``, ``q1``, ``median``, ``q3``, ``comparable`` (the sector has a positive
    interquartile range for that ratio), ``box_left`` (Q1 − median in interquartile ranges),
    ``position`` ((value − median) / (Q3 − Q1), clipped to ± :data:`POSITION_CLIP`; NaN when
    not comparable or no value) and ``favourable`` (on the good side of the median given the
    ratio's direction; True for ratios without a direction; False when ``position`` is NaN).
    """

    customer_id: str
    fiscal_year: int
    sector: object
    table: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """The table, in codes (ratio names, units, directions)."""
        return self.table.copy()

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """The table with the ratios' names in ``lang`` (ratio catalogue)."""
        out = self.summary()
        out.index = ratio_catalogue(lang).loc[out.index, "label"].to_numpy()
        out.index.name = "ratio"
        return out

    #: Draw the ratios against the sector's interquartile boxes; returns the Axes.
    plot = drawn_by("creditlab.plots.solvency", "plot_sector_quartiles")


def sector_position(ratio_table: pd.DataFrame, sector, customer_id: str, *,
                    fiscal_year: int | None = None,
                    names: Sequence[str] = _DEFAULT_NAMES) -> SectorPosition:
    """Place one firm's ratios among its sector's quartiles.

    Parameters
    ----------
    ratio_table : DataFrame
        Output of :func:`~creditlab.statements.ratios` (with ``customer_id`` and
        ``fiscal_year``), many firms.
    sector : str, Series or mapping
        As in :func:`~creditlab.statements.sector_quartiles`: a column of ``ratio_table`` or a
        mapping ``customer_id`` → sector.
    customer_id : str
        The firm.
    fiscal_year : int, optional
        Default: the firm's latest year.
    names : sequence of str
        Ratios to place (names of :func:`~creditlab.statements.ratio_catalogue`).

    Returns
    -------
    SectorPosition

    Notes
    -----
    Quartiles need at least 5 firms of the sector with a value (``sector_quartiles``); with
    fewer, or a zero interquartile range, the ratio is not comparable (``comparable`` False).
    """
    if not {"customer_id", "fiscal_year"} <= set(ratio_table.columns):
        raise InputError("ratio_table", "the output of creditlab.statements.ratios (with "
                         "customer_id and fiscal_year)", list(ratio_table.columns)[:5],
                         "compute ratios(fs) on the canonical statements")
    names = list(names)
    cat = ratio_catalogue("fr")
    unknown = [n for n in names if n not in cat.index or n not in ratio_table.columns]
    if unknown:
        raise InputError("names", "ratios of the catalogue present in ratio_table", unknown,
                         "see creditlab.statements.ratio_catalogue().index")
    t = ratio_table[ratio_table["customer_id"] == customer_id]
    if t.empty:
        raise InputError("customer_id", "a firm present in ratio_table", customer_id,
                         "check the id")
    year = int(t["fiscal_year"].max()) if fiscal_year is None else int(fiscal_year)
    row = t[t["fiscal_year"] == year]
    if row.empty:
        raise InputError("fiscal_year", f"a year of {customer_id}", year,
                         f"use one of {sorted(t['fiscal_year'].unique())}")
    row = row.iloc[0]
    if isinstance(sector, str) and sector in ratio_table.columns:
        firm_sector = row[sector]
    else:
        mapping = sector if isinstance(sector, pd.Series) else pd.Series(sector)
        firm_sector = mapping.get(customer_id)
    q = sector_quartiles(ratio_table, sector, names=names, fiscal_year=year)
    if firm_sector in q.index.get_level_values(0):
        quart = q.xs(firm_sector, level=0).reindex(names)[["q1", "median", "q3"]]
    else:
        quart = pd.DataFrame(np.nan, index=names, columns=["q1", "median", "q3"])
    out = cat.loc[names, ["unit", "direction"]].copy()
    out["value"] = pd.to_numeric(row[names], errors="coerce").to_numpy(dtype="float64")
    out[["q1", "median", "q3"]] = quart.to_numpy(dtype="float64")
    iqr = (out["q3"] - out["q1"]).to_numpy()
    comparable = np.isfinite(iqr) & (iqr > 0)
    safe_iqr = np.where(comparable, iqr, np.nan)
    med, v = out["median"].to_numpy(), out["value"].to_numpy()
    out["comparable"] = comparable
    out["box_left"] = (out["q1"].to_numpy() - med) / safe_iqr
    out["position"] = np.clip((v - med) / safe_iqr, -POSITION_CLIP, POSITION_CLIP)
    direction = out["direction"].to_numpy()
    good = np.where(direction == "higher_better", v >= med,
                    np.where(direction == "lower_better", v <= med, True))
    out["favourable"] = good & ~np.isnan(out["position"].to_numpy())
    out.index.name = "ratio"
    return SectorPosition(customer_id=customer_id, fiscal_year=year, sector=firm_sector,
                          table=out)

"""Points arithmetic shared by the scorecard estimator and its frozen export.

:class:`Scaling` (score = offset + factor · ln(odds)), :func:`round_half_up` and
:func:`reason_codes_from_points` live here so that :mod:`creditlab.modeling.scorecard` (the
estimator) and :mod:`creditlab.modeling.export` (the deployable model) both build on them
without importing each other; both modules re-export them.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_is_fitted

from creditlab.modeling._common import check_number

__all__ = ["Scaling", "round_half_up", "reason_codes_from_points"]


def round_half_up(x) -> np.ndarray:
    """Round half away from zero for positives, towards +inf for negatives (``floor(x + 0.5)``)."""
    return np.floor(np.asarray(x, dtype="float64") + 0.5)


def reason_codes_from_points(points: pd.DataFrame, max_points: pd.Series, k: int = 3,
                             labels: dict | None = None) -> pd.DataFrame:
    """Reason codes from the points of each variable (columns of ``points``) and the maximum
    points of each variable: the ``k`` largest costs ``max − obtained`` (ties: column order),
    zero costs left empty. See :meth:`Scorecard.reason_codes`."""
    features = list(points.columns)
    cost = (max_points.reindex(features).to_numpy()[None, :]
            - points.to_numpy()).astype("int64")
    order = np.argsort(-cost, axis=1, kind="stable")
    k = min(int(k), len(features))
    names = np.array([(labels or {}).get(c, c) for c in features], dtype=object)
    out = {}
    rows = np.arange(len(cost))
    for r in range(k):
        idx = order[:, r]
        lost = cost[rows, idx]
        out[f"reason_{r + 1}"] = pd.array(np.where(lost > 0, names[idx], None), dtype="str")
        out[f"points_lost_{r + 1}"] = lost
    return pd.DataFrame(out, index=points.index)


class Scaling:
    """Points scaling: ``score = offset + factor · ln(odds good:bad)``.

    Parameters
    ----------
    base_score : float
        Score at which the good:bad odds equal ``base_odds``.
    base_odds : float
        Good:bad odds at ``base_score`` (50 means 50 goods for 1 bad, PD = 1/51).
    pdo : float
        Points to double the odds (> 0).
    """

    def __init__(self, base_score: float = 600.0, base_odds: float = 50.0, pdo: float = 20.0):
        check_number("base_score", base_score, -1e6, 1e6)
        check_number("base_odds", base_odds, 0, None, lo_open=True)
        check_number("pdo", pdo, 0, None, lo_open=True)
        self.base_score = float(base_score)
        self.base_odds = float(base_odds)
        self.pdo = float(pdo)

    @property
    def factor(self) -> float:
        return self.pdo / math.log(2.0)

    @property
    def offset(self) -> float:
        return self.base_score - self.factor * math.log(self.base_odds)

    def odds(self, points) -> np.ndarray:
        """Good:bad odds at ``points``: ``base_odds · 2^((points − base_score)/pdo)``."""
        p = np.asarray(points, dtype="float64")
        return self.base_odds * np.exp2((p - self.base_score) / self.pdo)

    def pd(self, points) -> np.ndarray:
        """Probability of default at ``points``: ``1 / (1 + odds)``."""
        return 1.0 / (1.0 + self.odds(points))

    def points_from_log_odds(self, log_odds_event) -> np.ndarray:
        """Unrounded score of a log-odds of the event: ``offset − factor · ℓ``."""
        return self.offset - self.factor * np.asarray(log_odds_event, dtype="float64")

    def to_dict(self) -> dict:
        return {"base_score": self.base_score, "base_odds": self.base_odds, "pdo": self.pdo,
                "factor": self.factor, "offset": self.offset}

    def __repr__(self) -> str:
        return (f"Scaling(base_score={self.base_score:g}, base_odds={self.base_odds:g}, "
                f"pdo={self.pdo:g})")


class Selection:
    """The fate of every input variable during a :class:`Scorecard` fit (its ``selection_``
    once framed): status, detail and step per variable."""

    def __init__(self, iv: np.ndarray):
        self.iv = iv
        self.status = np.full(iv.size, "", dtype=object)
        self.detail = np.full(iv.size, "", dtype=object)
        self.step: list = [pd.NA] * iv.size

    def set(self, j, status: str, detail: str = "", step=None) -> None:
        self.status[j], self.detail[j] = status, detail
        if step is not None:
            self.step[j] = step

    def frame(self, columns) -> pd.DataFrame:
        return pd.DataFrame({"iv": self.iv, "status": pd.array(self.status, dtype="str"),
                             "detail": pd.array(self.detail, dtype="str"),
                             "step": pd.array(self.step, dtype="Int64")},
                            index=pd.Index(columns, name="variable"))


def build_points_table(features, variables, coef, alpha: float, s: Scaling):
    """The points grid of a fitted scorecard (one row per variable and bin, see
    ``Scorecard.points_table_``) and the points per bin code of each variable.

    ``points = round_half_up(offset/m − factor · (α/m + β_j · WoE_ij))`` (module docstring of
    :mod:`creditlab.modeling.scorecard`)."""
    m = len(features)
    keys = ("variable", "code", "bin", "kind", "lower", "upper", "count", "event_rate", "woe",
            "coef", "points_raw")
    cols: dict[str, list] = {k: [] for k in keys}
    for j, name in enumerate(features):
        labels, kinds, lower, upper, n, b, woe = variables[name].parts[:7]
        beta = float(coef[j])
        k = len(labels)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(n > 0, b / n, np.nan)
        raw = s.offset / m - s.factor * (alpha / m + beta * woe)
        for key, val in zip(keys, ([name] * k, np.arange(k), labels, kinds, lower, upper, n,
                                   rate, woe, np.full(k, beta), raw), strict=True):
            cols[key].append(np.asarray(val))
    tab = pd.DataFrame({k: np.concatenate(v) for k, v in cols.items()})
    tab["code"] = tab["code"].astype("int64")
    count = tab["count"].to_numpy()
    if np.all(count == np.round(count)):
        tab["count"] = count.astype("int64")
    tab["points"] = round_half_up(tab["points_raw"].to_numpy()).astype("int64")
    for c in ("variable", "bin", "kind"):
        tab[c] = tab[c].astype("str")
    sizes = np.cumsum([len(variables[c].woe) for c in features])
    lookup = dict(zip(features, np.split(tab["points"].to_numpy(), sizes[:-1]), strict=True))
    return tab, lookup


class PointsGrid:
    """The points grid of a fitted scorecard, built from its binning, coefficients and scaling
    when first read (points, export, plots), once per fit: a fit inside a cross-validation or a
    selection loop does not pay for it. The fit sets ``_points_grid = None``."""

    def _points(self) -> tuple:
        check_is_fitted(self, "features_")
        if getattr(self, "_points_grid", None) is None:
            self._points_grid = build_points_table(
                self.features_, self.binning_.variables_, self.coef_[0],
                float(self.intercept_[0]), self.scaling_)
        return self._points_grid

    @property
    def points_table_(self) -> pd.DataFrame:
        """One row per variable and bin (see :class:`~creditlab.modeling.Scorecard`)."""
        return self._points()[0]

    @property
    def _points_lookup(self) -> dict:
        """Points per bin code of each selected variable."""
        return self._points()[1]

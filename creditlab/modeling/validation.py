"""Validation of a score and of its PDs: discrimination, calibration, per-grade backtests and
stability. Every function takes plain arrays (or Series) and returns a frozen result object with
``summary()`` (a DataFrame), ``_repr_html_`` and ``plot_*(ax=None)`` returning the Axes.

Conventions: ``y`` is 0/1 with 1 = default (event). A score is "risk-oriented" when higher means
riskier (a PD, a log-odds) — ``higher_is_risk=True``, the default — and "safety-oriented" when
higher means safer (scorecard points) — pass ``higher_is_risk=False``.

Formulas and sources
--------------------
- **AUC** = P(score of a default > score of a non-default) + ½ P(tie) = Mann-Whitney U / (m·n),
  computed with mid-ranks. **Confidence interval**: DeLong, DeLong & Clarke-Pearson (1988),
  *Biometrics* 44, 837-845, with the fast mid-rank algorithm of Sun & Xu (2014), *IEEE Signal
  Processing Letters* 21(11): ``var = s²(V10)/m + s²(V01)/n``, CI = AUC ± z·se clipped to [0, 1]
  (``ci="delong"``, default); or a stratified percentile bootstrap (``ci="bootstrap"``, defaults
  and non-defaults resampled separately, ``n_boot`` draws, seeded).
- **Gini = accuracy ratio (AR) = 2·AUC − 1** (Engelmann, Hayden & Tasche 2003, "Testing rating
  accuracy", *Risk* 16(1)); AR is also computed from the area under the CAP curve (equal).
- **KS** = max over thresholds of |F_default(t) − F_non-default(t)| (two-sample Kolmogorov-Smirnov
  statistic).
- **Brier** = mean((PD − y)²) (Brier 1950); reference ``ȳ(1 − ȳ)`` (constant PD = default rate).
- **Hosmer-Lemeshow**: observations sorted by PD, cut into ``g`` groups of equal size (ties split
  by the stable sort), ``HL = Σ_g (O_g − E_g)² / (E_g (1 − E_g/n_g))``, χ² with ``g − 2`` degrees
  of freedom (Hosmer & Lemeshow, *Applied Logistic Regression*, 2nd ed. 2000, §5.2.2).
- **Per-grade tests** (one-sided, H0: the grade PD is not underestimated): binomial
  ``p = P(D ≥ d | n, PD)``; Jeffreys ``p = F_Beta(d + ½, n − d + ½)(PD)`` (ECB, *Instructions for
  reporting the validation results of internal models*, 2019, §2.5.3.1). **Traffic light**
  (Basel Committee WP 14, 2005, §4.3, after Tasche 2003): green when p ≥ 5 %, amber when
  0.1 % ≤ p < 5 %, red when p < 0.1 %.
- **PSI** = Σ_i (a_i − e_i)·ln(a_i / e_i) over bins, ``e`` the reference shares and ``a`` the
  current shares; a bin empty in one sample counts as ½ observation there (finite PSI). Reading:
  < 0.10 stable, 0.10-0.25 to monitor, ≥ 0.25 significant shift (Siddiqi 2006, ch. 8; Yurdakul &
  Naranjo 2020, *J. Risk Model Validation* 14(4)). The per-variable version (CSI) uses the bins of
  the fitted binning; with a scorecard it also gives the points shift Σ_i (a_i − e_i)·points_i
  ("characteristic analysis", Siddiqi 2006, ch. 8).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from sklearn.metrics import roc_curve

from creditlab._drawing import drawn_by
from creditlab.exceptions import InputError
from creditlab.modeling._common import check_choice, check_number, check_target
from creditlab.modeling._constants import PSI_BOUNDS
from creditlab.modeling.binning import WoEBinner
from creditlab.modeling.masterscale import MasterScale
from creditlab.modeling.scorecard import Scorecard

__all__ = [
    "roc_auc", "delong_ci", "ks_statistic", "brier_score", "hosmer_lemeshow", "psi",
    "discrimination", "calibration_test", "backtest_grades", "population_stability",
    "characteristic_stability",
    "DiscriminationResult", "CalibrationResult", "BacktestResult", "StabilityResult",
    "CharacteristicStabilityResult", "PSI_BOUNDS", "TRAFFIC_LIGHT_LEVELS",
]

#: PSI reading: below 0.10 stable, below 0.25 to monitor, else significant shift.
#: Traffic-light p-value levels (amber below 5 %, red below 0.1 %): BCBS WP 14 (2005).
TRAFFIC_LIGHT_LEVELS = (0.05, 0.001)


# ---------------------------------------------------------------------- inputs
def _xy(y, score, name: str = "score", higher_is_risk: bool = True
        ) -> tuple[np.ndarray, np.ndarray]:
    yv = check_target(y)
    s = np.asarray(score.to_numpy() if isinstance(score, pd.Series) else score, dtype="float64")
    if s.ndim != 1 or s.size != yv.size:
        raise InputError(name, f"a 1-D array of {yv.size} values (one per outcome)",
                         f"shape {s.shape}", "align the score with y")
    if not np.isfinite(s).all():
        raise InputError(name, "finite values (no NaN/inf)",
                         f"{int((~np.isfinite(s)).sum())} non-finite value(s)",
                         "score every row or drop the unscored ones")
    return yv, (s if higher_is_risk else -s)


def _pd(y, p, name: str = "pd") -> tuple[np.ndarray, np.ndarray]:
    yv, pv = _xy(y, p, name)
    if ((pv < 0) | (pv > 1)).any():
        raise InputError(name, "probabilities in [0, 1]", pv[(pv < 0) | (pv > 1)][:3].tolist(),
                         "pass PDs as fractions (0.02 = 2 %)")
    return yv, pv


# ---------------------------------------------------------------------- statistics
def roc_auc(y, score, *, higher_is_risk: bool = True) -> float:
    """Area under the ROC curve (Mann-Whitney with mid-ranks; ties count ½)."""
    yv, s = _xy(y, score, higher_is_risk=higher_is_risk)
    r = stats.rankdata(s)
    m = int(yv.sum())
    n = yv.size - m
    return float((r[yv == 1].sum() - m * (m + 1) / 2) / (m * n))


def _delong(yv: np.ndarray, s: np.ndarray) -> tuple[float, float]:
    pos, neg = s[yv == 1], s[yv == 0]
    m, n = pos.size, neg.size
    tz = stats.rankdata(np.concatenate([pos, neg]))
    v10 = (tz[:m] - stats.rankdata(pos)) / n
    v01 = 1.0 - (tz[m:] - stats.rankdata(neg)) / m
    auc = float(v10.mean())
    var = (v10.var(ddof=1) / m if m > 1 else 0.0) + (v01.var(ddof=1) / n if n > 1 else 0.0)
    return auc, float(var)


def delong_ci(y, score, level: float = 0.95, *, higher_is_risk: bool = True
              ) -> tuple[float, float, tuple[float, float]]:
    """AUC, its DeLong standard error and the normal CI at ``level`` (clipped to [0, 1])."""
    check_number("level", level, 0, 1, lo_open=True, hi_open=True)
    yv, s = _xy(y, score, higher_is_risk=higher_is_risk)
    auc, var = _delong(yv, s)
    se = float(np.sqrt(var))
    z = stats.norm.ppf(0.5 + level / 2)
    return auc, se, (max(0.0, auc - z * se), min(1.0, auc + z * se))


def ks_statistic(y, score, *, higher_is_risk: bool = True) -> tuple[float, float]:
    """KS statistic and the score threshold where it is reached (in the input's orientation)."""
    yv, s = _xy(y, score, higher_is_risk=higher_is_risk)
    pos, neg = np.sort(s[yv == 1]), np.sort(s[yv == 0])
    grid = np.unique(s)
    f_pos = np.searchsorted(pos, grid, side="right") / pos.size
    f_neg = np.searchsorted(neg, grid, side="right") / neg.size
    d = np.abs(f_neg - f_pos)
    i = int(np.argmax(d))
    thr = grid[i] if higher_is_risk else -grid[i]
    return float(d[i]), float(thr)


def brier_score(y, pd_) -> float:
    """Mean squared difference between PD and outcome."""
    yv, p = _pd(y, pd_)
    return float(np.mean((p - yv) ** 2))


def _groups(p: np.ndarray, g: int) -> np.ndarray:
    order = np.argsort(p, kind="stable")
    grp = np.empty(p.size, dtype="int64")
    grp[order] = (np.arange(p.size) * g) // p.size
    return grp


def hosmer_lemeshow(y, pd_, n_groups: int = 10) -> tuple[float, int, float, pd.DataFrame]:
    """Hosmer-Lemeshow statistic, degrees of freedom, p-value and the group table."""
    check_number("n_groups", n_groups, 3, 1000, integer=True)
    yv, p = _pd(y, pd_)
    g = min(int(n_groups), yv.size)
    grp = _groups(p, g)
    n = np.bincount(grp, minlength=g).astype("float64")
    obs = np.bincount(grp, weights=yv, minlength=g)
    expv = np.bincount(grp, weights=p, minlength=g)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(expv * (1 - expv / n) > 0, (obs - expv) ** 2 / (expv * (1 - expv / n)), 0.0)
    hl = float(term.sum())
    df = g - 2
    pval = float(stats.chi2.sf(hl, df))
    lo = stats.beta.ppf(0.025, obs + 0.5, n - obs + 0.5)
    hi = stats.beta.ppf(0.975, obs + 0.5, n - obs + 0.5)
    table = pd.DataFrame({"n": n.astype("int64"), "events": obs.astype("int64"),
                          "expected": expv, "mean_pd": expv / n, "observed_rate": obs / n,
                          "observed_low": lo, "observed_high": hi, "hl_term": term},
                         index=pd.RangeIndex(1, g + 1, name="group"))
    return hl, df, pval, table


def _psi_counts(e: np.ndarray, a: np.ndarray) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    ne, na = e.sum(), a.sum()
    es = np.maximum(e, 0.5) / ne
    as_ = np.maximum(a, 0.5) / na
    contrib = (as_ - es) * np.log(as_ / es)
    return float(contrib.sum()), es, as_, contrib


def _psi_status(v: float) -> str:
    return "stable" if v < PSI_BOUNDS[0] else ("monitor" if v < PSI_BOUNDS[1] else "shift")


def psi(expected, actual, bins: int | np.ndarray = 10) -> float:
    """Population stability index between a reference sample and a current one (see
    :func:`population_stability`)."""
    return population_stability(expected, actual, bins).psi


# ---------------------------------------------------------------------- result objects
def _fmt_table(df: pd.DataFrame) -> str:
    return df.to_html(float_format=lambda v: f"{v:.4f}")


@dataclass(frozen=True)
class DiscriminationResult:
    """Discrimination of a score: AUC (with CI), Gini/AR, KS, ROC and CAP curves."""

    auc: float
    auc_se: float
    auc_ci: tuple[float, float]
    ci_method: str
    level: float
    gini: float
    accuracy_ratio: float
    ks: float
    ks_threshold: float
    n: int
    n_events: int
    roc: pd.DataFrame = field(repr=False)
    cap: pd.DataFrame = field(repr=False)

    def summary(self) -> pd.DataFrame:
        rows = {"n": self.n, "events": self.n_events, "auc": self.auc,
                f"auc_ci_low ({self.ci_method})": self.auc_ci[0],
                f"auc_ci_high ({self.ci_method})": self.auc_ci[1],
                "gini": self.gini, "accuracy_ratio": self.accuracy_ratio,
                "ks": self.ks, "ks_threshold": self.ks_threshold}
        return pd.DataFrame({"value": pd.Series(rows, dtype="float64")}).rename_axis("metric")

    def _repr_html_(self) -> str:
        return _fmt_table(self.summary())

    plot_roc = drawn_by("creditlab.modeling.plots", "plot_roc")

    plot_cap = drawn_by("creditlab.modeling.plots", "plot_cap")


@dataclass(frozen=True)
class CalibrationResult:
    """Calibration of PDs: Brier score, Hosmer-Lemeshow test and the calibration curve."""

    brier: float
    brier_reference: float
    hl_statistic: float
    hl_df: int
    hl_pvalue: float
    mean_pd: float
    default_rate: float
    n: int
    table: pd.DataFrame = field(repr=False)

    def summary(self) -> pd.DataFrame:
        rows = {"n": self.n, "default_rate": self.default_rate, "mean_pd": self.mean_pd,
                "brier": self.brier, "brier_reference": self.brier_reference,
                "hosmer_lemeshow": self.hl_statistic, "hl_df": self.hl_df,
                "hl_pvalue": self.hl_pvalue}
        return pd.DataFrame({"value": pd.Series(rows, dtype="float64")}).rename_axis("metric")

    def _repr_html_(self) -> str:
        return _fmt_table(self.summary()) + _fmt_table(self.table)

    plot_calibration = drawn_by("creditlab.modeling.plots", "plot_calibration")


@dataclass(frozen=True)
class BacktestResult:
    """Per-grade backtest: observed default rate against the grade PD, binomial and Jeffreys
    tests, traffic light (``green`` / ``amber`` / ``red``; ``none`` for an empty grade)."""

    table: pd.DataFrame
    test: str
    levels: tuple[float, float]

    def summary(self) -> pd.DataFrame:
        return self.table.copy()

    @property
    def n_red(self) -> int:
        return int((self.table["light"] == "red").sum())

    @property
    def n_amber(self) -> int:
        return int((self.table["light"] == "amber").sum())

    def _repr_html_(self) -> str:
        return _fmt_table(self.table)

    plot_backtest = drawn_by("creditlab.modeling.plots", "plot_backtest")


@dataclass(frozen=True)
class StabilityResult:
    """Population stability of one distribution (a score or a variable)."""

    psi: float
    status: str
    name: str
    table: pd.DataFrame = field(repr=False)

    def summary(self) -> pd.DataFrame:
        return self.table.copy()

    def _repr_html_(self) -> str:
        return f"<p>PSI({self.name}) = {self.psi:.4f} — {self.status}</p>" + \
            _fmt_table(self.table)

    plot_distribution = drawn_by("creditlab.modeling.plots", "plot_stability")


@dataclass(frozen=True)
class CharacteristicStabilityResult:
    """Per-variable stability (CSI) between two samples, on the fitted bins."""

    table: pd.DataFrame
    details: Mapping[str, pd.DataFrame] = field(repr=False)

    def summary(self) -> pd.DataFrame:
        return self.table.copy()

    def _repr_html_(self) -> str:
        return _fmt_table(self.table)

    plot_csi = drawn_by("creditlab.modeling.plots", "plot_csi")


# ---------------------------------------------------------------------- entry points
def discrimination(y, score, *, higher_is_risk: bool = True, ci: str = "delong",
                   level: float = 0.95, n_boot: int = 1000, seed: int = 0
                   ) -> DiscriminationResult:
    """AUC with confidence interval, Gini/AR, KS, ROC and CAP curves.

    Parameters
    ----------
    y : array of 0/1
        1 = default.
    score : array of float
        PD, log-odds or points (finite).
    higher_is_risk : bool, default True
        False for safety-oriented scores (points).
    ci : {"delong", "bootstrap"}
        Method of the AUC confidence interval (module docstring).
    level : float, default 0.95
    n_boot, seed : int
        Bootstrap draws and seed (``ci="bootstrap"`` only).
    """
    check_choice(ci, "ci", ("delong", "bootstrap"))
    check_number("level", level, 0, 1, lo_open=True, hi_open=True)
    yv, s = _xy(y, score, higher_is_risk=higher_is_risk)
    auc, var = _delong(yv, s)
    se = float(np.sqrt(var))
    if ci == "delong":
        z = stats.norm.ppf(0.5 + level / 2)
        bounds = (max(0.0, auc - z * se), min(1.0, auc + z * se))
    else:
        check_number("n_boot", n_boot, 10, 1_000_000, integer=True)
        rng = np.random.default_rng(seed)
        pos, neg = s[yv == 1], s[yv == 0]
        m, n = pos.size, neg.size
        ip = rng.integers(0, m, size=(int(n_boot), m))
        ineg = rng.integers(0, n, size=(int(n_boot), n))
        both = np.concatenate([pos[ip], neg[ineg]], axis=1)
        r = stats.rankdata(both, axis=1)
        aucs = (r[:, :m].sum(axis=1) - m * (m + 1) / 2) / (m * n)
        a = (1 - level) / 2
        bounds = (float(np.quantile(aucs, a)), float(np.quantile(aucs, 1 - a)))
        se = float(aucs.std(ddof=1))
    fpr, tpr, thr = roc_curve(yv, s)
    m, n = int(yv.sum()), int(yv.size - yv.sum())
    roc = pd.DataFrame({"fpr": fpr, "tpr": tpr,
                        "threshold": thr if higher_is_risk else -thr})
    pop = (tpr * m + fpr * n) / (m + n)
    cap = pd.DataFrame({"population_share": pop, "events_share": tpr})
    # AR from the CAP area (trapezoids), relative to the perfect model's
    area = float(np.sum(np.diff(pop) * (tpr[1:] + tpr[:-1]) / 2))
    pi = m / (m + n)
    ar = (area - 0.5) / ((1 - pi / 2) - 0.5)
    ks, ks_thr = ks_statistic(yv, s)
    return DiscriminationResult(
        auc=auc, auc_se=se, auc_ci=bounds, ci_method=ci, level=level, gini=2 * auc - 1,
        accuracy_ratio=float(ar), ks=ks, ks_threshold=ks_thr if higher_is_risk else -ks_thr,
        n=int(yv.size), n_events=m, roc=roc, cap=cap)


def calibration_test(y, pd_, n_groups: int = 10) -> CalibrationResult:
    """Brier score, Hosmer-Lemeshow test and calibration curve (``n_groups`` PD groups)."""
    yv, p = _pd(y, pd_)
    hl, df, pval, table = hosmer_lemeshow(yv, p, n_groups)
    rate = float(yv.mean())
    return CalibrationResult(brier=float(np.mean((p - yv) ** 2)),
                             brier_reference=rate * (1 - rate), hl_statistic=hl, hl_df=df,
                             hl_pvalue=pval, mean_pd=float(p.mean()), default_rate=rate,
                             n=int(yv.size), table=table)


def backtest_grades(y, grades, pd_by_grade, *, test: str = "jeffreys",
                    levels: tuple[float, float] = TRAFFIC_LIGHT_LEVELS) -> BacktestResult:
    """Backtest each rating grade: defaults observed against the grade PD.

    Parameters
    ----------
    y : array of 0/1
    grades : array of str
        Grade of every observation (missing grades are ignored).
    pd_by_grade : MasterScale, mapping or Series
        PD of each grade: a :class:`~creditlab.modeling.masterscale.MasterScale` (central PD,
        grade order of the scale) or ``{grade: PD}``.
    test : {"jeffreys", "binomial"}
        Test driving the traffic light (both p-values are reported).
    levels : (amber, red)
        p-value levels of the traffic light (default BCBS WP 14: 5 %, 0.1 %).

    Returns
    -------
    BacktestResult
        ``table`` indexed by grade: ``n``, ``defaults``, ``observed_rate``, ``pd``,
        ``expected``, ``binomial_pvalue``, ``jeffreys_pvalue``, ``jeffreys_low``,
        ``jeffreys_high`` (95 % interval of the default rate), ``light``.
    """
    check_choice(test, "test", ("jeffreys", "binomial"))
    amber, red = levels
    if not (0 < red < amber < 1):
        raise InputError("levels", "(amber, red) p-value levels with 0 < red < amber < 1",
                         levels, "e.g. (0.05, 0.001)")
    yv = check_target(y)
    g = pd.Series(np.asarray(grades, dtype=object)).astype("str")
    if g.size != yv.size:
        raise InputError("grades", f"{yv.size} grades (one per outcome)", g.size,
                         "align grades with y")
    if isinstance(pd_by_grade, MasterScale):
        order = list(pd_by_grade.labels)
        pdg = dict(zip(order, pd_by_grade.central_pd.tolist(), strict=True))
    else:
        pdg = {str(k): float(v) for k, v in dict(pd_by_grade).items()}
        order = list(pdg)
    unknown = sorted(set(g.dropna()) - set(pdg))
    if unknown:
        raise InputError("grades", f"grades of the scale {order}", unknown[:5],
                         "give a PD for every grade")
    bad = [k for k, v in pdg.items() if not (0 < v < 1)]
    if bad:
        raise InputError("pd_by_grade", "PDs in (0, 1)", {k: pdg[k] for k in bad[:3]},
                         "fix the grade PDs")
    ok = g.notna().to_numpy()
    df = pd.DataFrame({"grade": g[ok].to_numpy(), "y": yv[ok]})
    agg = df.groupby("grade")["y"].agg(["size", "sum"]).reindex(order, fill_value=0)
    n = agg["size"].to_numpy().astype("int64")
    d = agg["sum"].to_numpy().astype("int64")
    p = np.array([pdg[k] for k in order])
    with np.errstate(divide="ignore", invalid="ignore"):
        obs = np.where(n > 0, d / np.maximum(n, 1), np.nan)
    binom_p = np.where(n > 0, stats.binom.sf(d - 1, n, p), np.nan)
    a, b = d + 0.5, n - d + 0.5
    jeff_p = np.where(n > 0, stats.beta.cdf(p, a, b), np.nan)
    lo = np.where(n > 0, stats.beta.ppf(0.025, a, b), np.nan)
    hi = np.where(n > 0, stats.beta.ppf(0.975, a, b), np.nan)
    pv = jeff_p if test == "jeffreys" else binom_p
    light = np.where(n == 0, "none", np.where(pv < red, "red", np.where(pv < amber, "amber",
                                                                         "green")))
    table = pd.DataFrame({"n": n, "defaults": d, "observed_rate": obs, "pd": p,
                          "expected": n * p, "binomial_pvalue": binom_p,
                          "jeffreys_pvalue": jeff_p, "jeffreys_low": lo, "jeffreys_high": hi,
                          "light": pd.array(light, dtype="str")},
                         index=pd.Index(order, name="grade", dtype="str"))
    return BacktestResult(table=table, test=test, levels=(amber, red))


def _edges_from(expected: np.ndarray, bins) -> np.ndarray:
    if isinstance(bins, int | np.integer) and not isinstance(bins, bool):
        check_number("bins", bins, 2, 1000, integer=True)
        e = expected[~np.isnan(expected)]
        if e.size == 0:
            raise InputError("expected", "at least one non-missing value", "only NaN",
                             "pass the reference sample")
        q = np.unique(np.quantile(e, np.arange(1, int(bins)) / int(bins)))
        return q[q > e.min()]
    edges = np.asarray(bins, dtype="float64")
    if edges.ndim != 1 or np.any(np.diff(edges) <= 0) or np.isnan(edges).any():
        raise InputError("bins", "a number of bins or increasing inner cut points", bins,
                         "e.g. bins=10")
    return edges


def population_stability(expected, actual, bins: int | np.ndarray = 10, *,
                         name: str = "score") -> StabilityResult:
    """PSI of a score (or any numeric variable) between a reference and a current sample.

    ``bins``: a number of bins (cut at the reference's quantiles; intervals ``[a, b)``) or the
    inner cut points. NaN gets its own bin.
    """
    e = np.asarray(expected, dtype="float64").ravel()
    a = np.asarray(actual, dtype="float64").ravel()
    if e.size == 0 or a.size == 0:
        raise InputError("expected/actual", "two non-empty samples",
                         f"sizes {e.size} and {a.size}", "pass both samples")
    if np.isinf(e).any() or np.isinf(a).any():
        raise InputError("expected/actual", "finite values or NaN", "infinite values",
                         "replace ±inf by NaN")
    edges = _edges_from(e, bins)
    k = edges.size + 1

    def codes(v):
        c = np.searchsorted(edges, v, side="right")
        return np.where(np.isnan(v), k, c)

    ce = np.bincount(codes(e), minlength=k + 1).astype("float64")
    ca = np.bincount(codes(a), minlength=k + 1).astype("float64")
    keep = np.arange(k + 1) < k
    keep[k] = ce[k] + ca[k] > 0  # the NaN bin only when used
    ce, ca = ce[keep], ca[keep]
    val, es, as_, contrib = _psi_counts(ce, ca)
    lo = np.concatenate([[-np.inf], edges])
    hi = np.concatenate([edges, [np.inf]])
    labels = [f"[{x:.6g}, {y:.6g})" for x, y in zip(lo, hi, strict=True)] + ["NaN"]
    table = pd.DataFrame({"bin": pd.array(np.array(labels)[keep], dtype="str"),
                          "expected_count": ce.astype("int64"), "actual_count": ca.astype("int64"),
                          "expected_share": es, "actual_share": as_, "psi": contrib})
    return StabilityResult(psi=val, status=_psi_status(val), name=name, table=table)


def characteristic_stability(model, X_expected, X_actual) -> CharacteristicStabilityResult:
    """Per-variable stability (CSI) on the bins of a fitted binning or scorecard.

    Parameters
    ----------
    model : WoEBinner or Scorecard (fitted)
        Bins to use; a scorecard restricts to its selected variables and adds the points shift.
    X_expected, X_actual : DataFrame
        Reference (development) and current samples.

    Returns
    -------
    CharacteristicStabilityResult
        ``table`` indexed by variable: ``csi``, ``status``, and ``points_shift`` (scorecard:
        Σ_i (a_i − e_i)·points_i, the average points change due to that variable);
        ``details[var]`` the per-bin table.
    """
    if isinstance(model, Scorecard):
        binner, variables = model.binning_, list(model.features_)
        points = model._points_lookup
    elif isinstance(model, WoEBinner):
        binner, variables, points = model, list(model.variables_), None
    else:
        raise InputError("model", "a fitted WoEBinner or Scorecard", type(model).__name__,
                         "fit a binning or a scorecard first")
    ce_all = binner.transform_bins(X_expected[list(binner.variables_)])
    ca_all = binner.transform_bins(X_actual[list(binner.variables_)])
    rows, details = [], {}
    for v in variables:
        t = binner.variables_[v].table
        k = len(t)
        ce = np.bincount(ce_all[v].to_numpy(), minlength=k).astype("float64")
        ca = np.bincount(ca_all[v].to_numpy(), minlength=k).astype("float64")
        used = (ce + ca) > 0
        val, es, as_, contrib = _psi_counts(ce[used], ca[used])
        det = pd.DataFrame({"bin": t["bin"].to_numpy()[used], "expected_count": ce[used],
                            "actual_count": ca[used], "expected_share": es,
                            "actual_share": as_, "psi": contrib})
        row = {"variable": v, "csi": val, "status": _psi_status(val)}
        if points is not None:
            pts = points[v][used]
            det["points"] = pts
            row["points_shift"] = float(np.sum((ca[used] / ca.sum() - ce[used] / ce.sum())
                                               * pts))
        details[v] = det
        rows.append(row)
    table = pd.DataFrame(rows).set_index("variable")
    table["status"] = table["status"].astype("str")
    return CharacteristicStabilityResult(table=table.sort_values("csi", ascending=False),
                                         details=details)

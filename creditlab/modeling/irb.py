"""Validation tests of the bank analyst (IRB validation practice).

:func:`jeffreys_test` is the test of the ECB's *Instructions for reporting the validation results
of internal models* (IRB, February 2019, section 2.5.3.1, "Jeffreys test"), run on the whole
portfolio (or one grade): with D defaults among N obligors and a PD estimate PD, the posterior of
the default rate under the Jeffreys prior Beta(1/2, 1/2) is Beta(D + 1/2, N − D + 1/2); the
one-sided p-value of H0 "the PD is not underestimated" is its distribution function at PD,

    p = F_Beta(D + 1/2, N − D + 1/2)(PD).

A small p-value (many more defaults than the PD predicts) rejects the PD. The traffic light uses
the levels of :data:`creditlab.modeling.validation.TRAFFIC_LIGHT_LEVELS` (5 %, 0.1 %). Per grade,
the same test is :func:`creditlab.modeling.backtest_grades` (``test="jeffreys"``).

The rest of the bank analyst's toolkit: the long-run average default rate and the anchoring of
point-in-time PDs on it (:func:`long_run_average`, :func:`anchor_to_long_run`), the margin of
conservatism (:func:`margin_of_conservatism`), rating migration matrices with stability
statistics (:func:`migration_matrix`) and the test of the AUC against the initial validation
(:func:`auc_change_test`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from creditlab.exceptions import InputError
from creditlab.modeling._common import check_choice, check_number
from creditlab.modeling.calibration import prior_shift
from creditlab.modeling.validation import TRAFFIC_LIGHT_LEVELS, _delong, _xy

__all__ = ["jeffreys_test", "long_run_average", "anchor_to_long_run", "margin_of_conservatism",
           "migration_matrix", "auc_change_test"]


def jeffreys_test(defaults: int, n: int, pd_: float,
                  levels: tuple[float, float] = TRAFFIC_LIGHT_LEVELS) -> dict:
    """One-sided Jeffreys test of a PD against observed defaults (see the module docstring).

    Parameters
    ----------
    defaults : int
        Observed defaults D (0 <= D <= n).
    n : int
        Obligors N (> 0).
    pd_ : float
        The PD estimate in (0, 1): the average PD of the portfolio, or a grade's PD.
    levels : (amber, red)
        p-value levels of the traffic light.

    Returns
    -------
    dict
        ``n``, ``defaults``, ``observed_rate``, ``pd``, ``pvalue``, ``low`` and ``high``
        (95 % Jeffreys interval of the default rate), ``light`` (green/amber/red).
    """
    check_number("n", n, 1, None, integer=True)
    check_number("defaults", defaults, 0, n, integer=True)
    check_number("pd_", pd_, 0, 1, lo_open=True, hi_open=True)
    a, b = defaults + 0.5, n - defaults + 0.5
    p = float(stats.beta.cdf(pd_, a, b))
    amber, red = levels
    light = "red" if p < red else "amber" if p < amber else "green"
    return {"n": int(n), "defaults": int(defaults), "observed_rate": defaults / n,
            "pd": float(pd_), "pvalue": p, "low": float(stats.beta.ppf(0.025, a, b)),
            "high": float(stats.beta.ppf(0.975, a, b)), "light": light}


# ---------------------------------------------------------------------- through the cycle
def long_run_average(defaults, n, *, weighting: str = "arithmetic") -> dict:
    """Long-run average (LRA) default rate from a history of one-year default rates.

    **Point in time (PIT) vs through the cycle (TTC).** A model fitted on one or two years of
    outcomes gives PIT PDs: they follow the economy (low in a boom, high in a recession). The
    regulatory PD of a grade is anchored on the **long-run average of one-year default rates**
    (CRR art. 180(1)(a)): the mean over a period covering a full economic cycle (at least five
    years, CRR art. 180(1)(h); EBA GL/2017/16 §§ 80-86 on the likely range of variability).
    Anchoring the calibrated PDs on the LRA (:func:`anchor_to_long_run`) keeps the ranking of the
    model and moves its level to TTC, so capital and limits do not swing with the cycle.

    Parameters
    ----------
    defaults, n : array-like of int, one value per year (or period)
        Defaults D_t and obligors N_t at the start of each year (N_t > 0, 0 <= D_t <= N_t).
    weighting : {"arithmetic", "pooled"}
        ``"arithmetic"``: mean of the yearly rates ``(1/T) Σ D_t/N_t`` (EBA GL/2017/16 § 80:
        the arithmetic average of one-year default rates); ``"pooled"``: ``Σ D_t / Σ N_t``
        (each obligor-year weighs the same; lower when the portfolio grew in good years).

    Returns
    -------
    dict
        ``rate`` (the LRA), ``years``, ``rates`` (yearly rates), ``min``, ``max``,
        ``weighting``. Fewer than five years are allowed but ``short_history`` is True.
    """
    check_choice(weighting, "weighting", ("arithmetic", "pooled"))
    d = np.asarray(defaults, dtype="float64")
    nn = np.asarray(n, dtype="float64")
    if d.ndim != 1 or d.shape != nn.shape or d.size == 0:
        raise InputError("defaults, n", "two 1-D sequences of the same length (one per year)",
                         f"shapes {d.shape} and {nn.shape}", "pass one value per year")
    if not (np.isfinite(d).all() and np.isfinite(nn).all()) or (nn <= 0).any() or \
            (d < 0).any() or (d > nn).any():
        raise InputError("defaults, n", "0 <= defaults <= n and n > 0 every year",
                         f"defaults={d.tolist()[:5]}, n={nn.tolist()[:5]}", "fix the history")
    rates = d / nn
    rate = float(rates.mean()) if weighting == "arithmetic" else float(d.sum() / nn.sum())
    return {"rate": rate, "years": int(d.size), "rates": rates, "min": float(rates.min()),
            "max": float(rates.max()), "weighting": weighting, "short_history": d.size < 5}


def anchor_to_long_run(pd_pit, long_run_rate: float) -> np.ndarray:
    """TTC PDs: the PIT PDs shifted on the log-odds scale so that their **mean** equals the
    long-run average rate (calibration in the large, :func:`creditlab.modeling.prior_shift`
    with ``match="mean"``); the ranking is unchanged. See :func:`long_run_average`."""
    return prior_shift(pd_pit, long_run_rate, match="mean")


def margin_of_conservatism(pd_, moc) -> np.ndarray:
    """PDs with a margin of conservatism (MoC) added, capped at 1.

    EBA GL/2017/16 §§ 36-47: the best estimate is increased by a margin for identified data
    and methodology deficiencies (category A), relevant changes to processes or the economy
    (category B) and the general estimation error (category C); the institution quantifies
    each and adds them. Here the margin is **additive in PD points** (0.002 = +0.2 point) and
    ``moc`` is a number or a dict ``{"A": ..., "B": ..., "C": ...}`` whose values are summed.
    NaN stays NaN; the result is capped at 1 (a PD is a probability).
    """
    parts = moc.values() if isinstance(moc, dict) else [moc]
    total = 0.0
    for v in parts:
        check_number("moc", v, 0, 1)
        total += float(v)
    p = np.asarray(pd_, dtype="float64")
    if ((p < 0) | (p > 1)).any():
        raise InputError("pd_", "PDs in [0, 1]", p[(p < 0) | (p > 1)][:3].tolist(),
                         "pass PDs as fractions")
    return np.minimum(p + total, 1.0)


# ---------------------------------------------------------------------- rating migrations
def migration_matrix(grades_before, grades_after, order) -> dict:
    """Rating migration matrix between two dates, with stability statistics.

    Parameters
    ----------
    grades_before, grades_after : array-like of str
        Grade of each obligor at the two dates (same obligors, aligned; a missing grade at
        either date drops the obligor: it entered, left or defaulted).
    order : sequence of str
        Grades from the safest to the riskiest (e.g. the master scale's labels).

    Returns
    -------
    dict
        ``counts`` (DataFrame, rows = grade before, columns = grade after), ``rates`` (each row
        divided by its total; NaN for an empty row), ``n``, ``stable`` (share on the diagonal),
        ``upgrades`` (share moved to a safer grade), ``downgrades``, ``within_one`` (share
        moved by at most one grade), ``mean_notches`` (weighted mobility index: the average
        number of grades moved, ``Σ n_ij |i − j| / N``), ``shorrocks`` (Shorrocks' mobility
        index ``(K − trace P) / (K − 1)`` of the row-rate matrix P over the non-empty rows:
        0 = nobody moves, 1 = nobody stays; A. F. Shorrocks 1978, *Econometrica* 46(5);
        Jafry & Schuermann 2004, *J. Banking & Finance* 28(11)), ``mwb_upper`` and
        ``mwb_lower`` (the ECB's matrix weighted bandwidths, below).

    Notes
    -----
    **Matrix weighted bandwidth (MWB).** ECB, *Instructions for reporting the validation
    results of internal models — IRB Pillar I models for credit risk* (February 2019), PD
    stability tests, "customer migrations". With K grades numbered 1 (safest) to K
    (riskiest), n_ij the obligors in grade i at the first date and j at the second,
    N_i = Σ_j n_ij and p_ij = n_ij / N_i:

        MWB_upper = (1 / M_upper) Σ_{i=1}^{K−1} Σ_{j=i+1}^{K} |i − j| N_i p_ij
        MWB_lower = (1 / M_lower) Σ_{i=2}^{K} Σ_{j=1}^{i−1} |i − j| N_i p_ij

    normalised by the bandwidth the same moves would have if each went as far as possible
    from its grade, max(|i − 1|, |i − K|) being the distance from grade i to the farther end
    of the scale:

        M_upper = Σ_{i=1}^{K−1} max(|i − 1|, |i − K|) N_i Σ_{j=i+1}^{K} p_ij
        M_lower = Σ_{i=2}^{K} max(|i − 1|, |i − K|) N_i Σ_{j=1}^{i−1} p_ij

    so each lies in (0, 1]: the smaller, the closer to the diagonal the moves stay. The
    **upper** MWB measures the moves above the diagonal (to a riskier grade: downgrades), the
    **lower** MWB those below it (upgrades). Both are NaN when nobody moved in that direction
    (0/0: no bandwidth to measure) and when the scale has a single grade. Checked against the
    example of MATLAB's
    ``risk.validation.matrixWeightedBandwidth`` (5 × 5 counts: lower 0.3306, upper 0.6066).
    """
    order = [str(g) for g in order]
    a = pd.Series(np.asarray(grades_before, dtype=object))
    b = pd.Series(np.asarray(grades_after, dtype=object))
    if a.size != b.size:
        raise InputError("grades_after", f"{a.size} grades (aligned with grades_before)",
                         b.size, "align the two dates on the obligor")
    ok = a.notna().to_numpy() & b.notna().to_numpy()
    a, b = a[ok].astype(str), b[ok].astype(str)
    unknown = sorted((set(a) | set(b)) - set(order))
    if unknown:
        raise InputError("grades", f"grades of the scale {order}", unknown[:5],
                         "pass the scale's order")
    K = len(order)
    pos = {g: i for i, g in enumerate(order)}
    i, j = a.map(pos).to_numpy(dtype="int64"), b.map(pos).to_numpy(dtype="int64")
    counts = np.bincount(i * K + j, minlength=K * K).reshape(K, K)
    n = int(counts.sum())
    if n == 0:
        raise InputError("grades", "at least one obligor graded at both dates", 0,
                         "check the alignment")
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = counts / counts.sum(axis=1, keepdims=True)
    dist = np.abs(np.subtract.outer(np.arange(K), np.arange(K)))
    rows = counts.sum(axis=1) > 0
    k_used = int(rows.sum())
    trace = float(np.trace(rates[np.ix_(rows, rows)])) if k_used else 0.0
    mwb_upper, mwb_lower = _matrix_weighted_bandwidth(counts)
    idx = pd.Index(order, name="before")
    return {"counts": pd.DataFrame(counts, index=idx, columns=pd.Index(order, name="after")),
            "rates": pd.DataFrame(rates, index=idx, columns=pd.Index(order, name="after")),
            "n": n, "stable": float(np.trace(counts)) / n,
            "upgrades": float(np.tril(counts, -1).sum()) / n,
            "downgrades": float(np.triu(counts, 1).sum()) / n,
            "within_one": float(counts[dist <= 1].sum()) / n,
            "mean_notches": float((counts * dist).sum()) / n,
            "shorrocks": (k_used - trace) / (k_used - 1) if k_used > 1 else 0.0,
            "mwb_upper": mwb_upper, "mwb_lower": mwb_lower}


def _matrix_weighted_bandwidth(counts: np.ndarray) -> tuple[float, float]:
    """Upper and lower MWB of a K × K count matrix (see :func:`migration_matrix`, Notes).
    N_i p_ij = n_ij, so both sums are written on the counts."""
    K = counts.shape[0]
    if K < 2:
        return float("nan"), float("nan")
    grade = np.arange(1, K + 1)
    dist = np.abs(np.subtract.outer(grade, grade)).astype("float64")
    reach = np.maximum(grade - 1, K - grade).astype("float64")[:, None]   # per row i
    c = counts.astype("float64")
    out = []
    for part in (np.triu(c, 1), np.tril(c, -1)):
        top, most = float((dist * part).sum()), float((reach * part).sum())
        out.append(top / most if most > 0 else float("nan"))
    return out[0], out[1]


# ---------------------------------------------------------------------- discrimination
def auc_change_test(y, score, initial_auc: float, *, higher_is_risk: bool = True,
                    levels: tuple[float, float] = TRAFFIC_LIGHT_LEVELS) -> dict:
    """Test of the change of the AUC against the AUC at the initial validation.

    ECB, *Instructions for reporting the validation results of internal models* (2019),
    section 2.5.2 ("current AUC vs AUC at initial validation"): with the current AUC and its
    standard error s, the statistic ``S = (AUC_initial − AUC_current) / s`` is compared with the
    standard normal, one-sided: ``p = 1 − Φ(S)``; a small p-value says the discriminatory power
    has deteriorated. The standard error used here is **DeLong's** (DeLong, DeLong &
    Clarke-Pearson 1988, *Biometrics* 44(3): the variance of the Mann-Whitney statistic from its
    structural components), as in :func:`creditlab.modeling.delong_ci`; the initial AUC is
    treated as a fixed number.

    Returns
    -------
    dict
        ``auc_initial``, ``auc_current``, ``std_err``, ``statistic``, ``pvalue``, ``light``
        (green/amber/red at ``levels``).
    """
    check_number("initial_auc", initial_auc, 0, 1)
    yv, s = _xy(y, score, higher_is_risk=higher_is_risk)
    auc, var = _delong(yv, s)
    se = float(np.sqrt(var))
    if se == 0:
        raise InputError("score", "a score whose AUC has a positive standard error",
                         "a standard error of 0", "use more than one default and non-default")
    stat = (float(initial_auc) - auc) / se
    p = float(stats.norm.sf(stat))
    amber, red = levels
    return {"auc_initial": float(initial_auc), "auc_current": auc, "std_err": se,
            "statistic": stat, "pvalue": p,
            "light": "red" if p < red else "amber" if p < amber else "green"}

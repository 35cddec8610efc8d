"""Validation statistics against hand computations on small vectors and against scipy/sklearn.

Sources: AUC = Mann-Whitney U/(m·n); Gini = AR = 2·AUC − 1 (Engelmann, Hayden & Tasche 2003,
"Testing rating accuracy", Risk 16(1)); DeLong et al. (1988), Biometrics 44; Hosmer & Lemeshow,
Applied Logistic Regression (2000), §5.2.2; Jeffreys test: ECB, Instructions for reporting the
validation results of internal models (2019), §2.5.3.1; PSI: Siddiqi (2006), ch. 8.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.metrics import brier_score_loss, roc_auc_score

from creditlab.exceptions import InputError
from creditlab.modeling import (
    MasterScale,
    Scorecard,
    backtest_grades,
    brier_score,
    calibration_test,
    characteristic_stability,
    delong_ci,
    discrimination,
    hosmer_lemeshow,
    ks_statistic,
    population_stability,
    psi,
    roc_auc,
)

Y = np.array([0, 0, 1, 1, 0, 1, 0, 0])
S = np.array([0.10, 0.40, 0.35, 0.80, 0.20, 0.90, 0.35, 0.05])


def test_auc_hand_and_sklearn():
    """Pairs (default, non-default) = 3 × 5 = 15. Default 0.35 beats 0.10, 0.20, 0.05, ties 0.35
    (½), loses to 0.40: 3.5; 0.80 and 0.90 beat all 5: 10. AUC = 13.5 / 15 = 0.9."""
    assert roc_auc(Y, S) == pytest.approx(13.5 / 15)
    assert roc_auc(Y, S) == pytest.approx(roc_auc_score(Y, S))
    # a safety-oriented score (points) gives the same AUC with higher_is_risk=False
    assert roc_auc(Y, -S, higher_is_risk=False) == pytest.approx(0.9)
    d = discrimination(Y, S)
    assert d.gini == pytest.approx(2 * 0.9 - 1)
    assert d.accuracy_ratio == pytest.approx(d.gini, abs=1e-12)  # AR from the CAP area = Gini


def test_delong_variance_by_structural_components():
    """DeLong (1988): V10_i = mean_j ψ(X_i, Y_j), V01_j = mean_i ψ(X_i, Y_j), ψ = 1, ½, 0;
    var = s²(V10)/m + s²(V01)/n — computed here with explicit pairs."""
    rng = np.random.default_rng(1)
    y = (rng.random(60) < 0.3).astype(int)
    s = np.round(rng.normal(y * 0.8, 1.0), 1)  # rounding creates ties
    pos, neg = s[y == 1], s[y == 0]
    psi_ = (pos[:, None] > neg[None, :]) + 0.5 * (pos[:, None] == neg[None, :])
    v10, v01 = psi_.mean(axis=1), psi_.mean(axis=0)
    var = v10.var(ddof=1) / pos.size + v01.var(ddof=1) / neg.size
    auc, se, (lo, hi) = delong_ci(y, s)
    assert auc == pytest.approx(psi_.mean()) and auc == pytest.approx(roc_auc_score(y, s))
    assert se == pytest.approx(math.sqrt(var), rel=1e-10)
    assert lo == pytest.approx(auc - stats.norm.ppf(0.975) * se)
    assert hi == pytest.approx(min(1.0, auc + 1.959963985 * se))
    boot = discrimination(y, s, ci="bootstrap", n_boot=400, seed=3)
    assert boot.auc_ci[0] < auc < boot.auc_ci[1]
    assert boot.auc_se == pytest.approx(se, rel=0.35)


def test_ks_against_scipy():
    rng = np.random.default_rng(2)
    y = (rng.random(300) < 0.2).astype(int)
    s = rng.normal(y, 1.0)
    ks, thr = ks_statistic(y, s)
    assert ks == pytest.approx(stats.ks_2samp(s[y == 1], s[y == 0]).statistic)
    # threshold: where the empirical CDFs differ by ks
    f1 = np.mean(s[y == 1] <= thr)
    f0 = np.mean(s[y == 0] <= thr)
    assert abs(f0 - f1) == pytest.approx(ks)
    assert discrimination(y, -s, higher_is_risk=False).ks == pytest.approx(ks)
    # hand: Y/S above — defaults {0.35, 0.8, 0.9}, non-defaults {0.05, 0.1, 0.2, 0.35, 0.4}:
    # at t = 0.4, F0 = 5/5 and F1 = 1/3 → 2/3, the maximum (t = 0.2: 3/5 − 0 = 0.6)
    assert ks_statistic(Y, S) == (pytest.approx(2 / 3), pytest.approx(0.4))


def test_brier_hand_and_sklearn():
    p = np.array([0.1, 0.2, 0.7, 0.9])
    y = np.array([0, 1, 1, 0])
    hand = (0.01 + 0.64 + 0.09 + 0.81) / 4
    assert brier_score(y, p) == pytest.approx(hand) == pytest.approx(0.3875)
    assert brier_score(y, p) == pytest.approx(brier_score_loss(y, p))


def test_hosmer_lemeshow_hand_example():
    """6 PDs in 3 groups of 2: (0.1, 0.2) O=0 E=0.3; (0.3, 0.4) O=1 E=0.7; (0.5, 0.6) O=2 E=1.1.
    HL = Σ (O − E)² / (E (1 − E/n)) = 0.09/0.255 + 0.09/0.455 + 0.81/0.495, df = g − 2 = 1."""
    p = np.array([0.6, 0.1, 0.3, 0.2, 0.5, 0.4])
    y = np.array([1, 0, 0, 0, 1, 1])
    hl, df, pval, table = hosmer_lemeshow(y, p, n_groups=3)
    hand = 0.09 / 0.255 + 0.09 / 0.455 + 0.81 / 0.495
    assert hl == pytest.approx(hand) and hl == pytest.approx(2.188, abs=1e-3)
    assert df == 1 and pval == pytest.approx(stats.chi2.sf(hand, 1))
    assert table["events"].tolist() == [0, 1, 2]
    assert table["expected"].tolist() == pytest.approx([0.3, 0.7, 1.1])
    c = calibration_test(y, p, n_groups=3)
    assert c.hl_statistic == pytest.approx(hand) and c.brier == pytest.approx(brier_score(y, p))
    assert c.brier_reference == pytest.approx(0.25) and c.mean_pd == pytest.approx(0.35)


def test_backtest_binomial_and_jeffreys_vs_scipy():
    """Grade A: n = 100, 5 defaults at PD 2 %; grade B: n = 50, 1 default at PD 5 %; grade C:
    n = 20, 12 defaults at PD 20 %."""
    grades = ["A"] * 100 + ["B"] * 50 + ["C"] * 20
    y = np.array([1] * 5 + [0] * 95 + [1] + [0] * 49 + [1] * 12 + [0] * 8)
    res = backtest_grades(y, grades, {"A": 0.02, "B": 0.05, "C": 0.20})
    t = res.table
    binom_a = 1 - sum(math.comb(100, k) * 0.02 ** k * 0.98 ** (100 - k) for k in range(5))
    assert t.loc["A", "binomial_pvalue"] == pytest.approx(binom_a, rel=1e-9)
    assert t.loc["A", "binomial_pvalue"] == pytest.approx(
        stats.binomtest(5, 100, 0.02, alternative="greater").pvalue)
    assert t.loc["A", "jeffreys_pvalue"] == pytest.approx(stats.beta.cdf(0.02, 5.5, 95.5))
    assert t.loc["C", "jeffreys_pvalue"] == pytest.approx(stats.beta.cdf(0.20, 12.5, 8.5))
    assert t.loc["A", "jeffreys_low"] == pytest.approx(stats.beta.ppf(0.025, 5.5, 95.5))
    assert t["n"].tolist() == [100, 50, 20] and t["defaults"].tolist() == [5, 1, 12]
    # A: p ≈ 0.04 → amber; B: 1 default where 2.5 expected → green; C: 12/20 at 20 % → red
    assert t["light"].tolist() == ["amber", "green", "red"]
    assert res.n_red == 1 and res.n_amber == 1
    b = backtest_grades(y, grades, {"A": 0.02, "B": 0.05, "C": 0.20}, test="binomial")
    # the exact binomial is more conservative than Jeffreys here: p(A) = 0.051 > 5 % → green
    assert t.loc["A", "binomial_pvalue"] > 0.05 > t.loc["A", "jeffreys_pvalue"]
    assert b.table["light"].tolist() == ["green", "green", "red"]
    # with a master scale: empty grades are reported with light "none"
    scale = MasterScale(bounds=(0.001, 0.01, 0.1, 1.0), labels=("A", "B", "C"))
    t2 = backtest_grades(y[:100], grades[:100], scale).table
    assert t2.loc["B", "light"] == "none" and t2.loc["A", "pd"] == pytest.approx(math.sqrt(1e-5))
    ax = res.plot_backtest()
    assert ax is not None
    plt.close("all")


def test_psi_hand_example():
    """Reference shares (0.5, 0.3, 0.2), current (0.4, 0.3, 0.3):
    PSI = (0.4−0.5) ln(0.4/0.5) + 0 + (0.3−0.2) ln(0.3/0.2) = 0.06286."""
    e = np.repeat([0.5, 1.5, 2.5], [50, 30, 20])
    a = np.repeat([0.5, 1.5, 2.5], [40, 30, 30])
    hand = -0.1 * math.log(0.8) + 0.1 * math.log(1.5)
    res = population_stability(e, a, bins=np.array([1.0, 2.0]))
    assert res.psi == pytest.approx(hand) and res.psi == pytest.approx(0.06286, abs=1e-5)
    assert res.status == "stable"
    assert psi(e, e, bins=np.array([1.0, 2.0])) == 0.0
    shifted = population_stability(e, a + 1.0, bins=np.array([1.0, 2.0]))
    assert shifted.status == "shift" and shifted.psi > 0.25
    # NaN has its own bin
    withnan = population_stability(np.append(e, [np.nan] * 10), a, bins=np.array([1.0, 2.0]))
    assert withnan.table["bin"].iloc[-1] == "NaN" and withnan.psi > res.psi


def test_characteristic_stability_scorecard():
    rng = np.random.default_rng(7)
    n = 2000
    X = pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n)})
    y = (rng.random(n) < 1 / (1 + np.exp(3 - X["a"] + X["b"]))).astype(int)
    sc = Scorecard().fit(X, y)
    X2 = X.assign(a=X["a"] + 0.8)
    cs = characteristic_stability(sc, X, X2)
    assert cs.table.loc["a", "csi"] > 0.1 and cs.table.loc["b", "csi"] == pytest.approx(0.0)
    # shifting 'a' upward (riskier) costs points on average
    assert cs.table.loc["a", "points_shift"] < 0
    # the total points change equals the sum of the per-variable shifts
    dpts = sc.points(X2).mean() - sc.points(X).mean()
    assert cs.table["points_shift"].sum() == pytest.approx(dpts)


def test_bad_inputs():
    with pytest.raises(InputError, match="only one class"):
        roc_auc(np.zeros(5), np.arange(5.0))
    with pytest.raises(InputError, match="binary target"):
        roc_auc(np.array([0, 1, 2]), np.arange(3.0))
    with pytest.raises(InputError, match="score"):
        roc_auc(Y, S[:-1])
    with pytest.raises(InputError, match="non-finite"):
        roc_auc(Y, np.where(S > 0.8, np.nan, S))
    with pytest.raises(InputError, match=r"probabilities in \[0, 1\]"):
        brier_score(Y, S * 2)
    with pytest.raises(InputError, match="grades"):
        backtest_grades(Y, ["A"] * 8, {"B": 0.1})
    with pytest.raises(InputError, match="levels"):
        backtest_grades(Y, ["A"] * 8, {"A": 0.1}, levels=(0.001, 0.05))
    with pytest.raises(InputError, match="bins"):
        psi(S, S, bins=np.array([2.0, 1.0]))

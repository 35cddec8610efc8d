"""The portfolio-level Jeffreys test (ECB instructions for IRB validation)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from creditlab.exceptions import InputError
from creditlab.modeling import jeffreys_test


def _beta_cdf(x: float, a: float, b: float) -> float:
    """Beta distribution function by numerical integration (independent of scipy.stats);
    substitution t = u**2 removes the singularity of the density at 0 when a = 1/2 + D."""
    u = np.linspace(0.0, math.sqrt(x), 200_001)
    t = u ** 2
    dens = t ** (a - 1) * (1 - t) ** (b - 1) * 2 * u
    dens[0] = 0.0 if a > 0.5 else 2.0  # limit of 2u·u^(2a-2) at u = 0
    log_beta = math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)
    return float(np.trapezoid(dens, u) / math.exp(log_beta))


def test_jeffreys_pvalue_is_the_posterior_cdf_at_the_pd():
    r = jeffreys_test(defaults=12, n=400, pd_=0.02)
    assert r["pvalue"] == pytest.approx(_beta_cdf(0.02, 12.5, 388.5), rel=1e-5)
    assert r["observed_rate"] == 0.03 and r["low"] < 0.03 < r["high"]
    # 12 defaults where 8 are expected: not rejected at 5 %
    assert r["light"] == "green"
    # 30 defaults where 8 are expected: red
    assert jeffreys_test(30, 400, 0.02)["light"] == "red"
    # fewer defaults than expected: p close to 1
    assert jeffreys_test(0, 400, 0.02)["pvalue"] > 0.99


def test_jeffreys_checks_inputs():
    with pytest.raises(InputError, match="defaults"):
        jeffreys_test(5, 4, 0.1)
    with pytest.raises(InputError, match="pd_"):
        jeffreys_test(1, 10, 0.0)


# ---------------------------------------------------------------- the analyst's toolkit
def test_long_run_average_by_hand():
    from creditlab.modeling import long_run_average

    # yearly rates 2 %, 5 %, 2 %, 2 %, 3 %: arithmetic mean 2.8 % (EBA GL/2017/16 § 80),
    # pooled 15 / 550
    r = long_run_average([2, 5, 1, 4, 3], [100, 100, 50, 200, 100])
    assert r["rate"] == pytest.approx(0.028)
    assert (r["min"], r["max"], r["years"], r["short_history"]) == (0.02, 0.05, 5, False)
    assert long_run_average([2, 5, 1, 4, 3], [100, 100, 50, 200, 100],
                            weighting="pooled")["rate"] == pytest.approx(15 / 550)
    assert long_run_average([1], [10])["short_history"]
    with pytest.raises(InputError, match="defaults"):
        long_run_average([5], [4])


def test_anchor_to_long_run_keeps_the_ranking_and_sets_the_mean():
    from creditlab.modeling import anchor_to_long_run

    pit = np.array([0.01, 0.02, 0.05, 0.10, 0.30])
    ttc = anchor_to_long_run(pit, 0.028)
    assert ttc.mean() == pytest.approx(0.028, abs=1e-10)
    assert (np.diff(ttc) > 0).all()


def test_margin_of_conservatism_added_and_capped():
    from creditlab.modeling import margin_of_conservatism

    out = margin_of_conservatism([0.01, 0.999, np.nan], {"A": 0.002, "C": 0.001})
    np.testing.assert_allclose(out[:2], [0.013, 1.0])
    assert np.isnan(out[2])
    with pytest.raises(InputError, match="moc"):
        margin_of_conservatism([0.01], -0.01)


def test_migration_matrix_by_hand():
    from creditlab.modeling import migration_matrix

    before = ["A", "A", "B", "B", "C", "C", "C", "A", None]
    after = ["A", "B", "B", "A", "C", "B", "A", "A", "C"]
    r = migration_matrix(before, after, order=["A", "B", "C"])
    assert r["counts"].to_numpy().tolist() == [[2, 1, 0], [1, 1, 0], [1, 1, 1]]
    assert r["n"] == 8
    assert r["stable"] == 0.5
    assert r["upgrades"] == 3 / 8 and r["downgrades"] == 1 / 8
    assert r["within_one"] == 7 / 8
    assert r["mean_notches"] == 5 / 8
    # trace of the row rates 2/3 + 1/2 + 1/3 = 1.5 -> (3 - 1.5) / 2
    assert r["shorrocks"] == pytest.approx(0.75)
    with pytest.raises(InputError, match="grades"):
        migration_matrix(["A"], ["Z"], order=["A", "B"])


def test_auc_change_test_by_hand():
    from scipy import stats

    from creditlab.modeling import auc_change_test

    # positives 0.9, 0.4; negatives 0.5, 0.2, 0.1: AUC 5/6; DeLong components
    # V10 = [1, 2/3] (var 1/18, /2), V01 = [1/2, 1, 1] (var 1/12, /3): variance 1/18
    r = auc_change_test([1, 1, 0, 0, 0], [0.9, 0.4, 0.5, 0.2, 0.1], initial_auc=0.9)
    assert r["auc_current"] == pytest.approx(5 / 6)
    assert r["std_err"] == pytest.approx(math.sqrt(1 / 18))
    s = (0.9 - 5 / 6) / math.sqrt(1 / 18)
    assert r["statistic"] == pytest.approx(s)
    assert r["pvalue"] == pytest.approx(1 - stats.norm.cdf(s)) and r["light"] == "green"
    # a large fall of the AUC is red
    assert auc_change_test([1, 0] * 200, np.r_[np.linspace(0, 1, 200), np.linspace(0, 1, 200)],
                           initial_auc=0.8)["light"] in ("red",)


# ---------------------------------------------------------------- matrix weighted bandwidth
def _grades_from_counts(counts, order):
    """Aligned grade lists whose migration counts are ``counts`` (rows before, columns after)."""
    counts = np.asarray(counts)
    i, j = np.nonzero(counts)
    reps = counts[i, j]
    return (np.repeat(np.array(order)[i], reps).tolist(),
            np.repeat(np.array(order)[j], reps).tolist())


def test_matrix_weighted_bandwidth_by_hand():
    from creditlab.modeling import migration_matrix

    # 4 grades; reach max(|i-1|, |i-4|) of rows 1..4 = 3, 2, 2, 3
    counts = [[5, 2, 1, 0],
              [1, 6, 2, 1],
              [0, 3, 4, 1],
              [2, 0, 1, 7]]
    # upper (j > i): row 1: 2 x 1 + 1 x 2 = 4 over 3 x (2 + 1) = 9; row 2: 2 x 1 + 1 x 2 = 4
    # over 2 x 3 = 6; row 3: 1 x 1 = 1 over 2 x 1 = 2  ->  (4 + 4 + 1) / (9 + 6 + 2) = 9/17
    # lower (j < i): row 2: 1 x 1 = 1 over 2 x 1 = 2; row 3: 3 x 1 = 3 over 2 x 3 = 6;
    # row 4: 2 x 3 + 1 x 1 = 7 over 3 x 3 = 9  ->  (1 + 3 + 7) / (2 + 6 + 9) = 11/17
    order = ["A", "B", "C", "D"]
    r = migration_matrix(*_grades_from_counts(counts, order), order=order)
    assert r["counts"].to_numpy().tolist() == counts
    assert r["mwb_upper"] == pytest.approx(9 / 17)
    assert r["mwb_lower"] == pytest.approx(11 / 17)
    # the 3-grade matrix above: [[2, 1, 0], [1, 1, 0], [1, 1, 1]], reach 2, 1, 2
    # upper: 1 x 1 over 2 x 1 = 1/2; lower: (1 x 1 + 1 x 2 + 1 x 1) / (1 + 2 + 2) = 4/5
    r3 = migration_matrix(["A", "A", "B", "B", "C", "C", "C", "A"],
                          ["A", "B", "B", "A", "C", "B", "A", "A"], order=["A", "B", "C"])
    assert (r3["mwb_upper"], r3["mwb_lower"]) == (pytest.approx(0.5), pytest.approx(0.8))


def test_matrix_weighted_bandwidth_matches_a_published_example_and_edges():
    from creditlab.modeling import migration_matrix

    # MATLAB's risk.validation.matrixWeightedBandwidth documentation example (R2026a):
    # lower 0.3306, upper 0.6066 (rounded to 4 decimals there)
    counts = [[10, 8, 15, 9, 10], [11, 9, 13, 9, 8], [0, 10, 10, 11, 10],
              [0, 0, 9, 11, 11], [0, 0, 0, 11, 10]]
    order = list("12345")
    r = migration_matrix(*_grades_from_counts(counts, order), order=order)
    assert round(r["mwb_lower"], 4) == 0.3306 and round(r["mwb_upper"], 4) == 0.6066
    # every move to the far end of the scale: 1; nobody moved: NaN (0/0), not 0
    far = migration_matrix(["A", "C"], ["C", "A"], order=["A", "B", "C"])
    assert (far["mwb_upper"], far["mwb_lower"]) == (1.0, 1.0)
    still = migration_matrix(["A", "B"], ["A", "B"], order=["A", "B", "C"])
    assert np.isnan(still["mwb_upper"]) and np.isnan(still["mwb_lower"])
    one = migration_matrix(["A"], ["A"], order=["A"])
    assert np.isnan(one["mwb_upper"])

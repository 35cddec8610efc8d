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

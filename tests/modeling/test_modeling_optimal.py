"""The optimal merge (exact dynamic programme) against exhaustive enumeration, and sample
weights through the binner."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditlab.exceptions import InputError
from creditlab.modeling import WoEBinner
from creditlab.modeling._optimal import optimal_partition, partition_value


def _monotone(q, trend) -> bool:
    d = np.diff(q)
    if trend == "none" or d.size == 0:
        return True
    if trend == "ascending":
        return bool((d > 0).all())
    if trend == "descending":
        return bool((d < 0).all())
    sign = 1 if trend == "peak" else -1
    for t in range(len(q)):   # turn at group t: rise (fall) up to t, then fall (rise)
        if (sign * d[:t] > 0).all() and (sign * d[t:] < 0).all():
            return True
    return False


def _brute(n, b, trend, max_bins, min_count, G, B, s, en, eb):
    P = n.size
    best = -np.inf
    for r in range(P):
        for cuts in itertools.combinations(range(1, P), r):
            bounds = [0, *cuts, P]
            gn = np.array([n[a:c].sum() for a, c in zip(bounds[:-1], bounds[1:], strict=True)])
            gb = np.array([b[a:c].sum() for a, c in zip(bounds[:-1], bounds[1:], strict=True)])
            if gn.size > max_bins:
                continue
            if gn.size > 1 and (gn < min_count).any():
                continue
            if not _monotone((gb + s) / (gn + 2 * s), trend):
                continue
            best = max(best, partition_value(n, b, list(cuts), G, B, s, en, eb))
    return best


@settings(max_examples=150, deadline=None)
@given(data=st.data(), P=st.integers(1, 7),
       trend=st.sampled_from(["ascending", "descending", "peak", "valley", "none"]),
       max_bins=st.integers(1, 5), share=st.sampled_from([0.0, 0.05, 0.1, 0.2]),
       s=st.sampled_from([0.5, 0.25]), with_missing=st.booleans())
def test_dp_finds_the_brute_force_optimum(data, P, trend, max_bins, share, s, with_missing):
    n = np.array(data.draw(st.lists(st.integers(1, 40), min_size=P, max_size=P)), dtype=float)
    b = np.array([data.draw(st.integers(0, int(k))) for k in n], dtype=float)
    en = np.array([data.draw(st.integers(1, 20))] if with_missing else [], dtype=float)
    eb = np.array([data.draw(st.integers(0, int(en[0])))] if with_missing else [], dtype=float)
    total = n.sum() + en.sum()
    B = b.sum() + eb.sum()
    G = total - B
    cuts = optimal_partition(n, b, trend=trend, max_bins=max_bins, min_count=share * total,
                             G=G, B=B, smoothing=s, extra_n=en, extra_b=eb)
    # the DP's answer is feasible ...
    bounds = [0, *cuts, P]
    gn = np.array([n[a:c].sum() for a, c in zip(bounds[:-1], bounds[1:], strict=True)])
    gb = np.array([b[a:c].sum() for a, c in zip(bounds[:-1], bounds[1:], strict=True)])
    assert gn.size <= max_bins
    assert gn.size == 1 or (gn >= share * total).all()
    assert _monotone((gb + s) / (gn + 2 * s), trend)
    # ... and as good as the best of every partition
    got = partition_value(n, b, cuts, G, B, s, en, eb)
    assert got == pytest.approx(_brute(n, b, trend, max_bins, share * total, G, B, s, en, eb),
                                abs=1e-10, rel=1e-10)


def test_hand_case_two_groups():
    # four pre-bins, rates 0.1, 0.1, 0.5, 0.5: the best ascending split is in the middle
    n = np.array([100.0, 100, 100, 100])
    b = np.array([10.0, 10, 50, 50])
    cuts = optimal_partition(n, b, trend="ascending", max_bins=2, min_count=0, G=320, B=120,
                             smoothing=0.5)
    assert cuts == [2]
    # descending is impossible with two groups of different rates: one group
    assert optimal_partition(n, b, trend="descending", max_bins=4, min_count=0, G=320, B=120,
                             smoothing=0.5) == []


def _sample(seed=0, n=600):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    z = rng.normal(size=n)
    p = 1 / (1 + np.exp(-(-1.5 + 1.2 * x + 0.8 * z ** 2 - 0.8)))
    y = (rng.random(n) < p).astype(int)
    x[rng.random(n) < 0.05] = np.nan
    cat = rng.choice(["a", "b", "c", "d", "e"], size=n, p=[0.4, 0.3, 0.15, 0.1, 0.05])
    y[(cat == "e") & (rng.random(n) < 0.5)] = 1
    return pd.DataFrame({"x": x, "z": z, "cat": cat}), y


@pytest.mark.parametrize("trend", ["auto", "ascending", "descending", "peak", "valley"])
def test_fitted_binner_has_monotonic_woe_and_min_share(trend):
    X, y = _sample()
    binner = WoEBinner(monotonic_trend=trend, min_bin_share=0.08, max_bins=5,
                       method="optimal").fit(X, y)
    for c in ("x", "z"):
        t = binner.binning_table(c)
        iv_ = t[t["kind"] == "interval"]
        assert len(iv_) <= 5
        assert (iv_["share"] >= 0.08 - 1e-12).all() or len(iv_) == 1
        d = np.sign(np.diff(iv_["woe"].to_numpy()))
        chosen = binner.variables_[c].trend
        if chosen == "ascending":       # risk rises: WoE falls
            assert (d < 0).all()
        elif chosen == "descending":
            assert (d > 0).all()
        elif chosen in ("peak", "valley"):
            assert (np.diff(d) != 0).sum() <= 1
    # the optimum beats (or equals) the greedy merge in IV on the training sample
    greedy = WoEBinner(monotonic_trend=trend, min_bin_share=0.08, max_bins=5,
                       method="greedy").fit(X, y)
    assert (binner.iv_[["x", "z"]] >= greedy.iv_[["x", "z"]] - 1e-12).all()


def test_valley_beats_monotonic_on_a_u_shaped_risk():
    X, y = _sample(1, 2000)
    valley = WoEBinner(monotonic_trend="valley", method="optimal").fit(X, y)
    auto = WoEBinner(monotonic_trend="auto", method="optimal").fit(X, y)
    assert valley.iv_["z"] > auto.iv_["z"] + 0.05


def test_integer_weights_equal_row_duplication_exactly():
    X, y = _sample(2, 400)
    w = np.random.default_rng(3).integers(0, 4, size=len(y))
    rep = np.repeat(np.arange(len(y)), w)
    for method in ("greedy", "optimal"):
        a = WoEBinner(method=method).fit(X, y, sample_weight=w)
        b = WoEBinner(method=method).fit(X.iloc[rep].reset_index(drop=True), y[rep])
        for c in X.columns:
            pd.testing.assert_frame_equal(a.binning_table(c), b.binning_table(c))
        np.testing.assert_array_equal(a.transform(X), b.transform(X))


def test_weights_are_checked():
    X, y = _sample(2, 100)
    with pytest.raises(InputError, match="sample_weight"):
        WoEBinner().fit(X, y, sample_weight=-np.ones(len(y)))
    with pytest.raises(InputError, match="sample_weight"):
        WoEBinner().fit(X, y, sample_weight=np.ones(3))


def test_scorecard_and_calibrator_weights_equal_row_duplication():
    from creditlab.modeling import PDCalibrator, Scorecard

    X, y = _sample(4, 500)
    w = np.random.default_rng(5).integers(0, 3, size=len(y))
    rep = np.repeat(np.arange(len(y)), w)
    Xr, yr = X.iloc[rep].reset_index(drop=True), y[rep]
    for sel, crit in (("stepwise", "bic"), ("stepwise", "aic"), ("none", "aic")):
        a = Scorecard(selection=sel, criterion=crit).fit(X, y, sample_weight=w)
        b = Scorecard(selection=sel, criterion=crit).fit(Xr, yr)
        assert a.features_ == b.features_
        np.testing.assert_allclose(a.coefficients_[["coef", "std_err", "p_value"]],
                                   b.coefficients_[["coef", "std_err", "p_value"]],
                                   rtol=1e-6, atol=1e-9)
        for k in ("n", "events", "llf", "aic", "bic", "pseudo_r2"):
            assert a.fit_stats_[k] == pytest.approx(b.fit_stats_[k], rel=1e-8)
        np.testing.assert_array_equal(a.points(X), b.points(X))
    pdv = a.predict_proba(X)[:, 1]
    for method in ("platt", "isotonic"):
        for kw in ({}, {"target_rate": 0.05, "match": "mean"}):
            ca = PDCalibrator(method, **kw).fit(pdv, y, sample_weight=w)
            cb = PDCalibrator(method, **kw).fit(pdv[rep], yr)
            np.testing.assert_allclose(ca.predict(pdv), cb.predict(pdv), rtol=1e-7)
    with pytest.raises(InputError, match="lda"):
        Scorecard(method="lda").fit(X, y, sample_weight=w)

"""WoEBinner: WoE/IV closed forms, monotonic trend, minimum share, maximum bins, missing and
special values, bad inputs.

WoE sign convention under test (creditlab, Siddiqi 2006 "Credit Risk Scorecards", ch. 6):
``WoE_i = ln(%good_i / %bad_i)`` with y = 1 the event (bad) — positive WoE = safer than average.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditlab.exceptions import InputError
from creditlab.modeling import WoEBinner, assign_bins, woe_iv


def _data(n: int = 3000, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """Synthetic ratios: ``debt`` raises the risk, ``profit`` lowers it, ``noise`` is noise;
    ``debt`` has 5 % NaN and ``profit`` the special code -999 on 4 % of the rows."""
    rng = np.random.default_rng(seed)
    debt = rng.normal(0.6, 0.2, n)
    profit = rng.normal(0.05, 0.08, n)
    noise = rng.normal(size=n)
    eta = -3.0 + 4.0 * (debt - 0.6) - 10.0 * (profit - 0.05)
    y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype("int64")
    debt[rng.random(n) < 0.05] = np.nan
    profit[rng.random(n) < 0.04] = -999.0
    return pd.DataFrame({"debt": debt, "profit": profit, "noise": noise}), y


# ---------------------------------------------------------------------- closed forms
def test_woe_iv_closed_form_hand_example():
    """Three bins, goods (40, 30, 30) and bads (5, 10, 25): G = 100, B = 40.
    WoE_1 = ln(0.40 / 0.125) = ln 3.2, IV = Σ (%g − %b)·WoE (Siddiqi 2006, ch. 6)."""
    woe, iv = woe_iv([40, 30, 30], [5, 10, 25], smoothing=0.0)
    expected = [math.log(0.40 / 0.125), math.log(0.30 / 0.25), math.log(0.30 / 0.625)]
    assert woe == pytest.approx(expected, rel=1e-12)
    assert woe[0] == pytest.approx(1.16315081, rel=1e-8)  # ln 3.2
    iv_hand = (0.40 - 0.125) * math.log(3.2) + (0.30 - 0.25) * math.log(1.2) \
        + (0.30 - 0.625) * math.log(0.48)
    assert iv.sum() == pytest.approx(iv_hand, rel=1e-12)
    assert iv.sum() == pytest.approx(0.5675, abs=1e-4)


def test_woe_smoothing_formula_and_zero_count():
    """Haldane-Anscombe smoothing: (g + s)/(G + sK) over (b + s)/(B + sK); without it a bin
    without bads gives +inf."""
    woe, _ = woe_iv([10, 0], [0, 5], smoothing=0.5)
    assert woe[0] == pytest.approx(math.log((10.5 / 11) / (0.5 / 6)))
    woe0, _ = woe_iv([10, 0], [0, 5], smoothing=0.0)
    assert woe0[0] == np.inf and woe0[1] == -np.inf


def test_binning_table_woe_is_ln_good_share_over_bad_share():
    X, y = _data()
    for smoothing, cols in ((0.0, ["debt", "noise"]), (0.5, list(X.columns))):
        b = WoEBinner(smoothing=smoothing, max_bins=5).fit(X[cols], y)
        _check_table_woe(b, cols, y, smoothing)


def _check_table_woe(b, cols, y, s):
    for var in cols:
        t = b.binning_table(var)
        used = t["count"] > 0
        g, e = t["non_events"][used], t["events"][used]
        k = int(used.sum())
        hand = np.log(((g + s) / (g.sum() + s * k)) / ((e + s) / (e.sum() + s * k)))
        assert np.allclose(t["woe"][used], hand, rtol=1e-12)
        assert t["iv"].sum() == pytest.approx(b.iv_[var], rel=1e-12)
        assert int(t["count"].sum()) == len(y)
        assert int(t["events"].sum()) == int(y.sum())


def test_sign_convention_matches_risk_direction():
    """``debt`` raises the risk: the event rate grows across its bins, WoE falls (ln %good/%bad:
    riskier = lower WoE); ``profit`` the reverse."""
    X, y = _data()
    b = WoEBinner().fit(X, y)
    assert b.variables_["debt"].trend == "ascending"
    assert b.variables_["profit"].trend == "descending"
    t = b.binning_table("debt")
    t = t[t["kind"] == "interval"]
    assert np.all(np.diff(t["event_rate"]) > 0) and np.all(np.diff(t["woe"]) < 0)
    t = b.binning_table("profit")
    t = t[t["kind"] == "interval"]
    assert np.all(np.diff(t["woe"]) > 0)
    # a bin with an event rate above average has a negative WoE
    tab = b.binning_table("debt")
    above = tab["event_rate"] > y.mean()
    assert (tab.loc[above & (tab["count"] > 0), "woe"] < 0).all()


# ---------------------------------------------------------------------- constraints
@pytest.mark.parametrize("prebinning", ["quantile", "tree"])
def test_constraints_monotonic_min_share_max_bins(prebinning):
    X, y = _data(seed=3)
    b = WoEBinner(prebinning=prebinning, max_bins=4, min_bin_share=0.08).fit(X, y)
    for var in ("debt", "profit"):
        t = b.binning_table(var)
        it = t[t["kind"] == "interval"]
        assert len(it) <= 4
        assert (it["count"] >= 0.08 * len(y)).all()
        d = np.diff(it["event_rate"].to_numpy())
        assert np.all(d > 0) or np.all(d < 0)


def test_forced_trend_per_variable_and_none():
    X, y = _data()
    b = WoEBinner(monotonic_trend={"noise": "ascending"}).fit(X, y)
    it = b.binning_table("noise").query("kind == 'interval'")
    assert len(it) == 1 or np.all(np.diff(it["event_rate"]) > 0)
    free = WoEBinner(monotonic_trend=None, max_bins=8, min_bin_share=0.05).fit(X, y)
    assert free.variables_["noise"].trend is None
    assert free.variables_["noise"].n_intervals <= 8


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), max_bins=st.integers(2, 8),
       share=st.sampled_from([0.02, 0.05, 0.1, 0.2]))
def test_property_constraints_hold(seed, max_bins, share):
    rng = np.random.default_rng(seed)
    n = 400
    x = rng.normal(size=n)
    y = (rng.random(n) < 1 / (1 + np.exp(1.5 - x))).astype(int)
    y[:2] = [0, 1]
    b = WoEBinner(max_bins=max_bins, min_bin_share=share, monotonic_trend="ascending")
    t = b.fit(pd.DataFrame({"x": x}), y).binning_table("x")
    it = t[t["kind"] == "interval"]
    assert len(it) <= max_bins
    assert len(it) == 1 or (it["count"] >= share * n).all()
    assert np.all(np.diff(it["event_rate"]) > 0)
    assert int(t["count"].sum()) == n


# ---------------------------------------------------------------------- missing / special
def test_missing_and_special_values_own_bins_same_at_fit_and_transform():
    X, y = _data()
    b = WoEBinner(special_values={"profit": [-999]}).fit(X, y)
    tp = b.binning_table("profit")
    special = tp[tp["kind"] == "special"]
    assert special["bin"].tolist() == ["= -999"]
    assert int(special["count"].iloc[0]) == int((X["profit"] == -999).sum())
    td = b.binning_table("debt")
    assert int(td.loc[td["kind"] == "missing", "count"].iloc[0]) == int(X["debt"].isna().sum())
    # transform of the training rows uses exactly the bins counted at fit
    codes = b.transform_bins(X)
    for var in X.columns:
        t = b.binning_table(var)
        counted = np.bincount(codes[var], minlength=len(t))
        assert counted.tolist() == t["count"].tolist()
    W = b.transform(X)
    assert np.allclose(W[:, 1][X["profit"].to_numpy() == -999], special["woe"].iloc[0])
    # new rows: NaN → missing bin, -999 → special bin, any float → an interval
    new = pd.DataFrame({"debt": [np.nan, 1e9, -1e9], "profit": [-999.0, np.nan, 0.0],
                        "noise": [0.0, 0.0, 0.0]})
    w = b.transform(new)
    assert w[0, 0] == pytest.approx(td.loc[td["kind"] == "missing", "woe"].iloc[0])
    assert w[0, 1] == pytest.approx(special["woe"].iloc[0])
    it = td[td["kind"] == "interval"]
    assert w[1, 0] == pytest.approx(it["woe"].iloc[-1]) and w[2, 0] == pytest.approx(
        it["woe"].iloc[0])
    # profit had no NaN at fit: its missing bin is empty and gets the neutral WoE 0
    miss = tp[tp["kind"] == "missing"].iloc[0]
    assert miss["count"] == 0 and bool(miss["empty_at_fit"]) and miss["woe"] == 0.0
    assert w[1, 1] == 0.0
    worst = WoEBinner(special_values={"profit": [-999]}, unseen="worst").fit(X, y)
    assert worst.transform(new)[1, 1] == pytest.approx(
        worst.binning_table("profit")["woe"].min())


def test_assign_bins_left_closed_intervals():
    codes = assign_bins(np.array([0.0, 1.0, 1.5, 2.0, np.nan, -999.0]), np.array([1.0, 2.0]),
                        (-999.0,))
    assert codes.tolist() == [0, 1, 1, 2, 4, 3]


def test_pandas_output_and_feature_names():
    X, y = _data()
    b = WoEBinner().set_output(transform="pandas").fit(X, y)
    out = b.transform(X)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == list(X.columns)
    assert list(b.get_feature_names_out()) == list(X.columns)
    s = b.summary()
    assert s.index[0] in ("debt", "profit") and s.loc["noise", "iv"] < 0.02
    assert s.loc["noise", "strength"] == "useless"


# ---------------------------------------------------------------------- bad inputs
def test_bad_inputs_clear_errors():
    X, y = _data(500)
    with pytest.raises(InputError, match=r"X\['c'\].*constant column"):
        WoEBinner().fit(X.assign(c=1.0), y)
    with pytest.raises(InputError, match=r"X\['m'\].*entirely missing"):
        WoEBinner().fit(X.assign(m=np.nan), y)
    with pytest.raises(InputError, match="only one class"):
        WoEBinner().fit(X, np.zeros(len(y), dtype=int))
    with pytest.raises(InputError, match="binary target coded 0/1"):
        WoEBinner().fit(X, np.where(y == 1, 2, 0))
    with pytest.raises(InputError, match="binary target coded 0/1"):
        WoEBinner().fit(X, pd.Series(np.where(y == 1, "bad", "good")))
    with pytest.raises(InputError, match="binary target"):
        WoEBinner().fit(X, pd.Series(y, dtype="float64").where(np.arange(len(y)) > 0))
    with pytest.raises(InputError, match=r"X\['debt'\].*infinite"):
        WoEBinner().fit(X.assign(debt=np.inf), y)
    # a text column is binned as categories now: a constant one is refused as constant
    with pytest.raises(InputError, match=r"X\['s'\].*constant column \(always 'a'\)"):
        WoEBinner().fit(X.assign(s="a"), y)
    with pytest.raises(InputError, match="max_bins"):
        WoEBinner(max_bins=0).fit(X, y)
    with pytest.raises(InputError, match="monotonic_trend"):
        WoEBinner(monotonic_trend="up").fit(X, y)
    with pytest.raises(InputError, match="special_values"):
        WoEBinner(special_values={"nope": [0]}).fit(X, y)
    with pytest.raises(InputError, match="y: expected 500 values"):
        WoEBinner().fit(X, y[:-1])
    b = WoEBinner().fit(X, y)
    with pytest.raises(ValueError, match="feature names|features"):
        b.transform(X[["profit", "debt"]])
    with pytest.raises(InputError, match="var"):
        b.binning_table("nope")

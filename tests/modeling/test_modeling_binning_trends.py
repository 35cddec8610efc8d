"""Peak and valley trends, the analyst's cut points and manual merge/split of bins."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.modeling import Scorecard, WoEBinner


def _u_shaped(n: int = 6000, seed: int = 0):
    """Risk high at both ends of x: the event rate is lowest in the middle (a valley)."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-3, 3, n)
    p = 1 / (1 + np.exp(-(-3.0 + 0.6 * x ** 2)))
    return pd.DataFrame({"x": x}), (rng.random(n) < p).astype(int)


def _rates(b, var="x"):
    t = b.binning_table(var)
    return t.loc[t["kind"] == "interval", "event_rate"].to_numpy()


def test_valley_finds_a_u_shape_that_monotonic_binning_misses():
    X, y = _u_shaped()
    valley = WoEBinner(monotonic_trend="valley", max_bins=6).fit(X, y)
    auto = WoEBinner(monotonic_trend="auto", max_bins=6).fit(X, y)
    r = _rates(valley)
    turn = int(np.argmin(r))
    assert 0 < turn < len(r) - 1                          # a real valley inside
    assert (np.diff(r[:turn + 1]) < 0).all() and (np.diff(r[turn:]) > 0).all()
    assert valley.variables_["x"].trend == "valley"
    assert valley.iv_["x"] > 2 * auto.iv_["x"]            # monotonic loses most of the signal
    # a peak on the mirrored target shape
    peak = WoEBinner(monotonic_trend="peak", max_bins=6).fit(X, 1 - y)
    rp = _rates(peak)
    k = int(np.argmax(rp))
    assert (np.diff(rp[:k + 1]) > 0).all() and (np.diff(rp[k:]) < 0).all()
    with pytest.raises(InputError, match="monotonic_trend"):
        WoEBinner(monotonic_trend="u").fit(X, y)


def test_user_splits_are_used_as_given():
    X, y = _u_shaped()
    b = WoEBinner(user_splits={"x": [-1.0, 0.0, 1.0]}).fit(X, y)
    assert b.variables_["x"].edges.tolist() == [-1.0, 0.0, 1.0]
    t = b.binning_table("x")
    assert t.loc[0, "count"] == int((X["x"] < -1).sum())
    assert t.loc[1, "count"] == int(((X["x"] >= -1) & (X["x"] < 0)).sum())
    assert b.variables_["x"].trend == "user"
    with pytest.raises(InputError, match="increasing"):
        WoEBinner(user_splits={"x": [1.0, 0.0]}).fit(X, y)
    with pytest.raises(InputError, match="user_splits"):
        WoEBinner(user_splits={"nope": [0.0]}).fit(X, y)


def test_manual_split_and_merge_on_a_fitted_binner_survive_a_scorecard():
    X, y = _u_shaped()
    X = X.assign(z=np.random.default_rng(1).normal(size=len(X)))
    b = WoEBinner(user_splits={"x": [-1.0, 1.0]}).fit(X, y)
    s = b.split_bin("x", 0.0, X, y)
    assert s.variables_["x"].edges.tolist() == [-1.0, 0.0, 1.0]
    assert b.variables_["x"].edges.tolist() == [-1.0, 1.0]       # the original is unchanged
    m = s.merge_bins("x", 0, X, y)                                # [-inf, -1) with [-1, 0)
    assert m.variables_["x"].edges.tolist() == [0.0, 1.0]
    t_m, t_s = m.binning_table("x"), s.binning_table("x")
    assert t_m.loc[0, "count"] == t_s.loc[0, "count"] + t_s.loc[1, "count"]
    sc = Scorecard(m, selection="none", enforce_sign=False).fit(X, y)
    assert sc.binning_.variables_["x"].edges.tolist() == [0.0, 1.0]
    with pytest.raises(InputError, match="code"):
        m.merge_bins("x", 5, X, y)

"""Credit policy: marginal analysis, ABC segmentation, risk × stakes matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditlab.exceptions import InputError
from creditlab.finance import (
    abc_segmentation,
    marginal_analysis,
    risk_stakes_grid,
    risk_stakes_matrix,
)


def _segments():
    return pd.DataFrame({
        "sales_ht": [1_000_000.0, 500_000.0, 200_000.0],
        "margin_rate": [0.05, 0.04, 0.03],
        "pd": [0.01, 0.05, 0.15],
        "dso_days": [60.0, 75.0, 90.0],
    }, index=pd.Index(["grands comptes", "PME", "TPE"], name="segment"))


# --- marginal analysis ---------------------------------------------------------------------
def test_marginal_analysis_hand_computed():
    # expected margin − PD × LGD × EAD − financing (Basel EL; DOMAIN.md §10.2 financing on TTC)
    r = marginal_analysis(_segments(), rate=0.05, lgd=0.9)
    t = r.table
    row = t.loc["PME"]
    margin = 500_000 * 0.04
    ead = 500_000 * 75 / 365                         # HT receivables
    el = 0.05 * 0.9 * ead
    fin = 500_000 * 1.2 * 75 / 365 * 0.05            # TTC receivables × rate
    assert row["expected_margin"] == pytest.approx(margin)
    assert row["ead"] == pytest.approx(ead)
    assert row["expected_loss"] == pytest.approx(el)
    assert row["financing_cost"] == pytest.approx(fin)
    assert row["net_contribution"] == pytest.approx(margin - el - fin)
    assert row["break_even_pd"] == pytest.approx((margin - fin) / (0.9 * ead))
    # TPE: 3 % margin, 15 % PD → loss-making → refuse
    tpe = t.loc["TPE"]
    assert tpe["net_contribution"] < 0 and tpe["decision"] == "refuse"
    assert t.loc["grands comptes", "decision"] == "grant"
    assert list(t.index) == ["grands comptes", "PME", "TPE"]
    assert r.total["net_contribution"] == pytest.approx(t["net_contribution"].sum())


def test_marginal_analysis_columns_override_keywords_and_ead_given():
    seg = _segments().assign(lgd=[0.5, 0.9, 1.0], rate=[0.03, 0.05, 0.08],
                             ead=[50_000.0, 60_000.0, 70_000.0], other_costs=[1_000, 0, 0])
    t = marginal_analysis(seg).table
    assert t.loc["grands comptes", "expected_loss"] == pytest.approx(0.01 * 0.5 * 50_000)
    assert t.loc["TPE", "financing_cost"] == pytest.approx(200_000 * 1.2 * 90 / 365 * 0.08)
    assert t.loc["grands comptes", "net_contribution"] == pytest.approx(
        50_000 - 250 - 1_000_000 * 1.2 * 60 / 365 * 0.03 - 1_000)


def test_marginal_analysis_mapping_is_one_segment_and_summary():
    r = marginal_analysis({"sales_ht": 100_000, "margin_rate": 0.1, "pd": 0.02,
                           "dso_days": 60}, rate=0.05, lgd=0.9)
    assert len(r.table) == 1
    assert r.summary()["decision"].iloc[0] == "grant"           # codes
    s = r.to_frame()                                              # words
    assert "PD d'équilibre" in s.columns and "décision" in s.columns
    assert s["décision"].iloc[0] == "accorder le crédit"
    assert "break-even PD" in r.to_frame("en").columns
    assert "<table" in r._repr_html_()


def test_break_even_nan_when_no_loss_possible():
    seg = _segments().assign(lgd=0.0)
    t = marginal_analysis(seg, rate=0.05).table
    assert t["break_even_pd"].isna().all()
    assert not np.isinf(t["break_even_pd"]).any()


@settings(max_examples=100, deadline=None)
@given(sales=st.floats(1e3, 1e8), margin=st.floats(0, 1), dso=st.floats(1, 365),
       lgd=st.floats(0.05, 1), rate=st.floats(0, 0.2))
def test_property_net_contribution_zero_at_break_even_pd(sales, margin, dso, lgd, rate):
    base = {"sales_ht": sales, "margin_rate": margin, "dso_days": dso, "pd": 0.0}
    be = marginal_analysis(base, rate=rate, lgd=lgd).table["break_even_pd"].iloc[0]
    if 0 <= be <= 1:
        net = marginal_analysis({**base, "pd": be}, rate=rate, lgd=lgd).table[
            "net_contribution"].iloc[0]
        assert net == pytest.approx(0.0, abs=1e-6 * sales)


@pytest.mark.parametrize("change, name", [
    ({"pd": [0.1, 1.5, 0.1]}, "segments.pd"),
    ({"margin_rate": [-0.1, 0.1, 0.1]}, "segments.margin_rate"),
    ({"sales_ht": [1.0, np.nan, 1.0]}, "segments.sales_ht"),
    ({"dso_days": ["60", "x", "1"]}, "segments.dso_days"),
])
def test_marginal_bad_columns(change, name):
    seg = _segments().assign(**change)
    with pytest.raises(InputError) as exc:
        marginal_analysis(seg, rate=0.05, lgd=0.9)
    assert exc.value.name == name


def test_marginal_missing_lgd_and_negative_rate():
    with pytest.raises(InputError, match="lgd"):
        marginal_analysis(_segments(), rate=0.05)
    with pytest.raises(InputError) as exc:
        marginal_analysis(_segments(), rate=-0.01, lgd=0.9)
    assert exc.value.name == "rate"
    with pytest.raises(InputError, match="columns"):
        marginal_analysis(_segments().drop(columns="pd"), rate=0.05, lgd=0.9)


# --- ABC --------------------------------------------------------------------------------------
def test_abc_classes_crossing_rule():
    # values sum to 100: cumulative 50, 75, 85, 93, 97, 99, 100 (before: 0, 50, 75, 85, 93, 97, 99)
    s = pd.Series([10, 50, 25, 1, 4, 8, 2], index=list("abcdefg"), dtype="float64")
    r = abc_segmentation(s)
    t = r.table
    assert list(t.index) == list("abcdefg")              # input order kept
    assert t.loc["b", "rank"] == 1 and t.loc["d", "rank"] == 7
    # a (10) crosses 80 % (75 → 85) → A; f (8) 85 → 93 B; e (4) 93 → 97 crosses 95 → B
    assert t["abc_class"].to_dict() == {"a": "A", "b": "A", "c": "A", "d": "C", "e": "B",
                                        "f": "B", "g": "C"}
    assert t.loc["a", "cumulative_share"] == pytest.approx(0.85)
    assert r.summary().loc["A", "n"] == 3 and r.summary().index.name == "abc_class"
    summ = r.to_frame()
    assert summ.loc["A", "nombre"] == 3
    assert summ.loc["A", "part de la valeur"] == pytest.approx(0.85)
    assert summ["part des clients"].sum() == pytest.approx(1.0)


def test_abc_by_column_negative_as_zero_and_custom_thresholds():
    df = pd.DataFrame({"net_exposure": [100.0, -50.0, 300.0, 600.0]}, index=list("wxyz"))
    r = abc_segmentation(df, by="net_exposure", thresholds=(0.5,), labels=("A", "B"))
    t = r.table
    assert t.loc["x", "value"] == 0.0
    assert t.loc["z", "abc_class"] == "A"    # 60 % alone crosses 50 %
    assert set(t.loc[["w", "x", "y"], "abc_class"]) == {"B"}


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1e6), min_size=1, max_size=60).filter(lambda v: sum(v) > 0))
def test_property_abc_a_class_reaches_80_percent_minimally(values):
    t = abc_segmentation(pd.Series(values)).table
    a = t[t["abc_class"] == "A"]
    assert a["share"].sum() >= 0.80 - 1e-9 or len(a) == len(t)
    # removing the smallest A still leaves less than 80 %
    assert a["share"].sum() - a["share"].min() < 0.80 + 1e-9
    assert t["cumulative_share"].max() == pytest.approx(1.0)


@pytest.mark.parametrize("kw", [
    {"thresholds": (0.95, 0.80)}, {"thresholds": (0.8, 1.2)}, {"labels": ("A", "B")},
    {"thresholds": (80, 95)},
])
def test_abc_bad_settings(kw):
    with pytest.raises(InputError):
        abc_segmentation(pd.Series([1.0, 2.0, 3.0]), **kw)


def test_abc_bad_values():
    with pytest.raises(InputError):
        abc_segmentation(pd.Series([1.0, np.nan]))
    with pytest.raises(InputError, match="positive total"):
        abc_segmentation(pd.Series([0.0, -2.0]))
    with pytest.raises(InputError):
        abc_segmentation(pd.DataFrame({"a": [1.0]}), by="b")


# --- risk × stakes ----------------------------------------------------------------------------
def test_risk_stakes_quadrants():
    df = pd.DataFrame({"rating_class": [1, 4, 3, 2, 2],
                       "abc_class": ["A", "A", "C", "B", "A"]}, index=list("pqrst"))
    m = risk_stakes_matrix(df)
    t = m.table
    assert t.loc["p", "quadrant"] == "strategic"
    assert t.loc["q", "quadrant"] == "critical"
    assert t.loc["r", "quadrant"] == "restrict"
    assert t.loc["s", "quadrant"] == "routine"
    assert t.loc["q", "priority"] == 1
    counts = m.counts()
    assert counts.loc["high", "high"] == 1 and counts.loc["low", "high"] == 2
    assert list(t.columns) == ["risk_level", "stakes_level", "quadrant", "priority"]
    codes = m.summary()
    assert list(codes.columns) == ["priority", "n"] and codes.loc["critical", "n"] == 1
    summ = m.to_frame()
    assert summ["nombre"].sum() == 5
    assert summ.index[0] == "critical" and "suivi rapproché" in summ.iloc[0, -1]
    assert m.to_frame("en").iloc[0, -1] == m.quadrants("en").set_index("quadrant").loc[
        "critical", "action"]


def test_risk_stakes_numeric_stakes_and_pd():
    df = pd.DataFrame({"pd": [0.01, 0.08], "net_exposure": [80_000.0, 10_000.0]})
    t = risk_stakes_matrix(df, risk="pd", stakes="net_exposure", high_risk_from=0.05,
                           high_stakes=50_000).table
    assert list(t["quadrant"]) == ["strategic", "restrict"]


def test_risk_stakes_errors_and_grid_source():
    with pytest.raises(InputError):
        risk_stakes_matrix(pd.DataFrame({"rating_class": [1]}))
    with pytest.raises(InputError, match="high_stakes"):
        risk_stakes_matrix(pd.DataFrame({"rating_class": [1], "exp": [1.0]}), stakes="exp")
    grid = risk_stakes_grid()
    assert len(grid) == 4 and grid["source"].str.len().gt(0).all()
    assert set(grid["priority"]) == {1, 2, 3, 4}

"""Ratio catalogue: formulas, units, zero-denominator policy, growth and trends."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.statements import (
    RATIOS,
    ratio_catalogue,
    ratio_trends,
    ratio_words,
    ratios,
    sector_quartiles,
)
from creditlab.statements._testing import make_statements, worked_example


def test_catalogue_is_complete_and_dataframe_able():
    cat = ratio_catalogue()
    assert len(cat) == len(RATIOS) >= 25
    assert cat.index.is_unique
    assert set(cat["unit"]) <= {"fraction", "days", "years", "times"}
    assert set(cat["direction"]) <= {"higher_better", "lower_better", "neutral"}
    for c in ("label_fr", "label_en", "formula", "nan_reason", "zero_denominator"):
        assert (cat[c].str.len() > 0).all(), c
    families = set(cat["family"])
    for fam in ("rentabilité", "structure financière", "liquidité", "activité (rotations en jours)",
                "capacité de remboursement", "poids des charges", "croissance"):
        assert fam in families
    # named ratios of the issue
    for name in ("equity_ratio", "gearing", "dso_days", "dpo_days", "stock_days", "debt_to_caf",
                 "interest_to_ebe", "sales_growth", "current_ratio", "roe"):
        assert name in cat.index
    assert ratio_catalogue("en").loc["equity_ratio", "label"] == "equity ratio"


def test_worked_example_values():
    """DOMAIN.md §1.4 statement: autonomie financière 400/1 000, gearing (150 + 50)/400,
    dettes financières / CAF = 200/70 years, interest / EBE = 15/120."""
    r = ratios(worked_example()).iloc[0]
    assert r["equity_ratio"] == pytest.approx(0.4)
    assert r["gearing"] == pytest.approx(0.5)
    assert r["debt_to_caf"] == pytest.approx(200 / 70)
    assert r["interest_to_ebe"] == pytest.approx(0.125)
    assert r["personnel_to_va"] == pytest.approx(300 / 450)
    assert r["current_ratio"] == pytest.approx(650 / 450)
    assert r["quick_ratio"] == pytest.approx(350 / 450)
    assert r["stock_days"] == pytest.approx(300 / 1500 * 365)
    assert r["dpo_days"] == pytest.approx(250 / (1050 * 1.2) * 365)


def _dso_example():
    """finance-technique.com example quoted in DOMAIN.md §6.1: clients 472, CA HT 2 400,
    TVA 19.6 % → 472 / (2 400 × 1.196) × 365 = 60 days. Built from the worked example:
    +900 sales and +900 external charges (result unchanged), receivables 472 (inventories
    reduced by the same 222 to keep the balance sheet balanced)."""
    ex = worked_example()
    ex["production_sold"] = 2400.0
    ex["external_charges"] = 1350.0
    ex["trade_receivables"] = 472.0
    ex["inventories"] = 78.0
    return ex


def test_dso_ttc_example_domain_6_1():
    """DSO on TTC sales (DOMAIN.md §6.1, pitfall 5): 60.0 days at 19.6 % VAT."""
    r = ratios(_dso_example(), vat_rate=0.196).iloc[0]
    assert r["dso_days"] == pytest.approx(472 / (2400 * 1.196) * 365)
    assert round(r["dso_days"]) == 60
    # an HT computation would give 71.8 days: the TTC basis matters
    assert r["dso_days"] < 472 / 2400 * 365


def test_dso_adds_back_discounted_bills_and_uses_fiscal_year_length():
    ex = _dso_example()
    ex["discounted_bills"] = 100.0
    r = ratios(ex, vat_rate=0.196).iloc[0]
    assert r["dso_days"] == pytest.approx(572 / (2400 * 1.196) * 365)
    ex["months"] = 6  # half-year: receivables over 6 months of sales
    r6 = ratios(ex, vat_rate=0.196).iloc[0]
    assert r6["dso_days"] == pytest.approx(r["dso_days"] / 2)


def test_vat_rate_per_row_and_bad_vat_rate():
    fs = make_statements(4, seed=2)
    r0 = ratios(fs, vat_rate=pd.Series([0.0, 0.2, 0.2, 0.055], index=fs.index))
    r2 = ratios(fs, vat_rate=0.2)
    assert r0["dso_days"].iloc[0] == pytest.approx(r2["dso_days"].iloc[0] * 1.2)
    assert r0["dso_days"].iloc[1] == pytest.approx(r2["dso_days"].iloc[1])
    with pytest.raises(InputError, match="vat_rate"):
        ratios(fs, vat_rate=20)


def test_zero_sales_negative_equity_negative_ebe_give_nan_with_reason_never_inf():
    base = worked_example()
    zero_sales = base.copy()
    # zero sales, result kept: charges replaced by other income
    zero_sales["production_sold"] = 0.0
    zero_sales["other_operating_income"] = 1500.0
    neg_equity = base.copy()
    neg_equity["retained_earnings"] = -600.0
    neg_equity["equity"] = -350.0
    neg_equity["long_term_debt"] = 900.0
    neg_ebe = base.copy()
    neg_ebe["wages"] = 400.0  # personnel 490 > VA 450 → EBE −70
    neg_ebe["income_tax"] = -155.0  # tax credit keeps net income at 50 for the test
    fs = pd.concat([zero_sales, neg_equity, neg_ebe], ignore_index=True)
    fs["customer_id"] = ["Z", "N", "E"]
    codes = ratios(fs)
    assert "roe:undefined" in codes.loc[1, "nan_reasons"].split(";")
    r = ratio_words(codes)
    pd.testing.assert_frame_equal(r.drop(columns="nan_reasons"), codes.drop(columns="nan_reasons"))
    num = r.select_dtypes("number")
    assert not np.isinf(num.to_numpy()).any()
    assert np.isnan(r.loc[0, "ebe_margin"]) and np.isnan(r.loc[0, "dso_days"])
    assert "ebe_margin: chiffre d'affaires nul" in r.loc[0, "nan_reasons"]
    assert np.isnan(r.loc[1, "roe"]) and np.isnan(r.loc[1, "gearing"])
    assert "roe: capitaux propres négatifs ou nuls" in r.loc[1, "nan_reasons"]
    assert r.loc[1, "equity_ratio"] == pytest.approx(-0.35)  # a negative ratio is meaningful
    assert np.isnan(r.loc[2, "interest_to_ebe"])
    assert "interest_to_ebe: EBE négatif ou nul" in r.loc[2, "nan_reasons"]
    assert r.loc[2, "ebe_margin"] == pytest.approx(-70 / 1500)
    en = ratio_words(ratios(fs), "en")
    with pytest.raises(TypeError):
        ratios(fs, lang="en")  # codes in the result; words: ratio_words(lang)
    assert "roe: negative or zero equity" in en.loc[1, "nan_reasons"]


def test_negative_sales_nan_with_reason():
    """CA HT < 0 (credit notes above sales): margins and days of sales are NaN, never a
    sign-flipped figure, and the reason says the CA is zero or negative."""
    ex = worked_example()
    ex["production_sold"] = -100.0
    ex["production_stocked"] = 1600.0
    r = ratio_words(ratios(ex, check="flag")).iloc[0]
    for name in ("ebe_margin", "dso_days", "stock_days", "interest_to_sales"):
        assert np.isnan(r[name]), name
    assert "ebe_margin: chiffre d'affaires nul ou négatif" in r["nan_reasons"]
    assert ratio_catalogue().loc["ebe_margin", "zero_denominator"] == "NaN si dénominateur ≤ 0"


def test_negative_caf_gives_nan_repayment_capacity():
    ex = worked_example()
    ex["wages"] = 500.0
    ex["income_tax"] = 0.0
    ex["net_income"] = 50 + 35 - 290.0  # −205
    ex["equity"] = 400 - 255.0
    ex["cash"] = 50.0
    ex["long_term_debt"] = 150 + 255.0
    r = ratio_words(ratios(ex)).iloc[0]
    assert np.isnan(r["debt_to_caf"])
    assert "debt_to_caf: CAF négative ou nulle" in r["nan_reasons"]


def test_missing_input_reason():
    ex = worked_example()
    ex["cash"] = np.nan
    codes = ratios(ex, check="flag").iloc[0]
    assert "cash_ratio:missing" in codes["nan_reasons"].split(";")
    r = ratio_words(ratios(ex, check="flag")).iloc[0]
    assert np.isnan(r["cash_ratio"])
    assert "cash_ratio: donnée manquante" in r["nan_reasons"]
    assert not r["consistent"]


def test_growth_uses_previous_year_of_same_firm_any_row_order():
    fs = make_statements(30, seed=4, years=3)
    shuffled = fs.sample(frac=1.0, random_state=0)
    r = ratios(shuffled)
    assert list(r.index) == list(shuffled.index)
    rev = shuffled["sales_goods"] + shuffled["production_sold"]
    prev = pd.Series(rev.to_numpy(), index=pd.MultiIndex.from_arrays(
        [shuffled["customer_id"], shuffled["fiscal_year"] + 1]))
    keys = pd.MultiIndex.from_arrays([shuffled["customer_id"], shuffled["fiscal_year"]])
    expected = rev.to_numpy() / prev.reindex(keys).to_numpy() - 1
    np.testing.assert_allclose(r["sales_growth"].to_numpy(), expected, rtol=1e-12)
    first = shuffled["fiscal_year"] == shuffled["fiscal_year"].min()
    assert r.loc[first, "sales_growth"].isna().all()
    assert r.loc[first, "nan_reasons"].str.contains("sales_growth:undefined").all()
    words = ratio_words(r)
    assert words.loc[first, "nan_reasons"].str.contains("sales_growth: exercice précédent").all()


def test_duplicate_firm_years_rejected():
    ex = pd.concat([worked_example()] * 2, ignore_index=True)
    with pytest.raises(InputError, match="one row per"):
        ratios(ex)


def test_names_subset_and_unknown_name():
    r = ratios(worked_example(), names=["roe", "gearing"])
    assert [c for c in r.columns if c not in ("customer_id", "fiscal_year", "consistent",
                                                "nan_reasons")] == ["roe", "gearing"]
    with pytest.raises(InputError, match="ratio names"):
        ratios(worked_example(), names=["altman"])


def test_ratio_trends_view():
    fs = make_statements(3, seed=5, years=3)
    cid = fs["customer_id"].iloc[0]
    codes = ratio_trends(fs, cid)
    assert "label" not in codes and set(codes["trend"]) <= {
        "improving", "worsening", "stable", "unknown", "up", "down"}
    t = ratio_words(codes)
    assert t.loc["equity_ratio", "label"] == ratio_catalogue().loc["equity_ratio", "label"]
    assert ratio_words(codes, "en").loc["equity_ratio", "trend"] in (
        "improving", "worsening", "stable")
    assert [c for c in t.columns if isinstance(c, int)] == [2022, 2023, 2024]
    assert t.index.name == "ratio" and len(t) == len(RATIOS)
    np.testing.assert_allclose(t["change"], t[2024].astype(float) - t[2023].astype(float))
    er = t.loc["equity_ratio"]
    expected = "amélioration" if er["change"] > 0 else "dégradation"
    if abs(er["change"]) <= 0.01 * abs(er[2023]):
        expected = "stable"
    assert er["trend"] == expected
    dr = t.loc["debt_ratio"]
    if abs(dr["change"]) > 0.01 * abs(dr[2023]):
        assert dr["trend"] == ("amélioration" if dr["change"] < 0 else "dégradation")
    assert t.loc["dpo_days", "trend"] in ("hausse", "baisse", "stable")
    with pytest.raises(InputError, match="customer_id"):
        ratio_trends(fs, "NOPE")


def test_sector_quartiles_match_numpy():
    fs = make_statements(120, seed=6)
    r = ratios(fs).assign(sector=fs["sector"])
    q = sector_quartiles(r, "sector", names=["ebe_margin", "dso_days"])
    for sec in fs["sector"].unique():
        vals = r.loc[r["sector"] == sec, "ebe_margin"].dropna().to_numpy()
        if len(vals) >= 5:
            assert q.loc[(sec, "ebe_margin"), "median"] == pytest.approx(np.median(vals))
            assert q.loc[(sec, "ebe_margin"), "q1"] == pytest.approx(np.percentile(vals, 25))
    by_map = sector_quartiles(r.drop(columns="sector"),
                              fs.set_index("customer_id")["sector"], names=["dso_days"])
    pd.testing.assert_frame_equal(by_map, q.xs("dso_days", level="ratio", drop_level=False))


def test_ratios_on_demo(demo_fs):
    """Every demo firm-year gets ratios; no inf; NaNs always explained."""
    r = ratios(demo_fs)
    num = r.select_dtypes("number")
    assert not np.isinf(num.to_numpy()).any()
    names = [x.name for x in RATIOS]
    has_nan = r[names].isna().any(axis=1)
    assert (r.loc[has_nan, "nan_reasons"] != "").all()
    assert (r.loc[~has_nan, "nan_reasons"] == "").all()

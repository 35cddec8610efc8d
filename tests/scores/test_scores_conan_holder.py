"""Conan-Holder score: canonical form, bands, indicative probability, validity, bad inputs."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.scores import conan_holder, conan_holder_from_ratios, score_words
from creditlab.statements._testing import make_statements, worked_example

MONEY = ["production_sold", "purchases_materials", "external_charges", "taxes", "wages",
         "social_charges", "operating_provisions", "interest_charges", "income_tax",
         "net_income", "tangible_assets_gross", "depreciation_fixed_assets", "inventories",
         "trade_receivables", "other_receivables", "cash", "total_assets", "share_capital",
         "retained_earnings", "equity", "long_term_debt", "bank_overdrafts", "trade_payables",
         "tax_social_payables", "other_payables", "total_liabilities", "market_value_equity"]


def test_t1_from_ratios():
    """DOMAIN.md §12 T1 / §1.4: R = (0.20, 0.55, 0.35, 0.01, 0.666667) → Z = 14.9633, band
    9-16; interpolation between 13.1 ↔ 20 % and 16.0 ↔ 10 % gives ≈ 13.6 % (indicative)."""
    codes = conan_holder_from_ratios(0.20, 0.55, 0.35, 0.01, 0.666667)
    assert "band_label" not in codes
    r = score_words(codes).iloc[0]
    assert r["score"] == pytest.approx(14.9633, abs=5e-5)
    assert r["band"] == "caution"
    assert r["band_label"] == "bonne situation, prudence"
    assert r["failure_prob_indicative"] == pytest.approx(0.20 - (14.963333 - 13.1) / 2.9 * 0.10,
                                                         abs=1e-4)
    assert round(r["failure_prob_indicative"], 3) == 0.136


def test_t1_from_statements_and_scale_invariance():
    """The §1.4 statement gives T1; scaled ×10 000 (CA 15 M€) it is in the validity domain."""
    ex = worked_example()
    assert conan_holder(ex).iloc[0]["validity_note"] == "no_sector;revenue_out_of_range"
    r = score_words(conan_holder(ex)).iloc[0]
    assert r["score"] == pytest.approx(14.9633, abs=5e-5)
    assert (r["r1"], r["r2"], r["r3"], r["r4"]) == pytest.approx((0.2, 0.55, 0.35, 0.01))
    assert r["r5"] == pytest.approx(2 / 3)
    assert not r["valid"]
    assert "CA hors de la plage 1,5-75 M€" in r["validity_note"]
    big = ex.copy()
    big[MONEY] = big[MONEY] * 10_000
    rb = conan_holder(big, sector="industrie").iloc[0]
    assert rb["score"] == pytest.approx(r["score"])
    assert rb["valid"] and rb["validity_note"] == ""
    rs = score_words(conan_holder(big, sector="services")).iloc[0]
    assert not rs["valid"] and "industrielles" in rs["validity_note"]
    # a 6-month fiscal year with CA 1 M€ is a 2 M€ firm: inside the 1.5-75 M€ range (annual)
    half = ex.copy()
    half[MONEY] = half[MONEY] * 1_000_000 / 1_500
    assert not conan_holder(half, sector="industrie").iloc[0]["valid"]
    half["months"] = 6
    assert conan_holder(half, sector="industrie").iloc[0]["valid"]


def test_percent_form_gives_the_same_number():
    """Pitfall 1 (DOMAIN.md §1.3, §14): 0.24·R1 + … with ratios in percent = canonical form on
    fractions; 0.24·R1 + … on fractions is 100 times smaller and must not meet 16/9/4."""
    r = np.array([0.20, 0.55, 0.35, 0.01, 0.666667])
    percent_form = float(np.dot([0.24, 0.22, 0.16, -0.87, -0.10], r * 100))
    z = conan_holder_from_ratios(*r)["score"].iloc[0]
    assert z == pytest.approx(percent_form)
    assert float(np.dot([0.24, 0.22, 0.16, -0.87, -0.10], r)) == pytest.approx(z / 100)


@pytest.mark.parametrize("z,band", [(16.0, "very_good"), (15.999, "caution"), (9.0, "caution"),
                                    (8.999, "warning"), (4.0, "warning"), (3.999, "danger"),
                                    (-30.0, "danger")])
def test_band_bounds(z, band):
    """Bands 16 / 9 / 4 (DOMAIN.md §1.2): lower bounds inclusive."""
    # r1 alone carries the score: Z = 24 r1
    assert conan_holder_from_ratios(z / 24, 0, 0, 0, 0)["band"].iloc[0] == band


def test_probability_table_points_and_clamping():
    """Table of DOMAIN.md §1.2 (WEAK, indicative): exact at its points, clamped outside."""
    z = np.array([-30, -21, -4.8, 0.2, 1.6, 4.0, 6.8, 8.5, 10.2, 13.1, 16.0, 40.0])
    p = conan_holder_from_ratios(z / 24, 0, 0, 0, 0)["failure_prob_indicative"].to_numpy()
    np.testing.assert_allclose(p, [1.0, 1.0, 0.9, 0.8, 0.7, 0.65, 0.5, 0.4, 0.3, 0.2, 0.1, 0.1])
    assert (np.diff(p) <= 0).all()


def test_financial_charges_parameter():
    """R4 numerator 661 (default) or 66 (DOMAIN.md §1.3)."""
    ex = worked_example()
    ex["other_financial_charges"] = 5.0
    ex["income_tax"] = 30.0  # keep net income at 50
    narrow = conan_holder(ex).iloc[0]
    broad = conan_holder(ex, financial_charges="total").iloc[0]
    assert narrow["r4"] == pytest.approx(15 / 1500)
    assert broad["r4"] == pytest.approx(20 / 1500)
    assert broad["score"] == pytest.approx(narrow["score"] - 87 * 5 / 1500)
    with pytest.raises(InputError, match="financial_charges"):
        conan_holder(ex, financial_charges="661")


def test_zero_and_negative_denominators_nan_with_reason():
    ex = worked_example()
    neg_va = ex.copy()
    neg_va["external_charges"] = 1000.0  # VA = 1500 − 1600 = −100
    neg_va["income_tax"] = 35 - 550.0
    no_debt = ex.copy()
    for c in ("long_term_debt", "bank_overdrafts", "trade_payables", "tax_social_payables",
              "other_payables"):
        no_debt[c] = 0.0
    no_debt["equity"] = 1000.0
    no_debt["retained_earnings"] = 750.0
    fs = pd.concat([neg_va, no_debt], ignore_index=True)
    fs["customer_id"] = ["A", "B"]
    codes = conan_holder(fs)
    assert codes["reason"].tolist() == ["r5_value_added", "r1_zero_debt"]
    out = score_words(codes)
    assert not np.isinf(out[["r1", "r2", "r3", "r4", "r5", "score"]].to_numpy()).any()
    assert np.isnan(out.loc[0, "r5"]) and np.isnan(out.loc[0, "score"])
    assert "valeur ajoutée négative ou nulle" in out.loc[0, "reason"]
    assert np.isnan(out.loc[1, "r1"]) and "dettes totales nulles" in out.loc[1, "reason"]
    assert out.loc[0, "band"] is np.nan or pd.isna(out.loc[0, "band"])
    assert not out["valid"].any()


def test_negative_sales_gives_nan_r4_not_a_bonus():
    """Negative CA HT (credit notes above sales): −87·R4 must not become a bonus (DOMAIN.md §1.1
    R4 = frais financiers / CA HT); R4 and the score are NaN with the reason."""
    ex = worked_example()
    ex["production_sold"] = -100.0
    ex["production_stocked"] = 1600.0  # VA stays 450: only the sign of the CA changes
    out = score_words(conan_holder(ex)).iloc[0]
    assert np.isnan(out["r4"]) and np.isnan(out["score"])
    assert out["reason"] == "R4 : chiffre d'affaires nul ou négatif"
    assert out["r5"] == pytest.approx(300 / 450)
    assert not out["valid"]


def test_english_labels_and_missing_column():
    out = score_words(conan_holder(worked_example()), "en").iloc[0]
    assert out["band_label"] == "good, caution"
    assert out["validity_note"] == "unknown sector; sales outside 1.5-75 M€"
    with pytest.raises(TypeError, match="lang"):  # the deprecated lang= is gone: words at the edge
        conan_holder(worked_example(), lang="en")
    with pytest.raises(InputError, match="interest_charges"):
        conan_holder(worked_example().drop(columns="interest_charges"))
    with pytest.raises(InputError, match="sector"):
        conan_holder(worked_example(), sector="agriculture")


def test_vectorised_matches_ratio_form():
    fs = make_statements(200, seed=11)
    fs.index = fs.index + 1000
    out = conan_holder(fs)
    assert list(out.index) == list(fs.index)
    ref = conan_holder_from_ratios(out["r1"], out["r2"], out["r3"], out["r4"], out["r5"])
    np.testing.assert_allclose(out["score"], ref["score"])
    pd.testing.assert_series_equal(out["band"], ref["band"].set_axis(out.index))
    assert out.loc[out["score"].isna(), "reason"].str.len().gt(0).all()


def test_demo_portfolio(demo_fs, demo):
    sectors = demo["customers"].set_index("customer_id")["sector"]
    fs = demo_fs.assign(sector=demo_fs["customer_id"].map(sectors))
    out = conan_holder(fs)
    assert len(out) == len(fs)
    assert not np.isinf(out["score"].to_numpy()).any()
    assert out.loc[out["valid"]].index.isin(fs.index[fs["sector"] == "industrie"]).all()

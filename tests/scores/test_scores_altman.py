"""Altman Z, Z′, Z″, Z″-EM: test vector T3, pitfalls, validity, NaN policy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.scores import (
    ALTMAN_VARIANTS,
    altman,
    altman_from_ratios,
    classic_scores,
    score_words,
)
from creditlab.statements._testing import make_statements, worked_example

T3 = {"z": (3.0800, "safe"), "z_prime": (2.3582, "grey"), "z_double_prime": (3.1730, "safe"),
      "z_em": (6.4230, "safe")}


@pytest.mark.parametrize("variant", ALTMAN_VARIANTS)
def test_t3_from_ratios(variant):
    """DOMAIN.md §12 T3 (§4 worked example): TA 1 000, WC 200, RE 150, EBIT 100, BVE 400,
    MVE 800, TL 600, sales 1 500 → 3.0800 / 2.3582 / 3.1730 / 6.4230."""
    x4 = 800 / 600 if variant == "z" else 400 / 600
    r = altman_from_ratios(0.2, 0.15, 0.1, x4, 1.5, variant=variant).iloc[0]
    assert r["score"] == pytest.approx(T3[variant][0], abs=5e-5)
    assert r["zone"] == T3[variant][1]


@pytest.mark.parametrize("variant", ALTMAN_VARIANTS)
def test_t3_from_statements(variant):
    """Same vector from the statement of creditlab.statements._testing.worked_example."""
    r = altman(worked_example(), variant).iloc[0]
    assert r["score"] == pytest.approx(T3[variant][0], abs=5e-5)
    assert r["reason"] == ""


def test_z_double_prime_has_no_sales_term_and_book_equity():
    """Pitfall 2: Z″ ignores X5; Z′ and Z″ use book equity (market value does not matter)."""
    a = altman_from_ratios(0.2, 0.15, 0.1, 0.5, 1.5, variant="z_double_prime")["score"].iloc[0]
    b = altman_from_ratios(0.2, 0.15, 0.1, 0.5, 9.0, variant="z_double_prime")["score"].iloc[0]
    assert a == b
    ex = worked_example()
    zp = altman(ex, "z_prime")["score"].iloc[0]
    ex["market_value_equity"] = 5000.0
    assert altman(ex, "z_prime")["score"].iloc[0] == zp
    assert altman(ex, "z")["x4"].iloc[0] == pytest.approx(5000 / 600)


def test_em_zones_are_shifted():
    """Pitfall 2: the +3.25 constant comes with zones 4.35 / 5.85 (an Odoo module kept 1.10 /
    2.60 and called everything safe). Z″ = 1.0 (distress) must stay distress as Z″-EM = 4.25."""
    x = (0.0, 0.0, 1.0 / 6.72, 0.0)  # Z″ = 1.0
    zpp = altman_from_ratios(*x, variant="z_double_prime").iloc[0]
    em = altman_from_ratios(*x, variant="z_em").iloc[0]
    assert zpp["score"] == pytest.approx(1.0) and zpp["zone"] == "distress"
    assert em["score"] == pytest.approx(4.25) and em["zone"] == "distress"
    g = altman_from_ratios(0, 0, 1.5 / 6.72, 0, variant="z_em").iloc[0]
    assert g["score"] == pytest.approx(4.75) and g["zone"] == "grey"


@pytest.mark.parametrize("variant,lo,hi", [("z", 1.81, 2.99), ("z_prime", 1.23, 2.90),
                                           ("z_double_prime", 1.10, 2.60), ("z_em", 4.35, 5.85)])
def test_zone_bounds(variant, lo, hi):
    """Zones of DOMAIN.md §4: distress < lo ≤ grey ≤ hi < safe."""
    coef3 = {"z": 3.3, "z_prime": 3.107, "z_double_prime": 6.72, "z_em": 6.72}[variant]
    const = 3.25 if variant == "z_em" else 0.0
    zs = np.array([lo - 1e-6, lo, hi, hi + 1e-6])
    out = altman_from_ratios(0, 0, (zs - const) / coef3, 0, 0, variant=variant)
    assert out["zone"].tolist() == ["distress", "grey", "grey", "safe"]


def test_market_value_missing_and_degenerate_balance_sheets():
    ex = worked_example()
    ex["market_value_equity"] = np.nan
    assert altman(ex, "z").iloc[0]["reason"] == "no_market_value"
    r = score_words(altman(ex, "z")).iloc[0]
    assert np.isnan(r["score"]) and "capitalisation boursière absente" in r["reason"]
    assert altman(ex.drop(columns="market_value_equity"), "z")["score"].isna().all()
    # no liabilities at all: X4 undefined
    nod = worked_example()
    for c in ("long_term_debt", "bank_overdrafts", "trade_payables", "tax_social_payables",
              "other_payables"):
        nod[c] = 0.0
    nod["equity"] = nod["total_liabilities"] = 1000.0
    nod["retained_earnings"] = 750.0
    r2 = score_words(altman(nod, "z_prime")).iloc[0]
    assert np.isnan(r2["score"]) and "X4 non défini" in r2["reason"]
    zero = worked_example()
    zero[["total_assets", "total_liabilities"]] = 0.0
    r3 = score_words(altman(zero, "z_double_prime"), "en").iloc[0]
    assert np.isnan(r3["score"]) and "zero total assets" in r3["reason"]


def test_validity_flags():
    ex = pd.concat([worked_example()] * 3, ignore_index=True)
    ex["customer_id"] = ["I", "S", "U"]
    sec = ["industrie", "services", None]
    codes = altman(ex, "z_prime", sector=sec)
    assert codes["validity_note"].tolist() == ["", "model_private_manufacturers", "no_sector"]
    zp = score_words(codes)
    assert zp["zone_label"].tolist() == ["zone grise"] * 3
    assert zp["valid"].tolist() == [True, False, False]
    assert "industrielles non cotées" in zp.loc[1, "validity_note"]
    assert "secteur inconnu" in zp.loc[2, "validity_note"]
    assert altman(ex, "z_double_prime", sector=sec)["valid"].tolist() == [True, True, False]
    assert not altman(ex, "z_em", sector=sec)["valid"].any()


def test_bad_inputs():
    with pytest.raises(InputError, match="variant"):
        altman(worked_example(), "zeta")
    with pytest.raises(InputError, match="x5"):
        altman_from_ratios(0.1, 0.1, 0.1, 0.5, variant="z")


def test_classic_scores_table():
    fs = make_statements(50, seed=3)
    t = classic_scores(fs)
    assert len(t) == 50 and list(t.index) == list(fs.index)
    for p in ("ch", "z", "zp", "zpp", "zem"):
        assert f"{p}_score" in t.columns and f"{p}_valid" in t.columns
    np.testing.assert_allclose(t["zem_score"] - t["zpp_score"], 3.25)
    assert not np.isinf(t.select_dtypes("number").to_numpy()).any()

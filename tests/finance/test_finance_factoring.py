"""Factoring (creditlab.finance.factoring) — DOMAIN.md §9, factoexpert worked example."""

from __future__ import annotations

import numpy as np
import pytest

from creditlab.exceptions import InputError
from creditlab.finance import (
    FACTORING_FEATURES,
    FACTORING_LABELS,
    CreditInsurancePolicy,
    compare_financing,
    factoring_contracts,
    factoring_cost,
)

FACTOEXPERT = ("http://www.factoexpert.com/e-p/200/"
               "combien-coutent-l-affacturage-et-l-assurance-cr-dit")


def _example(**kw):
    # factoexpert: 500 k€ factored, DSO 60, commission 0.9 %, Euribor 3M + 3 % ≈ 3.2 %
    # (index 0.2 %), guarantee fund 10 %.
    return factoring_cost(500_000, 60, commission_rate=0.009, index_rate=0.002, margin=0.03,
                          guarantee_fund_rate=0.10, **kw)


def test_factoexpert_example():
    # DOMAIN.md §9 (source above): outstanding ≈ 82 192 €, 90 % available ≈ 73 973 € (the
    # source rounds it to 75 000 €), commission 4 500 €, financing "75 000 × 3.2 % = 2 400 €"
    # → total ≈ 6.9 k€ = 1.38 % of factored sales. Exact: 73 972.60 × 3.2 % × 365/360 =
    # 2 400.00 € as well, because DSO/365 × 365/360 = DSO/360.
    f = _example()
    assert f.outstanding == pytest.approx(82_191.78, abs=0.01)
    assert f.financeable == pytest.approx(73_972.60, abs=0.01)
    assert f.guarantee_fund == pytest.approx(8_219.18, abs=0.01)
    assert f.factoring_commission == pytest.approx(4_500.0)
    assert f.financing_commission == pytest.approx(2_400.0, abs=0.005)
    assert f.total_cost == pytest.approx(6_900.0, abs=0.01)
    assert f.cost_share_of_sales == pytest.approx(0.0138, abs=1e-6)
    # without the /360 convention the source's "exact" figure would be 2 367 €
    assert f.financeable * 0.032 == pytest.approx(2_367.12, abs=0.01)
    assert f.effective_annual_rate == pytest.approx(6_900 / 73_972.60, rel=1e-6)


def test_factoexpert_70_percent_usage():
    # same source: 70 % usage → financing ≈ 1.7 k€, total ≈ 6.2 k€ (exact 1 680 € and 6 180 €)
    f = _example(usage=0.7)
    assert f.financing_commission == pytest.approx(1_680.0, abs=0.01)
    assert f.total_cost == pytest.approx(6_180.0, abs=0.01)
    assert round(f.financing_commission, -2) == 1_700
    assert round(f.total_cost, -2) == 6_200


def test_minimum_commission_fees_and_period():
    f = _example(minimum_commission=6_000, fixed_fees=500, per_invoice_fee=2.5, n_invoices=400)
    assert f.factoring_commission == 6_000
    assert f.fees == pytest.approx(1_500)
    assert f.total_cost == pytest.approx(6_000 + 2_400 + 1_500, abs=0.01)
    half = factoring_cost(250_000, 60, commission_rate=0.009, index_rate=0.002, margin=0.03,
                          days=180)
    # 180-day period: financing = drawn × rate × 180/360; annualised rate × 365/180
    drawn = 250_000 * 60 / 365 * 0.9
    assert half.financing_commission == pytest.approx(drawn * 0.032 * 0.5)
    assert half.effective_annual_rate == pytest.approx(half.total_cost * 365 / 180 / drawn)


def test_contract_types_as_data():
    df = factoring_contracts()
    assert set(df.index) == {"classic", "notified_not_managed", "confidential", "reverse",
                             "collection_mandate"}
    for f in FACTORING_FEATURES:
        assert df[f].dtype == bool
    assert df["source"].str.len().gt(10).all()
    assert df.loc["classic", ["notification", "collection_by_factor", "guarantee",
                              "financing"]].all()
    assert not df.loc["confidential", "notification"]
    assert not df.loc["notified_not_managed", "collection_by_factor"]
    assert not df.loc["collection_mandate", ["guarantee", "financing"]].any()
    assert df.loc["reverse", "initiator"] == "buyer"
    en = factoring_contracts("en")
    assert en.loc["classic", "label"].startswith("classic")


def test_collection_mandate_has_no_financing():
    f = factoring_cost(500_000, 60, commission_rate=0.004, margin=0.03,
                       contract_type="collection_mandate")
    assert f.drawn == 0 and f.financing_commission == 0
    assert f.total_cost == pytest.approx(2_000)
    assert np.isnan(f.effective_annual_rate)            # nothing drawn → NaN, not inf
    with pytest.raises(InputError, match="usage"):
        factoring_cost(500_000, 60, commission_rate=0.004, margin=0.03,
                       contract_type="collection_mandate", usage=0.5)


def test_compare_financing():
    f = _example()
    p = CreditInsurancePolicy(premium_rate=0.003, minimum_premium=1_000)
    t = compare_financing(f, overdraft_rate=0.06, insurance=p, insured_turnover=500_000 / 1.2,
                          inhouse_collection_cost=3_000)
    assert list(t.index) == ["factoring", "overdraft", "overdraft_insurance"]
    od = f.drawn * 0.06 * 365 / 360
    assert t.loc["overdraft", "financing_cost"] == pytest.approx(od)
    assert t.loc["overdraft", "total"] == pytest.approx(od + 3_000)
    assert t.loc["overdraft_insurance", "insurance_premium"] == pytest.approx(1_250)
    assert t.loc["overdraft_insurance", "total"] == pytest.approx(od + 1_250 + 3_000)
    assert t.loc["factoring", "total"] == pytest.approx(6_900, abs=0.01)   # collection included
    assert t.loc["factoring", "collection"] and not t.loc["overdraft", "guarantee"]
    assert t.loc["overdraft_insurance", "guarantee"]
    assert "label" not in t  # option codes; words from the catalogue at the edge
    assert FACTORING_LABELS[t.index[0]]["fr"] == "affacturage"
    with pytest.raises(TypeError):
        compare_financing(f, overdraft_rate=0.06, lang="en")  # no words in the result
    assert t["share_of_sales"].iloc[0] == pytest.approx(0.0138, abs=1e-6)
    # a confidential contract leaves collection to the client: its in-house cost stays
    conf = factoring_cost(500_000, 60, commission_rate=0.005, index_rate=0.002, margin=0.03,
                          contract_type="confidential")
    tc = compare_financing(conf, overdraft_rate=0.06, inhouse_collection_cost=3_000)
    assert tc.loc["factoring", "inhouse_collection_cost"] == 3_000
    assert "overdraft_insurance" not in tc.index


@pytest.mark.parametrize("kw, name", [
    ({"commission_rate": -0.001}, "commission_rate"),
    ({"margin": -0.01}, "margin"),
    ({"index_rate": -0.005}, "index_rate"),
    ({"guarantee_fund_rate": 1.0}, "guarantee_fund_rate"),
    ({"usage": 1.2}, "usage"),
    ({"contract_type": "full"}, "contract_type"),
    ({"days": 0}, "days"),
    ({"n_invoices": -1}, "n_invoices"),
])
def test_factoring_bad_inputs(kw, name):
    args = dict(commission_rate=0.009, index_rate=0.002, margin=0.03)
    args.update(kw)
    with pytest.raises(InputError) as exc:
        factoring_cost(500_000, 60, **args)
    assert exc.value.name == name


def test_compare_financing_bad_inputs():
    f = _example()
    with pytest.raises(InputError, match="insured_turnover"):
        compare_financing(f, overdraft_rate=0.06, insurance=CreditInsurancePolicy())
    with pytest.raises(InputError):
        compare_financing(f, overdraft_rate=-0.06)
    with pytest.raises(InputError):
        compare_financing({"total": 1}, overdraft_rate=0.06)


def test_summary_and_html():
    f = _example()
    codes = f.summary()
    assert codes.index.name == "component" and list(codes.columns) == ["amount"]
    assert codes.loc["total_cost", "amount"] == pytest.approx(6_900, abs=1)
    s = f.to_frame()
    assert s.loc["coût total"].iloc[0].replace("\u202f", " ").startswith("6 900")
    assert s.loc["coût / CA affacturé"].iloc[0].startswith("1,38")
    assert "<table" in f._repr_html_()
    with pytest.raises(AttributeError):
        _ = f.no_such_item

"""Credit insurance (creditlab.finance.insurance) — DOMAIN.md §8 and test vector T15."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.finance import (
    INSURANCE_LABELS,
    CreditInsurancePolicy,
    claim_indemnities,
    declaration_deadlines,
    insure_vs_self_insure,
    uninsured_exposure,
)

PAGESJAUNES = ("https://assurance-professionnelle.pagesjaunes.fr/astuce/voir/747081/"
               "pourcentage-garantie-par-l-assurance-credit")


# --- policy ---------------------------------------------------------------------------------
def test_policy_defaults_validation_and_premium():
    p = CreditInsurancePolicy(premium_rate=0.003, minimum_premium=5_000)
    assert p.premium(1_000_000) == 5_000.0          # 3 000 < minimum
    assert p.premium(4_000_000) == pytest.approx(12_000.0)
    prem = p.premium(pd.Series([1e6, 4e6], index=["x", "y"]))
    assert list(prem.index) == ["x", "y"] and prem["y"] == pytest.approx(12_000)
    assert CreditInsurancePolicy.from_dict(p.to_dict()) == p
    assert p.summary().loc["insured_share", "value"] == 0.9
    s = p.to_frame()
    assert "quotité garantie" in s.index and s.loc["quotité garantie"].iloc[0].startswith("90")
    assert "<table" in p._repr_html_()


@pytest.mark.parametrize("kw, name", [
    ({"insured_share": 0.0}, "insured_share"),
    ({"insured_share": 90}, "insured_share"),
    ({"premium_rate": -0.001}, "premium_rate"),
    ({"annual_deductible": -1}, "annual_deductible"),
    ({"max_indemnity": 0}, "max_indemnity"),
    ({"basis": "HT"}, "basis"),
    ({"declaration_days": 90.5}, "declaration_days"),
    ({"policy_year_start_month": 13}, "policy_year_start_month"),
])
def test_policy_bad_terms(kw, name):
    with pytest.raises(InputError) as exc:
        CreditInsurancePolicy(**kw)
    assert exc.value.name == name


def test_policy_from_dict_unknown_key():
    with pytest.raises(InputError, match="quotite"):
        CreditInsurancePolicy.from_dict({"quotite": 0.9})


# --- claims ---------------------------------------------------------------------------------
def test_t15_indemnity_27k():
    # T15 (DOMAIN.md §8, pagesjaunes): exposure 40 k€, agrément 30 k€, quotité 90 % → 27 k€;
    # the insured bears 13 k€ (10 k€ uninsured excess + 3 k€ retained share).
    claims = pd.DataFrame({"unpaid_ht": [40_000.0], "agreement": [30_000.0]})
    r = claim_indemnities(claims, CreditInsurancePolicy(insured_share=0.90))
    row = r.table.iloc[0]
    assert row["covered_loss"] == pytest.approx(30_000)
    assert row["indemnity"] == pytest.approx(27_000)
    assert row["retained"] == pytest.approx(13_000)
    assert r.total_indemnity == pytest.approx(27_000)


def test_annual_franchise_consumption_pagesjaunes():
    # DOMAIN.md §8 (pagesjaunes, franchise page): franchise 100 k€, quotité 90 %: a 50 k€ loss
    # counts 45 k€ toward the franchise, a 20 k€ loss 18 k€; indemnities start only above it.
    p = CreditInsurancePolicy(insured_share=0.90, annual_deductible=100_000)
    claims = pd.DataFrame({
        "unpaid_ht": [20_000.0, 50_000.0, 60_000.0, 10_000.0],
        "agreement": [1e6] * 4,
        "claim_date": pd.to_datetime(["2025-03-01", "2025-01-10", "2025-06-01", "2026-01-05"]),
    }, index=["c2", "c1", "c3", "c4"])
    t = claim_indemnities(claims, p).table
    # date order: c1 (45 k) then c2 (18 k) then c3 (54 k): cum 45, 63, 117 → 17 k paid on c3
    assert t.loc["c1", "franchise_consumed"] == pytest.approx(45_000)
    assert t.loc["c2", "franchise_consumed"] == pytest.approx(18_000)
    assert t.loc["c1", "indemnity"] == 0 and t.loc["c2", "indemnity"] == 0
    assert t.loc["c3", "indemnity"] == pytest.approx(17_000)
    assert t.loc["c3", "franchise_consumed"] == pytest.approx(37_000)
    # next policy year: the franchise starts again, 9 k < 100 k → nothing
    assert t.loc["c4", "policy_year"] == 2026 and t.loc["c4", "indemnity"] == 0
    assert list(t.index) == ["c2", "c1", "c3", "c4"]     # input order kept
    by = claim_indemnities(claims, p).by_year()
    assert by.loc[2025, "indemnity"] == pytest.approx(17_000)
    assert by.loc[2025, "n_claims"] == 3


def test_individual_franchises_recoveries_and_cap():
    p = CreditInsurancePolicy(insured_share=0.8, deductible_per_claim=1_000,
                              claim_threshold=2_000, max_indemnity=10_000)
    claims = pd.DataFrame({
        "unpaid_ht": [1_500.0, 6_000.0, 20_000.0, 9_000.0],
        "recoveries": [0.0, 1_000.0, 0.0, 0.0],
        "agreement": [5_000.0, 10_000.0, 8_000.0, np.nan],     # last: no named agreement
        "claim_date": ["2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"],
    })
    t = claim_indemnities(claims, p).table
    assert t["indemnity"].iloc[0] == 0                              # below the threshold
    assert t["indemnity"].iloc[1] == pytest.approx(0.8 * (5_000 - 1_000))   # 3 200
    # 0.8 × (8 000 − 1 000) = 5 600 but the annual cap leaves 10 000 − 3 200 = 6 800 → 5 600
    assert t["indemnity"].iloc[2] == pytest.approx(5_600)
    assert t["indemnity"].iloc[3] == 0                              # no agreement, no cover
    p2 = p.replace(max_indemnity=6_000)
    t2 = claim_indemnities(claims, p2).table
    assert t2["indemnity"].iloc[2] == pytest.approx(6_000 - 3_200)  # capped
    p3 = p.replace(discretionary_limit=5_000, max_indemnity=None)
    t3 = claim_indemnities(claims, p3).table
    assert t3["indemnity"].iloc[3] == pytest.approx(0.8 * (5_000 - 1_000))
    assert t3["retained"].iloc[3] == pytest.approx(9_000 - 3_200)


def test_policy_year_start_month():
    p = CreditInsurancePolicy(annual_deductible=10_000, policy_year_start_month=7,
                              insured_share=1.0)
    claims = pd.DataFrame({"unpaid_ht": [8_000.0, 8_000.0], "agreement": [1e5, 1e5],
                           "claim_date": ["2025-06-30", "2025-07-01"]})
    t = claim_indemnities(claims, p).table
    assert list(t["policy_year"]) == [2024, 2025]
    assert t["indemnity"].sum() == 0          # each year below its own franchise


def test_claims_basis_ttc_and_missing_column():
    claims = pd.DataFrame({"unpaid_ttc": [12_000.0], "insurer_agreement": [50_000.0]})
    with pytest.raises(InputError, match="unpaid_ht"):
        claim_indemnities(claims, CreditInsurancePolicy())
    r = claim_indemnities(claims, {"basis": "ttc", "insured_share": 0.9})
    assert r.total_indemnity == pytest.approx(10_800)
    with pytest.raises(InputError, match="agreement"):
        claim_indemnities(pd.DataFrame({"unpaid_ht": [1.0]}), CreditInsurancePolicy())
    with pytest.raises(InputError):
        claim_indemnities(pd.DataFrame({"unpaid_ht": [-1.0], "agreement": [1.0]}),
                          CreditInsurancePolicy())


# --- deadlines ------------------------------------------------------------------------------
def _items():
    return pd.DataFrame({
        "customer_id": ["C1", "C1", "C2", "C3", "C4"],
        "invoice_id": ["F1", "F2", "F3", "A1", "F5"],
        "doc_type": ["invoice", "invoice", "invoice", "credit_note", "invoice"],
        "issue_date": pd.to_datetime(["2025-06-01", "2025-11-01", "2025-08-01", "2025-10-01",
                                      "2025-03-01"]),
        "due_date": pd.to_datetime(["2025-07-31", "2026-01-31", "2025-10-01", "2025-11-30",
                                    "2025-09-20"]),
        "open_amount": [1_000.0, 2_000.0, 500.0, -100.0, 750.0],
        "disputed": [False, False, True, False, False],
    })


def test_declaration_deadlines():
    p = CreditInsurancePolicy(declaration_days=90, waiting_days=150, max_credit_days=150)
    out = declaration_deadlines(_items(), p, "2025-12-20", alert_days=15).set_index("invoice_id")
    assert "A1" not in out.index                                  # credit notes ignored
    assert out.loc["F1", "declaration_deadline"] == pd.Timestamp("2025-10-29")
    assert out.loc["F1", "status"] == "missed" and out.loc["F1", "days_left"] == -52
    assert out.loc["F3", "declaration_deadline"] == pd.Timestamp("2025-12-30")
    assert out.loc["F3", "status"] == "declare_now" and out.loc["F3", "days_left"] == 10
    assert out.loc["F3", "disputed"]
    assert out.loc["F2", "status"] == "not_due"
    assert out.loc["F5", "status"] == "missed"
    assert out.loc["F5", "over_max_credit"]                       # 203 days of credit > 150
    assert out.loc["F1", "carence_end"] == pd.Timestamp("2025-10-29") + pd.Timedelta(days=150)
    assert "status_label" not in out  # a code; its words from the catalogue at the edge
    assert INSURANCE_LABELS[out.loc["F1", "status"]]["fr"] == "délai dépassé"
    p2 = p.replace(declaration_days=120)
    out2 = declaration_deadlines(_items(), p2, "2025-12-20").set_index("invoice_id")
    assert out2.loc["F3", "status"] == "watch"                    # deadline 2026-01-29


def test_declaration_deadlines_bad_inputs():
    p = CreditInsurancePolicy()
    with pytest.raises(InputError, match="as_of"):
        declaration_deadlines(_items(), p, None)
    bad = _items()
    bad.loc[0, "due_date"] = pd.NaT
    with pytest.raises(InputError, match="due date"):
        declaration_deadlines(bad, p, "2025-12-20")
    with pytest.raises(InputError):
        declaration_deadlines(_items().drop(columns="due_date"), p, "2025-12-20")


# --- uninsured exposure ---------------------------------------------------------------------
def test_uninsured_exposure_pagesjaunes_split():
    # pagesjaunes: 40 k exposure, 30 k agreement, 90 % → 27 k insured, 13 k borne
    # = 10 k excess + 3 k retained share (DOMAIN.md §8).
    exp = pd.DataFrame({
        "net_exposure": [40_000.0, 10_000.0, 5_000.0, 0.0, 20_000.0],
        "insurer_agreement": [30_000.0, np.nan, 0.0, 1_000.0, 50_000.0],
    }, index=pd.Index(list("ABCDE"), name="customer_id"))
    r = uninsured_exposure(exp, CreditInsurancePolicy(insured_share=0.9))
    t = r.table
    assert t.loc["A", "insured"] == pytest.approx(27_000)
    assert t.loc["A", "excess"] == pytest.approx(10_000)
    assert t.loc["A", "retained_share"] == pytest.approx(3_000)
    assert t.loc["A", "uninsured"] == pytest.approx(13_000)
    assert t["status"].to_dict() == {"A": "over_agreement", "B": "no_agreement",
                                     "C": "cancelled", "D": "no_exposure", "E": "covered"}
    assert r.total["uninsured"] == pytest.approx(13_000 + 10_000 + 5_000 + 0 + 2_000)
    assert list(r.top_ups().index) == ["A", "B", "C"]       # excess 10 k, 10 k, 5 k
    assert r.summary().loc["total", "n"] == 5
    assert r.summary().loc["over_agreement", "excess"] == pytest.approx(10_000)
    assert r.to_frame().loc["total", "clients"] == 5
    assert r.to_frame("en").loc["over agreement", "customers"] == 1
    with_disc = uninsured_exposure(exp, CreditInsurancePolicy(discretionary_limit=8_000))
    assert with_disc.table.loc["B", "status"] == "discretionary"
    assert with_disc.table.loc["B", "insured"] == pytest.approx(0.9 * 8_000)


def test_uninsured_exposure_accepts_exposure_result():
    from creditlab.receivables.exposure import exposure

    items = pd.DataFrame({"customer_id": ["A", "B"], "open_amount": [40_000.0, 5_000.0]})
    customers = pd.DataFrame({"customer_id": ["A", "B"], "insurer_agreement": [30_000.0, np.nan],
                              "credit_limit": [50_000.0, 10_000.0]})
    e = exposure(items, None, "2025-12-31", customers=customers)
    r = uninsured_exposure(e, CreditInsurancePolicy())
    assert r.table.loc["A", "insured"] == pytest.approx(27_000)
    # same insured figure as the receivables module's own split
    assert r.table["insured"].sum() == pytest.approx(e.by_customer["insured"].sum())


# --- insure vs self-insure ------------------------------------------------------------------
def _portfolio(n=60):
    rng = np.random.default_rng(3)
    return pd.DataFrame({"pd": rng.uniform(0.005, 0.06, n),
                         "ead": rng.uniform(5_000, 80_000, n),
                         "agreement": rng.choice([20_000.0, 50_000.0, np.nan], n)})


def test_insure_vs_self_insure_analytic():
    port = _portfolio()
    p = CreditInsurancePolicy(insured_share=0.9, premium_rate=0.002, deductible_per_claim=500)
    r = insure_vs_self_insure(port, p, insured_turnover=10_000_000, lgd=0.9, n_sims=0)
    loss = 0.9 * port["ead"]
    covered = np.minimum(loss, port["agreement"].fillna(0.0))
    ind = 0.9 * np.maximum(covered - 500, 0)
    el = (port["pd"] * loss).sum()
    eind = (port["pd"] * ind).sum()
    assert r.premium == pytest.approx(20_000)
    assert r.table.loc["expected_losses", "self_insured"] == pytest.approx(el)
    assert r.table.loc["expected_indemnity", "insured"] == pytest.approx(eind)
    assert r.table.loc["expected_cost", "insured"] == pytest.approx(20_000 + el - eind)
    assert r.expected_saving == pytest.approx(el - (20_000 + el - eind))
    assert r.loss_ratio == pytest.approx(eind / 20_000)
    assert np.isnan(r.table.loc["quantile_cost", "insured"])


def test_insure_vs_self_insure_simulation_matches_and_protects_tail():
    port = _portfolio()
    p = CreditInsurancePolicy(insured_share=0.9, premium_rate=0.002)
    exact = insure_vs_self_insure(port, p, insured_turnover=10_000_000, lgd=0.9, n_sims=0)
    sim = insure_vs_self_insure(port, p, insured_turnover=10_000_000, lgd=0.9, n_sims=40_000,
                                seed=1)
    e, s = exact.table, sim.table
    se = s.loc["std_cost", "self_insured"] / np.sqrt(40_000)
    assert abs(s.loc["expected_indemnity", "insured"] - e.loc["expected_indemnity", "insured"]) \
        < 5 * se
    # insurance narrows the bad-year cost
    assert s.loc["quantile_cost", "insured"] < s.loc["quantile_cost", "self_insured"]
    assert s.loc["std_cost", "insured"] < s.loc["std_cost", "self_insured"]
    # deterministic with a seed
    again = insure_vs_self_insure(port, p, insured_turnover=10_000_000, lgd=0.9, n_sims=40_000,
                                  seed=1)
    pd.testing.assert_frame_equal(s, again.table)
    assert "quantile 99" in sim.explain()


def test_annual_deductible_lowers_simulated_indemnity():
    port = _portfolio()
    base = CreditInsurancePolicy(insured_share=0.9)
    with_f = base.replace(annual_deductible=30_000)
    a = insure_vs_self_insure(port, base, insured_turnover=1e7, lgd=0.9, n_sims=5_000)
    b = insure_vs_self_insure(port, with_f, insured_turnover=1e7, lgd=0.9, n_sims=5_000)
    assert b.table.loc["expected_indemnity", "insured"] < a.table.loc["expected_indemnity",
                                                                      "insured"]


def test_insure_vs_self_insure_bad_inputs():
    p = CreditInsurancePolicy()
    with pytest.raises(InputError, match="lgd"):
        insure_vs_self_insure(_portfolio(), p, insured_turnover=1e6)
    with pytest.raises(InputError):
        insure_vs_self_insure(_portfolio().assign(pd=2.0), p, insured_turnover=1e6, lgd=0.9)
    with pytest.raises(InputError):
        insure_vs_self_insure(_portfolio(), p, insured_turnover=-1, lgd=0.9)
    with pytest.raises(InputError):
        insure_vs_self_insure(_portfolio(), p, insured_turnover=1e6, lgd=0.9, n_sims=1.5)
    with pytest.raises(InputError, match="CreditInsurancePolicy"):
        insure_vs_self_insure(_portfolio(), "policy", insured_turnover=1e6, lgd=0.9)

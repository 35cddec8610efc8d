"""Every finance result follows creditlab._results.Result: summary() in codes, to_frame(lang) in
words, _repr_html_ escaped French; the computations take no ``lang``."""

from __future__ import annotations

import inspect

import pandas as pd
import pytest

import creditlab.finance as fin
from creditlab._results import Result


def _results():
    seg = pd.DataFrame({"sales_ht": [1e6], "margin_rate": [0.05], "pd": [0.01],
                        "dso_days": [60]}, index=["GC"])
    pol = fin.CreditInsurancePolicy(insured_share=0.9, premium_rate=0.003)
    exp = pd.DataFrame({"net_exposure": [30_000.0, 0.0], "insurer_agreement": [20_000.0, 0.0]},
                       index=pd.Index(["A", "B"], name="customer_id"))
    claims = pd.DataFrame({"unpaid_ht": [10_000.0], "agreement": [50_000.0]})
    port = pd.DataFrame({"pd": [0.02, 0.05], "ead": [40_000.0, 20_000.0],
                         "agreement": [40_000.0, 10_000.0]})
    plan = fin.payment_plan(12_000, 4, "2026-01-31")
    return {
        "credit_cost": fin.credit_cost(1_200_000, 60, 0.05, target_dso_days=45),
        "marginal": fin.marginal_analysis(seg, rate=0.05, lgd=0.9),
        "abc": fin.abc_segmentation(pd.Series([5.0, 3.0, 1.0, 1.0])),
        "matrix": fin.risk_stakes_matrix(pd.DataFrame({"rating_class": [1, 4],
                                                       "abc_class": ["A", "C"]})),
        "factoring": fin.factoring_cost(500_000, 60, commission_rate=0.009, margin=0.032),
        "claims": fin.claim_indemnities(claims, pol),
        "uninsured": fin.uninsured_exposure(exp, pol),
        "choice": fin.insure_vs_self_insure(port, pol, insured_turnover=1e6, lgd=0.9,
                                           n_sims=200),
        "plan": plan,
        "proposal": fin.evaluate_proposal(plan, reference_date="2025-12-31",
                                          financing_rate=0.05),
        "discount": fin.discount_analysis(0.02, 10, 60, financing_rate=0.05),
    }


RESULTS = _results()


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_summary_in_codes_to_frame_in_words(name):
    r = RESULTS[name]
    assert isinstance(r, Result)
    codes = r.summary()
    fr, en = r.to_frame(), r.to_frame("en")
    assert len(codes) == len(fr) == len(en) and fr.shape == en.shape
    if name != "matrix":     # the matrix adds the quadrant's label and action in words
        assert codes.shape == fr.shape
    # codes are English identifiers: no accents, no spaces in column names
    for col in codes.columns:
        assert isinstance(col, str) and col.isascii() and " " not in col, (name, col)
    # the French table differs from the codes (it is translated) ...
    assert list(fr.columns) != list(codes.columns) or list(fr.index) != list(codes.index)
    # ... and the English one from the French
    assert list(fr.columns) != list(en.columns) or list(fr.index) != list(en.index)
    html = r._repr_html_()
    assert "<table" in html and "<h4>" in html
    assert not hasattr(r, "lang")


def test_html_is_escaped():
    r = fin.abc_segmentation(pd.Series([5.0, 1.0]), labels=("<b>A</b>", "B", "C"))
    html = r._repr_html_()
    assert "<b>A</b>" not in html and "&lt;b&gt;A&lt;/b&gt;" in html


@pytest.mark.parametrize("func", [fin.credit_cost, fin.marginal_analysis, fin.abc_segmentation,
                                  fin.risk_stakes_matrix, fin.factoring_cost,
                                  fin.claim_indemnities, fin.uninsured_exposure,
                                  fin.insure_vs_self_insure, fin.payment_plan,
                                  fin.evaluate_proposal, fin.discount_analysis,
                                  fin.discount_curve])
def test_computations_take_no_lang(func):
    assert "lang" not in inspect.signature(func).parameters


def test_words_are_those_of_the_catalogue():
    r = RESULTS["marginal"]
    assert r.summary()["decision"].iloc[0] in ("grant", "refuse")
    word = fin.MARGINAL_LABELS[r.summary()["decision"].iloc[0]]
    assert r.to_frame()["décision"].iloc[0] == word["fr"]
    assert r.to_frame("en")["decision"].iloc[0] == word["en"]
    # explain keeps its language argument (it produces text)
    assert "DSO" in RESULTS["credit_cost"].explain("en")

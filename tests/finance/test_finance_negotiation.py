"""Negotiation tools (creditlab.finance.negotiation) — DOMAIN.md §10.1 and test vector T10."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditlab.exceptions import InputError
from creditlab.finance import (
    NegotiationPolicy,
    discount_analysis,
    discount_annual_rate,
    evaluate_proposal,
    max_discount,
    payment_plan,
)


# --- escompte ---------------------------------------------------------------------------------
def test_t10_two_ten_net_thirty():
    # DOMAIN.md §12 T10 (recomputed): 2 %, 10 d, net 30 → 37.245 % (365), 36.735 % (360),
    # 44.585 % effective.
    assert discount_annual_rate(0.02, 10, 30) == pytest.approx(0.37245, abs=5e-6)
    assert discount_annual_rate(0.02, 10, 30, day_count=360) == pytest.approx(0.36735, abs=5e-6)
    assert discount_annual_rate(0.02, 10, 30, compounded=True) == pytest.approx(0.44585,
                                                                                abs=5e-6)


def test_one_ten_net_forty_five():
    # DOMAIN.md §10.1: 1/10 net 45 → 1.01 % × 365/35 = 10.53 %
    # (https://fr.ebrdbusinesslens.com/74-how-8698897-calculate-rate-forgoing-cash-discountl-31315)
    assert discount_annual_rate(0.01, 10, 45) == pytest.approx(0.1053, abs=5e-5)


def test_discount_analysis_and_max_discount():
    r = discount_analysis(0.02, 10, 30, financing_rate=0.05)
    assert r.simple_rate_365 == pytest.approx(0.37245, abs=5e-6)
    assert r.simple_rate_360 == pytest.approx(0.36735, abs=5e-6)
    assert r.effective_rate == pytest.approx(0.44585, abs=5e-6)
    # 5 % over 20 days: x = 0.05 × 20/365 = 0.0027397 → d = x / (1 + x) = 0.27322 %
    assert r.max_discount == pytest.approx(0.05 * 20 / 365 / (1 + 0.05 * 20 / 365))
    text = r.explain()
    assert "37,24" in text and "coûte plus cher" in text
    assert "costs more" in r.explain("en")
    assert len(r.summary()) == 4


def test_discount_vectorised_keeps_series_index():
    d = pd.Series([0.01, 0.02], index=["1/10", "2/10"])
    out = discount_annual_rate(d, 10, 30)
    assert list(out.index) == ["1/10", "2/10"]
    assert out["2/10"] == pytest.approx(0.37245, abs=5e-6)


@settings(max_examples=300, deadline=None)
@given(d=st.floats(0, 0.5), td=st.integers(0, 200), n=st.integers(1, 365),
       basis=st.sampled_from([365, 360]))
def test_property_effective_never_below_simple_for_one_period(d, td, n, basis):
    # a period no longer than the year: (1 + x)^k − 1 >= k·x for k = D / n >= 1 (Bernoulli)
    if n > basis:
        return
    simple = discount_annual_rate(d, td, td + n, day_count=basis)
    eff = discount_annual_rate(d, td, td + n, day_count=basis, compounded=True)
    assert eff >= simple * (1 - 1e-12) - 1e-12


@settings(max_examples=300, deadline=None)
@given(r=st.floats(0, 2), td=st.integers(0, 60), n=st.integers(1, 365),
       comp=st.booleans())
def test_property_max_discount_is_inverse(r, td, n, comp):
    d = max_discount(r, td, td + n, compounded=comp)
    assert 0 <= d < 1
    back = discount_annual_rate(d, td, td + n, compounded=comp)
    assert back == pytest.approx(r, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("args, kw, name", [
    ((1.0, 10, 30), {}, "discount"),
    ((1.2, 10, 30), {}, "discount"),
    ((-0.02, 10, 30), {}, "discount"),
    ((0.02, 30, 30), {}, "net_days"),
    ((0.02, 40, 30), {}, "net_days"),
    ((0.02, -1, 30), {}, "discount_days"),
    ((0.02, 10, 30), {"day_count": 364}, "day_count"),
])
def test_discount_bad_inputs(args, kw, name):
    with pytest.raises(InputError) as exc:
        discount_annual_rate(*args, **kw)
    assert exc.value.name == name
    assert exc.value.fix


def test_discount_analysis_bad_inputs():
    with pytest.raises(InputError) as exc:
        discount_analysis(0.02, "ten", 30)
    assert exc.value.name == "discount_days"
    with pytest.raises(InputError) as exc:
        discount_analysis(0.02, 10, 30, financing_rate=-0.01)
    assert exc.value.name == "financing_rate"


def test_max_discount_negative_rate():
    with pytest.raises(InputError) as exc:
        max_discount(-0.01, 10, 30)
    assert exc.value.name == "financing_rate"


# --- payment plans ----------------------------------------------------------------------------
def test_annuity_known_value():
    # 10 000 € over 12 monthly instalments at 12 %/year (1 %/month):
    # payment = 10 000 × 0.01 / (1 − 1.01^−12) = 888.49 € (standard annuity formula)
    p = payment_plan(10_000, 12, "2026-01-31", annual_rate=0.12)
    s = p.schedule
    assert (s["payment"].iloc[:-1] == 888.49).all()
    assert s["interest"].iloc[0] == pytest.approx(100.0)
    assert s["principal"].sum() == pytest.approx(10_000, abs=1e-9)
    assert s["closing_balance"].iloc[-1] == 0
    assert p.total_interest == pytest.approx(888.49 * 12 - 10_000, abs=0.05)
    # monthly dates keep the day of month, clipped at month end
    assert list(s["date"].dt.strftime("%m-%d").iloc[:3]) == ["01-31", "02-28", "03-31"]


def test_linear_plan_interest_free_and_penalties():
    p = payment_plan(1_000, 3, "2026-02-15", method="linear", penalties=40,
                     waive_penalties=False, penalties_timing="spread")
    s = p.schedule
    assert list(s["principal"]) == [333.33, 333.33, 333.34]
    assert s["interest"].sum() == 0
    assert list(s["penalties"]) == [13.33, 13.33, 13.34]
    assert p.total_paid == pytest.approx(1_040.0)
    assert p.penalties_waived == 0
    w = payment_plan(1_000, 3, "2026-02-15", penalties=40, waive_penalties=True)
    assert w.schedule["penalties"].sum() == 0 and w.penalties_waived == 40
    q = payment_plan(1_000, 4, "2026-01-01", frequency="quarterly")
    assert list(q.schedule["date"].dt.month) == [1, 4, 7, 10]
    wk = payment_plan(1_000, 2, "2026-01-01", frequency="weekly")
    assert (wk.schedule["date"].iloc[1] - wk.schedule["date"].iloc[0]).days == 7


def test_payment_plan_summary_and_plot():
    p = payment_plan(12_000, 4, "2026-01-31")
    codes = p.summary()
    assert codes.index.name == "instalment"
    assert codes.loc["total", "principal"] == pytest.approx(12_000)
    assert codes.loc["1", "date"] == pd.Timestamp("2026-01-31")
    s = p.to_frame()
    assert s.loc["total", "capital"] == pytest.approx(12_000)
    assert s.loc["1", "date"] == "31/01/2026" and s.loc["total", "date"] == ""
    en = p.to_frame("en")
    assert "principal" in en.columns and en.loc["1", "date"] == "2026-01-31"
    ax = p.plot_schedule()
    assert ax.get_title() == "Échéancier"


@pytest.mark.parametrize("kw, name", [
    ({"amount": 0}, "amount"),
    ({"n_instalments": 0}, "n_instalments"),
    ({"n_instalments": 2.5}, "n_instalments"),
    ({"first_date": "not a date"}, "first_date"),
    ({"annual_rate": -0.01}, "annual_rate"),
    ({"frequency": "daily"}, "frequency"),
    ({"method": "balloon"}, "method"),
    ({"penalties": -5}, "penalties"),
])
def test_payment_plan_bad_inputs(kw, name):
    args = dict(amount=1_000, n_instalments=3, first_date="2026-01-31")
    args.update(kw)
    with pytest.raises(InputError) as exc:
        payment_plan(**args)
    assert exc.value.name == name


# --- proposal vs policy --------------------------------------------------------------------
def test_four_monthly_instalments_without_interest():
    # The brief's what-if: 12 000 € due 31/12/2025, the customer proposes 4 monthly
    # instalments without interest from 31/01/2026; cost of money 5 %.
    plan = payment_plan(12_000, 4, "2026-01-31")
    ev = evaluate_proposal(plan, reference_date="2025-12-31", financing_rate=0.05)
    delays = np.array([31, 59, 90, 120])
    cost = (3_000 * 0.05 * delays / 365).sum()
    assert ev.cost["financing_cost"] == pytest.approx(cost)            # 123.29 €
    assert ev.cost["average_delay_days"] == pytest.approx(delays.mean())
    assert ev.cost["net_cost_share"] == pytest.approx(cost / 12_000)   # 1.03 % > 0.5 %
    assert ev.verdict == "counter" and ev.reasons == ("net_cost",)
    # counter-proposal: the rate that brings the net cost under 0.5 % of the amount
    alt = payment_plan(12_000, 4, "2026-01-31", annual_rate=ev.counter_rate)
    assert alt.cost_to_seller("2025-12-31", 0.05)["net_cost_share"] <= 0.005 + 1e-12
    below = payment_plan(12_000, 4, "2026-01-31", annual_rate=ev.counter_rate - 0.0002)
    assert below.cost_to_seller("2025-12-31", 0.05)["net_cost_share"] > 0.005
    text = ev.explain()
    assert "4 mensualités sans intérêts" in text and "contre-proposition" in text
    assert "123,29" in text
    assert "counter-proposal" in ev.explain("en")
    assert ev.summary().shape == (8, 2)


def test_proposal_accept_and_refuse():
    plan = payment_plan(12_000, 2, "2026-01-15", annual_rate=0.05)
    ev = evaluate_proposal(plan, reference_date="2025-12-31", financing_rate=0.05)
    assert ev.verdict == "accept" and ev.reasons == ()
    assert "acceptable" in ev.explain()
    long = payment_plan(12_000, 10, "2026-01-31")
    ev2 = evaluate_proposal(long, reference_date="2025-12-31", financing_rate=0.05)
    assert ev2.verdict == "refuse"
    assert {"too_many_instalments", "too_long"} <= set(ev2.reasons)
    assert 0 < ev2.counter_instalments <= 6


def test_proposal_policy_rules():
    strict = NegotiationPolicy(allow_penalty_waiver=False, min_annual_rate=0.03,
                               max_net_cost_share=0.02)
    plan = payment_plan(5_000, 3, "2026-01-31", penalties=150, waive_penalties=True)
    ev = evaluate_proposal(plan, reference_date="2025-12-31", financing_rate=0.05,
                           policy=strict)
    assert ev.verdict == "counter"
    assert set(ev.reasons) == {"rate_below_minimum", "penalty_waiver"}
    assert ev.counter_rate == pytest.approx(0.03)
    assert "maintenir les pénalités" in ev.explain()
    same = evaluate_proposal(plan, reference_date="2025-12-31", financing_rate=0.05,
                             policy=strict.to_dict())
    assert same.verdict == ev.verdict
    assert strict.summary().loc["allow_penalty_waiver", "value"] is False
    summ = strict.to_frame()
    assert summ.loc["abandon des pénalités possible"].iloc[0] == "non"
    assert summ.loc["taux d'intérêt minimal"].iloc[0].startswith("3,00")
    assert "<table" in strict._repr_html_()


def test_proposal_bad_inputs():
    plan = payment_plan(5_000, 3, "2026-01-31")
    with pytest.raises(InputError):
        evaluate_proposal(plan, reference_date=None, financing_rate=0.05)
    with pytest.raises(InputError):
        evaluate_proposal(plan, reference_date="2025-12-31", financing_rate=-0.05)
    with pytest.raises(InputError):
        evaluate_proposal({"amount": 1}, reference_date="2025-12-31", financing_rate=0.05)
    with pytest.raises(InputError):
        NegotiationPolicy(max_instalments=0)
    with pytest.raises(InputError):
        NegotiationPolicy.from_dict({"max_months": 3})


def test_spread_penalties_never_negative():
    # 0.05 € over 10 instalments: half-up cents (0.01 each) would leave -0.04 € on the last
    p = payment_plan(1_000, 10, "2026-01-31", penalties=0.05, waive_penalties=False,
                     penalties_timing="spread")
    pens = p.schedule["penalties"]
    assert (pens >= 0).all()
    assert pens.sum() == pytest.approx(0.05)

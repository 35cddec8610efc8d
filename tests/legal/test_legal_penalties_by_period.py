"""Penalties on the balance of each sub-period (L441-10 II Code de commerce: interest runs day
by day on the sum still due) and the claims of invoices paid late (D441-5: 40 € each).

Hand-computed (rates from the bundled tables: ECB MRO on 1 January 2025 3.15 % → 13.15 %,
on 1 July 2025 2.15 % → 12.15 %, L441-10 II):

A: 3 000 € due 15/06/2025, 1 000 € paid 10/07, 500 € paid 01/08, computed at 31/08/2025:
   3 000 × 15 d (16-30 June) × 13.15 % + 3 000 × 10 d (1-10 July) × 12.15 %
   + 2 000 × 22 d (11 July-1 Aug) × 12.15 % + 1 500 × 30 d (2-31 Aug) × 12.15 %
   = (5 917.50 + 3 645 + 5 346 + 5 467.50) / 365 = 20 376 / 365 = 55.82 €
   (the open amount over the whole period would give 1 500 × (15 × 13.15 % + 62 × 12.15 %)
   / 365 = 39.06 €: under-claimed).
A stopped at a judgment of 20/07/2025 (L622-28): 5 917.50 + 3 645 + 2 000 × 10 × 12.15 %
   = 11 992.50 / 365 = 32.86 €.
"""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.dunning import late_payment_claims, plan_actions
from creditlab.legal import late_penalties, penalties_by_period


def _tables():
    inv = pd.DataFrame({
        "invoice_id": ["A", "B", "D"], "customer_id": ["000044", "000044", "000045"],
        "doc_type": "invoice", "issue_date": pd.to_datetime(["2025-05-15"] * 3),
        "due_date": pd.to_datetime(["2025-06-15", "2025-06-15", "2025-07-31"]),
        "amount_ttc": [3000.0, 800.0, 2500.0]})
    pay = pd.DataFrame({
        "payment_id": ["P1", "P2", "P3", "P4"], "customer_id": ["000044", "000044", "000044",
                                                                "000045"],
        "invoice_id": ["A", "A", "B", "D"],
        "payment_date": pd.to_datetime(["2025-07-10", "2025-08-01", "2025-06-30",
                                        "2025-07-25"]),
        "amount": [1000.0, 500.0, 800.0, 2500.0]})
    return inv, pay


def test_partial_payments_cut_the_late_period():
    inv, pay = _tables()
    res = penalties_by_period(inv, pay, "2025-08-31")
    a = res.iloc[0]
    assert a["penalty_rounded"] == pytest.approx(55.82, abs=0.005)
    assert a["balance_at_end"] == 1500.0 and a["n_periods"] == 3 and a["late_days"] == 77
    flat = late_penalties(1500.0, "2025-06-15", "2025-08-31")["penalty_rounded"].iloc[0]
    assert flat == pytest.approx(39.06, abs=0.005) and flat < a["penalty_rounded"]
    # B: 800 € paid 15 days late in full: 800 × 15 × 13.15 % / 365 = 4.32 €
    assert res.iloc[1]["penalty_rounded"] == pytest.approx(4.32, abs=0.005)
    # D: paid before its due date: nothing
    assert res.iloc[2]["penalty_rounded"] == 0.0 and res.iloc[2]["indemnity"] == 0.0


def test_interest_stops_at_the_judgment():
    inv, pay = _tables()
    stops = pd.Series(pd.to_datetime(["2025-07-20", None, None]))
    res = penalties_by_period(inv, pay, "2025-08-31", stop_dates=stops)
    assert res.iloc[0]["penalty_rounded"] == pytest.approx(32.86, abs=0.005)
    assert res.iloc[0]["balance_at_end"] == 1500.0          # later payments still count


def test_late_payment_claims_ready_to_invoice():
    inv, pay = _tables()
    claims = late_payment_claims({"invoices": inv, "payments": pay}, "2025-06-01",
                                 "2025-06-30")
    # only B is settled (late) in June; A is still open, D was paid on time
    assert claims["invoice_id"].tolist() == ["B"]
    row = claims.iloc[0]
    assert row["customer_id"] == "000044" and row["paid_on"] == pd.Timestamp("2025-06-30")
    assert row["penalty"] == pytest.approx(4.32) and row["indemnity"] == 40.0
    assert row["total"] == pytest.approx(44.32)
    assert late_payment_claims({"invoices": inv, "payments": pay}, "2025-07-01",
                               "2025-12-31").empty


def test_the_plan_claims_penalties_by_period():
    inv, pay = _tables()
    inv = inv.iloc[:1]
    pay = pay.iloc[:2]
    from creditlab.dunning import DunningPolicy, Scenario, Step

    pol = DunningPolicy(scenarios=[Scenario("s", (
        Step(30, ("registered_letter",), "formal_notice", escalation="mise_en_demeure",
             claim_interest=True, claim_fees=True),))])
    plan = plan_actions({"invoices": inv, "payments": pay}, pol, "2025-08-31")
    row = plan.actions.iloc[0]
    assert row["customer_id"] == "000044"
    assert row["amount"] == 1500.0
    assert row["penalties"] == pytest.approx(55.82, abs=0.005)
    assert row["indemnities"] == 40.0
    assert row["total_claimed"] == pytest.approx(1595.82, abs=0.005)

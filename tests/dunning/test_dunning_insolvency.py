"""Customers under insolvency proceedings (Code de commerce L622-7, L622-21, L641-3: no payment
of pre-judgment claims, individual actions suspended; L622-24 / R622-24: declare within two
months of the BODACC publication; L622-28: interest stops at the judgment).

Hand-computed example (bundled rates: H1 2025 13.15 %, H2 2025 12.15 %):
customer 000077, redressement judgment 10/07/2025, published in the BODACC 18/07/2025.
 - F1: 2 400 € due 31/05/2025, 900 € paid 20/06/2025:
   2 400 × 20 d (1-20 June) × 13.15 % + 1 500 × 10 d (21-30 June) × 13.15 %
   + 1 500 × 10 d (1-10 July) × 12.15 % = (6 312 + 1 972.50 + 1 822.50) / 365 = 27.69 €;
   principal 1 500 €, indemnity 40 €.
 - F2: 600 € due 31/07/2025 (issued before the judgment, not late at it): principal 600 €,
   no penalty, no indemnity.
 - F3: 1 000 € issued 15/07/2025 after the judgment: not declared (a post-judgment claim).
Declared: 2 100 + 27.69 + 40 = 2 167.69 €; deadline 18/09/2025 (publication + 2 months).
"""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.dunning import (
    DunningPolicy,
    Scenario,
    Step,
    claims_to_declare,
    declaration_de_creance,
    plan_actions,
    proceedings_at,
)
from creditlab.exceptions import InputError


def _tables():
    inv = pd.DataFrame({
        "invoice_id": ["F1", "F2", "F3", "G1"],
        "customer_id": ["000077", "000077", "000077", "000078"], "doc_type": "invoice",
        "issue_date": pd.to_datetime(["2025-04-01", "2025-06-30", "2025-07-15", "2025-04-01"]),
        "due_date": pd.to_datetime(["2025-05-31", "2025-07-31", "2025-08-31", "2025-05-31"]),
        "amount_ttc": [2400.0, 600.0, 1000.0, 700.0]})
    pay = pd.DataFrame({"payment_id": ["P1"], "customer_id": ["000077"], "invoice_id": ["F1"],
                        "payment_date": pd.to_datetime(["2025-06-20"]), "amount": [900.0]})
    events = pd.DataFrame({"customer_id": ["000077"], "event_type": ["redressement"],
                           "event_date": ["10/07/2025"], "publication_date": ["2025-07-18"],
                           "source": ["BODACC"]})
    return inv, pay, events


def test_claims_to_declare_hand_computed():
    inv, pay, ev = _tables()
    summary, rows = claims_to_declare(inv, pay, ev, "2025-09-30")
    r = summary.loc["000077"]
    assert r["proceeding"] == "redressement"
    assert r["deadline"] == pd.Timestamp("2025-09-18") and not r["deadline_estimated"]
    assert rows["invoice_id"].tolist() == ["F1", "F2"]
    assert r["principal"] == 2100.0
    assert r["penalties"] == pytest.approx(27.69, abs=0.005)
    assert r["indemnities"] == 40.0
    assert r["declared"] == pytest.approx(2167.69, abs=0.005)
    assert list(summary.index) == ["000077"]


def test_unknown_publication_counts_from_the_judgment_and_is_flagged():
    inv, pay, ev = _tables()
    proc = proceedings_at(ev.drop(columns="publication_date"), "2025-08-01")
    assert proc.loc["000077", "deadline"] == pd.Timestamp("2025-09-10")
    assert bool(proc.loc["000077", "deadline_estimated"])
    assert proceedings_at(ev, "2025-07-09").empty                 # before the judgment
    with pytest.raises(InputError, match="event_type"):
        proceedings_at(ev.assign(event_type="faillite"), "2025-08-01")


def test_plan_leaves_out_customers_under_proceedings():
    inv, pay, ev = _tables()
    pol = DunningPolicy(scenarios=[Scenario("s", (
        Step(15, ("registered_letter",), "formal_notice", escalation="mise_en_demeure",
             claim_interest=True, claim_fees=True),))])
    tables = {"invoices": inv, "payments": pay}
    before = plan_actions(tables, pol, "2025-09-30")
    assert set(before.actions["customer_id"]) == {"000077", "000078"}
    after = plan_actions({**tables, "events": ev}, pol, "2025-09-30")
    assert set(after.actions["customer_id"]) == {"000078"}
    assert after.claims_to_declare.loc["000077", "declared"] == pytest.approx(2167.69,
                                                                               abs=0.005)
    assert plan_actions(tables, pol, "2025-09-30", events=ev).actions["customer_id"].tolist() \
        == ["000078"]
    assert before.claims_to_declare.empty


def test_declaration_document():
    inv, pay, ev = _tables()
    summary, rows = claims_to_declare(inv, pay, ev, "2025-09-30")
    text = declaration_de_creance(summary, rows, "000077", customer_name="Atelier Durand",
                                  sender={"name": "Fournisseur SA", "signatory": "J. Martin"},
                                  as_of="2025-08-01")
    text = text.replace("\u202f", " ").replace("\xa0", " ")     # French thousands spaces
    assert "DÉCLARATION DE CRÉANCE" in text and "mandataire judiciaire" in text
    assert "2 167,69 €" in text and "27,69 €" in text
    assert "18 septembre 2025" in text and "réserve de propriété" in text
    assert "F3" not in text
    html = declaration_de_creance(summary, rows, "000077", fmt="html", lang="en")
    assert "Declaration of claim" in html and "Retention of title".lower() in html.lower()
    with pytest.raises(InputError):
        declaration_de_creance(summary, rows, "000078")

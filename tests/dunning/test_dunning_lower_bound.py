"""Penalties on an open-items export (no payment history) are a lower bound, and say so.

Worked example (Code de commerce L441-10 II: penalties run day by day on the sum still due;
rate = ECB MRO rate of 1 January 2025, 3.15 %, + 10 points = 13.15 %): invoice F1, 1 200 EUR
TTC due 30/04/2025, 500 EUR paid on 15/05/2025, seen on 15/06/2025 (46 days late).

- with the payment history: (1 200 x 15 d + 700 x 31 d) x 13.15 % / 365 = 14.30 EUR;
- from an open-items export (700 EUR still due, payment date unknown): 700 x 46 d x 13.15 %
  / 365 = 11.60 EUR — a minimum, flagged, and the letter says so;
- never the 1 200 x 46 d = 19.89 EUR an export's settled part dated at as_of would give.
"""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.dunning import letter_figures, load_policy, plan_actions, render_figures
from creditlab.dunning.inputs import UNDATED_PAYMENT
from creditlab.reports import load_inputs

AS_OF = pd.Timestamp("2025-06-15")
ITEM = {"customer_id": "000044", "invoice_id": "F1", "doc_type": "invoice",
        "issue_date": pd.Timestamp("2025-03-31"), "due_date": pd.Timestamp("2025-04-30"),
        "amount_ttc": 1200.0}


def _open_items():
    return pd.DataFrame([{**ITEM, "paid_amount": 500.0, "open_amount": 700.0,
                          "disputed": False}])


def test_open_items_only_penalties_are_a_flagged_minimum():
    plan = plan_actions(_open_items(), load_policy(), AS_OF)
    a = plan.actions.iloc[0]
    assert a["step_day"] == 45 and a["claim_interest"]          # the mise en demeure
    assert plan.items.loc[0, "penalty"] == pytest.approx(11.60)
    assert plan.items.loc[0, "penalty_lower_bound"]
    assert a["penalties_lower_bound"] and a["penalties"] == pytest.approx(11.60)
    assert a["penalty_note"] == "penalty_lower_bound"
    assert plan.in_words().iloc[0]["penalty_note"].startswith(
        "pénalités au minimum : factures partiellement soldées")
    en = plan.in_words("en").iloc[0]
    assert en["penalty_note"].startswith("penalties are a minimum: partly settled invoices")


def test_the_letter_says_the_penalties_are_a_minimum():
    plan = plan_actions(_open_items(), load_policy(), AS_OF)
    row, items = plan.letters_for(plan.actions.loc[0, "action_id"])
    fig = letter_figures("formal_notice", items, AS_OF)
    assert fig.penalties == pytest.approx(11.60) and fig.penalties_lower_bound
    letter = render_figures(fig, {"customer_id": "000044", "name": "Dupont SAS"})
    text = letter.text.replace("\u202f", " ").replace("\xa0", " ")
    assert "11,60 € au minimum" in text
    assert "Ces pénalités sont un minimum" in text and "Ces pénalités sont un minimum" in \
        letter.html
    # an invoice never paid in part: the open amount is the whole balance, no flag
    whole = _open_items().assign(paid_amount=0.0, open_amount=1200.0)
    fig = letter_figures("formal_notice", whole, AS_OF)
    assert not fig.penalties_lower_bound
    assert "au minimum" not in render_figures(fig, {"customer_id": "000044"}).text


def test_with_the_payment_history_the_exact_amount_and_no_flag():
    invoices = pd.DataFrame([ITEM])
    payments = pd.DataFrame({"payment_id": ["R1"], "customer_id": ["000044"],
                             "payment_date": [pd.Timestamp("2025-05-15")], "amount": [500.0],
                             "invoice_id": ["F1"], "method": ["virement"]})
    plan = plan_actions({"invoices": invoices, "payments": payments}, load_policy(), AS_OF)
    assert plan.items.loc[0, "penalty"] == pytest.approx(14.30)
    assert not plan.items.loc[0, "penalty_lower_bound"]
    assert not plan.actions.loc[0, "penalties_lower_bound"]
    assert plan.actions.loc[0, "penalty_note"] == ""


def test_an_open_items_export_file_gives_the_minimum_not_an_overstated_amount(tmp_path):
    f = tmp_path / "encours.csv"
    f.write_text("invoice_id;customer_id;issue_date;due_date;amount_ttc;open_amount\n"
                 "F1;000044;31/03/2025;30/04/2025;1200,00;700,00\n", encoding="utf-8")
    inputs = load_inputs("2025-06-15", invoices=str(f))
    pay = inputs.tables["payments"]
    assert list(pay["method"]) == [UNDATED_PAYMENT] and list(pay["amount"]) == [500.0]
    tables = {k: inputs.tables[k] for k in ("invoices", "payments")}
    plan = plan_actions(tables, load_policy(), inputs.as_of)
    assert plan.items.loc[0, "penalty"] == pytest.approx(11.60)   # not 19.89
    assert plan.items.loc[0, "penalty_lower_bound"]

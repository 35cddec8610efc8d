"""The dunning report's package functions (history, promises, plan and follow-up tables)."""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.dunning.escalation import DEMO_PROMISES_FILE
from creditlab.exceptions import InputError
from creditlab.reports import load_inputs
from creditlab.reports.dunning import (
    build_dunning_report,
    promises_path,
    read_history,
    report_promises,
)

# at 31/03/2025: F1 (C1, 5 000 €, due 31/01) is 59 days late; F2 (C2, 900 €, due 15/03)
# disputed, 16 days late; F3 (C2, 300 €) not yet due
INVOICES = ("invoice_id;customer_id;doc_type;issue_date;due_date;amount_ttc;amount_ht;disputed\n"
            "F1;C1;invoice;2025-01-01;2025-01-31;5000;4166.67;non\n"
            "F2;C2;invoice;2025-02-13;2025-03-15;900;750;oui\n"
            "F3;C2;invoice;2025-03-20;2025-04-19;300;250;non\n")
PAYMENTS = "payment_id;customer_id;payment_date;amount;invoice_id\n"


@pytest.fixture
def small(tmp_path):
    inv, pay = tmp_path / "factures.csv", tmp_path / "reglements.csv"
    inv.write_text(INVOICES, encoding="utf-8")
    pay.write_text(PAYMENTS + "R0;C1;2025-01-05;0.01;\n", encoding="utf-8")
    return load_inputs("2025-03-31", invoices=str(inv), payments=str(pay))


def test_history_and_promises_policy(tmp_path, small):
    assert read_history(None).empty and "escalation" in read_history(None).columns
    with pytest.raises(InputError, match="history"):
        read_history(tmp_path / "absent.csv")
    # "demo" promises concern the demo customers only
    assert promises_path("demo", small) is None and report_promises("demo", small) is None
    assert promises_path(None, small) is None
    demo = load_inputs()
    assert promises_path("demo", demo) == (DEMO_PROMISES_FILE if DEMO_PROMISES_FILE.is_file()
                                           else None)


def test_small_ledger_plan_and_blocked(small):
    report = build_dunning_report(small, promises=None)   # every check runs
    a = report.actions
    # one action for C1 (F1 past due); C2's past-due invoice is disputed, its other one not due
    assert a["customer_id"].tolist() == ["C1"] and a["invoice_ids"].tolist() == ["F1"]
    assert report.blocked()["invoice_id"].tolist() == ["F2"]
    assert report.blocked()["open_amount"].tolist() == [900.0]
    assert report.data_line() == ("factures.csv : 3 pièces, arrêté au 31/03/2025, historique "
                                  "de 0 actions")
    assert report.promises_view()[0].data.startswith("*Aucun fichier de promesses")
    en = build_dunning_report(small, promises=None, lang="en")
    assert en.blocked_view()[0].data == "**1 overdue disputed invoices** for €900.00."


def test_demo_report_key_figures(demo, tmp_path):
    report = build_dunning_report(load_inputs())
    if report.promises is not None:       # the example file of the demo is there
        assert report.promises_counts().to_dict() == {"kept": 3, "broken": 3, "due": 2,
                                                      "pending": 2, "to_check": 0}
    batch, letters = report.write(tmp_path, pdf="no")  # PDFs: test_reports_pdf.py
    assert len(batch.written) + len(batch.failed) == len(report.actions)
    plan = pd.read_csv(tmp_path / "plan_relances.csv", sep=";", decimal=",",
                       encoding="utf-8-sig")       # the French convention (headers in words)
    assert len(plan) == len(report.actions) and plan["code client"].is_unique
    assert (tmp_path / "historique_a_ajouter.csv").is_file()


def test_company_section_of_the_configuration_becomes_the_letterhead():
    """creditlab.toml's [company] fills the letterhead where the policy still has the example;
    a sender the policy file sets itself is kept (it is the letters' own setting)."""
    from creditlab.documents import check_letterhead
    from creditlab.dunning import load_policy
    from creditlab.reports.dunning import with_company_letterhead

    pol = load_policy(None)
    with pytest.raises(InputError, match="letterhead"):
        check_letterhead(pol.sender, demo=False)
    company = {"name": "Dupont Industrie SAS", "address": "12 rue de la Gare\n69002 Lyon",
               "email": "credit@dupont.fr", "siren": "123 456 789"}
    mine = with_company_letterhead(pol, company)
    assert mine.sender["name"] == "Dupont Industrie SAS"
    assert mine.sender["siren"] == "123 456 789"
    assert mine.sender["signatory"] == pol.sender["signatory"]     # not in [company]: kept
    check_letterhead(mine.sender, demo=False)                      # no error now
    own = with_company_letterhead(mine, {"name": "Autre SA"})
    assert own.sender["name"] == "Dupont Industrie SAS"            # the policy's own wins
    assert with_company_letterhead(pol, {}) is pol

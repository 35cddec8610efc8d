"""creditlab.finance on the canonical tables: ledger → open items / exposure → insurance,
segmentation (hand-built ledger; the bundled demo portfolio when it is present)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import creditlab.finance as fin
from creditlab.receivables import open_items
from creditlab.receivables.exposure import exposure

AS_OF = "2025-12-31"


def _ledger():
    customers = pd.DataFrame({
        "customer_id": ["C1", "C2", "C3"],
        "insurer_agreement": [30_000.0, np.nan, 0.0],
        "credit_limit": [50_000.0, 20_000.0, 5_000.0],
    })
    invoices = pd.DataFrame({
        "invoice_id": ["F1", "F2", "F3", "F4", "A1"],
        "customer_id": ["C1", "C1", "C2", "C3", "C1"],
        "doc_type": ["invoice", "invoice", "invoice", "invoice", "credit_note"],
        "issue_date": pd.to_datetime(["2025-08-01", "2025-11-15", "2025-09-01", "2025-10-10",
                                      "2025-11-20"]),
        "due_date": pd.to_datetime(["2025-09-30", "2026-01-14", "2025-10-31", "2025-11-09",
                                    "2025-11-20"]),
        "amount_ttc": [24_000.0, 18_000.0, 6_000.0, 3_000.0, -2_000.0],
        "amount_ht": [20_000.0, 15_000.0, 5_000.0, 2_500.0, -1_666.67],
    })
    payments = pd.DataFrame({
        "payment_id": ["R1"], "customer_id": ["C2"], "payment_date": pd.to_datetime(["2025-11-05"]),
        "amount": [1_000.0], "invoice_id": ["F3"],
    })
    return customers, invoices, payments


def test_ledger_to_deadlines_exposure_and_abc():
    customers, invoices, payments = _ledger()
    items = open_items(invoices, payments, AS_OF)
    policy = fin.CreditInsurancePolicy(declaration_days=90, insured_share=0.9)
    dl = fin.declaration_deadlines(items, policy, AS_OF).set_index("invoice_id")
    assert "A1" not in dl.index                                   # credit note
    assert dl.loc["F1", "declaration_deadline"] == pd.Timestamp("2025-12-29")
    assert dl.loc["F1", "status"] == "missed"
    assert dl.loc["F3", "open_amount"] == pytest.approx(5_000.0)  # partly paid
    assert dl.loc["F3", "status"] == "watch"                      # deadline 2026-01-29
    assert dl.loc["F2", "status"] == "not_due"

    e = exposure(items, None, AS_OF, customers=customers, insured_share=0.9)
    u = fin.uninsured_exposure(e, policy).table
    # C1: 24 000 + 18 000 − 2 000 = 40 000 against 30 000 → 27 000 insured (pagesjaunes case)
    assert u.loc["C1", "exposure"] == pytest.approx(40_000.0)
    assert u.loc["C1", "insured"] == pytest.approx(27_000.0)
    assert u.loc["C2", "status"] == "no_agreement"
    assert u.loc["C3", "status"] == "cancelled"
    np.testing.assert_allclose(u["insured"] + u["uninsured"], u["exposure"])

    sales = invoices.groupby("customer_id")["amount_ttc"].sum()
    abc = fin.abc_segmentation(sales).table
    assert abc.loc["C1", "abc_class"] == "A"

    claims = pd.DataFrame({"unpaid_ht": [40_000.0 / 1.2], "agreement": [30_000.0 / 1.2]},
                          index=["C1"])
    assert fin.claim_indemnities(claims, policy).total_indemnity == pytest.approx(22_500.0)


_DEMO = Path(__file__).resolve().parents[2] / "datasets" / "demo" / "invoices.csv"


@pytest.mark.skipif(not _DEMO.exists(), reason="bundled demo portfolio not generated yet")
def test_demo_portfolio_insurance_and_segmentation(demo):
    items = open_items(demo["invoices"], demo["payments"], AS_OF)
    e = exposure(items, demo["orders"], AS_OF, customers=demo["customers"])
    u = fin.uninsured_exposure(e, fin.CreditInsurancePolicy())
    t = u.table
    assert (t["uninsured"] >= -1e-6).all() and (t["uninsured"] <= t["exposure"] + 1e-6).all()
    np.testing.assert_allclose(t["insured"] + t["uninsured"], t["exposure"], atol=1e-6)
    abc = fin.abc_segmentation(e.by_customer, by="net_exposure")
    summ = abc.table.groupby("abc_class")["share"].sum()
    assert summ["A"] >= 0.80 - 1e-9
    dl = fin.declaration_deadlines(items, fin.CreditInsurancePolicy(), AS_OF)
    assert set(dl["status"]) <= {"not_due", "watch", "declare_now", "missed"}

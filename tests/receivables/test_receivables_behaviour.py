"""payment_behaviour: hand-computed amount-weighted days to pay and lateness (CONTRACTS.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.receivables import payment_behaviour


@pytest.fixture
def ledger():
    inv = pd.DataFrame({
        "invoice_id": ["F1", "F2", "F3", "A1", "F4", "F5"],
        "customer_id": ["C1", "C1", "C2", "C1", "C3", "C1"],
        "doc_type": ["invoice", "invoice", "invoice", "credit_note", "invoice", "invoice"],
        "issue_date": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-01-10", "2025-02-05",
                                      "2025-03-01", "2025-08-01"]),
        "due_date": pd.to_datetime(["2025-03-02", "2025-03-03", "2025-02-09", "2025-02-05",
                                    "2025-04-30", "2025-09-30"]),
        "amount_ttc": [1000.0, 500.0, 300.0, -100.0, 200.0, 80.0],
    })
    pay = pd.DataFrame({
        "payment_id": ["R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8"],
        "customer_id": ["C1", "C1", "C1", "C2", "C1", "C1", "C1", "C2"],
        "payment_date": pd.to_datetime(["2025-02-20", "2025-03-12", "2025-03-03", "2025-02-09",
                                        "2025-03-15", "2025-03-20", "2025-07-01", "2025-09-01"]),
        "amount": [600.0, 400.0, 500.0, 300.0, 50.0, -100.0, 80.0, 10.0],
        "invoice_id": ["F1", "F1", "F2", "F3", None, "A1", "F5", "F3"],
    })
    return inv, pay


def test_hand_computed(ledger):
    inv, pay = ledger
    b = payment_behaviour(inv, pay, "2025-06-30")
    assert list(b.columns) == ["n_invoices_paid", "amount_paid", "avg_days_to_pay",
                               "avg_days_late", "share_paid_late"]
    assert list(b.index) == ["C1", "C2", "C3"] and b.index.name == "customer_id"
    c1 = b.loc["C1"]
    # F1: 600 after 50 d (18 d early), 400 after 70 d (10 d late); F2: 500 after 30 d (on time)
    # R5 on account, R6 refund of a credit note, R7 after as_of: not counted
    assert c1["n_invoices_paid"] == 2
    assert c1["amount_paid"] == 1500.0
    assert c1["avg_days_to_pay"] == pytest.approx((600 * 50 + 400 * 70 + 500 * 30) / 1500)
    assert c1["avg_days_late"] == pytest.approx((600 * -10 + 400 * 10 + 500 * 0) / 1500)
    assert c1["share_paid_late"] == pytest.approx(400 / 1500)
    c2 = b.loc["C2"]     # paid exactly on the due date: not late; R8 after as_of ignored
    assert (c2["n_invoices_paid"], c2["amount_paid"], c2["avg_days_to_pay"],
            c2["avg_days_late"], c2["share_paid_late"]) == (1, 300.0, 30.0, 0.0, 0.0)
    c3 = b.loc["C3"]     # no payment: counts 0, averages NaN (0/0)
    assert c3["n_invoices_paid"] == 0 and c3["amount_paid"] == 0.0
    assert np.isnan(c3["avg_days_to_pay"]) and np.isnan(c3["share_paid_late"])


def test_later_as_of_counts_more(ledger):
    inv, pay = ledger
    b = payment_behaviour(inv, pay, "2025-12-31")
    # R7 paid F5 (issued 2025-08-01) on 2025-07-01: an advance 31 days before issue
    assert b.loc["C1", "n_invoices_paid"] == 3
    assert b.loc["C1", "avg_days_to_pay"] == pytest.approx(
        (600 * 50 + 400 * 70 + 500 * 30 + 80 * -31) / 1580)
    assert b.loc["C2", "share_paid_late"] == pytest.approx(10 / 310)


def test_bad_inputs(ledger):
    inv, pay = ledger
    with pytest.raises(InputError, match="payment_date"):
        payment_behaviour(inv, pay.drop(columns="payment_date"), "2025-06-30")
    bad = pay.copy()
    bad.loc[0, "invoice_id"] = "F404"
    with pytest.raises(InputError, match="F404"):
        payment_behaviour(inv, bad, "2025-06-30")
    with pytest.raises(InputError, match="as_of"):
        payment_behaviour(inv, pay, None)
    with pytest.raises(InputError, match="duplicates"):
        payment_behaviour(pd.concat([inv, inv.iloc[:1]]), pay, "2025-06-30")

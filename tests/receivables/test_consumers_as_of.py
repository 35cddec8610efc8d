"""Consumers of open items take the date from the items (issue 12, fault 1).

Before: items computed at 2025-03-31 aged "as of" 2025-09-30 put the whole balance in "> 90 j"
without error. Now an :class:`OpenItems` carries its date and a different one is refused.
"""

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.receivables import Ledger, OpenItems, aged_balance, exposure_at
from creditlab.receivables.kpi import receivables_status, weighted_days_past_due


def _ledger():
    inv = pd.DataFrame({
        "invoice_id": ["F1", "F2", "F3", "A1"], "customer_id": ["C1", "C1", "C2", "C2"],
        "doc_type": ["invoice", "invoice", "invoice", "credit_note"],
        "issue_date": pd.to_datetime(["2025-01-10", "2025-03-05", "2025-02-01", "2025-02-15"]),
        "due_date": pd.to_datetime(["2025-02-09", "2025-04-04", "2025-03-03", "2025-02-15"]),
        "amount_ttc": [1200.0, 600.0, 900.0, -100.0],
    })
    pay = pd.DataFrame({
        "payment_id": ["P1"], "customer_id": ["C1"],
        "payment_date": pd.to_datetime(["2025-03-20"]), "amount": [500.0],
        "invoice_id": ["F1"],
    })
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3"], "segment": ["PME", "GE", "GE"],
                              "credit_limit": [1000.0, 5000.0, 2000.0]})
    return Ledger.from_tables(inv, pay, customers=customers)


def test_aged_balance_takes_the_date_from_the_items():
    items = _ledger().at("2025-03-31")
    aged = aged_balance(items)
    assert aged.as_of == pd.Timestamp("2025-03-31")
    same = aged_balance(items.items, "2025-03-31")
    pd.testing.assert_frame_equal(aged.table, same.table)
    # passing the items' own date is fine, in any accepted form
    pd.testing.assert_frame_equal(aged_balance(items, "31/03/2025").table, aged.table)
    # hand-computed: F1 700 due 09/02 → 50 days (31-60); F2 600 not due; F3 900 due 03/03 →
    # 28 days (1-30); A1 −100 due 15/02 → 44 days (31-60)
    total = aged.table.iloc[-1]
    assert total.iloc[:4].tolist() == pytest.approx([600.0, 900.0, 600.0, 0.0])


def test_aged_balance_refuses_another_date_naming_both():
    items = _ledger().at("2025-03-31")
    with pytest.raises(InputError, match=r"2025-03-31.*2025-09-30"):
        aged_balance(items, "2025-09-30")
    with pytest.raises(InputError, match="as_of"):
        aged_balance(items.items)  # a bare DataFrame needs its date


def test_aged_balance_groups_with_the_customers_of_the_items():
    items = _ledger().at("2025-03-31")
    by_seg = aged_balance(items, by="segment")
    assert set(by_seg.table.index[:-1]) == {"PME", "GE"}


def test_snapshot_kpis_take_the_date_from_the_items():
    items = _ledger().at("2025-03-31")
    st = receivables_status(items)
    pd.testing.assert_frame_equal(st, receivables_status(items.items, "2025-03-31"))
    # 700 + 600 + 900 − 100 = 2 100; past due 700 + 900 − 100 = 1 500
    assert st.loc["total", "receivables_ttc"] == pytest.approx(2100.0)
    assert st.loc["total", "past_due_ttc"] == pytest.approx(1500.0)
    # WDPD over past-due invoices: (700 × 50 + 900 × 28) / 1 600 = 37.625 days
    assert weighted_days_past_due(items) == pytest.approx(37.625)
    seg = receivables_status(items, by="segment")  # customers from the items
    assert seg.loc["GE", "receivables_ttc"] == pytest.approx(800.0)
    for f in (receivables_status, weighted_days_past_due):
        with pytest.raises(InputError, match=r"2025-03-31.*2025-09-30"):
            f(items, "2025-09-30")
        with pytest.raises(InputError, match="as_of"):
            f(items.items)
        with pytest.raises(InputError, match="as_of"):
            f(items.items, "12/31/2025")  # month-first dates are never guessed


def test_exposure_takes_the_date_and_customers_from_the_items():
    items = _ledger().at("2025-03-31")
    e = exposure_at(items)
    assert e.as_of == pd.Timestamp("2025-03-31")
    t = e.by_customer
    assert list(t.index) == ["C1", "C2", "C3"]  # every customer of the ledger's table
    assert t.loc["C1", "open_receivables"] == pytest.approx(1300.0)
    assert bool(t.loc["C1", "over_limit"]) and not bool(t.loc["C2", "over_limit"])
    old = exposure_at(items.items, None, "2025-03-31")
    assert old.by_customer.loc["C2", "open_receivables"] == pytest.approx(800.0)
    with pytest.raises(InputError, match=r"2025-03-31.*2025-09-30"):
        exposure_at(items, None, "2025-09-30")


def test_ledger_items_are_open_items():
    assert isinstance(_ledger().at("2025-03-31"), OpenItems)


def test_weighted_days_past_due_of_over_paid_invoices_is_nan():
    """Past-due invoices netting to a credit (over-paid) have no average lateness: NaN, as in
    kpi_history (before: -0.01 € of weight gave 30 days)."""
    items = pd.DataFrame({"customer_id": ["C1", "C1"], "invoice_id": ["F1", "F2"],
                          "doc_type": "invoice",
                          "due_date": pd.to_datetime(["2025-01-01", "2025-01-01"]),
                          "open_amount": [-0.03, 0.02]})
    assert np.isnan(weighted_days_past_due(items, "2025-01-31"))
    assert np.isnan(receivables_status(items, "2025-01-31").loc["total",
                                                                "weighted_days_past_due"])
    items.loc[0, "open_amount"] = 0.03   # 0.05 € past due 30 days
    assert weighted_days_past_due(items, "2025-01-31") == pytest.approx(30.0)

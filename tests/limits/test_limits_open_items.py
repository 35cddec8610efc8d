"""Credit hold and limit inputs take the date from the open items (issue §1)."""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.limits import OverrideLog, check_order, credit_hold, limit_inputs
from creditlab.receivables import OpenItems


@pytest.fixture()
def book():
    items = pd.DataFrame({
        "customer_id": ["A", "A", "B"],
        "invoice_id": ["F1", "F2", "F3"],
        "doc_type": ["invoice", "invoice", "invoice"],
        "due_date": pd.to_datetime(["2025-03-10", "2025-07-31", "2025-06-10"]),
        "open_amount": [12_000.0, 8_000.0, 6_000.0],
        "disputed": [False, False, False]})
    orders = pd.DataFrame({
        "order_id": ["O1", "O2", "O3"],
        "customer_id": ["A", "A", "B"],
        "order_date": pd.to_datetime(["2025-06-20", "2025-06-25", "2025-06-01"]),
        "amount_ttc": [5_000.0, 20_000.0, 1_000.0],
        "status": ["accepted"] * 3})
    customers = pd.DataFrame({"customer_id": ["A", "B"], "credit_limit": [30_000.0, 8_000.0],
                              "payment_terms": ["net_30", "net_60"]})
    return items, orders, customers


def test_credit_hold_takes_the_date_of_the_items(book):
    items, orders, customers = book
    oi = OpenItems(items, "2025-06-30")
    a = credit_hold(orders, oi, customers=customers)
    b = credit_hold(orders, items, "30/06/2025", customers=customers)
    pd.testing.assert_frame_equal(a.decisions, b.decisions)
    assert a.as_of == pd.Timestamp("2025-06-30")
    # F1 is 112 days past due at 2025-06-30 (> 90: block), F3 20 days
    assert a.decisions.loc["O1", "max_days_past_due"] == 112
    with pytest.raises(InputError, match="recompute the items"):
        credit_hold(orders, oi, "2025-09-30", customers=customers)
    with pytest.raises(InputError, match="as_of"):
        credit_hold(orders, items, customers=customers)


def test_check_order_takes_the_date_of_the_items(book):
    items, orders, customers = book
    oi = OpenItems(items, "2025-06-30")
    row = check_order("B", 500.0, orders, oi, customers=customers)
    assert row["order_date"] == pd.Timestamp("2025-06-30")
    assert row["exposure_after"] == pytest.approx(6_000.0 + 1_000.0 + 500.0)
    with pytest.raises(InputError, match="recompute the items"):
        check_order("B", 500.0, orders, oi, "2025-07-01", customers=customers)


def test_limit_inputs_take_the_date_of_the_items(book):
    items, orders, customers = book
    invoices = pd.DataFrame({"customer_id": ["A", "B", "B"], "amount_ttc": [1_200.0, 600.0,
                                                                           6_000.0],
                             "issue_date": pd.to_datetime(["2025-01-15", "2025-06-30",
                                                           "2025-07-01"])})
    oi = OpenItems(items, "2025-06-30")
    a = limit_inputs(customers, invoices, items=oi, orders=orders)
    b = limit_inputs(customers, invoices, "2025-06-30", items=items, orders=orders)
    pd.testing.assert_frame_equal(a, b)
    assert a.loc["A", "open_receivables"] == pytest.approx(20_000.0)
    assert a.loc["B", "monthly_sales_ttc"] == pytest.approx(600.0 / 12)  # 1 July excluded
    with pytest.raises(InputError, match="recompute the items"):
        limit_inputs(customers, invoices, "2025-12-31", items=oi)
    with pytest.raises(InputError, match="as_of"):
        limit_inputs(customers, invoices)


def test_override_dates_read_day_first():
    log = OverrideLog().record("O1", "release", "M. Durand", "acompte reçu", "05/06/2025")
    assert log.to_frame()["at"].iloc[0] == pd.Timestamp("2025-06-05")
    back = OverrideLog.from_frame(log.to_frame().assign(at="05/06/2025"))
    assert back.rows[0][4] == pd.Timestamp("2025-06-05")
    with pytest.raises(InputError, match="at"):
        OverrideLog().record("O1", "release", "M. Durand", "acompte reçu", "06/31/2025")


def test_decisions_and_reasons_are_plain_codes_with_catalogue_words(book):
    items, orders, customers = book
    r = credit_hold(orders, OpenItems(items, "2025-06-30"), customers=customers)
    d = r.in_words("en")
    assert set(d["decision"]) <= {"release", "hold", "block"}
    assert d["decision"].map(type).eq(str).all() and d["reasons"].map(type).eq(str).all()
    assert d.loc["O1", "decision"] == "block"
    assert set(d.loc["O1", "reasons"].split(";")) == {"overdue_amount", "overdue_age"}
    assert d.loc["O1", "decision_label"] == "blocked"
    assert d.loc["O1", "reason_text"] == ("past-due amount above threshold ; invoices past "
                                         "due for too long")


def test_policy_decisions_are_checked_against_the_vocabulary():
    from creditlab.limits import CreditPolicy

    with pytest.raises(InputError) as err:
        CreditPolicy.load().updated({"hold": {"over_limit": "stop"}})
    assert "['release', 'hold', 'block']" in str(err.value)

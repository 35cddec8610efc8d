"""OpenItems carry their date; consumers refuse a different one (issue 12, fault 1)."""

import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.labels import catalogue, text
from creditlab.receivables import Ledger, OpenItems, open_items, resolve_items


def _tables():
    inv = pd.DataFrame({
        "invoice_id": ["F1", "F2", "A1"], "customer_id": ["C1", "C1", "C2"],
        "doc_type": ["invoice", "invoice", "credit_note"],
        "issue_date": pd.to_datetime(["2025-01-10", "2025-03-05", "2025-02-01"]),
        "due_date": pd.to_datetime(["2025-02-09", "2025-04-04", "2025-02-01"]),
        "amount_ttc": [1200.0, 600.0, -100.0],
    })
    pay = pd.DataFrame({
        "payment_id": ["P1"], "customer_id": ["C1"],
        "payment_date": pd.to_datetime(["2025-03-20"]), "amount": [500.0],
        "invoice_id": ["F1"],
    })
    return inv, pay


def test_ledger_at_equals_open_items_and_keeps_its_date():
    inv, pay = _tables()
    items = Ledger.from_tables(inv, pay).at("31/03/2025")
    assert isinstance(items, OpenItems)
    assert items.as_of == pd.Timestamp("2025-03-31")
    pd.testing.assert_frame_equal(items.items, open_items(inv, pay, "2025-03-31"))
    # 1 200 − 500 + 600 − 100 = 1 200 (hand-computed)
    assert items.total == pytest.approx(1200.0)
    s = items.summary()
    assert s.loc["invoice", "open_amount"] == pytest.approx(1300.0)
    assert s.loc["total", "n_items"] == 3
    fr = items.to_frame()
    assert text("open_amount") in fr.columns and "facture" in fr.index


def test_resolve_items_refuses_another_date():
    inv, pay = _tables()
    items = Ledger.from_tables(inv, pay).at("2025-03-31")
    df, asof = resolve_items(items)
    assert asof == pd.Timestamp("2025-03-31") and df is items.items
    assert resolve_items(items, "2025-03-31")[1] == asof
    with pytest.raises(InputError, match=r"2025-03-31.*2025-09-30.*ledger.at"):
        resolve_items(items, "2025-09-30")
    with pytest.raises(InputError, match="as_of"):
        resolve_items(items.items)              # a bare DataFrame needs its date
    assert resolve_items(items.items, "2025-03-31")[1] == asof
    with pytest.raises(InputError, match="OpenItems"):
        resolve_items([1, 2], "2025-03-31")


def test_open_items_are_frozen():
    inv, pay = _tables()
    items = Ledger.from_tables(inv, pay).at("2025-03-31")
    with pytest.raises(AttributeError):
        items.as_of = pd.Timestamp("2025-09-30")


def test_label_catalogue_keys_are_unique_and_complete():
    cat = catalogue()
    assert cat["key"].is_unique
    assert (cat["fr"].str.len() > 0).all() and (cat["en"].str.len() > 0).all()
    assert text("credit_note") == "avoir" and text("credit_note", "en") == "credit note"
    assert text("my_own_column") == "my_own_column"


def test_ledger_matches_once_and_answers_any_date():
    """An advance becomes a payment when its invoice is issued; a credit note nets its invoice
    from its issue date; a dispute counts while open (hand-computed)."""
    inv = pd.DataFrame({
        "invoice_id": ["F1", "A1"], "customer_id": ["C1", "C1"],
        "doc_type": ["invoice", "credit_note"],
        "issue_date": pd.to_datetime(["2025-02-10", "2025-02-14"]),
        "due_date": pd.to_datetime(["2025-03-12", "2025-02-14"]),
        "amount_ttc": [1000.0, -300.0], "related_invoice_id": [None, "F1"],
    })
    pay = pd.DataFrame({
        "payment_id": ["P1", "P1"], "customer_id": ["C1", "C1"],
        "payment_date": pd.to_datetime(["2025-02-01", "2025-02-03"]),
        "amount": [500.0, 200.0], "invoice_id": ["F1", None],
    })
    disputes = pd.DataFrame({"invoice_id": ["F1"],
                             "opened_date": pd.to_datetime(["2025-02-12"]),
                             "closed_date": pd.to_datetime(["2025-02-20"])})
    ledger = Ledger.from_tables(inv, pay, disputes=disputes)
    early = ledger.at("2025-02-05").items
    # one cash line per payment: both lines of P1 (500 advance + 200 on account), dated 01/02
    assert early[["invoice_id", "doc_type", "open_amount"]].values.tolist() == [
        ["P1", "unallocated_cash", -700.0]]
    assert early["due_date"].iloc[0] == pd.Timestamp("2025-02-01")
    mid = ledger.at("2025-02-15").items.set_index("invoice_id")
    assert mid.loc["F1", "paid_amount"] == pytest.approx(800.0)   # 500 cash + 300 credit note
    assert mid.loc["F1", "open_amount"] == pytest.approx(200.0)
    assert bool(mid.loc["F1", "disputed"]) and "A1" not in mid.index
    assert mid.loc["P1", "open_amount"] == pytest.approx(-200.0)
    late = ledger.at("2025-02-20").items.set_index("invoice_id")
    assert not late["disputed"].any()                              # closed on the date
    for day in pd.date_range("2025-01-30", "2025-03-01"):
        pd.testing.assert_frame_equal(ledger.at(day).items,
                                      open_items(inv, pay, day, disputes=disputes))


def test_ledger_validates_at_construction():
    inv, pay = _tables()
    bad = pay.assign(invoice_id=["F9"])
    with pytest.raises(InputError, match="payments.invoice_id"):
        Ledger.from_tables(inv, bad)
    with pytest.raises(InputError, match="customers"):
        Ledger.from_tables(inv, pay, customers=pd.DataFrame({"name": ["x"]}))

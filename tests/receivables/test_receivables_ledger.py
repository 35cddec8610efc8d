"""open_items: hand-computed ledgers, a loop-based reference on random ledgers, bad inputs.

Rules under test: CONTRACTS.md "Open items" (documents issued after as_of and payments dated after
as_of ignored; partial payments; credit notes netted against their invoice first; unallocated
cash as its own negative line per payment; disputed as of the date).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import DAY0, ledgers, make_invoices, make_payments

from creditlab.exceptions import InputError
from creditlab.receivables import OPEN_ITEM_COLUMNS, Ledger, open_items

NO_PAY = make_payments([])


@pytest.fixture
def ledger():
    inv = make_invoices([
        ("F1", "C1", "invoice", "2025-01-10", "2025-03-10", 1200.00, None, False),
        ("F2", "C1", "invoice", "2025-02-10", "2025-04-10", 600.00, None, True),
        ("A1", "C1", "credit_note", "2025-02-15", "2025-02-15", -200.00, "F2", False),
        ("A2", "C2", "credit_note", "2025-03-01", "2025-03-01", -50.00, None, False),
        ("F3", "C2", "invoice", "2025-03-01", "2025-04-30", 300.00, None, False),
        ("F4", "C1", "invoice", "2025-07-01", "2025-08-31", 999.00, None, False),
    ])
    pay = make_payments([
        ("R1", "C1", "2025-03-20", 500.00, "F1"),
        ("R2", "C1", "2025-04-01", 100.00, None),
        ("R3", "C2", "2025-05-02", 300.00, "F3"),
        ("R4", "C1", "2025-06-01", 50.00, "F4"),      # advance on an invoice issued later
        ("R5", "C1", "2025-07-15", 700.00, "F1"),     # after as_of: ignored
    ])
    return inv, pay


def test_hand_computed_ledger(ledger):
    inv, pay = ledger
    items = open_items(inv, pay, "2025-06-30")
    assert list(items.columns) == list(OPEN_ITEM_COLUMNS)
    got = items.set_index("invoice_id")
    # F1: 1200 − 500 (R5 is after as_of) = 700, partial payment
    assert got.loc["F1", "open_amount"] == 700.00
    assert got.loc["F1", "paid_amount"] == 500.00
    # F2: 600 − credit note A1 200 netted = 400, still disputed (flag)
    assert got.loc["F2", "open_amount"] == 400.00 and got.loc["F2", "paid_amount"] == 200.00
    assert bool(got.loc["F2", "disputed"])
    # A1 fully netted → dropped; F3 fully paid → dropped; F4 issued after as_of → absent
    assert not {"A1", "F3", "F4"} & set(got.index)
    # A2: unrelated credit note stays a negative line
    assert got.loc["A2", "open_amount"] == -50.00 and got.loc["A2", "doc_type"] == "credit_note"
    # R2 unallocated, R4 allocated to a document not yet issued at as_of → cash on account
    for pid, amt, day in (("R2", -100.00, "2025-04-01"), ("R4", -50.00, "2025-06-01")):
        assert got.loc[pid, "doc_type"] == "unallocated_cash"
        assert got.loc[pid, "open_amount"] == amt and got.loc[pid, "amount_ttc"] == amt
        assert got.loc[pid, "paid_amount"] == 0.0
        assert got.loc[pid, "issue_date"] == got.loc[pid, "due_date"] == pd.Timestamp(day)
    assert len(items) == 5
    assert items["open_amount"].sum() == pytest.approx(700 + 400 - 50 - 100 - 50)
    assert (items["open_amount"] == items["amount_ttc"] - items["paid_amount"]).all()
    # sorted by customer then due date
    assert items["customer_id"].tolist() == ["C1", "C1", "C1", "C1", "C2"]
    assert items.loc[items.customer_id == "C1", "due_date"].is_monotonic_increasing


def test_dtypes(ledger):
    items = open_items(*ledger, "2025-06-30")
    assert str(items["customer_id"].dtype) == "str" and str(items["invoice_id"].dtype) == "str"
    assert items["issue_date"].dtype.kind == "M" and items["due_date"].dtype.kind == "M"
    assert items["open_amount"].dtype == "float64" and items["disputed"].dtype == bool


def test_later_payment_closes_invoice(ledger):
    inv, pay = ledger
    items = open_items(inv, pay, "2025-07-31")   # R5 (700) now counts and F4 is issued
    got = items.set_index("invoice_id")
    assert "F1" not in got.index
    # the advance R4 now settles F4 (999 − 50)
    assert got.loc["F4", "open_amount"] == 949.00 and "R4" not in got.index


def test_as_of_before_everything_is_empty(ledger):
    items = open_items(*ledger, "2024-12-31")
    assert items.empty and list(items.columns) == list(OPEN_ITEM_COLUMNS)


def test_credit_note_excess_stays_negative():
    inv = make_invoices([
        ("F1", "C1", "invoice", "2025-01-01", "2025-01-31", 100.00, None, False),
        ("A1", "C1", "credit_note", "2025-01-05", "2025-01-05", -30.00, "F1", False),
        ("A2", "C1", "credit_note", "2025-01-06", "2025-01-06", -50.00, "F1", False),
    ])
    pay = make_payments([("R1", "C1", "2025-01-20", 40.00, "F1")])
    got = open_items(inv, pay, "2025-02-28").set_index("invoice_id")
    # F1 open after payment = 60; A1 (earlier) nets 30, A2 nets the remaining 30, 20 left on A2
    assert "F1" not in got.index and "A1" not in got.index
    assert got.loc["A2", "open_amount"] == -20.00
    assert got.loc["A2", "paid_amount"] == -30.00
    assert got["open_amount"].sum() == pytest.approx(100 - 40 - 30 - 50)


def test_credit_note_on_overpaid_or_unknown_invoice_is_not_netted():
    inv = make_invoices([
        ("F1", "C1", "invoice", "2025-01-01", "2025-01-31", 100.00, None, False),
        ("A1", "C1", "credit_note", "2025-01-05", "2025-01-05", -30.00, "F1", False),
        ("A2", "C1", "credit_note", "2025-01-06", "2025-01-06", -10.00, "F0-2023", False),
        ("A3", "C1", "credit_note", "2025-01-07", "2025-01-07", -5.00, "A1", False),
    ])
    pay = make_payments([("R1", "C1", "2025-01-20", 100.00, "F1")])  # paid without the credit
    got = open_items(inv, pay, "2025-02-28").set_index("invoice_id")
    assert got["open_amount"].to_dict() == {"A1": -30.00, "A2": -10.00, "A3": -5.00}


def test_credit_note_issued_after_as_of_is_ignored():
    inv = make_invoices([
        ("F1", "C1", "invoice", "2025-01-01", "2025-01-31", 100.00, None, False),
        ("A1", "C1", "credit_note", "2025-03-05", "2025-03-05", -30.00, "F1", False),
    ])
    got = open_items(inv, NO_PAY, "2025-02-28").set_index("invoice_id")
    assert got["open_amount"].to_dict() == {"F1": 100.00}


def test_unallocated_cash_one_line_per_payment():
    inv = make_invoices([("F1", "C1", "invoice", "2025-01-01", "2025-01-31", 100.0, None, False)])
    pay = make_payments([
        ("R1", "C1", "2025-01-10", 60.00, "F1"),
        ("R1", "C1", "2025-01-10", 15.00, None),   # the rest of R1 on account
        ("R2", "C1", "2025-01-12", 20.00, ""),
        ("R2", "C1", "2025-01-12", 5.00, None),    # two unallocated lines of one payment
        ("R3", "C1", "2025-01-13", 8.00, None),
        ("R3", "C1", "2025-01-14", -8.00, None),   # refunded: nets to 0 → dropped
    ])
    got = open_items(inv, pay, "2025-01-31").set_index("invoice_id")
    assert got["open_amount"].to_dict() == {"F1": 40.00, "R1": -15.00, "R2": -25.00}


def test_payments_without_invoice_id_column_are_all_cash():
    inv = make_invoices([("F1", "C1", "invoice", "2025-01-01", "2025-01-31", 100.0, None, False)])
    pay = make_payments([("R1", "C1", "2025-01-10", 60.00, None)]).drop(columns="invoice_id")
    got = open_items(inv, pay, "2025-01-31").set_index("invoice_id")
    assert got["open_amount"].to_dict() == {"F1": 100.00, "R1": -60.00}


def test_refund_on_credit_note_closes_it():
    inv = make_invoices([
        ("A1", "C1", "credit_note", "2025-01-05", "2025-01-05", -30.00, None, False),
    ])
    pay = make_payments([("R1", "C1", "2025-01-20", -30.00, "A1")])
    assert open_items(inv, pay, "2025-01-31").empty
    assert open_items(inv, pay, "2025-01-19")["open_amount"].tolist() == [-30.00]


def test_amounts_exact_to_the_cent():
    inv = make_invoices([("F1", "C1", "invoice", "2025-01-01", "2025-01-31", 100.10, None, False)])
    pay = make_payments([("R1", "C1", "2025-01-10", 33.37, "F1"),
                         ("R2", "C1", "2025-01-11", 66.73, "F1")])
    assert open_items(inv, pay, "2025-01-31").empty   # 100.10 − 33.37 − 66.73 == 0 exactly
    got = open_items(inv, pay.iloc[:1], "2025-01-31")
    assert got["open_amount"].tolist() == [66.73]


@pytest.mark.parametrize(("opened", "closed", "expected"), [
    ("2025-03-01", None, True),            # open dispute
    ("2025-03-01", "2025-03-31", False),   # closed on as_of → not disputed at as_of
    ("2025-03-01", "2025-04-01", True),    # closed after as_of → still disputed at as_of
    ("2025-04-01", None, False),           # opened after as_of
    ("2025-03-31", None, True),            # opened on as_of
])
def test_dispute_dates(opened, closed, expected):
    inv = make_invoices([("F1", "C1", "invoice", "2025-01-01", "2025-01-31", 100.0, None, True),
                         ("F2", "C1", "invoice", "2025-01-01", "2025-01-31", 50.0, None, True)])
    disputes = pd.DataFrame({
        "dispute_id": ["L1"], "invoice_id": ["F1"], "customer_id": ["C1"],
        "opened_date": pd.to_datetime([opened]), "closed_date": pd.to_datetime([closed]),
        "cause": ["price"], "amount_ttc": [100.0]})
    got = open_items(inv, NO_PAY, "2025-03-31", disputes=disputes).set_index("invoice_id")
    assert bool(got.loc["F1", "disputed"]) is expected
    # with a disputes table, the export-time flag is not used
    assert not bool(got.loc["F2", "disputed"])
    # without it, the flag is used
    flag = open_items(inv, NO_PAY, "2025-03-31").set_index("invoice_id")
    assert flag["disputed"].all()


def test_missing_disputed_column_means_not_disputed():
    inv = make_invoices([("F1", "C1", "invoice", "2025-01-01", "2025-01-31", 100.0, None, True)])
    got = open_items(inv.drop(columns=["disputed", "related_invoice_id"]), NO_PAY, "2025-03-31")
    assert got["disputed"].tolist() == [False]


# --------------------------------------------------------------------------- bad inputs
def test_missing_columns(ledger):
    inv, pay = ledger
    with pytest.raises(InputError, match=r"invoices columns.*due_date"):
        open_items(inv.drop(columns="due_date"), pay, "2025-06-30")
    with pytest.raises(InputError, match=r"payments columns.*payment_date"):
        open_items(inv, pay.drop(columns="payment_date"), "2025-06-30")
    with pytest.raises(InputError, match="DataFrame"):
        open_items(inv.to_dict(), pay, "2025-06-30")


def test_nat_dates(ledger):
    inv, pay = ledger
    bad = inv.copy()
    bad.loc[1, "due_date"] = pd.NaT
    with pytest.raises(InputError, match=r"invoices\.due_date.*F2"):
        open_items(bad, pay, "2025-06-30")
    badp = pay.copy()
    badp.loc[0, "payment_date"] = pd.NaT
    with pytest.raises(InputError, match=r"payments\.payment_date.*R1"):
        open_items(inv, badp, "2025-06-30")


def test_payment_to_unknown_invoice(ledger):
    inv, pay = ledger
    bad = pd.concat([pay, make_payments([("R9", "C1", "2025-01-01", 10.0, "F999")])])
    with pytest.raises(InputError, match=r"payments\.invoice_id.*F999.*R9") as err:
        open_items(inv, bad, "2025-06-30")
    assert "unallocated" in str(err.value)


def test_other_bad_inputs(ledger):
    inv, pay = ledger
    with pytest.raises(InputError, match="duplicates"):
        open_items(pd.concat([inv, inv.iloc[:1]]), pay, "2025-06-30")
    bad = inv.copy()
    bad.loc[0, "doc_type"] = "facture"
    with pytest.raises(InputError, match="doc_type.*facture"):
        open_items(bad, pay, "2025-06-30")
    bad = inv.copy()
    bad["issue_date"] = bad["issue_date"].dt.strftime("%d/%m/%Y")
    with pytest.raises(InputError, match=r"issue_date.*datetime64"):
        open_items(bad, pay, "2025-06-30")
    bad = inv.copy()
    bad["amount_ttc"] = bad["amount_ttc"].map(lambda v: f"{v:.2f}".replace(".", ","))
    with pytest.raises(InputError, match=r"amount_ttc.*numeric"):
        open_items(bad, pay, "2025-06-30")
    bad = inv.copy()
    bad.loc[2, "amount_ttc"] = np.nan
    with pytest.raises(InputError, match=r"amount_ttc.*A1"):
        open_items(bad, pay, "2025-06-30")
    bad = inv.copy()
    bad.loc[0, "invoice_id"] = None
    with pytest.raises(InputError, match=r"invoices\.invoice_id.*missing"):
        open_items(bad, pay, "2025-06-30")
    for as_of in (None, "not a date", pd.NaT):
        with pytest.raises(InputError, match="as_of"):
            open_items(inv, pay, as_of)


# --------------------------------------------------------------------------- properties
def reference_open_items(inv: pd.DataFrame, pay: pd.DataFrame, as_of) -> dict[str, int]:
    """Plain-Python statement of the rules (loops on purpose): {document id: open cents}."""
    as_of = pd.Timestamp(as_of)
    docs = {r.invoice_id: r for r in inv.itertuples() if r.issue_date <= as_of}
    open_c = {k: round(r.amount_ttc * 100) for k, r in docs.items()}
    cash: dict[str, int] = defaultdict(int)
    for p in pay.itertuples():
        if p.payment_date > as_of:
            continue
        cents = round(p.amount * 100)
        if isinstance(p.invoice_id, str) and p.invoice_id in docs:
            open_c[p.invoice_id] -= cents
        else:
            cash[p.payment_id] -= cents
    notes = sorted((r for r in docs.values() if r.doc_type == "credit_note"
                    and isinstance(r.related_invoice_id, str)
                    and r.related_invoice_id in docs
                    and docs[r.related_invoice_id].doc_type == "invoice"),
                   key=lambda r: (r.issue_date, r.Index))
    for r in notes:
        n = min(max(-open_c[r.invoice_id], 0), max(open_c[r.related_invoice_id], 0))
        open_c[r.invoice_id] += n
        open_c[r.related_invoice_id] -= n
    out = {k: v for k, v in open_c.items() if v != 0}
    out.update({k: v for k, v in cash.items() if v != 0})
    return out


DAYS = pd.date_range(DAY0, periods=120, freq="D")


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_matches_loop_reference(case):
    inv, pay, as_of = case
    items = open_items(inv, pay, as_of)
    got = dict(zip(items["invoice_id"], np.rint(items["open_amount"] * 100).astype(int),
                   strict=True))
    assert got == reference_open_items(inv, pay, as_of)
    assert not items["invoice_id"].duplicated().any()
    assert (items["issue_date"] <= as_of).all()
    # with the dated disputes: same amounts, disputed while a dispute is open at as_of
    dated = Ledger.from_tables(inv, pay, disputes=case.disputes).at(as_of).items
    pd.testing.assert_frame_equal(dated.drop(columns="disputed"), items.drop(columns="disputed"))
    d = case.disputes
    live = d[(d["opened_date"] <= as_of) & ~(d["closed_date"] <= as_of)]["invoice_id"]
    assert set(dated.loc[dated["disputed"], "invoice_id"]) == set(live) & set(dated["invoice_id"])


@settings(max_examples=50, deadline=None)
@given(ledgers(), st.integers(0, 7), st.integers(1, 300_00), st.integers(0, 119))
def test_a_payment_never_increases_an_open_amount(case, k, cents, day):
    """Adding a (positive) payment never raises any document's open amount, nor the balance."""
    inv, pay, as_of = case
    target = inv["invoice_id"].iloc[k % len(inv)]
    extra = make_payments([("PX", "C1", DAYS[day], cents / 100, target)])
    before = open_items(inv, pay, as_of).set_index("invoice_id")["open_amount"]
    after = open_items(inv, pd.concat([pay, extra], ignore_index=True), as_of) \
        .set_index("invoice_id")["open_amount"]
    docs_after = after.reindex(before.index, fill_value=0.0)
    assert (docs_after <= before + 1e-9).all()
    assert after.sum() <= before.sum() + 1e-9


@settings(max_examples=50, deadline=None)
@given(ledgers(max_pays=0))
def test_fully_paid_ledger_has_no_open_items(case):
    inv, _, as_of = case
    # pay every document exactly its amount (refund credit notes) the day it is issued
    pay = make_payments([(f"P{i}", r.customer_id, r.issue_date, r.amount_ttc, r.invoice_id)
                         for i, r in enumerate(inv.itertuples())])
    assert open_items(inv, pay, as_of).empty
    assert open_items(inv, pay, DAYS[-1]).empty

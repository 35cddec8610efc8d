"""Real data: the IBM accounts-receivable sample (2,466 settled invoices, ../shared/external).

Source: IBM Watson Analytics sample "Finance - Factoring" (see
../shared/external/ibm_accounts_receivable/SOURCE.md). Every invoice carries its own
``DaysToSettle`` and ``DaysLate`` as computed by the publisher: they are an independent oracle for
the ledger, the payment behaviour and the aged balance computed by creditlab.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.receivables import aged_balance, open_items, payment_behaviour


@pytest.fixture(scope="module")
def ibm(external):
    path = external / "ibm_accounts_receivable" / "WA_Fn-UseC_-Accounts-Receivable.csv"
    if not path.exists():
        pytest.skip("IBM accounts-receivable sample absent")
    raw = pd.read_csv(path, dtype={"invoiceNumber": str, "customerID": str})
    for c in ("InvoiceDate", "DueDate", "SettledDate"):
        raw[c] = pd.to_datetime(raw[c], format="%m/%d/%Y").astype("datetime64[ns]")
    invoices = pd.DataFrame({
        "invoice_id": raw["invoiceNumber"], "customer_id": raw["customerID"],
        "doc_type": "invoice", "issue_date": raw["InvoiceDate"], "due_date": raw["DueDate"],
        "amount_ttc": raw["InvoiceAmount"].astype(float),
        "disputed": raw["Disputed"].eq("Yes"),
    })
    payments = pd.DataFrame({
        "payment_id": "P" + raw["invoiceNumber"], "customer_id": raw["customerID"],
        "payment_date": raw["SettledDate"], "amount": raw["InvoiceAmount"].astype(float),
        "invoice_id": raw["invoiceNumber"],
    })
    return raw, invoices, payments


def test_publisher_days_agree_with_the_dates(ibm):
    raw, _, _ = ibm
    assert len(raw) == 2466
    settle = (raw["SettledDate"] - raw["InvoiceDate"]).dt.days
    late = (raw["SettledDate"] - raw["DueDate"]).dt.days.clip(lower=0)
    assert (settle == raw["DaysToSettle"]).all()
    assert (late == raw["DaysLate"]).all()


def test_fully_settled_ledger_has_no_open_items(ibm):
    _, invoices, payments = ibm
    items = open_items(invoices, payments, payments["payment_date"].max())
    assert items.empty


def test_payment_behaviour_matches_the_publisher(ibm):
    raw, invoices, payments = ibm
    as_of = raw["SettledDate"].max()
    beh = payment_behaviour(invoices, payments, as_of)
    w = raw["InvoiceAmount"]
    g = raw.assign(w=w, wd=w * raw["DaysToSettle"],
                   wl=w * (raw["SettledDate"] - raw["DueDate"]).dt.days,
                   late_amt=np.where(raw["DaysLate"] > 0, w, 0.0)).groupby("customerID")
    expected_days = g["wd"].sum() / g["w"].sum()
    expected_late = g["wl"].sum() / g["w"].sum()
    expected_share = g["late_amt"].sum() / g["w"].sum()
    got = beh.loc[expected_days.index]
    np.testing.assert_allclose(got["avg_days_to_pay"], expected_days, rtol=1e-9)
    np.testing.assert_allclose(got["avg_days_late"], expected_late, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(got["share_paid_late"], expected_share, rtol=1e-9, atol=1e-12)
    assert (got["n_invoices_paid"] == g.size()).all()


def test_aged_balance_mid_period_matches_a_direct_filter(ibm):
    raw, invoices, payments = ibm
    as_of = pd.Timestamp("2013-06-30")
    items = open_items(invoices, payments, as_of)
    direct = raw[(raw["InvoiceDate"] <= as_of) & (raw["SettledDate"] > as_of)]
    assert len(items) == len(direct)
    assert items["open_amount"].sum() == pytest.approx(direct["InvoiceAmount"].sum(), abs=0.005)
    ab = aged_balance(items, as_of, buckets=(0, 30, 60, 90))
    totals = ab.totals
    dpd = (as_of - direct["DueDate"]).dt.days
    undisputed = direct["Disputed"].eq("No")
    # each bucket holds the undisputed amount of its days-past-due range; disputes apart
    edges = [(-10**6, 0), (1, 30), (31, 60), (61, 90), (91, 10**6)]
    for col, (lo, hi) in zip(ab.bucket_columns, edges, strict=True):
        exp = direct.loc[undisputed & dpd.between(lo, hi), "InvoiceAmount"].sum()
        assert totals[col] == pytest.approx(exp, abs=0.01), col
    assert totals[ab.disputed_column] == pytest.approx(
        direct.loc[~undisputed, "InvoiceAmount"].sum(), abs=0.01)
    assert totals[ab.total_column] == pytest.approx(direct["InvoiceAmount"].sum(), abs=0.01)

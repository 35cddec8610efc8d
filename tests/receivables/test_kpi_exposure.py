"""Exposure at a date: formula, insured split (DOMAIN.md §8, T15), guarantees, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditlab.exceptions import InputError
from creditlab.receivables.exposure import exposure

ASOF = pd.Timestamp("2025-06-30")


def _items(rows):
    f = pd.DataFrame(rows, columns=["customer_id", "invoice_id", "doc_type", "open_amount"])
    f["due_date"] = ASOF
    return f


def _orders(rows):
    f = pd.DataFrame(rows, columns=["order_id", "customer_id", "order_date", "amount_ttc",
                                    "status", "ship_date"])
    f["order_date"] = pd.to_datetime(f["order_date"])
    f["ship_date"] = pd.to_datetime(f["ship_date"])
    return f


def test_insured_split_t15_pagesjaunes():
    """T15 — DOMAIN.md §8 / §12 (pagesjaunes): exposure 40 k€, agreement 30 k€, quotité 90 %
    → 27 k€ insured; the insured bears 13 k€ (10 k€ excess + 3 k€ retained share)."""
    items = _items([("A", "F1", "invoice", 40_000.0)])
    customers = pd.DataFrame({"customer_id": ["A"], "credit_limit": [50_000.0],
                              "insurer_agreement": [30_000.0]})
    e = exposure(items, None, ASOF, customers=customers, insured_share=0.9)
    row = e.by_customer.loc["A"]
    assert row["net_exposure"] == pytest.approx(40_000.0)
    assert row["insured"] == pytest.approx(27_000.0)
    assert row["uninsured"] == pytest.approx(13_000.0)


def test_exposure_components_and_guarantees():
    items = _items([("A", "F1", "invoice", 12_000.0), ("A", "AV1", "credit_note", -2_000.0),
                    ("B", "F2", "invoice", 5_000.0), ("C", "R1", "unallocated_cash", -3_000.0)])
    orders = _orders([
        ("O1", "A", "2025-06-10", 4_000.0, "shipped", "2025-06-20"),   # shipped not invoiced
        ("O2", "A", "2025-06-25", 6_000.0, "accepted", None),           # accepted
        ("O3", "A", "2025-07-05", 9_999.0, "accepted", None),           # after as_of: ignored
        ("O4", "B", "2025-06-01", 1_000.0, "shipped", "2025-07-02"),    # ships later: accepted
        ("O5", "C", "2025-06-28", 2_000.0, "accepted", None)])
    guarantees = pd.DataFrame({
        "customer_id": ["A", "A", "B", "B"],
        "kind": ["caution", "lettre_de_credit", "dépôt", "garantie_premiere_demande"],
        "amount": [3_000.0, 1_000.0, 500.0, 10_000.0],
        "valid_from": pd.to_datetime([None, "2025-07-01", "2025-01-01", None]),
        "valid_to": pd.to_datetime(["2025-12-31", None, None, "2025-06-29"])})
    customers = pd.DataFrame({"customer_id": ["A", "B", "C", "D"],
                              "credit_limit": [15_000.0, 10_000.0, np.nan, 1_000.0],
                              "insurer_agreement": [np.nan, 0.0, 5_000.0, 1_000.0]})
    e = exposure(items, orders, ASOF, customers=customers, guarantees=guarantees)
    t = e.by_customer
    assert list(t.index) == ["A", "B", "C", "D"]
    a = t.loc["A"]
    assert (a["open_receivables"], a["shipped_not_invoiced"], a["orders_accepted"]) == (
        10_000.0, 4_000.0, 6_000.0)
    assert a["guarantees"] == 3_000.0  # the LC starts after as_of
    assert a["net_exposure"] == 17_000.0 and a["over_limit"] and a["headroom"] == -2_000.0
    assert a["insured"] == 0.0  # not insured (empty agreement)
    b = t.loc["B"]
    assert b["orders_accepted"] == 1_000.0 and b["guarantees"] == 500.0  # GAPD expired
    assert b["net_exposure"] == 5_500.0 and b["insured"] == 0.0  # agreement cancelled (0)
    c = t.loc["C"]
    assert c["gross_exposure"] == -1_000.0 and c["net_exposure"] == 0.0  # never negative
    assert t.loc["D", "net_exposure"] == 0.0
    assert e.total["net_exposure"] == pytest.approx(22_500.0)
    assert e.total["n_over_limit"] == 1
    assert t["share"].sum() == pytest.approx(1.0)
    conc = e.concentration()
    assert conc["top1"] == pytest.approx(17_000 / 22_500)
    assert conc["hhi"] == pytest.approx((17_000 / 22_500) ** 2 + (5_500 / 22_500) ** 2)
    assert list(e.over_limit().index) == ["A"]
    assert "net_exposure" in e.summary().index  # codes
    assert e.summary().loc["net_exposure", "total"] == e.total["net_exposure"]
    assert "risque net" in e.to_frame().index and "clients exposés" in e.to_frame().index
    assert "net exposure" in e.to_frame("en").index
    assert "risque net" in e._repr_html_()
    with pytest.raises(TypeError):
        e.summary("fr")
    assert list(e.top(1).index) == ["A"]


def test_exposure_bad_inputs():
    items = _items([("A", "F1", "invoice", 1.0)])
    with pytest.raises(InputError, match="guarantees.kind"):
        exposure(items, None, ASOF, guarantees=pd.DataFrame({"customer_id": ["A"],
                                                             "kind": ["hypothèque"],
                                                             "amount": [1.0]}))
    with pytest.raises(InputError, match="guarantees.amount"):
        exposure(items, None, ASOF, guarantees=pd.DataFrame({"customer_id": ["A"],
                                                             "kind": ["caution"],
                                                             "amount": [-1.0]}))
    with pytest.raises(InputError, match="insured_share"):
        exposure(items, None, ASOF, insured_share=90)
    with pytest.raises(InputError, match="as_of"):
        exposure(items, None, None)
    with pytest.raises(InputError, match="open_amount"):
        exposure(items.drop(columns="open_amount"), None, ASOF)
    with pytest.raises(InputError, match="orders.amount_ttc"):
        exposure(items, _orders([("O", "A", "2025-01-01", -5.0, "accepted", None)]), ASOF)
    # a non-numeric or missing amount is named, not a bare ValueError nor a silent 0
    with pytest.raises(InputError, match="items.open_amount"):
        exposure(items.assign(open_amount=["1 000,00"]), None, ASOF)
    with pytest.raises(InputError, match="items.open_amount"):
        exposure(items.assign(open_amount=[np.nan]), None, ASOF)
    with pytest.raises(InputError, match="orders.amount_ttc"):
        exposure(items, _orders([("O", "A", "2025-01-01", 5.0, "accepted", None)])
                 .assign(amount_ttc=["cinq"]), ASOF)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABC"), st.floats(-5_000, 20_000)), max_size=8),
       st.lists(st.tuples(st.sampled_from("ABC"), st.floats(0, 10_000)), max_size=5),
       st.lists(st.tuples(st.sampled_from("ABC"), st.floats(0, 30_000)), max_size=3),
       st.floats(0, 1), st.lists(st.one_of(st.none(), st.floats(0, 25_000)), min_size=3,
                                 max_size=3))
def test_exposure_never_negative_and_split_adds_up(item_rows, order_rows, guar_rows, share,
                                                   agreements):
    """Property: net exposure >= 0; insured + uninsured = net; insured <= agreement × share."""
    items = _items([(c, f"F{i}", "invoice", a) for i, (c, a) in enumerate(item_rows)])
    orders = _orders([(f"O{i}", c, "2025-06-01", a, "accepted", None)
                      for i, (c, a) in enumerate(order_rows)])
    guar = pd.DataFrame(guar_rows, columns=["customer_id", "amount"]).assign(kind="caution")
    customers = pd.DataFrame({"customer_id": list("ABC"),
                              "insurer_agreement": [np.nan if a is None else a
                                                    for a in agreements]})
    t = exposure(items, orders, ASOF, customers=customers, guarantees=guar,
                 insured_share=share).by_customer
    assert (t["net_exposure"] >= 0).all()
    assert (t["insured"] >= 0).all() and (t["uninsured"] >= -1e-9).all()
    np.testing.assert_allclose(t["insured"] + t["uninsured"], t["net_exposure"], atol=1e-6)
    cap = t["insurer_agreement"].fillna(0.0) * share
    assert (t["insured"] <= cap + 1e-6).all()

"""Credit hold: decisions, reasons, release conditions, overrides (append-only), new orders."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.limits import CreditPolicy, OverrideLog, check_order, credit_hold

ASOF = pd.Timestamp("2025-06-30")
NBSP = "\u202f"


def eur(text: str) -> str:
    return text.replace(NBSP, " ").replace("\u00a0", " ")


@pytest.fixture()
def book():
    items = pd.DataFrame({
        "customer_id": ["A", "A", "B", "C", "E"],
        "invoice_id": ["F1", "F2", "F3", "R1", "F9"],
        "doc_type": ["invoice", "invoice", "invoice", "unallocated_cash", "invoice"],
        "due_date": pd.to_datetime(["2025-03-10", "2025-07-31", "2025-06-10", "2025-06-15",
                                    "2025-06-20"]),
        "open_amount": [12_000.0, 8_000.0, 6_000.0, -3_000.0, 1_000.0],
        "disputed": [False, False, False, False, False]})
    orders = pd.DataFrame({
        "order_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O7"],
        "customer_id": ["A", "A", "B", "C", "D", "E", "B"],
        "order_date": pd.to_datetime(["2025-06-20", "2025-06-25", "2025-06-01", "2025-06-29",
                                      "2025-06-28", "2025-06-27", "2025-07-03"]),
        "amount_ttc": [5_000.0, 20_000.0, 1_000.0, 2_000.0, 4_000.0, 3_000.0, 9_999.0],
        "status": ["accepted", "accepted", "accepted", "accepted", "accepted", "accepted",
                   "accepted"],
        "ship_date": pd.to_datetime([None] * 7)})
    customers = pd.DataFrame({
        "customer_id": ["A", "B", "C", "D", "E"],
        "credit_limit": [30_000.0, 8_000.0, np.nan, 3_500.0, 50_000.0],
        "insurer_agreement": [20_000.0, np.nan, np.nan, np.nan, 0.0]})
    return items, orders, customers


def test_decisions_and_reasons(book):
    items, orders, customers = book
    r = credit_hold(orders, items, ASOF, customers=customers)
    assert not {"decision_label", "reason_text", "release_condition"} & set(r.decisions)
    d = r.in_words()
    assert "O7" not in d.index  # ordered after as_of
    # A: 12 000 past due 112 days (> 90 → block), above the 5 000 € threshold
    assert d.loc["O1", "decision"] == "block"
    assert set(d.loc["O1", "reasons"].split(";")) == {"overdue_amount", "overdue_age"}
    # O2 comes after O1: exposure = 20 000 open + 5 000 (O1) + 20 000 = 45 000 > 30 000
    assert d.loc["O2", "exposure_before"] == pytest.approx(25_000.0)
    assert d.loc["O2", "exposure_after"] == pytest.approx(45_000.0)
    assert d.loc["O2", "overrun"] == pytest.approx(15_000.0)
    assert "over_limit" in d.loc["O2", "reasons"]
    # B: 6 000 past due 20 days: above the amount threshold, below the age threshold → hold
    assert d.loc["O3", "decision"] == "hold"
    assert d.loc["O3", "reasons"] == "overdue_amount"
    assert eur(d.loc["O3", "release_condition"]) == "paiement de 1 000,00 € des factures échues"
    # C: no limit, but the credit balance (3 000) covers the 2 000 order → released
    assert d.loc["O4", "decision"] == "release" and d.loc["O4", "reasons"] == ""
    # D: no receivables, order 4 000 > limit 3 500: overrun 500 ≤ 25 % of the limit → hold
    assert d.loc["O5", "decision"] == "hold" and d.loc["O5", "reasons"] == "over_limit"
    assert eur(d.loc["O5", "release_condition"]) == (
        "paiement de 500,00 € ou hausse de limite de 500,00 €")
    assert d.loc["O5", "limit_increase"] == pytest.approx(500.0)
    # E: insurer agreement cancelled (0) → hold
    assert d.loc["O6", "reasons"] == "insurer_cancelled" and d.loc["O6", "decision"] == "hold"
    assert "agrément" in d.loc["O6", "release_condition"]
    assert (d["system_decision"] == d["decision"]).all()
    assert d.loc["O1", "days_waiting"] == 10


def test_release_condition_combines_payment_and_limit(book):
    items, orders, customers = book
    d = credit_hold(orders, items, ASOF, customers=customers).in_words()
    # O2: pay 15 000 (overrun) covers the 12 000 past due too — past due first
    assert d.loc["O2", "release_payment"] == pytest.approx(15_000.0)
    text = eur(d.loc["O2", "release_condition"])
    assert "paiement de 15 000,00 € (factures échues en priorité)" in text
    assert "hausse de limite de 15 000,00 €" in text
    assert eur(d.loc["O1", "release_condition"]) == "paiement de 12 000,00 € des factures échues"


def test_block_thresholds_from_policy(book):
    items, orders, customers = book
    strict = CreditPolicy.load().updated({"hold": {"block_over_limit_share": 0.1,
                                                   "overdue_amount_hold": 50_000.0,
                                                   "overdue_days_hold": 200,
                                                   "overdue_days_block": 300,
                                                   "insurer_cancelled": "block"}})
    d = credit_hold(orders, items, ASOF, customers=customers, policy=strict).decisions
    assert d.loc["O5", "decision"] == "block"  # 500 > 10 % of 3 500
    assert d.loc["O3", "decision"] == "release"  # thresholds not reached
    assert d.loc["O1", "decision"] == "release"
    assert d.loc["O6", "decision"] == "block"


def test_rating_disputes_insolvency(book):
    items, orders, customers = book
    disputes = pd.DataFrame({"customer_id": ["E", "E"],
                             "opened_date": pd.to_datetime(["2025-05-01", "2025-01-01"]),
                             "closed_date": pd.to_datetime([None, "2025-02-01"]),
                             "amount_ttc": [12_000.0, 50_000.0]})
    events = pd.DataFrame({"customer_id": ["C", "D"], "event_type": ["redressement",
                                                                     "liquidation"],
                           "event_date": pd.to_datetime(["2025-05-15", "2025-08-01"])})
    ratings = pd.Series({"A": 1, "B": 3, "D": 4})
    d = credit_hold(orders, items, ASOF, customers=customers, disputes=disputes, events=events,
                    ratings=ratings).in_words("en")
    assert "disputes" in d.loc["O6", "reasons"] and d.loc["O6", "disputed"] == 12_000.0
    assert "resolution of the open disputes" in d.loc["O6", "release_condition"]
    assert d.loc["O4", "decision"] == "block" and "insolvency" in d.loc["O4", "reasons"]
    assert "rating_class" in d.loc["O3", "reasons"] and d.loc["O3", "decision"] == "hold"
    assert d.loc["O5", "decision"] == "block"  # class 4; the liquidation is after as_of
    assert "insolvency" not in d.loc["O5", "reasons"]
    assert d.loc["O5", "decision_label"] == "blocked"
    with pytest.raises(InputError, match="ratings"):
        credit_hold(orders, items, ASOF, customers=customers, ratings=pd.Series({"A": 7}))
    # nullable classes as creditlab.scores.customer_rating returns them
    nullable = pd.Series([1, 3, pd.NA], index=["A", "B", "D"], dtype="Int64")
    d2 = credit_hold(orders, items, ASOF, customers=customers, ratings=nullable).decisions
    assert "rating_class" in d2.loc["O3", "reasons"]
    assert "rating_class" not in d2.loc["O5", "reasons"]


def test_limits_argument_overrides_customer_limits(book):
    items, orders, customers = book
    d = credit_hold(orders, items, ASOF, customers=customers,
                    limits=pd.Series({"D": 10_000.0})).decisions
    assert d.loc["O5", "decision"] == "release"
    assert d.loc["O3", "reasons"] == "no_limit;overdue_amount"  # B has no limit in `limits`


def test_overrides_are_append_only_and_applied(book):
    items, orders, customers = book
    log = OverrideLog()
    log2 = log.record("O2", "release", "Mme Martin (crédit)", "acompte de 50 % reçu",
                      "2025-06-28")
    assert len(log) == 0 and len(log2) == 1  # the original log is unchanged
    log3 = log2.record("O2", "hold", "M. Durand (DAF)", "attendre le virement", "2025-06-29")
    log4 = log3.record("O1", "release", "M. Durand (DAF)", "client stratégique", "2025-07-02")
    assert list(log4.to_frame()["order_id"]) == ["O2", "O2", "O1"]
    report = credit_hold(orders, items, ASOF, customers=customers, overrides=log4)
    d = report.decisions
    assert d.loc["O2", "system_decision"] == "block"
    assert d.loc["O2", "decision"] == "hold"  # the latest override on or before as_of
    assert d.loc["O2", "override_by"] == "M. Durand (DAF)"
    assert d.loc["O1", "decision"] == "block"  # its override is dated after as_of
    # the hold list says who put O2 on hold and why; overridden() keeps the system's decision
    held = report.on_hold()
    assert held.loc["O2", "override_by"] == "M. Durand (DAF)"
    assert held.loc["O2", "override_why"] == "attendre le virement"
    assert held["override_by"].drop("O2").isna().all()
    ov = report.overridden()
    assert list(ov.index) == ["O2"]
    assert ov.loc["O2", ["system_decision", "decision"]].tolist() == ["block", "hold"]
    assert ov.loc["O2", "override_at"] == pd.Timestamp("2025-06-29")
    back = OverrideLog.from_frame(log4.to_frame())
    assert back.rows == log4.rows
    with pytest.raises(InputError, match="by"):
        log.record("O1", "release", "", "raison", "2025-06-30")
    with pytest.raises(InputError, match="why"):
        log.record("O1", "release", "moi", "  ", "2025-06-30")
    with pytest.raises(InputError, match="decision"):
        log.record("O1", "approve", "moi", "raison", "2025-06-30")
    with pytest.raises(InputError, match="at"):
        log.record("O1", "release", "moi", "raison", None)
    with pytest.raises(InputError, match="overrides"):
        credit_hold(orders, items, ASOF, customers=customers,
                    overrides=log4.to_frame())  # a DataFrame is not a log


def test_report_views(book):
    items, orders, customers = book
    r = credit_hold(orders, items, ASOF, customers=customers)
    held = r.on_hold()
    assert set(held.index) == {"O1", "O2", "O3", "O5", "O6"}
    assert held["release_condition"].str.len().gt(0).all()
    s = r.summary()  # codes
    assert list(s.index) == ["release", "hold", "block"]
    assert s["n_orders"].sum() == 6
    assert s.loc["block", "amount_ttc"] == pytest.approx(25_000.0)
    f = r.to_frame()  # words, French by default
    assert list(f.index) == ["libérée", "en attente de revue", "bloquée"]
    assert list(f.columns) == ["commandes", "montant TTC"]
    assert f.loc["bloquée", "montant TTC"] == pytest.approx(25_000.0)
    assert list(r.to_frame("en").index) == ["released", "held for review", "blocked"]
    br = r.by_reason()
    assert br.loc["montant échu au-delà du seuil", "n_orders"] == 3
    assert "<table" in r._repr_html_()


def test_check_order_new_order(book):
    items, orders, customers = book
    row = check_order("D", 3_000.0, orders, items, ASOF, customers=customers)
    # after O5 (4 000): 7 000 vs 3 500 → overrun 3 500 = 100 % of the limit → block
    assert row["exposure_before"] == pytest.approx(4_000.0)
    assert row["decision"] == "block"
    ok = check_order("E", 100.0, None, items, ASOF, customers=customers.assign(
        insurer_agreement=np.nan))
    assert ok["decision"] == "release"
    with pytest.raises(InputError, match="amount_ttc"):
        check_order("D", -3.0, orders, items, ASOF, customers=customers)
    with pytest.raises(InputError, match="order_id"):
        check_order("D", 3.0, orders, items, ASOF, customers=customers, order_id="O1")


def test_bad_inputs(book):
    items, orders, customers = book
    with pytest.raises(InputError, match="order_id"):
        credit_hold(pd.concat([orders, orders.head(1)]), items, ASOF, customers=customers)
    with pytest.raises(InputError, match="orders"):
        credit_hold(orders.drop(columns="status"), items, ASOF)
    with pytest.raises(InputError, match="items"):
        credit_hold(orders, items.drop(columns="due_date"), ASOF)
    with pytest.raises(InputError, match="as_of"):
        credit_hold(orders, items, None)
    with pytest.raises(InputError, match="lang"):
        credit_hold(orders, items, ASOF).in_words("de")
    with pytest.raises(TypeError):
        credit_hold(orders, items, ASOF, lang="de")  # a computation takes no lang


def test_words_are_asked_at_the_edge(book):
    items, orders, customers = book
    r = credit_hold(orders, items, ASOF, customers=customers)
    assert r.decisions.loc["O5", "decision"] == "hold"  # codes
    assert r.in_words("en").loc["O5", "decision_label"] == "held for review"
    assert r.in_words().loc["O5", "decision_label"] == "en attente de revue"
    assert r.to_frame("en").index.name != r.to_frame().index.name


def test_words_of_one_checked_order(book):
    from creditlab.limits import hold_words
    items, orders, customers = book
    row = check_order("D", 3_000.0, orders, items, ASOF, customers=customers)
    assert "release_condition" not in row.index
    w = hold_words(row)
    assert w["decision"] == row["decision"] and w["decision_label"] == "bloquée"
    assert "hausse de limite" in w["release_condition"]

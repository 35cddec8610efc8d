"""Dunning consumers take the date from the open items (OpenItems, Ledger) — issue §1.

Items computed at one date and dunned "as of" another used to put every invoice far past due
(353 formal notices for 29.7 M€ on the demo instead of 44 for 6.3 M€, with no error). An
:class:`~creditlab.receivables.OpenItems` carries its ``as_of``; a different one is an error
saying how to recompute; a raw DataFrame still works with an explicit ``as_of``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab import dunning as dn
from creditlab.dunning.plan import _check_history, ledger_items, legal_next_action
from creditlab.exceptions import InputError
from creditlab.receivables import Ledger, OpenItems


@pytest.fixture(scope="module")
def ledger(demo):
    return Ledger.from_tables(demo["invoices"], demo["payments"], disputes=demo["disputes"],
                              customers=demo["customers"], events=demo["events"])


def test_issue_regression_plan_refuses_items_of_another_date(ledger):
    early = ledger.at("2025-03-31")
    with pytest.raises(InputError) as err:
        dn.plan_actions(early, as_of="2025-09-30")
    msg = str(err.value)
    assert "2025-03-31" in msg and "2025-09-30" in msg and "ledger.at" in msg
    # the right items: their own date, no as_of needed
    plan = dn.plan_actions(ledger.at("2025-09-30"))
    acts = plan.actions
    assert plan.as_of == pd.Timestamp("2025-09-30")
    assert int((acts["template"] == "formal_notice").sum()) == 44
    assert round(acts["net_amount"].sum() / 1e6, 1) == 6.3
    # what the mismatch used to give silently (the same items as a bare DataFrame)
    wrong = dn.plan_actions(early.items, as_of="2025-09-30").actions
    assert int((wrong["template"] == "formal_notice").sum()) == 353


def test_open_items_same_date_equals_dataframe_with_as_of(ledger):
    items = ledger.at("2025-12-31")
    a = dn.plan_actions(items, as_of="2025-12-31", customers=ledger.customers).actions
    b = dn.plan_actions(items.items, as_of="31/12/2025", customers=ledger.customers).actions
    c = dn.plan_actions(items).actions  # customers come with the items
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)


def test_ledger_form_equals_tables_mapping(ledger, demo):
    a = dn.plan_actions(ledger, as_of="2025-12-31").actions
    b = dn.plan_actions(demo, as_of="2025-12-31").actions
    pd.testing.assert_frame_equal(a, b)
    items, customers, behaviour = ledger_items(ledger, "2025-12-31")
    assert behaviour is not None and customers is ledger.customers
    assert len(items) == len(ledger.at("2025-12-31"))


def test_dataframe_without_as_of_is_an_error(ledger):
    items = ledger.at("2025-12-31").items
    with pytest.raises(InputError, match="as_of"):
        dn.plan_actions(items)
    with pytest.raises(InputError, match="as_of"):
        dn.insurer_deadlines(items)
    with pytest.raises(InputError, match="as_of"):
        dn.plan_actions(ledger)  # a Ledger needs the date to compute the items


@pytest.mark.parametrize("call", [
    lambda it: dn.cases_to_escalate(it, None, "2025-12-30"),
    lambda it: dn.injunction_file(it, "2025-12-30"),
    lambda it: dn.insurer_deadlines(it, None, "2025-12-30"),
    lambda it: dn.promises_status(None, it, "2025-12-30"),
    lambda it: ledger_items(it, "2025-12-30"),
    lambda it: legal_next_action(it, ["x"] * len(it), dn.load_policy(), "2025-12-30"),
    lambda it: dn.render_letter("reminder_1", {"customer_id": "C00001"}, it,
                                as_of="2025-12-30"),
], ids=["cases", "injunction", "insurer", "promises", "ledger_items", "legal_next",
        "letter"])
def test_every_consumer_refuses_a_different_date(ledger, call):
    items = ledger.at("2025-12-31")
    with pytest.raises(InputError, match="recompute the items"):
        call(items)


def test_consumers_take_the_date_from_the_items(ledger, demo):
    items = ledger.at("2025-12-31")
    cust = demo["customers"]
    pd.testing.assert_frame_equal(dn.insurer_deadlines(items, customers=cust),
                                  dn.insurer_deadlines(demo, None, "2025-12-31",
                                                       customers=cust))
    f1 = dn.injunction_file(items, require_formal_notice=False)
    f2 = dn.injunction_file(items.items, "2025-12-31", customers=cust,
                            require_formal_notice=False)
    pd.testing.assert_frame_equal(f1.summary, f2.summary)
    assert f1.as_of == pd.Timestamp("2025-12-31")
    promises = dn.read_promises(dn.escalation.DEMO_PROMISES_FILE)
    pd.testing.assert_frame_equal(dn.promises_status(promises, items),
                                  dn.promises_status(promises, demo, "2025-12-31"))
    cases = dn.cases_to_escalate(items, promises=promises)
    assert len(cases) > 0 and cases["overdue_amount"].gt(0).all()


def test_letter_from_open_items_lists_the_customer_rows(ledger):
    items = ledger.at("2025-12-31")
    cid = items.items.loc[items.items["open_amount"] > 0, "customer_id"].iloc[0]
    own = items.items[items.items["customer_id"] == cid]
    a = dn.render_letter("statement", {"customer_id": cid}, items)
    b = dn.render_letter("statement", {"customer_id": cid}, own, as_of="2025-12-31")
    assert a.text == b.text and a.html == b.html
    assert all(inv in a.text for inv in own["invoice_id"])


def test_history_dates_are_read_day_first(ledger):
    """A history typed by hand: 05/12/2025 is the 5th of December, never May 12th."""
    items = ledger.at("2025-12-31")
    plan = dn.plan_actions(items)
    row = plan.actions.iloc[0]
    hist = plan.approve([row["action_id"]]).to_history()
    typed = hist.assign(date="05/12/2025")
    iso = hist.assign(date=pd.Timestamp("2025-12-05"))
    assert _check_history(typed)["date"].iloc[0] == pd.Timestamp("2025-12-05")
    assert _check_history(hist.assign(date="2025-12-05 14:30"))["date"].iloc[0] == \
        pd.Timestamp("2025-12-05")
    a = dn.plan_actions(items, history=typed).actions
    b = dn.plan_actions(items, history=iso).actions
    pd.testing.assert_frame_equal(a, b)
    with pytest.raises(InputError, match="history.date"):
        dn.plan_actions(items, history=hist.assign(date="12/31/2025"))
    with pytest.raises(InputError, match="history.until"):
        dn.plan_actions(items, history=hist.assign(status="postponed", until="31/02/2026"))


def test_open_items_type_is_checked():
    with pytest.raises(InputError, match="ledger"):
        dn.plan_actions([1, 2, 3], as_of="2025-12-31")
    assert isinstance(OpenItems(pd.DataFrame(), "2025-12-31"), OpenItems)

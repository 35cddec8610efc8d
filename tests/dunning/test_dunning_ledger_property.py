"""The dunning plan on the shared hypothesis ledger (tests/strategies.py): whatever the ledger
(partial and over-payments, credit notes, cash on account, refunds, disputes), the plan is the
same from the tables and from the matched Ledger, the same from its OpenItems and their
DataFrame (no payment history there: the behaviour part of the profile is unknown), and never
claims more than the customers' open positive balance."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from strategies import ledgers

from creditlab.dunning import load_policy, plan_actions
from creditlab.exceptions import InputError
from creditlab.receivables import Ledger

POLICY = load_policy()


def _key(plan) -> pd.DataFrame:
    a = plan.actions
    return a[["customer_id", "step_day", "net_amount"]].sort_values(
        ["customer_id", "step_day"]).reset_index(drop=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=ledgers(disputes=False))
def test_plan_is_the_same_from_tables_ledger_and_open_items(case):
    tables = {"invoices": case.invoices, "payments": case.payments}
    ledger = Ledger.from_tables(case.invoices, case.payments)
    items = ledger.at(case.as_of)
    by_tables = plan_actions(tables, POLICY, case.as_of)
    by_ledger = plan_actions(ledger, POLICY, case.as_of)
    by_items = plan_actions(items, POLICY)
    pd.testing.assert_frame_equal(_key(by_tables), _key(by_ledger))
    # open items carry no payment history: the profile's payment behaviour is unknown, so the
    # plan may differ from the ledger's (a late payer's scenario); it equals the plan of the
    # same items given as a dated DataFrame
    by_frame = plan_actions(items.items, POLICY, case.as_of)
    pd.testing.assert_frame_equal(_key(by_frame), _key(by_items))
    # never more than what the customer owes on its open documents (whole cents)
    owed = items.items[items.items["open_amount"] > 0].groupby("customer_id")["open_amount"].sum()
    claimed = by_items.actions.groupby("customer_id")["net_amount"].sum()
    for cust, amount in claimed.items():
        assert amount <= owed.get(cust, 0.0) + 0.005, (cust, amount, owed.get(cust))


@pytest.mark.parametrize("shift", [1, 30])
def test_open_items_of_another_date_are_refused(shift):
    from hypothesis import find

    case = find(ledgers(disputes=False), lambda c: len(c.invoices) > 0)
    items = Ledger.from_tables(case.invoices, case.payments).at(case.as_of)
    with pytest.raises(InputError, match="as_of"):
        plan_actions(items, POLICY, case.as_of + pd.Timedelta(days=shift))

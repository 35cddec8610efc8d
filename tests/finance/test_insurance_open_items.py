"""declaration_deadlines takes the date from the open items (issue §1)."""

from __future__ import annotations

import pandas as pd
import pytest

from creditlab.exceptions import InputError
from creditlab.finance import CreditInsurancePolicy, declaration_deadlines
from creditlab.receivables import OpenItems


def test_declaration_deadlines_take_the_date_of_the_items():
    items = pd.DataFrame({"customer_id": ["A", "B"], "invoice_id": ["F1", "F2"],
                          "due_date": pd.to_datetime(["2025-10-01", "2026-01-10"]),
                          "open_amount": [1000.0, 500.0], "doc_type": ["invoice", "invoice"]})
    p = CreditInsurancePolicy(declaration_days=90)
    oi = OpenItems(items, "2025-12-20")
    a = declaration_deadlines(oi, p).set_index("invoice_id")
    b = declaration_deadlines(items, p, "20/12/2025").set_index("invoice_id")
    pd.testing.assert_frame_equal(a, b)
    # F1: due 1 October, deadline 30 December, 10 days left at 20 December
    assert a.loc["F1", "days_past_due"] == 80
    assert a.loc["F1", "declaration_deadline"] == pd.Timestamp("2025-12-30")
    assert a.loc["F1", "days_left"] == 10 and a.loc["F1", "status"] == "declare_now"
    assert a.loc["F2", "status"] == "not_due"
    with pytest.raises(InputError, match="recompute the items"):
        declaration_deadlines(oi, p, "2026-01-31")


def test_typed_due_dates_are_read_day_first():
    items = pd.DataFrame({"customer_id": ["A"], "invoice_id": ["F1"],
                          "due_date": ["01/10/2025"], "open_amount": [1000.0],
                          "issue_date": ["01/09/2025"]})
    out = declaration_deadlines(items, CreditInsurancePolicy(declaration_days=90),
                                "2025-12-20").iloc[0]
    assert out["due_date"] == pd.Timestamp("2025-10-01")  # 1 October, not 10 January
    assert out["credit_days"] == 30
    with pytest.raises(InputError, match="items.due_date"):
        declaration_deadlines(items.assign(due_date="10/31/2025"), CreditInsurancePolicy(),
                              "2025-12-20")

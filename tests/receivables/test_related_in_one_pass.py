"""The invoice a credit note corrects is found in the same encoding pass as the payments'
references: a code below the number of documents is its position, anything else is no invoice."""

from __future__ import annotations

import pandas as pd

from creditlab.receivables import Ledger, open_items


def _tables(related):
    inv = pd.DataFrame({
        "invoice_id": ["F0001", "F0002", "A0003", "F0004", "A0005"],
        "customer_id": ["C1", "C1", "C1", "C2", "C2"],
        "doc_type": ["invoice", "invoice", "credit_note", "invoice", "credit_note"],
        "issue_date": pd.to_datetime(["2025-01-05", "2025-02-01", "2025-02-10", "2025-03-01",
                                      "2025-03-02"]),
        "due_date": pd.to_datetime(["2025-02-04", "2025-03-03", "2025-02-10", "2025-03-31",
                                    "2025-03-02"]),
        "amount_ttc": [1200.0, 600.0, -100.0, 50.0, -10.0],
        "related_invoice_id": related})
    pay = pd.DataFrame({"payment_id": ["R1", "R2", "R3"], "customer_id": ["C1", "C1", "C2"],
                        "payment_date": pd.to_datetime(["2025-02-10", "2025-03-01",
                                                        "2025-03-05"]),
                        "amount": [1000.0, 500.0, 20.0], "invoice_id": ["F0001", None, "F0004"]})
    return inv, pay


def test_credit_notes_netted_against_the_invoice_they_name():
    inv, pay = _tables([None, None, "F0002", None, "F0004"])
    items = open_items(inv, pay, "2025-03-31")
    by_doc = dict(zip(items["invoice_id"], items["open_amount"], strict=True))
    # hand-computed: F0001 1200 - 1000; F0002 600 - 100 (A0003); F0004 50 - 20 - 10 (A0005);
    # R2 is cash on account
    assert by_doc == {"F0001": 200.0, "F0002": 500.0, "F0004": 20.0, "R2": -500.0}
    same = Ledger.from_tables(inv, pay).at("2025-03-31").items
    pd.testing.assert_frame_equal(same.reset_index(drop=True), items.reset_index(drop=True))


def test_unknown_or_credit_note_targets_stay_open_on_their_own():
    # A0003 names an id absent from the table, A0005 names a credit note: neither is netted
    inv, pay = _tables([None, None, "F9999", None, "A0003"])
    by_doc = dict(zip(*open_items(inv, pay, "2025-03-31")[["invoice_id", "open_amount"]]
                      .to_dict("list").values(), strict=True))
    assert by_doc["F0002"] == 600.0 and by_doc["A0003"] == -100.0
    assert by_doc["F0004"] == 30.0 and by_doc["A0005"] == -10.0

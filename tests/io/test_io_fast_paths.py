"""The vectorised paths of the reader and validator give what the per-row versions gave."""

from __future__ import annotations

import numpy as np
import pandas as pd

import creditlab.io as cio
from creditlab.io._values import _parse_choices, normalise_header
from creditlab.io.tables import _table
from creditlab.io.validate import _isin, _positions


def _doc_type():
    return next(c for c in _table("invoices").columns if c.name == "doc_type")


def test_choices_normalised_once_per_distinct_value_same_as_per_row():
    col = _doc_type()
    raw = pd.Series(["Facture", " avoir ", None, "invoice", "zzz", "FACTURE", "Avoir"] * 50)
    got = _parse_choices(raw, "invoices", col)
    # per row, as the reader did before
    from creditlab.io._values import _choice_lookup
    lookup = _choice_lookup("invoices", col)
    want = [None if pd.isna(v) else lookup.get(normalise_header(v.strip()), v.strip()) for v in raw]
    assert got.isna().tolist() == [w is None for w in want]
    assert got.dropna().tolist() == [w for w in want if w is not None]
    assert got.iloc[:7].tolist()[:2] == ["invoice", "credit_note"]
    assert got.iloc[4] == "zzz"  # unknown spelling kept for the validator to report


def test_choices_all_missing_and_empty():
    col = _doc_type()
    assert _parse_choices(pd.Series([None, None], dtype=object), "invoices", col).isna().all()
    assert len(_parse_choices(pd.Series([], dtype="str"), "invoices", col)) == 0


def test_isin_and_positions_arrow_and_object_agree():
    s = pd.Series(["F1", "F2", None, "F3", "F1", "F9"])
    v = pd.Series(["F3", "F1", "F1", "F7"])
    want = np.array([True, False, False, True, True, False])
    assert (_isin(s, v) == want).all()
    assert (_isin(s.astype(object), v.astype(object)) == want).all()
    for a, b in ((s, v), (s.astype(object), v.astype(object))):
        assert _positions(a, b).tolist() == [1, -1, -1, 0, 1, -1]  # first occurrence


def test_over_allocated_credit_note_and_first_duplicate_invoice_amount():
    inv = cio.validate(pd.DataFrame({
        "invoice_id": ["F1", "A1"], "customer_id": ["C1", "C1"],
        "doc_type": ["invoice", "credit_note"],
        "issue_date": ["2024-01-10", "2024-01-12"], "due_date": ["2024-02-10", "2024-01-12"],
        "amount_ttc": [100.0, -50.0], "amount_ht": [80.0, -40.0]}), "invoices")
    pay = pd.DataFrame({"payment_id": ["R1", "R2", "R3"], "customer_id": ["C1"] * 3,
                        "payment_date": ["2024-02-01"] * 3, "amount": [100.0, -30.0, -30.0],
                        "invoice_id": ["F1", "A1", "A1"]})
    found = {p.check: p for p in cio.problems(pay, "payments", invoices=inv)}
    over = found["over_allocated"]
    assert "A1: allocated -60.00 for amount_ttc -50.00" in over.message
    assert "1 over-allocated" in over.message and set(over.rows) == {1, 2}
    pay.loc[1, "amount"] = -20.0
    assert cio.problems(pay, "payments", invoices=inv) == []
